"""Enrollment test fixtures: the service on a fresh database and the real broker with a clock the test
moves, a small org tree (city → districts → a secondary union → grassroots unions), members and card
holders, the 会员专享基本保障 year configured through the API, callers by tier."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest

from contracts import topics
from contracts.cards import CardChannel, CardIssued
from contracts.envelope import new_envelope
from contracts.members import MemberCategory, MembersImported, MemberSnapshot
from contracts.org import OrgKind, OrgSnapshot, UnionUpserted
from enrollment import demo
from enrollment.main import create_app
from enrollment.service import orgs, people
from enrollment.settings import EnrollmentSettings
from localstack import Tansu
from localstack.pytest_plugin import eventually, read_topic, running, send_event
from runtime.clock import SHANGHAI, FixedClock
from runtime.tokens import Principal, Tier, issue

SECRET = "test-secret-0123456789-0123456789-abcdef"
YEAR = 2024
PROGRAMME = demo.PROGRAMME
BASE = f"/programmes/{PROGRAMME}/years/{YEAR}"


def bearer(tier: Tier, org_path: str = "", user: str = "u1", org_id: int | None = None) -> dict[str, str]:
    # minted at import by some tests: a long ttl so a slow run does not see them expire
    from datetime import timedelta

    token = issue(SECRET, Principal(user_id=user, tier=tier, org_id=org_id, org_path=org_path), ttl=timedelta(hours=6))
    return {"Authorization": f"Bearer {token}"}


CITY = bearer(Tier.CITY, user="city")
SYSTEM = bearer(Tier.SYSTEM, user="system")


def at(*args: int) -> datetime:
    """A moment in Shanghai time."""
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


# The 2024 year's calendar (enrollment.demo): split Oct 25–31 2023, collective and review Nov 1 – Dec 25,
# district submission Dec 26–31, instant from 2024-01-01; districts pay by 2024-01-20.
IN_SPLIT = at(2023, 10, 28, 10)
IN_COLLECTIVE = at(2023, 11, 20, 10)
IN_DISTRICT_SUBMIT = at(2023, 12, 28, 10)
IN_INSTANT = at(2024, 5, 10, 10)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(IN_COLLECTIVE)


@pytest.fixture
def kafka(own_kafka: Tansu) -> Tansu:
    """Every enrollment test on a broker of its own (localstack's `own_kafka` says why)."""
    return own_kafka


@pytest.fixture
def settings(database: str, kafka: Tansu) -> EnrollmentSettings:
    return EnrollmentSettings(
        database_url=database,
        kafka_bootstrap_servers=kafka.bootstrap,
        internal_token_secret=SECRET,
        consumer_backoff_seconds=0.01,
        consumer_max_attempts=3,
        lapse_scan_seconds=0,
        notice_scan_seconds=0,  # the tests deliver notices themselves (RetireeNotices.deliver)
    )


@pytest.fixture
async def client(settings: EnrollmentSettings, clock: FixedClock):  # type: ignore[no-untyped-def]
    async with running(create_app(settings, clock)) as c:
        yield c


def app_of(client) -> Any:  # type: ignore[no-untyped-def]
    return client._transport.app  # noqa: SLF001


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
            org_id=self.org_id, parent_id=int(ids[-2]) if len(ids) > 1 else None, path=self.path, name=self.name,
            kind=self.kind, union_code=self.code, district_id=int(ids[1]) if len(ids) > 1 else None, version=version,
        )  # fmt: skip


