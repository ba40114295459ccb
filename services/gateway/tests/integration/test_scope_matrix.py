"""THE SCOPE MATRIX: every /api route × every tier. A user of district A's branch asking for
district B's ids gets 403/404 (or a list without B in it), never B's data, and B is unchanged
afterwards; tiers outside a route's audience get 403; nobody without a session gets anything.

Routes are enumerated from the app, so a new route without a probe here fails the test."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from openpyxl import load_workbook

from localstack import Postgres, free_port, start_tansu
from localstack.pytest_plugin import eventually
from runtime.identity import make_id_number, make_uscc
from runtime.tokens import Tier
from services.gateway.tests.conftest import (
    PASSWORD,
    SYSTEM_HEADERS,
    XLSX,
    Platform,
    SeedAccount,
    billing_process,
    enrollment_process,
    gateway_settings,
    roster_file,
    start_platform,
)
from services.gateway.tests.integration.billing_world import (
    BILLING_AUDIENCE,
    b_billing_is_unchanged,
    billing_of_b,
    billing_probes,
)
from services.gateway.tests.integration.cards_world import (
    CARDS_AUDIENCE,
    b_cards_are_unchanged,
    cards_of_b,
    cards_probes,
    cards_refusal_expected,
)
from services.gateway.tests.integration.enrollment_world import (
    ENROLLMENT_AUDIENCE,
    OWN_DISTRICT,
    b_enrollment_is_unchanged,
    enrollment_of_b,
    enrollment_probes,
)
from services.gateway.tests.integration.mutual_aid_batches_world import (
    BATCHES_AUDIENCE,
    b_batches_are_unchanged,
    batches_of_b,
    batches_probes,
)
from services.gateway.tests.integration.mutual_aid_codes_world import (
    CODES_AUDIENCE,
    b_codes_are_unchanged,
    codes_of_b,
    codes_probes,
    codes_refusal_expected,
)
from services.gateway.tests.integration.mutual_aid_years_world import YEARS_AUDIENCE, years_probes
from services.gateway.tests.integration.retiree_world import (
    RETIREE_AUDIENCE,
    b_retiree_is_unchanged,
    retiree_of_b,
    retiree_probes,
)

B_MARKERS = ("乙区", "b-qu", "b-erji", "b-jc")
# Roster uploads land in the caller's own scope (a row of another district's union is rejected
# there, import.union_out_of_scope): accepting the file (202) is no change to district B.
UPLOADS = {"upload_import", "upload_compare"}
MEMBERS_ROUTES = [
    "search_members",
    "export_members",
    "get_member",
    "create_member",
    "update_member",
    "delete_member",
    "import_template",
    "upload_import",
    "search_imports",
    "get_import",
    "list_rejections",
    "export_rejections",
    "retry_import",
    "default_transfer_target",
    "list_transfer_targets",
    "request_transfers",
    "search_transfers",
    "get_transfer",
    "approve_transfer",
    "reject_transfer",
    "compare_template",
    "upload_compare",
    "search_compares",
    "get_compare",
    "list_compare_missing",
    "handle_compare_missing",
    "export_compare_extra",
]
# 会员转移's target picker names every district's unions by design (a member may move anywhere in
# the city): ids, names and kinds only — nothing else of district B may come with them.
DIRECTORY = {"list_transfer_targets": {"id", "name", "kind"}}
PUBLIC = {"get_captcha", "login", "register", "apply_password_reset"}
SELF = {"logout", "logout_all", "change_password"}  # act on the caller's own session only
PASSWORD_EXEMPT = {"get_me", *SELF}

UNION = {"city", "district", "secondary", "grassroots", "admin"}
EVERYONE = {"city", "district", "secondary", "grassroots", "enterprise", "insurer", "admin"}
# The policy, written down once more independently of gateway.domain.access.
AUDIENCE: dict[str, set[str]] = {
    "get_me": EVERYONE,
    "search_registrations": {"city", "admin"},
    "export_registrations": {"city", "admin"},
    "approve_registration": {"admin"},
    "reject_registration": {"admin"},
    **dict.fromkeys(
        ["search_password_resets", "export_password_resets", "approve_password_reset", "reject_password_reset"],
        {"admin"},
    ),
    **dict.fromkeys(
        [
            "search_accounts",
            "export_accounts",
            "create_account",
            "reset_password",
            "unlock_account",
            "disable_account",
            "enable_account",
        ],
        UNION,
    ),
    "search_audit": {"city", "admin"},
    "export_audit": {"city", "admin"},
    **dict.fromkeys(
        [
            "search_orgs",
            "export_orgs",
            "create_org",
            "get_org",
            "update_org",
            "delete_org",
            "list_covered",
            "add_covered",
            "remove_covered",
        ],
        UNION,
    ),
    "move_orgs": {"city", "district", "secondary", "admin"},
    "search_enterprises": {"city", "insurer", "admin"},
    "search_retiree_accounts": {"insurer", "admin"},
    "reset_retiree_account_password": {"insurer", "admin"},
    "export_enterprises": {"city", "insurer", "admin"},
    "get_workbench": EVERYONE,
    "get_joins": EVERYONE - {"enterprise"},
    **dict.fromkeys(MEMBERS_ROUTES, UNION),
    **ENROLLMENT_AUDIENCE,
    **CARDS_AUDIENCE,
    **BILLING_AUDIENCE,
    **CODES_AUDIENCE,
    **BATCHES_AUDIENCE,
    **YEARS_AUDIENCE,
    **RETIREE_AUDIENCE,
}
BRANCH_A = ("district", "secondary", "grassroots", "enterprise")
CITY_WIDE = ("city", "insurer", "admin")


@dataclass
class World:
    platform: Platform
    ids: dict[str, Any]
    clients: dict[str, httpx.AsyncClient]

    def probes(self, name: str) -> list[dict[str, Any]]:
        """Requests that aim at district B from wherever the caller is."""
        i = self.ids
        b_gr, b_sec, a_sec = i["b_gr"], i["b_sec"], i["a_sec"]
        new_org = {"parent_id": b_sec, "name": "乙区探测工会", "kind": "单独基层工会", "union_code": "310101000777"}
        table: dict[str, list[dict[str, Any]]] = {
            "get_me": [{}],
            "search_registrations": [{}, {"params": {"status": "pending"}}],
            "export_registrations": [{}],
            "approve_registration": [{"path": {"registration_id": i["registration"]}}],
            "reject_registration": [{"path": {"registration_id": i["registration"]}, "json": {"reason": "探测"}}],
            "search_password_resets": [{}, {"params": {"status": "pending"}}, {"params": {"name": "乙区"}}],
            "export_password_resets": [{}],
            "approve_password_reset": [{"path": {"password_reset_id": i["password_reset"]}}],
            "reject_password_reset": [{"path": {"password_reset_id": i["password_reset"]}, "json": {"reason": "探测"}}],
            "search_accounts": [{}, {"params": {"org_id": b_gr}}, {"params": {"account": "b-"}}],
            "export_accounts": [{}, {"params": {"org_id": b_gr}}],
            "create_account": [{"json": {"account": "probe-1", "name": "探测", "tier": "grassroots", "org_id": b_gr}}],
            "reset_password": [{"path": {"account_id": i["b-jc"]}}, {"path": {"account_id": i["b-qu"]}}],
            "unlock_account": [{"path": {"account_id": i["b-jc"]}}],
            "disable_account": [{"path": {"account_id": i["b-jc"]}}],
            "enable_account": [{"path": {"account_id": i["b-erji-disabled"]}}],
            "search_audit": [{}],
            "export_audit": [{}],
            "search_orgs": [{}, {"params": {"parent_id": i["b"]}}, {"params": {"name": "乙区"}}],
            "export_orgs": [{}, {"params": {"parent_id": i["b"]}}],
            "move_orgs": [
                {"json": {"org_ids": [b_gr], "target_parent_id": a_sec}},
                {"json": {"org_ids": [i["a_gr"]], "target_parent_id": b_sec}},
            ],
            "create_org": [{"json": new_org}],
            "get_org": [{"path": {"org_id": b_gr}}, {"path": {"org_id": i["b"]}}],
            "update_org": [{"path": {"org_id": b_gr}, "json": {"name": "被篡改的工会"}}],
            "delete_org": [{"path": {"org_id": i["b_branch"]}}],
            "list_covered": [{"path": {"org_id": b_gr}}],
            "add_covered": [{"path": {"org_id": b_gr}, "json": {"name": "探测企业", "uscc": make_uscc(555)}}],
            "remove_covered": [{"path": {"org_id": b_gr, "enterprise_id": i["b_covered"]}}],
            "search_enterprises": [{}, {"params": {"district_id": i["b"]}}],
            "export_enterprises": [{}],
            "search_retiree_accounts": [{}, {"params": {"code": "1"}}],
            "reset_retiree_account_password": [{"path": {"account_id": i["b-jc"]}}],
            "get_workbench": [{"params": {"org_id": i["b"]}}, {"params": {"org_id": b_gr}}],
            "get_joins": [{"params": {"org_id": i["b"]}}],
            **self.member_probes(),
            **enrollment_probes(i),
            **cards_probes(i),
            **billing_probes(i),
            **codes_probes(i),
            **batches_probes(i),
            **years_probes(i),
            **retiree_probes(i),
        }
        return table[name]

    def member_probes(self) -> dict[str, list[dict[str, Any]]]:
        i = self.ids
        b_gr, member, job, transfer, compare = i["b_gr"], i["b_member"], i["b_import"], i["b_transfer"], i["b_compare"]
        row = _person(7, "乙区基层工会", "310101000116")
        roster = {"file": ("探测.xlsx", roster_file([row]), XLSX)}
        new = {"name": "乙区探测", "id_type": "身份证", "id_number": row[2], "phone": row[3], "gender": row[4]}
        return {
            "search_members": [{}, {"params": {"org_id": b_gr}}, {"params": {"name": "乙区"}}],
            "export_members": [{}, {"params": {"org_id": b_gr}}],
            "get_member": [{"path": {"member_id": member}}],
            "create_member": [{"json": new | {"org_id": b_gr, "category": "灵活就业类"}}],
            "update_member": [{"path": {"member_id": member}, "json": {"work_unit": "被篡改的单位"}}],
            "delete_member": [{"path": {"member_id": member}, "params": {"reason": "退休"}}],
            "import_template": [{}],
            "upload_import": [{"files": roster, "data": {"data_type": "灵活就业类"}}],
            "search_imports": [{}],
            "get_import": [{"path": {"import_id": job}}],
            "list_rejections": [{"path": {"import_id": job}}],
            "export_rejections": [{"path": {"import_id": job}}],
            "retry_import": [{"path": {"import_id": job}}],
            "default_transfer_target": [{"params": {"member_id": member}}],
            "list_transfer_targets": [
                {},
                {"params": {"district_id": i["b"]}},
                {"params": {"district_id": i["b"], "name": "乙区"}},
            ],
            "request_transfers": [{"json": {"member_ids": [member], "target_org_id": i["a_gr"], "reason": "探测"}}],
            "search_transfers": [{}, {"params": {"direction": "in"}}, {"params": {"member_name": "乙区"}}],
            "get_transfer": [{"path": {"transfer_id": transfer}}],
            "approve_transfer": [{"path": {"transfer_id": transfer}, "json": {"note": "探测"}}],
            "reject_transfer": [{"path": {"transfer_id": transfer}, "json": {"note": "探测"}}],
            "compare_template": [{}],
            "upload_compare": [{"files": roster}],
            "search_compares": [{}, {"params": {"file_name": "乙区"}}],
            "get_compare": [{"path": {"compare_id": compare}}],
            "list_compare_missing": [{"path": {"compare_id": compare}}],
            "handle_compare_missing": [
                {"path": {"compare_id": compare, "member_id": member}, "json": {"action": "死亡"}}
            ],
            "export_compare_extra": [{"path": {"compare_id": compare}}],
        }


def _person(i: int, union: str, code: str) -> list[Any]:
    male = i % 2 == 0
    id_number = make_id_number("310101", date(1980, 1, 1 + i), i, male)
    return [f"乙区会员{'甲乙丙丁戊己庚辛壬癸'[i]}", "身份证", id_number, f"139{i:08d}", "男" if male else "女",
            union, code, "乙区某某公司", "", "上海市黄浦区某某路88号"]  # fmt: skip


def api_routes(app: Any) -> list[APIRoute]:
    found = [c.original_route for c in iter_route_contexts(app.routes)]
    return [r for r in found if isinstance(r, APIRoute) and r.path.startswith("/api/")]


async def call(client: httpx.AsyncClient, route: APIRoute, probe: dict[str, Any]) -> httpx.Response:
    method = next(iter(route.methods - {"HEAD"}))
    path = route.path.format(**probe.get("path", {}))
    headers = probe.get("headers")  # an Idempotency-Key, so that money-moving probes reach the service
    if "content" in probe:  # a file as the body itself (互助保障 rosters, attachments)
        return await client.request(method, path, params=probe.get("params"), content=probe["content"])
    if "files" in probe:
        return await client.request(
            method, path, params=probe.get("params"), files=probe["files"], data=probe.get("data"), headers=headers
        )
    return await client.request(method, path, params=probe.get("params"), json=probe.get("json"), headers=headers)


def text_of(response: httpx.Response) -> str:
    if response.headers.get("content-type", "").startswith("application/vnd.openxmlformats"):
        sheet = load_workbook(io.BytesIO(response.content)).active
        return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    return response.text


async def _build(platform: Platform) -> dict[str, Any]:
    p, ids = platform, {}
    ids["root"] = await p.create_root()
    a = await p.create_org(ids["root"], "甲区总工会", "区局（产业）工会", "310104000001")
    b = await p.create_org(ids["root"], "乙区总工会", "区局（产业）工会", "310101000001")
    a_sec = await p.create_org(a["id"], "甲区二级工会", "二级工会", "310104000100")
    b_sec = await p.create_org(b["id"], "乙区二级工会", "二级工会", "310101000100")
    a_gr = await p.create_org(a_sec["id"], "甲区基层工会", "单独基层工会", "310104000116", contact_phone="13800000001")
    b_gr = await p.create_org(b_sec["id"], "乙区基层工会", "单独基层工会", "310101000116", contact_phone="13800000002")
    b_branch = await p.create_org(b_gr["id"], "乙区车间分工会", "分工会/工会小组", "310101000117")
    covered = await p.org.post(
        f"/orgs/{b_gr['id']}/enterprises", json={"name": "乙区覆盖企业", "uscc": make_uscc(77)}, headers=SYSTEM_HEADERS
    )
    enterprise = await p.org.post(
        "/enterprises",
        json={"name": "甲区未建会企业", "uscc": make_uscc(88), "contact": "甲", "phone": "13900000001"},
        headers=SYSTEM_HEADERS,
    )
    await p.org.post(
        "/enterprises",
        json={
            "name": "乙区未建会企业",
            "uscc": make_uscc(89),
            "contact": "乙",
            "phone": "13900000002",
            "district_id": b["id"],
        },
        headers=SYSTEM_HEADERS,
    )
    ids |= {"a": a["id"], "b": b["id"], "a_sec": a_sec["id"], "b_sec": b_sec["id"], "a_gr": a_gr["id"]}
    ids |= {"b_gr": b_gr["id"], "b_branch": b_branch["id"], "b_covered": covered.json()["id"]}
    ids["enterprise"] = enterprise.json()["id"]
    assert await p.heard(10)  # 8 created + 2 临时工会
    return ids


async def _accounts(platform: Platform, ids: dict[str, Any]) -> None:
    gw = platform.gateway
    specs = [
        SeedAccount("shizong", PASSWORD, Tier.CITY, ids["root"]),
        SeedAccount("zhibao", PASSWORD, Tier.INSURER),
        SeedAccount("admin", PASSWORD, Tier.ADMIN),
        SeedAccount("a-qu", PASSWORD, Tier.DISTRICT, ids["a"]),
        SeedAccount("a-erji", PASSWORD, Tier.SECONDARY, ids["a_sec"]),
        SeedAccount("a-jc", PASSWORD, Tier.GRASSROOTS, ids["a_gr"]),
        SeedAccount("a-qiye", PASSWORD, Tier.ENTERPRISE, name="甲区未建会企业", enterprise_id=ids["enterprise"]),
        SeedAccount("b-qu", PASSWORD, Tier.DISTRICT, ids["b"]),
        SeedAccount("b-erji", PASSWORD, Tier.SECONDARY, ids["b_sec"]),
        SeedAccount("b-erji-disabled", PASSWORD, Tier.SECONDARY, ids["b_sec"]),
        SeedAccount("b-jc", PASSWORD, Tier.GRASSROOTS, ids["b_gr"]),
        SeedAccount("a-new", PASSWORD, Tier.GRASSROOTS, ids["a_gr"]),
    ]
    for spec, account_id in zip(specs, await gw.seed(*specs), strict=True):
        ids[spec.account] = account_id
    async with gw.app.state.sessions() as s, s.begin():
        from gateway.models import Account, AccountStatus

        (await s.get(Account, ids["b-erji-disabled"])).status = AccountStatus.DISABLED  # type: ignore[union-attr]
        (await s.get(Account, ids["a-new"])).must_change_password = True  # type: ignore[union-attr]
    captcha_id, code = await gw.captcha()
    r = await gw.client.post(
        "/api/registrations",
        json={
            "uscc": make_uscc(99),
            "name": "乙区待审企业",
            "contact": "丙",
            "phone": "13900000003",
            "password": "Qiye@2024",
            "captcha_id": captcha_id,
            "captcha_code": code,
        },
    )
    ids["registration"] = r.json()["id"]
    ids["password_reset"] = await _password_reset(gw)
    await _members_of_b(gw, ids)


async def _members_of_b(gw: Any, ids: dict[str, Any]) -> None:
    """District B's member, an import, a pending transfer (to its own 二级工会) and a compare."""
    b = await gw.signed_in("b-qu")
    row = _person(1, "乙区基层工会", "310101000116")
    body = {"name": row[0], "id_type": "身份证", "id_number": row[2], "phone": row[3], "gender": row[4],
            "org_id": ids["b_gr"], "category": "灵活就业类", "work_unit": row[7]}  # fmt: skip

    async def created() -> dict | None:  # the members service learns the org tree from org.v1
        r = await b.post("/api/members", json=body)
        return r.json() if r.status_code == 201 else None

    member = await eventually(created)
    assert member, "the members service never accepted district B's member"
    ids["b_member"] = member["id"]
    files = {"file": ("乙区导入.xlsx", roster_file([_person(2, "乙区基层工会", "310101000116")]), XLSX)}
    job = await b.post("/api/imports", files=files, data={"data_type": "灵活就业类"})
    assert job.status_code == 202, job.text
    ids["b_import"] = job.json()["id"]
    moved = await b.post(
        "/api/transfers", json={"member_ids": [member["id"]], "target_org_id": ids["b_sec"], "reason": "乙区调动"}
    )
    assert moved.status_code == 201, moved.text
    ids["b_transfer"] = moved.json()[0]["id"]
    compare = await b.post("/api/compares", files={"file": ("乙区在册.xlsx", roster_file([row]), XLSX)})
    assert compare.status_code == 202, compare.text
    ids["b_compare"] = compare.json()["id"]


