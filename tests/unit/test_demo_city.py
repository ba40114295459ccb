"""The demo city generator: deterministic, valid identifiers, and a tree the org service accepts."""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from contracts.org import OrgKind
from org.domain.rules import UNION_CODE
from org.domain.tree import CHILD_KINDS
from org.models import CoveredEnterpriseCreate, OrgCreate
from runtime.identity import validate_mobile, validate_uscc

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def tool(name: str) -> ModuleType:
    """tools/ holds scripts, not a package: import one by its file name."""
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    return importlib.import_module(name)


demo_city = tool("demo_city")
plan_city = demo_city.plan_city


def test_the_same_size_and_seed_give_the_same_city_and_another_seed_another() -> None:
    assert plan_city(150) == plan_city(150)
    assert plan_city(150, seed=7) != plan_city(150)
    assert [o.name for o in plan_city(150).bureaus] == [
        "黄浦区总工会",
        "徐汇区总工会",
        "长宁区总工会",
        "静安区总工会",
        "上海市教育工会",
    ]


@pytest.mark.parametrize("size", [11, 60, 200, 1500])
def test_the_tree_has_exactly_the_wanted_size_counting_the_automatic_temporary_unions(size: int) -> None:
    plan = plan_city(size)
    assert plan.total == size
    assert OrgKind.TEMPORARY not in {o.kind for o in plan.orgs}  # the org service makes those


def test_every_uscc_validates_and_every_union_code_is_unique_and_leaves_the_temporary_codes_free() -> None:
    plan = plan_city(1500, districts=16)
    usccs = [o.uscc for o in plan.orgs] + [e.uscc for o in plan.orgs for e in o.enterprises]
    assert all(validate_uscc(u) == u for u in usccs)
    codes = [o.union_code for o in plan.orgs]
    assert all(UNION_CODE.match(c) for c in codes)
    assert len(set(codes)) == len(codes)
    temporary = {b.union_code[:9] + "999" for b in plan.bureaus}
    assert not temporary & set(codes)


def test_kinds_follow_the_org_service_rules_and_codes_stay_under_their_bureau() -> None:
    plan = plan_city(600, districts=6)
    by_ref = {o.ref: o for o in plan.orgs}
    assert plan.root.kind is OrgKind.CITY and plan.root.parent is None
    bureau_of: dict[int, str] = {}
    for org in plan.orgs[1:]:
        parent = by_ref[org.parent]
        assert parent.ref < org.ref, "parents are created first"
        assert org.kind in CHILD_KINDS[parent.kind], (parent.kind, org.kind, org.name)
        bureau_of[org.ref] = org.union_code[:6] if parent is plan.root else bureau_of[parent.ref]
        assert org.union_code.startswith(bureau_of[org.ref])


def test_the_default_city_has_every_grassroots_kind_and_realistic_records() -> None:
    plan = plan_city()
    kinds = Counter(o.kind for o in plan.orgs)
    assert kinds[OrgKind.DISTRICT] == 5 and kinds[OrgKind.SECONDARY] >= 8
    assert kinds[OrgKind.STANDALONE] > kinds[OrgKind.JOINT] > kinds[OrgKind.FEDERATION] > 0
    assert kinds[OrgKind.BRANCH] > 0
    names = [o.name for o in plan.orgs]
    assert len(set(names)) == len(names)
    for org in plan.orgs[1:]:
        OrgCreate.model_validate(org.body(parent_id=1))  # what POST /orgs will parse
        assert org.contact_phone and validate_mobile(org.contact_phone)
        covers = org.kind in (OrgKind.STANDALONE, OrgKind.JOINT)
        assert 1 <= len(org.enterprises) <= 3 if covers else not org.enterprises
        for enterprise in org.enterprises:
            CoveredEnterpriseCreate(name=enterprise.name, uscc=enterprise.uscc, address=enterprise.address)
    grassroots = [o for o in plan.orgs if o.kind in (OrgKind.STANDALONE, OrgKind.JOINT)]
    assert {o.economic_type for o in grassroots} >= {"私营企业", "国有企业", "事业单位"}
    assert "信息传输、软件和信息技术服务业" in {o.industry for o in grassroots}


def test_a_city_too_small_for_its_bureaus_or_too_many_districts_is_refused() -> None:
    with pytest.raises(ValueError, match="至少为 11"):
        plan_city(10)
    with pytest.raises(ValueError):
        plan_city(200, districts=17)


def test_the_summary_survives_the_marker_file() -> None:
    plan = plan_city(40)
    summary = demo_city.DemoSummary.of(plan, {o.ref: 100 + o.ref for o in plan.orgs})
    assert demo_city.DemoSummary.from_json(summary.to_json()) == summary
    assert summary.orgs == 40 and summary.root.name == "上海市总工会"
    assert summary.grassroots == sum(
        o.kind not in (OrgKind.CITY, OrgKind.DISTRICT, OrgKind.SECONDARY) for o in plan.orgs
    )
