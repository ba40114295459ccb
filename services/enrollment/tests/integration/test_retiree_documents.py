"""退休住院计划's two downloads on the service (real database and broker), read back from the PDFs' text:
the 委托代扣款申请表 样稿 — blank, then prefilled from a withholding batch at 300 元 — and that batch's 代扣受理单
for 13 persons (13 × 300 = 3,900.00 元): refused before the withholding request, refused with the day it
opens until one working day has passed (requested Friday May 30 15:00 → from Monday June 2), then the
PDF, for the unit and the insurer; another unit's caller gets 404 for both."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from enrollment import demo
from runtime.identity import make_uscc
from runtime.tokens import Tier
from services.enrollment.tests.conftest import CITY, at, ok
from services.enrollment.tests.integration.test_retiree import (
    INSURER,
    RT,
    YEAR,
    batch_of,
    on_register,
    opened,
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
from services.enrollment.tests.unit.retiree.test_documents import pdf_text

CODE, NAME, USCC = "123000020", "上海某某机械厂", make_uscc(51)


@pytest.fixture
async def year(client, clock):  # type: ignore[no-untyped-def]
    clock.set(at(YEAR, 5, 20, 10))
    await demo.configure_retiree(client, CITY, YEAR)


def pdf(response: Any, file_name: str) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].endswith(quote(file_name))
    return pdf_text(response.content)


async def test_the_entrustment_form_and_the_slip_one_working_day_after_the_request(client, clock, kafka, year):  # type: ignore[no-untyped-def]
    await ok(await client.put(f"{RT}/units", json={"units": [
        {"code": CODE, "unit_name": NAME, "uscc": USCC},
        {"code": "123000021", "unit_name": "上海某某纺织厂", "uscc": make_uscc(52)},
    ]}, headers=INSURER))  # fmt: skip
    unit = await unit_account(client, CODE, "tuixiu123000020", Tier.ENTERPRISE)
    other = await unit_account(client, "123000021", "tuixiu123000021", Tier.ENTERPRISE)
    await ok(await client.put(f"{RT}/years/{YEAR}/headcounts", json={"units": [
        {"unit_code": "SB020", "unit_name": NAME, "headcount": 13}]}, headers=INSURER))  # fmt: skip

    # the 样稿 before any batch: the entrustment with lines to fill
    blank = pdf(await client.get(f"{RT}/withholding-form", headers=unit), "委托代扣款申请表（样稿）.pdf")
    assert "委托代扣款申请书" in blank and "现委托上海市职工保障互助会" in blank and NAME not in blank

    # a collective batch at 300 元 per person: the form of the batch says so
    no = await opened(client, unit, "集中参保", CODE, NAME)
    await withholding_mode(client, unit, no, 30000)
    form = pdf(await client.get(f"{RT}/withholding-form", params={"batch_no": no}, headers=unit),
                     f"委托代扣款申请书-{NAME}.pdf")  # fmt: skip
    for expected in (f"我单位{NAME}", f"参保编码：{CODE}", USCC, f"参加{YEAR}年度", "每人300.00元"):
        assert expected in form, expected
    await refused(await client.get(f"{RT}/withholding-form", params={"batch_no": no}, headers=other), 404, "not_found")

    # 13 people checked and approved; no slip before the withholding request
    rows = [(f"机械{i:02d}", "身份证", pid(450 + i), "", "", phone(450 + i)) for i in range(13)]
    assert (await upload(client, unit, no, rows))["rows_added"] == 13
    await ok(await client.post(f"{RT}/batches/{no}/validation", headers=unit), 202)
    request = (await requested_checks(kafka.bootstrap, 1))[0]
    await report(kafka.bootstrap, request["request_id"], [on_register(s, "SB020") for s in request["subjects"]])
    await until_status(client, unit, no, "名单校验完成")
    await ok(await client.post(f"{RT}/batches/{no}/review-submission", headers=unit))
    approved = await ok(await client.post(f"{RT}/batches/{no}/approve", headers=INSURER))
    assert approved["withholding_slip_from"] is None
    slip = f"{RT}/batches/{no}/withholding-slip"
    await refused(await client.get(slip, headers=unit), 409, "retiree.no_withholding_request")

    # requested on Friday May 30 15:00: the slip from Monday June 2
    clock.set(at(YEAR, 5, 30, 15))
    asked = await ok(await client.post(f"{RT}/batches/{no}/withholding-request", json={"accepted": True}, headers=unit))
    assert (asked["withholding"]["requested"], asked["withholding_slip_from"]) == (13, f"{YEAR}-06-02T00:00:00+08:00")
    clock.set(at(YEAR, 6, 1, 23, 59))
    early = await refused(await client.get(slip, headers=unit), 409, "retiree.slip_not_ready")
    assert (early["title"], early["available_from"]) == (
        f"代扣受理单将于 {YEAR}-06-02 起可下载",
        asked["withholding_slip_from"],
    )

    clock.set(at(YEAR, 6, 2, 9))
    text = pdf(await client.get(slip, headers=unit), f"代扣受理单-{no}.pdf")
    for expected in (
        f"受理编号SL{no.removeprefix('TXZY')}", f"单位名称{NAME}", f"参保编码{CODE}", f"统一社会信用代码{USCC}",
        f"参保批次号{no}", f"保障年度{YEAR}年度", "代扣金额/人300.00元", "申请代扣人数13人", "代扣总额3,900.00元",
        f"代扣申请提交时间{YEAR}-05-3015:00", f"受理日期{YEAR}-05-30", f"{YEAR}-06-10",
        "代扣结果将以邮件或短信方式发送至经办人",
    ):  # fmt: skip
        assert expected in text, expected
    assert pdf(await client.get(slip, headers=INSURER), f"代扣受理单-{no}.pdf") == text
    await refused(await client.get(slip, headers=other), 404, "not_found")
    assert (await batch_of(client, unit, no))["status"] == "代扣处理中"  # checked: downloading changed nothing
