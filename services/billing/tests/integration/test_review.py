"""The insurer's review: approve → the batch confirmed and billing.payment.confirmed on billing.v1 (once,
even for a retried approval), the over-payment a refund to pay back (billing.refund.issued); return with
reasons the payer sees, correct and resubmit; receipts asked, issued (PDF, billing.receipt.issued) and
voided; reconciliation; a lapsed batch takes no voucher."""

from __future__ import annotations

import pypdfium2 as pdfium

from contracts.enrollment import EnrollmentBatchLapsed
from localstack.pytest_plugin import eventually, send_event
from services.billing.tests.conftest import (
    CITY,
    INSURER,
    REFUND,
    app_of,
    at,
    batch_events,
    billing_events,
    ok,
    take,
    upload,
    voucher_data,
)


async def test_approval_confirms_the_batch_refunds_the_excess_and_receipts_follow(client, city, kafka, clock):
    """Checked besides the happy path: a grassroots clerk cannot approve (403), a retried approval returns
    the first answer and sends nothing twice, a second approval with another key is refused, receipts
    summing to more or less than the premium are refused, a refund is paid back only once, and the
    payer sees the full refund account number nowhere (the insurer does)."""
    [event] = batch_events(city.xuhui, city.g1, persons=61, premium_fen=2000)
    await take(app_of(client), event)
    no, xuhui = event.batch_no, city.clerk(city.xuhui)
    voucher = await ok(await upload(client, xuhui, voucher_data([no], 200000, refund=REFUND), key="v1"), 201)
    vno = voucher["voucher_no"]

    assert (await client.post(f"/vouchers/{vno}/approve", headers=city.clerk(city.g1))).status_code == 403
    queue = await ok(await client.get("/vouchers", params={"state": "审核中", "oldest_first": True}, headers=INSURER))
    assert [v["voucher_no"] for v in queue["items"]] == [vno]
    clock.set(at(2024, 1, 10, 15))
    approved = await ok(await client.post(f"/vouchers/{vno}/approve", headers=INSURER | {"Idempotency-Key": "a1"}))
    again = await ok(await client.post(f"/vouchers/{vno}/approve", headers=INSURER | {"Idempotency-Key": "a1"}))
    assert approved == again and approved["confirmed_batches"] == [no] and approved["refund_no"]
    twice = await client.post(f"/vouchers/{vno}/approve", headers=INSURER | {"Idempotency-Key": "a2"})
    assert (twice.status_code, twice.json()["code"]) == (409, "voucher.not_under_review")
    payable = await ok(await client.get(f"/payables/{no}", headers=xuhui))
    assert (payable["state"], payable["paid_fen"], payable["outstanding_fen"]) == ("已确认", 122000, 0)

    async def confirmed():  # type: ignore[no-untyped-def]
        return await billing_events(kafka.bootstrap, "billing.payment.confirmed", no)

    sent = await eventually(confirmed, timeout=30)
    assert sent and sent[0]["paid_amount_fen"] == 122000 and sent[0]["confirmed_at"].startswith("2024-01-10T")
    assert len(await confirmed()) == 1

    # the refund: 780 yuan, 待退款 → 已退款 once
    refund_no = approved["refund_no"]
    mine = await ok(await client.get(f"/refunds/{refund_no}", headers=xuhui))
    theirs = await ok(await client.get(f"/refunds/{refund_no}", headers=INSURER))
    assert (mine["amount_fen"], mine["state"], mine["account_no"]) == (78000, "待退款", "6222 **** **** 2222")
    assert theirs["account_no"] == "6222 0000 1111 2222" and theirs["batch_nos"] == [no]
    body = {"paid_on": "2024-01-10", "reference": "BK-001"}
    pay = f"/refunds/{refund_no}/issue"
    paid = await ok(await client.post(pay, json=body, headers=INSURER | {"Idempotency-Key": "r1"}))
    assert paid["state"] == "已退款"
    repeat = await client.post(pay, json=body, headers=INSURER | {"Idempotency-Key": "r2"})
    assert (repeat.status_code, repeat.json()["code"]) == (409, "refund.not_pending")
    assert await eventually(lambda: billing_events(kafka.bootstrap, "billing.refund.issued", refund_no), timeout=30)

    # receipts: several titles summing to the premium, issued by the insurer
    wrong = {"lines": [{"title": "上海YYYY公司", "amount_fen": 45000}]}
    bad = await client.put(f"/payables/{no}/receipts", json=wrong, headers=xuhui | {"Idempotency-Key": "q0"})
    assert (bad.status_code, bad.json()["code"]) == (422, "receipt.sum_mismatch")
    lines = {"lines": [{"title": "上海YYYY公司", "amount_fen": 45000},
                       {"title": "上海XXX公司", "amount_fen": 77000, "remark": "发票备注"}]}  # fmt: skip
    ask = f"/payables/{no}/receipts"
    asked = await ok(await client.put(ask, json=lines, headers=xuhui | {"Idempotency-Key": "q1"}))
    assert asked["requested_fen"] == 122000 and {r["state"] for r in asked["items"]} == {"待开具"}
    issued = await ok(await client.post(f"{ask}/issue", headers=INSURER | {"Idempotency-Key": "i1"}))
    numbers = [r["receipt_no"] for r in issued["items"]]
    assert issued["issued_fen"] == 122000 and len(set(numbers)) == 2
    assert all(n.startswith("ZY20240110") for n in numbers)
    pdf = await client.get(issued["items"][1]["pdf_url"], headers=xuhui)
    text = "".join(pdfium.PdfDocument(pdf.content)[0].get_textpage().get_text_range().split())
    assert "上海XXX公司" in text and "柒佰柒拾元整" in text and numbers[1] in text
    assert await eventually(lambda: billing_events(kafka.bootstrap, "billing.receipt.issued", numbers[0]), timeout=30)
    voided = await ok(await client.post(f"/receipts/{numbers[1]}/void", json={"reason": "抬头有误"},
                                        headers=INSURER | {"Idempotency-Key": "x1"}))  # fmt: skip
    assert voided["issued_fen"] == 45000
    fixed = {"lines": [{"title": "上海XXX有限公司", "amount_fen": 77000}]}
    await ok(await client.put(ask, json=fixed, headers=xuhui | {"Idempotency-Key": "q2"}))

    # reconciliation for the payer and the city's split view
    balance = await ok(await client.get("/reconciliation", params={"programme": "member-basic", "year": 2024},
                                        headers=CITY))  # fmt: skip
    row = next(r for r in balance["items"] if r["payer_org_id"] == city.xuhui.org_id)
    assert (row["due_fen"], row["received_fen"], row["paid_fen"], row["refunded_fen"], row["outstanding_fen"]) == (
        122000, 200000, 122000, 78000, 0,
    )  # fmt: skip
    split = await ok(await client.get("/reconciliation/split", params={"programme": "member-basic", "year": 2024},
                                      headers=xuhui))  # fmt: skip
    assert [(r["city_fen"], r["district_fen"]) for r in split["items"]] == [(61 * 1300, 122000 - 61 * 1300)]


