"""退休住院计划 导出 on the service (real database and broker): the 参保名单 of a checked withholding batch —
two 可代扣, one whose pension cannot be withheld, one whose name differs from the register's, one without
social security classed 出国 — read back from the .xlsx with the list's filters and masking; the batch and
unit lists as files; another unit's caller sees none of it."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from contracts.socialsec import CheckResult
from enrollment import demo
from runtime.identity import make_uscc
from runtime.tokens import Tier
from services.enrollment.tests.conftest import CITY, at, ok
from services.enrollment.tests.integration.test_retiree import (
    INSURER,
    RT,
    YEAR,
    on_register,
    opened,
    people,
    phone,
    pid,
    refused,
    report,
    requested_checks,
    unit_account,
    until_status,
    upload,
    withholding_mode,
)

PEOPLE_HEADER = [
    *("姓名", "社保姓名", "证件类型", "证件号码", "手机号", "代扣类型", "校验结果", "代扣结果", "代扣失败原因"),
    *("退休年月", "无社保类别", "备注"),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def year(client, clock):  # type: ignore[no-untyped-def]
    clock.set(at(YEAR, 5, 20, 10))
    await demo.configure_retiree(client, CITY, YEAR)


def sheet(response) -> list[list[Any]]:  # type: ignore[no-untyped-def]
    """The workbook's rows, empty cells as ""."""
    assert (response.status_code, response.headers["content-type"]) == (200, XLSX), response.text
    rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    return [["" if v is None else v for v in row] for row in rows]


async def exported(client, headers: dict[str, str], path: str, **params: Any) -> list[list[Any]]:  # type: ignore[no-untyped-def]
    return sheet(await client.get(f"{RT}{path}", params=params, headers=headers))


