"""Benchmark: the org service at city scale — workbench (业务工作台) statistics, the joins chart,
the org query screen, a subtree move and member-event ingestion.

The union tree is bulk-loaded straight into the org tables (through the HTTP API 53k orgs would take
hours), with the rolled-up `subtree_stats`/`subtree_joins` rows computed here from the same rules the
service uses (`rollup.org_counts`, `tree.ancestors`). Everything measured then goes through the real
app: HTTP requests in-process on the ASGI app, events through a real Tansu broker, the consumer, the
inbox and the rollup.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer

from contracts.envelope import new_envelope
from contracts.members import MemberCategory, MembersImported, MemberSnapshot
from contracts.org import OrgKind
from localstack import free_port, start_postgres, start_tansu
from localstack.pytest_plugin import eventually, running
from org.domain import tree
from org.main import MIGRATIONS, create_app
from org.service import rollup
from org.settings import OrgSettings
from runtime.clock import SystemClock
from runtime.db import migrate
from runtime.identity import make_uscc
from runtime.tokens import Principal, Tier, issue

DATABASE = "bench_org"
SECRET = "bench-secret-0123456789-0123456789-abcdef"
SEED = 2026
TARGET_MS = 200  # the issue's target for the whole-city workbench
SAMPLES, WARMUPS, MOVES = 200, 20, 10
MEMBERS_PER_CHUNK = 1000  # contracts.members.MAX_CHUNK: what the members service publishes per event
FIRST_JOIN_DAY = date(2019, 1, 1)


@dataclass(frozen=True)
class Scale:
    name: str
    secondaries: int
    grassroots: int  # 单独基层工会 + 联合工会 + 分工会/工会小组 + 工会联合会 (临时工会 not counted)
    covered_enterprises: int
    members: int
    import_chunks: int


# The real city: 16 districts + 2 industry unions under the city federation (both scales).
SCALES = {
    "city": Scale("city", secondaries=300, grassroots=52_701, covered_enterprises=90_356, members=7_364_540,
                  import_chunks=100),
    "small": Scale("small", secondaries=20, grassroots=2_000, covered_enterprises=3_429, members=279_483,
                   import_chunks=10),
}  # fmt: skip

DISTRICTS = (
    ("黄浦区", "310101"), ("徐汇区", "310104"), ("长宁区", "310105"), ("静安区", "310106"),
    ("普陀区", "310107"), ("虹口区", "310109"), ("杨浦区", "310110"), ("闵行区", "310112"),
    ("宝山区", "310113"), ("嘉定区", "310114"), ("浦东新区", "310115"), ("金山区", "310116"),
    ("松江区", "310117"), ("青浦区", "310118"), ("奉贤区", "310120"), ("崇明区", "310151"),
)  # fmt: skip
INDUSTRY_UNIONS = (("上海市机电", "310301"), ("上海市建设交通", "310302"))
# Space-separated word lists: short to read, split once.
TOWNS = "新华 龙华 江湾 高桥 曹路 金桥 花木 周浦 泗泾 华漕 马桥 颛桥 罗店 月浦 安亭 南翔 朱家角 练塘 庄行 柘林".split()  # noqa: SIM905
BRANDS = "华信 东方 申通 宏达 恒源 金桥 浦江 新世纪 联创 中科 天成 嘉禾 瑞丰 永盛 长江 海纳 博远 锦程".split()  # noqa: SIM905
# About one grassroots name in five contains 科技: what the org query screen's name search looks for.
TRADES = "科技 信息科技 生物科技 贸易 物流 建设工程 餐饮管理 医药 电子 机械制造 文化传媒 物业管理 投资 服饰".split()  # noqa: SIM905
ECONOMIC_TYPES = ("有限责任公司", "股份有限公司", "私营企业", "外商投资企业", "国有企业")
INDUSTRIES = ("制造业", "信息传输、软件和信息技术服务业", "批发和零售业", "建筑业", "交通运输业", "住宿和餐饮业")


# --- the plan: the shape of the real city, deterministic ----------------------------------------------


@dataclass(slots=True)
class PlannedOrg:
    id: int
    parent_id: int | None
    kind: OrgKind
    name: str
    union_code: str
    path: str
    code_prefix: str  # the bureau's division code: every union code under it starts with it
    uscc: str | None = None
    economic_type: str | None = None
    industry: str | None = None

    @property
    def district_id(self) -> int | None:
        return tree.district_of(self.path)


@dataclass
class CityPlan:
    orgs: list[PlannedOrg] = field(default_factory=list)
    bureaus: list[PlannedOrg] = field(default_factory=list)
    secondaries: list[PlannedOrg] = field(default_factory=list)
    member_orgs: list[PlannedOrg] = field(default_factory=list)  # the counted grassroots unions
    covered: list[tuple[int, str, str]] = field(default_factory=list)  # (org_id, name, uscc)
    members: dict[int, int] = field(default_factory=dict)
    e_cards: dict[int, int] = field(default_factory=dict)
    joins: list[tuple[int, date, int]] = field(default_factory=list)  # (org_id, day, joined) per grassroots
    _seq: Counter[str] = field(default_factory=Counter)

    @property
    def root(self) -> PlannedOrg:
        return self.orgs[0]

    def add(
        self, parent: PlannedOrg | None, kind: OrgKind, name: str, code: str | None = None, **info: str
    ) -> PlannedOrg:
        org_id = len(self.orgs) + 1
        prefix = parent.code_prefix if parent else "310000"
        if code is None:  # 000001 is the bureau itself, 000999 its 临时工会: ordinary unions from 001000
            self._seq[prefix] += 1
            code = f"{prefix}{self._seq[prefix] + 999:06d}"
        path = tree.child_path(parent.path, org_id) if parent else str(org_id)
        org = PlannedOrg(org_id, parent.id if parent else None, kind, name, code, path, code[:6], **info)
        self.orgs.append(org)
        return org


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` into integers that add up to exactly `total`."""
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def plan_city(scale: Scale, today: date, seed: int = SEED) -> CityPlan:
    rng = random.Random(seed)
    plan = CityPlan()
    plan.add(None, OrgKind.CITY, "上海市总工会", code="310000000000")
    _add_bureaus(plan, rng)
    _add_secondaries(plan, rng, scale.secondaries)
    _add_grassroots(plan, rng, scale.grassroots)
    _add_covered_enterprises(plan, scale.covered_enterprises)
    _add_members(plan, rng, scale.members, today)
    _check_shape(plan)
    return plan


