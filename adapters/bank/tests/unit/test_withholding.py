"""The bank's withholding decisions: who is deducted follows from the birth date in the ID number, the
deduction day from the pension day and the adapter's setting."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bank.domain.outcomes import WRONG_NUMBER
from bank.domain.withholding import (
    CLOSED,
    FROZEN,
    INSUFFICIENT,
    SUSPENDED,
    Deduction,
    deduct,
    deduction_day,
    due_at,
)
from runtime.clock import SHANGHAI
from runtime.identity import make_id_number

TODAY = date(2025, 6, 4)


def number(birth: date, seq: int = 7, male: bool = True) -> str:
    return make_id_number("310104", birth, seq, male)


@pytest.mark.parametrize(
    ("birth", "reason"),
    [
        (date(1955, 1, 28), INSUFFICIENT),
        (date(1960, 2, 28), INSUFFICIENT),
        (date(1956, 2, 29), FROZEN),
        (date(1958, 4, 30), SUSPENDED),
        (date(1961, 12, 31), CLOSED),
    ],
)
def test_someone_born_on_the_28th_to_31st_is_not_deducted_with_the_reason_of_that_day(birth: date, reason: str) -> None:
    assert deduct("身份证", number(birth), 30000, TODAY) == Deduction(success=False, amount_fen=0, reason=reason)
    assert (INSUFFICIENT, FROZEN, SUSPENDED, CLOSED) == ("余额不足", "账户已冻结", "养老金停发", "账户已销户")


def test_everyone_else_is_deducted_the_requested_amount() -> None:
    for day in (1, 9, 15, 27):
        assert deduct("身份证", number(date(1957, 3, day)), 30000, TODAY) == Deduction(True, 30000)
    assert deduct("身份证", number(date(1957, 3, 10)), 10000, TODAY).amount_fen == 10000
    assert deduct("护照", "E12345678", 45000, TODAY) == Deduction(True, 45000)  # no birth date to go by


def test_a_resident_id_number_that_fails_its_check_is_not_deducted() -> None:
    good = number(date(1957, 3, 10))
    wrong = good[:17] + ("1" if good[17] == "0" else "0")
    assert deduct("身份证", wrong, 30000, TODAY) == Deduction(False, 0, WRONG_NUMBER)


def test_about_one_in_nine_fails_over_real_birth_dates_and_the_rule_is_stable() -> None:
    births = [date(1950, 1, 1) + timedelta(days=i) for i in range(3650)]
    decided = [deduct("身份证", number(b, i % 500, i % 2 == 0), 30000, TODAY) for i, b in enumerate(births)]
    failed = sum(not d.success for d in decided)
    assert 0.10 < failed / len(decided) < 0.13  # 41 birth days in 365: 11.2 %
    assert decided == [deduct("身份证", number(b, i % 500, i % 2 == 0), 30000, TODAY) for i, b in enumerate(births)]


def test_the_deduction_day_is_the_pension_day_when_waiting_for_it_otherwise_today() -> None:
    pension_day = date(2025, 6, 10)
    assert deduction_day(pension_day, TODAY, wait_for_pension_day=True) == pension_day
    assert deduction_day(pension_day, TODAY, wait_for_pension_day=False) == TODAY
    late = date(2025, 6, 12)  # the request arrives after its pension day: deducted that day
    assert deduction_day(pension_day, late, wait_for_pension_day=True) == late


def test_the_answer_is_due_when_the_deduction_day_begins_in_shanghai() -> None:
    now = datetime(2025, 6, 4, 15, 30, tzinfo=SHANGHAI)
    assert due_at(date(2025, 6, 10), now) == datetime(2025, 6, 10, 0, 0, tzinfo=SHANGHAI)
    assert due_at(TODAY, now) == now
