"""The retiree plan's money (退休住院计划, manual 003): enrollment.batch.submitted brings the batch (persons ×
450 元) with its 代扣行 (successes × amount, withheld from pensions, paid already). The unit pays the rest
with a voucher — 13 persons, 9 withheld at 300 元 → 3,150 元 — whose approval confirms the batch
(billing.payment.confirmed); 29 persons, 23 withheld at 100 元 → 10,750 元, and a voucher of 11,000 元 gets
250 元 back; everyone withheld at 450 元 → confirmed on arrival. Receipts: any number, any titles, their
total within what was paid (withheld + approved vouchers)."""

from __future__ import annotations

import io
import random

from openpyxl import load_workbook

from contracts.enrollment import (
    BatchLine,
    Channel,
    EnrollmentBatchSubmitted,
    EnrollmentType,
    GuaranteeTotal,
    PremiumSplit,
)
from localstack.pytest_plugin import eventually, send_event
from services.billing.tests.conftest import (
    CITY,
    INSURER,
    REFUND,
    Org,
    app_of,
    at,
    billing_events,
    ok,
    take,
    upload,
    voucher_data,
)

PROGRAMME, PREMIUM = "retiree-hospital", 45000


def retiree_batch(unit: Org, persons: int, withheld_persons: int, each_fen: int) -> EnrollmentBatchSubmitted:
    """A unit's batch as enrollment sends it once the roster is confirmed after the withholding."""
    no = f"TXZY2025{random.randint(0, 10**8):08d}"
    amount = persons * PREMIUM
    return EnrollmentBatchSubmitted(
        batch_no=no, lines_total=persons, payer_org_id=unit.org_id, payer_org_name=unit.name, programme=PROGRAMME,
        programme_name="退休住院计划", year=2025, enrollment_type=EnrollmentType.COLLECTIVE,
        guarantee_types=[GuaranteeTotal(code="TX", name="退休住院计划", premium_fen=PREMIUM, persons=persons,
                                        amount_fen=amount)],
        persons_member_card=persons, persons_ss_card=0,
        split=PremiumSplit(amount_fen=amount, city_fen=0, district_fen=0, grassroots_fen=amount),
        pay_by=at(2025, 6, 30).date(), coverage_start=at(2025, 7, 1).date(), coverage_end=at(2026, 6, 30).date(),
        handler_name="李经办", handler_phone_masked="138****2222", handler_email="li@example.com",
        submitted_at=at(2025, 6, 9, 9),
        lines=[BatchLine(member_id=f"rt-{no}-{i}", org_id=unit.org_id, name=f"退休职工{i}",
                         id_number_masked=f"310***********{i:04d}", channel=Channel.UNIT_ROSTER, guarantee_type="TX",
                         premium_fen=PREMIUM) for i in range(persons)],
        withheld_fen=withheld_persons * each_fen, withheld_persons=withheld_persons,
    )  # fmt: skip


def rest(batch_no: str, amount_fen: int, **extra):  # type: ignore[no-untyped-def]
    """The unit's voucher row for what the withholding left (收款帐户: the insurer's 退休 account)."""
    return voucher_data([batch_no], amount_fen, paying_unit="上海某公司", account_category="退休",
                        transfer_date="2025-06-10", **extra)  # fmt: skip