def _check_shape(plan: CityPlan) -> None:
    """Every org hangs under a parent the service would accept (tree.CHILD_KINDS)."""
    for org in plan.orgs[1:]:
        parent = plan.orgs[org.parent_id - 1]  # type: ignore[operator]
        if org.kind not in tree.CHILD_KINDS[parent.kind]:
            raise AssertionError(f"{org.kind.value} under {parent.kind.value}: {org.name}")


def _add_bureaus(plan: CityPlan, rng: random.Random) -> None:
    """Districts and industry unions, each with the 临时工会 the service would create with it."""
    names = [(f"{place}总工会", code) for place, code in DISTRICTS] + [(f"{n}工会", c) for n, c in INDUSTRY_UNIONS]
    for name, prefix in names:
        bureau = plan.add(plan.root, OrgKind.DISTRICT, name, code=f"{prefix}000001")
        plan.add(bureau, OrgKind.TEMPORARY, f"{name}临时工会", code=f"{prefix}000999")
        plan.bureaus.append(bureau)


def _add_secondaries(plan: CityPlan, rng: random.Random, count: int) -> None:
    """街道/镇总工会 and 系统工会; one in ten hangs under another secondary union of its bureau."""
    for i in range(count):
        bureau = plan.bureaus[i % len(plan.bureaus)]
        own = [s for s in plan.secondaries if s.code_prefix == bureau.code_prefix]
        parent = rng.choice(own) if own and rng.random() < 0.1 else bureau
        town = TOWNS[i % len(TOWNS)] + ("街道" if i % 2 else "镇")
        plan.secondaries.append(plan.add(parent, OrgKind.SECONDARY, f"{_place(bureau)}{town}总工会"))


