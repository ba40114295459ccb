"""Demo roster for `make run`: a few thousand members on the demo city, imported through the members
service's own 批量导入 API (as the unions and districts that would upload them, with internal tokens),
so every row passes the import's rules and the screens show what a clerk would see. The plan — who
uploads which file with whom in it — is `demo_roster_plan.plan_roster`.

Then, for the demo: a third of jiceng's members get an activated e-card and three members of a
neighbouring union ask to move to jiceng's union (待审核 in its 会籍审核管理).

Loading again adds nobody: the same people are re-imported as unchanged (upsert by ID number), a
transfer already waiting is not asked again. `make run` loads it once per var/ (the `demo-roster`
marker keeps the summary for later banners). `uv run python tools/demo_roster.py -h`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from demo_city import DemoLoadError
from demo_roster_plan import (
    DEFAULT_SEED,
    DEFAULT_SIZE,
    HEADER,
    Covered,
    PlannedImport,
    Union,
    Uploader,
    demo_grassroots,
    linked_unions,
    plan_roster,
)

from runtime.db import create_engine
from runtime.settings import ServiceSettings
from runtime.spreadsheet import XLSX, workbook_bytes
from runtime.tokens import Principal, Tier, issue

FINISHED = ("已完成", "已失败")
PROJECTION_TIMEOUT = 60.0
UPLOADS_AT_ONCE = 4  # the members service runs two jobs at a time; the next files wait uploaded
E_CARD_SHARE = 3  # every third member of jiceng's union has activated the e-card
TRANSFERS_TO_HOME = 3


@dataclass(frozen=True)
class RosterSummary:
    members: int  # active members city-wide once the roster is in
    imports: int
    rejected: int  # rows the members service refused (none, unless the demo city changed under it)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> RosterSummary:
        return cls(**json.loads(text))


def token(secret: str, tier: Tier = Tier.SYSTEM, org_id: int | None = None, path: str = "") -> str:
    principal = Principal(user_id="demo-roster", tier=tier, org_id=org_id, org_path=path)
    return str(issue(secret, principal, ttl=timedelta(hours=1)))


@dataclass
class Services:
    """The org and members services' HTTP APIs, as far as the roster needs them."""

    org: httpx.AsyncClient
    members: httpx.AsyncClient
    secret: str

    def auth(self, uploader: Uploader | None = None) -> dict[str, str]:
        who = (uploader.tier, uploader.org_id, uploader.path) if uploader else (Tier.SYSTEM, None, "")
        return {"Authorization": f"Bearer {token(self.secret, *who)}"}

    async def call(self, http: httpx.AsyncClient, method: str, path: str, ok: Iterable[int] = (), **kw: Any) -> Any:
        for attempt in range(3):  # a loaded machine drops a connection now and then: the calls are idempotent
            try:
                r = await http.request(method, path, **kw)
                break
            except httpx.TransportError:
                if attempt == 2:
                    raise
                await asyncio.sleep(1 + attempt)
        if r.is_error and r.status_code not in ok:
            raise DemoLoadError(f"{method} {path} → {r.status_code} {r.text[:300]}")
        return r.json()

    async def orgs(self) -> list[Union]:
        found: list[Union] = []
        for page in itertools.count(1):
            data = await self.call(self.org, "GET", "/orgs", params={"page": page, "size": 200}, headers=self.auth())
            found += [Union(o["id"], o["name"], o["union_code"], o["kind"], o["path"]) for o in data["items"]]
            if not data["items"] or len(found) >= data["total"]:
                return found
        raise AssertionError("unreachable")

    async def covered(self, union: Union) -> list[Covered]:
        """The union's covered enterprises with an address a card can use (≥ 6 characters)."""
        items = await self.call(self.org, "GET", f"/orgs/{union.id}/enterprises", headers=self.auth())
        return [Covered(e["name"], e["uscc"], e["address"]) for e in items if len(e["address"] or "") >= 6]

    async def imported(self, plan: PlannedImport) -> dict[str, Any]:
        """Upload one file and wait for its job to finish."""
        files = {"file": (plan.file_name, workbook_bytes("会员信息", HEADER, plan.rows), XLSX)}
        auth = self.auth(plan.uploader)
        job = await self.call(self.members, "POST", "/imports", files=files, data=plan.form(), headers=auth)
        while job["state"] not in FINISHED:
            await asyncio.sleep(0.2)
            job = await self.call(self.members, "GET", f"/imports/{job['id']}", headers=auth)
        if job["state"] != "已完成":
            raise DemoLoadError(f"演示名册 {plan.file_name} 导入失败：{job['error_message']}")
        return job  # type: ignore[no-any-return]

    async def member_ids(self, union: Union, size: int) -> list[str]:
        params = {"org_id": union.id, "size": size}
        page = await self.call(self.members, "GET", "/members", params=params, headers=self.auth())
        return [m["id"] for m in page["items"]]


