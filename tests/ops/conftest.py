"""Fixtures for the deploy/ checks: the files parsed, and what a real service exports on /metrics.

The metric names are never a hand list: `exported_metrics` starts the org service in-process on a
fresh database and a broker of its own, has it serve requests, publish through its outbox, consume an
event and dead-letter a poison message, and reads its /metrics; the runtime instruments no org code
path touches (import rows, state counts) are then recorded once and read through the same reader.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from contracts import topics
from contracts.members import MemberSnapshot, MemberUpdated
from localstack import Postgres, Tansu, free_port, start_tansu
from localstack.pytest_plugin import eventually, running, send_event, send_raw
from runtime.tokens import Principal, Tier, issue

SECRET = "ops-test-secret-0123456789-0123456789-abcdef"


@dataclass
class Exported:
    """Sample names (as PromQL sees them: ``_total``, ``_bucket`` …) and the labels each carries."""

    labels: dict[str, set[str]] = field(default_factory=dict)

    def add(self, metrics_text: str) -> None:
        for family in text_string_to_metric_families(metrics_text):
            for sample in family.samples:
                self.labels.setdefault(sample.name, set()).update(sample.labels)

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
    from runtime.telemetry import record_import_rows, record_state_counts

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
        # Instruments other services feed (members: import rows; cards, enrollment, billing: states).
        record_import_rows(1)
        record_state_counts("ops.probe", {"probe": 1})
        exported.add((await client.get("/metrics")).text)
    yield exported


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
