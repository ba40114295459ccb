"""Org test fixtures: an org service on a fresh database and the real broker, and callers by tier."""

from __future__ import annotations

from datetime import timedelta

import pytest

from localstack import Tansu
from localstack.pytest_plugin import running
from org.main import create_app
from org.settings import OrgSettings
from runtime.identity import make_uscc
from runtime.tokens import Principal, Tier, issue

SECRET = "test-secret-0123456789-0123456789-abcdef"


def bearer(tier: Tier, org_id: int | None = None, org_path: str = "", user: str = "u1") -> dict[str, str]:
    # long-lived: module-level headers are minted at import, long before a late test uses them
    token = issue(SECRET, Principal(user_id=user, tier=tier, org_id=org_id, org_path=org_path), ttl=timedelta(hours=6))
    return {"Authorization": f"Bearer {token}"}


SYSTEM = bearer(Tier.SYSTEM)


@pytest.fixture
def org_settings(database: str, kafka: Tansu) -> OrgSettings:
    return OrgSettings(
        database_url=database,
        kafka_bootstrap_servers=kafka.bootstrap,
        internal_token_secret=SECRET,
        consumer_backoff_seconds=0.01,
        consumer_max_attempts=3,
    )


@pytest.fixture
async def client(org_settings: OrgSettings):  # type: ignore[no-untyped-def]
    async with running(create_app(org_settings)) as c:
        yield c


class City:
    """A small tree: city → 徐汇区 (with its 临时工会) → 二级 → a standalone grassroots union; and 黄浦区."""

    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        self.client = client

    async def build(self) -> City:
        from org.service.orgs import create_root

        app = self.client._transport.app  # noqa: SLF001
        async with app.state.sessions() as s:
            root = await create_root(s, "上海市总工会", "310000000001", make_uscc(1))
        self.root = root.id
        self.xuhui = await self.create(self.root, "徐汇区总工会", "区局（产业）工会", "310104000001")
        self.huangpu = await self.create(self.root, "黄浦区总工会", "区局（产业）工会", "310101000001")
        self.secondary = await self.create(self.xuhui["id"], "徐汇区教育工会", "二级工会", "310104000100")
        self.grassroots = await self.create(
            self.secondary["id"], "上海某某科技有限公司工会", "单独基层工会", "310104000116", uscc=make_uscc(7)
        )
        return self

    async def create(self, parent_id, name, kind, code, uscc=None, headers=SYSTEM) -> dict:  # type: ignore[no-untyped-def]
        body = {"parent_id": parent_id, "name": name, "kind": kind, "union_code": code, "uscc": uscc}
        r = await self.client.post("/orgs", json=body, headers=headers)
        assert r.status_code == 201, r.text
        return r.json()


@pytest.fixture
async def city(client) -> City:  # type: ignore[no-untyped-def]
    return await City(client).build()
