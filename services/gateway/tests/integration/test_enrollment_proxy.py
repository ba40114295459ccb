"""会员专享保障 through the gateway: the enrollment service behind it (its own process, real clock; the
city opens its windows), on the org service's tree (org.v1) and members and cards published on the
broker. The city configures the year, a district
sets its split, a grassroots union confirms and submits (notice PDF, Idempotency-Key passed on), the
secondary union stages, the district sends the batch (notice, statistics.xlsx, lines), the member's
coverage; another district sees none of it; tiers are kept to their actions; a down service is a 503
in Chinese; the operation log has every change and the statistics download."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.cards import CardChannel, CardIssued
from contracts.members import MemberCategory, MembersImported, MemberSnapshot
from enrollment import demo
from localstack import Postgres, Tansu
from localstack.pytest_plugin import eventually, send_event
from runtime.tokens import Tier
from services.gateway.tests.conftest import (
    PASSWORD,
    Gateway,
    Platform,
    SeedAccount,
    enrollment_process,
    gateway_settings,
    start_platform,
)
from services.gateway.tests.integration.enrollment_world import YEAR, configure, year_body

YEAR_PATH = f"/api/enrollment/programmes/{demo.PROGRAMME}/years/{YEAR}"
HANDLER = {"name": "王经办", "phone": "13900001111", "email": "wang@example.com"}


@pytest.fixture
async def enrollment_platform(
    postgres: Postgres, database: str, org_database: str, broker: Tansu, redis_url: str, redis_prefix: str,
    tmp_path: Path,
) -> AsyncIterator[Platform]:  # fmt: skip
    enrollment_db = await postgres.ensure_database(f"e_{uuid.uuid4().hex[:12]}", fresh=True)
    async with enrollment_process(enrollment_db, broker.bootstrap, tmp_path / "enrollment.log") as url:
        settings = gateway_settings(database, broker, redis_url, redis_prefix, enrollment_url=url)
        async with start_platform(settings, org_database) as p:
            yield p


def _member(org_id: int, i: int) -> MemberSnapshot:
    return MemberSnapshot(
        member_id=f"m-{uuid.uuid4().hex[:12]}", org_id=org_id, category=MemberCategory.LINKED_ENTERPRISE,
        member_no=f"SH{org_id:06d}{i:04d}", work_address="上海市徐汇区虹漕路88号", joined_on=date(2023, 1, 5),
        version=1, name=f"参保会员{i}", id_type="身份证", id_number_masked=f"310***********{i:04d}", gender="男",
        birth_date=date(1985, 6, 1), id_sealed=f"sealed-{i}",
    )  # fmt: skip


async def _publish(bootstrap: str, members: list[MemberSnapshot], carded: list[MemberSnapshot]) -> None:
    """Members and card holders on the broker, as the members and cards services publish them."""
    await send_event(bootstrap, MembersImported(import_id=f"imp-{random.randint(0, 10**9)}", members=members))
    for m in carded:
        card = CardIssued(
            member_id=m.member_id, org_id=m.org_id, batch_no="cb-202306010900", channel=CardChannel.NORMAL,
            card_number_masked="6231 **** **** 0640", issued_on=date(2023, 6, 1), version=1,
        )  # fmt: skip
        await send_event(bootstrap, card)


async def _world(p: Platform) -> dict[str, Any]:
    root = await p.create_root()
    xuhui = await p.create_org(root, "徐汇区总工会", "区局（产业）工会", "310104000001")
    street = await p.create_org(xuhui["id"], "虹梅街道总工会", "二级工会", "310104000002")
    g1 = await p.create_org(street["id"], "上海建朗信息科技有限公司工会", "单独基层工会", "310104000116")
    huangpu = await p.create_org(root, "黄浦区总工会", "区局（产业）工会", "310101000001")
    assert await p.heard(7)  # 5 created + 2 临时工会
    await p.gateway.seed(
        SeedAccount("shizong", PASSWORD, Tier.CITY, root),
        SeedAccount("xuhui", PASSWORD, Tier.DISTRICT, xuhui["id"]),
        SeedAccount("street", PASSWORD, Tier.SECONDARY, street["id"]),
        SeedAccount("jianlang", PASSWORD, Tier.GRASSROOTS, g1["id"]),
        SeedAccount("huangpu", PASSWORD, Tier.DISTRICT, huangpu["id"]),
        SeedAccount("zhibao", PASSWORD, Tier.INSURER),
    )
    return {"root": root, "xuhui": xuhui, "street": street, "g1": g1, "huangpu": huangpu}


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _configure(city: httpx.AsyncClient) -> None:
    """The city sets up the programme, the year (提交至职保中心 opens tomorrow) and its types through the
    gateway (A+ URL-encoded); a split that does not add up is refused with the service's code and title."""
    await configure(city, "/api/enrollment", later=("district_submit",))
    bad = await city.put(f"{YEAR_PATH}/types/B", json={**demo.TYPES["A"].model_dump(), "name": "B类", "city_fen": 1})
    assert bad.status_code == 422 and bad.json()["code"] == "split.not_adding_up", bad.text
    assert bad.headers["content-type"].startswith("application/problem+json") and bad.json()["title"]
    year = await ok(await city.get(YEAR_PATH))
    assert [t["code"] for t in year["types"]] == ["A", "A+"] and len(year["windows"]) == 5


