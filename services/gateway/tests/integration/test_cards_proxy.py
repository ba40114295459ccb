"""会员服务卡 through the gateway: the cards service in-process behind it (with org and members on one
broker), a clerk taking members from 未办卡 to 已办卡 — card info and export, the pending list with the
social-security check answered on the broker as the adapter would, expiry edits, the special channel,
提交办卡 (an Idempotency-Key passed on), roster PDF/xlsx streamed, the bank's answer — and revocation
reviewed by the district both ways; then a service that is down (503 in Chinese), tiers kept out, the
partner's 个人办卡 API not reachable, the operation log."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from contracts import topics
from contracts.bank import BankCardIssued
from contracts.socialsec import CheckResult, SocialsecCheckReported
from localstack import Postgres, Tansu
from localstack.pytest_plugin import eventually, read_topic, send_event
from runtime.identity import make_id_number
from runtime.tokens import Tier
from services.gateway.tests.conftest import (
    PASSWORD,
    Gateway,
    Platform,
    SeedAccount,
    gateway_settings,
    start_platform,
)

OUTLET = {"branch": "工商银行徐汇支行", "outlet": "虹漕路网点", "outlet_address": "上海市徐汇区虹漕路100号",
          "contact": "王老师", "contact_phone": "13900001111"}  # fmt: skip
NAMES = ("持卡甲", "持卡乙", "持卡丙", "持卡丁")


@pytest.fixture
async def cards_platform(
    postgres: Postgres,
    database: str,
    org_database: str,
    members_database: str,
    broker: Tansu,
    redis_url: str,
    redis_prefix: str,
) -> AsyncIterator[Platform]:
    cards_database = await postgres.ensure_database(f"c_{uuid.uuid4().hex[:12]}", fresh=True)
    settings = gateway_settings(database, broker, redis_url, redis_prefix)
    async with start_platform(settings, org_database, members_database, cards_database) as p:
        yield p


async def _world(p: Platform) -> dict[str, Any]:
    root = await p.create_root()
    xuhui = await p.create_org(root, "徐汇区总工会", "区局（产业）工会", "310104000001")
    huangpu = await p.create_org(root, "黄浦区总工会", "区局（产业）工会", "310101000001")
    g1 = await p.create_org(xuhui["id"], "上海某某科技有限公司工会", "单独基层工会", "310104000116")
    assert await p.heard(6)  # 4 created + 2 临时工会
    await p.gateway.seed(
        SeedAccount("shizong", PASSWORD, Tier.CITY, root),
        SeedAccount("xuhui", PASSWORD, Tier.DISTRICT, xuhui["id"]),
        SeedAccount("huangpu", PASSWORD, Tier.DISTRICT, huangpu["id"]),
        SeedAccount("jiceng", PASSWORD, Tier.GRASSROOTS, g1["id"]),
    )
    return {"root": root, "xuhui": xuhui, "huangpu": huangpu, "g1": g1}


async def _eligible_members(clerk: httpx.AsyncClient, union: dict) -> dict[str, dict]:
    """关联企业类 members added through the members service, numbered there, eligible in cards."""
    for i, name in enumerate(NAMES):
        body = {"name": name, "id_type": "身份证", "id_number": make_id_number("310104", date(1980, 2, 1 + i), i, True),
                "phone": f"1390000{i:04d}", "gender": "男", "org_id": union["id"], "category": "关联企业类",
                "work_unit": "上海某某科技有限公司", "work_address": "上海市徐汇区虹漕路88号"}  # fmt: skip

        async def created(body: dict = body) -> bool:  # the members service learns the org from org.v1
            return (await clerk.post("/api/members", json=body)).status_code == 201

        assert await eventually(created), f"the members service never accepted {name}"

    async def addable() -> dict[str, dict] | None:
        r = await clerk.get("/api/cards/cards", params={"size": 200})
        cards = {c["name"]: c for c in r.json()["items"]} if r.status_code == 200 else {}
        return cards if len(cards) == len(NAMES) and all(c["addable"] for c in cards.values()) else None

    cards = await eventually(addable, timeout=90)
    assert cards, "the members never became eligible (numbered) in the cards service"
    return cards  # type: ignore[no-any-return]


async def _answer_checks(bootstrap: str, request_id: str, retired: set[str]) -> None:
    """The social-security adapter's part: the request read from socialsec.v1, a report sent back."""

    async def asked() -> dict | None:
        for record in await read_topic(bootstrap, topics.SOCIALSEC):
            if record.key == request_id.encode():
                return json.loads(record.value)  # type: ignore[no-any-return]
        return None

    request = await eventually(asked)
    assert request, "no socialsec.check.requested on the broker"
    results = [
        CheckResult(subject_id=s["subject_id"], found=True, name_on_record=s["name"], retired=s["name"] in retired)
        for s in request["subjects"]
    ]
    await send_event(bootstrap, SocialsecCheckReported(request_id=request_id, requester="cards", results=results))


