"""会员信息 through the HTTP API: search, scope, detail, edit, delete, numbers, export."""

from __future__ import annotations

import io
import re
import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from httpx import AsyncClient
from openpyxl import load_workbook

from localstack import Tansu
from localstack.pytest_plugin import eventually
from members.settings import MembersSettings
from runtime.identity import make_id_number
from services.members.tests.conftest import City, app_of, events, import_rows, opened, person


async def _members(client: AsyncClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    r = await client.get("/members", params=params, headers=headers)
    assert r.status_code == 200, r.text
    page: dict[str, Any] = r.json()
    return page


async def test_search_by_the_manuals_filters_shows_masked_values(client: AsyncClient, city: City) -> None:
    clerk = city.clerk(city.xuhui)
    rows = [person(i, city.g1 if i < 6 else city.g2, tag="外包工" if i % 3 == 0 else "") for i in range(10)]
    rows[4][0] = "欧阳娜娜"
    await import_rows(client, rows, clerk)
    everyone = await _members(client, clerk, size=50)
    assert everyone["total"] == 10
    for item in everyone["items"]:
        assert re.fullmatch(r"[0-9]{3}\*{11}[0-9X]{4}", item["id_number"]), item["id_number"]
        assert re.fullmatch(r"1[0-9]{2}\*{5}[0-9]{4}", item["phone"]), item["phone"]

    # checked: exact ID number and phone find their one member through the blind index
    by_id = await _members(client, clerk, id_number=rows[7][2].lower())
    assert [m["name"] for m in by_id["items"]] == [rows[7][0]]
    assert (await _members(client, clerk, phone=rows[2][3]))["items"][0]["name"] == rows[2][0]
    assert (await _members(client, clerk, id_number=rows[7][2][:-1] + "0"))["total"] == 0
    assert (await _members(client, clerk, name="欧阳"))["total"] == 1
    assert (await _members(client, clerk, union_name="另一"))["total"] == 4
    assert (await _members(client, clerk, union_code=city.g1.code))["total"] == 6
    assert (await _members(client, clerk, tag="外包工"))["total"] == 4
    assert (await _members(client, clerk, source="批量导入", category="关联企业类"))["total"] == 10
    assert (await _members(client, clerk, e_card_activated=True))["total"] == 0
    page = await _members(client, clerk, page=2, size=4)
    assert (page["total"], len(page["items"]), page["page"]) == (10, 4, 2)


async def test_another_unions_member_is_invisible(client: AsyncClient, city: City) -> None:
    await import_rows(client, [person(1, city.g1)], city.clerk(city.g1))
    member = (await _members(client, city.clerk(city.g1)))["items"][0]
    # checked: neither another grassroots union nor another district sees the member, nor can edit them
    for outsider in (city.clerk(city.g2), city.clerk(city.huangpu)):
        assert (await client.get(f"/members/{member['id']}", headers=outsider)).status_code == 404
        assert (await _members(client, outsider))["total"] == 0
        edit = await client.patch(f"/members/{member['id']}", json={"work_unit": "改"}, headers=outsider)
        assert edit.status_code == 404 and edit.json()["code"] == "not_found"
        gone = await client.delete(f"/members/{member['id']}", params={"reason": "退休"}, headers=outsider)
        assert gone.status_code == 404
    for insider in (city.clerk(city.g1), city.clerk(city.xuhui), city.clerk(city.root)):
        detail = await client.get(f"/members/{member['id']}", headers=insider)
        assert detail.status_code == 200 and detail.json()["union_name"] == city.g1.name
    assert (await client.get("/members/not-a-uuid", headers=city.clerk(city.g1))).status_code == 404


async def test_deletion_only_for_retirement_crime_or_death_and_kept_as_history(
    client: AsyncClient, city: City, kafka: Tansu
) -> None:
    clerk = city.clerk(city.g1)
    await import_rows(client, [person(1, city.g1), person(2, city.g1)], clerk)
    member = (await _members(client, clerk, name=person(1, city.g1)[0]))["items"][0]
    for reason in ("离职", "", "退休了"):
        r = await client.delete(f"/members/{member['id']}", params={"reason": reason}, headers=clerk)
        assert (r.status_code, r.json()["code"]) == (422, "member.delete_reason_invalid")
    # checked: the refused deletions changed nothing
    assert (await client.get(f"/members/{member['id']}", headers=clerk)).json()["status"] == "正常"

    r = await client.delete(f"/members/{member['id']}", params={"reason": "死亡"}, headers=clerk)
    assert r.status_code == 200
    gone = r.json()
    assert (gone["status"], gone["deleted_reason"], gone["deleted_by"]) == ("已删除", "死亡", f"clerk-{city.g1.org_id}")
    assert gone["deleted_at"] and gone["version"] > member["version"]
    again = await client.delete(f"/members/{member['id']}", params={"reason": "退休"}, headers=clerk)
    assert (again.status_code, again.json()["code"]) == (409, "member.deleted")
    assert (await _members(client, clerk))["total"] == 1
    history = await _members(client, clerk, status="已删除")
    assert [m["id"] for m in history["items"]] == [member["id"]]

    deleted = await eventually(lambda: events(kafka.bootstrap, "member.deleted", member["id"]))
    assert deleted == [
        {"member_id": member["id"], "org_id": city.g1.org_id, "reason": "死亡", "version": gone["version"]}
    ]


async def test_member_numbers_are_assigned_after_joining_and_unique(
    client: AsyncClient, city: City, kafka: Tansu, members_settings: MembersSettings
) -> None:
    clerk = city.clerk(city.xuhui)
    job = await import_rows(client, [person(i, city.g1 if i % 2 else city.g2) for i in range(1_200)], clerk)

    async def all_numbered() -> dict[str, Any] | None:
        page = await _members(client, clerk, size=200)
        unnumbered = await _count_unnumbered(client)
        return page if unnumbered == 0 else None

    assert await eventually(all_numbered, timeout=60)
    numbers = [m["member_no"] for p in range(1, 7) for m in (await _members(client, clerk, size=200, page=p))["items"]]
    assert len(numbers) == 1_200 and len(set(numbers)) == 1_200
    assert all(re.fullmatch(r"SH[0-9]{10}", n) for n in numbers)

    # checked: the numbers went out in chunks (members.numbered) with each member one version newer
    chunks = await eventually(lambda: _numbered(kafka.bootstrap, job["id"], 1_200))
    snapshots = [m for c in chunks for m in c["members"]]
    assert len(snapshots) == 1_200 and {m["version"] for m in snapshots} == {2}
    assert {m["member_no"] for m in snapshots} == set(numbers)
    sealed = {opened(members_settings, m["id_sealed"]) for m in snapshots}
    assert sealed == {person(i, city.g1)[2] for i in range(1_200)}

    # one member added on their own gets theirs too, announced as member.updated
    body = {
        "name": "扫码入会者", "id_type": "身份证", "id_number": make_id_number("310104", date(1990, 5, 6), 7, True),
        "phone": "13912345678", "gender": "男", "org_id": city.g1.org_id, "category": "企业外入会类",
        "source": "扫码入会",
    }  # fmt: skip
    r = await client.post("/members", json=body, headers=clerk)
    assert r.status_code == 201, r.text
    added = r.json()
    assert added["member_no"] is None and added["birth_date"] == "1990-05-06" and added["phone"] == "139*****5678"

    async def numbered_single() -> list[dict[str, Any]]:
        updates = await events(kafka.bootstrap, "member.updated", added["id"])
        return [u for u in updates if u["member"]["member_no"]]

    update = (await eventually(numbered_single))[0]["member"]
    assert update["version"] == 2 and update["member_no"] not in numbers
    assert opened(members_settings, update["id_sealed"]) == body["id_number"]


async def _count_unnumbered(client: AsyncClient) -> int:
    async with app_of(client).state.sessions() as session:
        connection = await session.connection()
        unnumbered = await connection.scalar(sa.text("SELECT count(*) FROM member WHERE member_no IS NULL"))
        assert isinstance(unnumbered, int)
        return unnumbered


async def _numbered(bootstrap: str, import_id: str, n: int) -> list[dict[str, Any]] | None:
    chunks = await events(bootstrap, "members.numbered", import_id)
    return chunks if sum(len(c["members"]) for c in chunks) >= n else None


async def test_an_edit_is_checked_saved_masked_and_announced(
    client: AsyncClient, city: City, kafka: Tansu, members_settings: MembersSettings
) -> None:
    clerk = city.clerk(city.g1)
    await import_rows(client, [person(1, city.g1)], clerk)
    member = (await _members(client, clerk))["items"][0]
    await _forget_partner_seal(client, member["id"])  # as stored before member.id_sealed existed
    bad = await client.patch(f"/members/{member['id']}", json={"phone": "12345"}, headers=clerk)
    assert (bad.status_code, bad.json()["code"]) == (422, "phone.format")
    r = await client.patch(
        f"/members/{member['id']}", json={"phone": "13811112222", "e_card_activated": True}, headers=clerk
    )
    assert r.status_code == 200, r.text
    assert r.json()["phone"] == "138*****2222" and r.json()["e_card_activated"] is True
    assert (await _members(client, clerk, phone="13811112222"))["total"] == 1

    async def updated() -> list[dict[str, Any]]:
        found = await events(kafka.bootstrap, "member.updated", member["id"])
        return [e for e in found if e["member"]["e_card_activated"]]

    announced = (await eventually(updated))[0]["member"]
    assert announced["version"] == member["version"] + 1
    assert "13811112222" not in str(announced)
    # checked: the update carries the ID number sealed for the partners, even for a member stored without it
    assert opened(members_settings, announced["id_sealed"]) == person(1, city.g1)[2]
    assert person(1, city.g1)[2] not in str(announced)


async def _forget_partner_seal(client: AsyncClient, member_id: str) -> None:
    async with app_of(client).state.sessions() as session, session.begin():
        connection = await session.connection()
        await connection.execute(
            sa.text("UPDATE member SET id_sealed = NULL WHERE id = :id"), {"id": uuid.UUID(member_id)}
        )


async def test_the_export_is_masked(client: AsyncClient, city: City) -> None:
    clerk = city.clerk(city.g1)
    rows = [person(i, city.g1) for i in range(5)]
    await import_rows(client, rows, clerk)
    r = await client.get("/members/export", headers=clerk)
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    values = [str(v) for row in sheet.iter_rows(values_only=True) for v in row]
    assert len(list(sheet.iter_rows())) == 6
    # checked: no full ID number or phone anywhere in the file
    assert not any(row[2] in values or row[3] in values for row in rows)
    assert any(v.startswith(rows[0][2][:3] + "*") for v in values)
