"""Benchmark: 批量导入 end to end — a 100,000-row roster uploaded to the members service until its job
reports 已完成, then the same file again (every row unchanged), then how long the events take to
leave (members.imported) and the member numbers to be assigned (members.numbered).

Everything goes through the real app: the multipart upload in-process on the ASGI app, the
background job (python-calamine, row checks, AES-GCM + HMAC, COPY and one upsert), the outbox relay
to a real Tansu broker and the service's own numbering consumer. The org projection is filled
through the consumer's use case; generating the file is not timed.
"""

from __future__ import annotations

import io
import random
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import asyncpg
import httpx
from openpyxl import Workbook

from contracts.envelope import new_envelope
from contracts.org import OrgKind, OrgSnapshot, UnionUpserted
from localstack import free_port, start_postgres, start_tansu
from localstack.pytest_plugin import eventually, running
from members.domain.roster import COLUMNS
from members.main import MIGRATIONS, create_app
from members.service import orgs
from members.settings import MembersSettings
from runtime.db import migrate
from runtime.identity import make_id_number, make_uscc
from runtime.tokens import Principal, Tier, issue

DATABASE = "bench_members"
SECRET = "bench-secret-0123456789-0123456789-abcdef"
SEED = 2026
TARGET_S = 5.0  # the issue's target for 100,000 rows, upload → 已完成
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS = {"city": 100_000, "small": 20_000}
UNIONS = 50  # grassroots unions of one district the rows are spread over
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


@dataclass
class Run:
    seconds: float
    job: dict  # type: ignore[type-arg]
    phases: dict[str, float] = field(default_factory=dict)  # when each state was first seen


@dataclass
class Report:
    title: str
    markdown: str
    summary: str


def plan_tree(base: int) -> tuple[list[OrgSnapshot], list[OrgSnapshot]]:
    root = OrgSnapshot(
        org_id=base, parent_id=None, path=str(base), name="上海市总工会", kind=OrgKind.CITY,
        union_code="310000000000", version=1,
    )  # fmt: skip
    district = _child(root, base + 1, "徐汇区总工会", OrgKind.DISTRICT, "310104000001")
    temporary = _child(district, base + 2, "徐汇区总工会临时工会", OrgKind.TEMPORARY, "310104000999")
    unions = [
        _child(district, base + 10 + i, f"上海徐汇第{i + 1}科技公司工会", OrgKind.STANDALONE, f"31010400{i + 1100:04d}")
        for i in range(UNIONS)
    ]
    return [root, district, temporary, *unions], unions


def _child(parent: OrgSnapshot, org_id: int, name: str, kind: OrgKind, code: str) -> OrgSnapshot:
    path = f"{parent.path}.{org_id}"
    district = int(path.split(".")[1])
    return OrgSnapshot(
        org_id=org_id, parent_id=parent.org_id, path=path, name=name, kind=kind, union_code=code,
        district_id=district, version=1,
    )  # fmt: skip


def roster_file(rows: int, unions: list[OrgSnapshot], var_dir: Path) -> bytes:
    """The same file for the same size and seed; made once and kept under var/bench."""
    cached = var_dir / f"members-import-{rows}-{SEED}.xlsx"
    if cached.exists():
        return cached.read_bytes()
    rng = random.Random(SEED)
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("会员信息")
    sheet.append([header for _, header in COLUMNS])
    for i in range(rows):
        union, male = unions[i % len(unions)], i % 2 == 0
        birth = date.fromordinal(date(1965, 1, 1).toordinal() + (i // 500) % 14_000)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        sheet.append([
            name, "身份证", make_id_number("310104", birth, i % 500, male), f"13{rng.randint(5, 9)}{i:08d}",
            "男" if male else "女", union.name, union.union_code, "上海某某科技有限公司", "",
            f"上海市徐汇区虹漕路{i % 999 + 1}号",
        ])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    cached.write_bytes(buf.getvalue())
    return buf.getvalue()


async def project(app, tree: list[OrgSnapshot]) -> None:  # type: ignore[no-untyped-def]
    async with app.state.sessions() as session, session.begin():
        for org in tree:
            event = UnionUpserted(org=org)
            await orgs.on_upserted(session, event, new_envelope("/bench", event))


async def timed_import(client: httpx.AsyncClient, content: bytes, headers: dict[str, str]) -> Run:
    fields = {"data_type": "关联企业类", "enterprise_name": "上海某某科技有限公司", "enterprise_uscc": make_uscc(7)}
    started = time.perf_counter()
    r = await client.post("/imports", files={"file": ("会员导入.xlsx", content, XLSX)}, data=fields, headers=headers)
    if r.status_code != 202:
        raise AssertionError(r.text)
    phases = {"upload answered (202)": time.perf_counter() - started}
    while True:
        job = (await client.get(f"/imports/{r.json()['id']}", headers=headers)).json()
        phases.setdefault(job["state"], time.perf_counter() - started)
        if job["state"] in ("已完成", "已失败"):
            return Run(time.perf_counter() - started, job, phases)
        await _sleep(0.1)  # a progress bar polls far less often; this only sets the resolution


async def warm_up(client: httpx.AsyncClient, headers: dict[str, str], union: OrgSnapshot) -> None:
    """One small import first: the row-checker process has started and imported its modules, as it
    has in a service that has been up for a while."""
    row = ["张三", "身份证", make_id_number("310104", date(1990, 1, 1), 499, True), "13900000000", "男",
           union.name, union.union_code, "", "", "上海市徐汇区虹漕路1号"]  # fmt: skip
    buf = io.BytesIO()
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("会员信息")
    sheet.append([header for _, header in COLUMNS])
    sheet.append(row)
    wb.save(buf)
    run = await timed_import(client, buf.getvalue(), headers)
    if run.job["rows_created"] != 1:
        raise AssertionError(run.job)


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def _count(url: str, sql: str) -> int:
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        return int(await conn.fetchval(sql))
    finally:
        await conn.close()


