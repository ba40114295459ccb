"""互助保障 参保批次 for the gateway's tests: the programme's years configured on the enrollment service
(the current year's 即时参保 is open on the real clock), roster files in the template's format, and the
scope matrix's part — who may call each /api/mutual-aid batch route, district B's unit (b-jc, with the
code of mutual_aid_codes_world) holding an instant batch in 清册待校验 with a roster (an ID row and a
non-ID row), an upload job and an attachment, probes aiming at them, and the check that they are
unchanged afterwards.

Units work their own code's batches: district A's union and enterprise get 404 for B's batch, rows,
imports and attachments, and lists without them; upper unions read their own subtree only (404 for B).
Opening a batch with B's code is 404 (not the caller's code). Uploads carry a real file so that the
service's file checks pass and its batch check answers."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import httpx
from openpyxl import Workbook

from enrollment import demo
from localstack.pytest_plugin import eventually
from runtime.identity import make_id_number
from services.gateway.tests.conftest import SECRET, Platform

API = "/api/mutual-aid"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
UNITS = {"grassroots", "enterprise"}
REVIEWERS = {"insurer", "admin"}
READERS = UNITS | REVIEWERS | {"city", "district", "secondary"}
# The policy, written down once more independently of gateway.domain.access.
BATCHES_AUDIENCE: dict[str, set[str]] = {
    **dict.fromkeys(
        [
            *("list_open_mutual_aid_years", "get_mutual_aid_year", "download_roster_template"),
            *("search_mutual_aid_batches", "get_mutual_aid_batch", "list_batch_operations", "list_roster_rows"),
            *("get_roster_import", "list_roster_rejections", "list_batch_attachments", "download_batch_attachment"),
            *("get_latest_roster_check", "get_roster_check"),
            "preview_batch_premium",
        ],
        READERS,
    ),
    "put_mutual_aid_rules": {"city", "admin"},
    **dict.fromkeys(
        [
            *("put_suggested_roster", "put_unit_headcounts", "list_batch_review_queue"),
            *("approve_mutual_aid_batch", "reject_mutual_aid_batch"),
        ],
        REVIEWERS,
    ),
    **dict.fromkeys(
        [
            *("create_mutual_aid_batch", "delete_mutual_aid_batch", "withdraw_mutual_aid_batch"),
            *("edit_roster_row", "keep_over_age_row", "choose_roster_name", "delete_roster_row"),
            *("delete_roster_rows", "roster_from_last_year", "roster_from_registry", "set_rows_employed"),
            *("upload_roster", "validate_roster", "submit_roster", "upload_batch_attachment"),
            *("delete_batch_attachment", "confirm_batch_premium"),
        ],
        UNITS,
    ),
}


def person_id(n: int, birth: date = date(1990, 1, 1), male: bool = True) -> str:
    return make_id_number("310101", birth, n, male)


HEADER = [
    *("*姓名", "*证件类型 (身份证、非身份证)", "*证件号码", "出生日期(非身份证类型为必填) 格式例如(1990-01-01)"),
    *("性别 (非身份证类型为必填)", "手机号", "*是否有社保"),
]


def roster_file(*rows: tuple[str, ...]) -> bytes:
    """参保名单导入模板 filled in: 姓名, 证件类型, 证件号码, 出生日期, 性别, 手机号, 是否有社保."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "参保名单"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def configure_years(enrollment_url: str) -> list[int]:
    """The year whose 即时参保 runs now and the next one, as the runner configures them."""
    return await demo.configure_mutual_aid_years(enrollment_url, SECRET)


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


async def upload_roster(unit: httpx.AsyncClient, no: str, content: bytes) -> dict[str, Any]:
    """上传本地参保名单文件 (the .xlsx as the body), then poll the job until it is done."""
    job = await ok(
        await unit.post(f"{API}/batches/{no}/imports", params={"file_name": "参保名单.xlsx"}, content=content,
                        headers={"content-type": XLSX}), 202,
    )  # fmt: skip

    async def finished() -> dict[str, Any] | None:
        now = await ok(await unit.get(f"{API}/imports/{job['id']}"))
        return now if now["state"] in ("已完成", "已失败") else None

    done = await eventually(finished, timeout=60)
    assert done, f"the roster upload {job['id']} never finished"
    return done  # type: ignore[no-any-return]


