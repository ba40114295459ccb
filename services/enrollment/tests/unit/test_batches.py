"""Batch numbers, pay-by dates and lapses, the handler, and chunks of member lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from contracts.enrollment import EnrollmentType
from enrollment.domain.batches import batch_no, check_handler, chunks, freeze_roster, overdue, pay_by
from enrollment.domain.review import check_can_return, check_can_stage, check_reason, check_replaceable
from runtime.clock import SHANGHAI
from runtime.errors import DomainError, InvalidInput


def test_batch_numbers_read_like_the_manuals():
    assert batch_no(date(2022, 8, 8), 4) == "CB202208080004"


def test_collective_batches_pay_by_the_years_date_instant_ones_within_n_days():
    assert pay_by(EnrollmentType.COLLECTIVE, date(2022, 12, 28), date(2023, 1, 20), 15) == date(2023, 1, 20)
    assert pay_by(EnrollmentType.INSTANT, date(2024, 5, 10), date(2024, 1, 20), 15) == date(2024, 5, 25)


def test_a_batch_lapses_the_day_after_its_pay_by_date_plus_any_grace():
    assert not overdue(date(2023, 1, 20), date(2023, 1, 20))
    assert overdue(date(2023, 1, 20), date(2023, 1, 21))
    assert not overdue(date(2023, 1, 20), date(2023, 1, 22), grace_days=2)


def test_a_voucher_uploaded_by_the_pay_by_day_keeps_the_batch_waiting_for_review():
    """Checked: in time (on the last day) holds the lapse however long the review takes; a day late does not."""
    assert not overdue(date(2023, 1, 20), date(2023, 2, 15), voucher_on=date(2023, 1, 20))
    assert overdue(date(2023, 1, 20), date(2023, 2, 15), voucher_on=date(2023, 1, 21))
    assert not overdue(date(2023, 1, 20), date(2023, 2, 15), grace_days=2, voucher_on=date(2023, 1, 22))


def test_the_handler_needs_name_mobile_and_email():
    """Checked: each missing or malformed field is named by its own code."""
    assert check_handler(" 王一 ", "13900001111", "wang@example.com").name == "王一"
    for name, phone, email, code in (
        ("", "13900001111", "a@b.cn", "batch.handler_name"),
        ("王一", "1390000111", "a@b.cn", "batch.handler_phone"),
        ("王一", "13900001111", "not-an-email", "batch.handler_email"),
    ):
        with pytest.raises(InvalidInput) as refused:
            check_handler(name, phone, email)
        assert refused.value.code == code


def test_member_lines_travel_in_chunks_of_at_most_1000():
    assert [len(c) for c in chunks(list(range(2014)))] == [1000, 1000, 14]
    assert [len(c) for c in chunks(list(range(3)))] == [3]


def test_review_transitions_and_the_frozen_batch():
    """Checked: only pending rows are staged; a batch at the insurer cannot be returned or replaced."""
    check_can_stage("待审核")
    with pytest.raises(DomainError):
        check_can_stage("待提交")
    with pytest.raises(DomainError) as frozen:
        check_can_return("待缴费")
    assert frozen.value.code == "review.frozen"
    with pytest.raises(DomainError) as replaced:
        check_replaceable({"待审核", "待缴费"})
    assert replaced.value.code == "collective.frozen"
    check_replaceable({"待审核", "已退回", "已替代"})
    with pytest.raises(InvalidInput):
        check_reason("  ")


@dataclass
class Roster:
    roster_frozen: bool = False
    frozen_at: datetime | None = None
    voucher_no: str | None = None
    voucher_submitted_at: datetime | None = None


def test_the_first_voucher_freezes_the_roster_and_a_later_one_only_becomes_the_latest():
    """The manual: 缴费凭证上传后清册不能再修改. A corrected voucher or one paying the shortfall keeps the
    roster frozen since the first upload."""
    first, second = datetime(2023, 12, 28, 10, tzinfo=SHANGHAI), datetime(2024, 1, 5, 9, tzinfo=SHANGHAI)
    batch = Roster()
    freeze_roster(batch, "PZ202312280001", first, first)
    assert batch == Roster(True, first, "PZ202312280001", first)
    freeze_roster(batch, "PZ202401050001", second, second)
    assert batch == Roster(True, first, "PZ202401050001", second)
