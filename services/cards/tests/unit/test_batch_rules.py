"""Batch numbers, the submit form, the bank's progress and revocation with review."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cards.domain.batches import (
    batch_number,
    check_phone,
    check_platform,
    check_reject_reason,
    check_reviewable,
    check_reviewer,
    check_revocable,
    masked_phone,
    state_after_answer,
)
from cards.domain.states import BatchState, RevocationState
from runtime.clock import SHANGHAI
from runtime.errors import DomainError, Forbidden, InvalidInput
from runtime.tokens import Tier


def test_batch_numbers_are_the_shanghai_minute_and_a_sequence() -> None:
    at = datetime(2023, 12, 22, 17, 23, 40, tzinfo=SHANGHAI)
    assert batch_number(at, 1) == "cb-202312221723001"
    assert batch_number(at, 12) == "cb-202312221723012"
    # a UTC instant is numbered by its Shanghai wall-clock minute (16:05 UTC = 00:05 next day)
    assert batch_number(datetime(2023, 12, 31, 16, 5, tzinfo=UTC), 1) == "cb-202401010005001"
    # past 999 in one minute the number grows, and stays unique: the minute part has a fixed width
    assert batch_number(at, 1000) == "cb-2023122217231000"
    with pytest.raises(ValueError):
        batch_number(at, 0)


def test_contact_phones_are_mobiles_or_landlines_and_are_shown_masked() -> None:
    assert check_phone("139 0000 1111", "contact_phone") == "13900001111"
    assert check_phone("021-64381234", "contact_phone") == "021-64381234"
    assert masked_phone("13900001111") == "139*****1111"
    for bad in ("12345", "2139000011111", "电话"):
        with pytest.raises(InvalidInput) as caught:
            check_phone(bad, "contact_phone")
        assert caught.value.code == "cards.phone_invalid" and caught.value.extra == {"field": "contact_phone"}


def test_a_batch_is_completed_when_the_bank_answered_every_card() -> None:
    assert state_after_answer(3, 2) == BatchState.OPEN
    assert state_after_answer(3, 3) == BatchState.COMPLETED


def test_only_an_unfinished_batch_without_an_open_request_may_be_revoked() -> None:
    check_revocable(BatchState.OPEN, open_request=False)
    cases = [
        (BatchState.COMPLETED, False, "cards.revoke_completed"),
        (BatchState.REVOKED, False, "cards.batch_revoked"),
        (BatchState.OPEN, True, "cards.revoke_pending"),
    ]
    for state, open_request, code in cases:
        with pytest.raises(DomainError) as caught:
            check_revocable(state, open_request)
        assert caught.value.code == code


def test_the_district_or_above_reviews_once_and_a_rejection_needs_a_reason() -> None:
    for tier in (Tier.DISTRICT, Tier.CITY, Tier.ADMIN):
        check_reviewer(tier)
    for tier in (Tier.GRASSROOTS, Tier.SECONDARY, Tier.INSURER):
        with pytest.raises(Forbidden):
            check_reviewer(tier)
    check_reviewable(RevocationState.REVIEWING)
    for done in (RevocationState.APPROVED, RevocationState.REJECTED):
        with pytest.raises(DomainError) as caught:
            check_reviewable(done)
        assert caught.value.code == "cards.revocation_reviewed"
    assert check_reject_reason("  网点信息有误  ") == "网点信息有误"
    for empty in (None, "", "   "):
        with pytest.raises(InvalidInput):
            check_reject_reason(empty)


def test_the_personal_queue_is_the_platforms() -> None:
    check_platform(Tier.CITY)
    check_platform(Tier.ADMIN)
    with pytest.raises(Forbidden) as caught:
        check_platform(Tier.DISTRICT)
    assert caught.value.code == "cards.personal_platform_only"