async def wait_for_projection(members_db: str, orgs: int) -> None:
    """Union codes resolve only once the members service has heard every org (org.v1)."""
    engine = create_engine(members_db, pool_size=1)
    deadline = time.monotonic() + PROJECTION_TIMEOUT
    try:
        while True:
            async with engine.connect() as conn:
                heard = (await conn.execute(sa.text("SELECT count(*) FROM org_ref WHERE NOT deleted"))).scalar_one()
            if heard >= orgs:
                return
            if time.monotonic() > deadline:
                raise DemoLoadError(f"会员服务只收到 {heard}/{orgs} 个组织事件")
            await asyncio.sleep(0.3)
    finally:
        await engine.dispose()


async def plan(api: Services, size: int, seed: int) -> tuple[list[PlannedImport], list[Union], int | None]:
    orgs = await api.orgs()
    home = getattr(demo_grassroots(orgs), "id", None)
    linked = linked_unions(orgs, home)
    enterprises = await asyncio.gather(*(api.covered(u) for u in linked))
    covered = {u.id: found for u, found in zip(linked, enterprises, strict=True)}
    return plan_roster(orgs, covered, home, size, seed), orgs, home


async def import_all(api: Services, plans: list[PlannedImport]) -> list[dict[str, Any]]:
    slots = asyncio.Semaphore(UPLOADS_AT_ONCE)

    async def one(p: PlannedImport) -> dict[str, Any]:
        async with slots:
            return await api.imported(p)

    return await asyncio.gather(*(one(p) for p in plans))


async def liven_home(api: Services, plans: list[PlannedImport], orgs: list[Union], home: int | None) -> None:
    """jiceng's workbench shows activated e-cards and transfers waiting for its review."""
    union = next((o for o in orgs if o.id == home), None)
    if union is not None:
        await activate_e_cards(api, union)
        neighbours = [p.uploader for p in plans if p.enterprise and p.uploader.org_id != union.id]
        sender = next((u for u in neighbours if u.path.split(".")[:2] == union.path.split(".")[:2]), None)
        if sender is not None:
            await ask_transfers(api, next(o for o in orgs if o.id == sender.org_id), union)


async def activate_e_cards(api: Services, union: Union) -> None:
    clerk, activated = Uploader(Tier.GRASSROOTS, union.id, union.path), {"e_card_activated": True}
    slots = asyncio.Semaphore(UPLOADS_AT_ONCE)

    async def activate(member_id: str) -> None:
        async with slots:
            await api.call(api.members, "PATCH", f"/members/{member_id}", json=activated, headers=api.auth(clerk))

    await asyncio.gather(*(activate(m) for m in (await api.member_ids(union, 200))[::E_CARD_SHARE]))


async def ask_transfers(api: Services, source: Union, target: Union) -> None:
    """Asked by the union the members leave (same district); 409: already waiting from an earlier load."""
    movers = await api.member_ids(source, TRANSFERS_TO_HOME)
    if movers:
        request = {"member_ids": movers, "target_org_id": target.id, "reason": "工作调动，转入本单位工会"}
        clerk = Uploader(Tier.GRASSROOTS, source.id, source.path)
        await api.call(api.members, "POST", "/transfers", ok=(409,), json=request, headers=api.auth(clerk))


async def load(
    org_url: str,
    members_url: str,
    members_db: str,
    secret: str,
    size: int = DEFAULT_SIZE,
    seed: int = DEFAULT_SEED,
) -> RosterSummary:
    async with (
        httpx.AsyncClient(base_url=org_url, timeout=30) as org,
        httpx.AsyncClient(base_url=members_url, timeout=60) as members,
    ):
        api = Services(org, members, secret)
        plans, orgs, home = await plan(api, size, seed)
        await wait_for_projection(members_db, len(orgs))
        jobs = await import_all(api, plans)
        await liven_home(api, plans, orgs, home)
        figures = await api.call(api.members, "GET", "/statistics", headers=api.auth())
    return RosterSummary(figures["members"], len(jobs), sum(j["rows_rejected"] for j in jobs))


def main() -> None:
    default_secret = ServiceSettings.model_fields["internal_token_secret"].default
    parser = argparse.ArgumentParser(description="导入演示会员名册 (demo roster, after the demo city)")
    parser.add_argument("--org-url", default=f"http://127.0.0.1:{os.environ.get('ORG_PORT', 8101)}")
    parser.add_argument("--members-url", default=f"http://127.0.0.1:{os.environ.get('MEMBERS_PORT', 8102)}")
    parser.add_argument("--members-database-url", default=os.environ.get("MEMBERS_DATABASE_URL"))
    parser.add_argument("--secret", default=os.environ.get("INTERNAL_TOKEN_SECRET", default_secret))
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="会员人数（约）")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    if not args.members_database_url:
        parser.error("--members-database-url (or MEMBERS_DATABASE_URL) is needed: it waits for the org projection")
    summary = asyncio.run(
        load(
            args.org_url,
            args.members_url,
            args.members_database_url,
            args.secret,
            args.size,
            args.seed,
        )
    )
    print(summary.to_json())


if __name__ == "__main__":
    main()