async def _password_reset(gw: Any) -> int:
    """A pending 找回密码 application of a registered unit (approved straight in the table, so no
    enterprise reaches the org service)."""
    from gateway.models import Account, AccountStatus, Registration, RegistrationStatus

    uscc, contact, phone = make_uscc(98), "丁", "13900000004"
    captcha_id, code = await gw.captcha()
    body = {"uscc": uscc, "name": "乙区重置企业", "contact": contact, "phone": phone, "password": "Qiye@2024"}
    r = await gw.client.post("/api/registrations", json=body | {"captcha_id": captcha_id, "captcha_code": code})
    async with gw.app.state.sessions() as s, s.begin():
        registration = await s.get(Registration, r.json()["id"])
        registration.status = RegistrationStatus.APPROVED  # type: ignore[union-attr]
        (await s.get(Account, registration.account_id)).status = AccountStatus.ACTIVE  # type: ignore[union-attr]
    captcha_id, code = await gw.captcha()
    body = {"uscc": uscc, "contact": contact, "phone": phone, "captcha_id": captcha_id, "captcha_code": code}
    applied = await gw.client.post("/api/password-resets", json=body)
    assert applied.status_code == 201, applied.text
    return int(applied.json()["id"])


@pytest.fixture(scope="module")
async def world(postgres: Postgres, redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    broker = start_tansu(free_port(), tmp_path_factory.mktemp("matrix") / "tansu.log")
    prefix = f"test:{uuid.uuid4().hex[:10]}:"
    gateway_db = await postgres.ensure_database(f"g_{uuid.uuid4().hex[:12]}", fresh=True)
    org_db = await postgres.ensure_database(f"o_{uuid.uuid4().hex[:12]}", fresh=True)
    members_db = await postgres.ensure_database(f"m_{uuid.uuid4().hex[:12]}", fresh=True)
    enrollment_db = await postgres.ensure_database(f"e_{uuid.uuid4().hex[:12]}", fresh=True)
    cards_db = await postgres.ensure_database(f"c_{uuid.uuid4().hex[:12]}", fresh=True)
    billing_db = await postgres.ensure_database(f"b_{uuid.uuid4().hex[:12]}", fresh=True)
    enrollment_log = tmp_path_factory.mktemp("enrollment") / "enrollment.log"
    billing_log = tmp_path_factory.mktemp("billing") / "billing.log"
    settings = gateway_settings(
        gateway_db, broker, redis_url, prefix, login_rate_per_ip=100, login_rate_per_account=100
    )
    try:
        async with (
            enrollment_process(enrollment_db, broker.bootstrap, enrollment_log) as url,
            billing_process(billing_db, broker.bootstrap, billing_log) as billing_url,
            start_platform(
                settings.model_copy(update={"enrollment_url": url, "billing_url": billing_url}),
                org_db,
                members_db,
                cards_db,
            ) as platform,
        ):
            ids = await _build(platform)
            await _accounts(platform, ids)
            await enrollment_of_b(platform, ids, url)
            await cards_of_b(platform, ids)
            await billing_of_b(platform, ids)
            await codes_of_b(platform, ids)
            await batches_of_b(platform, ids, url)
            await retiree_of_b(platform, ids, url)
            users = {
                "city": "shizong",
                "insurer": "zhibao",
                "admin": "admin",
                "district": "a-qu",
                "secondary": "a-erji",
                "grassroots": "a-jc",
                "enterprise": "a-qiye",
            }
            clients = {tier: await platform.gateway.signed_in(account) for tier, account in users.items()}
            yield World(platform, ids, clients)
    finally:
        broker.stop()
        import redis as sync_redis

        client = sync_redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
        client.close()


async def test_every_api_route_has_a_probe_and_an_audience(world: World):
    names = {r.name for r in api_routes(world.platform.gateway.app)}
    assert names - PUBLIC - SELF == set(AUDIENCE), "a route without a probe (add it to AUDIENCE and probes)"
    for name in AUDIENCE:
        assert world.probes(name)


async def test_nobody_without_a_session_gets_anything(world: World):
    anonymous = world.platform.gateway.new_client()
    for route in api_routes(world.platform.gateway.app):
        if route.name in PUBLIC or route.name == "logout":  # logging out without a session is a no-op
            continue
        for probe in world.probes(route.name) if route.name in AUDIENCE else [{}]:
            r = await call(anonymous, route, probe)
            assert r.status_code == 401 and r.json()["code"] == "session.missing", (route.name, r.text)


async def test_a_temporary_password_opens_nothing_but_me_and_the_password_change(world: World):
    gw = world.platform.gateway
    fresh = await gw.signed_in("a-new")
    for route in api_routes(gw.app):
        if route.name in PUBLIC | PASSWORD_EXEMPT:
            continue
        for probe in world.probes(route.name):
            r = await call(fresh, route, probe)
            assert r.status_code == 403 and r.json()["code"] == "password.change_required", (route.name, r.text)


async def test_the_matrix(world: World):
    failures = []
    for route in api_routes(world.platform.gateway.app):
        if route.name in PUBLIC | SELF:
            continue
        for tier, client in world.clients.items():
            allowed = tier in AUDIENCE[route.name]
            if tier in CITY_WIDE and allowed:
                continue  # they see district B by right; their allowed calls are tested elsewhere
            for probe in world.probes(route.name):
                r = await call(client, route, probe)
                failures += _judge(route.name, tier, allowed, probe, r)
    assert not failures, "\n".join(failures)
    await _b_is_unchanged(world)


def _judge(name: str, tier: str, allowed: bool, probe: dict[str, Any], r: httpx.Response) -> list[str]:
    where = f"{tier} {name} {probe}: {r.status_code} {r.text[:200]}"
    if not allowed:
        ok = r.status_code == 403 and r.json().get("code") == "tier.forbidden"
        return [] if ok else [f"expected 403 tier.forbidden — {where}"]
    if r.status_code in (403, 404):
        return []
    if name in OWN_DISTRICT and r.status_code in (409, 422):
        return []  # the caller's own district, refused by the service (window): nothing of B involved
    if cards_refusal_expected(name, r) or codes_refusal_expected(name, r):
        return []
    if r.status_code >= 300:
        return [f"unexpected status — {where}"]
    if r.request.method != "GET" and not (name in UPLOADS and r.status_code == 202):
        return [f"a change outside the caller's branch succeeded — {where}"]
    if name in DIRECTORY:
        extra = [item for item in r.json()["items"] if set(item) - DIRECTORY[name]]
        return [f"more than names of district B — {where}"] if extra else []
    leaked = [m for m in B_MARKERS if m in text_of(r)]
    return [f"district B's data leaked {leaked} — {where}"] if leaked else []


async def _b_is_unchanged(world: World) -> None:
    p, ids = world.platform, world.ids
    orgs = (await p.org.get("/orgs", params={"size": 200}, headers=SYSTEM_HEADERS)).json()["items"]
    by_id = {o["id"]: o for o in orgs}
    assert by_id[ids["b_gr"]]["name"] == "乙区基层工会" and by_id[ids["b_gr"]]["parent_id"] == ids["b_sec"]
    assert ids["b_branch"] in by_id and "乙区探测工会" not in {o["name"] for o in orgs}
    covered = (await p.org.get(f"/orgs/{ids['b_gr']}/enterprises", headers=SYSTEM_HEADERS)).json()
    assert [c["name"] for c in covered] == ["乙区覆盖企业"]
    gw = p.gateway
    for account in ("b-qu", "b-erji", "b-jc"):
        assert (await gw.login(account)).status_code == 200, account
    admin = world.clients["admin"]
    pending = (await admin.get("/api/registrations", params={"status": "pending"})).json()
    assert pending["total"] == 1
    resets = (await admin.get("/api/password-resets", params={"status": "pending"})).json()
    assert resets["total"] == 1 and resets["items"][0]["id"] == ids["password_reset"]
    disabled = (await admin.get("/api/accounts", params={"account": "b-erji-disabled"})).json()["items"][0]
    assert disabled["status"] == "disabled"
    assert (await admin.get("/api/accounts", params={"account": "probe-1"})).json()["total"] == 0
    member = (await admin.get(f"/api/members/{ids['b_member']}")).json()
    assert member["status"] == "正常" and member["work_unit"] == "乙区某某公司" and member["org_id"] == ids["b_gr"]
    transfer = (await admin.get(f"/api/transfers/{ids['b_transfer']}")).json()
    assert transfer["state"] == "待审核" and transfer["reviewed_by"] is None
    in_b = (await admin.get("/api/members", params={"org_id": ids["b_gr"], "status": "", "size": 200})).json()
    assert all(not m["name"].startswith("乙区探测") for m in in_b["items"])
    await b_enrollment_is_unchanged(admin, ids)
    await b_cards_are_unchanged(admin, ids)
    await b_billing_is_unchanged(admin, ids)
    await b_codes_are_unchanged(admin, ids)
    await b_batches_are_unchanged(admin, ids)
    await b_retiree_is_unchanged(admin, ids)