async def test_collective_enrollment_across_the_three_tiers(enrollment_platform: Platform):
    p = enrollment_platform
    w = await _world(p)
    gw = p.gateway
    city, district, street = await gw.signed_in("shizong"), await gw.signed_in("xuhui"), await gw.signed_in("street")
    unit, other = await gw.signed_in("jianlang"), await gw.signed_in("huangpu")
    await _configure(city)

    # 保障金额设置: the district's own share of A类 (13 + 10 + 3 = 26 元)
    splits = await ok(await district.get(f"{YEAR_PATH}/splits"))
    assert {s["type_code"] for s in splits} == {"A", "A+"}
    wrong = await district.put(f"{YEAR_PATH}/splits/A", json={"district_fen": 1000, "grassroots_fen": 0})
    assert wrong.status_code == 422 and wrong.json()["code"] == "split.not_adding_up"
    split = await ok(await district.put(f"{YEAR_PATH}/splits/A", json={"district_fen": 1000, "grassroots_fen": 300}))
    assert split["split"] == {"city_fen": 1300, "district_fen": 1000, "grassroots_fen": 300}

    members = [_member(w["g1"]["id"], i) for i in range(3)]
    await _publish(gw.app.state.settings.kafka_bootstrap_servers, members, members[:2])

    async def enrollable() -> dict | None:
        r = await unit.get(f"{YEAR_PATH}/collective", params={"type_code": "A"})
        return r.json() if r.status_code == 200 and r.json()["counts"]["insured"] == 2 else None

    overview = await eventually(enrollable, timeout=120)
    assert overview, "the card holders never became enrollable behind the gateway"
    assert overview["counts"]["without_card"] == 1 and overview["window_open"] is True
    assert overview["premium"] == {"amount_fen": 5200, "city_fen": 2600, "district_fen": 2000, "grassroots_fen": 600}
    cardless = await ok(await unit.get(f"{YEAR_PATH}/collective/members", params={"list": "未办卡"}))
    assert cardless["total"] == 1 and "*" in cardless["items"][0]["id_number"]
    none = await unit.post(f"{YEAR_PATH}/collective/confirmations", json={})
    assert none.status_code == 422 and none.json()["code"] == "confirm.members_required"

    # 提交至上级审核 with an Idempotency-Key: a retry is the same submission; the notice streams through
    key = {"Idempotency-Key": str(uuid.uuid4())}
    sent = await ok(await unit.post(f"{YEAR_PATH}/collective/submissions", json={"type_code": "A"}, headers=key), 201)
    again = await ok(await unit.post(f"{YEAR_PATH}/collective/submissions", json={"type_code": "A"}, headers=key), 201)
    assert again["request_id"] == sent["request_id"] and sent["persons"] == 2 and sent["amount_fen"] == 5200
    assert sent["notice_url"] == f"/api/enrollment/requests/{sent['request_id']}/notice"
    notice = await unit.get(sent["notice_url"])
    assert notice.status_code == 200 and notice.headers["content-type"] == "application/pdf"
    assert notice.content[:4] == b"%PDF" and "attachment" in notice.headers["content-disposition"]
    last = (await ok(await unit.get(f"{YEAR_PATH}/collective")))["last_submission"]
    assert last["notice_url"] == sent["notice_url"]

    # the secondary union reviews: 退回 needs a reason; 添加至待提交
    params = {"programme": demo.PROGRAMME, "year": YEAR}
    pending = await ok(await street.get("/api/enrollment/review/pending", params=params))
    ids = [s["id"] for s in pending["items"]]
    assert ids == sent["submission_ids"] and pending["items"][0]["org_name"] == "上海建朗信息科技有限公司工会"
    no_reason = await street.post("/api/enrollment/review/return", json={"submission_ids": ids, "reason": ""})
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "review.reason_required"
    await ok(await street.post("/api/enrollment/review/stage", json={"submission_ids": ids}))
    staged = await ok(await district.get("/api/enrollment/review/staged", params=params))
    assert staged["totals"]["persons"] == 2 and staged["totals"]["amounts"]["amount_fen"] == 5200

    # the district sends the batch in its window; then the batch, its files and lines
    body = {**params, "enrollment_type": "集中参保", "handler": HANDLER}
    early = await district.post("/api/enrollment/batches", json=body)
    assert early.status_code == 409 and early.json()["code"] == "window.not_open"
    await ok(await city.put(YEAR_PATH, json=year_body()))  # the city opens 提交至职保中心 now
    batch = await ok(await district.post("/api/enrollment/batches", json=body), 201)
    no = batch["batch_no"]
    assert no.startswith("CB") and batch["persons"] == 2 and batch["handler_phone"] != HANDLER["phone"]
    assert batch["notice_url"] == f"/api/enrollment/batches/{no}/notice"
    listed = await ok(await district.get("/api/enrollment/batches", params=params))
    assert [b["batch_no"] for b in listed["items"]] == [no] and listed["items"][0]["notice_url"] == batch["notice_url"]
    assert (await ok(await city.get(f"/api/enrollment/batches/{no}")))["state"] == "待缴费"
    pdf = await district.get(batch["notice_url"])
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    sheet = await district.get(f"/api/enrollment/batches/{no}/statistics.xlsx")
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"
    assert "attachment" in sheet.headers["content-disposition"]
    lines = await ok(await district.get(f"/api/enrollment/batches/{no}/lines"))
    assert lines["total"] == 2 and {line["state"] for line in lines["items"]} == {"待缴费"}
    coverage = await ok(await unit.get(f"/api/enrollment/members/{members[0].member_id}/coverage"))
    assert [(c["year"], c["state"], c["batch_no"]) for c in coverage] == [(YEAR, "待缴费", no)]

    # another district sees none of it
    assert (await other.get(f"/api/enrollment/batches/{no}")).status_code == 404
    assert (await ok(await other.get("/api/enrollment/batches", params=params)))["total"] == 0
    assert (await other.get(f"/api/enrollment/members/{members[0].member_id}/coverage")).status_code == 404

    log = (await city.get("/api/audit", params={"size": 200})).json()["items"]
    actions = {e["action"] for e in log}
    assert {"put_programme", "put_programme_year", "put_guarantee_type", "put_split", "submit_collective"} <= actions
    assert {"stage_submissions", "return_submissions", "submit_batch", "export_batch_statistics"} <= actions
    refused = [e for e in log if e["action"] == "submit_batch" and e["outcome"] != "success"]
    assert refused, "the refused early batch is in the log too"


