"""Units without a union (未建会单位) paying the mutual-aid programme: every such unit comes with
payer_org_id 0, so billing knows each by the account that owns its 参保编码 (payer_account). An enterprise
sees and pays exactly its own payables — voucher with its refund account, approval, refund, receipts,
对账 — and gets 404 for another enterprise's, a refused action changing nothing; unions keep their
subtree and see no enterprise; the city and the insurer see every payer, one row per enterprise."""

from __future__ import annotations

from datetime import date

from contracts.enrollment import EnrollmentBatchSubmitted, GuaranteeTotal, PremiumSplit
from runtime.tokens import Tier
from services.billing.tests.conftest import CITY, INSURER, app_of, batch_events, bearer, ok, take, upload

PROGRAMME, PROGRAMME_NAME = "mutual-aid", "上海职工互助保障项目2020"
TRADING, TRADING_ACCOUNT = "上海某某贸易有限公司", "ent-trading"
LOGISTICS, LOGISTICS_ACCOUNT = "上海某某物流有限公司", "ent-logistics"
TRADING_CLERK = bearer(Tier.ENTERPRISE, user=TRADING_ACCOUNT)
LOGISTICS_CLERK = bearer(Tier.ENTERPRISE, user=LOGISTICS_ACCOUNT)


def unit_batch(city, unit_name: str, account: str, persons: int, premium_fen: int) -> EnrollmentBatchSubmitted:  # type: ignore[no-untyped-def]
    """A mutual-aid batch as enrollment sends a unit without a union's: payer 0, the unit's name and account,
    the unit bearing the whole amount."""
    [event] = batch_events(city.g1, city.g1, persons=persons, premium_fen=premium_fen, pay_by=date(2024, 1, 25))
    amount = persons * premium_fen
    return event.model_copy(
        update={
            "payer_org_id": 0, "payer_org_name": unit_name, "payer_account": account, "programme": PROGRAMME,
            "programme_name": PROGRAMME_NAME,
            "guarantee_types": [GuaranteeTotal(code="A0", name="A0", premium_fen=premium_fen, persons=persons,
                                               amount_fen=amount)],
            "split": PremiumSplit(amount_fen=amount, city_fen=0, district_fen=0, grassroots_fen=amount),
            "lines": [line.model_copy(update={"org_id": 0}) for line in event.lines],
        }
    )  # fmt: skip


def unit_voucher(batch_nos: list[str], amount_fen: int, **extra):  # type: ignore[no-untyped-def]
    return {
        "batch_nos": batch_nos, "paying_unit": TRADING, "method": "贷记(网银)", "amount_fen": amount_fen,
        "account_category": "在职", "transfer_date": "2023-12-28", **extra,
    }  # fmt: skip


REFUND_TO_TRADING = {"account_category": "在职", "account_name": TRADING, "account_no": "6222 0000 3333 4444",
                     "bank": "上海银行", "method": "划帐"}  # fmt: skip


