"""批量导入 through the HTTP API on real PostgreSQL and the real broker."""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections import Counter
from typing import Any

import asyncpg
import pytest
from httpx import AsyncClient
from openpyxl import load_workbook
from sqlmodel import select

from contracts.members import MembersImported
from localstack import Tansu
from localstack.pytest_plugin import eventually, running
from members.main import create_app
from members.models import Member
from members.service import members as members_service
from members.settings import MembersSettings
from runtime.outbox import OutboxMessage
from services.members.tests.conftest import (
    ADDRESS,
    ENTERPRISE,
    XLSX,
    City,
    app_of,
    events,
    finished,
    import_rows,
    opened,
    person,
    roster,
    upload,
)


async def rejection_codes(client: AsyncClient, import_id: str, caller: dict[str, str]) -> Counter[str]:
    """How many rows were refused for each reason: what an unexpected count is made of."""
    page = (await client.get(f"/imports/{import_id}/rejections", params={"size": 200}, headers=caller)).json()
    return Counter(r["code"] for r in page["items"])


@pytest.mark.parametrize("client", ["worker"], indirect=True)
async def test_an_import_of_thousands_stores_accepted_rows_and_reports_the_rest(
    client: AsyncClient, city: City, kafka: Tansu
) -> None:
    clerk = city.clerk(city.xuhui)
    rows = [person(i, city.g1 if i % 2 else city.g2) for i in range(2_400)]
    bad = [
        [*person(5000, city.g1)[:2], "310104197001010013", *person(5000, city.g1)[3:]],  # check digit
        [*person(5001, city.g1)[:3], "1390000", *person(5001, city.g1)[4:]],  # phone
        [*person(5002, city.g1)[:4], "女", *person(5002, city.g1)[5:]],  # sex differs from the ID (even = 男)
        [*person(5003, city.h1)],  # another district's union: outside the uploader's scope
        [*person(5004, city.g1)[:9], "上海"],  # address too short for 关联企业类
        ["@SUM(1+1)*cmd|' /C calc'!A0", *person(5005, city.g1)[1:]],  # a formula-like text (DDE payload)
        person(17, city.g1),  # the same person as row 19 (i=17): both refused
    ]
    job = await import_rows(client, rows + bad, clerk)
    assert job["state"] == "已完成", job
    counts = (job["rows_total"], job["rows_created"], job["rows_rejected"])
    assert counts == (2_407, 2_399, 8), await rejection_codes(client, job["id"], clerk)
    assert job["rows_stored"] == 2_399 and job["rows_validated"] == 2_407

    rejections = (await client.get(f"/imports/{job['id']}/rejections", params={"size": 50}, headers=clerk)).json()
    reasons = {(r["row_no"], r["code"]) for r in rejections["items"]}
    first_bad = 2 + 2_400  # Excel row of the first bad line (header is row 1)
    assert reasons == {
        (19, "import.duplicate_in_file"),
        (first_bad + 6, "import.duplicate_in_file"),
        (first_bad, "id_number.check_digit"),
        (first_bad + 1, "phone.format"),
        (first_bad + 2, "member.gender_mismatch"),
        (first_bad + 3, "import.union_out_of_scope"),
        (first_bad + 4, "import.address_too_short"),
        (first_bad + 5, "import.cell_formula"),
    }
    assert all(r["reason"] and r["column"] for r in rejections["items"])

    # checked: the error file neutralises the formula-like text the clerk typed as a name
    xlsx = await client.get(f"/imports/{job['id']}/rejections.xlsx", headers=clerk)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in names
    assert not any(str(n).startswith(("=", "+", "-", "@")) for n in names)

    # checked: ≤ 1,000 snapshots per event, every created member exactly once, version 1
    chunks = await eventually(lambda: _all_published(kafka.bootstrap, job["id"], 2_399))
    assert chunks and all(len(c["members"]) <= 1000 for c in chunks) and len(chunks) == 3
    snapshots = [m for c in chunks for m in c["members"]]
    assert len({m["member_id"] for m in snapshots}) == 2_399
    assert {m["version"] for m in snapshots} == {1}
    assert {m["category"] for m in snapshots} == {"关联企业类"}
    assert all("*" in m["id_number_masked"] for m in snapshots)


async def _all_published(bootstrap: str, import_id: str, n: int) -> list[dict[str, Any]] | None:
    chunks = await events(bootstrap, "members.imported", import_id)
    return chunks if sum(len(c["members"]) for c in chunks) >= n else None


