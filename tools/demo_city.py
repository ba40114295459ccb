"""Demo data: a deterministic, realistic Shanghai union tree for `make run` and for trying the screens.

上海市总工会 → 区局（产业）工会 (the org service gives each its 临时工会) → 街道/镇总工会 (二级工会)
→ grassroots unions of the four kinds: 单独基层工会 (most, some with 分工会/工会小组), 联合工会,
工会联合会 (with their member unions). Every org has a valid USCC and a unique 12-digit union code
under its bureau's prefix (3101xx + 6 digits); standalone and joint unions cover 1–3 enterprises.

`plan_city` is pure: the same size and seed give the same tree. `load` builds it on a running org
service: the city root through the org use case on its database (the root has no HTTP route),
everything else through the HTTP API with a SYSTEM token, so every rule of the service applies.
Loading again resumes: orgs whose union code exists are kept. `uv run python tools/demo_city.py -h`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from sqlmodel import col, select

from contracts.org import GRASSROOTS, OrgKind
from org.models import Org
from org.service import orgs
from runtime.db import create_engine, session_factory
from runtime.errors import DomainError
from runtime.identity import make_uscc
from runtime.settings import ServiceSettings
from runtime.tokens import Principal, Tier, issue

DEFAULT_SIZE, DEFAULT_DISTRICTS, DEFAULT_SEED = 200, 4, 2024
CITY_NAME, CITY_CODE = "上海市总工会", "310000000000"
TEMPORARY_SEQ = 999  # the org service gives each bureau's 临时工会 the code <prefix>000999


@dataclass(frozen=True)
class Bureau:
    """A district union (区总工会) or an industry union (产业工会) directly under the city."""

    name: str
    code: str  # 6-digit prefix of its unions' codes: the district's division code
    streets: tuple[str, ...] = ()  # 街道/镇: their 总工会 are the secondary unions
    roads: tuple[str, ...] = ()

    @property
    def place(self) -> str:
        return self.name.removesuffix("总工会")


def _bureau(name: str, code: str, streets: str, roads: str) -> Bureau:
    return Bureau(name, code, tuple(streets.split()), tuple(roads.split()))


DISTRICTS = (
    _bureau(
        "黄浦区总工会",
        "310101",
        "南京东路街道 外滩街道 豫园街道 老西门街道 打浦桥街道 淮海中路街道",
        "南京东路 淮海中路 西藏南路 中山南路 复兴中路",
    ),
    _bureau(
        "徐汇区总工会",
        "310104",
        "天平路街道 湖南路街道 漕河泾街道 田林街道 虹梅路街道 华泾镇",
        "漕溪北路 肇嘉浜路 虹漕路 宜山路 龙华中路",
    ),
    _bureau(
        "长宁区总工会",
        "310105",
        "华阳路街道 江苏路街道 新华路街道 天山路街道 仙霞新村街道 新泾镇",
        "长宁路 天山路 仙霞路 延安西路 虹桥路",
    ),
    _bureau(
        "静安区总工会",
        "310106",
        "南京西路街道 静安寺街道 江宁路街道 大宁路街道 临汾路街道 彭浦镇",
        "南京西路 延安中路 共和新路 广中西路 汶水路",
    ),
    _bureau(
        "普陀区总工会",
        "310107",
        "曹杨新村街道 长风新村街道 长寿路街道 宜川路街道 长征镇 桃浦镇",
        "曹杨路 金沙江路 武宁路 长寿路 真北路",
    ),
    _bureau(
        "虹口区总工会",
        "310109",
        "欧阳路街道 曲阳路街道 广中路街道 嘉兴路街道 四川北路街道 北外滩街道",
        "四川北路 大连路 曲阳路 西江湾路 东大名路",
    ),
    _bureau(
        "杨浦区总工会",
        "310110",
        "定海路街道 平凉路街道 四平路街道 控江路街道 五角场街道 新江湾城街道",
        "四平路 黄兴路 控江路 国权路 政立路",
    ),
    _bureau(
        "闵行区总工会",
        "310112",
        "江川路街道 古美街道 莘庄镇 七宝镇 梅陇镇 浦江镇",
        "沪闵路 莘松路 七莘路 虹梅南路 剑川路",
    ),
    _bureau(
        "宝山区总工会",
        "310113",
        "友谊路街道 吴淞街道 大场镇 杨行镇 罗店镇 顾村镇",
        "牡丹江路 友谊路 沪太路 长江西路 同济路",
    ),
    _bureau(
        "嘉定区总工会",
        "310114",
        "新成路街道 真新街道 南翔镇 安亭镇 马陆镇 江桥镇",
        "博乐路 城中路 嘉松北路 墨玉路 曹安公路",
    ),
    _bureau(
        "浦东新区总工会",
        "310115",
        "陆家嘴街道 潍坊新村街道 花木街道 张江镇 川沙新镇 三林镇",
        "世纪大道 张江路 浦东南路 杨高中路 川沙路",
    ),
    _bureau(
        "金山区总工会",
        "310116",
        "石化街道 朱泾镇 枫泾镇 亭林镇 金山卫镇 山阳镇",
        "金山大道 卫零路 龙胜路 亭卫公路 朱枫公路",
    ),
    _bureau(
        "松江区总工会",
        "310117",
        "岳阳街道 方松街道 中山街道 泗泾镇 车墩镇 九亭镇",
        "人民北路 中山中路 荣乐东路 九新公路 文诚路",
    ),
    _bureau(
        "青浦区总工会",
        "310118",
        "夏阳街道 盈浦街道 香花桥街道 朱家角镇 徐泾镇 赵巷镇",
        "公园路 城中北路 青松路 崧泽大道 华新公路",
    ),
    _bureau(
        "奉贤区总工会",
        "310120",
        "西渡街道 奉浦街道 南桥镇 奉城镇 金汇镇 柘林镇",
        "解放东路 金海公路 南奉公路 环城东路 望园路",
    ),
    _bureau(
        "崇明区总工会", "310151", "城桥镇 堡镇 新河镇 陈家镇 长兴镇 横沙乡", "八一路 人民路 翠竹路 陈海公路 北沿公路"
    ),
)
EDUCATION = Bureau("上海市教育工会", "310190")  # an industry union: schools all over the city


@dataclass(frozen=True)
class Sector:
    industry: str  # GB/T 4754 门类
    trades: tuple[str, ...]  # what its units call themselves: 上海华申「信息科技」有限公司
    weight: int


COMPANY_SECTORS = (
    Sector("制造业", ("精密机械", "电子科技", "汽车零部件", "新材料", "生物医药", "智能装备"), 24),
    Sector("信息传输、软件和信息技术服务业", ("信息科技", "软件", "网络科技", "数据技术"), 16),
    Sector("批发和零售业", ("商贸", "国际贸易", "医药连锁", "超市"), 14),
    Sector("建筑业", ("建设工程", "建筑装饰", "市政工程"), 8),
    Sector("交通运输、仓储和邮政业", ("物流", "供应链管理", "快递服务", "公共交通"), 8),
    Sector("住宿和餐饮业", ("餐饮管理", "酒店管理"), 6),
    Sector("金融业", ("投资管理", "融资租赁", "保险代理"), 5),
    Sector("房地产业", ("物业管理", "置业"), 6),
    Sector("租赁和商务服务业", ("企业管理咨询", "人力资源", "会展服务"), 7),
    Sector("科学研究和技术服务业", ("检测技术", "工程设计", "环保科技"), 6),
)
PUBLIC_SECTORS = (
    Sector("教育", ("中学", "小学", "实验学校", "幼儿园"), 3),
    Sector("卫生和社会工作", ("社区卫生服务中心", "养老院"), 2),
)
CITY_SCHOOLS = Sector("教育", ("中学", "高级中学", "实验学校", "职业技术学校", "职业技术学院"), 1)
ECONOMIC_TYPES = {
    "私营企业": 50,
    "国有企业": 12,
    "股份有限公司": 10,
    "外商投资企业": 10,
    "港澳台商投资企业": 5,
    "集体企业": 3,
}
PUBLIC_INSTITUTION = "事业单位"
BRAND = "华申浦沪东海新远宏恒瑞达博锦鑫联盛安泰康明汇嘉信捷誉卓凯丰源光德振兴"
FOREIGN = ("阿尔特", "菲德曼", "克莱恩", "贝克斯", "诺威", "卡斯顿", "艾森", "维特")
DEPARTMENTS = ("研发中心", "生产一车间", "生产二车间", "销售部", "财务部", "行政人事部", "质量管理部", "物流中心")
SCHOOL_GROUPS = ("语文教研组", "数学教研组", "英语教研组", "理科教研组", "后勤保障部", "行政办公室")
AREAS = ("大厦", "商务广场", "科技园", "创意园", "商业街")
PARKS = ("工业园区", "经济城", "商会", "科技园区")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = (
    "伟",
    "芳",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "建华",
    "海燕",
    "晓东",
    "志强",
    "文杰",
    "佳怡",
    "思远",
    "雪梅",
)
MOBILE_PREFIXES = ("139", "138", "137", "135", "136", "186", "188", "150", "151", "158", "177", "181", "191")


Naming = Callable[[str, str], str]  # (brand, trade) -> a unit's name


@dataclass(frozen=True)
class Enterprise:
    """A covered enterprise (覆盖企业)."""

    name: str
    uscc: str
    address: str


@dataclass(frozen=True)
class Workplace:
    """The unit a grassroots union is set up in."""

    enterprise: Enterprise
    economic_type: str
    industry: str


@dataclass(frozen=True)
class PlannedOrg:
    ref: int  # position in the plan; a parent always comes before its children
    parent: int | None
    kind: OrgKind
    name: str
    union_code: str
    uscc: str
    economic_type: str | None = None
    industry: str | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    enterprises: tuple[Enterprise, ...] = ()

    def body(self, parent_id: int) -> dict[str, Any]:
        """The POST /orgs request."""
        fields = {k: v for k, v in asdict(self).items() if v is not None and k not in ("ref", "parent", "enterprises")}
        return {**fields, "kind": self.kind.value, "parent_id": parent_id}


@dataclass(frozen=True)
class CityPlan:
    orgs: tuple[PlannedOrg, ...]

    @property
    def root(self) -> PlannedOrg:
        return self.orgs[0]

    @property
    def bureaus(self) -> list[PlannedOrg]:
        return [o for o in self.orgs if o.kind is OrgKind.DISTRICT]

    @property
    def total(self) -> int:
        """Orgs in the tree once loaded: each bureau's 临时工会 comes from the org service."""
        return len(self.orgs) + len(self.bureaus)

    def bureau_subtrees(self) -> list[list[PlannedOrg]]:
        """Everything under the root, one list per bureau: the bureau first, then parents before children."""
        top: dict[int, int] = {}
        subtrees: dict[int, list[PlannedOrg]] = {}
        for org in self.orgs[1:]:
            top[org.ref] = org.ref if org.parent == self.root.ref else top[org.parent]  # type: ignore[index]
            subtrees.setdefault(top[org.ref], []).append(org)
        return list(subtrees.values())


