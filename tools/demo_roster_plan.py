"""The demo roster's plan (tools/demo_roster.py imports it): who uploads which file with whom in it.

Who uploads what, as the manuals have it:
- 关联企业类: a couple of grassroots unions per district/bureau each upload their roster for one covered
  enterprise (work unit = the enterprise, address = its address, ≥ 6 characters), the demo grassroots
  login's union (jiceng) among them — a union that covers no enterprise sends 灵活就业类 instead;
- 灵活就业类 (flexible-employment tags only, over the 联合工会 and 工会联合会) and 企业外入会类 (over
  every union members belong to): the city uploads one file of each, so every union has members.
`plan_roster` is pure: the same unions and seed give the same people (ID numbers from
`runtime.identity.make_id_number`), so importing again updates nobody twice (upsert by ID number).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from demo_city import DISTRICTS, GIVEN, MOBILE_PREFIXES, SURNAMES

from contracts.members import MemberCategory
from contracts.org import OrgKind
from members.domain.roster import COLUMNS
from runtime.identity import make_id_number
from runtime.tokens import Tier

DEFAULT_SIZE, DEFAULT_SEED = 3000, 2024
LINKED_UNIONS_PER_BUREAU = 2  # few files: each import job costs the service about half a second
HOME_SIZE = 60  # jiceng's own union: enough to page through, few enough to read
LINKED = MemberCategory.LINKED_ENTERPRISE
SHARES = {LINKED: 0.8, MemberCategory.FLEXIBLE: 0.1, MemberCategory.OUTSIDE_ENTERPRISE: 0.1}
HEADER = [header for _, header in COLUMNS]
BORN_FROM, BORN_DAYS = date(1966, 1, 1), 38 * 365  # aged about 20 to 58
HOMETOWNS = ("310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310115")
ELSEWHERE = ("320102", "330106", "340104", "360102", "410105", "420106", "430102", "510104", "500103")
FLEXIBLE_WORK = {
    "快递物流": "快递服务站",
    "网约送餐": "外卖配送站",
    "货运驾驶": "货运服务平台",
    "家政服务": "家政服务中心",
    "护工护理": "护理服务站",
    "物业保安": "保安服务有限公司",
    "保洁环卫": "环卫服务队",
}
LINKED_TAGS = (("", 87), ("劳务派遣", 8), ("外包工", 5))
MEMBER_KINDS = (OrgKind.STANDALONE, OrgKind.JOINT, OrgKind.BRANCH, OrgKind.FEDERATION)
FLEXIBLE_KINDS = (OrgKind.JOINT, OrgKind.FEDERATION)  # riders and couriers join area unions
COVERING_KINDS = (OrgKind.STANDALONE, OrgKind.JOINT)  # the kinds the demo city gives enterprises
ROADS = {b.code: b for b in DISTRICTS}


@dataclass(frozen=True)
class Union:
    id: int
    name: str
    union_code: str
    kind: str
    path: str

    @property
    def bureau_id(self) -> int | None:
        ids = self.path.split(".")
        return int(ids[1]) if len(ids) > 1 else None


@dataclass(frozen=True)
class Covered:
    """A covered enterprise (覆盖企业) of a union."""

    name: str
    uscc: str
    address: str


@dataclass(frozen=True)
class Uploader:
    tier: Tier
    org_id: int
    path: str


@dataclass(frozen=True)
class PlannedImport:
    file_name: str
    category: MemberCategory
    uploader: Uploader
    rows: tuple[tuple[str, ...], ...]
    enterprise: Covered | None = None

    def form(self) -> dict[str, str]:
        """The upload's form fields besides the file."""
        fields = {"data_type": self.category.value}
        if self.enterprise is not None:
            fields |= {"enterprise_name": self.enterprise.name, "enterprise_uscc": self.enterprise.uscc}
        return fields


@dataclass
class Crowd:
    """Distinct people: valid ID numbers (sex and birth date consistent), mobiles, Chinese names."""

    rng: random.Random
    seen: set[str] = field(default_factory=set)

    def person(self, regions: Sequence[str]) -> tuple[str, str, str, str]:
        while True:
            male = self.rng.random() < 0.55
            born = BORN_FROM + timedelta(days=self.rng.randrange(BORN_DAYS))
            number = make_id_number(self.rng.choice(regions), born, self.rng.randrange(500), male)
            if number not in self.seen:
                self.seen.add(number)
                break
        name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
        phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
        return name, number, phone, "男" if male else "女"

    def row(self, union: Union, regions: Sequence[str], work_unit: str, tag: str, address: str) -> tuple[str, ...]:
        name, number, phone, gender = self.person(regions)
        return (name, "身份证", number, phone, gender, union.name, union.union_code, work_unit, tag, address)


