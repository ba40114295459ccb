"""批量导入 as operations sees it: the rows counted on /metrics for the business dashboard, and one trace
from the upload request through the job, also when the job is picked up again after a restart."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from httpx import AsyncClient
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlmodel import select

from localstack import Tansu
from localstack.pytest_plugin import running, scraped
from members.main import create_app
from members.models import ImportJob
from members.settings import MembersSettings
from runtime.outbox import OutboxMessage
from runtime.telemetry import setup_telemetry
from services.members.tests.conftest import ENTERPRISE, City, app_of, finished, import_rows, person, roster, upload

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
UPLOAD_TRACE = {"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"}  # the gateway's span, as it calls members


async def rows_counted(client: AsyncClient) -> dict[str, float]:
    """members_import_rows_total per outcome on /metrics, once every import job has finished."""
    await app_of(client).state.jobs.idle()
    counted = {"accepted": 0.0, "rejected": 0.0}
    for labels, value in (await scraped(client, "members_import_rows_total")).items():
        counted[dict(labels)["outcome"]] += value
    return counted


async def test_stored_and_rejected_rows_are_counted_for_the_dashboard(client: AsyncClient, city: City) -> None:
    """Counted by the rows_stored / rows_rejected the job reports: a file with bad rows, the same file
    again (unchanged rows are stored rows too) and a file refused whole (its report's rows)."""
    clerk = city.clerk(city.g1)
    before = await rows_counted(client)
    bad_phone = [*person(50, city.g1)[:3], "1390000", *person(50, city.g1)[4:]]
    rows = [person(i, city.g1) for i in range(12)]
    job = await import_rows(client, [*rows, bad_phone, person(3, city.g1)], clerk)  # row 3 twice: both refused
    assert (job["rows_stored"], job["rows_rejected"]) == (11, 3)
    again = await import_rows(client, rows, clerk)
    assert (again["rows_stored"], again["rows_unchanged"], again["rows_rejected"]) == (12, 11, 0)
    flexible = [person(20 + i, city.g1, tag="快递物流" if i else "外包工", address="") for i in range(4)]
    refused = await import_rows(client, flexible, clerk, data_type="灵活就业类")
    assert (refused["state"], refused["rows_rejected"]) == ("已失败", 1)

    after = await rows_counted(client)
    assert {k: after[k] - before[k] for k in after} == {"accepted": 23, "rejected": 4}


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Every span finished in this process from now on (setup_telemetry: the first call wins, each
    service's lifespan calls it again and changes nothing, so one processor sees them all)."""
    setup_telemetry("members")
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider), provider
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()  # the processor stays registered (the SDK cannot remove one) but keeps nothing


async def test_a_job_picked_up_after_a_restart_continues_the_upload_requests_trace(
    members_settings: MembersSettings, kafka: Tansu, spans: InMemorySpanExporter
) -> None:
    reached = asyncio.Event()

    async def crash_before_commit(import_id: str) -> None:
        reached.set()
        await asyncio.Event().wait()  # the process "dies" here: the lifespan ends and cancels the job

    async with running(create_app(members_settings)) as client:
        city = await City().project(app_of(client))
        clerk = city.clerk(city.g1)
        app_of(client).state.importer.before_commit = crash_before_commit
        content = roster(person(i, city.g1) for i in range(20))
        r = await upload(client, "/imports", content, clerk | UPLOAD_TRACE, **ENTERPRISE)
        assert r.status_code == 202, r.text
        import_id = r.json()["id"]
        await asyncio.wait_for(reached.wait(), 60)
        async with app_of(client).state.sessions() as session:
            row = await session.get(ImportJob, import_id)
    assert row is not None
    stored = row.traceparent
    # checked: the job row keeps the upload request's span (the members HTTP server span in that trace)
    assert stored and stored.startswith(f"00-{TRACE_ID}-") and stored != UPLOAD_TRACE["traceparent"]
    spans.clear()

    # the next process finds the job in its table: no request, no context but the row's
    async with running(create_app(members_settings)) as client:
        job = await finished(client, f"/imports/{import_id}", clerk)
        assert (job["state"], job["rows_created"], job["attempts"]) == ("已完成", 20, 2)
        async with app_of(client).state.sessions() as session:
            events = (await session.exec(select(OutboxMessage.headers).where(OutboxMessage.key == import_id))).all()

    finished_spans = spans.get_finished_spans()
    [run] = [s for s in finished_spans if s.name == "members.import"]
    assert trace_id(run) == TRACE_ID and run.parent is not None
    assert f"{run.parent.span_id:016x}" == stored.split("-")[2]
    # checked: what the run did (its statements) is in that trace, and its events carry it to the consumers
    statements = [s for s in finished_spans if s.parent is not None and s.parent.span_id == run.context.span_id]
    assert statements and {trace_id(s) for s in statements} == {TRACE_ID}
    assert events and all(h["traceparent"].split("-")[1] == TRACE_ID for h in events)


def trace_id(span: ReadableSpan) -> str:
    assert span.context is not None
    return f"{span.context.trace_id:032x}"
