"""One connected trace through the running stack (issue 9, Telemetry): a browser request to the
gateway → the members service over real HTTP (the traceparent the gateway's instrumented httpx client
sends) → members' database and outbox → Kafka (the event's traceparent header) → the cards service's
consumer → cards' database.

The gateway, members and cards run in this process on one Tansu broker, each on a fresh database;
members listens on a real port (uvicorn) so that the gateway calls it the way it does in production,
through the instrumented httpx transport. Spans are captured in-process by an InMemorySpanExporter
added to the global tracer provider that every service's lifespan shares.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import uuid
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis as sync_redis
import uvicorn
from openpyxl import Workbook
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlmodel import col, func, select

from cards.main import create_app as cards_app
from cards.settings import CardsSettings
from contracts import topics
from contracts.org import OrgKind, OrgSnapshot, UnionUpserted
from gateway.main import create_app as gateway_app
from gateway.models import OrgNode
from gateway.seed import SeedAccount, seed_accounts
from gateway.settings import GatewaySettings
from localstack import Postgres, Tansu, free_port, start_redis, start_tansu
from localstack.pytest_plugin import eventually, read_topic, running, send_event
from members.domain.roster import COLUMNS
from members.main import create_app as members_app
from members.settings import MembersSettings
from runtime.identity import make_id_number, make_uscc
from runtime.telemetry import setup_telemetry
from runtime.tokens import Principal, Tier, issue

pytestmark = pytest.mark.e2e

SECRET = "e2e-trace-secret-0123456789-0123456789"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ENTERPRISE = {"data_type": "关联企业类", "enterprise_name": "上海某某科技有限公司", "enterprise_uscc": make_uscc(9)}
ID_NUMBER = make_id_number("310104", date(1988, 5, 17), 3, True)
NAME = "链路甲"
PHONE = "13912340001"
NEW_ADDRESS = "上海市徐汇区漕溪北路200号"
PASSWORD = "Trace@2024pw"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
COMMON = {"internal_token_secret": SECRET, "consumer_backoff_seconds": 0.05, "consumer_max_attempts": 5}


def org(org_id: int, parent: OrgSnapshot | None, name: str, kind: OrgKind, code: str) -> OrgSnapshot:
    path = f"{parent.path}.{org_id}" if parent else str(org_id)
    district = int(path.split(".")[1]) if parent else None
    return OrgSnapshot(
        org_id=org_id,
        parent_id=parent.org_id if parent else None,
        path=path,
        name=name,
        kind=kind,
        union_code=code,
        district_id=district,
        version=1,
    )


CITY = org(9300, None, "上海市总工会", OrgKind.CITY, "310000000001")
DISTRICT = org(9301, CITY, "徐汇区总工会", OrgKind.DISTRICT, "310104000001")
UNION = org(9302, DISTRICT, "上海某某科技有限公司工会", OrgKind.STANDALONE, "310104000116")
CLERK = {
    "Authorization": "Bearer "
    + issue(
        SECRET,
        Principal(user_id="clerk", tier=Tier.DISTRICT, org_id=DISTRICT.org_id, org_path=DISTRICT.path),
        ttl=timedelta(hours=6),
    )
}


# --- the stack -------------------------------------------------------------------------------------


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Tansu]:
    """A broker of this test's own: members.v1 then holds only this test's events."""
    tansu = start_tansu(free_port(), tmp_path / "tansu.log")
    yield tansu
    tansu.stop()


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """The gateway's sessions and captchas under a prefix of this test's own, removed afterwards."""
    started = None if "REDIS_URL" in os.environ else start_redis()
    prefix = f"trace:{uuid.uuid4().hex[:10]}:"
    yield prefix
    client = sync_redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*", count=500))
    if keys:
        client.delete(*keys)
    client.close()
    if started is not None:
        started.terminate()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Every finished span of every service in this process.

    setup_telemetry installs one global provider per process (the first call wins; each service's
    lifespan calls it again and changes nothing), so one processor added here sees all services.
    """
    setup_telemetry("e2e-trace")
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider), provider
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()  # the processor stays registered (the SDK cannot remove one) but keeps nothing


