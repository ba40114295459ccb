"""Benchmark: card eligibility from member events — a 10,000-member import reaching a running cards
service as `members.imported` chunks of 1,000 on a real Tansu broker, until every member is eligible
(卡片信息管理 shows them 未办卡 and addable).

Latency per member = the moment the cards service made them eligible (`card_member.eligible_since`,
PostgreSQL `clock_timestamp()` inside the consumer's transaction) minus the moment their chunk was
published. Two paths are measured:

- **imported with numbers**: every snapshot already carries its member number (a re-import of
  numbered members, or a producer that numbers at once) — one event per member makes them eligible;
- **numbered later**, as the members service really does it: `members.imported` without numbers
  (listed, not eligible), then `members.numbered` with the numbers; latency from `members.numbered`.

Everything goes through the real app: the consumer, the inbox, the set-based upsert (unnest), the
`cards.eligibility.changed` event in the outbox and its relay. The org tree is put into the
projection through the consumer's use case; building the snapshots is not timed.
"""

from __future__ import annotations

import statistics
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaProducer

from cards.main import create_app
from cards.service import orgs
from cards.settings import CardsSettings
from contracts.envelope import Event, new_envelope
from contracts.members import MAX_CHUNK, MemberCategory, MembersImported, MemberSnapshot, MembersNumbered
from contracts.org import OrgKind, OrgSnapshot, UnionUpserted
from localstack import free_port, start_postgres, start_tansu
from localstack.pytest_plugin import eventually, running
from runtime.identity import make_id_number, mask_id_number
from runtime.pii import PartnerSeal, key_from_text

DATABASE = "bench_cards"
MEMBERS = {"city": 10_000, "small": 2_000}
UNIONS = 20


@dataclass
class Report:
    title: str
    markdown: str
    summary: str


@dataclass
class PathRun:
    label: str
    members: int
    chunks: int
    all_eligible_s: float  # first publish → last member eligible
    latencies_ms: list[float]

    def row(self) -> str:
        q = statistics.quantiles(self.latencies_ms, n=100, method="inclusive")
        rate = self.members / self.all_eligible_s
        return (
            f"| {self.label} | {self.members:,} | {self.chunks} | **{q[49]:.0f}** | **{q[98]:.0f}** | "
            f"{max(self.latencies_ms):.0f} | {self.all_eligible_s:.2f} | {rate:,.0f} |"
        )


def plan_tree(base: int) -> tuple[list[OrgSnapshot], list[OrgSnapshot]]:
    root = OrgSnapshot(org_id=base, parent_id=None, path=str(base), name="上海市总工会", kind=OrgKind.CITY,
                       union_code="310000000000", version=1)  # fmt: skip
    district = OrgSnapshot(
        org_id=base + 1, parent_id=base, path=f"{base}.{base + 1}", name="徐汇区总工会", kind=OrgKind.DISTRICT,
        union_code="310104000001", district_id=base + 1, version=1,
    )  # fmt: skip
    unions = [
        OrgSnapshot(
            org_id=base + 10 + i,
            parent_id=district.org_id,
            path=f"{district.path}.{base + 10 + i}",
            name=f"上海徐汇第{i + 1}科技公司工会",
            kind=OrgKind.STANDALONE,
            union_code=f"31010400{i + 1100:04d}",
            district_id=district.org_id,
            version=1,
        )  # fmt: skip
        for i in range(UNIONS)
    ]
    return [root, district, *unions], unions


TREE, UNION_SNAPSHOTS = plan_tree(2_000_000)