async def test_a_reimport_changes_only_what_differs(
    client: AsyncClient, city: City, kafka: Tansu, members_settings: MembersSettings
) -> None:
    clerk = city.clerk(city.g1)
    rows = [person(i, city.g1) for i in range(30)]
    first = await import_rows(client, rows, clerk)
    assert (first["rows_created"], first["rows_updated"], first["rows_unchanged"]) == (30, 0, 0)

    again = await import_rows(client, rows, clerk)
    # checked: the same file again creates nobody, changes nobody and announces nothing
    assert (again["rows_created"], again["rows_updated"], again["rows_unchanged"]) == (0, 0, 30)
    assert await _total(client, clerk) == 30
    await asyncio.sleep(0.5)  # give the relay time to publish anything it (wrongly) had
    assert await events(kafka.bootstrap, "members.imported", again["id"]) == []

    changed = [r[:] for r in rows]
    for r in changed[:3]:
        r[3] = "13700000000"  # a new phone
    third = await import_rows(client, changed, clerk)
    assert (third["rows_created"], third["rows_updated"], third["rows_unchanged"]) == (0, 3, 27)
    chunks = await eventually(lambda: events(kafka.bootstrap, "members.imported", third["id"]))
    snapshots = [m for c in chunks for m in c["members"]]
    # checked: only the three changed people travel, each one version newer, their ID numbers sealed
    assert len(snapshots) == 3 and {m["version"] for m in snapshots} == {2}
    assert {opened(members_settings, m["id_sealed"]) for m in snapshots} == {r[2] for r in changed[:3]}
    found = (await client.get("/members", params={"phone": "13700000000"}, headers=clerk)).json()
    assert found["total"] == 3 and all(m["version"] == 2 for m in found["items"])


async def _total(client: AsyncClient, headers: dict[str, str]) -> int:
    total: int = (await client.get("/members", headers=headers)).json()["total"]
    return total


async def test_a_member_of_another_union_is_reported_not_moved(client: AsyncClient, city: City) -> None:
    await import_rows(client, [person(1, city.g1), person(2, city.g1)], city.clerk(city.g1))
    district = city.clerk(city.xuhui)
    job = await import_rows(client, [person(1, city.g2), person(3, city.g2)], district)
    assert (job["rows_created"], job["rows_rejected"]) == (1, 1)
    rejection = (await client.get(f"/imports/{job['id']}/rejections", headers=district)).json()["items"][0]
    assert rejection["code"] == "import.member_of_another_union" and rejection["row_no"] == 2
    assert city.g1.name in rejection["reason"]
    # checked: the person is still where they were
    still = (await client.get("/members", params={"org_id": city.g1.org_id}, headers=district)).json()
    assert still["total"] == 2


@pytest.mark.parametrize("client", ["worker"], indirect=True)  # a whole-file refusal crosses the process
async def test_a_flexible_employment_file_with_one_other_tag_is_refused_whole(client: AsyncClient, city: City) -> None:
    clerk = city.clerk(city.g1)
    rows = [person(i, city.g1, tag="快递物流" if i != 7 else "外包工", address="") for i in range(20)]
    job = await import_rows(client, rows, clerk, data_type="灵活就业类")
    assert job["state"] == "已失败" and job["error_code"] == "import.flexible_tag_required"
    bad = (await client.get(f"/imports/{job['id']}/rejections", headers=clerk)).json()["items"]
    assert [(r["row_no"], r["column"]) for r in bad] == [(9, "会员标签")]
    # checked: not one row of the file was stored
    assert await _total(client, clerk) == 0

    rows[7][8] = "网约送餐、快递物流"
    job = await import_rows(client, rows, clerk, data_type="灵活就业类")
    assert job["state"] == "已完成" and job["rows_created"] == 20
    flexible = (await client.get("/members", params={"tag": "网约送餐"}, headers=clerk)).json()
    assert flexible["total"] == 1 and flexible["items"][0]["category"] == "灵活就业类"


