"""Cards test fixtures: the service on a fresh database and the real broker, a small org tree in its
projection, callers by tier, member snapshots as members.v1 sends them, and the flow's steps."""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from cards.main import create_app
from cards.service import orgs
from cards.settings import CardsSettings
from contracts.envelope import new_envelope
from contracts.members import MemberCategory, MembersImported, MemberSnapshot
from contracts.org import OrgKind, OrgSnapshot, UnionUpserted
from localstack import Tansu
from localstack.pytest_plugin import eventually, read_topic, running, send_event
from runtime.clock import SHANGHAI, FixedClock
from runtime.identity import make_id_number, mask_id_number
from runtime.pii import PartnerSeal, key_from_text
from runtime.settings import ServiceSettings
from runtime.tokens import Principal, Tier, issue

SECRET = "test-secret-0123456789-0123456789-abcdef"
ADDRESS = "上海市徐汇区虹漕路88号"
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)  # the service's clock in these tests
SEAL = PartnerSeal(key_from_text(ServiceSettings().partner_seal_key))
OUTLET = {
    "branch": "工商银行徐汇支行",
    "outlet": "虹漕路网点",
    "outlet_address": "上海市徐汇区虹漕路100号",
    "contact": "王老师",
    "contact_phone": "13900001111",
}


def bearer(tier: Tier, org_path: str = "", user: str = "u1", org_id: int | None = None) -> dict[str, str]:
    token = issue(SECRET, Principal(user_id=user, tier=tier, org_id=org_id, org_path=org_path), ttl=timedelta(hours=6))
    return {"Authorization": f"Bearer {token}"}


SYSTEM = bearer(Tier.SYSTEM, user="shengongshe")


@pytest.fixture
def kafka(own_kafka: Tansu) -> Tansu:
    """Every cards test on a broker of its own (localstack's `own_kafka` says why)."""
    return own_kafka


@pytest.fixture
def cards_settings(database: str, kafka: Tansu) -> CardsSettings:
    return CardsSettings(
        database_url=database,
        kafka_bootstrap_servers=kafka.bootstrap,
        internal_token_secret=SECRET,
        consumer_backoff_seconds=0.01,
        consumer_max_attempts=3,
    )


@pytest.fixture
async def client(cards_settings: CardsSettings):  # type: ignore[no-untyped-def]
    async with running(create_app(cards_settings, FixedClock(NOW))) as c:
        yield c


def app_of(client) -> Any:  # type: ignore[no-untyped-def]
    return client._transport.app  # noqa: SLF001


async def joined(client) -> None:  # type: ignore[no-untyped-def]
    """The consumers have joined their group (Tansu takes seconds)."""

    async def started() -> bool:
        return bool(app_of(client).state.started)

    assert await eventually(started, timeout=120), "consumers did not join"


# --- the org tree, as org.v1 would have told it --------------------------------------------------------


@dataclass
class Org:
    org_id: int
    name: str
    code: str
    path: str
    kind: OrgKind

    def snapshot(self, version: int = 1) -> OrgSnapshot:
        ids = self.path.split(".")
        return OrgSnapshot(
            org_id=self.org_id,
            parent_id=int(ids[-2]) if len(ids) > 1 else None,
            path=self.path,
            name=self.name,
            kind=self.kind,
            union_code=self.code,
            district_id=int(ids[1]) if len(ids) > 1 else None,
            version=version,
        )


class City:
    """city → 徐汇区 (two grassroots unions) and 黄浦区 (one). Ids start at a random base: org.v1 on the
    shared broker carries other tests' orgs too."""

    def __init__(self) -> None:
        base = random.randint(10**6, 10**9)
        self.root = Org(base, "上海市总工会", "310000000001", str(base), OrgKind.CITY)
        self.xuhui = self._under(self.root, 1, "徐汇区总工会", "310104000001", OrgKind.DISTRICT)
        self.g1 = self._under(self.xuhui, 3, "上海某某科技有限公司工会", "310104000116", OrgKind.STANDALONE)
        self.g2 = self._under(self.xuhui, 4, "上海另一科技有限公司工会", "310104000117", OrgKind.STANDALONE)
        self.huangpu = self._under(self.root, 5, "黄浦区总工会", "310101000001", OrgKind.DISTRICT)
        self.h1 = self._under(self.huangpu, 7, "上海黄浦某公司工会", "310101000116", OrgKind.STANDALONE)

    def _under(self, parent: Org, offset: int, name: str, code: str, kind: OrgKind) -> Org:
        org_id = self.root.org_id + offset
        return Org(org_id, name, code, f"{parent.path}.{org_id}", kind)

    @property
    def all(self) -> list[Org]:
        return [self.root, self.xuhui, self.g1, self.g2, self.huangpu, self.h1]

    def clerk(self, org: Org, user: str = "clerk") -> dict[str, str]:
        tier = {OrgKind.DISTRICT: Tier.DISTRICT, OrgKind.CITY: Tier.CITY}.get(org.kind, Tier.GRASSROOTS)
        return bearer(tier, org.path, user=f"{user}-{org.org_id}", org_id=org.org_id)

    def admin(self) -> dict[str, str]:
        return bearer(Tier.ADMIN, self.root.path, user="platform-admin", org_id=self.root.org_id)

    async def project(self, app: Any) -> City:
        """Put the tree into the projection through the consumer's use case."""
        async with app.state.sessions() as session, session.begin():
            for org in self.all:
                event = UnionUpserted(org=org.snapshot())
                await orgs.on_upserted(session, event, new_envelope("/tests", event))
        return self


