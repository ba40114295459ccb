"""退休住院计划 through the gateway, with the enrollment service behind it (its own process, the real clock:
next year's collective enrollment is configured open now): the insurer loads last year's units as an
.xlsx (a unit without a valid USCC kept but not announced); the announced unit — a registered enterprise
by its USCC — gets its pre-issued account `tuixiu<code>`, which changes its initial password and works
the unit: 单位信息维护, a name change with a 3 MB scan (past the gateway's 1 MB limit) that the insurer
refuses with a reason, then the step bar — batch, 信息确认无误, 委托代扣 with the sealed 委托代扣申请书 (final once
chosen), the roster imported (a bad row reported by row), added, edited and deleted, 提交系统校验. Refusals
are the service's problem+json unchanged, tiers are kept to their actions (district, city and insurer
refused the unit's steps, the unit refused the insurer's), file URLs are the gateway's, the operation log
names the people, and the audit log names the steps."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.models import EnterpriseNode, RetireeUnitAccount
from localstack import Postgres, Tansu
from localstack.pytest_plugin import eventually
from runtime.identity import make_uscc
from runtime.spreadsheet import workbook_bytes
from runtime.tokens import Tier
from services.gateway.tests.conftest import (
    PASSWORD,
    Gateway,
    SeedAccount,
    enrollment_process,
    gateway_settings,
    start_gateway,
)
from services.gateway.tests.integration.retiree_world import (
    API,
    INFO,
    PNG,
    XLSX,
    configure_year,
    import_roster,
    ok,
    people,
    retiree_id,
    roster,
    upload,
)

CODE, UNIT_NAME, USCC = "123000000", "上海某某机械有限公司", make_uscc(41)
INITIAL, CHANGED = "Txbz123456", "Tuixiu@2025a"


@pytest.fixture
async def retiree_gateway(
    postgres: Postgres, database: str, broker: Tansu, redis_url: str, redis_prefix: str, tmp_path: Path
) -> AsyncIterator[Gateway]:
    enrollment_db = await postgres.ensure_database(f"e_{uuid.uuid4().hex[:12]}", fresh=True)
    async with (
        enrollment_process(enrollment_db, broker.bootstrap, tmp_path / "enrollment.log") as url,
        start_gateway(gateway_settings(database, broker, redis_url, redis_prefix, enrollment_url=url)) as gw,
    ):
        await gw.place((1, None, "1", "市总工会"), (2, 1, "1.2", "区局（产业）工会"), (3, 2, "1.2.3", "单独基层工会"))
        await gw.seed(
            SeedAccount("shizong", PASSWORD, Tier.CITY, 1),
            SeedAccount("qu", PASSWORD, Tier.DISTRICT, 2),
            SeedAccount("jiceng", PASSWORD, Tier.GRASSROOTS, 3),
            SeedAccount("zhibao", PASSWORD, Tier.INSURER),
        )
        async with gw.app.state.sessions() as s, s.begin():  # the registered enterprise the unit is
            s.add(EnterpriseNode(enterprise_id=9, name=UNIT_NAME, uscc=USCC, version=1))
        yield gw


async def _pre_issued(gw: Gateway) -> httpx.AsyncClient:
    """The account enrollment's announcement got from the gateway, its initial password replaced."""
    client = gw.new_client()

    async def issued() -> bool:  # looked up, not logged into: failed logins count against the rate limit
        async with gw.app.state.sessions() as s:
            row = await s.get(RetireeUnitAccount, CODE)
            return row is not None and row.account_id is not None

    assert await eventually(issued, timeout=30), "the unit's account was never issued"
    signed_in = await gw.login(f"tuixiu{CODE}", INITIAL, client)
    assert signed_in.status_code == 200, signed_in.text
    changed = await client.post("/api/auth/password", json={"old_password": INITIAL, "new_password": CHANGED})
    assert changed.status_code == 204, changed.text
    return client