def _add_grassroots(plan: CityPlan, rng: random.Random, count: int) -> None:
    """The mix of grassroots kinds, each under a parent CHILD_KINDS allows: federations, standalone and
    joint unions under bureaus and secondaries (a tenth of them inside a federation), branch unions
    (分工会/工会小组) under standalone and joint unions."""
    federations, branches, joints = round(count * 0.02), round(count * 0.15), round(count * 0.08)
    standalones = count - federations - branches - joints
    # Secondary unions vary a lot in size; some grassroots unions hang directly under their bureau.
    containers = plan.secondaries + plan.bureaus
    weights = [rng.lognormvariate(0, 0.6) for _ in plan.secondaries] + [3.0] * len(plan.bureaus)
    for parent in rng.choices(containers, weights, k=federations):
        plan.add(parent, OrgKind.FEDERATION, f"{_place(parent)}{rng.choice(TRADES)}行业工会联合会")
    feds = [o for o in plan.orgs if o.kind is OrgKind.FEDERATION]
    for i, parent in enumerate(rng.choices(containers, weights, k=standalones + joints)):
        if feds and rng.random() < 0.1:
            parent = rng.choice(feds)
        if i < joints:
            plan.add(parent, OrgKind.JOINT, f"{_place(parent)}第{i + 1}联合工会")
        else:
            info = {"economic_type": rng.choice(ECONOMIC_TYPES), "industry": rng.choice(INDUSTRIES)}
            plan.add(parent, OrgKind.STANDALONE, _company(rng) + "工会", uscc=make_uscc(i), **info)
    hosts = [o for o in plan.orgs if o.kind in (OrgKind.STANDALONE, OrgKind.JOINT)]
    for i, parent in enumerate(rng.choices(hosts, k=branches)):
        suffix = "分工会" if i % 3 else "工会小组"
        plan.add(parent, OrgKind.BRANCH, f"{parent.name.removesuffix('工会')}第{i % 9 + 1}{suffix}")
    plan.member_orgs = [o for o in plan.orgs if o.kind.is_grassroots and o.kind is not OrgKind.TEMPORARY]


def _place(org: PlannedOrg) -> str:
    return org.name.removesuffix("总工会").removesuffix("工会")


def _company(rng: random.Random) -> str:
    first, second = rng.sample(BRANDS, 2)
    return f"上海{first}{second}{rng.choice(TRADES)}有限公司"


def _add_covered_enterprises(plan: CityPlan, total: int) -> None:
    """A standalone union covers its own enterprise; joint unions cover the small firms that remain."""
    standalones = [o for o in plan.orgs if o.kind is OrgKind.STANDALONE]
    joints = [o for o in plan.orgs if o.kind is OrgKind.JOINT]
    for org in standalones:
        plan.covered.append((org.id, org.name.removesuffix("工会"), org.uscc or ""))
    rng = random.Random(SEED + 1)
    per_joint = apportion(total - len(standalones), [rng.lognormvariate(0, 0.8) for _ in joints])
    seed = 10_000_000  # USCC seeds above those of the standalone unions
    for org, n in zip(joints, per_joint, strict=True):
        for _ in range(n):
            seed += 1
            plan.covered.append((org.id, _company(rng), make_uscc(seed)))


def _add_members(plan: CityPlan, rng: random.Random, total: int, today: date) -> None:
    """Members over the grassroots unions (a long tail: a few big employers, many small ones), each
    union's members joined on a handful of days between 2019 and today."""
    factor = {OrgKind.STANDALONE: 1.0, OrgKind.JOINT: 1.5, OrgKind.BRANCH: 0.5, OrgKind.FEDERATION: 0.3}
    weights = [factor[o.kind] * rng.lognormvariate(0, 1.0) for o in plan.member_orgs]
    span = (today - FIRST_JOIN_DAY).days + 1
    for org, members in zip(plan.member_orgs, apportion(total, weights), strict=True):
        plan.members[org.id] = members
        plan.e_cards[org.id] = int(members * rng.uniform(0.3, 0.9))
        days = rng.sample(range(span), min(members, rng.randint(1, 6)))
        for offset, joined in zip(days, apportion(members, [rng.random() + 0.1 for _ in days]), strict=True):
            plan.joins.append((org.id, FIRST_JOIN_DAY + timedelta(days=offset), joined))


# --- rolled-up rows, as the service keeps them -------------------------------------------------------


