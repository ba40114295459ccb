"""Fixtures for integration tests: a real PostgreSQL, a real broker, a service app driven in-process."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from . import Postgres, Tansu, free_port, start_postgres, start_tansu


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Postgres:
    return start_postgres(tmp_path_factory.mktemp("pg"))


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tansu]:
    broker = start_tansu(free_port(), tmp_path_factory.mktemp("tansu") / "tansu.log")
    yield broker
    broker.stop()


@pytest.fixture
def own_kafka(tmp_path: Path) -> Iterator[Tansu]:
    """A broker of the test's own. On the session's shared broker a service's consumer group also
    reads what other tests published (org.v1 events of other trees with the same org ids land in this
    test's projection), each test's app replaces the last one's consumers in the group, and Tansu now
    and then answers such a group with no leader. A service's conftest opts in by overriding `kafka`."""
    broker = start_tansu(free_port(), tmp_path / "tansu.log")
    yield broker
    broker.stop()


@pytest.fixture
async def database(postgres: Postgres) -> str:
    """A new, empty database for one test."""
    return await postgres.ensure_database(f"t_{uuid.uuid4().hex[:12]}", fresh=True)


@asynccontextmanager
async def running(app):  # type: ignore[no-untyped-def]
    """Run an app's lifespan and give an httpx client on it (no network port)."""
    from httpx import ASGITransport, AsyncClient

    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=ASGITransport(app), base_url="http://test") as client,
    ):
        yield client


def repo_root() -> Path:
    return Path(__file__).resolve().parents[4]


async def send_raw(bootstrap: str, topic: str, body: bytes, headers: dict[str, str], key: bytes | None = None) -> None:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(topic, body, key=key, headers=[(k, v.encode()) for k, v in headers.items()])
    finally:
        await producer.stop()


async def send_event(bootstrap: str, event, *, source: str = "/tests", ce_id: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """Publish an event as a producer service would (binary-mode CloudEvent); returns its ce_id."""
    from contracts.envelope import new_envelope

    envelope = new_envelope(source, event)
    if ce_id:
        envelope = envelope.model_copy(update={"id": ce_id})
    await send_raw(bootstrap, event.topic, event.model_dump_json().encode(), envelope.headers(), event.key().encode())
    return envelope.id


async def read_topic(bootstrap: str, topic: str) -> list:  # type: ignore[type-arg]
    from runtime.topic_inspection import read_records

    return await read_records(bootstrap, topic)


async def scraped(client, metric: str, **labels: str) -> dict[tuple[tuple[str, str], ...], float]:  # type: ignore[no-untyped-def]
    """Samples of ``metric`` (its Prometheus sample name, e.g. ``members_import_rows_total``) on the
    service's /metrics whose labels include ``labels``: ``{((label, value), …): value}``."""
    from prometheus_client.parser import text_string_to_metric_families

    text = (await client.get("/metrics")).text
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == metric and labels.items() <= sample.labels.items()
    }


async def states_scraped(client, aggregate: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """``aggregates_by_state{aggregate=…}`` on the service's /metrics as ``{state: value}``."""
    samples = await scraped(client, "aggregates_by_state", aggregate=aggregate)
    return {dict(labels)["state"]: value for labels, value in samples.items()}


async def eventually(check, timeout: float = 20.0, interval: float = 0.1):  # type: ignore[no-untyped-def]
    """Poll an async check until it returns a truthy value (events arrive asynchronously)."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(interval)