def split(total: int, weights: Sequence[int]) -> list[int]:
    """`total` shared out in proportion to `weights` (the remainder to the first ones)."""
    if not weights:
        return []
    shares = [total * w // sum(weights) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % len(shares)] += 1
    return shares


def address(rng: random.Random, bureau_code: str) -> str:
    home = ROADS.get(bureau_code) or rng.choice(DISTRICTS)
    return f"上海市{home.place}{rng.choice(home.roads)}{rng.randint(1, 1999)}号"


def demo_grassroots(unions: Sequence[Union]) -> Union | None:
    """The union of the demo grassroots login (jiceng), picked as `gateway.seed.demo_accounts` picks
    it, all by id: the city → its first district → that one's first 二级工会 → the first grassroots
    union below (单独基层工会, 联合工会 or 工会联合会)."""

    def first(below: Union | None, kinds: Iterable[str]) -> Union | None:
        found = [u for u in unions if u.kind in kinds and (below is None or u.path.startswith(below.path + "."))]
        return min(found, key=lambda u: u.id, default=None)

    city = first(None, [OrgKind.CITY])
    district = first(city, [OrgKind.DISTRICT]) if city else None
    secondary = first(district, [OrgKind.SECONDARY]) if district else None
    top = secondary or district
    return first(top, [OrgKind.STANDALONE, OrgKind.JOINT, OrgKind.FEDERATION]) if top else None


def member_unions(unions: Iterable[Union]) -> list[Union]:
    """The unions members belong to, in union-code order (the same on every load of the demo city)."""
    return sorted((u for u in unions if u.kind in MEMBER_KINDS), key=lambda u: u.union_code)


def linked_unions(unions: Iterable[Union], home: int | None) -> list[Union]:
    """The unions that upload a 关联企业类 roster: the home union first, then a few per district/bureau
    spread over its codes, among the kinds that cover enterprises."""
    members = member_unions(unions)
    chosen = [u for u in members if u.id == home]
    by_bureau: dict[int | None, list[Union]] = {}
    for u in members:
        if u.kind in COVERING_KINDS and u.id != home:
            by_bureau.setdefault(u.bureau_id, []).append(u)
    for candidates in by_bureau.values():
        step = max(1, len(candidates) // LINKED_UNIONS_PER_BUREAU)
        chosen += candidates[::step][:LINKED_UNIONS_PER_BUREAU]
    return chosen


def plan_roster(
    unions: Sequence[Union],
    covered: Mapping[int, Sequence[Covered]],
    home: int | None,
    size: int = DEFAULT_SIZE,
    seed: int = DEFAULT_SEED,
) -> list[PlannedImport]:
    """The imports, in upload order. `covered` holds the enterprises of the `linked_unions`; `home`
    is the demo grassroots login's union. The city uploads the flexible and outside-enterprise files."""
    crowd = Crowd(random.Random(seed))
    root = next(u for u in unions if u.kind == OrgKind.CITY)
    city = Uploader(Tier.CITY, root.id, root.path)
    plans = _linked(crowd, linked_unions(unions, home), covered, home, round(size * SHARES[LINKED]))
    members = member_unions(unions)
    for category in (MemberCategory.FLEXIBLE, MemberCategory.OUTSIDE_ENTERPRISE):
        over = [u for u in members if u.kind in FLEXIBLE_KINDS] if category is MemberCategory.FLEXIBLE else members
        plans.append(
            _spread(crowd, city, f"{root.name}{category.value}", over, category, round(size * SHARES[category]))
        )
    return plans


def _linked(
    crowd: Crowd, unions: list[Union], covered: Mapping[int, Sequence[Covered]], home: int | None, total: int
) -> list[PlannedImport]:
    sizes = iter(split(max(0, total - HOME_SIZE), [crowd.rng.randint(1, 4) for u in unions if u.id != home]))
    plans = []
    for union in unions:
        count = HOME_SIZE if union.id == home else next(sizes)
        clerk = Uploader(Tier.GRASSROOTS, union.id, union.path)
        found = covered.get(union.id) or ()
        if not found:  # a union covering no enterprise (a federation, say): its people are flexible workers
            plans.append(_spread(crowd, clerk, union.name, [union], MemberCategory.FLEXIBLE, count))
            continue
        enterprise = found[0]
        rows = tuple(
            crowd.row(union, HOMETOWNS, enterprise.name, _linked_tag(crowd.rng), enterprise.address)
            for _ in range(count)
        )
        name = f"{enterprise.name}会员名册.xlsx"
        plans.append(PlannedImport(name, LINKED, clerk, rows, enterprise))
    return plans


def _linked_tag(rng: random.Random) -> str:
    return rng.choices([t for t, _ in LINKED_TAGS], [w for _, w in LINKED_TAGS])[0]


def _spread(
    crowd: Crowd, uploader: Uploader, title: str, unions: list[Union], category: MemberCategory, count: int
) -> PlannedImport:
    """One file over `unions`, round robin: flexible workers with their tag and platform, or people
    who joined outside an enterprise."""
    rng, rows = crowd.rng, []
    for union in itertools.islice(itertools.cycle(unions), count):
        if category is MemberCategory.FLEXIBLE:
            tag = rng.choice(list(FLEXIBLE_WORK))
            work = f"上海{''.join(rng.sample('申浦沪达顺捷通安众邦', 2))}{FLEXIBLE_WORK[tag]}"
            where = address(rng, union.union_code[:6])
            rows.append(crowd.row(union, (*HOMETOWNS, *ELSEWHERE), work, tag, where))
        else:
            rows.append(crowd.row(union, HOMETOWNS, "", "企业外入会人员", ""))
    return PlannedImport(f"{title}会员名册.xlsx", category, uploader, tuple(rows))
