"""Fixtures for the deploy/ checks: the files parsed, and what a real service exports on /metrics.

The metric names are never a hand list: `exported_metrics` starts the org service in-process on a
fresh database and a broker of its own, has it serve requests, publish through its outbox, consume an
event and dead-letter a poison message, and reads its /metrics; then the services that feed the
business dashboard, each on a fresh database: members imports a roster file with a bad row (import
rows), cards, enrollment and billing count their aggregates by state (empty tables: every state at 0).
"""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from contracts import topics
from contracts.envelope import new_envelope
from contracts.members import MemberSnapshot, MemberUpdated
from contracts.org import OrgKind, OrgSnapshot, UnionUpserted
from localstack import Postgres, Tansu, free_port, start_tansu
from localstack.pytest_plugin import eventually, running, scraped, send_event, send_raw
from runtime.identity import make_id_number, make_uscc
from runtime.settings import ServiceSettings
from runtime.tokens import Principal, Tier, issue

SECRET = "ops-test-secret-0123456789-0123456789-abcdef"


@dataclass
class Exported:
    """Sample names (as PromQL sees them: ``_total``, ``_bucket`` …) and the labels each carries; the
    samples themselves by service, and what the members import reported."""

    labels: dict[str, set[str]] = field(default_factory=dict)
    samples: dict[str, list[tuple[str, dict[str, str], float]]] = field(default_factory=dict)
    imported: dict[str, Any] = field(default_factory=dict)  # the job, and import rows counted around it

    def add(self, metrics_text: str, service: str = "org") -> None:
        for family in text_string_to_metric_families(metrics_text):
            for sample in family.samples:
                self.labels.setdefault(sample.name, set()).update(sample.labels)
                self.samples.setdefault(service, []).append((sample.name, dict(sample.labels), sample.value))

    def states(self, service: str) -> dict[str, dict[str, float]]:
        """``aggregates_by_state`` as ``service`` showed it: ``{aggregate: {state: value}}``."""
        found: dict[str, dict[str, float]] = {}
        for name, labels, value in self.samples.get(service, []):
            if name == "aggregates_by_state":
                found.setdefault(labels["aggregate"], {})[labels["state"]] = value
        return found

    @property
    def names(self) -> set[str]:
        return set(self.labels)


@pytest.fixture(scope="session")
def own_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tansu]:
    # A broker of its own: the session broker's members.v1 holds other tests' events for other databases.
    broker = start_tansu(free_port(), tmp_path_factory.mktemp("ops-tansu") / "tansu.log")
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
async def exported_metrics(postgres: Postgres, own_broker: Tansu) -> AsyncIterator[Exported]:
    from org.main import create_app
    from org.settings import OrgSettings

    database = await postgres.ensure_database(f"t_ops_{uuid.uuid4().hex[:10]}", fresh=True)
    settings = OrgSettings(
        database_url=database,
        kafka_bootstrap_servers=own_broker.bootstrap,
        internal_token_secret=SECRET,
        consumer_backoff_seconds=0.01,
        consumer_max_attempts=2,
    )
    exported = Exported()
    async with running(create_app(settings)) as client:
        await _exercise(client, own_broker.bootstrap)
        exported.add((await client.get("/metrics")).text)
    await _members_import(postgres, own_broker, exported)
    await _states_counted(postgres, own_broker, exported)
    yield exported


async def _members_import(postgres: Postgres, broker: Tansu, exported: Exported) -> None:
    """members_import_rows_total from a real import: twelve good rows and one with a bad phone."""
    from members.main import create_app
    from members.settings import MembersSettings

    database = await postgres.ensure_database(f"t_ops_{uuid.uuid4().hex[:10]}", fresh=True)
    settings = MembersSettings(
        database_url=database, kafka_bootstrap_servers=broker.bootstrap, internal_token_secret=SECRET
    )
    async with running(create_app(settings)) as client:
        app = client._transport.app  # noqa: SLF001
        union = await _members_union(app)
        clerk = {"Authorization": "Bearer " + issue(SECRET, Principal(
            user_id="ops-clerk", tier=Tier.GRASSROOTS, org_id=union.org_id, org_path=union.path))}  # fmt: skip
        before = await _import_rows_counted(client)
        rows = [_person(i, union) for i in range(12)]
        rows.append([*_person(99, union)[:3], "1390000", *_person(99, union)[4:]])  # a phone too short
        job = await _imported(client, rows, clerk)
        await app.state.jobs.idle()  # the rows are counted just after the job's commit
        after = await _import_rows_counted(client)
        exported.imported = {"job": job, "counted": {k: after.get(k, 0) - before.get(k, 0) for k in after}}
        exported.add((await client.get("/metrics")).text, "members")


async def _members_union(app: Any) -> OrgSnapshot:
    """A city → district → union tree in members' projection, through its consumer's use case."""
    from members.service import orgs

    city = _org(9500, None, "上海市总工会", OrgKind.CITY, "310000000001")
    district = _org(9501, city, "徐汇区总工会", OrgKind.DISTRICT, "310104000001")
    union = _org(9502, district, "运维检查科技有限公司工会", OrgKind.STANDALONE, "310104000116")
    async with app.state.sessions() as session, session.begin():
        for org in (city, district, union):
            event = UnionUpserted(org=org)
            await orgs.on_upserted(session, event, new_envelope("/tests", event))
    return union