async def test_the_unit_pays_what_the_withholding_left_and_the_approval_confirms_the_batch(client, city, kafka, clock):
    """13 persons × 450 = 5,850 元, 2,700 withheld → the unit owes 3,150. Checked besides: before the
    approval a receipt beyond the withheld 2,700 is refused and leaves nothing asked; after it, receipts
    beyond 5,850 are refused (nothing changed) and two receipts of other titles totalling less are taken and
    issued; the statistics and 对账 show the withheld part beside what vouchers paid."""
    clock.set(at(2025, 6, 10, 10))
    event = retiree_batch(city.g1, persons=13, withheld_persons=9, each_fen=30000)
    await send_event(kafka.bootstrap, event, source="/services/enrollment")
    no, unit = event.batch_no, city.clerk(city.g1)

    async def made():  # type: ignore[no-untyped-def]
        r = await client.get(f"/payables/{no}", headers=unit)
        return r.json() if r.status_code == 200 else None

    payable = await eventually(made, timeout=90)
    assert payable, "no payable from the retiree batch"
    assert (payable["due_fen"], payable["withheld_fen"], payable["withheld_persons"], payable["payer_due_fen"]) == (
        585000, 270000, 9, 315000,
    )  # fmt: skip
    assert (payable["outstanding_fen"], payable["shortfall_fen"], payable["status"], payable["account_category"]) == (
        315000, 315000, "缴费凭证待上传", "退休",
    )  # fmt: skip

    ask = f"/payables/{no}/receipts"
    early = await client.put(ask, json={"lines": [{"title": "上海某公司", "amount_fen": 300000}]},
                             headers=unit | {"Idempotency-Key": "q0"})  # fmt: skip
    assert (early.status_code, early.json()["code"], early.json()["paid_fen"]) == (
        422, "receipt.sum_exceeds_paid", 270000,
    )  # fmt: skip
    held = await ok(await client.get(ask, headers=unit))
    assert (held["rule"], held["paid_fen"], held["requested_fen"], held["items"]) == ("不超过已缴金额", 270000, 0, [])

    preview = await ok(await client.post("/vouchers/preview", json=rest(no, 315000), headers=unit))
    assert (preview["withheld_fen"], preview["due_fen"], preview["refund_fen"], preview["shortfall_fen"]) == (
        270000, 315000, 0, 0,
    )  # fmt: skip
    voucher = await ok(await upload(client, unit, rest(no, 315000), key="v1"), 201)
    assert (voucher["due_fen"], voucher["applied_fen"], voucher["refund_fen"]) == (315000, 315000, 0)
    approved = await ok(await client.post(f"/vouchers/{voucher['voucher_no']}/approve",
                                          headers=INSURER | {"Idempotency-Key": "a1"}))  # fmt: skip
    assert approved["confirmed_batches"] == [no] and approved["refund_no"] is None
    paid = await ok(await client.get(f"/payables/{no}", headers=unit))
    assert (paid["state"], paid["withheld_fen"], paid["paid_fen"], paid["outstanding_fen"]) == (
        "已确认", 270000, 315000, 0,
    )  # fmt: skip
    sent = await eventually(lambda: billing_events(kafka.bootstrap, "billing.payment.confirmed", no), timeout=30)
    assert sent and sent[0]["paid_amount_fen"] == 585000 and len(sent) == 1

    company, retirees = "上海某公司", "上海某公司退管会"  # titles need not be the payer's
    beyond = {"lines": [{"title": company, "amount_fen": 400000}, {"title": retirees, "amount_fen": 185001}]}
    refused = await client.put(ask, json=beyond, headers=unit | {"Idempotency-Key": "q1"})
    assert (refused.status_code, refused.json()["code"], refused.json()["total_fen"]) == (
        422, "receipt.sum_exceeds_paid", 585001,
    )  # fmt: skip
    assert "不能超过已缴金额" in refused.json()["title"]
    assert (await ok(await client.get(ask, headers=unit)))["items"] == []
    two = {"lines": [{"title": company, "amount_fen": 400000}, {"title": retirees, "amount_fen": 100000}]}
    asked = await ok(await client.put(ask, json=two, headers=unit | {"Idempotency-Key": "q2"}))
    assert asked["requested_fen"] == 500000 and len(asked["items"]) == 2
    issued = await ok(await client.post(f"{ask}/issue", headers=INSURER | {"Idempotency-Key": "i1"}))
    assert issued["issued_fen"] == 500000 and all(r["receipt_no"] for r in issued["items"])

    xlsx = await client.get(f"/payables/{no}/statistics", headers=unit)
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert [(r[0], r[5], float(r[6])) for r in rows[-3:]] == [
        ("合计", 13, 5850.0), ("其中：已代扣", 9, 2700.0), ("需单位缴纳", None, 3150.0),
    ]  # fmt: skip
    balance = await ok(await client.get("/reconciliation", params={"programme": PROGRAMME, "year": 2025}, headers=CITY))
    [row] = [r for r in balance["items"] if r["payer_org_id"] == city.g1.org_id]
    assert (row["due_fen"], row["withheld_fen"], row["received_fen"], row["paid_fen"], row["outstanding_fen"]) == (
        585000, 270000, 315000, 315000, 0,
    )  # fmt: skip
    exported = await client.get("/reconciliation/export", params={"programme": PROGRAMME, "year": 2025}, headers=CITY)
    header, first = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(max_row=2, values_only=True))
    assert header[4:7] == ("已到账(元)", "已代扣(元)", "已抵缴(元)") and float(first[5]) == 2700.0