async def _progress(clerk: httpx.AsyncClient, **wanted: int) -> dict[str, Any]:
    async def reached() -> dict | None:
        normal = (await clerk.get("/api/cards/pending/progress")).json()["普通"]
        return normal if all(normal[k] == v for k, v in wanted.items()) else None

    progress = await eventually(reached, timeout=30)
    assert progress, f"the pending list never reached {wanted}"
    return progress  # type: ignore[no-any-return]


async def test_from_未办卡_to_已办卡_and_a_revocation_both_ways(cards_platform: Platform):  # noqa: PLR0915
    w = await _world(cards_platform)
    gw, bootstrap = cards_platform.gateway, cards_platform.gateway.app.state.settings.kafka_bootstrap_servers
    clerk, xuhui, huangpu = [await gw.signed_in(a) for a in ("jiceng", "xuhui", "huangpu")]
    cards = await _eligible_members(clerk, w["g1"])
    ids = {name: c["member_id"] for name, c in cards.items()}

    # card info: masked, filtered, exported, other districts see nothing
    first = cards["持卡甲"]
    assert first["status"] == "未办卡" and first["id_number"].count("*") == 11 and first["member_no"]
    assert (await clerk.get("/api/cards/cards", params={"name": "持卡乙"})).json()["total"] == 1
    assert (await huangpu.get("/api/cards/cards")).json()["total"] == 0
    assert (await huangpu.get(f"/api/cards/cards/{ids['持卡甲']}")).status_code == 404
    exported = await clerk.get("/api/cards/cards/export")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    cells = [c for row in load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True) for c in row]
    assert "持卡甲" in cells and first["id_number"] in cells

    # 加入待办: all or none, the refusal names who cannot be added and why
    added = await clerk.post("/api/cards/cards/pending", json={"member_ids": [ids[n] for n in NAMES[:3]]})
    assert (added.status_code, added.json()) == (201, {"added": 3})
    again = await clerk.post("/api/cards/cards/pending", json={"member_ids": [ids["持卡甲"], ids["持卡丁"]]})
    assert again.status_code == 409 and again.json()["code"] == "cards.not_addable"
    assert [m["name"] for m in again.json()["members"]] == ["持卡甲"]
    rows = {r["name"]: r for r in (await clerk.get("/api/cards/pending")).json()["items"]}
    assert set(rows) == set(NAMES[:3]) and {r["check_state"] for r in rows.values()} == {"未校验"}

    # 提交系统校验 → the adapter answers on the broker → 已通过 / 未通过 (已退休)
    normal = [rows["持卡甲"]["id"], rows["持卡乙"]["id"]]
    sent = await clerk.post("/api/cards/pending/checks", json={"ids": normal})
    assert sent.status_code == 202 and sent.json()["rows"] == 2, sent.text
    await _answer_checks(bootstrap, sent.json()["request_ids"][0], retired={"持卡乙"})
    progress = await _progress(clerk, passed=1, failed=1)
    assert progress["ready"] is False
    failed = (await clerk.get("/api/cards/pending", params={"check_state": "未通过"})).json()["items"]
    assert [(r["name"], r["check_reason"]) for r in failed] == [("持卡乙", "已退休")]

    # 证件到期日: a past date refused with the service's code; 长期 accepted
    past = await clerk.put(f"/api/cards/pending/{normal[0]}/expiry", json={"expiry": "2001-01-01"})
    assert past.status_code == 422 and past.json()["code"] == "cards.expiry_past"
    long_term = await clerk.put(f"/api/cards/pending/{normal[0]}/expiry", json={"long_term": True})
    assert long_term.status_code == 200 and long_term.json()["id_long_term"] is True

    # the special channel: switch, 完善信息; then 移除全部未通过 leaves the passed row alone
    special = rows["持卡丙"]["id"]
    switched = await clerk.put(f"/api/cards/pending/{special}/channel", json={"channel": "特殊"})
    assert switched.status_code == 200 and switched.json()["channel"] == "特殊"
    info = {"id_type": "护照", "long_term": True, "nationality": "中国"}
    completed = await clerk.put(f"/api/cards/pending/{special}/info", json=info)
    assert completed.status_code == 200 and completed.json()["info_complete"] is True
    removed = await clerk.post("/api/cards/pending/remove-unready", json={"channel": "普通"})
    assert removed.json() == {"removed": 1}
    assert (await _progress(clerk, total=1, passed=1))["ready"] is True

    # 提交办卡 with a retried key: one batch; the roster as PDF and xlsx
    key = {"Idempotency-Key": f"submit-{uuid.uuid4().hex}"}
    batch = await clerk.post("/api/cards/batches", json={"channel": "普通", **OUTLET}, headers=key)
    assert batch.status_code == 201, batch.text
    batch_no = batch.json()["batch_no"]
    retried = await clerk.post("/api/cards/batches", json={"channel": "普通", **OUTLET}, headers=key)
    assert retried.status_code == 201 and retried.json()["batch_no"] == batch_no
    assert batch_no.startswith("cb-") and batch.json()["contact_phone"] == "139*****1111"
    assert (await clerk.get(f"/api/cards/cards/{ids['持卡甲']}")).json()["status"] == "待办中"
    pdf = await clerk.get(f"/api/cards/batches/{batch_no}/roster.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.headers["content-disposition"].startswith("inline")
    xlsx = await clerk.get(f"/api/cards/batches/{batch_no}/roster.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert (await huangpu.get(f"/api/cards/batches/{batch_no}/roster.pdf")).json()["code"] == "not_found"

    # the bank issues: 已办卡 with the masked card number; a revocation is too late now
    issued = BankCardIssued(batch_no=batch_no, member_id=ids["持卡甲"], card_number_masked="6222 **** **** 1234",
                            issued_on=date.today())  # fmt: skip
    await send_event(bootstrap, issued)

    async def carded() -> dict | None:
        card = (await clerk.get(f"/api/cards/cards/{ids['持卡甲']}")).json()
        return card if card["status"] == "已办卡" else None

    card = await eventually(carded)
    assert card and card["card_number"] == "6222 **** **** 1234"
    listed = (await clerk.get("/api/cards/batches", params={"batch_no": batch_no})).json()["items"]
    assert [(b["state"], b["issued_count"]) for b in listed] == [("已完成", 1)]
    asked = {"applicant_name": "王老师", "applicant_phone": "13900001111"}
    late = await clerk.post(f"/api/cards/batches/{batch_no}/revocations", json=asked)
    assert late.status_code == 409 and late.json()["code"] == "cards.revoke_completed"

    # the special batch: revocation asked, rejected with a reason, asked again, approved by the district
    special_batch = (await clerk.post("/api/cards/batches", json={"channel": "特殊", **OUTLET})).json()["batch_no"]
    revocation = await clerk.post(f"/api/cards/batches/{special_batch}/revocations", json=asked)
    assert revocation.status_code == 201 and revocation.json()["state"] == "审核中", revocation.text
    rid = revocation.json()["id"]
    own = await clerk.post(f"/api/cards/revocations/{rid}/approve")
    assert own.status_code == 403 and own.json()["code"] == "tier.forbidden"
    assert (await huangpu.post(f"/api/cards/revocations/{rid}/approve")).status_code == 404
    listed = (await xuhui.get("/api/cards/revocations", params={"state": "审核中"})).json()["items"]
    assert [(r["id"], r["applicant_name"], r["applicant_phone"]) for r in listed] == [(rid, "王老师", "139*****1111")]
    no_reason = await xuhui.post(f"/api/cards/revocations/{rid}/reject", json={"reason": ""})
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "cards.reject_reason_required"
    rejected = await xuhui.post(f"/api/cards/revocations/{rid}/reject", json={"reason": "材料不全"})
    assert (rejected.json()["state"], rejected.json()["review_reason"]) == ("审核不通过", "材料不全")
    # who asked and who reviewed: the services keep account ids, the gateway shows the accounts' names
    who = (rejected.json()["requested_by_name"], rejected.json()["reviewed_by_name"])
    assert who == ("jiceng", "xuhui"), rejected.json()
    assert (await clerk.get(f"/api/cards/cards/{ids['持卡丙']}")).json()["status"] == "待办中"
    second = (await clerk.post(f"/api/cards/batches/{special_batch}/revocations", json=asked)).json()
    approved = await xuhui.post(f"/api/cards/revocations/{second['id']}/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "审核通过", approved.text
    released = (await clerk.get(f"/api/cards/cards/{ids['持卡丙']}")).json()
    assert released["status"] == "未办卡" and released["addable"]
    detail = (await clerk.get(f"/api/cards/batches/{special_batch}")).json()
    assert detail["state"] == "已撤销" and [c["outcome"] for c in detail["cards"]] == ["已撤销"]

    log = (await (await gw.signed_in("shizong")).get("/api/audit", params={"size": 200})).json()["items"]
    actions = {e["action"] for e in log}
    assert {"export_cards", "add_cards_to_pending", "request_card_checks", "change_card_expiry"} <= actions
    assert {"submit_card_batch", "card_roster_xlsx", "card_roster_pdf", "reject_card_revocation"} <= actions
    assert "approve_card_revocation" in actions


async def test_a_down_cards_service_is_a_503_and_other_tiers_are_kept_out(gateway: Gateway):
    await gateway.place((1, None, "1", "市总工会"), (2, 1, "1.2", "区局（产业）工会"), (3, 2, "1.2.3", "单独基层工会"))
    await gateway.seed(
        SeedAccount("shizong", PASSWORD, Tier.CITY, 1),
        SeedAccount("jiceng", PASSWORD, Tier.GRASSROOTS, 3),
        SeedAccount("zhibao", PASSWORD, Tier.INSURER),
    )
    city, unit, insurer = [await gateway.signed_in(a) for a in ("shizong", "jiceng", "zhibao")]
    for path in ("/api/cards/cards", "/api/cards/pending", "/api/cards/batches", "/api/cards/batches/cb-1/roster.pdf"):
        down = await city.get(path)
        assert down.status_code == 503 and down.json()["code"] == "service.unavailable", path
        assert down.json()["title"] == "会员服务卡服务暂时不可用"
    for method, path in (
        ("GET", "/api/cards/cards"),
        ("POST", "/api/cards/batches"),
        ("GET", "/api/cards/revocations"),
    ):
        r = await insurer.request(method, path)
        assert r.status_code == 403 and r.json()["code"] == "tier.forbidden", path
    for path in ("/api/cards/revocations/1/approve", "/api/cards/revocations/1/reject"):
        r = await unit.post(path, json={"reason": "x"})
        assert r.status_code == 403 and r.json()["code"] == "tier.forbidden", path
    partner = await city.post("/api/cards/personal-applications", json={})
    assert partner.status_code in (404, 405), "个人办卡 is the partner's API, not the UI's"
    assert (await city.get("/api/cards/personal-applications/pa-1")).status_code == 404
    menus = {a: set((await c.get("/api/me")).json()["menus"]) for a, c in (("city", city), ("unit", unit))}
    assert {"card-info", "card-pending", "card-batches", "card-revocations"} <= menus["city"]
    assert {"card-info", "card-pending", "card-batches"} <= menus["unit"] and "card-revocations" not in menus["unit"]
    assert not {m for m in (await insurer.get("/api/me")).json()["menus"] if m.startswith("card-")}
