"""How a check is answered: only what was asked, temporary failures at the configured rate."""

from __future__ import annotations

from contracts.socialsec import CheckKind
from socialsec.domain.answers import TEMPORARY_FAILURE, answer, failed, fails_temporarily
from socialsec.domain.people import PersonFacts

RETIREE = PersonFacts(
    found=True,
    name_on_record="王晓铭",
    retired=True,
    retirement_month="2019-07",
    ss_card_held=True,
    medical_insured=True,
    withholdable=True,
)


def test_only_the_kinds_asked_for_are_answered() -> None:
    result = answer("row-1", "王晓明", RETIREE, [CheckKind.RETIREMENT])
    assert (result.found, result.retired, result.retirement_month) == (True, True, "2019-07")
    assert (result.name_on_record, result.ss_card_held, result.withholdable) == ("", False, False)
    full = answer("row-1", "王晓明", RETIREE, list(CheckKind))
    assert (full.name_on_record, full.name_matches, full.ss_card_held, full.medical_insured, full.withholdable) == (
        "王晓铭",
        False,
        True,
        True,
        True,
    )


def test_someone_not_on_the_register_is_reported_as_not_found() -> None:
    result = answer("row-2", "赵静", PersonFacts(found=False), list(CheckKind))
    assert (result.found, result.name_matches, result.retired, result.failure) == (False, False, False, "")


def test_temporary_failures_follow_the_rate_and_differ_per_version() -> None:
    first = [fails_temporarily("s1", 0.1, "chk-1", 1, f"row-{i}") for i in range(1000)]
    assert 60 <= sum(first) <= 140  # 10 % of 1,000
    assert first == [fails_temporarily("s1", 0.1, "chk-1", 1, f"row-{i}") for i in range(1000)]
    assert first != [fails_temporarily("s1", 0.1, "chk-1", 2, f"row-{i}") for i in range(1000)]
    assert not any(fails_temporarily("s1", 0.0, "chk-1", 1, f"row-{i}") for i in range(1000))
    assert failed("row-9").failure == TEMPORARY_FAILURE and not failed("row-9").found
