"""The insurer's loads of a mutual-aid year as files: 建议清册 (姓名, 证件号码, 单位社保编码, 职退状态) and 社保在职人数
(单位社保编码, 单位名称, 社保在职人数). A good file loads every row (thousands in one go, a later file
replacing what an earlier one said); a file with a wrong row loads nothing and answers each wrong row with
its Excel row, column and reason. Lists filter and page, show ID numbers masked, and export."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import load_workbook

from enrollment.service.mutual_aid.loads import headcount_file, suggested_file
from runtime.identity import mask_id_number
from runtime.tokens import Tier
from services.enrollment.tests.conftest import at, bearer, ok
from services.enrollment.tests.integration.mutual_aid_world import INSURER, MA, YEAR, configure, person_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT = bearer(Tier.GRASSROOTS, user="unit-1")
WANG_MEI = person_id(3, date(1985, 5, 5), male=False)
LI_QIANG = person_id(4, date(1962, 3, 1))


async def upload(client, kind: str, content: bytes, headers: dict[str, str] = INSURER, year: int = YEAR):  # type: ignore[no-untyped-def]
    return await client.post(
        f"{MA}/years/{year}/{kind}/upload", params={"file_name": f"{kind}.xlsx"}, content=content,
        headers=headers | {"content-type": XLSX},
    )  # fmt: skip


async def listed(client, kind: str, **params: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return await ok(await client.get(f"{MA}/years/{YEAR}/{kind}", params=params, headers=INSURER))  # type: ignore[no-any-return]


def sheet(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]


async def test_the_suggested_roster_loads_from_a_file_lists_masked_and_a_later_file_replaces(client, clock):
    clock.set(at(YEAR, 5, 20, 9))
    await configure(client)
    template = await client.get(f"{MA}/suggested-template", headers=INSURER)
    assert template.headers["content-type"].startswith(XLSX)
    assert sheet(template.content) == [("*姓名", "*证件号码", "*单位社保编码", "*职退状态 (在职、退休、-)")]

    # three people: an ID card, a passport, a retiree; nothing listed before
    assert (await listed(client, "suggested"))["total"] == 0
    first = suggested_file([
        ("王梅", WANG_MEI, "00108537", "在职"),
        ("JOHN SMITH", "E12345678", "00108537", "-"),
        ("李强", LI_QIANG, "00200001", "退休"),
    ])  # fmt: skip
    loaded = await ok(await upload(client, "suggested", first))
    assert loaded == {
        "rows": 3,
        "added": 3,
        "updated": 0,
        "summary": "数据读取：3条，成功导入：3条（新增加3条，更新0条）",
    }
    page = await listed(client, "suggested")
    assert page["total"] == 3
    assert [(r["name"], r["id_number"], r["unit_code"], r["employment"]) for r in page["items"]] == [
        ("JOHN SMITH", "E12**5678", "00108537", "-"),
        ("王梅", mask_id_number(WANG_MEI), "00108537", "在职"),
        ("李强", mask_id_number(LI_QIANG), "00200001", "退休"),
    ]  # fmt: skip
    assert WANG_MEI not in str(page), "lists never show a whole ID number"

    # filters: the unit code's beginning, part of the name, the whole ID number; paging
    assert (await listed(client, "suggested", unit_code="001"))["total"] == 2
    assert [r["name"] for r in (await listed(client, "suggested", name="梅"))["items"]] == ["王梅"]
    assert [r["name"] for r in (await listed(client, "suggested", id_number=LI_QIANG))["items"]] == ["李强"]
    assert (await listed(client, "suggested", id_number=LI_QIANG[:10]))["total"] == 0
    second_page = await listed(client, "suggested", size=2, page=2)
    assert (second_page["total"], [r["name"] for r in second_page["items"]]) == (3, ["李强"])

    # a later file: 王梅 moved to another unit, one new person; the earlier people stay
    later = suggested_file([("王梅", WANG_MEI, "00300003", "在职"), ("赵六", person_id(6), "00300003", "在职")])
    assert await ok(await upload(client, "suggested", later)) == {
        "rows": 2, "added": 1, "updated": 1, "summary": "数据读取：2条，成功导入：2条（新增加1条，更新1条）",
    }  # fmt: skip
    moved = await listed(client, "suggested", unit_code="00300003")
    assert sorted(r["name"] for r in moved["items"]) == ["王梅", "赵六"]
    assert (await listed(client, "suggested"))["total"] == 4

    # the JSON load keeps working and is listed the same way
    body = {"people": [{"name": "钱七", "id_number": person_id(7), "unit_code": "00400004"}]}
    assert await ok(await client.put(f"{MA}/years/{YEAR}/suggested", json=body, headers=INSURER)) == {"count": 1}
    seventh = (await listed(client, "suggested", unit_code="00400004"))["items"]
    assert [(r["name"], r["id_number"]) for r in seventh] == [("钱七", mask_id_number(person_id(7)))]

    # export with the filters: masked numbers
    exported = await client.get(f"{MA}/years/{YEAR}/suggested/export", params={"unit_code": "0030"}, headers=INSURER)
    rows = sheet(exported.content)
    assert rows[0] == ("姓名", "证件号码", "单位社保编码", "职退状态", "导入时间")
    assert sorted((r[0], r[1]) for r in rows[1:]) == [
        ("王梅", mask_id_number(WANG_MEI)),
        ("赵六", mask_id_number(person_id(6))),
    ]

    # only the insurer (and the platform) loads and reads it
    refused = await upload(client, "suggested", first, headers=UNIT)
    assert refused.status_code == 403
    assert (await client.get(f"{MA}/years/{YEAR}/suggested", headers=UNIT)).status_code == 403


async def test_a_suggested_file_with_wrong_rows_loads_nothing_and_names_every_wrong_row(client, clock):
    """Checked: nothing of a refused file is stored (the good rows neither), and every wrong row is named."""
    clock.set(at(YEAR, 5, 20, 9))
    await configure(client)
    await ok(await upload(client, "suggested", suggested_file([("王梅", WANG_MEI, "00108537", "在职")])))
    bad_check = LI_QIANG[:-1] + ("0" if LI_QIANG[-1] != "0" else "1")
    twice = person_id(8)
    wrong = suggested_file([
        ("李强", LI_QIANG, "00200001", "在职"),  # row 2: good
        ("", person_id(9), "00200001", "在职"),  # row 3: no name
        ("张三", bad_check, "00200001", "在职"),  # row 4: the check digit
        ("李四", person_id(10), "", "离职"),  # row 5: no unit code, a wrong 职退状态
        ("王五", twice, "00200001", "在职"),  # rows 6 and 7: the same number twice
        ("王五", twice, "00200002", "在职"),
        ("赵六", "12345", "002-0001", "退休"),  # row 8: good (another document), a code with a dash
        ("孙七", "A1", "00200001", "在职"),  # row 9: too short for any document
        ("周八", person_id(11)[:17], "00200001", "在职"),  # row 10: an ID number short of its last digit
    ])  # fmt: skip
    refused = await upload(client, "suggested", wrong)
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert (problem["code"], problem["bad_rows"]) == ("load.rows_invalid", 7)
    assert problem["title"] == "文件中有7行数据有误，未导入任何数据，请修改后重新上传"
    assert [(r["row_no"], r["column"], r["code"]) for r in problem["rows"]] == [
        (3, "姓名", "suggested.name_required"),
        (4, "证件号码", "id_number.check_digit"),
        (5, "单位社保编码", "suggested.unit_code_required"),
        (5, "职退状态", "suggested.employment_invalid"),
        (6, "证件号码", "suggested.id_number_repeated"),
        (7, "证件号码", "suggested.id_number_repeated"),
        (9, "证件号码", "suggested.id_number_format"),
        (10, "证件号码", "id_number.format"),
    ]
    reasons = {(r["row_no"], r["column"]): r["reason"] for r in problem["rows"]}
    assert reasons[(6, "证件号码")] == "证件号码与第7行重复"
    assert reasons[(5, "职退状态")] == "职退状态应填“在职”、“退休”或“-”（未知）"
    page = await listed(client, "suggested")
    assert [r["name"] for r in page["items"]] == ["王梅"], "a refused file stores none of its rows"

    # not the template, not an xlsx, an empty sheet: refused before any row is read, nothing stored
    header = await upload(client, "suggested", headcount_file([("00108537", "某单位", 10)]))
    assert (header.status_code, header.json()["code"]) == (422, "import.bad_header")
    assert (
        header.json()["title"]
        == "模板表头应为：姓名、证件号码、单位社保编码、职退状态，请保持建议清册导入模板的格式不变"
    )
    not_xlsx = await upload(client, "suggested", b"%PDF-1.4 not a workbook")
    assert (not_xlsx.status_code, not_xlsx.json()["code"]) == (415, "import.not_xlsx")
    empty = await upload(client, "suggested", suggested_file([]))
    assert (empty.status_code, empty.json()["code"]) == (422, "import.empty")
    unknown_year = await upload(
        client, "suggested", suggested_file([("李强", LI_QIANG, "00200001", "在职")]), year=2031
    )
    assert unknown_year.status_code == 404
    assert (await listed(client, "suggested"))["total"] == 1


async def test_headcounts_load_thousands_of_units_at_once_and_a_wrong_file_loads_nothing(client, clock):
    clock.set(at(YEAR, 5, 20, 9))
    await configure(client)
    template = await client.get(f"{MA}/headcount-template", headers=INSURER)
    assert sheet(template.content) == [("*单位社保编码", "单位名称", "*社保在职人数")]

    # 6,000 units in one file (more than a JSON load takes; upserted 1,000 a statement), the manual's among them
    units = [(f"{n:08d}", f"单位{n}", n % 300) for n in range(1, 6_000)]
    units.append(("00108537", "上海卓远人力资源发展有限公司", 50))
    loaded = await ok(await upload(client, "headcounts", headcount_file(units)))
    assert (loaded["rows"], loaded["added"], loaded["updated"]) == (6_000, 6_000, 0)
    page = await listed(client, "headcounts", unit_code="00108537")
    assert [(r["unit_code"], r["unit_name"], r["headcount"]) for r in page["items"]] == [
        ("00108537", "上海卓远人力资源发展有限公司", 50)
    ]
    assert (await listed(client, "headcounts"))["total"] == 6_000
    by_name = await listed(client, "headcounts", unit_name="卓远")
    assert [r["unit_code"] for r in by_name["items"]] == ["00108537"]
    # the year's 清册校验 reads them: the JSON load and the file load are the same table
    year = await ok(await client.put(
        f"{MA}/years/{YEAR}/headcounts", json={"units": [{"unit_code": "00108537", "headcount": 48}]},
        headers=INSURER,
    ))  # fmt: skip
    assert year == {"count": 1}
    assert (await listed(client, "headcounts", unit_code="00108537"))["items"][0]["headcount"] == 48

    # a later file replaces the counts it names
    again = await ok(
        await upload(client, "headcounts", headcount_file([("00108537", "上海卓远人力资源发展有限公司", 52)]))
    )
    assert (again["added"], again["updated"]) == (0, 1)
    assert (await listed(client, "headcounts", unit_code="00108537"))["items"][0]["headcount"] == 52

    # wrong rows: nothing stored, every row named
    wrong = headcount_file([
        ("00108537", "上海卓远人力资源发展有限公司", 60),  # row 2: good
        ("", "无编码单位", 10),  # row 3
        ("00900001", "负数单位", -5),  # row 4
        ("00900002", "小数单位", 10.5),  # row 5
        ("00900003", "文字单位", "五十"),  # row 6
        ("00900004", "空人数单位", None),  # row 7
        ("00900005", "长" * 101, 10),  # row 8
        ("00900006", "重复甲", 1),  # rows 9 and 10
        ("00900006", "重复乙", 2),
        ("009 00007", "空格单位", 3),  # row 11
    ])  # fmt: skip
    refused = await upload(client, "headcounts", wrong)
    assert refused.status_code == 422
    assert [(r["row_no"], r["column"], r["code"]) for r in refused.json()["rows"]] == [
        (3, "单位社保编码", "headcount.unit_code_required"),
        (4, "社保在职人数", "headcount.headcount_invalid"),
        (5, "社保在职人数", "headcount.headcount_invalid"),
        (6, "社保在职人数", "headcount.headcount_invalid"),
        (7, "社保在职人数", "headcount.headcount_required"),
        (8, "单位名称", "headcount.unit_name_too_long"),
        (9, "单位社保编码", "headcount.unit_code_repeated"),
        (10, "单位社保编码", "headcount.unit_code_repeated"),
        (11, "单位社保编码", "headcount.unit_code_format"),
    ]
    assert refused.json()["bad_rows"] == 9
    assert (await listed(client, "headcounts", unit_code="00108537"))["items"][0]["headcount"] == 52
    assert (await listed(client, "headcounts", unit_code="009"))["total"] == 0
    assert (await listed(client, "headcounts"))["total"] == 6_000

    exported = await client.get(
        f"{MA}/years/{YEAR}/headcounts/export", params={"unit_code": "0010853"}, headers=INSURER
    )
    assert [r[:3] for r in sheet(exported.content)] == [
        ("单位社保编码", "单位名称", "社保在职人数"), ("00108537", "上海卓远人力资源发展有限公司", 52),
    ]  # fmt: skip