async def test_a_job_cut_off_while_storing_stores_nothing_and_resumes_after_a_restart(
    members_settings: MembersSettings, kafka: Tansu
) -> None:
    rows_n = 2_500
    reached = asyncio.Event()

    async def crash_before_commit(import_id: str) -> None:
        reached.set()
        await asyncio.Event().wait()  # the process "dies" here: the lifespan ends and cancels the job

    app = create_app(members_settings.model_copy(update={"import_processes": 1}))  # as deployed
    async with running(app) as client:
        city = await City().project(app)
        headers = city.clerk(city.xuhui)
        app.state.importer.before_commit = crash_before_commit
        r = await upload(client, "/imports", roster(person(i, city.g1) for i in range(rows_n)), headers, **ENTERPRISE)
        import_id = r.json()["id"]
        await asyncio.wait_for(reached.wait(), 60)

    # checked: after the crash inside the storing transaction nothing of it is in the database
    state = await _db(members_settings.database_url, import_id)
    assert state == {"members": 0, "events": 0, "state": "入库中", "file_kept": True}

    async with running(create_app(members_settings.model_copy(update={"import_processes": 1}))) as client:
        job = await finished(client, f"/imports/{import_id}", headers)
        assert job["state"] == "已完成" and job["rows_created"] == rows_n and job["attempts"] == 2
        assert await _total(client, headers) == rows_n
        chunks = await eventually(lambda: _all_published(kafka.bootstrap, import_id, rows_n))
    # checked: every member announced exactly once, by the run that committed
    snapshots = [m["member_id"] for c in chunks for m in c["members"]]
    assert len(snapshots) == len(set(snapshots)) == rows_n
    assert (await _db(members_settings.database_url, import_id))["file_kept"] is False


async def _db(url: str, import_id: str) -> dict[str, object]:
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        return {
            "members": await conn.fetchval("SELECT count(*) FROM member"),
            "events": await conn.fetchval("SELECT count(*) FROM outbox WHERE key = $1", import_id),
            "state": await conn.fetchval("SELECT state FROM import_job WHERE id = $1", import_id),
            "file_kept": await conn.fetchval("SELECT count(*) FROM uploaded_file WHERE job_id = $1", import_id) == 1,
        }
    finally:
        await conn.close()


async def test_a_failure_while_storing_stores_nothing_and_a_retry_is_safe(
    client: AsyncClient, city: City, members_settings: MembersSettings
) -> None:
    clerk = city.clerk(city.g1)

    async def database_went_away(import_id: str) -> None:
        raise ConnectionError("simulated: the database connection dropped before commit")

    app_of(client).state.importer.before_commit = database_went_away
    job = await import_rows(client, [person(i, city.g1) for i in range(40)], clerk)
    assert job["state"] == "已失败" and job["error_code"] == "import.store_failed"
    # checked: the failed run stored nothing, announced nothing and kept the file for a retry
    assert await _db(members_settings.database_url, job["id"]) == {
        "members": 0, "events": 0, "state": "已失败", "file_kept": True,
    }  # fmt: skip

    app_of(client).state.importer.before_commit = None
    r = await client.post(f"/imports/{job['id']}/retry", headers=clerk)
    assert r.status_code == 202
    job = await finished(client, f"/imports/{job['id']}", clerk)
    assert job["state"] == "已完成" and job["rows_created"] == 40 and job["attempts"] == 2
    assert await _total(client, clerk) == 40
    # a finished import cannot be run again
    again = await client.post(f"/imports/{job['id']}/retry", headers=clerk)
    assert again.status_code == 409 and again.json()["code"] == "import.not_retryable"


async def test_uploads_are_checked_before_anything_parses_them(members_settings: MembersSettings) -> None:
    small = members_settings.model_copy(update={"upload_max_bytes": 200_000})
    async with running(create_app(small)) as client:
        city = await City().project(app_of(client))
        clerk = city.clerk(city.g1)
        big = roster([person(i, city.g1) for i in range(5_000)])
        cases = {
            "import.file_too_large": (413, await upload(client, "/imports", big, clerk, **ENTERPRISE)),
            "import.not_xlsx": (415, await upload(client, "/imports", b"name,id\n", clerk, **ENTERPRISE)),
            "import.zip_bomb": (413, await upload(client, "/imports", _zip_bomb(), clerk, **ENTERPRISE)),
        }
        csv = await upload(client, "/imports", roster([]), clerk, name="会员.csv", **ENTERPRISE)
        no_type = await upload(client, "/imports", roster([]), clerk)
        no_uscc = await upload(client, "/imports", roster([]), clerk, data_type="关联企业类")
        for code, (status, r) in cases.items():
            assert (r.status_code, r.json()["code"]) == (status, code), r.text
            assert r.headers["content-type"].startswith("application/problem+json")
        assert (csv.status_code, csv.json()["code"]) == (415, "import.not_xlsx")
        assert (no_type.status_code, no_type.json()["code"]) == (422, "import.data_type_invalid")
        assert (no_uscc.status_code, no_uscc.json()["code"]) == (422, "import.enterprise_required")
        # checked: none of the refused uploads became a job
        assert (await client.get("/imports", headers=clerk)).json()["total"] == 0


