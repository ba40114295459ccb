"""The bank adapter on the real broker: batches in, one outcome per card out, revocations honoured."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from httpx import AsyncClient

from adapters.bank.tests.conftest import app_of, batch, card, outcomes, states
from contracts import topics
from contracts.cards import CardBatchRevoked
from localstack import Tansu
from localstack.pytest_plugin import eventually, read_topic, send_event
from runtime.clock import FixedClock
from runtime.pii import PartnerSeal, key_from_text, new_key_text

LATER = timedelta(hours=1)  # past every due time of the test settings


async def received(client: AsyncClient, ce_id: str) -> bool:
    async with app_of(client).state.sessions() as session:
        found = await session.exec(sa.text("SELECT 1 FROM inbox WHERE ce_id = :id"), params={"id": ce_id})
        return found.first() is not None


async def test_each_card_gets_exactly_one_outcome_even_when_the_batch_arrives_again(
    bank: AsyncClient, clock: FixedClock, kafka: Tansu
) -> None:
    """Checked: a 20-card batch delivered three times (the same ce_id twice, then a new ce_id) and once
    more after its answers went out yields exactly one outcome per member on bank.v1; the expired ID
    is rejected 证件已过期; issued cards carry a masked number; /readyz reports the scheduler."""
    cards = [card(i) for i in range(19)] + [card(19, expiry=date(2026, 1, 1))]
    event = batch(cards)
    first = await send_event(kafka.bootstrap, event)
    await send_event(kafka.bootstrap, event, ce_id=first)
    again = await send_event(kafka.bootstrap, event)
    assert await eventually(lambda: received(bank, again), timeout=30)
    assert set((await states(bank, event.batch_no)).values()) == {"scheduled"}
    assert len(await states(bank, event.batch_no)) == 20

    clock.advance(LATER)

    async def all_answered() -> list[tuple[str, dict]]:  # type: ignore[type-arg]
        found = await outcomes(kafka.bootstrap, event.batch_no)
        return found if len(found) >= 20 else []

    answered = await eventually(all_answered, timeout=30)
    assert sorted(p["member_id"] for _, p in answered) == sorted(c.member_id for c in cards)
    by_member = {p["member_id"]: (t, p) for t, p in answered}
    assert by_member[cards[-1].member_id] == (
        "bank.card.rejected",
        {"batch_no": event.batch_no, "member_id": cards[-1].member_id, "reason": "证件已过期", "version": 1},
    )
    issued = [p for t, p in answered if t == "bank.card.issued"]
    assert issued and all(p["card_number_masked"].startswith("6222 **** **** ") for p in issued)
    assert all(p["issued_on"] == "2026-03-15" for p in issued)

    late = await send_event(kafka.bootstrap, event)
    assert await eventually(lambda: received(bank, late), timeout=30)
    assert await app_of(bank).state.due_loop.run_once() == 0
    assert len(await outcomes(kafka.bootstrap, event.batch_no)) == 20

    ready = await eventually(lambda: _ready(bank), timeout=30)
    assert ready["schedule"] == "ok" and ready["database"] == "ok"


async def _ready(client: AsyncClient) -> dict | None:  # type: ignore[type-arg]
    r = await client.get("/readyz")
    return r.json() if r.status_code == 200 else None


async def test_a_batch_revoked_before_its_cards_are_due_gets_no_outcomes(
    bank: AsyncClient, clock: FixedClock, kafka: Tansu
) -> None:
    """Checked: cards.batch.revoked cancels the batch's scheduled outcomes; its submission replayed
    afterwards schedules nothing; once the clock is past every due time and a later batch has been
    answered, bank.v1 holds no outcome for the revoked batch."""
    revoked = batch([card(i) for i in range(5)])
    await send_event(kafka.bootstrap, revoked)
    assert await eventually(lambda: _count(bank, revoked.batch_no, 5), timeout=30)
    member_ids = [c.member_id for c in revoked.cards]
    await send_event(
        kafka.bootstrap, CardBatchRevoked(batch_no=revoked.batch_no, org_id=101, member_ids=member_ids, version=2)
    )

    async def cancelled() -> bool:
        return set((await states(bank, revoked.batch_no)).values()) == {"cancelled"}

    assert await eventually(cancelled, timeout=30)
    replay = await send_event(kafka.bootstrap, revoked)
    assert await eventually(lambda: received(bank, replay), timeout=30)
    assert await cancelled()

    control = batch([card(i) for i in range(3)])
    await send_event(kafka.bootstrap, control)
    assert await eventually(lambda: _count(bank, control.batch_no, 3), timeout=30)
    clock.advance(LATER)

    async def control_answered() -> bool:
        return len(await outcomes(kafka.bootstrap, control.batch_no)) == 3

    assert await eventually(control_answered, timeout=30)
    assert await outcomes(kafka.bootstrap, revoked.batch_no) == []


async def _count(client: AsyncClient, batch_no: str, n: int) -> bool:
    return len(await states(client, batch_no)) == n


async def test_a_batch_whose_id_numbers_do_not_open_is_dead_lettered(bank: AsyncClient, kafka: Tansu) -> None:
    """Checked: a batch sealed under another partner key is retried, then parked on cards.v1.dlq with
    its error type (no ID number in the error); nothing is scheduled for it."""
    stranger = PartnerSeal(key_from_text(new_key_text()))
    bad = batch([card(1, seal=stranger)])
    await send_event(kafka.bootstrap, bad)

    async def parked() -> dict[str, str] | None:
        for record in await read_topic(kafka.bootstrap, topics.dlq(topics.CARDS)):
            if record.key == bad.batch_no.encode():
                return {k: v.decode() for k, v in record.headers}
        return None

    headers = await eventually(parked, timeout=30)
    assert headers and headers["x-error-type"] == "PiiDecryptError"
    assert "310104" not in headers["x-error"]
    assert await states(bank, bad.batch_no) == {}
