"""The collective flow on the real broker: card issued → enrollable; grassroots submit → secondary
approves → district submits → enrollment.batch.submitted with exact amounts; billing.voucher.submitted
freezes the roster; billing.payment.confirmed completes the batch; duplicates and older news change
nothing; other unions see nothing of it."""

from __future__ import annotations

from datetime import date, datetime

import pypdfium2 as pdfium
from sqlmodel import select

from contracts.billing import BillingPaymentConfirmed, BillingVoucherSubmitted
from localstack.pytest_plugin import eventually, send_event
from runtime.inbox import InboxEntry
from runtime.outbox import OutboxMessage
from services.enrollment.tests.conftest import (
    BASE,
    IN_DISTRICT_SUBMIT,
    YEAR,
    app_of,
    at,
    card,
    configure_year,
    enrollment_events,
    member,
    ok,
    overview,
    publish_people,
)

HANDLER = {"name": "王经办", "phone": "13900001111", "email": "wang@example.com"}


async def test_collective_enrollment_from_card_to_completed_batch(client, city, clock, kafka):
    """Checked besides the happy path: the district cannot submit before its window, a secondary union
    cannot submit at all, a retried Idempotency-Key makes no second batch, a batch at the insurer cannot
    be returned or resubmitted, a duplicate and a repeated confirmation change nothing (one completed
    event), and other unions get 404 / 403."""
    await configure_year(client)
    g1_members = [member(city, city.g1, i) for i in range(3)]
    g2_members = [member(city, city.g2, i) for i in range(2)]
    cards = [card(m) for m in g1_members[:2] + g2_members]
    await publish_people(kafka.bootstrap, g1_members + g2_members, cards)
    g1, g2, street, xuhui = city.clerk(city.g1), city.clerk(city.g2), city.clerk(city.street), city.clerk(city.xuhui)

    # a card issued on cards.v1 makes the member enrollable (the card-less one stays out)
    async def enrollable():  # type: ignore[no-untyped-def]
        body, other = await overview(client, g1), await overview(client, g2)
        return body if body["counts"]["insured"] == 2 and other["counts"]["insured"] == 2 else None

    first = await eventually(enrollable, timeout=120)
    assert first, "the card holders never became enrollable"
    assert (first["counts"]["total_members"], first["counts"]["without_card"]) == (3, 1)
    assert (await overview(client, g2, type_code="A+"))["premium"] == {
        "amount_fen": 15200, "city_fen": 2600, "district_fen": 12600, "grassroots_fen": 0,
    }  # fmt: skip

    # grassroots unions submit to the upper union; each gets its notice
    sub1 = await ok(await client.post(f"{BASE}/collective/submissions", json={"type_code": "A"}, headers=g1), 201)
    assert (sub1["persons"], sub1["amount_fen"], sub1["type_code"]) == (2, 5200, "A")
    pdf = await client.get(sub1["notice_url"], headers=g1)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "告知书" in "".join(pdfium.PdfDocument(pdf.content)[0].get_textpage().get_text_range().split())
    sub2 = await ok(await client.post(f"{BASE}/collective/submissions", json={"type_code": "A+"}, headers=g2), 201)

    # the secondary union approves both into the to-submit list
    params = {"programme": "member-basic", "year": YEAR}
    pending = await ok(await client.get("/review/pending", params=params, headers=street))
    ids = sorted(item["id"] for item in pending["items"])
    assert ids == sorted(sub1["submission_ids"] + sub2["submission_ids"])
    await ok(await client.post("/review/stage", json={"submission_ids": ids}, headers=street))
    staged = await ok(await client.get("/review/staged", params=params, headers=xuhui))
    assert staged["totals"] == {
        "persons": 4, "persons_member_card": 4, "persons_ss_card": 0,
        "amounts": {"amount_fen": 20400, "city_fen": 5200, "district_fen": 15200, "grassroots_fen": 0},
    }  # fmt: skip

    # only the district submits, and only in its window
    body = {**params, "enrollment_type": "集中参保", "handler": HANDLER}
    early = await client.post("/batches", json=body, headers=xuhui)
    assert (early.status_code, early.json()["code"]) == (409, "window.not_open")
    assert (await client.post("/batches", json=body, headers=street)).status_code == 403
    clock.set(IN_DISTRICT_SUBMIT)
    batch = await ok(await client.post("/batches", json=body, headers=xuhui | {"Idempotency-Key": "k1"}), 201)
    assert batch["batch_no"] == "CB202312280001" and batch["state"] == "待缴费"
    again = await ok(await client.post("/batches", json=body, headers=xuhui | {"Idempotency-Key": "k1"}), 201)
    assert again["batch_no"] == batch["batch_no"]  # checked: a retried request made no second batch
    assert (await client.get(batch["notice_url"], headers=xuhui)).headers["content-type"] == "application/pdf"

    # enrollment.batch.submitted on enrollment.v1, exactly
    async def submitted():  # type: ignore[no-untyped-def]
        return await enrollment_events(kafka.bootstrap, "enrollment.batch.submitted", batch["batch_no"])

    events = await eventually(submitted, timeout=30)
    assert len(events) == 1
    event = events[0]
    assert event["payer_org_id"] == city.xuhui.org_id and event["enrollment_type"] == "集中参保"
    assert event["split"] == {"amount_fen": 20400, "city_fen": 5200, "district_fen": 15200, "grassroots_fen": 0}
    assert (event["persons_member_card"], event["persons_ss_card"], event["lines_total"]) == (4, 0, 4)
    assert (event["pay_by"], event["coverage_start"], event["coverage_end"]) == (
        "2024-01-20",
        "2024-01-01",
        "2024-12-31",
    )
    assert event["handler_phone_masked"] != HANDLER["phone"] and "1111" in event["handler_phone_masked"]
    assert {(g["code"], g["persons"], g["amount_fen"]) for g in event["guarantee_types"]} == {
        ("A", 2, 5200),
        ("A+", 2, 15200),
    }
    assert sorted(line["premium_fen"] for line in event["lines"]) == [2600, 2600, 7600, 7600]

    # frozen: nothing in the batch can be returned or resubmitted
    returned = await client.post("/review/return", json={"submission_ids": ids[:1], "reason": "有误"}, headers=xuhui)
    assert returned.status_code == 409
    clock.set(at(2023, 12, 20, 9))
    resubmit = await client.post(f"{BASE}/collective/submissions", json={"type_code": "A"}, headers=g1)
    assert (resubmit.status_code, resubmit.json()["code"]) == (409, "collective.frozen")

    # the district uploads its voucher in billing: the roster is frozen there and here
    assert (batch["roster_frozen"], batch["frozen_at"], batch["voucher_no"]) == (False, None, None)
    await _voucher_freezes_the_roster(client, kafka.bootstrap, batch["batch_no"], city.xuhui.org_id, xuhui)

    # billing confirms the payment: the batch completes and the cover is active
    paid = BillingPaymentConfirmed(batch_no=batch["batch_no"], paid_amount_fen=20400, confirmed_at=at(2024, 1, 10, 15))
    ce_id = await send_event(kafka.bootstrap, paid, source="/services/billing")

    async def completed():  # type: ignore[no-untyped-def]
        body = await ok(await client.get(f"/batches/{batch['batch_no']}", headers=xuhui))
        return body if body["state"] == "已完成" else None

    done = await eventually(completed, timeout=60)
    assert done and done["paid_amount_fen"] == 20400
    history = await ok(await client.get(f"/members/{g1_members[0].member_id}/coverage", headers=g1))
    assert [(h["year"], h["state"], h["cover_start"], h["cover_end"]) for h in history] == [
        (YEAR, "已生效", "2024-01-01", "2024-12-31")
    ]

    # a duplicate delivery and a second confirmation of the same batch change nothing
    await send_event(kafka.bootstrap, paid, source="/services/billing", ce_id=ce_id)
    marker = await send_event(kafka.bootstrap, paid, source="/services/billing")  # same key: same partition, after
    assert await eventually(lambda: _seen(client, marker), timeout=60)
    assert (await ok(await client.get(f"/batches/{batch['batch_no']}", headers=xuhui)))["updated_at"] == done[
        "updated_at"
    ]
    assert await _outbox_count(client, "enrollment.batch.completed") == 1

    # scope: another district and another grassroots union see none of it
    for outsider in (city.clerk(city.huangpu), city.clerk(city.h1)):
        assert (await client.get(f"/batches/{batch['batch_no']}", headers=outsider)).status_code == 404
        assert (await client.get(f"/submissions/{ids[0]}", headers=outsider)).status_code == 404
        assert (await client.get(f"/members/{g1_members[0].member_id}/coverage", headers=outsider)).status_code == 404
    assert (await client.get(f"/submissions/{sub2['submission_ids'][0]}", headers=g1)).status_code == 404
    assert (await client.get("/review/pending", params=params, headers=g1)).status_code == 403
    assert date.fromisoformat(history[0]["cover_start"]) == date(YEAR, 1, 1)


