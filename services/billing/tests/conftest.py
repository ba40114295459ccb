"""Billing test fixtures: the service on a fresh database and the real broker with a clock the test
moves, a small org tree (city → two districts → grassroots unions), batches as enrollment submits them,
callers by tier, a voucher upload through multipart."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from billing.main import create_app
from billing.service import orgs
from billing.settings import BillingSettings
from contracts import topics
from contracts.enrollment import (
    BatchLine,
    Channel,
    EnrollmentBatchSubmitted,
    EnrollmentType,
    GuaranteeTotal,
    PremiumSplit,
)
from contracts.envelope import new_envelope
from contracts.org import OrgKind, OrgSnapshot, UnionUpserted
from localstack import Tansu
from localstack.pytest_plugin import eventually, read_topic, running
from runtime.clock import SHANGHAI, FixedClock
from runtime.tokens import Principal, Tier, issue

SECRET = "test-secret-0123456789-0123456789-abcdef"
ARTIFACTS = Path(__file__).resolve().parents[3] / "tests" / "artifacts" / "billing"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17) + b"voucher-image"


def bearer(tier: Tier, org_path: str = "", user: str = "u1", org_id: int | None = None) -> dict[str, str]:
    # minted at import by some tests: a long ttl so a slow run does not see them expire
    token = issue(SECRET, Principal(user_id=user, tier=tier, org_id=org_id, org_path=org_path), ttl=timedelta(hours=6))
    return {"Authorization": f"Bearer {token}"}


INSURER = bearer(Tier.INSURER, user="insurer-1")
CITY = bearer(Tier.CITY, user="city-1")
SYSTEM = bearer(Tier.SYSTEM, user="system")


def at(*args: int) -> datetime:
    """A moment in Shanghai time."""
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(at(2023, 12, 28, 10))


@pytest.fixture
def kafka(own_kafka: Tansu) -> Tansu:
    """Every billing test on a broker of its own (localstack's `own_kafka` says why)."""
    return own_kafka


@pytest.fixture
def settings(database: str, kafka: Tansu) -> BillingSettings:
    return BillingSettings(
        database_url=database,
        kafka_bootstrap_servers=kafka.bootstrap,
        internal_token_secret=SECRET,
        consumer_backoff_seconds=0.01,
        consumer_max_attempts=3,
        state_scan_seconds=0,
        voucher_max_bytes=64 * 1024,
    )


@pytest.fixture
async def client(settings: BillingSettings, clock: FixedClock):  # type: ignore[no-untyped-def]
    app = create_app(settings, clock)
    async with running(app) as c:
        yield c
        # Stop only once the consumers have joined: an app stopped halfway through joining leaves a
        # member behind that keeps the shared broker's group "billing" rebalancing for the next test.
        await eventually(lambda: _joined(app), timeout=60)


async def _joined(app: Any) -> bool:
    return bool(app.state.started)


def app_of(client) -> Any:  # type: ignore[no-untyped-def]
    return client._transport.app  # noqa: SLF001


# --- the org tree, as org.v1 would have told it --------------------------------------------------------


@dataclass
class Org:
    org_id: int
    name: str
    path: str
    kind: OrgKind

    def snapshot(self) -> OrgSnapshot:
        ids = self.path.split(".")
        return OrgSnapshot(
            org_id=self.org_id, parent_id=int(ids[-2]) if len(ids) > 1 else None, path=self.path, name=self.name,
            kind=self.kind, union_code=f"31{self.org_id % 10**10:010d}", version=1,
        )  # fmt: skip


class City:
    """city → 徐汇区 (g1 under it), 黄浦区 (h1 under it). Ids start at a random base: the broker is shared."""

    def __init__(self) -> None:
        base = random.randint(10**6, 10**9)
        self.root = Org(base, "上海市总工会", str(base), OrgKind.CITY)
        self.xuhui = self._under(self.root, 1, "徐汇区总工会", OrgKind.DISTRICT)
        self.g1 = self._under(self.xuhui, 2, "上海𠮷祥信息科技有限公司工会", OrgKind.STANDALONE)
        self.huangpu = self._under(self.root, 3, "黄浦区总工会", OrgKind.DISTRICT)
        self.h1 = self._under(self.huangpu, 4, "上海黄浦某公司工会", OrgKind.STANDALONE)

    def _under(self, parent: Org, offset: int, name: str, kind: OrgKind) -> Org:
        org_id = self.root.org_id + offset
        return Org(org_id, name, f"{parent.path}.{org_id}", kind)

    @property
    def all(self) -> list[Org]:
        return [self.root, self.xuhui, self.g1, self.huangpu, self.h1]

    def clerk(self, org: Org) -> dict[str, str]:
        tier = {OrgKind.DISTRICT: Tier.DISTRICT, OrgKind.CITY: Tier.CITY}.get(org.kind, Tier.GRASSROOTS)
        return bearer(tier, org.path, user=f"clerk-{org.org_id}", org_id=org.org_id)

    async def project(self, app: Any) -> City:
        async with app.state.sessions() as session, session.begin():
            for org in self.all:
                event = UnionUpserted(org=org.snapshot())
                await orgs.on_upserted(session, event, new_envelope("/tests", event))
        return self


@pytest.fixture
async def city(client) -> City:  # type: ignore[no-untyped-def]
    return await City().project(app_of(client))


# --- batches as enrollment submits them ------------------------------------------------------------------


def batch_events(
    payer: Org, unit: Org, persons: int = 3, premium_fen: int = 7600, *, chunk_size: int = 1000,
    batch_no: str | None = None, pay_by: date = date(2024, 1, 20), payer_name: str | None = None,
) -> list[EnrollmentBatchSubmitted]:  # fmt: skip
    """A district batch of A+ members (76 = 13 city + 63 district), chunked as enrollment chunks it."""
    no = batch_no or f"CB20231228{random.randint(0, 10**6):06d}"
    lines = [
        BatchLine(member_id=f"m-{no}-{i}", org_id=unit.org_id, name=f"会员{i}",
                  id_number_masked=f"310***********{i:04d}", channel=Channel.MEMBER_CARD, guarantee_type="A+",
                  premium_fen=premium_fen)
        for i in range(persons)
    ]  # fmt: skip
    amount = persons * premium_fen
    city_fen = persons * 1300
    parts = [lines[i : i + chunk_size] for i in range(0, len(lines), chunk_size)]
    return [
        EnrollmentBatchSubmitted(
            batch_no=no,
            chunk=i,
            chunks=len(parts),
            lines_total=persons,
            payer_org_id=payer.org_id,
            payer_org_name=payer_name or payer.name,
            programme="member-basic",
            programme_name="上海工会会员专享基本保障",
            year=2024,
            enrollment_type=EnrollmentType.COLLECTIVE,
            guarantee_types=[
                GuaranteeTotal(
                    code="A+", name="A+类会员专享基本保障", premium_fen=premium_fen, persons=persons, amount_fen=amount
                )
            ],
            persons_member_card=persons,
            persons_ss_card=0,
            split=PremiumSplit(amount_fen=amount, city_fen=city_fen, district_fen=amount - city_fen, grassroots_fen=0),
            pay_by=pay_by,
            coverage_start=date(2024, 1, 1),
            coverage_end=date(2024, 12, 31),
            handler_name="王经办",
            handler_phone_masked="139*****1111",
            handler_email="wang@example.com",
            submitted_at=at(2023, 12, 28, 9),
            lines=part,
        )  # fmt: skip
        for i, part in enumerate(parts)
    ]


async def take(app: Any, *events: EnrollmentBatchSubmitted) -> None:
    """Batches through the consumer's use case (the broker path is tested in test_payables)."""
    from billing.service.intake import Intake

    intake = Intake("上海市职工保障互助会", app.state.clock)
    for event in events:
        async with app.state.sessions() as session, session.begin():
            await intake.on_batch_submitted(session, event, new_envelope("/tests", event))


# --- requests ---------------------------------------------------------------------------------------------


async def ok(response, status: int = 200) -> Any:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    return response.json()


def voucher_data(batch_nos: list[str], amount_fen: int, **extra: Any) -> dict[str, Any]:
    return {
        "batch_nos": batch_nos, "paying_unit": "徐汇区总工会", "method": "贷记(网银)", "amount_fen": amount_fen,
        "account_category": "会员专享", "transfer_date": "2023-12-28", **extra,
    }  # fmt: skip


REFUND = {"account_category": "在职", "account_name": "徐汇区总工会", "account_no": "6222 0000 1111 2222",
          "bank": "上海银行", "method": "划帐"}  # fmt: skip


async def upload(client, headers, data, *, key: str | None = "k1", file=("凭证.png", PNG, "image/png"),
                 extra_files=None, method="POST", url="/vouchers"):  # type: ignore[no-untyped-def]  # fmt: skip
    # (None, text): a plain form field, so the body is multipart even without a file
    parts: dict[str, Any] = {"data": (None, json.dumps(data, ensure_ascii=False))}
    parts.update({"file": file} if file else {})
    parts.update(extra_files or {})
    h = headers | ({"Idempotency-Key": key} if key else {})
    return await client.request(method, url, files=parts, headers=h)


async def billing_events(bootstrap: str, ce_type: str, key: str | None = None) -> list[dict[str, Any]]:
    out = []
    for record in await read_topic(bootstrap, topics.BILLING):
        headers = {k: v.decode() for k, v in record.headers}
        if headers.get("ce_type") == ce_type and (key is None or record.key == key.encode()):
            out.append(json.loads(record.value))
    return out
