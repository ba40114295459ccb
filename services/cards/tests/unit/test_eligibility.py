"""Who gets into the card workbench (DOMAIN.md §4)."""

from __future__ import annotations

import pytest

from cards.domain.eligibility import (
    ADDRESS_TOO_SHORT,
    DELETED,
    NO_NUMBER,
    NOT_LINKED,
    Candidate,
    Eligibility,
    card_eligibility,
)

ADDRESS = "上海市徐汇区虹漕路88号"


def test_an_active_linked_enterprise_member_with_number_and_address_is_eligible() -> None:
    assert card_eligibility(Candidate("关联企业类", "SH0000000001", ADDRESS, True)) == Eligibility(True, "", True)


def test_six_characters_of_address_are_enough_five_are_not() -> None:
    assert card_eligibility(Candidate("关联企业类", "SH1", "上海市徐汇区", True)).eligible
    verdict = card_eligibility(Candidate("关联企业类", "SH1", "上海市徐汇", True))
    assert verdict == Eligibility(False, ADDRESS_TOO_SHORT, False)
    # surrounding spaces do not count as characters
    assert not card_eligibility(Candidate("关联企业类", "SH1", "  上海市徐汇  ", True)).eligible


def test_without_a_number_the_member_is_listed_but_not_eligible() -> None:
    assert card_eligibility(Candidate("关联企业类", None, ADDRESS, True)) == Eligibility(False, NO_NUMBER, True)
    assert card_eligibility(Candidate("关联企业类", "", ADDRESS, True)).reason == NO_NUMBER


@pytest.mark.parametrize("category", ["灵活就业类", "企业外入会类"])
def test_flexible_and_outside_enterprise_members_apply_personally(category: str) -> None:
    verdict = card_eligibility(Candidate(category, "SH1", ADDRESS, True))
    assert verdict == Eligibility(False, NOT_LINKED, False) and "申工社" in verdict.reason


def test_a_deleted_member_is_out_whatever_else_holds() -> None:
    assert card_eligibility(Candidate("关联企业类", "SH1", ADDRESS, False)) == Eligibility(False, DELETED, False)
