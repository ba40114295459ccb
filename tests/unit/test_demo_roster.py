"""The demo roster's plan on the demo city: deterministic, every row passes the members service's own
row rules for its uploader, every file passes the whole-file rules, people are distinct city-wide."""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType

from contracts.members import MemberCategory
from contracts.org import OrgKind
from members.domain import file_rules
from members.domain.roster import COLUMNS, RawRow
from members.domain.rows import ImportContext, OrgPlace, ValidRow, check_row
from runtime.tokens import Tier

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def tool(name: str) -> ModuleType:
    """tools/ holds scripts, not a package: import one by its file name."""
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    return importlib.import_module(name)


demo_city = tool("demo_city")
roster = tool("demo_roster_plan")


def _city() -> tuple[list, dict, int]:  # type: ignore[type-arg]
    """The default demo city as the org service lists it (ids = plan positions + 1), the 临时工会 aside."""
    plan = demo_city.plan_city()
    paths: dict[int, str] = {}
    unions = []
    for o in plan.orgs:
        paths[o.ref] = f"{paths[o.parent]}.{o.ref + 1}" if o.parent is not None else str(o.ref + 1)
        unions.append(roster.Union(o.ref + 1, o.name, o.union_code, o.kind.value, paths[o.ref]))
    covered = {o.ref + 1: [roster.Covered(e.name, e.uscc, e.address) for e in o.enterprises] for o in plan.orgs}
    home = next(u.id for u in unions if u.kind == OrgKind.STANDALONE)
    return unions, covered, home


def _checked(plan, unions) -> list[ValidRow]:  # type: ignore[no-untyped-def]
    """The rows of one file through the members service's rules, as its uploader."""
    scope = plan.uploader.path
    places = {
        u.union_code: OrgPlace(u.id, u.name, u.path, u.path == scope or u.path.startswith(scope + ".")) for u in unions
    }
    ctx = ImportContext(plan.category, places, date(2024, 3, 13), None)
    raw = [RawRow(i + 2, dict(zip([k for k, _ in COLUMNS], row, strict=True))) for i, row in enumerate(plan.rows)]
    file_rules.check_flexible(raw, plan.category)
    kept, repeated = file_rules.split_duplicates(raw)
    assert not repeated
    results = [check_row(r, ctx) for r in kept]
    problems = [r for r in results if not isinstance(r, ValidRow)]
    assert not problems, (plan.file_name, problems[:3])
    return results  # type: ignore[return-value]


def test_the_plan_is_deterministic_and_every_row_passes_the_import_rules() -> None:
    unions, covered, home = _city()
    plans = roster.plan_roster(unions, covered, home)
    assert plans == roster.plan_roster(unions, covered, home)
    assert len(plans) <= 15, "few files: each import job has a fixed cost in the service"
    valid = [row for p in plans for row in _checked(p, unions)]
    # checked: a few thousand distinct people, mostly 关联企业类, the flexible ones with flexible tags
    assert 2900 <= len(valid) <= 3100
    assert len({v.document.number for v in valid}) == len(valid)
    by_category = Counter(p.category for p in plans for _ in p.rows)
    assert by_category[MemberCategory.LINKED_ENTERPRISE] > 0.75 * len(valid)
    assert by_category[MemberCategory.FLEXIBLE] > 0 and by_category[MemberCategory.OUTSIDE_ENTERPRISE] > 0
    for p in plans:
        if p.category is MemberCategory.LINKED_ENTERPRISE:
            assert p.enterprise and all(len(row[-1]) >= 6 for row in p.rows)
            assert p.enterprise in covered[p.uploader.org_id], "the file's enterprise is one its union covers"


def test_the_demo_grassroots_union_uploads_its_own_roster_and_every_union_has_members() -> None:
    unions, covered, home = _city()
    plans = roster.plan_roster(unions, covered, home)
    own = [p for p in plans if p.uploader.org_id == home]
    assert [(p.uploader.tier, len(p.rows)) for p in own] == [(Tier.GRASSROOTS, roster.HOME_SIZE)]
    with_members = {row[6] for p in plans for row in p.rows}
    member_kinds = {OrgKind.STANDALONE, OrgKind.JOINT, OrgKind.BRANCH, OrgKind.FEDERATION}
    assert {u.union_code for u in unions if u.kind in member_kinds} <= with_members
    assert {p.uploader.tier for p in plans} == {Tier.GRASSROOTS, Tier.CITY}
    linked_per_bureau = Counter(p.uploader.path.split(".")[1] for p in plans if p.uploader.tier is Tier.GRASSROOTS)
    assert len(linked_per_bureau) == 5, "every district/bureau has unions sending their own roster"


def test_the_home_union_is_the_demo_grassroots_logins() -> None:
    """As gateway.seed picks it: city → first district → its first 二级工会 → first grassroots union."""
    unions, _, _ = _city()
    home = roster.demo_grassroots(unions)
    district = min((u for u in unions if u.kind == OrgKind.DISTRICT), key=lambda u: u.id)
    secondary = min((u for u in unions if u.kind == OrgKind.SECONDARY and u.path.startswith(district.path + ".")),
                    key=lambda u: u.id)  # fmt: skip
    grassroots = (OrgKind.STANDALONE, OrgKind.JOINT, OrgKind.FEDERATION)
    below = [u for u in unions if u.path.startswith(secondary.path + ".") and u.kind in grassroots]
    assert home is not None and home.id == min(u.id for u in below)


def test_a_home_union_without_enterprises_sends_flexible_workers() -> None:
    unions, covered, _ = _city()
    federation = next(u for u in unions if u.kind == OrgKind.FEDERATION)
    [own] = [p for p in roster.plan_roster(unions, covered, federation.id) if p.uploader.org_id == federation.id]
    assert own.category is MemberCategory.FLEXIBLE and own.uploader.tier is Tier.GRASSROOTS
    _checked(own, unions)