def subtree_stats(plan: CityPlan) -> dict[int, list[int]]:
    """Every org's own counts added to itself and all its ancestors, columns in STAT_COLUMNS order."""
    column = {c: i for i, c in enumerate(rollup.STAT_COLUMNS)}
    covered = Counter(org_id for org_id, _, _ in plan.covered)
    stats = {o.id: [0] * len(column) for o in plan.orgs}
    for org in plan.orgs:
        own = Counter(rollup.org_counts(org.kind))
        own.update(
            members=plan.members.get(org.id, 0),
            e_cards=plan.e_cards.get(org.id, 0),
            covered_enterprises=covered[org.id],
        )
        deltas = [(column[c], n) for c, n in own.items() if n]
        for ancestor in tree.ancestors(org.path):
            row = stats[ancestor]
            for i, n in deltas:
                row[i] += n
    return stats


def subtree_joins(plan: CityPlan) -> Counter[tuple[int, date]]:
    path = {o.id: o.path for o in plan.orgs}
    joins: Counter[tuple[int, date]] = Counter()
    for org_id, day, joined in plan.joins:
        for ancestor in tree.ancestors(path[org_id]):
            joins[(ancestor, day)] += joined
    return joins


def subtree_sizes(plan: CityPlan) -> Counter[int]:
    return Counter(a for o in plan.orgs for a in tree.ancestors(o.path))


# --- the bulk load ----------------------------------------------------------------------------------

ORG_COLUMNS = "id parent_id kind name union_code path district_id uscc economic_type industry version".split()  # noqa: SIM905
SETVAL = "SELECT setval(pg_get_serial_sequence('{0}', 'id'), (SELECT max(id) FROM {0}))"


def org_record(o: PlannedOrg) -> tuple:  # type: ignore[type-arg]
    return (
        o.id,
        o.parent_id,
        o.kind.value,
        o.name,
        o.union_code,
        o.path,
        o.district_id,
        o.uscc,
        o.economic_type,
        o.industry,
        1,
    )


async def bulk_load(url: str, plan: CityPlan, timings: dict[str, float]) -> int:
    """COPY the plan into the migrated, empty tables; returns the number of subtree_joins rows."""
    started = time.perf_counter()
    stats, joins = subtree_stats(plan), subtree_joins(plan)
    timings["rollups (Python)"] = time.perf_counter() - started
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        async with conn.transaction():
            await _copy(conn, timings, "org", ORG_COLUMNS, map(org_record, plan.orgs))
            covered = ((i, *row) for i, row in enumerate(plan.covered, 1))
            await _copy(conn, timings, "covered_enterprise", ("id", "org_id", "name", "uscc"), covered)
            stats_rows = ((org_id, *row) for org_id, row in stats.items())
            await _copy(conn, timings, "subtree_stats", ("org_id", *rollup.STAT_COLUMNS), stats_rows)
            joins_rows = ((o, d, n) for (o, d), n in joins.items())
            await _copy(conn, timings, "subtree_joins", ("org_id", "day", "joined"), joins_rows)
            # Explicit ids were copied: move the sequences past them so the service can create orgs.
            for table in ("org", "covered_enterprise"):
                await conn.execute(SETVAL.format(table))
        started = time.perf_counter()
        await conn.execute("ANALYZE")  # what autovacuum would do soon after such a load
        timings["ANALYZE"] = time.perf_counter() - started
    finally:
        await conn.close()
    return len(joins)


async def _copy(conn: asyncpg.Connection, timings: dict[str, float], table: str, columns, records) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    await conn.copy_records_to_table(table, columns=list(columns), records=list(records))
    timings[f"COPY {table}"] = time.perf_counter() - started


# --- measuring through the app ------------------------------------------------------------------------


@dataclass
class Latency:
    label: str
    ms: list[float]

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.ms, n=100, method="inclusive")[p - 1]

    @property
    def row(self) -> str:
        return f"| {self.label} | {self.percentile(50):.1f} | {self.percentile(95):.1f} | {self.percentile(99):.1f} |"


def bearer(principal: Principal) -> dict[str, str]:
    # Long-lived: a city run outlasts the gateway's two-minute tokens.
    return {"Authorization": f"Bearer {issue(SECRET, principal, ttl=timedelta(hours=3))}"}


SYSTEM = bearer(Principal(user_id="bench", tier=Tier.SYSTEM))


async def get_ok(client: httpx.AsyncClient, url: str, headers: dict[str, str] = SYSTEM) -> dict:  # type: ignore[type-arg]
    response = await client.get(url, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} → {response.status_code}: {response.text[:300]}")
    return response.json()  # type: ignore[no-any-return]