async def test_an_over_payment_of_the_rest_is_refunded(client, city, clock):
    """29 persons × 450 = 13,050 元, 23 withheld at 100 → the unit owes 10,750; it pays 11,000: 250 back.
    Checked: without the refund account the upload is refused and the payable is unchanged."""
    clock.set(at(2025, 6, 10, 10))
    event = retiree_batch(city.g1, persons=29, withheld_persons=23, each_fen=10000)
    await take(app_of(client), event)
    no, unit = event.batch_no, city.clerk(city.g1)
    before = await ok(await client.get(f"/payables/{no}", headers=unit))
    assert (before["due_fen"], before["withheld_fen"], before["payer_due_fen"]) == (1305000, 230000, 1075000)

    refused = await upload(client, unit, rest(no, 1100000), key="v0")
    assert (refused.status_code, refused.json()["code"], refused.json()["refund_fen"]) == (
        422, "voucher.refund_required", 25000,
    )  # fmt: skip
    assert await ok(await client.get(f"/payables/{no}", headers=unit)) == before
    back_to_unit = REFUND | {"account_name": "上海某公司"}
    voucher = await ok(await upload(client, unit, rest(no, 1100000, refund=back_to_unit), key="v1"), 201)
    assert (voucher["due_fen"], voucher["applied_fen"], voucher["refund_fen"]) == (1075000, 1075000, 25000)
    approved = await ok(await client.post(f"/vouchers/{voucher['voucher_no']}/approve",
                                          headers=INSURER | {"Idempotency-Key": "a1"}))  # fmt: skip
    assert approved["confirmed_batches"] == [no]
    refund = await ok(await client.get(f"/refunds/{approved['refund_no']}", headers=unit))
    assert (refund["amount_fen"], refund["state"]) == (25000, "待退款")


async def test_a_batch_wholly_withheld_is_confirmed_on_arrival(client, city, kafka, clock):
    """12 persons, everyone withheld at 450 元: nothing for the unit to pay — the payable is confirmed at
    once and billing.payment.confirmed carries the 5,400 withheld. Checked: a voucher for it is refused
    (nothing due, nothing stored); receipts up to the 5,400 are taken and issued."""
    clock.set(at(2025, 6, 10, 10))
    event = retiree_batch(city.g1, persons=12, withheld_persons=12, each_fen=PREMIUM)
    await send_event(kafka.bootstrap, event, source="/services/enrollment")
    no, unit = event.batch_no, city.clerk(city.g1)

    async def confirmed():  # type: ignore[no-untyped-def]
        return await billing_events(kafka.bootstrap, "billing.payment.confirmed", no)

    sent = await eventually(confirmed, timeout=90)
    assert sent and sent[0]["paid_amount_fen"] == 540000 and sent[0]["confirmed_at"].startswith("2025-06-10T")
    payable = await ok(await client.get(f"/payables/{no}", headers=unit))
    assert (payable["state"], payable["status"], payable["withheld_fen"], payable["payer_due_fen"]) == (
        "已确认", "已确认", 540000, 0,
    )  # fmt: skip
    assert (payable["outstanding_fen"], payable["shortfall_fen"], payable["roster_frozen"]) == (0, 0, False)

    nothing = await upload(client, unit, rest(no, 10000), key="v1")
    assert (nothing.status_code, nothing.json()["code"]) == (409, "voucher.nothing_due")
    assert (await ok(await client.get("/vouchers", params={"batch_no": no}, headers=unit)))["total"] == 0

    ask = f"/payables/{no}/receipts"
    lines = {"lines": [{"title": "上海某公司", "amount_fen": 540000}]}
    await ok(await client.put(ask, json=lines, headers=unit | {"Idempotency-Key": "q1"}))
    issued = await ok(await client.post(f"{ask}/issue", headers=INSURER | {"Idempotency-Key": "i1"}))
    assert issued["issued_fen"] == 540000 and issued["paid_fen"] == 540000
    assert len(await confirmed()) == 1
