"""Members test fixtures: the service on a fresh database and the real broker, a small org tree in
its projection, callers by tier, and roster files."""

from __future__ import annotations

import io
import json
import random
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response
from openpyxl import Workbook

from contracts import topics
from contracts.envelope import new_envelope
from contracts.org import OrgKind, OrgSnapshot, UnionUpserted
from localstack import Tansu
from localstack.pytest_plugin import eventually, read_topic, running
from members.domain.roster import COLUMNS
from members.main import create_app
from members.service import orgs
from members.settings import MembersSettings
from runtime.identity import make_id_number, make_uscc
from runtime.pii import PartnerSeal, key_from_text
from runtime.tokens import Principal, Tier, issue

SECRET = "test-secret-0123456789-0123456789-abcdef"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [header for _, header in COLUMNS]
ADDRESS = "上海市徐汇区虹漕路88号"
ENTERPRISE = {"data_type": "关联企业类", "enterprise_name": "上海某某科技有限公司", "enterprise_uscc": make_uscc(7)}


def bearer(tier: Tier, org_path: str = "", user: str = "u1", org_id: int | None = None) -> dict[str, str]:
    token = issue(SECRET, Principal(user_id=user, tier=tier, org_id=org_id, org_path=org_path))
    return {"Authorization": f"Bearer {token}"}


SYSTEM = bearer(Tier.SYSTEM, user="system")


@pytest.fixture
def kafka(own_kafka: Tansu) -> Tansu:
    """Every members test on a broker of its own: on the shared one, other tests' org.v1 events (other
    trees, the same org ids) reached this test's projection and made every imported row out of scope."""
    return own_kafka


@pytest.fixture
def members_settings(database: str, kafka: Tansu) -> MembersSettings:
    return MembersSettings(
        database_url=database,
        kafka_bootstrap_servers=kafka.bootstrap,
        internal_token_secret=SECRET,
        consumer_backoff_seconds=0.01,
        consumer_max_attempts=3,
        job_scan_seconds=0.5,
    )


@pytest.fixture
async def client(members_settings: MembersSettings, request: pytest.FixtureRequest) -> AsyncIterator[AsyncClient]:
    """The service; rows are checked in a thread unless a test asks for the worker process, as a
    deployment runs it, with `@pytest.mark.parametrize("client", ["worker"], indirect=True)`."""
    processes = 1 if getattr(request, "param", None) == "worker" else 0
    async with running(create_app(members_settings.model_copy(update={"import_processes": processes}))) as c:
        yield c


def app_of(client: AsyncClient) -> FastAPI:
    """The app behind the in-process client (its state: sessions, importer …)."""
    transport = client._transport  # noqa: SLF001
    assert isinstance(transport, ASGITransport)
    app = transport.app
    assert isinstance(app, FastAPI)
    return app


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
    """city → 徐汇区 (临时工会, two grassroots unions) and 黄浦区 (临时工会, one grassroots union).

    Ids start at a random base: the broker is shared by every test of the session and org.v1 carries
    other tests' orgs too, so nothing here may collide with them."""

    def __init__(self) -> None:
        base = random.randint(10**6, 10**9)
        self.root = Org(base, "上海市总工会", "310000000001", str(base), OrgKind.CITY)
        self.xuhui = self._under(self.root, 1, "徐汇区总工会", "310104000001", OrgKind.DISTRICT)
        self.xuhui_temp = self._under(self.xuhui, 2, "徐汇区总工会临时工会", "310104000999", OrgKind.TEMPORARY)
        self.g1 = self._under(self.xuhui, 3, "上海某某科技有限公司工会", "310104000116", OrgKind.STANDALONE)
        self.g2 = self._under(self.xuhui, 4, "上海另一科技有限公司工会", "310104000117", OrgKind.STANDALONE)
        self.huangpu = self._under(self.root, 5, "黄浦区总工会", "310101000001", OrgKind.DISTRICT)
        self.huangpu_temp = self._under(self.huangpu, 6, "黄浦区总工会临时工会", "310101000999", OrgKind.TEMPORARY)
        self.h1 = self._under(self.huangpu, 7, "上海黄浦某公司工会", "310101000116", OrgKind.STANDALONE)

    def _under(self, parent: Org, offset: int, name: str, code: str, kind: OrgKind) -> Org:
        org_id = self.root.org_id + offset
        return Org(org_id, name, code, f"{parent.path}.{org_id}", kind)

    @property
    def all(self) -> list[Org]:
        return [self.root, self.xuhui, self.xuhui_temp, self.g1, self.g2, self.huangpu, self.huangpu_temp, self.h1]

    def clerk(self, org: Org, user: str = "clerk") -> dict[str, str]:
        tier = {OrgKind.DISTRICT: Tier.DISTRICT, OrgKind.CITY: Tier.CITY}.get(org.kind, Tier.GRASSROOTS)
        return bearer(tier, org.path, user=f"{user}-{org.org_id}", org_id=org.org_id)

    async def project(self, app: Any) -> City:
        """Put the tree into the projection through the consumer's use case (the event path is
        tested on the broker in test_org_projection)."""
        async with app.state.sessions() as session, session.begin():
            for org in self.all:
                event = UnionUpserted(org=org.snapshot())
                await orgs.on_upserted(session, event, new_envelope("/tests", event))
        return self


