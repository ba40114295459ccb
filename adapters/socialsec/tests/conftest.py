"""Social-security adapter test fixtures: the adapter on a fresh database and the real broker with a
register whose surprises are switched off (not found, other name, early retirement, death), so what
a test asserts follows from age and pinned facts alone; requests with sealed ID numbers."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from httpx import AsyncClient

from contracts import topics
from contracts.socialsec import CheckKind, CheckSubject, SocialsecCheckRequested
from localstack import Tansu
from localstack.pytest_plugin import read_topic, running
from runtime.identity import make_id_number
from runtime.pii import PartnerSeal, key_from_text
from socialsec.main import create_app
from socialsec.settings import SocialsecSettings

SEAL = PartnerSeal(key_from_text(SocialsecSettings().partner_seal_key))
# Pinned on the register: a 30-year-old man recorded as retired, under another name.
PINNED = make_id_number("310104", date(1996, 5, 20), 7, True)
PINNED_FACTS = {"retired": True, "retirement_month": "2019-07", "name_on_record": "王晓铭", "withholdable": True}


@pytest.fixture
def register_file(tmp_path: Path) -> Path:
    path = tmp_path / "register.json"
    path.write_text(json.dumps({PINNED: PINNED_FACTS}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def socialsec_settings(database: str, kafka: Tansu, register_file: Path) -> SocialsecSettings:
    return SocialsecSettings(
        database_url=database,
        kafka_bootstrap_servers=kafka.bootstrap,
        consumer_backoff_seconds=0.01,
        consumer_max_attempts=2,
        schedule_poll_seconds=0.05,
        latency_seconds=0.5,
        register_file=register_file,
        not_found_rate=0,
        name_differs_rate=0,
        early_retirement_rate=0,
        missing_retirement_month_rate=0,
        deceased_rate=0,
    )


@pytest.fixture
async def socialsec(socialsec_settings: SocialsecSettings) -> AsyncIterator[AsyncClient]:
    async with running(create_app(socialsec_settings)) as client:
        yield client


def app_of(client: AsyncClient) -> Any:
    return client._transport.app  # type: ignore[attr-defined]  # noqa: SLF001


def subject(name: str, id_number: str) -> CheckSubject:
    return CheckSubject(subject_id=f"row-{uuid.uuid4().hex[:10]}", name=name, id_sealed=SEAL.seal(id_number))


def request(
    subjects: list[CheckSubject], *, version: int = 1, request_id: str | None = None
) -> SocialsecCheckRequested:
    return SocialsecCheckRequested(
        request_id=request_id or f"chk-{uuid.uuid4().hex[:12]}",
        requester="cards",
        checks=[CheckKind.RETIREMENT, CheckKind.NAME],
        subjects=subjects,
        version=version,
    )


async def reports(bootstrap: str, request_id: str) -> list[dict[str, Any]]:
    """Payloads of every socialsec.check.reported answering one request (requests share the key)."""
    found = []
    for record in await read_topic(bootstrap, topics.SOCIALSEC):
        headers = {k: v.decode() for k, v in record.headers}
        if record.key == request_id.encode() and headers["ce_type"] == "socialsec.check.reported":
            found.append(json.loads(record.value))
    return found


async def pending(client: AsyncClient, request_id: str) -> list[tuple[int, bool]]:
    """(version, answered) of a request's rows in the adapter's database."""
    async with app_of(client).state.sessions() as session:
        rows = await session.exec(
            sa.text(
                "SELECT version, answered_at IS NOT NULL FROM pending_report WHERE request_id = :r ORDER BY version"
            ),
            params={"r": request_id},
        )
        return [(r[0], r[1]) for r in rows.all()]