async def time_get(client: httpx.AsyncClient, label: str, url: str, headers: dict[str, str] = SYSTEM) -> Latency:
    """Sequential requests: the latency one clerk sees, without queueing behind others."""
    for _ in range(WARMUPS):
        await get_ok(client, url, headers)
    samples = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        await get_ok(client, url, headers)
        samples.append((time.perf_counter() - started) * 1000)
    return Latency(label, samples)


def check_city_totals(root: dict, scale: Scale) -> None:  # type: ignore[type-arg]
    """The bench proves its data: the root shows exactly the city's figures."""
    expected = {
        "members": scale.members,
        "grassroots": scale.grassroots,
        "covered_enterprises": scale.covered_enterprises,
    }
    actual = {k: root[k] for k in expected}
    if actual != expected:
        raise AssertionError(f"root stats {actual} != {expected}")


async def measure_reads(client: httpx.AsyncClient, plan: CityPlan, today: date) -> list[Latency]:
    bureau = _biggest_bureau(plan)
    root, district = plan.root.id, bureau.id
    city_user = bearer(Principal(user_id="bench-city", tier=Tier.CITY, org_id=root, org_path=plan.root.path))
    district_user = bearer(
        Principal(user_id="bench-district", tier=Tier.DISTRICT, org_id=district, org_path=bureau.path)
    )
    month = f"granularity=month&start={today.year}-01-01&end={today.year}-12-31"
    return [
        await time_get(client, "GET /orgs/{root}/stats", f"/orgs/{root}/stats"),
        await time_get(client, "GET /orgs/{district}/stats", f"/orgs/{district}/stats"),
        await time_get(client, f"GET /orgs/{{root}}/joins month {today.year}", f"/orgs/{root}/joins?{month}"),
        await time_get(client, "GET /orgs/{root}/joins day (this month)", f"/orgs/{root}/joins?granularity=day"),
        await time_get(client, "GET /orgs?name=科技 (city user)", "/orgs?name=科技&page=1&size=20", city_user),
        await time_get(client, "GET /orgs?name=科技 (district user)", "/orgs?name=科技&page=1&size=20", district_user),
        await time_get(client, "GET /orgs?parent_id={district}", f"/orgs?parent_id={district}"),
    ]


def _biggest_bureau(plan: CityPlan) -> PlannedOrg:
    sizes = subtree_sizes(plan)
    return max(plan.bureaus, key=lambda b: sizes[b.id])


@dataclass
class MoveResult:
    secondary: PlannedOrg
    subtree_orgs: int
    ms: list[float]


async def measure_moves(client: httpx.AsyncClient, plan: CityPlan) -> MoveResult:
    """Move a secondary union with its subtree to another district and back, checking that both
    districts' counts come back to what they were."""
    sizes = subtree_sizes(plan)
    movable = [s for s in plan.secondaries if s.parent_id in {b.id for b in plan.bureaus}]
    secondary = min(movable, key=lambda s: abs(sizes[s.id] - 300))  # "a few hundred orgs"
    home = secondary.parent_id
    away = next(b.id for b in plan.bureaus if b.id != home)
    before = [await get_ok(client, f"/orgs/{d}/stats") for d in (home, away)]
    samples = []
    for i in range(MOVES):
        body = {"org_ids": [secondary.id], "target_parent_id": away if i % 2 == 0 else home}
        started = time.perf_counter()
        response = await client.post("/orgs/move", json=body, headers=SYSTEM)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"move → {response.status_code}: {response.text[:300]}")
    after = [await get_ok(client, f"/orgs/{d}/stats") for d in (home, away)]
    if before != after:
        raise AssertionError(f"district counts changed after moving back: {before} != {after}")
    return MoveResult(secondary, sizes[secondary.id], samples)


@dataclass
class Ingestion:
    chunks: int
    members: int
    publish_s: float
    visible_s: float