@pytest.fixture
async def city(client: AsyncClient) -> City:
    return await City().project(app_of(client))


# --- people and roster files ---------------------------------------------------------------------------


def person(i: int, org: Org, *, tag: str = "", address: str = ADDRESS, region: str = "310104") -> list[str]:
    """A valid row of the template; `i` < 250,000 gives a distinct person."""
    male = i % 2 == 0
    birth = date(1970, 1, 1).toordinal() + (i // 500) % 15_000
    id_number = make_id_number(region, date.fromordinal(birth), i % 500, male)
    return [
        f"会员{_chinese(i)}",
        "身份证",
        id_number,
        f"139{i:08d}",
        "男" if male else "女",
        org.name,
        org.code,
        "上海某某科技有限公司",
        tag,
        address,
    ]


def _chinese(i: int) -> str:
    digits = "零一二三四五六七八九"
    return "".join(digits[int(d)] for d in str(i))


def roster(rows: Iterable[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("会员信息")
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def upload(
    client: AsyncClient, path: str, content: bytes, headers: dict[str, str], name: str = "会员.xlsx", **fields: str
) -> Response:
    return await client.post(path, files={"file": (name, content, XLSX)}, data=fields, headers=headers)


async def finished(client: AsyncClient, path: str, headers: dict[str, str], timeout: float = 60) -> dict[str, Any]:
    async def done() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(path, headers=headers)).json()
        return body if body["state"] in ("已完成", "已失败", "比对完成", "比对失败") else None

    body: dict[str, Any] | None = await eventually(done, timeout=timeout)
    assert body, f"{path} did not finish"
    return body


async def import_rows(
    client: AsyncClient, rows: Iterable[Sequence[Any]], headers: dict[str, str], **fields: str
) -> dict[str, Any]:
    r = await upload(client, "/imports", roster(rows), headers, **(fields or ENTERPRISE))
    assert r.status_code == 202, r.text
    return await finished(client, f"/imports/{r.json()['id']}", headers)


async def events(bootstrap: str, ce_type: str, key: str | None = None) -> list[dict[str, Any]]:
    """Payloads of one event type on members.v1 (optionally of one aggregate/import key)."""
    out = []
    for record in await read_topic(bootstrap, topics.MEMBERS):
        headers = {k: v.decode() for k, v in record.headers}
        if headers.get("ce_type") == ce_type and (key is None or record.key == key.encode()):
            out.append(json.loads(record.value))
    return out


def opened(settings: MembersSettings, sealed: str) -> str:
    """What the bank and social-security adapters read from a snapshot's `id_sealed`."""
    return PartnerSeal(key_from_text(settings.partner_seal_key)).open(sealed)