async def test_a_returned_voucher_shows_its_reasons_and_can_be_corrected(client, city):
    """Checked: the reason is required; once returned the voucher no longer counts (the batch lacks the
    whole amount again); the payer sees the reason and resubmits with another amount and no new file."""
    [event] = batch_events(city.xuhui, city.g1, persons=61, premium_fen=2000)
    await take(app_of(client), event)
    no, xuhui = event.batch_no, city.clerk(city.xuhui)
    voucher = await ok(await upload(client, xuhui, voucher_data([no], 120000), key="v1"), 201)
    vno = voucher["voucher_no"]
    empty = await client.post(f"/vouchers/{vno}/return", json={"reason": " "}, headers=INSURER)
    assert (empty.status_code, empty.json()["code"]) == (422, "voucher.reason_required")
    early = await upload(client, xuhui, voucher_data([no], 122000), key="e1", method="PUT", url=f"/vouchers/{vno}")
    assert (early.status_code, early.json()["code"]) == (409, "voucher.not_returned")
    await ok(await client.post(f"/vouchers/{vno}/return", json={"reason": "缴费金额与凭证不符"}, headers=INSURER))
    seen = await ok(await client.get(f"/vouchers/{vno}", headers=xuhui))
    assert (seen["state"], seen["review_reason"]) == ("审核不通过", "缴费金额与凭证不符")
    assert (await ok(await client.get(f"/payables/{no}", headers=xuhui)))["shortfall_fen"] == 122000
    fixed = await ok(await upload(client, xuhui, voucher_data([no], 122000), key="e2", method="PUT",
                                  url=f"/vouchers/{vno}", file=None))  # fmt: skip
    assert (fixed["state"], fixed["applied_fen"], fixed["review_reason"], fixed["version"]) == ("审核中", 122000, "", 3)
    assert fixed["file"]["url"] == voucher["file"]["url"]


async def test_a_lapsed_batch_takes_no_voucher(client, city, kafka):
    [event] = batch_events(city.xuhui, city.g1, persons=2)
    await take(app_of(client), event)
    lapsed = EnrollmentBatchLapsed(batch_no=event.batch_no, payer_org_id=city.xuhui.org_id, persons=2,
                                   pay_by=event.pay_by, lapsed_at=at(2024, 1, 21, 0), version=2)  # fmt: skip
    await send_event(kafka.bootstrap, lapsed, source="/services/enrollment")

    async def void():  # type: ignore[no-untyped-def]
        body = await ok(await client.get(f"/payables/{event.batch_no}", headers=CITY))
        return body if body["state"] == "已失效" else None

    assert await eventually(void, timeout=90)
    refused = await upload(client, city.clerk(city.xuhui), voucher_data([event.batch_no], 15200), key="l1")
    assert (refused.status_code, refused.json()["code"]) == (409, "payable.lapsed")