def member_chunks(plan: CityPlan, chunks: int, today: date) -> list[MembersImported]:
    """One import of new members over random grassroots unions city-wide: every chunk touches about a
    thousand unions and all their ancestors, the rollup's worst case."""
    rng = random.Random(SEED + 2)
    span = (today - FIRST_JOIN_DAY).days + 1
    return [
        MembersImported(
            import_id="bench-import",
            chunk=c,
            members=[
                MemberSnapshot(
                    member_id=f"bench-{c}-{i}",
                    org_id=rng.choice(plan.member_orgs).id,
                    category=MemberCategory.LINKED_ENTERPRISE,
                    joined_on=FIRST_JOIN_DAY + timedelta(days=rng.randrange(span)),
                    e_card_activated=rng.random() < 0.6,
                    version=1,
                )
                for i in range(MEMBERS_PER_CHUNK)
            ],
        )
        for c in range(chunks)
    ]


async def measure_ingestion(client: httpx.AsyncClient, bootstrap: str, plan: CityPlan, chunks: int) -> Ingestion:
    """From the first publish until the root's stats show every member: broker, consumer, inbox, rollup."""
    events = member_chunks(plan, chunks, SystemClock().today())
    expected = (await get_ok(client, f"/orgs/{plan.root.id}/stats"))["members"] + chunks * MEMBERS_PER_CHUNK
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        started = time.perf_counter()
        for event in events:  # same key (the import): one partition, in order, as the members service does
            headers = [(k, v.encode()) for k, v in new_envelope("/members", event).headers().items()]
            body, key = event.model_dump_json().encode(), event.key().encode()
            await producer.send(event.topic, body, key=key, headers=headers)
        await producer.flush()
        published = time.perf_counter() - started
    finally:
        await producer.stop()

    async def all_visible() -> bool:
        return (await get_ok(client, f"/orgs/{plan.root.id}/stats"))["members"] == expected  # type: ignore[no-any-return]

    if not await eventually(all_visible, timeout=60 + chunks * 10, interval=0.1):
        raise AssertionError(f"root stats never reached {expected} members")
    return Ingestion(chunks, chunks * MEMBERS_PER_CHUNK, published, time.perf_counter() - started)


# --- the run and its report ---------------------------------------------------------------------------


@dataclass
class Report:
    title: str
    markdown: str
    summary: str


async def run(scale_name: str, var_dir: Path) -> Report:
    scale, today = SCALES[scale_name], SystemClock().today()
    postgres = start_postgres(var_dir)
    url = await postgres.ensure_database(DATABASE, fresh=True)
    await migrate(MIGRATIONS, url)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    plan = plan_city(scale, today)
    timings["plan (Python)"] = time.perf_counter() - started
    joins_rows = await bulk_load(url, plan, timings)
    broker = start_tansu(free_port(), var_dir / "tansu.log")
    try:
        settings = OrgSettings(
            database_url=url,
            kafka_bootstrap_servers=broker.bootstrap,
            internal_token_secret=SECRET,
            log_level="WARNING",
        )
        app = create_app(settings)
        async with running(app) as client:
            root = await get_ok(client, f"/orgs/{plan.root.id}/stats")
            check_city_totals(root, scale)
            await _check_joins_total(client, plan, scale, today)
            reads = await measure_reads(client, plan, today)
            moves = await measure_moves(client, plan)
            await eventually(lambda: _consumers_joined(app), timeout=60)
            ingestion = await measure_ingestion(client, broker.bootstrap, plan, scale.import_chunks)
            server_version = await _server_version(url)
    finally:
        broker.stop()
    figures = Figures(scale, plan, root, joins_rows, timings, reads, moves, ingestion, server_version)
    return Report("Org workbench (org service)", figures.markdown(), figures.summary())


async def _check_joins_total(client: httpx.AsyncClient, plan: CityPlan, scale: Scale, today: date) -> None:
    series = await get_ok(client, f"/orgs/{plan.root.id}/joins?granularity=month&start={FIRST_JOIN_DAY}&end={today}")
    if series["total"] != scale.members:
        raise AssertionError(f"joins since {FIRST_JOIN_DAY}: {series['total']} != {scale.members}")


async def _consumers_joined(app) -> bool:  # type: ignore[no-untyped-def]
    return bool(app.state.started)  # consumers join in the background while HTTP already serves


async def _server_version(url: str) -> str:
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        return str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()