async def checked_batch(client, kafka, unit: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    """上海某某五金厂's collective batch at 300 元, five people answered by social security."""
    no = await opened(client, unit, "集中参保", "123000020", "上海某某五金厂")
    await withholding_mode(client, unit, no, 30000)
    names = ("陈一", "陈二", "陈三", "陈四", "陈五")
    rows = [(n, "身份证", pid(450 + i), "", "", phone(600 + i)) for i, n in enumerate(names)]
    job = await upload(client, unit, no, rows)
    assert job["rows_added"] == 5
    await ok(await client.post(f"{RT}/batches/{no}/validation", headers=unit), 202)
    request = (await requested_checks(kafka.bootstrap, 1))[0]
    s = {x["name"]: x for x in request["subjects"]}
    await report(kafka.bootstrap, request["request_id"], [
        on_register(s["陈一"], "SB020"), on_register(s["陈二"], "SB020"),
        on_register(s["陈三"], "SB020", withholdable=False), on_register(s["陈四"], "SB020", name_on_record="陈肆"),
        CheckResult(subject_id=s["陈五"]["subject_id"], found=False),
    ])  # fmt: skip
    await until_status(client, unit, no, "名单校验完成")
    (chen_wu,) = await people(client, unit, no, without_ss=True)
    classed = {"no_ss_class": "出国", "remark": "定居海外"}
    await ok(await client.put(f"{RT}/batches/{no}/people/{chen_wu['id']}/no-ss-class", json=classed, headers=unit))
    return no


async def test_the_roster_exports_what_the_list_finds_masked_and_only_to_its_readers(client, kafka, year):  # type: ignore[no-untyped-def]
    await ok(await client.put(f"{RT}/units", json={"units": [
        {"code": "123000020", "unit_name": "上海某某五金厂", "uscc": make_uscc(61)},
        {"code": "123000021", "unit_name": "上海某某玩具厂", "uscc": make_uscc(62)},
    ]}, headers=INSURER))  # fmt: skip
    unit = await unit_account(client, "123000020", "tuixiu123000020", Tier.ENTERPRISE)
    other = await unit_account(client, "123000021", "tuixiu123000021", Tier.ENTERPRISE)
    no = await checked_batch(client, kafka, unit)

    # every person, the columns of the screen, numbers and phones as the list shows them
    response = await client.get(f"{RT}/batches/{no}/people/export", headers=unit)
    assert quote(f"退休住院计划参保名单-{no}.xlsx") in response.headers["content-disposition"]
    header, *rows = sheet(response)
    assert header == PEOPLE_HEADER and len(rows) == 5
    listed = {p["name"]: p for p in await people(client, unit, no)}
    by_name = {r[0]: r for r in rows}
    assert by_name["陈一"] == ["陈一", "陈一", "身份证", listed["陈一"]["id_number"], listed["陈一"]["phone"], "可代扣",
                               "校验通过", "", "", "2015-06", "", ""]  # fmt: skip
    assert by_name["陈四"][1:7] == ["陈肆", "身份证", listed["陈四"]["id_number"], listed["陈四"]["phone"], "不可代扣",
                                   "参保姓名和社保姓名不一致"]  # fmt: skip
    assert by_name["陈五"][6:] == ["未匹配到社保信息", "", "", "", "出国", "定居海外"]
    text = " ".join(str(v) for row in rows for v in row)
    assert "*****" in listed["陈一"]["phone"] and "****" in listed["陈一"]["id_number"]
    for i in range(5):  # checked: no full number or phone anywhere in the file
        assert pid(450 + i) not in text and phone(600 + i) not in text

    # the list's filters: 代扣类型, 校验结果, 姓名, the full ID number
    not_withheld = await exported(client, unit, f"/batches/{no}/people/export", withholdable="不可代扣")
    assert [r[0] for r in not_withheld[1:]] == ["陈三", "陈四", "陈五"]  # the list's order: as imported
    mismatch = await exported(client, INSURER, f"/batches/{no}/people/export", check_result="参保姓名和社保姓名不一致")
    assert [r[0] for r in mismatch[1:]] == ["陈四"]
    assert [r[0] for r in (await exported(client, unit, f"/batches/{no}/people/export", name="陈二"))[1:]] == ["陈二"]
    by_id = await exported(client, unit, f"/batches/{no}/people/export", id_number=pid(452))
    assert [r[0] for r in by_id[1:]] == ["陈三"]

    # another unit: not found, and its lists hold nothing of 上海某某五金厂
    await refused(await client.get(f"{RT}/batches/{no}/people/export", headers=other), 404, "not_found")
    other_no = await opened(client, other, "集中参保", "123000021", "上海某某玩具厂")
    mine = await exported(client, other, "/batches/export")
    assert [r[0] for r in mine[1:]] == [other_no]
    assert [r[0] for r in (await exported(client, other, "/units/export"))[1:]] == ["123000021"]

    # 参保批次 for the insurer with the list's filters: 5 persons × 450 元, nothing withheld yet
    header, *batches = await exported(client, INSURER, "/batches/export", code="123000020")
    assert header == ["批次号", "单位名称", "参保编码", "参保类型", "保障年度", "缴费方式", "参保人数",
                      "单位缴纳（元）", "状态", "最后更新时间"]  # fmt: skip
    assert [r[:9] for r in batches] == [[no, "上海某某五金厂", "123000020", "集中参保", YEAR, "委托代扣", 5, 2250,
                                         "名单校验完成"]]  # fmt: skip
    in_status = await exported(client, INSURER, "/batches/export", status="名单校验完成")
    assert [r[0] for r in in_status[1:]] == [no]

    # 单位名单: accounts bound, info kept, the handler's phone masked
    header, *units = await exported(client, INSURER, "/units/export", code="12300002")
    assert header == ["参保编码", "单位名称", "统一社会信用代码", "账号", "经办人", "经办人手机", "单位信息",
                      "名称变更", "最后更新时间"]  # fmt: skip
    assert [r[:8] for r in units] == [
        ["123000020", "上海某某五金厂", make_uscc(61), "已绑定", "王经办", "139*****1111", "完整", ""],
        ["123000021", "上海某某玩具厂", make_uscc(62), "已绑定", "王经办", "139*****1111", "完整", ""],
    ]  # fmt: skip
    assert "13900001111" not in " ".join(str(v) for row in units for v in row)
