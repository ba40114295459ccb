"""Bank adapter test fixtures: the adapter on a fresh database and the real broker, with a clock the
test moves (outcomes fall due only when the test says so), card batches and withholding requests with
sealed ID numbers."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from httpx import AsyncClient

from bank.main import create_app
from bank.settings import BankSettings
from contracts import topics
from contracts.cards import CardBatchSubmitted, CardChannel, CardRequest
from contracts.retiree import RetireeWithholdingRequested, WithholdingPerson
from localstack import Tansu
from localstack.pytest_plugin import read_topic, running
from runtime.clock import SHANGHAI, FixedClock
from runtime.identity import make_id_number
from runtime.pii import PartnerSeal, key_from_text

SEAL = PartnerSeal(key_from_text(BankSettings().partner_seal_key))


@pytest.fixture
def kafka(own_kafka: Tansu) -> Tansu:
    """Every bank test on a broker of its own (localstack's `own_kafka` says why): the adapter reads
    two topics, and its group's rebalances on the shared broker outlast a test."""
    return own_kafka


@pytest.fixture
def bank_settings(database: str, kafka: Tansu) -> BankSettings:
    return BankSettings(
        database_url=database,
        kafka_bootstrap_servers=kafka.bootstrap,
        consumer_backoff_seconds=0.01,
        consumer_max_attempts=2,
        schedule_poll_seconds=0.05,
        issue_delay_seconds=60,
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 15, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
async def bank(bank_settings: BankSettings, clock: FixedClock) -> AsyncIterator[AsyncClient]:
    async with running(create_app(bank_settings, clock)) as client:
        yield client


def app_of(client: AsyncClient) -> Any:
    return client._transport.app  # type: ignore[attr-defined]  # noqa: SLF001


def card(i: int, *, expiry: date | None = date(2035, 1, 1), seal: PartnerSeal = SEAL) -> CardRequest:
    birth = date(1975, 1, 1) + timedelta(days=37 * i)
    return CardRequest(
        member_id=f"m-{uuid.uuid4().hex[:12]}",
        name=f"会员{i}",
        id_sealed=seal.seal(make_id_number("310104", birth, i % 500, i % 2 == 0)),
        id_expiry=expiry,
        id_long_term=expiry is None,
    )


def batch(cards: list[CardRequest], *, version: int = 1) -> CardBatchSubmitted:
    return CardBatchSubmitted(
        batch_no=f"cb-202603151000{uuid.uuid4().hex[:8]}",
        org_id=101,
        channel=CardChannel.NORMAL,
        branch="徐汇支行",
        outlet="虹漕路网点",
        outlet_address="上海市徐汇区虹漕路88号",
        contact="张三",
        contact_phone="13900000000",
        submitted_at=datetime(2026, 3, 15, 10, 0, tzinfo=SHANGHAI),
        cards=cards,
        version=version,
    )


async def outcomes(bootstrap: str, batch_no: str) -> list[tuple[str, dict[str, Any]]]:
    """(ce_type, payload) of every bank.v1 message answering one batch."""
    found = []
    for record in await read_topic(bootstrap, topics.BANK):
        if record.key == batch_no.encode():
            headers = {k: v.decode() for k, v in record.headers}
            found.append((headers["ce_type"], json.loads(record.value)))
    return found


async def states(client: AsyncClient, batch_no: str) -> dict[str, str]:
    """member_id -> outcome state in the adapter's database."""
    async with app_of(client).state.sessions() as session:
        rows = await session.exec(
            sa.text("SELECT member_id, state FROM card_outcome WHERE batch_no = :b"),
            params={"b": batch_no},
        )
        return {r[0]: r[1] for r in rows.all()}


def retiree(i: int, birth: date) -> tuple[WithholdingPerson, str]:
    """A retiree of a withholding request and the ID number sealed in it."""
    number = make_id_number("310104", birth, i % 500, i % 2 == 0)
    person = WithholdingPerson(subject_id=f"line-{uuid.uuid4().hex[:10]}", name=f"退休{i}", id_sealed=SEAL.seal(number))
    return person, number


def withholding(
    people: list[WithholdingPerson],
    *,
    request_no: str | None = None,
    amount_fen: int = 30000,
    pension_day: date = date(2026, 3, 20),
    chunk: int = 0,
    chunks: int = 1,
    people_total: int | None = None,
    version: int = 1,
) -> RetireeWithholdingRequested:
    return RetireeWithholdingRequested(
        request_no=request_no or f"DK{uuid.uuid4().hex[:12].upper()}",
        batch_no="TXZY202603150001",
        code="123000000",
        unit_name="上海浦江科技有限公司",
        amount_fen=amount_fen,
        pension_day=pension_day,
        chunk=chunk,
        chunks=chunks,
        people_total=people_total or len(people),
        people=people,
        requested_at=datetime(2026, 3, 15, 10, 0, tzinfo=SHANGHAI),
        version=version,
    )


async def withholding_reports(bootstrap: str, request_no: str) -> list[dict[str, Any]]:
    """Payloads of every bank.withholding.reported answering one request."""
    found = []
    for record in await read_topic(bootstrap, topics.BANK):
        headers = {k: v.decode() for k, v in record.headers}
        if record.key == request_no.encode() and headers["ce_type"] == "bank.withholding.reported":
            found.append(json.loads(record.value))
    return found
