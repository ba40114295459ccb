"""Membership, transfer and compare rules."""

from __future__ import annotations

import pytest

from members.domain.compare import compare
from members.domain.jobs import Handling
from members.domain.membership import check_active, check_deletion_reason, member_number
from members.domain.transfers import (
    check_member_ids,
    check_pending,
    check_reason,
    check_target,
    check_within_district,
)
from runtime.errors import DomainError, InvalidInput


@pytest.mark.parametrize("reason", ["退休", "犯罪", "死亡"])
def test_the_three_deletion_reasons_are_accepted(reason: str) -> None:
    assert check_deletion_reason(reason) == reason


@pytest.mark.parametrize("reason", ["离职", "", "退休 ", "other"])
def test_any_other_deletion_reason_is_refused(reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_deletion_reason(reason)
    assert caught.value.code == "member.delete_reason_invalid" and "临时工会" in caught.value.title


def test_a_deleted_member_cannot_be_handled_again() -> None:
    check_active("正常")
    with pytest.raises(DomainError) as caught:
        check_active("已删除")
    assert caught.value.code == "member.deleted"


def test_member_numbers_are_the_prefix_and_ten_digits() -> None:
    assert member_number("SH", 1) == "SH0000000001"
    assert member_number("SH", 9_999_999_999) == "SH9999999999"
    for bad in (0, 10_000_000_000):
        with pytest.raises(ValueError):
            member_number("SH", bad)


def test_transfer_rules() -> None:
    assert check_reason("  调动  ") == "调动"
    with pytest.raises(InvalidInput, match="转移原因"):
        check_reason("调")
    check_target(1, 2)
    with pytest.raises(DomainError) as same:
        check_target(3, 3)
    assert same.value.code == "transfer.same_org"
    check_within_district("1.12.340", 12)
    check_within_district("1.12.340", None)
    with pytest.raises(InvalidInput) as elsewhere:
        check_within_district("1.12.340", 13)
    assert elsewhere.value.code == "transfer.target_not_in_district"
    check_pending("待审核")
    with pytest.raises(DomainError) as reviewed:
        check_pending("已通过")
    assert reviewed.value.code == "transfer.already_reviewed"


@pytest.mark.parametrize(
    ("ids", "code"),
    [([], "transfer.members_required"), (["a", "a"], "transfer.duplicate_members"),
     ([str(i) for i in range(501)], "transfer.too_many")],
)  # fmt: skip
def test_transfer_member_lists(ids: list[str], code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_member_ids(ids)
    assert caught.value.code == code
    check_member_ids(["a", "b"])


def test_compare_reports_both_sides_once() -> None:
    platform = {b"a": "m-a", b"b": "m-b", b"c": "m-c"}
    result = compare(platform, [(b"a", "row a"), (b"x", "row x"), (b"x", "row x again"), (b"y", "row y")])
    assert sorted(result.missing_from_file) == ["m-b", "m-c"]
    assert result.missing_from_platform == ["row x", "row y"]
    assert compare({}, []).missing_from_platform == []


def test_handling_choices() -> None:
    assert [h for h in Handling if h.deletes] == [Handling.RETIRED, Handling.DECEASED, Handling.CONVICTED]
