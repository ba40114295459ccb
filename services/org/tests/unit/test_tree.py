"""Org tree rules, as plain functions."""

import pytest

from contracts.org import OrgKind
from org.domain import rules, tree
from runtime.errors import DomainError, InvalidInput


def test_kinds_hang_where_the_manuals_put_them():
    tree.check_child_kind(OrgKind.CITY, OrgKind.DISTRICT)
    tree.check_child_kind(OrgKind.DISTRICT, OrgKind.SECONDARY)
    tree.check_child_kind(OrgKind.SECONDARY, OrgKind.JOINT)
    tree.check_child_kind(OrgKind.STANDALONE, OrgKind.BRANCH)
    with pytest.raises(InvalidInput) as refused:
        tree.check_child_kind(OrgKind.CITY, OrgKind.STANDALONE)
    assert refused.value.code == "org.kind_not_allowed"
    assert refused.value.title == "“市总工会”下不能设“单独基层工会”"
    with pytest.raises(InvalidInput) as temporary:
        tree.check_child_kind(OrgKind.DISTRICT, OrgKind.TEMPORARY)
    assert temporary.value.code == "org.temporary_is_automatic"


def test_paths_ancestors_and_district():
    assert tree.child_path("1.12", 340) == "1.12.340"
    assert tree.ancestors("1.12.340") == [1, 12, 340]
    assert tree.district_of("1.12.340") == 12 and tree.district_of("1") is None
    assert tree.is_within("1.12.340", "1.12") and not tree.is_within("1.120", "1.12")
    assert tree.moved_path("1.12.340.341", "1.12.340", "1.15.340") == "1.15.340.341"


def test_a_move_under_its_own_subtree_or_of_a_district_is_refused():
    with pytest.raises(DomainError) as own:
        tree.check_move("1.12.30", OrgKind.SECONDARY, "1.12.30.31", OrgKind.SECONDARY)
    assert own.value.code == "org.move_into_own_subtree"
    with pytest.raises(DomainError) as district:
        tree.check_move("1.12", OrgKind.DISTRICT, "1.15", OrgKind.DISTRICT)
    assert district.value.code == "org.move_not_allowed"
    tree.check_move("1.12.30.40", OrgKind.STANDALONE, "1.15", OrgKind.DISTRICT)


def test_only_an_empty_ordinary_org_may_be_deleted():
    rules.check_deletable(OrgKind.STANDALONE, children=0, members=0)
    for kind, children, members, code in [
        (OrgKind.STANDALONE, 1, 0, "org.has_children"),
        (OrgKind.STANDALONE, 0, 62, "org.has_members"),
        (OrgKind.TEMPORARY, 0, 0, "org.delete_not_allowed"),
        (OrgKind.CITY, 0, 0, "org.delete_not_allowed"),
    ]:
        with pytest.raises(DomainError) as refused:
            rules.check_deletable(kind, children, members)
        assert refused.value.code == code
    with pytest.raises(DomainError) as has_members:
        rules.check_deletable(OrgKind.JOINT, 0, 62)
    assert has_members.value.title == "该组织还有 62 名会员，请先转移或删除会员"


def test_union_code_is_twelve_digits_like_the_manual():
    assert rules.check_union_code("310106000016") == "310106000016"
    with pytest.raises(InvalidInput) as bad:
        rules.check_union_code("31010600001")
    assert bad.value.code == "org.union_code_format"