class City:
    """city → 徐汇区 → 虹梅街道总工会 (secondary) → g1, g2 (grassroots); 徐汇区 → g3 directly; 黄浦区 → h1.
    Ids start at a random base: the broker is shared by every test of the session."""

    def __init__(self) -> None:
        base = random.randint(10**6, 10**9)
        self.base = base
        self.root = Org(base, "上海市总工会", "310000000001", str(base), OrgKind.CITY)
        self.xuhui = self._under(self.root, 1, "徐汇区总工会", "310104000001", OrgKind.DISTRICT)
        self.street = self._under(self.xuhui, 2, "虹梅街道总工会", "310104000002", OrgKind.SECONDARY)
        self.g1 = self._under(self.street, 3, "上海建朗信息科技有限公司工会", "310104000116", OrgKind.STANDALONE)
        self.g2 = self._under(self.street, 4, "上海金桥建设监理有限公司工会", "310104000117", OrgKind.STANDALONE)
        self.g3 = self._under(self.xuhui, 5, "上海徐汇某某公司工会", "310104000118", OrgKind.STANDALONE)
        self.huangpu = self._under(self.root, 6, "黄浦区总工会", "310101000001", OrgKind.DISTRICT)
        self.h1 = self._under(self.huangpu, 7, "上海黄浦某公司工会", "310101000116", OrgKind.STANDALONE)

    def _under(self, parent: Org, offset: int, name: str, code: str, kind: OrgKind) -> Org:
        org_id = self.root.org_id + offset
        return Org(org_id, name, code, f"{parent.path}.{org_id}", kind)

    @property
    def all(self) -> list[Org]:
        return [self.root, self.xuhui, self.street, self.g1, self.g2, self.g3, self.huangpu, self.h1]

    def clerk(self, org: Org, user: str = "clerk") -> dict[str, str]:
        tier = {OrgKind.DISTRICT: Tier.DISTRICT, OrgKind.CITY: Tier.CITY, OrgKind.SECONDARY: Tier.SECONDARY}.get(
            org.kind, Tier.GRASSROOTS
        )
        return bearer(tier, org.path, user=f"{user}-{org.org_id}", org_id=org.org_id)

    async def project(self, app: Any) -> City:
        """The tree through the consumer's use case (the event path is tested on the broker elsewhere)."""
        async with app.state.sessions() as session, session.begin():
            for org in self.all:
                event = UnionUpserted(org=org.snapshot())
                await orgs.on_upserted(session, event, new_envelope("/tests", event))
        return self


@pytest.fixture
async def city(client) -> City:  # type: ignore[no-untyped-def]
    return await City().project(app_of(client))


# --- members and cards -------------------------------------------------------------------------------


def member(city: City, org: Org, i: int, *, gender: str = "男", birth: date = date(1985, 6, 1), version: int = 1,
           id_type: str = "身份证") -> MemberSnapshot:  # fmt: skip
    return MemberSnapshot(
        member_id=f"m-{city.base}-{org.org_id}-{i}", org_id=org.org_id, category=MemberCategory.LINKED_ENTERPRISE,
        member_no=f"SH{org.org_id % 10**6:06d}{i:04d}", work_address="上海市徐汇区虹漕路88号",
        joined_on=date(2023, 1, 5),
        version=version, name=f"会员{i}", id_type=id_type, id_number_masked=f"310***********{i:04d}", gender=gender,
        birth_date=birth, id_sealed=f"sealed-{i}",
    )  # fmt: skip


def card(m: MemberSnapshot, issued_on: date = date(2023, 6, 1), version: int = 1) -> CardIssued:
    return CardIssued(
        member_id=m.member_id, org_id=m.org_id, batch_no="cb-202306010900", channel=CardChannel.NORMAL,
        card_number_masked="6231 **** **** 0640", issued_on=issued_on, version=version,
    )  # fmt: skip


async def project_people(app: Any, members: list[MemberSnapshot], cards: list[CardIssued]) -> None:
    """Members and card holders through the consumers' use cases."""
    async with app.state.sessions() as session, session.begin():
        await people.upsert_members(session, members)
        for c in cards:
            await people.on_card_issued(session, c, new_envelope("/tests", c))


async def publish_people(bootstrap: str, members: list[MemberSnapshot], cards: list[CardIssued]) -> None:
    """Members and card holders on the real broker, as members and cards publish them."""
    await send_event(bootstrap, MembersImported(import_id=f"imp-{random.randint(0, 10**9)}", members=members))
    for c in cards:
        await send_event(bootstrap, c)


async def configure_year(client, year: int = YEAR) -> None:  # type: ignore[no-untyped-def]
    await demo.configure(client, CITY, year)


# --- reading the service and the broker -------------------------------------------------------------------


async def ok(response, status: int = 200) -> Any:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    return response.json()


async def overview(client, headers: dict[str, str], **params: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return await ok(await client.get(f"{BASE}/collective", params=params, headers=headers))  # type: ignore[no-any-return]


async def enrollment_events(bootstrap: str, ce_type: str, key: str | None = None) -> list[dict[str, Any]]:
    out = []
    for record in await read_topic(bootstrap, topics.ENROLLMENT):
        headers = {k: v.decode() for k, v in record.headers}
        if headers.get("ce_type") == ce_type and (key is None or record.key == key.encode()):
            out.append(json.loads(record.value))
    return out


__all__ = ["eventually"]