def _zip_bomb() -> bytes:
    """A 'workbook' whose one sheet inflates to 60 MB of zeros (compressed about 1,000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 60_000_000)
    return buf.getvalue()


async def test_a_file_not_made_from_the_template_is_refused_with_its_reason(client: AsyncClient, city: City) -> None:
    clerk = city.clerk(city.g1)
    r = await upload(client, "/imports", roster([["张三", "身份证"]], header=["姓名", "证件类型"]), clerk, **ENTERPRISE)
    job = await finished(client, f"/imports/{r.json()['id']}", clerk)
    assert job["state"] == "已失败" and job["error_code"] == "import.bad_header"
    assert "证件号码" in job["error_message"] and "手机号码" in job["error_message"]


async def test_the_template_has_the_columns_marks_and_dropdowns(client: AsyncClient, city: City) -> None:
    r = await client.get("/imports/template", headers=city.clerk(city.g1))
    assert r.status_code == 200 and r.headers["content-type"].startswith(XLSX)
    workbook = load_workbook(io.BytesIO(r.content))
    sheet = workbook["会员信息"]
    header = [c.value for c in sheet[1]]
    assert header == [
        "姓名*", "证件类型*", "证件号码*", "手机号码*", "性别*", "所在工会*", "工会编号*",
        "工作单位/服务平台", "会员标签", "工作单位地址",
    ]  # fmt: skip
    dropdowns = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert set(dropdowns) == {"B2", "E2", "I2"}  # 证件类型, 性别, 会员标签
    lists = workbook["数据说明"]
    assert [c.value for c in lists["B"][1:3]] == ["男", "女"]
    assert "快递物流" in [c.value for c in lists["C"]]


async def test_the_events_built_in_the_database_are_the_contracts_snapshots(
    client: AsyncClient, city: City, members_settings: MembersSettings
) -> None:
    """import_store stores rows as COPY text and builds members.imported from JSON text for speed: the
    stored members and the events must say exactly what snapshot() says, with awkward text intact,
    and every snapshot's id_sealed must open to the row's ID number under the partner key."""
    clerk = city.clerk(city.g1)
    rows = [person(i, city.g1, tag="外包工") for i in range(3)]
    rows.append(["护照持有人", "护照", "E1234567", "13900009999", "女", city.g1.name, city.g1.code, "", "", ADDRESS])
    awkward = person(3, city.g1)
    awkward[0], awkward[7] = 'O"Brien\\张', "上海{某}\\科技\t公司"
    awkward[8], awkward[9] = '外包"工、劳务\\派遣、{a', '上海市"徐汇区"\\虹漕路\t88号\n2楼'
    rows.append(awkward)
    job = await import_rows(client, rows, clerk)
    assert job["rows_created"] == 5, job
    app = app_of(client)
    async with app.state.sessions() as session:
        payloads = (await session.exec(select(OutboxMessage.payload).where(OutboxMessage.key == job["id"]))).all()
        stored = {str(m.id): m for m in (await session.exec(select(Member))).all()}
    [event] = [MembersImported.model_validate(p) for p in payloads]
    assert (event.import_id, event.chunk, len(event.members)) == (job["id"], 0, 5)
    for snapshot in event.members:
        assert snapshot == members_service.snapshot(stored[snapshot.member_id])
    passport = next(s for s in event.members if s.id_type == "护照")
    assert (passport.birth_date, passport.gender, passport.id_number_masked) == (None, "女", "E12*4567")
    # checked: the partner-sealed ID number travels and opens to the row's number (what the adapters do)
    numbers = {r[0]: r[2] for r in rows}
    assert {opened(members_settings, s.id_sealed) for s in event.members} == set(numbers.values())
    assert all(opened(members_settings, s.id_sealed) == numbers[s.name] for s in event.members)
    # checked: quotes, backslashes, braces, tabs and newlines arrive as typed (COPY text and JSON escaping)
    odd = next(m for m in stored.values() if m.name == awkward[0])
    assert (odd.work_unit, odd.work_address, odd.tags) == (awkward[7], awkward[9], ['外包"工', "劳务\\派遣", "{a"])
    assert odd.id_number_masked == awkward[2][:3] + "*" * 11 + awkward[2][-4:]
    by_id = (await client.get("/members", params={"id_number": awkward[2]}, headers=clerk)).json()["items"]
    assert [m["name"] for m in by_id] == [awkward[0]]
