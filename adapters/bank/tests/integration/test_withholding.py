"""Pension withholding on the real broker: requests on enrollment.v1 in, per-person outcomes on bank.v1
out, one report per chunk, the same answer however often the request comes, on the pension day when
the adapter waits for it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from httpx import AsyncClient

from adapters.bank.tests.conftest import app_of, retiree, withholding, withholding_reports
from bank.domain.withholding import deduct
from bank.main import create_app
from bank.settings import BankSettings
from localstack import Tansu
from localstack.pytest_plugin import eventually, running, send_event
from runtime.clock import FixedClock

# Born on the 28th to 31st: 余额不足, 账户已冻结, 养老金停发, 账户已销户; everyone else on the 10th.
FAILING_BIRTHS = [date(1955, 1, 28), date(1956, 3, 29), date(1957, 4, 30), date(1958, 5, 31)]


def people_25() -> tuple[list[Any], list[str]]:
    births = FAILING_BIRTHS + [date(1950 + i % 12, 1 + i % 12, 10) for i in range(21)]
    pairs = [retiree(i, birth) for i, birth in enumerate(births)]
    return [p for p, _ in pairs], [n for _, n in pairs]


def _answered(bootstrap: str, request_no: str, outcomes: int, version: int = 1) -> Any:
    async def check() -> list[dict[str, Any]]:
        found = [r for r in await withholding_reports(bootstrap, request_no) if r["version"] == version]
        return found if sum(len(r["outcomes"]) for r in found) >= outcomes else []

    return check


async def _taken(client: AsyncClient, request_no: str, chunks: int) -> bool:
    async with app_of(client).state.sessions() as session:
        rows = await session.exec(
            sa.text("SELECT count(*) FROM withholding_report WHERE request_no = :r"), params={"r": request_no}
        )
        return rows.one()[0] >= chunks


async def test_a_request_of_25_people_in_two_chunks_gets_the_predicted_outcome_per_person(
    bank: AsyncClient, clock: FixedClock, kafka: Tansu
) -> None:
    """Checked: 25 retirees at 300 元 sent as chunks of 20 and 5 get two reports (20 and 5 outcomes), each
    person the outcome `deduct` predicts: 21 deducted 30000 fen, the four born on the 28th–31st not
    deducted (0 fen) with 余额不足, 账户已冻结, 养老金停发 and 账户已销户; deducted at once (today, the
    adapter's default), not on the pension day."""
    people, numbers = people_25()
    first = withholding(people[:20], chunks=2, people_total=25)
    second = withholding(people[20:], request_no=first.request_no, chunk=1, chunks=2, people_total=25)
    await send_event(kafka.bootstrap, first)
    await send_event(kafka.bootstrap, second)

    reports = await eventually(_answered(kafka.bootstrap, first.request_no, 25), timeout=40)
    assert sorted(len(r["outcomes"]) for r in reports) == [5, 20]
    assert {(r["batch_no"], r["deducted_on"], r["version"]) for r in reports} == {("TXZY202603150001", "2026-03-15", 1)}
    outcomes = {o["subject_id"]: o for r in reports for o in r["outcomes"]}
    for person, number in zip(people, numbers, strict=True):
        predicted = deduct("身份证", number, 30000, clock.today())
        assert outcomes[person.subject_id] == {
            "subject_id": person.subject_id,
            "success": predicted.success,
            "amount_fen": predicted.amount_fen,
            "reason": predicted.reason,
        }
    reasons = [outcomes[p.subject_id]["reason"] for p in people[:4]]
    assert reasons == ["余额不足", "账户已冻结", "养老金停发", "账户已销户"]
    deducted = [o for o in outcomes.values() if o["success"]]
    assert len(deducted) == 21 and {o["amount_fen"] for o in deducted} == {30000}
    assert all(o["amount_fen"] == 0 for o in outcomes.values() if not o["success"])


async def test_a_repeated_request_is_answered_once_and_a_new_version_identically(
    bank: AsyncClient, kafka: Tansu
) -> None:
    """Checked: the same chunk delivered three times (the same ce_id twice, then a new one) gets one
    report; sent again as version 2 it gets a second report with the same outcomes, amounts and
    deduction day as the first."""
    people, _ = people_25()
    event = withholding(people[:8])
    ce_id = await send_event(kafka.bootstrap, event)
    await send_event(kafka.bootstrap, event, ce_id=ce_id)
    await send_event(kafka.bootstrap, event)
    first = await eventually(_answered(kafka.bootstrap, event.request_no, 8), timeout=40)

    await send_event(kafka.bootstrap, event.model_copy(update={"version": 2}))
    again = await eventually(_answered(kafka.bootstrap, event.request_no, 8, version=2), timeout=40)
    assert len(first) == len(again) == 1
    assert again[0]["outcomes"] == first[0]["outcomes"]
    assert again[0]["deducted_on"] == first[0]["deducted_on"]
    assert sum(not o["success"] for o in first[0]["outcomes"]) == 4
    reports = await withholding_reports(kafka.bootstrap, event.request_no)
    assert sorted(r["version"] for r in reports) == [1, 2]


async def test_an_adapter_waiting_for_the_pension_day_deducts_on_that_day(
    bank_settings: BankSettings, clock: FixedClock, kafka: Tansu
) -> None:
    """Checked (BANK_WITHHOLD_ON_PENSION_DAY on): a request taken five days before its pension day is
    not answered while the clock stays before that day (a scheduler pass publishes nothing, bank.v1
    holds nothing for it); once the clock reaches the pension day it is answered, deducted_on the
    pension day."""
    pension_day = clock.today() + timedelta(days=5)
    people, _ = people_25()
    event = withholding(people[4:7], pension_day=pension_day)
    waiting = bank_settings.model_copy(update={"withhold_on_pension_day": True})
    async with running(create_app(waiting, clock)) as client:
        await send_event(kafka.bootstrap, event)
        assert await eventually(lambda: _taken(client, event.request_no, 1), timeout=40)
        clock.advance(timedelta(days=4, hours=13))  # the eve of the pension day, 23:00
        assert await app_of(client).state.due_loop.run_once() == 0
        assert await withholding_reports(kafka.bootstrap, event.request_no) == []

        clock.advance(timedelta(hours=1))
        reports = await eventually(_answered(kafka.bootstrap, event.request_no, 3), timeout=40)
    assert reports[0]["deducted_on"] == pension_day.isoformat()
    assert [o["success"] for o in reports[0]["outcomes"]] == [True, True, True]
