"""退休住院计划 for the gateway's tests: a year whose collective and withholding windows are open on the real
clock (configured on the enrollment service as the platform), roster files in the template's format, and
the scope matrix's part — who may call each /api/retiree route, district B's unit (last year's unit named
as B's grassroots union, so b-jc works it through its org) with its info kept, a pending name change and a
collective voucher-mode batch in 名单待校验 (one person added, one imported, an attachment), probes aiming
at them, and the check that they are unchanged afterwards.

Units work their own unit and batches: district A's union and enterprise get 404 for B's unit, batch,
people, imports, attachments and name change, and lists without them; upper unions read their own
subtree's batches only (404 for B). Opening a batch with B's code is 404 (not the caller's unit)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from enrollment import demo
from enrollment.service.mutual_aid.loads import headcount_file
from enrollment.service.retiree.workbook import rows_of
from enrollment.service.retiree.years import HEADCOUNTS
from localstack.pytest_plugin import eventually
from runtime.identity import make_id_number, make_uscc
from runtime.tokens import Principal, Tier, issue
from services.gateway.tests.conftest import SECRET, SYSTEM_HEADERS, Platform

API = "/api/retiree"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
UNITS = {"grassroots", "enterprise"}
INSURERS = {"insurer", "admin"}
UNIT_READERS = UNITS | INSURERS | {"city"}
READERS = UNIT_READERS | {"district", "secondary"}
# The policy, written down once more independently of gateway.domain.access.
RETIREE_AUDIENCE: dict[str, set[str]] = {
    **dict.fromkeys(
        [
            *("list_open_retiree_years", "get_retiree_year", "download_retiree_roster_template"),
            *("search_retiree_batches", "get_retiree_batch", "list_retiree_batch_operations", "list_retiree_people"),
            *("get_retiree_import", "list_retiree_rejections", "get_retiree_ratios", "list_retiree_attachments"),
            "download_retiree_attachment",
            *("export_retiree_batches", "export_retiree_people"),
        ],
        READERS,
    ),
    **dict.fromkeys(
        ["search_retiree_units", "get_retiree_unit", "lookup_retiree_uscc", "export_retiree_units"], UNIT_READERS
    ),
    "download_retiree_withholding_form": UNIT_READERS,
    "download_retiree_withholding_slip": READERS,
    **dict.fromkeys(
        ["search_retiree_name_changes", "get_retiree_name_change", "download_retiree_name_change_file"],
        UNITS | INSURERS,
    ),
    "put_retiree_rules": {"city", "admin"},
    # every unit's 社保人数: who read all units (a unit sees its own in its batch's 参保比例)
    **dict.fromkeys(["search_retiree_headcounts", "export_retiree_headcounts"], INSURERS | {"city"}),
    **dict.fromkeys(
        [
            *("put_retiree_headcounts", "load_retiree_units", "import_retiree_units"),
            *("download_retiree_headcount_template", "upload_retiree_headcounts"),
            *("approve_retiree_name_change", "reject_retiree_name_change", "list_retiree_review_queue"),
            *("approve_retiree_batch", "reject_retiree_batch"),
        ],
        INSURERS,
    ),
    **dict.fromkeys(
        [
            *("put_retiree_unit_info", "upload_retiree_unit_file", "apply_retiree_name_change"),
            *("create_retiree_batch", "delete_retiree_batch", "confirm_retiree_unit", "choose_retiree_payment_mode"),
            *("add_retiree_person", "edit_retiree_person", "confirm_retiree_ss_name", "classify_retiree_person"),
            *("delete_retiree_person", "delete_retiree_people", "upload_retiree_roster"),
            *("submit_retiree_validation", "upload_retiree_attachment", "delete_retiree_attachment"),
            *("submit_retiree_review", "request_retiree_withholding", "confirm_retiree_roster"),
        ],
        UNITS,
    ),
}
INFO = {
    "address": "上海市黄浦区某某路1号", "postcode": "200001", "district": "黄浦区总工会", "economic_type": "国有企业",
    "handler_name": "乙经办", "handler_phone": "13900002222", "handler_email": "b@example.com",
}  # fmt: skip


def retiree_id(n: int, birth: date = date(1958, 3, 2), male: bool = True) -> str:
    return make_id_number("310101", birth, n, male)


def roster(*people: tuple[str, str, str, str, str, str]) -> bytes:
    """参保名单导入模板 filled in: 姓名, 证件类型, 证件号码, 出生日期, 性别, 手机号."""
    return rows_of(people)


def open_year(year: int, now: datetime) -> dict[str, Any]:
    """Year `year` as configured for the plan, its 集中参保, 委托代扣款缴费参保通道 and 委托代扣申请 open from a
    day before `now` for 60 days (tests run whenever they run); 即时参保 from July 1 as the manual has it."""
    body = demo.retiree_year(year).model_dump(mode="json")
    around = {"opens_at": (now - timedelta(days=1)).isoformat(), "closes_at": (now + timedelta(days=60)).isoformat()}
    for kind in ("collective", "withholding", "withholding_request"):
        body["windows"][kind] = around
    return body


async def configure_year(enrollment_url: str, now: datetime | None = None) -> int:
    """The plan's programme, next year's collective enrollment open now, its rules; as the platform."""
    now = now or datetime.now(UTC)
    year = now.year + 1
    token = issue(SECRET, Principal(user_id="tests", tier=Tier.SYSTEM))
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=enrollment_url, timeout=30) as client:
        await demo.configure_retiree(client, headers, year)
        r = await client.put(f"/programmes/{demo.RETIREE}/years/{year}", json=open_year(year, now), headers=headers)
        assert r.status_code == 200, r.text
    return year


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


async def load_unit(enrollment_url: str, code: str, unit_name: str, uscc: str, org_id: int | None) -> dict[str, Any]:
    """Last year's unit, loaded as the insurer would; waits until enrollment has matched its union (the
    org projection hears org.v1 in its own time)."""
    body = {"units": [{"code": code, "unit_name": unit_name, "uscc": uscc}]}
    async with httpx.AsyncClient(base_url=enrollment_url, timeout=30) as client:

        async def matched() -> dict[str, Any] | None:
            await ok(await client.put("/retiree/units", json=body, headers=SYSTEM_HEADERS))
            unit = await ok(await client.get(f"/retiree/units/{code}", headers=SYSTEM_HEADERS))
            return unit if unit["org_id"] == org_id else None

        unit = await eventually(matched, timeout=30)
    assert unit, f"enrollment never matched unit {code} to org {org_id}"
    return unit  # type: ignore[no-any-return]


async def upload(
    client: httpx.AsyncClient, path: str, file_name: str, content: bytes, media_type: str, **params: Any
) -> httpx.Response:
    """A file as the request body itself (`?file_name=` and the route's own parameters)."""
    return await client.post(
        path, params={"file_name": file_name, **params}, content=content, headers={"content-type": media_type}
    )


async def import_roster(unit: httpx.AsyncClient, no: str, content: bytes) -> dict[str, Any]:
    """导入参保名单 (the .xlsx as the body), then poll the job until it is done."""
    job = await ok(await upload(unit, f"{API}/batches/{no}/imports", "参保名单.xlsx", content, XLSX), 202)

    async def finished() -> dict[str, Any] | None:
        now = await ok(await unit.get(f"{API}/imports/{job['id']}"))
        return now if now["state"] in ("已完成", "已失败") else None

    done = await eventually(finished, timeout=60)
    assert done, f"the roster import {job['id']} never finished"
    return done  # type: ignore[no-any-return]


async def people(client: httpx.AsyncClient, no: str, **params: Any) -> list[dict[str, Any]]:
    body = await ok(await client.get(f"{API}/batches/{no}/people", params={"size": 500, **params}))
    return body["items"]  # type: ignore[no-any-return]


def retiree_probes(i: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Requests that aim at district B's unit and batch from wherever the caller is."""
    no, code, year, person = i["b_rt_batch"], i["b_rt_code"], i["b_rt_year"], i["b_rt_person"]
    batch = {"path": {"batch_no": no}}
    unit = {"path": {"code": code}}
    of_person = {"path": {"batch_no": no, "person_id": person}}
    job = {"path": {"import_id": i["b_rt_import"]}}
    file = {"path": {"batch_no": no, "attachment_id": i["b_rt_attachment"]}}
    change = {"path": {"change_id": i["b_rt_change"]}}
    xlsx = roster(("乙区探测", "身份证", retiree_id(90), "", "", "13900009090"))
    new_person = {"name": "乙区探测", "id_type": "身份证", "id_number": retiree_id(91), "phone": "13900009191"}
    return {
        "list_open_retiree_years": [{}],
        "get_retiree_year": [{"path": {"year": year}}],
        "put_retiree_rules": [{"path": {"year": year}, "json": {"premium_fen": 100}}],
        "put_retiree_headcounts": [
            {
                "path": {"year": year},
                "json": {"units": [{"unit_code": "B0000001", "unit_name": "乙区", "headcount": 1}]},
            }
        ],
        "download_retiree_headcount_template": [{}],
        "upload_retiree_headcounts": [
            {
                "path": {"year": year},
                "params": {"file_name": "探测.xlsx"},
                "content": headcount_file([("B0000001", "乙区探测单位", 1)], HEADCOUNTS),
            }
        ],
        "search_retiree_headcounts": [{"path": {"year": year}}, {"path": {"year": year}, "params": {"unit_code": "B"}}],
        "export_retiree_headcounts": [{"path": {"year": year}}],
        "download_retiree_roster_template": [{}],
        # the 样稿 is anyone's (blank lines); prefilled only from a batch the caller reads
        "download_retiree_withholding_form": [{}, {"params": {"batch_no": no}}],
        "download_retiree_withholding_slip": [batch],
        "load_retiree_units": [
            {"json": {"units": [{"code": code, "unit_name": "乙区被篡改", "uscc": make_uscc(702)}]}}
        ],
        "import_retiree_units": [{"params": {"file_name": "探测.xlsx"}, "content": b"PK\x03\x04"}],
        "search_retiree_units": [{}, {"params": {"code": code}}, {"params": {"unit_name": "乙区"}}],
        "export_retiree_units": [{}, {"params": {"code": code}}, {"params": {"unit_name": "乙区"}}],
        # a directory by design (step 2 shows the USCC a name finds): asked for a name of nobody's
        "lookup_retiree_uscc": [{"params": {"unit_name": "探测单位"}}],
        "get_retiree_unit": [unit],
        "put_retiree_unit_info": [unit | {"json": INFO | {"address": "乙区被篡改"}}],
        "upload_retiree_unit_file": [unit | {"params": {"file_name": "探测.png"}, "content": PNG}],
        "apply_retiree_name_change": [
            unit | {"json": INFO | {"new_unit_name": "乙区被篡改", "uscc": make_uscc(704), "attachment_ids": [1]}}
        ],
        "search_retiree_name_changes": [{}, {"params": {"code": code}}],
        "get_retiree_name_change": [change],
        "download_retiree_name_change_file": [change | {"path": change["path"] | {"file_id": i["b_rt_change_file"]}}],
        "approve_retiree_name_change": [change],
        "reject_retiree_name_change": [change | {"json": {"reason": "探测"}}],
        "create_retiree_batch": [{"json": {"enrollment_type": "集中参保", "code": code, "unit_name": i["b_rt_name"]}}],
        "search_retiree_batches": [
            {},
            {"params": {"batch_no": no}},
            {"params": {"unit_name": "乙区"}},
            {"params": {"code": code}},
        ],
        "export_retiree_batches": [{}, {"params": {"batch_no": no}}, {"params": {"code": code}}],
        "get_retiree_batch": [batch],
        "delete_retiree_batch": [batch],
        "list_retiree_batch_operations": [batch],
        "confirm_retiree_unit": [batch],
        "choose_retiree_payment_mode": [batch | {"json": {"mode": "缴费凭证"}}],
        "list_retiree_people": [batch, batch | {"params": {"name": "乙区"}}],
        "export_retiree_people": [batch, batch | {"params": {"name": "乙区"}}],
        "add_retiree_person": [batch | {"json": new_person}],
        "edit_retiree_person": [of_person | {"json": {"phone": "13900009292"}}],
        "confirm_retiree_ss_name": [of_person],
        "classify_retiree_person": [of_person | {"json": {"no_ss_class": "出国"}}],
        "delete_retiree_person": [of_person],
        "delete_retiree_people": [batch | {"json": {"person_ids": [person]}}, batch | {"json": {"all": True}}],
        "upload_retiree_roster": [batch | {"params": {"file_name": "探测.xlsx"}, "content": xlsx}],
        "get_retiree_import": [job],
        "list_retiree_rejections": [job],
        "submit_retiree_validation": [batch],
        "get_retiree_ratios": [batch],
        "upload_retiree_attachment": [batch | {"params": {"kind": "其他", "file_name": "探测.png"}, "content": PNG}],
        "list_retiree_attachments": [batch],
        "download_retiree_attachment": [file],
        "delete_retiree_attachment": [file],
        "submit_retiree_review": [batch],
        "list_retiree_review_queue": [{}],
        "approve_retiree_batch": [batch],
        "reject_retiree_batch": [batch | {"json": {"reason": "探测"}}],
        "request_retiree_withholding": [batch | {"json": {"accepted": True}}],
        "confirm_retiree_roster": [batch],
    }


async def retiree_of_b(p: Platform, ids: dict[str, Any], enrollment_url: str) -> None:
    """District B's union is last year's unit: its info kept, a name change pending; its collective batch
    (缴费凭证) holds one person added and one imported, and an attachment."""
    ids["b_rt_year"] = await configure_year(enrollment_url)
    code, name = "9100001", "乙区基层工会"
    await load_unit(enrollment_url, code, name, make_uscc(701), ids["b_gr"])
    ids["b_rt_code"], ids["b_rt_name"] = code, name
    unit = await p.gateway.signed_in("b-jc")
    await ok(await unit.put(f"{API}/units/{code}/info", json=INFO))
    evidence = await ok(
        await upload(unit, f"{API}/units/{code}/attachments", "乙区变更登记表.png", PNG, "image/png"), 201
    )
    change = INFO | {"new_unit_name": "乙区基层工会（新）", "uscc": make_uscc(703), "attachment_ids": [evidence["id"]]}
    ids["b_rt_change"] = (await ok(await unit.post(f"{API}/units/{code}/name-changes", json=change), 201))["id"]
    ids["b_rt_change_file"] = evidence["id"]

    body = {"enrollment_type": "集中参保", "code": code, "unit_name": name}
    batch = await ok(await unit.post(f"{API}/batches", json=body), 201)
    no = ids["b_rt_batch"] = batch["batch_no"]
    await ok(await unit.post(f"{API}/batches/{no}/unit-confirmation"))
    await ok(await unit.put(f"{API}/batches/{no}/payment-mode", json={"mode": "缴费凭证"}))
    person = {"name": "乙区甲", "id_type": "身份证", "id_number": retiree_id(81), "phone": "13900008181"}
    ids["b_rt_person"] = (await ok(await unit.post(f"{API}/batches/{no}/people", json=person), 201))["id"]
    job = await import_roster(unit, no, roster(("乙区乙", "身份证", retiree_id(82, male=False), "", "", "13900008282")))
    assert job["rows_added"] == 1, job
    ids["b_rt_import"] = job["id"]
    attached = await upload(unit, f"{API}/batches/{no}/attachments", "乙区说明.png", PNG, "image/png", kind="其他")
    ids["b_rt_attachment"] = (await ok(attached, 201))["id"]


async def b_retiree_is_unchanged(admin: httpx.AsyncClient, ids: dict[str, Any]) -> None:
    no, code = ids["b_rt_batch"], ids["b_rt_code"]
    batch = await ok(await admin.get(f"{API}/batches/{no}"))
    assert (batch["status"], batch["counts"]["persons"], batch["unit_name"], batch["payment_mode"]) == (
        "名单待校验", 2, ids["b_rt_name"], "缴费凭证",
    )  # fmt: skip
    assert sorted(p["name"] for p in await people(admin, no)) == ["乙区乙", "乙区甲"]
    attachments = await ok(await admin.get(f"{API}/batches/{no}/attachments"))
    assert [a["id"] for a in attachments] == [ids["b_rt_attachment"]]
    found = await ok(await admin.get(f"{API}/batches", params={"code": code}))
    assert [b["batch_no"] for b in found["items"]] == [no]
    unit = await ok(await admin.get(f"{API}/units/{code}"))
    assert (unit["unit_name"], unit["address"]) == (ids["b_rt_name"], INFO["address"])
    change = await ok(await admin.get(f"{API}/name-changes/{ids['b_rt_change']}"))
    assert change["status"] == "申请中"
    year = await ok(await admin.get(f"{API}/years/{ids['b_rt_year']}"))
    assert year["rules"]["premium_fen"] == 45000
