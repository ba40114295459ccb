"""退休住院计划's 社保人数 (单位社保编码, 单位名称, 退休人数) loaded by the insurer as a file — the mutual-aid
headcount load on the retiree table: a good file loads every row and a later one replaces what it names; a
file with a wrong row loads nothing and answers each wrong row with its Excel row, column and reason. The
insurer and the city list and export them (filters, paging); a unit does not."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from enrollment import demo
from enrollment.service.mutual_aid.loads import headcount_file
from enrollment.service.retiree.years import HEADCOUNTS
from runtime.tokens import Tier
from services.enrollment.tests.conftest import CITY, at, bearer, ok

RT = "/retiree"
YEAR = 2025
INSURER = bearer(Tier.INSURER, user="zhibao")
UNIT = bearer(Tier.GRASSROOTS, user="unit-1")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def upload(client, content: bytes):  # type: ignore[no-untyped-def]
    return await client.post(
        f"{RT}/years/{YEAR}/headcounts/upload", params={"file_name": "退休人数.xlsx"}, content=content,
        headers=INSURER | {"content-type": XLSX},
    )  # fmt: skip


async def listed(client, headers: dict[str, str] = INSURER, **params: Any) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return await ok(await client.get(f"{RT}/years/{YEAR}/headcounts", params=params, headers=headers))  # type: ignore[no-any-return]


def sheet(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]


def rows_of(page: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(r["unit_code"], r["unit_name"], r["headcount"]) for r in page["items"]]


async def test_retiree_headcounts_load_from_a_file_list_filter_page_and_export(client, clock):  # type: ignore[no-untyped-def]
    clock.set(at(YEAR, 5, 20, 10))
    await demo.configure_retiree(client, CITY, YEAR)
    template = await client.get(f"{RT}/headcount-template", headers=INSURER)
    assert template.headers["content-type"].startswith(XLSX)
    assert sheet(template.content) == [("*单位社保编码", "单位名称", "*退休人数")]

    # the manual's unit (17 retirees: 13 insured is 76.47 %) and 24 more
    units = [("99000000", "上海某某机械厂", 17), *((f"120000{n:02d}", f"退休单位{n}", n) for n in range(1, 25))]
    loaded = await ok(await upload(client, headcount_file(units, HEADCOUNTS)))
    assert loaded == {
        "rows": 25, "added": 25, "updated": 0, "summary": "数据读取：25条，成功导入：25条（新增加25条，更新0条）"
    }  # fmt: skip
    assert rows_of(await listed(client, unit_code="99")) == [("99000000", "上海某某机械厂", 17)]
    assert rows_of(await listed(client, unit_name="机械")) == [("99000000", "上海某某机械厂", 17)]
    second = await listed(client, unit_code="1200", page=2, size=10)
    assert (second["total"], [r["unit_code"] for r in second["items"]][:2]) == (24, ["12000011", "12000012"])
    # the city reads them too; a unit does not
    assert (await listed(client, CITY))["total"] == 25
    assert (await client.get(f"{RT}/years/{YEAR}/headcounts", headers=UNIT)).status_code == 403

    # a later file replaces what it names; the JSON load (kept for API clients) writes the same table
    again = await ok(await upload(client, headcount_file([("99000000", "上海某某机械厂", 18)], HEADCOUNTS)))
    assert (again["added"], again["updated"]) == (0, 1)
    body = {"units": [{"unit_code": "99000001", "unit_name": "另一单位", "headcount": 5}]}
    assert await ok(await client.put(f"{RT}/years/{YEAR}/headcounts", json=body, headers=INSURER)) == {"count": 1}
    assert rows_of(await listed(client, unit_code="9900")) == [
        ("99000000", "上海某某机械厂", 18), ("99000001", "另一单位", 5),
    ]  # fmt: skip

    exported = await client.get(f"{RT}/years/{YEAR}/headcounts/export", params={"unit_code": "99"}, headers=INSURER)
    assert exported.headers["content-type"].startswith(XLSX)
    assert [r[:3] for r in sheet(exported.content)] == [
        ("单位社保编码", "单位名称", "退休人数"), ("99000000", "上海某某机械厂", 18), ("99000001", "另一单位", 5),
    ]  # fmt: skip


async def test_a_retiree_headcount_file_with_wrong_rows_loads_nothing_and_names_every_wrong_row(client, clock):  # type: ignore[no-untyped-def]
    clock.set(at(YEAR, 5, 20, 10))
    await demo.configure_retiree(client, CITY, YEAR)
    wrong = headcount_file([
        ("99000000", "上海某某机械厂", 17),  # row 2: good
        ("", "无编码单位", 10),  # row 3
        ("99000002", "负数单位", -5),  # row 4
        ("99000003", "空人数单位", None),  # row 5
        ("99000004", "重复甲", 1),  # rows 6 and 7
        ("99000004", "重复乙", 2),
    ], HEADCOUNTS)  # fmt: skip
    refused = await upload(client, wrong)
    assert (refused.status_code, refused.json()["code"], refused.json()["bad_rows"]) == (422, "load.rows_invalid", 5)
    assert [(r["row_no"], r["column"], r["code"], r["reason"]) for r in refused.json()["rows"]] == [
        (3, "单位社保编码", "headcount.unit_code_required", "单位社保编码不能为空"),
        (4, "退休人数", "headcount.headcount_invalid", "退休人数应为不小于0的整数"),
        (5, "退休人数", "headcount.headcount_required", "退休人数不能为空"),
        (6, "单位社保编码", "headcount.unit_code_repeated", "单位社保编码与第7行重复"),
        (7, "单位社保编码", "headcount.unit_code_repeated", "单位社保编码与第6行重复"),
    ]
    # checked: not even the good row 2 was stored
    assert (await listed(client))["total"] == 0

    # the mutual-aid template (社保在职人数) is not this one
    other = await upload(client, headcount_file([("99000000", "上海某某机械厂", 17)]))
    assert (other.status_code, other.json()["code"]) == (422, "import.bad_header")
    assert (await listed(client))["total"] == 0