async def test_a_down_enrollment_service_is_a_503_and_each_action_keeps_to_its_tier(gateway: Gateway):
    await gateway.place((1, None, "1", "市总工会"), (2, 1, "1.2", "区局（产业）工会"), (3, 2, "1.2.3", "单独基层工会"))
    await gateway.seed(
        SeedAccount("shizong", PASSWORD, Tier.CITY, 1),
        SeedAccount("qu", PASSWORD, Tier.DISTRICT, 2),
        SeedAccount("jiceng", PASSWORD, Tier.GRASSROOTS, 3),
        SeedAccount("zhibao", PASSWORD, Tier.INSURER),
        SeedAccount("qiye", PASSWORD, Tier.ENTERPRISE, name="某未建会企业", enterprise_id=9),
    )
    city, district = await gateway.signed_in("shizong"), await gateway.signed_in("qu")
    unit, insurer, enterprise = [await gateway.signed_in(a) for a in ("jiceng", "zhibao", "qiye")]
    for client, path in ((city, "/api/enrollment/programmes"), (district, f"{YEAR_PATH}/splits"),
                         (unit, f"{YEAR_PATH}/collective"), (insurer, "/api/enrollment/batches")):  # fmt: skip
        down = await client.get(path)
        assert down.status_code == 503 and down.json()["code"] == "service.unavailable", path
        assert down.json()["title"] == "参保服务暂时不可用"
    refused = [
        (district, "PUT", f"/api/enrollment/programmes/{demo.PROGRAMME}"),
        (unit, "PUT", f"{YEAR_PATH}/splits/A"),
        (district, "POST", f"{YEAR_PATH}/collective/submissions"),
        (unit, "POST", "/api/enrollment/review/stage"),
        (unit, "POST", "/api/enrollment/batches"),
        (unit, "GET", "/api/enrollment/batches"),
        (insurer, "GET", f"{YEAR_PATH}/collective"),
        (enterprise, "GET", "/api/enrollment/programmes"),
        (city, "POST", "/api/enrollment/review/return"),
    ]
    for client, method, path in refused:
        r = await client.request(method, path)
        assert r.status_code == 403 and r.json()["code"] == "tier.forbidden", (method, path)
    menus = {name: set((await c.get("/api/me")).json()["menus"]) for name, c in
             (("city", city), ("district", district), ("unit", unit), ("insurer", insurer))}  # fmt: skip
    assert {"enrollment-programmes", "enrollment-batches"} <= menus["city"]
    assert {"enrollment-splits", "enrollment-reviews", "enrollment-staged"} <= menus["district"]
    assert {"enrollment-confirmations", "enrollment-collective", "enrollment-instant"} <= menus["unit"]
    assert {m for m in menus["insurer"] if m.startswith("enrollment")} == {"enrollment-batches"}
    assert not {m for m in menus["unit"] if m in ("enrollment-programmes", "enrollment-reviews", "enrollment-batches")}