def _org(org_id: int, parent: OrgSnapshot | None, name: str, kind: OrgKind, code: str) -> OrgSnapshot:
    path = f"{parent.path}.{org_id}" if parent else str(org_id)
    district = int(path.split(".")[1]) if parent else None
    parent_id = parent.org_id if parent else None
    return OrgSnapshot(
        org_id=org_id,
        parent_id=parent_id,
        path=path,
        name=name,
        kind=kind,
        union_code=code,
        district_id=district,
        version=1,
    )


def _person(i: int, union: OrgSnapshot) -> list[str]:
    """A row of the roster template (姓名, 证件类型, 证件号码, 手机, 性别, 工会, 工会代码, 工作单位, 标签, 地址)."""
    male = i % 2 == 0
    id_number = make_id_number("310104", date(1985, 1, 1) + timedelta(days=37 * i), i, male)
    name = "运维会员" + "".join("零一二三四五六七八九"[int(d)] for d in str(i))  # no digits in a name
    return [name, "身份证", id_number, f"139{i:08d}", "男" if male else "女", union.name,
            union.union_code, "运维检查科技有限公司", "", "上海市徐汇区虹漕路88号"]  # fmt: skip


async def _imported(client: Any, rows: list[list[str]], headers: dict[str, str]) -> dict[str, Any]:
    from openpyxl import Workbook

    from members.domain.roster import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("会员信息")
    for row in ([header for _, header in COLUMNS], *rows):
        sheet.append(row)
    content = io.BytesIO()
    book.save(content)
    fields = {"data_type": "关联企业类", "enterprise_name": "运维检查科技有限公司", "enterprise_uscc": make_uscc(31)}
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    r = await client.post("/imports", files={"file": ("会员.xlsx", content.getvalue(), xlsx)}, data=fields,
                          headers=headers)  # fmt: skip
    assert r.status_code == 202, r.text

    async def done() -> dict[str, Any] | None:
        job: dict[str, Any] = (await client.get(f"/imports/{r.json()['id']}", headers=headers)).json()
        return job if job["state"] in ("已完成", "已失败") else None

    job = await eventually(done, timeout=60)
    assert job, "the import did not finish"
    return job  # type: ignore[no-any-return]


async def _import_rows_counted(client: Any) -> dict[str, float]:
    samples = await scraped(client, "members_import_rows_total")
    return {dict(labels)["outcome"]: value for labels, value in samples.items()}


async def _states_counted(postgres: Postgres, broker: Tansu, exported: Exported) -> None:
    """cards, enrollment and billing on empty databases, each state gauge counted once, /metrics read."""
    from billing.main import create_app as billing_app
    from billing.settings import BillingSettings
    from cards.main import create_app as cards_app
    from cards.settings import CardsSettings
    from enrollment.main import create_app as enrollment_app
    from enrollment.settings import EnrollmentSettings

    services: list[tuple[str, Any, type[ServiceSettings]]] = [
        ("cards", cards_app, CardsSettings),
        ("enrollment", enrollment_app, EnrollmentSettings),
        ("billing", billing_app, BillingSettings),
    ]
    for name, create_app, settings_class in services:
        database = await postgres.ensure_database(f"t_ops_{uuid.uuid4().hex[:10]}", fresh=True)
        app = create_app(
            settings_class(
                database_url=database, kafka_bootstrap_servers=broker.bootstrap, internal_token_secret=SECRET
            )
        )
        async with running(app) as client:
            await app.state.state_gauge.refresh()  # it counts at start too; this makes sure it has
            exported.add((await client.get("/metrics")).text, name)


async def _exercise(client: Any, bootstrap: str) -> None:
    from org.service.orgs import create_root

    token = issue(SECRET, Principal(user_id="ops", tier=Tier.SYSTEM), ttl=timedelta(hours=6))
    system = {"Authorization": f"Bearer {token}"}
    async with client._transport.app.state.sessions() as session:  # noqa: SLF001
        root = await create_root(session, "运维检查市总工会", "310000000901")
    assert (await client.get(f"/orgs/{root.id}", headers=system)).status_code == 200
    assert (await client.get("/orgs/987654321", headers=system)).status_code == 404
    assert await eventually(lambda: _ready(client), timeout=60)
    member = MemberSnapshot(
        member_id="ops-1", org_id=root.id, category="关联企业类", joined_on=date(2024, 3, 5), version=1
    )
    await send_event(bootstrap, MemberUpdated(member=member))
    await send_raw(bootstrap, topics.MEMBERS, b"not an event", {"ce_type": "member.updated"})
    wanted = (
        'events_consumed_total{group="org"',
        "events_dead_lettered_total",
        "consumer_lag{",
        "events_published_total{",
        "outbox_oldest_age_seconds{",
    )
    assert await eventually(lambda: _metrics_show(client, wanted), timeout=60), "org never reported its events"


async def _ready(client: Any) -> bool:
    return bool((await client.get("/readyz")).status_code == 200)


async def _metrics_show(client: Any, wanted: tuple[str, ...]) -> bool:
    text = (await client.get("/metrics")).text
    return all(w in text for w in wanted)