async def run(scale_name: str, var_dir: Path) -> Report:
    rows = ROWS[scale_name]
    postgres = start_postgres(var_dir)
    url = await postgres.ensure_database(DATABASE, fresh=True)
    await migrate(MIGRATIONS, url)
    tree, unions = plan_tree(1_000_000)
    made = time.perf_counter()
    content = roster_file(rows, unions, var_dir)
    made_s = time.perf_counter() - made
    broker = start_tansu(free_port(), var_dir / "tansu-members.log")
    try:
        settings = MembersSettings(
            database_url=url, kafka_bootstrap_servers=broker.bootstrap, internal_token_secret=SECRET,
            log_level="WARNING",
        )  # fmt: skip
        app = create_app(settings)
        district = tree[1]
        headers = {"Authorization": "Bearer " + issue(SECRET, Principal(
            user_id="bench", tier=Tier.DISTRICT, org_id=district.org_id, org_path=district.path))}  # fmt: skip
        async with running(app) as client:
            await project(app, tree)
            await warm_up(client, headers, unions[0])
            first = await timed_import(client, content, headers)
            events = await _events_out(url, rows)  # before the second run, so it competes with nothing
            again = await timed_import(client, content, headers)
            server_version = await _server(url)
    finally:
        broker.stop()
    figures = Figures(rows, len(content), made_s, first, again, events, server_version)
    return Report("Members import (members service)", figures.markdown(), figures.summary())


async def _events_out(url: str, rows: int) -> dict[str, float]:
    """After the first import: seconds until every members.imported chunk left the outbox and every
    member got a number (numbering is a consumer of those events)."""
    started = time.perf_counter()
    out: dict[str, float] = {}

    async def published() -> bool:
        unsent = await _count(url, "SELECT count(*) FROM outbox WHERE ce_type = 'members.imported' AND sent_at IS NULL")
        return unsent == 0

    async def numbered() -> bool:
        return await _count(url, "SELECT count(*) FROM member WHERE member_no IS NOT NULL") >= rows

    if await eventually(published, timeout=120, interval=0.05):
        out["members.imported all published"] = time.perf_counter() - started
    if await eventually(numbered, timeout=300, interval=0.1):
        out["every member numbered"] = time.perf_counter() - started
    return out


async def _server(url: str) -> str:
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        return str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()


@dataclass
class Figures:
    rows: int
    file_bytes: int
    made_s: float
    first: Run
    again: Run
    events: dict[str, float]
    postgres: str

    def verdict(self) -> str:
        rate = self.rows / self.first.seconds
        within = "within" if self.first.seconds <= TARGET_S else "NOT within"
        return (
            f"{self.rows:,} rows upload → 已完成 in **{self.first.seconds:.2f} s** ({rate:,.0f} rows/s) — "
            f"**{within} the {TARGET_S:.0f} s target**."
        )

    def markdown(self) -> str:
        return "\n\n".join([self._setup(), self._runs(), self._phases(), self._events(), self.verdict()])

    def _phases(self) -> str:
        seen = self.first.phases
        reading = seen.get("入库中", 0.0) - seen.get("校验中", 0.0)
        storing = self.first.seconds - seen.get("入库中", 0.0)
        return (
            f"First import: **{reading:.1f} s** reading the file and applying the whole-file rules in the row "
            f"checker (calamine, duplicates, blind indexes, one lookup of who is a member already), then "
            f"**{storing:.1f} s** checking and sealing batches in the worker process while the service writes "
            "the previous one (COPY, insert, events as JSON in PostgreSQL). Both cores are busy for most of it: "
            "the Python side (checks, AES-GCM, HMAC) and PostgreSQL (rows, five indexes, event JSON) each need "
            "about as long as the storing phase takes."
        )

    def _setup(self) -> str:
        return (
            f"PostgreSQL {self.postgres}, database `{DATABASE}` created fresh; Tansu (memory storage) on a free port; "
            "the members app driven in-process (httpx on the ASGI app). File: "
            f"{self.rows:,} rows of the import template (关联企业类, {UNIONS} grassroots unions of one district, "
            f"valid resident IDs), {self.file_bytes / 1024 / 1024:.1f} MB, made once and kept under var/bench (not "
            "timed). Caller: the district union. One 1-row import first warms the row-checker process."
        )

    def _runs(self) -> str:
        lines = ["| run | upload → 已完成 s | rows/s | created | updated | unchanged | rejected | states seen at (s) |",
                 "|---|---:|---:|---:|---:|---:|---:|---|"]  # fmt: skip
        for label, r in (("first import", self.first), ("same file again (every row unchanged)", self.again)):
            j = r.job
            seen = ", ".join(f"{k} {v:.2f}" for k, v in r.phases.items())
            lines.append(
                f"| {label} | {r.seconds:.2f} | {self.rows / r.seconds:,.0f} | {j['rows_created']:,} | "
                f"{j['rows_updated']:,} | {j['rows_unchanged']:,} | {j['rows_rejected']:,} | {seen} |"
            )
        return "### Upload → 已完成\n\n" + "\n".join(lines)

    def _events(self) -> str:
        done = ", ".join(f"{k} after **{v:.1f} s**" for k, v in self.events.items()) or "not observed"
        return (
            "### Events (after the first import)\n\n"
            f"{self.rows // 1000} `members.imported` chunks of ≤ 1,000 snapshots: {done} "
            "(member numbers come from the service's own consumer of those chunks)."
        )

    def summary(self) -> str:
        return f"members-import: {self.verdict().replace('**', '')}"