def snapshots(
    n: int, unions: list[OrgSnapshot], seal: PartnerSeal, *, numbered: bool, start: int = 0
) -> list[MemberSnapshot]:
    out = []
    for i in range(start, start + n):
        birth = date(1970, 1, 1) + timedelta(days=(i // 500) % 12_000)
        id_number = make_id_number("310104", birth, i % 500, i % 2 == 0)
        out.append(
            MemberSnapshot(
                member_id=str(uuid.uuid4()),
                org_id=unions[i % len(unions)].org_id,
                category=MemberCategory.LINKED_ENTERPRISE,
                member_no=f"SH{i + 1:010d}" if numbered else None,
                work_address=f"上海市徐汇区虹漕路{i % 999 + 1}号",
                joined_on=date(2025, 6, 1),
                version=1,
                name=f"会员{i}",
                id_type="身份证",
                id_number_masked=mask_id_number(id_number),
                gender="男" if i % 2 == 0 else "女",
                birth_date=birth,
                work_unit="上海某某科技有限公司",
                id_sealed=seal.seal(id_number),
            )  # fmt: skip
        )
    return out


def chunked(members: list[MemberSnapshot]) -> list[list[MemberSnapshot]]:
    return [members[i : i + MAX_CHUNK] for i in range(0, len(members), MAX_CHUNK)]


async def publish(producer: AIOKafkaProducer, event: Event) -> float:
    """Publish as a producer service would; returns the wall-clock second it went out."""
    envelope = new_envelope("/services/members", event)
    sent = time.time()
    headers = [(k, v.encode()) for k, v in envelope.headers().items()]
    await producer.send_and_wait(
        event.topic, event.model_dump_json().encode(), key=event.key().encode(), headers=headers
    )
    return sent


async def _eligible_since(conn: asyncpg.Connection, member_ids: list[str]) -> dict[str, float | None]:
    rows = await conn.fetch(
        "SELECT member_id, extract(epoch FROM eligible_since)::float8 AS at FROM card_member "
        "WHERE member_id = ANY($1::text[])",
        member_ids,
    )
    return {r["member_id"]: r["at"] for r in rows}


async def _wait_count(conn: asyncpg.Connection, sql: str, expected: int, timeout: float = 300) -> None:
    """Poll one cheap count on an open connection (the poll must not load the database it measures)."""

    async def done() -> bool:
        return int(await conn.fetchval(sql)) >= expected

    if not await eventually(done, timeout=timeout, interval=0.05):
        raise AssertionError(f"{sql}: fewer than {expected}")


ELIGIBLE = "SELECT count(*) FROM card_member WHERE eligible"
KNOWN = "SELECT count(*) FROM card_member"


async def measure(
    conn: asyncpg.Connection, producer: AIOKafkaProducer, label: str, events: list[Event], groups: list[list[str]]
) -> PathRun:
    """Publish `events` (chunk i makes the members of groups[i] eligible) and wait for all of them."""
    already = int(await conn.fetchval(ELIGIBLE))
    sent = [await publish(producer, e) for e in events]
    member_ids = [m for g in groups for m in g]
    await _wait_count(conn, ELIGIBLE, already + len(member_ids))
    at = await _eligible_since(conn, member_ids)
    latencies = [((at[m] or 0) - sent[i]) * 1000 for i, g in enumerate(groups) for m in g]
    last = max(v for v in at.values() if v is not None)
    return PathRun(label, len(member_ids), len(events), last - sent[0], latencies)


async def run(scale_name: str, var_dir: Path) -> Report:
    n = MEMBERS[scale_name]
    postgres = start_postgres(var_dir)
    url = await postgres.ensure_database(DATABASE, fresh=True)
    broker = start_tansu(free_port(), var_dir / "tansu-cards.log")
    settings = CardsSettings(database_url=url, kafka_bootstrap_servers=broker.bootstrap, log_level="WARNING")
    app = create_app(settings)
    producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, max_request_size=8 * 1024 * 1024)
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        async with running(app):
            await _ready(app, producer)
            runs = await _paths(conn, producer, n, PartnerSeal(key_from_text(settings.partner_seal_key)))
        server = str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()
        await producer.stop()
        broker.stop()
    return _report(n, runs, server)


async def _ready(app, producer: AIOKafkaProducer) -> None:  # type: ignore[no-untyped-def]
    async with app.state.sessions() as session, session.begin():
        for org in TREE:
            event = UnionUpserted(org=org)
            await orgs.on_upserted(session, event, new_envelope("/bench", event))
    await eventually(lambda: _started(app), timeout=60)
    await producer.start()


async def _paths(conn: asyncpg.Connection, producer: AIOKafkaProducer, n: int, seal: PartnerSeal) -> list[PathRun]:
    with_numbers = snapshots(n, UNION_SNAPSHOTS, seal, numbered=True)
    later = snapshots(n, UNION_SNAPSHOTS, seal, numbered=False, start=n)
    numbers = [m.model_copy(update={"member_no": f"SH{n + i + 1:010d}", "version": 2}) for i, m in enumerate(later)]
    warm, probe = (snapshots(10, UNION_SNAPSHOTS, seal, numbered=True, start=3 * n + k * 10) for k in range(2))
    await measure(conn, producer, "warm-up", *_imported("warm", warm))
    floor = await measure(
        conn, producer, "one 10-member `members.imported` (the pipeline's floor)", *_imported("probe", probe)
    )
    first = await measure(conn, producer, "`members.imported` with numbers", *_imported("imp-numbered", with_numbers))
    known = int(await conn.fetchval(KNOWN))
    for event in _imported("imp-later", later)[0]:
        await publish(producer, event)
    await _wait_count(conn, KNOWN, known + len(later))
    numbered = [MembersNumbered(import_id="imp-later", chunk=i, members=c) for i, c in enumerate(chunked(numbers))]
    label = "`members.imported` without numbers, then `members.numbered`"
    second = await measure(conn, producer, label, numbered, [[m.member_id for m in c] for c in chunked(numbers)])
    return [floor, first, second]


def _imported(import_id: str, members: list[MemberSnapshot]) -> tuple[list[Event], list[list[str]]]:
    chunks = chunked(members)
    events: list[Event] = [MembersImported(import_id=import_id, chunk=i, members=c) for i, c in enumerate(chunks)]
    return events, [[m.member_id for m in c] for c in chunks]


async def _started(app) -> bool:  # type: ignore[no-untyped-def]
    return bool(app.state.started)


def _report(n: int, runs: list[PathRun], server: str) -> Report:
    table = "\n".join(
        [
            "| path | members | events | p50 ms | p99 ms | max ms | first publish → all eligible s | members/s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            *(r.row() for r in runs),
        ]
    )
    setup = (
        f"PostgreSQL {server}, database `{DATABASE}` created fresh; Tansu (memory storage) on a free port; the "
        f"cards app in-process (its consumers on the real broker). {n:,} 关联企业类 members over {UNIONS} grassroots "
        f"unions of one district, sent as chunks of {MAX_CHUNK:,} (one import, one key, one partition) by one "
        "producer as fast as it can. One 10-member chunk first warms the consumer. Latency per member: "
        "`eligible_since` (set in the consumer's transaction) minus the publish time of the member's chunk."
    )
    first = runs[1]
    q = statistics.quantiles(first.latencies_ms, n=100, method="inclusive")
    summary = (
        f"cards-eligibility: {n:,} members imported → all eligible in {first.all_eligible_s:.2f} s; "
        f"per member p50 {q[49]:.0f} ms, p99 {q[98]:.0f} ms"
    )
    return Report("Card eligibility from member events (cards service)", f"{setup}\n\n{table}", summary)