async def test_an_enterprise_sees_and_pays_its_own_payable_and_gets_404_for_anothers(client, city, clock):
    """Checked: the trading company lists only its payable (not the logistics company's, not a union's);
    the logistics company's payable, lines, notice and statistics are 404 to it; a voucher naming the other's
    batch (alone or beside its own) is 404 and changes nothing (no voucher anywhere, nothing pending, the
    roster not frozen); its own voucher over-pays 300 − 225 = 75 yuan with its refund account; once approved,
    the refund and the receipts are its own (404 to the other, even the receipt request, which then left
    nothing behind); 对账 shows it one row, the city two enterprise rows; a union clerk sees none of it."""
    trading = unit_batch(city, TRADING, TRADING_ACCOUNT, persons=3, premium_fen=7500)  # 225 yuan
    logistics = unit_batch(city, LOGISTICS, LOGISTICS_ACCOUNT, persons=4, premium_fen=119500)  # 4,780 yuan
    [union] = batch_events(city.xuhui, city.g1, persons=2)
    await take(app_of(client), trading, logistics, union)
    mine, theirs = trading.batch_no, logistics.batch_no

    # lists and details: its own only
    listed = await ok(await client.get("/payables", headers=TRADING_CLERK))
    assert [(p["batch_no"], p["payer_org_id"], p["payer_org_name"], p["due_fen"]) for p in listed["items"]] == [
        (mine, 0, TRADING, 22500),
    ]  # fmt: skip
    for url in (f"/payables/{theirs}", f"/payables/{theirs}/lines", f"/payables/{theirs}/notice",
                f"/payables/{theirs}/statistics", f"/payables/{theirs}/receipts"):  # fmt: skip
        assert (await client.get(url, headers=TRADING_CLERK)).status_code == 404, url
    assert (await client.get(f"/payables/{mine}", headers=LOGISTICS_CLERK)).status_code == 404
    assert (await ok(await client.get(f"/payables/{mine}/lines", headers=TRADING_CLERK)))["total"] == 3
    assert (await client.get(f"/payables/{mine}/notice", headers=TRADING_CLERK)).status_code == 200
    union_clerk = await ok(await client.get("/payables", headers=city.clerk(city.xuhui)))
    assert [p["batch_no"] for p in union_clerk["items"]] == [union.batch_no]
    assert (await client.get(f"/payables/{mine}", headers=city.clerk(city.xuhui))).status_code == 404
    everyone = await ok(await client.get("/payables", params={"programme": PROGRAMME}, headers=CITY))
    assert {p["batch_no"] for p in everyone["items"]} == {mine, theirs}

    # a voucher for the other's batch: not found, nothing changed
    for nos in ([theirs], [mine, theirs]):
        refused = await upload(client, TRADING_CLERK, unit_voucher(nos, 478000), key=f"x-{len(nos)}")
        assert (refused.status_code, refused.json()["code"]) == (404, "not_found"), nos
    for no, clerk in ((theirs, LOGISTICS_CLERK), (mine, TRADING_CLERK)):
        left = await ok(await client.get(f"/payables/{no}", headers=clerk))
        assert (left["pending_fen"], left["roster_frozen"], left["status"]) == (0, False, "缴费凭证待上传")
    assert (await ok(await client.get("/vouchers", headers=INSURER)))["total"] == 0

    # its own voucher: 300 yuan for 225, the 75 over to its refund account
    data = unit_voucher([mine], 30000, refund=REFUND_TO_TRADING)
    preview = await ok(await client.post("/vouchers/preview", json=data, headers=TRADING_CLERK))
    assert (preview["due_fen"], preview["refund_fen"]) == (22500, 7500)
    voucher = await ok(await upload(client, TRADING_CLERK, data, key="t1"), 201)
    vno = voucher["voucher_no"]
    assert (voucher["payer_org_name"], voucher["refund_fen"], voucher["refund"]["account_no"]) == (
        TRADING, 7500, "6222 **** **** 4444",
    )  # fmt: skip
    assert [v["voucher_no"] for v in (await ok(await client.get("/vouchers", headers=TRADING_CLERK)))["items"]] == [vno]
    assert (await ok(await client.get("/vouchers", headers=LOGISTICS_CLERK)))["total"] == 0
    for url in (f"/vouchers/{vno}", f"/vouchers/{vno}/file"):
        assert (await client.get(url, headers=LOGISTICS_CLERK)).status_code == 404, url
    assert (await client.get(f"/vouchers/{vno}/file", headers=TRADING_CLERK)).status_code == 200

    approved = await ok(await client.post(f"/vouchers/{vno}/approve", headers=INSURER | {"Idempotency-Key": "a1"}))
    assert approved["confirmed_batches"] == [mine]
    assert (await ok(await client.get(f"/payables/{mine}", headers=TRADING_CLERK)))["state"] == "已确认"

    # the refund is its own
    refund_no = approved["refund_no"]
    refund = await ok(await client.get(f"/refunds/{refund_no}", headers=TRADING_CLERK))
    assert (refund["payer_org_name"], refund["amount_fen"], refund["account_no"]) == (
        TRADING, 7500, "6222 **** **** 4444",
    )  # fmt: skip
    assert [r["refund_no"] for r in (await ok(await client.get("/refunds", headers=TRADING_CLERK)))["items"]] == [
        refund_no
    ]
    assert (await client.get(f"/refunds/{refund_no}", headers=LOGISTICS_CLERK)).status_code == 404
    assert (await ok(await client.get("/refunds", headers=LOGISTICS_CLERK)))["total"] == 0

    # receipts: the other enterprise cannot ask for them, and its refused request leaves nothing
    lines = {"lines": [{"title": TRADING, "amount_fen": 22500}]}
    ask = f"/payables/{mine}/receipts"
    stranger = await client.put(ask, json=lines, headers=LOGISTICS_CLERK | {"Idempotency-Key": "s1"})
    assert stranger.status_code == 404
    assert (await ok(await client.get(ask, headers=TRADING_CLERK)))["items"] == []
    asked = await ok(await client.put(ask, json=lines, headers=TRADING_CLERK | {"Idempotency-Key": "q1"}))
    assert (asked["requested_fen"], asked["items"][0]["payer_org_name"]) == (22500, TRADING)
    issued = await ok(await client.post(f"{ask}/issue", headers=INSURER | {"Idempotency-Key": "i1"}))
    [receipt] = issued["items"]
    own = await ok(await client.get("/receipts", headers=TRADING_CLERK))
    assert [r["receipt_no"] for r in own["items"]] == [receipt["receipt_no"]]
    assert (await ok(await client.get("/receipts", headers=LOGISTICS_CLERK)))["total"] == 0
    assert (await client.get(receipt["pdf_url"], headers=TRADING_CLERK)).status_code == 200
    assert (await client.get(receipt["pdf_url"], headers=LOGISTICS_CLERK)).status_code == 404

    # 对账: its own row; the city one row per enterprise (both under payer 0); a union none of them
    query = {"programme": PROGRAMME, "year": 2024}
    balance = await ok(await client.get("/reconciliation", params=query, headers=TRADING_CLERK))
    assert [(r["payer_org_name"], r["payer_account"], r["due_fen"], r["received_fen"], r["paid_fen"],
             r["refund_due_fen"], r["outstanding_fen"]) for r in balance["items"]] == [
        (TRADING, TRADING_ACCOUNT, 22500, 30000, 22500, 7500, 0),
    ]  # fmt: skip
    city_view = await ok(await client.get("/reconciliation", params=query, headers=CITY))
    assert sorted((r["payer_org_name"], r["due_fen"], r["received_fen"]) for r in city_view["items"]) == [
        (LOGISTICS, 478000, 0), (TRADING, 22500, 30000),
    ]  # fmt: skip
    assert city_view["totals"]["due_fen"] == 500500
    split = await ok(await client.get("/reconciliation/split", params=query, headers=LOGISTICS_CLERK))
    assert [(r["payer_org_name"], r["grassroots_fen"]) for r in split["items"]] == [(LOGISTICS, 478000)]
    union_view = await ok(await client.get("/reconciliation", params=query, headers=city.clerk(city.xuhui)))
    assert union_view["items"] == []


async def test_programme_accounts_carry_the_programme_names_billing_has_seen(client, city):
    """对账's programme filter shows names, not codes: each programme with the name its payables give it."""
    [member_basic] = batch_events(city.xuhui, city.g1, persons=2)
    await take(app_of(client), member_basic, unit_batch(city, TRADING, TRADING_ACCOUNT, persons=1, premium_fen=7500))
    listed = await ok(await client.get("/programme-accounts", headers=TRADING_CLERK))
    assert [(p["programme"], p["programme_name"], p["category"]) for p in listed] == [
        ("member-basic", "上海工会会员专享基本保障", "会员专享"), ("mutual-aid", PROGRAMME_NAME, "在职"),
    ]  # fmt: skip
    saved = await ok(await client.put("/programme-accounts/mutual-aid", json={"category": "在职"}, headers=INSURER))
    assert (saved["programme_name"], saved["configured"]) == (PROGRAMME_NAME, True)
