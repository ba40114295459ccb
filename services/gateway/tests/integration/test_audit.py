"""操作日志: state changes and exports are written with their outcome; searched, exported, purged."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError

from gateway.models import AuditEntry
from gateway.service import audit
from gateway.settings import GatewaySettings
from runtime.tokens import Tier
from services.gateway.tests.conftest import PASSWORD, Gateway, SeedAccount


async def test_a_logout_is_logged_with_who_logged_out(gateway: Gateway):
    await gateway.seed(SeedAccount("admin", PASSWORD, Tier.ADMIN))
    leaving = await gateway.signed_in("admin")
    assert (await leaving.post("/api/auth/logout")).status_code == 204
    admin = await gateway.signed_in("admin")
    entries = (await admin.get("/api/audit", params={"account": "admin", "action": "logout"})).json()["items"]
    assert [(e["account"], e["tier"], e["outcome"]) for e in entries] == [("admin", "admin", "success")]


async def test_state_changes_refusals_and_exports_are_logged(gateway: Gateway):
    await gateway.place((1, None, "1", "市总工会"), (2, 1, "1.2", "区局（产业）工会"))
    await gateway.seed(SeedAccount("admin", PASSWORD, Tier.ADMIN), SeedAccount("quju", PASSWORD, Tier.DISTRICT, 2))
    await gateway.login("admin", "Wrong@2024pw")
    admin = await gateway.signed_in("admin")
    created = (
        await admin.post("/api/accounts", json={"account": "jc1", "name": "甲", "tier": "district", "org_id": 2})
    ).json()
    await admin.post(f"/api/accounts/{created['id']}/reset-password")
    await admin.get("/api/me")  # reads are not logged
    await admin.get("/api/accounts/export")
    quju = await gateway.signed_in("quju")
    refused = await quju.get("/api/audit/export")
    assert refused.status_code == 403

    entries = (await admin.get("/api/audit", params={"size": 200})).json()["items"]
    seen = [(e["account"], e["action"], e["outcome"], e["status"]) for e in reversed(entries)]
    assert seen == [
        ("admin", "login", "denied", 401),
        ("admin", "login", "success", 200),
        ("admin", "create_account", "success", 201),
        ("admin", "reset_password", "success", 200),
        ("admin", "export_accounts", "success", 200),
        ("quju", "login", "success", 200),
        ("quju", "export_audit", "denied", 403),
    ]
    create = next(e for e in entries if e["action"] == "create_account")
    assert create["target_ids"] == [f"account_id={created['id']}"] and create["route"] == "/api/accounts"
    assert create["tier"] == "admin" and create["ip"] == "127.0.0.1" and create["method"] == "POST"
    reset = next(e for e in entries if e["action"] == "reset_password")
    assert reset["route"] == "/api/accounts/{account_id}/reset-password"

    by_target = (await admin.get("/api/audit", params={"target": f"account_id={created['id']}"})).json()
    assert {e["action"] for e in by_target["items"]} == {"create_account", "reset_password"}
    denied = (await admin.get("/api/audit", params={"outcome": "denied"})).json()
    assert [e["account"] for e in denied["items"]] == ["quju", "admin"]
    today = gateway.clock.now().date().isoformat()
    assert (await admin.get("/api/audit", params={"start": today, "end": today})).json()["total"] == 7

    exported = await admin.get("/api/audit/export", params={"action": "login"})
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "账号", "层级") and len(rows) == 1 + 3
    assert {r[6] for r in rows[1:]} == {"登录"}
    last = (await admin.get("/api/audit", params={"size": 1})).json()["items"][0]
    assert last["action"] == "export_audit" and last["outcome"] == "success", "exports of the log are logged too"


async def test_old_entries_are_purged_after_the_retention(gateway: Gateway):
    sessions, now = gateway.app.state.sessions, gateway.clock.now()
    for days in (200, 184, 10):
        entry = AuditEntry(
            at=now - timedelta(days=days),
            account="x",
            ip="1.1.1.1",
            method="POST",
            route="/api/x",
            action=f"d{days}",
            outcome="success",
            status=200,
        )
        await audit.record(sessions, entry)
    async with sessions() as s:
        assert await audit.purge(s, gateway.clock, 183) == 2
    async with sessions() as s:
        left, total = await audit.search(s, audit.AuditFilter(), 1, 20)
    assert [e.action for e in left] == ["d10"] and total == 1
    with pytest.raises(ValidationError):
        GatewaySettings(audit_retention_days=90)