@asynccontextmanager
async def listening(app: Any) -> AsyncIterator[str]:
    """Serve ``app`` (its lifespan already running) on a real local port; yields its URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None, access_log=False)
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(), name="members-http")
    while not server.started:
        assert not serving.done(), "uvicorn stopped before it listened"
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


@dataclass
class Stack:
    gateway: Any  # the gateway's app
    clerk: httpx.AsyncClient  # signed in at the gateway (district 徐汇)
    cards: httpx.AsyncClient  # straight to the cards service (in-process)
    members_db: str
    cards_db: str


@asynccontextmanager
async def stack(postgres: Postgres, broker: Tansu, prefix: str) -> AsyncIterator[Stack]:
    kafka = {"kafka_bootstrap_servers": broker.bootstrap}
    members_db, cards_db = await fresh(postgres, "members"), await fresh(postgres, "cards")
    async with AsyncExitStack() as services:
        members_settings = MembersSettings(
            database_url=members_db,
            import_processes=0,  # rows checked in a thread: no worker process to start
            job_scan_seconds=3600,  # the upload request itself starts its job (no scanner race)
            **kafka,
            **COMMON,
        )
        app = members_app(members_settings)
        await services.enter_async_context(running(app))
        members_url = await services.enter_async_context(listening(app))
        cards = await services.enter_async_context(
            running(cards_app(CardsSettings(database_url=cards_db, **kafka, **COMMON)))
        )
        gateway = gateway_app(await _gateway_settings(postgres, broker, prefix, members_url))
        browser = await services.enter_async_context(running(gateway))
        for o in (CITY, DISTRICT, UNION):
            await send_event(broker.bootstrap, UnionUpserted(org=o))
        assert await eventually(lambda: _gateway_knows_orgs(gateway), timeout=60), "the gateway never heard org.v1"
        async with gateway.state.sessions() as session:
            await seed_accounts(session, [SeedAccount("xuhui", PASSWORD, Tier.DISTRICT, DISTRICT.org_id)])
        await _sign_in(gateway, browser, "xuhui")
        yield Stack(gateway, browser, cards, _db_name(members_db), _db_name(cards_db))


async def _gateway_settings(postgres: Postgres, broker: Tansu, prefix: str, members_url: str) -> GatewaySettings:
    """No transport for members: the gateway reaches it at its URL through httpx's own transport.
    The other services are not needed by this flow: nobody listens at their URLs."""
    return GatewaySettings(
        database_url=await fresh(postgres, "gateway"),
        kafka_bootstrap_servers=broker.bootstrap,
        redis_url=REDIS_URL,
        redis_key_prefix=prefix,
        members_url=members_url,
        org_url=f"http://127.0.0.1:{free_port()}",
        enrollment_url=f"http://127.0.0.1:{free_port()}",
        cards_url=f"http://127.0.0.1:{free_port()}",
        billing_url=f"http://127.0.0.1:{free_port()}",
        static_dir=Path("/nonexistent"),
        **COMMON,
    )


async def _sign_in(gateway: Any, browser: httpx.AsyncClient, account: str) -> None:
    """Log in as the browser does (the captcha's answer read from the gateway's store): the session
    cookie stays on ``browser``."""
    captcha_id = (await browser.get("/api/captcha")).json()["captcha_id"]
    code = await gateway.state.captchas.answer(captcha_id)
    body = {"account": account, "password": PASSWORD, "captcha_id": captcha_id, "captcha_code": code}
    r = await browser.post("/api/auth/login", json=body)
    assert r.status_code == 200, r.text


async def fresh(postgres: Postgres, name: str) -> str:
    url: str = await postgres.ensure_database(f"trace_{name}_{free_port()}", fresh=True)
    return url


def _db_name(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?", 1)[0]


async def _gateway_knows_orgs(gateway: Any) -> bool:
    async with gateway.state.sessions() as session:
        live = select(func.count()).select_from(OrgNode).where(col(OrgNode.deleted).is_(False))
        return bool((await session.exec(live)).one() == 3)


# --- the test --------------------------------------------------------------------------------------


async def test_a_member_change_is_one_trace_from_gateway_to_cards_database(
    postgres: Postgres, broker: Tansu, redis_prefix: str, spans: InMemorySpanExporter
) -> None:
    """Checked, for PATCH /api/members/{id} (a 关联企业类 member's work address) sent to the gateway:
    the gateway's server span, its httpx client span, the members server span, members' INSERT into
    the outbox, the member.updated record on members.v1 (its traceparent header), the cards consumer
    span and cards' upsert of card_member all carry one trace id; the consumer span's parent chain
    runs consumer → members server → gateway client → gateway server (the root), and the header names
    the members server span as parent. The same holds for the roster upload that created the member:
    the background job's members.imported event continues the upload request's trace into cards, and
    so does members.numbered one hop further (members' consumer → Kafka → cards' consumer). No span
    attribute of either trace carries the member's ID number or phone in clear."""
    async with stack(postgres, broker, redis_prefix) as s:
        import_id = await _import_one(s.clerk)
        member_id = await _numbered_in_cards(s)
        changed = await s.clerk.patch(f"/api/members/{member_id}", json={"work_address": NEW_ADDRESS})
        assert changed.status_code == 200, changed.text
        assert await eventually(lambda: _cards_shows_address(s.cards, member_id), timeout=30)

        change = await _connected(spans, s, broker, "member.updated", member_id, changed.json()["version"])
        _assert_connected(change, "PATCH", "/api/members/{member_id}", "/members/{member_id}")
        assert any("INSERT INTO outbox" in _statement(d) for d in change.members_db_spans), "outbox insert untraced"
        assert any("card_member" in _statement(d) for d in change.cards_db_spans), "cards' upsert untraced"

        upload = await _connected(spans, s, broker, "members.imported", import_id, None)
        _assert_connected(upload, "POST", "/api/imports", "/imports")
        numbering = await eventually(lambda: _cards_heard_numbering(spans, upload.trace_id, s), timeout=20)
        assert numbering, f"cards' consumer of members.numbered is not in the upload's trace: {_dump(upload.spans)}"

        for span in [*change.spans, *upload.spans]:
            texts = [span.name, *(str(v) for v in (span.attributes or {}).values())]
            assert not any(ID_NUMBER in t or PHONE in t for t in texts), _describe(span)


@dataclass
class Chain:
    trace_id: int
    spans: list[ReadableSpan]
    event: dict[str, Any]  # the members.v1 record: its traceparent, trace id and parent span id
    consumer: ReadableSpan  # cards' consumer span of that event
    members_db_spans: list[ReadableSpan]
    cards_db_spans: list[ReadableSpan]  # under the cards consumer span


async def _connected(
    spans: InMemorySpanExporter, s: Stack, broker: Tansu, ce_type: str, key: str, version: int | None
) -> Chain:
    record = await eventually(lambda: _event(broker.bootstrap, ce_type, key, version), timeout=20)
    assert record, f"{ce_type} about {key} never reached members.v1"
    chain = await eventually(lambda: _trace_of(spans, record, s), timeout=20)
    assert chain, f"no cards consumer span under {record['traceparent']}: {_dump(spans.get_finished_spans())}"
    assert isinstance(chain, Chain)
    return chain


def _assert_connected(chain: Chain, method: str, gateway_route: str, members_route: str) -> None:
    by_id = {span.context.span_id: span for span in chain.spans}
    # consumer → (the import job, for an upload) → members server → gateway client → gateway server
    producer = _parent(chain.consumer, by_id)
    assert producer is not None, f"the cards consumer span's parent is not in the trace: {_dump(chain.spans)}"
    assert chain.event["parent_span_id"] == producer.context.span_id, "the event names another parent"
    members_server = _parent(producer, by_id) if producer.name == "members.import" else producer
    assert members_server is not None, f"the import job's span has no parent in the trace: {_dump(chain.spans)}"
    assert (members_server.kind, _route(members_server), _method(members_server)) == (
        SpanKind.SERVER,
        members_route,
        method,
    ), _describe(members_server)
    gateway_client = _parent(members_server, by_id)
    assert gateway_client is not None and gateway_client.kind == SpanKind.CLIENT, _dump(chain.spans)
    assert _method(gateway_client) == method and str(_attr(gateway_client, "url.full", "http.url")).startswith(
        "http://127.0.0.1:"
    ), _describe(gateway_client)
    gateway_server = _root_of(gateway_client, by_id)
    assert (gateway_server.kind, _route(gateway_server), _method(gateway_server)) == (
        SpanKind.SERVER,
        gateway_route,
        method,
    ), _describe(gateway_server)
    assert gateway_server.parent is None, "the gateway's server span starts the trace"
    # the databases: every members statement of the trace under its server span (members' own
    # consumer of the event included), cards' under its consumer span
    assert chain.members_db_spans, f"no members database span in the trace: {_dump(chain.spans)}"
    assert chain.cards_db_spans, f"no cards database span in the trace: {_dump(chain.spans)}"
    for db_span in chain.members_db_spans:
        assert _reaches(db_span, members_server, by_id), _describe(db_span)
    assert chain.consumer.name == f"process {topics.MEMBERS}", _describe(chain.consumer)


async def _cards_heard_numbering(exporter: InMemorySpanExporter, trace_id: int, s: Stack) -> bool:
    """cards' consumer span of members.numbered, a child of members' consumer span (of members.imported)."""
    spans = [span for span in exporter.get_finished_spans() if span.context.trace_id == trace_id]
    by_id = {span.context.span_id: span for span in spans}
    for consumer in spans:
        parent = _parent(consumer, by_id)
        if (
            consumer.kind == SpanKind.CONSUMER
            and _attr(consumer, "cloudevents.event_type") == "members.numbered"
            and parent is not None
            and parent.kind == SpanKind.CONSUMER
            and _attr(parent, "cloudevents.event_type") == "members.imported"
            and any(_db_of(d) == s.cards_db and _reaches(d, consumer, by_id) for d in spans)
        ):
            return True
    return False


# --- the flow's steps ------------------------------------------------------------------------------


def _roster() -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("会员信息")
    ws.append([header for _, header in COLUMNS])
    person = [NAME, "身份证", ID_NUMBER, PHONE, "男"]
    ws.append([*person, UNION.name, UNION.union_code, ENTERPRISE["enterprise_name"], "", "上海市徐汇区虹漕路88号"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def _import_one(clerk: httpx.AsyncClient) -> str:
    """Upload a one-person 关联企业类 roster through the gateway; the id of the job that stored them."""
    files = {"file": ("会员.xlsx", _roster(), XLSX)}

    async def stored() -> str | None:
        r = await clerk.post("/api/imports", files=files, data=ENTERPRISE)
        assert r.status_code == 202, r.text
        job = await eventually(lambda: _finished(clerk, r.json()["id"]), timeout=30)
        # members may hear org.v1 after the first upload: a file refused for scope is sent again
        return str(job["id"]) if job and job["rows_created"] == 1 else None

    import_id = await eventually(stored, timeout=60, interval=1)
    assert import_id, "the roster was never imported"
    return str(import_id)


async def _finished(clerk: httpx.AsyncClient, import_id: str) -> dict[str, Any] | None:
    body: dict[str, Any] = (await clerk.get(f"/api/imports/{import_id}")).json()
    return body if body["state"] in ("已完成", "已失败") else None


async def _numbered_in_cards(s: Stack) -> str:
    """The member's id once cards knows them with a member number (eligible: the change below is an
    update of a known member, not their arrival)."""
    found = (await s.clerk.get("/api/members", params={"name": NAME})).json()
    assert found["total"] == 1, found
    member_id = str(found["items"][0]["id"])

    async def addable() -> bool:
        r = await s.cards.get(f"/cards/{member_id}", headers=CLERK)
        return r.status_code == 200 and bool(r.json()["member_no"]) and bool(r.json()["addable"])

    assert await eventually(addable, timeout=30), "cards never learnt the numbered member"
    return member_id


async def _cards_shows_address(cards: httpx.AsyncClient, member_id: str) -> bool:
    return bool((await cards.get(f"/cards/{member_id}", headers=CLERK)).json()["work_address"] == NEW_ADDRESS)


async def _event(bootstrap: str, ce_type: str, key_value: str, version: int | None) -> dict[str, Any] | None:
    """The members.v1 record of ``ce_type`` about ``key_value`` (a member id, or an import id) with its
    traceparent split into trace id and parent span id."""
    for record in await read_topic(bootstrap, topics.MEMBERS):
        headers = {k: v.decode() for k, v in record.headers}
        if headers.get("ce_type") != ce_type:
            continue
        body = json.loads(record.value)
        member = body.get("member") or {}
        if key_value not in (member.get("member_id"), body.get("import_id")):
            continue
        if version is not None and member.get("version") != version:
            continue
        traceparent = headers.get("traceparent")
        assert traceparent, f"{ce_type} left without a traceparent header: {headers}"
        _, trace_id, parent_id, _ = traceparent.split("-")
        return {"traceparent": traceparent, "trace_id": int(trace_id, 16), "parent_span_id": int(parent_id, 16)}
    return None


# --- reading the spans -----------------------------------------------------------------------------


async def _trace_of(exporter: InMemorySpanExporter, record: dict[str, Any], s: Stack) -> Chain | None:
    """The finished trace the event's traceparent names, once cards' consumer span of that very event
    (a child of the span the header names) and its database work under it have ended (they end after
    the handler's transaction commits)."""
    trace_id = record["trace_id"]
    spans = [span for span in exporter.get_finished_spans() if span.context.trace_id == trace_id]
    by_id = {span.context.span_id: span for span in spans}
    if any(span.parent and span.parent.span_id not in by_id for span in spans):
        return None  # a span whose parent has not ended yet (a consumer still at work): not complete
    db_spans = [span for span in spans if _attr(span, "db.system", "db.system.name")]
    for consumer in (c for c in spans if c.kind == SpanKind.CONSUMER and _parent_id(c) == record["parent_span_id"]):
        under = [d for d in db_spans if _reaches(d, consumer, by_id)]
        if under and all(_db_of(d) == s.cards_db for d in under):
            members_db = [d for d in db_spans if _db_of(d) == s.members_db]
            return Chain(trace_id, spans, record, consumer, members_db, under)
    return None


def _reaches(span: ReadableSpan, ancestor: ReadableSpan, by_id: dict[int, ReadableSpan]) -> bool:
    parent = _parent(span, by_id)
    while parent is not None:
        if parent.context.span_id == ancestor.context.span_id:
            return True
        parent = _parent(parent, by_id)
    return False


def _root_of(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> ReadableSpan:
    while (parent := _parent(span, by_id)) is not None:
        span = parent
    return span


def _parent(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> ReadableSpan | None:
    return by_id.get(span.parent.span_id) if span.parent else None


def _parent_id(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent else None


def _attr(span: ReadableSpan, *keys: str) -> Any:
    attributes = span.attributes or {}
    return next((attributes[k] for k in keys if k in attributes), None)


def _route(span: ReadableSpan) -> Any:
    return _attr(span, "http.route")


def _method(span: ReadableSpan) -> Any:
    return _attr(span, "http.request.method", "http.method")


def _db_of(span: ReadableSpan) -> Any:
    return _attr(span, "db.namespace", "db.name")


def _statement(span: ReadableSpan) -> str:
    return str(_attr(span, "db.query.text", "db.statement") or span.name)


def _describe(span: ReadableSpan | None) -> str:
    if span is None:
        return "None"
    return f"{span.name} {span.kind} parent={_parent_id(span)} id={span.context.span_id} {dict(span.attributes or {})}"


def _dump(spans: Iterable[ReadableSpan]) -> str:
    return "\n".join(_describe(span) for span in spans)