@dataclass
class Figures:
    scale: Scale
    plan: CityPlan
    root: dict  # type: ignore[type-arg]
    joins_rows: int
    timings: dict[str, float]
    reads: list[Latency]
    moves: MoveResult
    ingestion: Ingestion
    postgres_version: str

    @property
    def load_s(self) -> float:
        return sum(seconds for step, seconds in self.timings.items() if step != "plan (Python)")

    @property
    def workbench(self) -> list[Latency]:
        return [r for r in self.reads if r.label.startswith("GET /orgs/{root}/")]

    @property
    def worst_workbench_p99(self) -> float:
        return max(r.percentile(99) for r in self.workbench)

    def verdict(self) -> str:
        worst = self.worst_workbench_p99
        within = "under" if worst < TARGET_MS else "NOT under"
        return (
            f"Workbench for the whole city (root stats and joins chart): worst p99 {worst:.1f} ms — "
            f"**{within} the {TARGET_MS} ms target** at {self.scale.name} scale."
        )

    def markdown(self) -> str:
        return "\n\n".join([self._data(), self._reads(), self._moves(), self._ingestion()])

    def _data(self) -> str:
        kinds = Counter(o.kind for o in self.plan.orgs)
        steps = ", ".join(f"{k} {v:.2f} s" for k, v in self.timings.items())
        return "\n".join(
            [
                f"PostgreSQL {self.postgres_version}, database `{DATABASE}` created fresh; Tansu (memory storage) on a "
                "free port; the org app driven in-process (httpx on the ASGI app, consumer on the real broker).",
                "",
                "### Data (bulk-loaded with COPY, rollups computed in Python)",
                "",
                "| | count |",
                "|---|---:|",
                f"| orgs | {len(self.plan.orgs):,} |",
                *(f"| {kind.value} | {kinds[kind]:,} |" for kind in OrgKind),
                f"| covered enterprises (覆盖企业) | {len(self.plan.covered):,} |",
                f"| members (in subtree_stats; no org_member rows) | {self.scale.members:,} |",
                f"| subtree_joins rows (join days 2019 → today, rolled up) | {self.joins_rows:,} |",
                "",
                f"Load: **{self.load_s:.1f} s** ({steps}). Root stats checked: members {self.root['members']:,}, "
                f"grassroots {self.root['grassroots']:,}, covered enterprises {self.root['covered_enterprises']:,}; "
                "joins since 2019 add up to the members.",
            ]
        )

    def _reads(self) -> str:
        return "\n".join(
            [
                f"### Reads (sequential, {SAMPLES} samples after {WARMUPS} warm-ups)",
                "",
                "| request | p50 ms | p95 ms | p99 ms |",
                "|---|---:|---:|---:|",
                *(r.row for r in self.reads),
                "",
                self.verdict(),
            ]
        )

    def _moves(self) -> str:
        m = self.moves
        return (
            f"### Move (POST /orgs/move)\n\n“{m.secondary.name}” with its subtree of {m.subtree_orgs} orgs "
            f"to another district and back, {MOVES} moves: p50 **{statistics.median(m.ms):.0f} ms**, "
            f"min {min(m.ms):.0f} ms, max {max(m.ms):.0f} ms. "
            "Both districts' counts checked equal afterwards."
        )

    def _ingestion(self) -> str:
        i = self.ingestion
        return (
            f"### Member-event ingestion (members.imported → consumer → inbox → rollup)\n\n"
            f"{i.chunks} chunks × {MEMBERS_PER_CHUNK:,} new members on random grassroots unions city-wide, one "
            f"import (one key, one partition): published in {i.publish_s:.1f} s, all visible in the root's "
            f"stats after **{i.visible_s:.1f} s** — **{i.chunks / i.visible_s:.1f} events/s, "
            f"{i.members / i.visible_s:,.0f} members/s**."
        )

    def summary(self) -> str:
        lines = [f"org workbench, {self.scale.name} scale: {len(self.plan.orgs):,} orgs loaded in {self.load_s:.1f} s"]
        lines += [
            f"  {r.label}: p50 {r.percentile(50):.1f} / p95 {r.percentile(95):.1f} / p99 {r.percentile(99):.1f} ms"
            for r in self.reads
        ]
        lines.append("  " + self.verdict().replace("**", ""))
        lines.append(f"  move {self.moves.subtree_orgs} orgs: p50 {statistics.median(self.moves.ms):.0f} ms")
        i = self.ingestion
        lines.append(f"  ingestion: {i.chunks / i.visible_s:.1f} events/s, {i.members / i.visible_s:,.0f} members/s")
        return "\n".join(lines)