async def _voucher_freezes_the_roster(client, bootstrap: str, no: str, payer: int, xuhui) -> None:  # type: ignore[no-untyped-def]
    """Checked: a redelivery (same ce_id) and an older version under another id change nothing."""
    uploaded_at = at(2024, 1, 5, 9)
    uploaded = BillingVoucherSubmitted(
        batch_no=no, voucher_no="PZ202401050001", payer_org_id=payer, applied_fen=20400,
        roster_frozen_at=uploaded_at, submitted_at=uploaded_at, version=3,
    )  # fmt: skip
    ce_id = await send_event(bootstrap, uploaded, source="/services/billing")

    async def frozen():  # type: ignore[no-untyped-def]
        body = await ok(await client.get(f"/batches/{no}", headers=xuhui))
        return body if body["roster_frozen"] else None

    seen = await eventually(frozen, timeout=60)
    assert seen and seen["state"] == "待缴费" and seen["voucher_no"] == "PZ202401050001"
    assert datetime.fromisoformat(seen["frozen_at"]) == datetime.fromisoformat(seen["voucher_submitted_at"])
    assert datetime.fromisoformat(seen["frozen_at"]) == uploaded_at
    await send_event(bootstrap, uploaded, source="/services/billing", ce_id=ce_id)
    older = uploaded.model_copy(update={"voucher_no": "PZ202401040009", "version": 2})
    marker = await send_event(bootstrap, older, source="/services/billing")  # same key: same partition, after
    assert await eventually(lambda: _seen(client, marker), timeout=60)
    assert await ok(await client.get(f"/batches/{no}", headers=xuhui)) == seen


async def _seen(client, ce_id: str) -> bool:  # type: ignore[no-untyped-def]
    async with app_of(client).state.sessions() as s:
        return (await s.exec(select(InboxEntry).where(InboxEntry.ce_id == ce_id))).first() is not None


async def _outbox_count(client, ce_type: str) -> int:  # type: ignore[no-untyped-def]
    async with app_of(client).state.sessions() as s:
        return len((await s.exec(select(OutboxMessage).where(OutboxMessage.ce_type == ce_type))).all())