@pytest.fixture
async def city(client) -> City:  # type: ignore[no-untyped-def]
    return await City().project(app_of(client))


# --- members, as members.v1 tells them ------------------------------------------------------------------


def snapshot(i: int, org: Org, **changes: Any) -> MemberSnapshot:
    """An eligible 关联企业类 member with a number; `changes` override any field."""
    male = i % 2 == 0
    birth = date(1980, 1, 1) + timedelta(days=37 * i)
    id_number = make_id_number("310104", birth, i % 500, male)
    fields: dict[str, Any] = {
        "member_id": str(uuid.uuid4()),
        "org_id": org.org_id,
        "category": MemberCategory.LINKED_ENTERPRISE,
        "member_no": f"SH{i + 1:010d}",
        "work_address": ADDRESS,
        "joined_on": date(2025, 6, 1),
        "version": 2,
        "name": f"会员{i}",
        "id_type": "身份证",
        "id_number_masked": mask_id_number(id_number),
        "gender": "男" if male else "女",
        "birth_date": birth,
        "work_unit": "上海某某科技有限公司",
        "id_sealed": SEAL.seal(id_number),
    }
    return MemberSnapshot(**(fields | changes))


async def import_members(bootstrap: str, members: list[MemberSnapshot]) -> str:
    """One members.imported chunk on the broker; returns its import id."""
    import_id = f"imp-{uuid.uuid4().hex[:12]}"
    await send_event(bootstrap, MembersImported(import_id=import_id, members=members))
    return import_id


async def payloads(bootstrap: str, topic: str, ce_type: str, key: str | None = None) -> list[dict[str, Any]]:
    out = []
    for record in await read_topic(bootstrap, topic):
        headers = {k: v.decode() for k, v in record.headers}
        if headers.get("ce_type") == ce_type and (key is None or record.key == key.encode()):
            out.append(json.loads(record.value))
    return out


async def get_json(client, path: str, headers: dict[str, str], **params: Any) -> Any:  # type: ignore[no-untyped-def]
    r = await client.get(path, params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def cards_listed(client, headers: dict[str, str], count: int, **params: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The card list once it has `count` members (the import travels through the broker)."""

    async def enough():  # type: ignore[no-untyped-def]
        body = await get_json(client, "/cards", headers, size=200, **params)
        return body if body["total"] >= count else None

    body = await eventually(enough, timeout=60)
    assert body, f"fewer than {count} members became listed"
    return body  # type: ignore[no-any-return]


async def processed(client, ce_id: str) -> bool:  # type: ignore[no-untyped-def]
    """The consumer has handled (and recorded in its inbox) the event with this id."""
    from sqlalchemy import text

    async def seen() -> bool:
        async with app_of(client).state.sessions() as s:
            return (
                await s.exec(text("SELECT 1 FROM inbox WHERE ce_id = :id"), params={"id": ce_id})
            ).first() is not None  # type: ignore[call-overload]

    return bool(await eventually(seen, timeout=60))


async def special_batch(client, kafka: Tansu, org: Org, headers: dict[str, str], members: list[MemberSnapshot]) -> str:  # type: ignore[no-untyped-def]
    """Members through the special channel (no social-security round trip) into a submitted batch."""
    await import_members(kafka.bootstrap, members)
    await cards_listed(client, headers, len(members), org_id=org.org_id)
    r = await client.post("/cards/pending", json={"member_ids": [m.member_id for m in members]}, headers=headers)
    assert r.status_code == 201, r.text
    rows = (await get_json(client, "/pending", headers, channel="普通", size=200))["items"]
    for row in rows:
        assert (
            await client.put(f"/pending/{row['id']}/channel", json={"channel": "特殊"}, headers=headers)
        ).status_code == 200
        info = {"id_type": "身份证", "long_term": True, "nationality": "中国"}
        assert (await client.put(f"/pending/{row['id']}/info", json=info, headers=headers)).status_code == 200
    r = await client.post("/batches", json={"channel": "特殊", **OUTLET}, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()["batch_no"]  # type: ignore[no-any-return]