async def validate_roster(unit: httpx.AsyncClient, no: str) -> dict[str, Any]:
    """【清册校验】 (a background job: 202), poll the job until it is done, then the verdict the batch carries."""
    job = await ok(await unit.post(f"{API}/batches/{no}/validation"), 202)

    async def finished() -> dict[str, Any] | None:
        now = await ok(await unit.get(f"{API}/checks/{job['id']}"))
        return now if now["state"] in ("已完成", "已失败") else None

    done = await eventually(finished, timeout=60)
    assert done and done["state"] == "已完成", f"the roster check {job['id']} never finished: {done}"
    check = (await ok(await unit.get(f"{API}/batches/{no}")))["check"]
    assert check["outcome"] == done["outcome"]
    return check  # type: ignore[no-any-return]


async def rows(client: httpx.AsyncClient, no: str, **params: Any) -> list[dict[str, Any]]:
    body = await ok(await client.get(f"{API}/batches/{no}/rows", params={"size": 500, **params}))
    return body["items"]  # type: ignore[no-any-return]


def batches_probes(i: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Requests that aim at district B's batch from wherever the caller is."""
    no, row, year = i["b_ma_batch"], i["b_ma_row"], i["b_ma_year"]
    batch = {"path": {"batch_no": no}}
    of_row = {"path": {"batch_no": no, "row_id": row}}
    job = {"path": {"import_id": i["b_ma_import"]}}
    check = {"path": {"check_id": i["b_ma_check"]}}
    file = {"path": {"batch_no": no, "attachment_id": i["b_ma_attachment"]}}
    xlsx = roster_file(("乙区探测", "身份证", person_id(90), "", "", "", "是"))
    return {
        "list_open_mutual_aid_years": [{}],
        "get_mutual_aid_year": [{"path": {"year": year}}],
        "put_mutual_aid_rules": [{"path": {"year": year}, "json": {"change_pct": 90}}],
        "put_suggested_roster": [
            {
                "path": {"year": year},
                "json": {"people": [{"name": "乙区探测", "id_number": person_id(91), "unit_code": "00000001"}]},
            },
        ],
        "put_unit_headcounts": [
            {"path": {"year": year}, "json": {"units": [{"unit_code": "00000001", "headcount": 1}]}}
        ],
        "download_roster_template": [{}],
        "create_mutual_aid_batch": [
            {"json": {"enrollment_type": "即时参保", "code": i["b_code"], "unit_name": "乙区互助保障单位"}}
        ],
        "search_mutual_aid_batches": [
            {},
            {"params": {"batch_no": no}},
            {"params": {"unit_name": "乙区"}},
            {"params": {"code": i["b_code"]}},
        ],
        "get_mutual_aid_batch": [batch],
        "delete_mutual_aid_batch": [batch],
        "withdraw_mutual_aid_batch": [batch | {"json": {"reason": "探测"}}],
        "list_batch_operations": [batch],
        "list_roster_rows": [batch, batch | {"params": {"name": "乙区"}}],
        "edit_roster_row": [of_row | {"json": {"name": "乙区被篡改"}}],
        "keep_over_age_row": [of_row | {"json": {"kept": True}}],
        "choose_roster_name": [of_row | {"json": {"name": "乙区被篡改"}}],
        "delete_roster_row": [of_row],
        "delete_roster_rows": [batch | {"json": {"row_ids": [row]}}],
        "roster_from_last_year": [batch],
        "roster_from_registry": [batch],
        "set_rows_employed": [batch | {"json": {"all": True}}],
        "upload_roster": [batch | {"params": {"file_name": "探测.xlsx"}, "content": xlsx}],
        "get_roster_import": [job],
        "list_roster_rejections": [job],
        "validate_roster": [batch],
        "get_latest_roster_check": [batch],
        "get_roster_check": [check],
        "submit_roster": [batch | {"json": {"commitment_accepted": True, "people_confirmed": True}}],
        "upload_batch_attachment": [batch | {"params": {"kind": "情况说明", "file_name": "探测.png"}, "content": PNG}],
        "list_batch_attachments": [batch],
        "download_batch_attachment": [file],
        "delete_batch_attachment": [file],
        "list_batch_review_queue": [{}],
        "approve_mutual_aid_batch": [batch],
        "reject_mutual_aid_batch": [batch | {"json": {"reason": "探测"}}],
        "preview_batch_premium": [batch | {"params": {"items": ["A0", "B0", "C0"]}}],
        "confirm_batch_premium": [batch | {"json": {"items": ["A0", "B0", "C0"]}}],
    }


async def batches_of_b(p: Platform, ids: dict[str, Any], enrollment_url: str) -> None:
    """District B's unit opens an instant batch with its code, uploads a roster (an ID row, a non-ID
    row) and an attachment. Needs codes_of_b first."""
    years = await configure_years(enrollment_url)
    unit = await p.gateway.signed_in("b-jc")
    body = {"enrollment_type": "即时参保", "code": ids["b_code"], "unit_name": "乙区互助保障单位"}
    batch = await ok(await unit.post(f"{API}/batches", json=body), 201)
    ids["b_ma_batch"], ids["b_ma_year"] = batch["batch_no"], batch["year"]
    assert batch["year"] in years
    job = await upload_roster(unit, batch["batch_no"], roster_file(
        ("乙区甲", "身份证", person_id(81), "", "", "", "是"),
        ("乙区乙", "非身份证", "E80000001", "1990-02-03", "女", "", "否"),
    ))  # fmt: skip
    assert job["rows_added"] == 2, job
    ids["b_ma_import"] = job["id"]
    ids["b_ma_row"] = next(r["id"] for r in await rows(unit, batch["batch_no"]) if r["editable"])
    declaration = {"kind": "社保缴费申报表", "file_name": "乙区申报表.png"}
    attached = await unit.post(
        f"{API}/batches/{batch['batch_no']}/attachments", params=declaration, content=PNG,
        headers={"content-type": "image/png"},
    )  # fmt: skip
    ids["b_ma_attachment"] = (await ok(attached, 201))["id"]
    # 清册校验 of a new unit asks for its declaration: the batch stays 清册待校验
    assert (await validate_roster(unit, batch["batch_no"]))["outcome"] == "需上传附件"
    ids["b_ma_check"] = (await ok(await unit.get(f"{API}/batches/{batch['batch_no']}/validation")))["id"]


async def b_batches_are_unchanged(admin: httpx.AsyncClient, ids: dict[str, Any]) -> None:
    no = ids["b_ma_batch"]
    batch = await ok(await admin.get(f"{API}/batches/{no}"))
    assert (batch["status"], batch["persons"], batch["unit_name"], batch["items"]) == (
        "清册待校验", 2, "乙区互助保障单位", [],
    )  # fmt: skip
    assert sorted(r["name"] for r in await rows(admin, no)) == ["乙区乙", "乙区甲"]
    attachments = await ok(await admin.get(f"{API}/batches/{no}/attachments"))
    assert [a["id"] for a in attachments] == [ids["b_ma_attachment"]]
    found = await ok(await admin.get(f"{API}/batches", params={"code": ids["b_code"]}))
    assert [b["batch_no"] for b in found["items"]] == [no]
    ops = await ok(await admin.get(f"{API}/batches/{no}/operations"))
    assert not [o for o in ops if o["reason"] == "探测"]
    year = await ok(await admin.get(f"{API}/years/{ids['b_ma_year']}"))
    assert year["rules"]["change_pct"] == 10