@dataclass
class Planner:
    """Hands out codes, names and people; counts against the wanted size."""

    size: int
    seed: int
    orgs: list[PlannedOrg] = field(default_factory=list)
    automatic: int = 0  # 临时工会 the org service adds with each bureau

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._uscc_seeds = itertools.count(1)
        self._seq: dict[str, itertools.count[int]] = {}
        self._names: set[str] = set()

    @property
    def room(self) -> int:
        return self.size - len(self.orgs) - self.automatic

    def add(self, parent: PlannedOrg | None, kind: OrgKind, name: str, code: str, **info: Any) -> PlannedOrg:
        org = PlannedOrg(len(self.orgs), parent.ref if parent else None, kind, name, code, self.uscc(), **info)
        self.orgs.append(org)
        return org

    def code(self, bureau: Bureau) -> str:
        seq = next(self._seq.setdefault(bureau.code, itertools.count(1)))
        if seq == TEMPORARY_SEQ:
            seq = next(self._seq[bureau.code])
        return f"{bureau.code}{seq:06d}"

    def uscc(self) -> str:
        return make_uscc(next(self._uscc_seeds))

    def contact(self) -> dict[str, str]:
        name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
        phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
        return {"contact_name": name, "contact_phone": phone}

    def address(self, bureau: Bureau) -> str:
        home = bureau if bureau.roads else self.rng.choice(DISTRICTS)
        return f"上海市{home.place}{self.rng.choice(home.roads)}{self.rng.randint(1, 1999)}号"

    def unique(self, make_name: Callable[[str], str]) -> str:
        """A name not used yet; brands get longer if the short ones run out."""
        for attempt in itertools.count():
            brand = "".join(self.rng.sample(BRAND, 2 + attempt // 20))
            name = make_name(brand)
            if name not in self._names:
                self._names.add(name)
                return name
        raise AssertionError("unreachable")

    def workplace(self, bureau: Bureau, sector: Sector, economic_type: str, naming: Naming) -> Workplace:
        trade = self.rng.choice(sector.trades)
        name = self.unique(lambda brand: naming(brand, trade))
        return Workplace(Enterprise(name, self.uscc(), self.address(bureau)), economic_type, sector.industry)

    def company(self, bureau: Bureau, economic_type: str | None = None) -> Workplace:
        sector = self.rng.choices(COMPANY_SECTORS, [s.weight for s in COMPANY_SECTORS])[0]
        kind = economic_type or self.rng.choices(list(ECONOMIC_TYPES), list(ECONOMIC_TYPES.values()))[0]
        foreign = self.rng.choice(FOREIGN)
        naming: Naming = {
            "股份有限公司": lambda brand, trade: f"上海{brand}{trade}股份有限公司",
            "外商投资企业": lambda brand, trade: f"上海{brand}{foreign}{trade}有限公司",
        }.get(kind, lambda brand, trade: f"上海{brand}{trade}有限公司")
        return self.workplace(bureau, sector, kind, naming)

    def institution(self, bureau: Bureau) -> Workplace:
        """A school or a health institution (事业单位)."""
        if not bureau.roads:
            return self.workplace(bureau, CITY_SCHOOLS, PUBLIC_INSTITUTION, lambda b, t: f"上海市{b}{t}")
        sector = self.rng.choices(PUBLIC_SECTORS, [s.weight for s in PUBLIC_SECTORS])[0]
        return self.workplace(bureau, sector, PUBLIC_INSTITUTION, lambda b, t: f"上海市{bureau.place}{b}{t}")

    def branch_offices(self, company: Workplace) -> tuple[Enterprise, ...]:
        """0–2 branch companies (分公司: 上海华申软件有限公司浦东分公司), covered by the company's union too."""
        count = self.rng.choice((0, 0, 0, 1, 1, 2))
        return tuple(
            Enterprise(
                f"{company.enterprise.name}{home.place.removesuffix('新区').removesuffix('区')}分公司",
                self.uscc(),
                self.address(home),
            )
            for home in self.rng.sample(DISTRICTS, count)
        )


def plan_city(
    size: int = DEFAULT_SIZE, districts: int = DEFAULT_DISTRICTS, seed: int = DEFAULT_SEED, industry: bool = True
) -> CityPlan:
    """`size` orgs in all (root, bureaus and their 临时工会 included) over the first `districts` districts."""
    if not 1 <= districts <= len(DISTRICTS):
        raise ValueError(f"区数应在 1 到 {len(DISTRICTS)} 之间")
    bureaus = [*DISTRICTS[:districts], *([EDUCATION] if industry else [])]
    minimum = 1 + 2 * len(bureaus)
    if size < minimum:
        raise ValueError(f"组织数至少为 {minimum}：市总工会、{len(bureaus)} 个区局（产业）工会及其临时工会")
    p = Planner(size, seed)
    root = p.add(None, OrgKind.CITY, CITY_NAME, CITY_CODE)
    heads = {b: plan_bureau(p, root, b) for b in bureaus}
    parents = {b: [heads[b], *plan_secondaries(p, heads[b], b)] for b in bureaus}
    for bureau in itertools.cycle(bureaus):
        if p.room <= 0:
            break
        plan_grassroots(p, p.rng.choice(parents[bureau]), bureau)
    return CityPlan(tuple(p.orgs))


def plan_bureau(p: Planner, root: PlannedOrg, bureau: Bureau) -> PlannedOrg:
    head = p.add(root, OrgKind.DISTRICT, bureau.name, f"{bureau.code}000000", address=p.address(bureau), **p.contact())
    p.automatic += 1
    return head


def plan_secondaries(p: Planner, head: PlannedOrg, bureau: Bureau) -> list[PlannedOrg]:
    count = min(p.rng.randint(2, 3), len(bureau.streets), p.room // 10)
    return [
        p.add(
            head,
            OrgKind.SECONDARY,
            f"{bureau.place}{street}总工会",
            p.code(bureau),
            address=p.address(bureau),
            **p.contact(),
        )
        for street in p.rng.sample(bureau.streets, count)
    ]


def plan_grassroots(p: Planner, parent: PlannedOrg, bureau: Bureau) -> None:
    roll = p.rng.random()
    if not bureau.streets or roll < 0.72:
        plan_standalone(p, parent, bureau, branches=True)
    elif roll < 0.9 or p.room < 3:
        plan_joint(p, parent, bureau)
    else:
        plan_federation(p, parent, bureau)


def plan_standalone(p: Planner, parent: PlannedOrg, bureau: Bureau, branches: bool) -> None:
    public = not bureau.streets or p.rng.random() < 0.1
    unit = p.institution(bureau) if public else p.company(bureau)
    offices = () if public else p.branch_offices(unit)
    union = p.add(
        parent,
        OrgKind.STANDALONE,
        f"{unit.enterprise.name}工会",
        p.code(bureau),
        economic_type=unit.economic_type,
        industry=unit.industry,
        address=unit.enterprise.address,
        enterprises=(unit.enterprise, *offices),
        **p.contact(),
    )
    if branches and p.rng.random() < 0.3:
        groups = SCHOOL_GROUPS if public else DEPARTMENTS
        for group in p.rng.sample(groups, min(p.rng.randint(1, 3), p.room)):
            suffix = p.rng.choice(("分工会", "分工会", "工会小组"))
            p.add(union, OrgKind.BRANCH, f"{unit.enterprise.name}{group}{suffix}", p.code(bureau), **p.contact())


def plan_joint(p: Planner, parent: PlannedOrg, bureau: Bureau) -> None:
    street, area = p.rng.choice(bureau.streets), p.rng.choice(AREAS)
    name = p.unique(lambda brand: f"{bureau.place}{street}{brand}{area}联合工会")
    members = [p.company(bureau, "私营企业") for _ in range(p.rng.randint(2, 3))]
    union = p.add(
        parent,
        OrgKind.JOINT,
        name,
        p.code(bureau),
        economic_type=members[0].economic_type,
        industry=members[0].industry,
        address=members[0].enterprise.address,
        enterprises=tuple(m.enterprise for m in members),
        **p.contact(),
    )
    if p.rng.random() < 0.2 and p.room > 0:
        p.add(union, OrgKind.BRANCH, f"{members[0].enterprise.name}工会小组", p.code(bureau), **p.contact())


def plan_federation(p: Planner, parent: PlannedOrg, bureau: Bureau) -> None:
    park = p.rng.choice(PARKS)
    name = p.unique(lambda brand: f"{bureau.place}{brand}{park}工会联合会")
    federation = p.add(parent, OrgKind.FEDERATION, name, p.code(bureau), address=p.address(bureau), **p.contact())
    for _ in range(min(p.rng.randint(2, 3), p.room)):
        if p.rng.random() < 0.7:
            plan_standalone(p, federation, bureau, branches=False)
        else:
            plan_joint(p, federation, bureau)


# --- loading it on a running org service -----------------------------------------------------------


@dataclass(frozen=True)
class OrgRef:
    id: int
    name: str
    union_code: str


@dataclass(frozen=True)
class DemoSummary:
    root: OrgRef
    bureaus: tuple[OrgRef, ...]
    orgs: int  # in the tree, 临时工会 included
    grassroots: int  # as the workbench counts them: 临时工会 not included
    covered_enterprises: int

    @classmethod
    def of(cls, plan: CityPlan, ids: dict[int, int]) -> DemoSummary:
        def ref(o: PlannedOrg) -> OrgRef:
            return OrgRef(ids[o.ref], o.name, o.union_code)

        return cls(
            ref(plan.root),
            tuple(ref(b) for b in plan.bureaus),
            plan.total,
            sum(o.kind in GRASSROOTS for o in plan.orgs),
            sum(len(o.enterprises) for o in plan.orgs),
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> DemoSummary:
        data = json.loads(text)
        return cls(
            OrgRef(**data["root"]),
            tuple(OrgRef(**b) for b in data["bureaus"]),
            data["orgs"],
            data["grassroots"],
            data["covered_enterprises"],
        )


class DemoLoadError(RuntimeError):
    pass


class OrgApi:
    """The org service's HTTP API, as far as the loader uses it."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def call(self, method: str, path: str, **kwargs: Any) -> Any:
        r = await self.http.request(method, path, **kwargs)
        if r.is_error:
            raise DemoLoadError(f"{method} {path} → {r.status_code} {r.text[:300]}")
        return r.json()

    async def known_codes(self) -> dict[str, int]:
        codes: dict[str, int] = {}
        for page in itertools.count(1):
            data = await self.call("GET", "/orgs", params={"page": page, "size": 200})
            codes |= {o["union_code"]: o["id"] for o in data["items"]}
            if not data["items"] or len(codes) >= data["total"]:
                return codes
        raise AssertionError("unreachable")

    async def create(self, org: PlannedOrg, parent_id: int) -> int:
        return int((await self.call("POST", "/orgs", json=org.body(parent_id)))["id"])

    async def covered_usccs(self, org_id: int) -> set[str]:
        return {e["uscc"] for e in await self.call("GET", f"/orgs/{org_id}/enterprises")}

    async def cover(self, org_id: int, enterprise: Enterprise) -> None:
        await self.call("POST", f"/orgs/{org_id}/enterprises", json=asdict(enterprise))


async def ensure_root(database_url: str, root: PlannedOrg) -> int:
    """The city federation exists once and has no HTTP route: create it through the org use case on
    the org database, or take the one that is there."""
    engine = create_engine(database_url, pool_size=1)
    sessions = session_factory(engine)
    try:
        async with sessions() as session:
            try:
                org = await orgs.create_root(session, root.name, root.union_code, root.uscc)
                assert org.id is not None
                return org.id
            except DomainError as exc:
                if exc.code != "org.root_exists":
                    raise
        async with sessions() as session:
            return (await session.exec(select(Org.id).where(col(Org.parent_id).is_(None)))).one()
    finally:
        await engine.dispose()


async def build_subtree(api: OrgApi, subtree: list[PlannedOrg], ids: dict[int, int], known: dict[str, int]) -> None:
    for org in subtree:
        existing = known.get(org.union_code)
        ids[org.ref] = existing or await api.create(org, ids[org.parent])  # type: ignore[index]
        covered = await api.covered_usccs(ids[org.ref]) if existing and org.enterprises else set()
        for enterprise in org.enterprises:
            if enterprise.uscc not in covered:
                await api.cover(ids[org.ref], enterprise)


def system_token(secret: str) -> str:
    return issue(secret, Principal(user_id="demo-city-loader", tier=Tier.SYSTEM), ttl=timedelta(hours=1))


async def load(
    org_url: str,
    database_url: str,
    token_secret: str,
    size: int = DEFAULT_SIZE,
    *,
    districts: int = DEFAULT_DISTRICTS,
    seed: int = DEFAULT_SEED,
) -> DemoSummary:
    """Build the demo city on the running org service: the bureaus one after another (so their ids
    come out the same every time), then below each bureau in parallel, each subtree in order."""
    plan = plan_city(size, districts, seed)
    ids = {plan.root.ref: await ensure_root(database_url, plan.root)}
    auth = {"Authorization": f"Bearer {system_token(token_secret)}"}
    async with httpx.AsyncClient(base_url=org_url, headers=auth, timeout=30) as http:
        api = OrgApi(http)
        known = await api.known_codes()
        subtrees = plan.bureau_subtrees()
        await build_subtree(api, [s[0] for s in subtrees], ids, known)
        await asyncio.gather(*(build_subtree(api, s[1:], ids, known) for s in subtrees))
    return DemoSummary.of(plan, ids)


def main() -> None:
    default_secret = ServiceSettings.model_fields["internal_token_secret"].default
    parser = argparse.ArgumentParser(description="载入上海市工会组织树演示数据 (demo city)")
    parser.add_argument("--org-url", default=f"http://127.0.0.1:{os.environ.get('ORG_PORT', 8101)}")
    parser.add_argument("--database-url", default=os.environ.get("ORG_DATABASE_URL"))
    parser.add_argument("--secret", default=os.environ.get("INTERNAL_TOKEN_SECRET", default_secret))
    parser.add_argument("--orgs", type=int, default=DEFAULT_SIZE, help="组织总数（含市总、区局及临时工会）")
    parser.add_argument("--districts", type=int, default=DEFAULT_DISTRICTS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--plan", action="store_true", help="只打印计划，不载入")
    args = parser.parse_args()
    if args.plan:
        for org in plan_city(args.orgs, args.districts, args.seed).orgs:
            print(org.union_code, org.kind.value, org.name, len(org.enterprises) or "")
        return
    if not args.database_url:
        parser.error("--database-url or ORG_DATABASE_URL is needed to create the city root")
    summary = asyncio.run(
        load(args.org_url, args.database_url, args.secret, args.orgs, districts=args.districts, seed=args.seed)
    )
    print(summary.to_json())


if __name__ == "__main__":
    main()