async def test_a_unit_through_the_step_bar(retiree_gateway: Gateway):  # noqa: PLR0915
    gw = retiree_gateway
    insurer, district, city, union = [await gw.signed_in(a) for a in ("zhibao", "qu", "shizong", "jiceng")]
    year = await configure_year(str(gw.app.state.settings.enrollment_url))

    # 单位名单: last year's units as an .xlsx; the one without a valid USCC is kept, not announced
    units_file = workbook_bytes("参保单位", ["参保编码", "单位名称", "统一社会信用代码"], [
        [CODE, UNIT_NAME, USCC], ["123000001", "上海无代码单位", "123"],
    ])  # fmt: skip
    path, name = f"{API}/units/imports", "上年度参保单位.xlsx"
    assert (await upload(city, path, name, units_file, XLSX)).json()["code"] == "tier.forbidden"
    loaded = await ok(await upload(insurer, path, name, units_file, XLSX))
    assert (loaded["received"], loaded["registered"], [u["code"] for u in loaded["invalid"]]) == (2, 1, ["123000001"])
    unit = await _pre_issued(gw)
    me = await ok(await unit.get("/api/me"))
    assert me["tier"] == "enterprise" and {"retiree-enrol", "retiree-batches"} <= set(me["menus"])
    insurer_menus = set((await ok(await insurer.get("/api/me")))["menus"])
    assert {"retiree-batches", "retiree-review", "retiree-units", "retiree-name-changes"} <= insurer_menus
    assert "retiree-years" in (await ok(await city.get("/api/me")))["menus"]
    assert {"year": year, "enrollment_type": "集中参保"} in await ok(await unit.get(f"{API}/years/open"))

    # 单位信息维护: the unit sees its own unit alone; the phone comes back masked
    assert [u["code"] for u in (await ok(await unit.get(f"{API}/units")))["items"]] == [CODE]
    assert (await ok(await union.get(f"{API}/units")))["total"] == 0
    assert (await union.get(f"{API}/units/{CODE}")).status_code == 404
    assert (await district.get(f"{API}/units")).json()["code"] == "tier.forbidden"
    kept = await ok(await unit.put(f"{API}/units/{CODE}/info", json=INFO))
    assert (kept["handler_phone"], kept["info_complete"], kept["uscc"]) == ("139*****2222", True, USCC)

    # 修改单位名称 with a 3 MB scan: the service's limit, not the gateway's; the insurer refuses it
    scan = PNG + bytes(3 * 1024 * 1024)
    filed = await ok(
        await upload(unit, f"{API}/units/{CODE}/attachments", "工商变更登记表.png", scan, "image/png"), 201
    )
    assert filed["size"] == len(scan)
    change = INFO | {"new_unit_name": "上海某某机械股份有限公司", "uscc": USCC, "attachment_ids": [filed["id"]]}
    applied = await ok(await unit.post(f"{API}/units/{CODE}/name-changes", json=change), 201)
    assert (applied["status"], applied["old_unit_name"]) == ("申请中", UNIT_NAME)
    again = await unit.post(f"{API}/units/{CODE}/name-changes", json=change)
    assert (again.status_code, again.json()["code"]) == (409, "name_change.pending")
    listed = await ok(await insurer.get(f"{API}/name-changes", params={"status": "申请中"}))
    assert [c["id"] for c in listed["items"]] == [applied["id"]]
    file_url = listed["items"][0]["attachments"][0]["url"]
    if file_url:  # the gateway's path of the file
        assert file_url.startswith(f"{API}/name-changes/{applied['id']}/attachments/")
    file = await insurer.get(f"{API}/name-changes/{applied['id']}/attachments/{filed['id']}/file")
    assert file.status_code == 200 and file.content == scan
    assert (await unit.post(f"{API}/name-changes/{applied['id']}/approve")).json()["code"] == "tier.forbidden"
    refused = await ok(await insurer.post(f"{API}/name-changes/{applied['id']}/reject", json={"reason": "材料不清晰"}))
    assert (refused["status"], refused["reason"], refused["reviewed_by_name"]) == ("审核不通过", "材料不清晰", "zhibao")

    # 1 请选择参保类型: units only; the service's refusal as it is
    body = {"enrollment_type": "集中参保", "code": CODE, "unit_name": UNIT_NAME}
    assert (await district.post(f"{API}/batches", json=body)).json()["code"] == "tier.forbidden"
    wrong = await unit.post(f"{API}/batches", json=body | {"unit_name": "不存在的单位"})
    assert wrong.status_code == 409 and wrong.headers["content-type"].startswith("application/problem+json")
    assert wrong.json()["code"] == "retiree.unit_name_mismatch"
    assert (await union.post(f"{API}/batches", json=body)).status_code == 404  # not the caller's unit
    batch = await ok(await unit.post(f"{API}/batches", json=body), 201)
    no = batch["batch_no"]
    assert no.startswith("TXZY") and (batch["status"], batch["step"], batch["year"]) == ("名单待导入", 2, year)

    # 2 单位信息维护 → 信息确认无误; 3 委托代扣 with the sealed application, final once chosen
    assert (await ok(await unit.post(f"{API}/batches/{no}/unit-confirmation")))["step"] == 3
    entrust = await upload(unit, f"{API}/batches/{no}/attachments", "委托代扣申请书.png", PNG, "image/png",
                           kind="委托代扣申请书")  # fmt: skip
    entrust = await ok(entrust, 201)
    assert entrust["url"] == f"{API}/batches/{no}/attachments/{entrust['id']}/file"
    mode = {"mode": "委托代扣", "entrustment_attachment_id": entrust["id"]}
    zero = await unit.put(f"{API}/batches/{no}/payment-mode", json=mode | {"amount_fen": 0})
    assert (zero.status_code, zero.json()["code"]) == (422, "payment.amount_invalid")
    chosen = await ok(await unit.put(f"{API}/batches/{no}/payment-mode", json=mode | {"amount_fen": 30000}))
    assert (chosen["payment_mode"], chosen["withholding_amount_fen"], chosen["step"]) == ("委托代扣", 30000, 4)
    final = await unit.put(f"{API}/batches/{no}/payment-mode", json={"mode": "缴费凭证"})
    assert (final.status_code, final.json()["code"]) == (409, "payment.mode_final")
    # the 委托代扣款申请表 样稿 of the batch as the service renders it; no 代扣受理单 before a withholding request
    form = await unit.get(f"{API}/withholding-form", params={"batch_no": no})
    assert (form.status_code, form.headers["content-type"], form.content[:5]) == (200, "application/pdf", b"%PDF-")
    assert (await district.get(f"{API}/withholding-form")).json()["code"] == "tier.forbidden"
    slip = await unit.get(f"{API}/batches/{no}/withholding-slip")
    assert (slip.status_code, slip.json()["code"]) == (409, "retiree.no_withholding_request")

    # 4 参保名单梳理: the template, an import with a bad row, one added, one edited, one deleted
    template = await unit.get(f"{API}/roster-template")
    assert template.status_code == 200 and template.headers["content-type"].startswith(XLSX)
    bad = retiree_id(9)[:-1] + ("0" if retiree_id(9)[-1] != "0" else "1")
    job = await import_roster(unit, no, roster(
        ("赵一", "身份证", retiree_id(21), "", "", "13900000021"),
        ("钱二", "身份证", retiree_id(22, male=False), "", "", "13900000022"),
        ("张贺", "身份证", bad, "", "", "13900000023"),
    ))  # fmt: skip
    assert (job["state"], job["rows_added"], job["rows_rejected"]) == ("已完成", 2, 1)
    rejected = await ok(await unit.get(f"{API}/imports/{job['id']}/rejections"))
    assert [(r["row_no"], r["column"], r["name"]) for r in rejected["items"]] == [(4, "证件号码", "张贺")]
    added = {"name": "孙三", "id_type": "身份证", "id_number": retiree_id(23), "phone": "13900000024"}
    assert (await insurer.post(f"{API}/batches/{no}/people", json=added)).json()["code"] == "tier.forbidden"
    sun = await ok(await unit.post(f"{API}/batches/{no}/people", json=added), 201)
    assert sun["id_number"] == retiree_id(23)[:3] + "*" * 11 + retiree_id(23)[-4:] and sun["source"] == "新增"
    edited = await ok(await unit.patch(f"{API}/batches/{no}/people/{sun['id']}", json={"phone": "13900000025"}))
    assert edited["phone"] == "139*****0025"
    by_name = {p["name"]: p for p in await people(unit, no)}
    assert set(by_name) == {"赵一", "钱二", "孙三"}
    assert (await ok(await unit.delete(f"{API}/batches/{no}/people/{by_name['钱二']['id']}")))["count"] == 1
    assert (await ok(await city.get(f"{API}/batches/{no}")))["counts"]["persons"] == 2  # the city reads
    assert (await ok(await union.get(f"{API}/batches")))["total"] == 0

    # 5 提交系统校验: social security answers in its own time (no adapter here): the roster waits
    assert (await city.post(f"{API}/batches/{no}/validation")).json()["code"] == "tier.forbidden"
    validating = await ok(await unit.post(f"{API}/batches/{no}/validation"), 202)
    assert validating["status"] == "名单校验中" and validating["validation"]["requested"] == 2
    frozen = await unit.post(f"{API}/batches/{no}/people", json=added | {"id_number": retiree_id(24)})
    assert (frozen.status_code, frozen.json()["code"]) == (409, "batch.roster_frozen")
    ratios = await ok(await unit.get(f"{API}/batches/{no}/ratios"))
    assert ratios["min_pct"] == 75
    refused_delete = await unit.delete(f"{API}/batches/{no}")
    assert (refused_delete.status_code, refused_delete.json()["code"]) == (409, "batch.delete_refused")

    # the insurer's steps are the insurer's; nothing waits for review yet
    assert (await ok(await insurer.get(f"{API}/review")))["total"] == 0
    assert (await unit.post(f"{API}/batches/{no}/approve")).json()["code"] == "tier.forbidden"
    early = await insurer.post(f"{API}/batches/{no}/approve")
    assert (early.status_code, early.json()["code"]) == (409, "batch.approve_refused")
    attachments = await ok(await insurer.get(f"{API}/batches/{no}/attachments"))
    assert [(a["kind"], a["uploaded_by_name"]) for a in attachments] == [("委托代扣申请书", UNIT_NAME)]
    scan_back = await insurer.get(attachments[0]["url"])
    assert scan_back.content == PNG and scan_back.headers["x-content-type-options"] == "nosniff"

    # the operation log names the people; the audit log the steps
    ops = await ok(await unit.get(f"{API}/batches/{no}/operations"))
    assert ops and all(o["actor_name"] == UNIT_NAME for o in ops)
    assert {"提交系统校验"} <= {o["label"] for o in ops}
    await _audited(gw, {"选择参保缴费方式", "导入参保名单", "新增参保人员", "提交系统校验", "单位名称变更审核不通过"})


async def _audited(gw: Gateway, labels: set[str]) -> None:
    from sqlmodel import col, select

    from gateway.models import AuditEntry

    async with gw.app.state.sessions() as s:
        rows = (await s.exec(select(AuditEntry).where(col(AuditEntry.route).startswith(API)))).all()
    found: dict[str, Any] = {r.action_label: r for r in rows}
    assert labels <= set(found), sorted(found)
