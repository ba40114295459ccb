"""The 委托代扣款申请表 样稿 and the 代扣受理单 (manual 003 (三)3 and (四)): when the slip can be downloaded —
"代扣申请提交1个工作日后", Monday to Friday in Asia/Shanghai — and what both documents say, read back from the PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pypdfium2 as pdfium
import pytest

from enrollment.domain.retiree.acceptance import acceptance_no, accepted_on, check_slip_ready, slip_from
from enrollment.domain.retiree.documents import EntrustmentForm, WithholdingSlip, entrustment_html, slip_html
from enrollment.domain.workdays import next_working_day, working_day_on_or_after
from enrollment.service.notices import render_pdf
from runtime.clock import SHANGHAI
from runtime.errors import DomainError


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


def pdf_text(pdf: bytes) -> str:
    """Every page's text without whitespace (CJK text extracted by pdfium)."""
    document = pdfium.PdfDocument(pdf)
    try:
        return "".join("".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document)))
    finally:
        document.close()


# --- one working day after the request ----------------------------------------------------------------------


def test_working_days_are_monday_to_friday():
    # 2025-06-06 is a Friday
    assert next_working_day(date(2025, 6, 6)) == date(2025, 6, 9)
    assert next_working_day(date(2025, 6, 7)) == date(2025, 6, 9)
    assert next_working_day(date(2025, 6, 3)) == date(2025, 6, 4)
    assert working_day_on_or_after(date(2025, 6, 8)) == date(2025, 6, 9)
    assert working_day_on_or_after(date(2025, 6, 4)) == date(2025, 6, 4)


@pytest.mark.parametrize(
    ("requested", "accepted", "available"),
    [
        (at(2025, 6, 3, 15), date(2025, 6, 3), at(2025, 6, 4)),  # Tuesday → Wednesday 00:00
        (at(2025, 6, 3, 23, 59), date(2025, 6, 3), at(2025, 6, 4)),
        (at(2025, 6, 6, 16), date(2025, 6, 6), at(2025, 6, 9)),  # Friday → Monday
        (at(2025, 6, 7, 10), date(2025, 6, 9), at(2025, 6, 10)),  # Saturday: accepted Monday → Tuesday
        (at(2025, 6, 8, 10), date(2025, 6, 9), at(2025, 6, 10)),  # Sunday: the same
        # a UTC time is read in Shanghai: Friday 17:00Z is Saturday 01:00 there
        (datetime(2025, 6, 6, 17, tzinfo=UTC), date(2025, 6, 9), at(2025, 6, 10)),
    ],
)
def test_the_slip_is_downloadable_from_the_start_of_the_working_day_after_the_accepted_one(
    requested: datetime, accepted: date, available: datetime
):
    assert accepted_on(requested) == accepted
    assert slip_from(requested) == available


def test_before_that_the_refusal_says_from_when_and_without_a_request_there_is_no_slip():
    with pytest.raises(DomainError) as early:
        check_slip_ready(at(2025, 6, 6, 16), at(2025, 6, 8, 23, 59))
    assert (early.value.code, early.value.title) == ("retiree.slip_not_ready", "代扣受理单将于 2025-06-09 起可下载")
    assert early.value.extra == {"available_from": "2025-06-09T00:00:00+08:00"}
    assert check_slip_ready(at(2025, 6, 6, 16), at(2025, 6, 9)) == at(2025, 6, 6, 16)
    with pytest.raises(DomainError) as none:
        check_slip_ready(None, at(2025, 6, 9))
    assert none.value.code == "retiree.no_withholding_request"


def test_the_acceptance_number_follows_the_batch_number():
    assert acceptance_no("TXZY202506030001") == "SL202506030001"


# --- the documents ------------------------------------------------------------------------------------------


def test_the_blank_entrustment_form_has_the_title_the_entrustment_and_lines_to_fill():
    text = pdf_text(render_pdf(entrustment_html(EntrustmentForm())))
    for expected in (
        "退休职工住院补充医疗互助保障计划", "委托代扣款申请书", "上海市职工保障互助会：",
        "现委托上海市职工保障互助会通过银行", "须大于0且小于等于450.00元/人", "单位（盖章）", "单位负责人（签字）",
        "日期：",
    ):  # fmt: skip
        assert expected in text, expected


def test_the_entrustment_form_of_a_batch_is_prefilled():
    form = EntrustmentForm(unit_name="上海某某机械厂", code="123000000", uscc="91310000MA1FL0000X", year=2025,
                           amount_fen=30000)  # fmt: skip
    html = entrustment_html(form)
    assert 'font-family: "Noto Sans CJK SC"' in html
    text = pdf_text(render_pdf(html))
    for expected in ("我单位上海某某机械厂", "参保编码：123000000", "91310000MA1FL0000X", "参加2025年度",
                     "每人300.00元"):  # fmt: skip
        assert expected in text, expected


def test_the_slip_states_the_unit_the_batch_and_13_persons_at_300_yuan_making_3900():
    slip = WithholdingSlip(
        acceptance_no="SL202506030001", unit_name="上海某某机械厂", code="123000000", uscc="91310000MA1FL0000X",
        batch_no="TXZY202506030001", year=2025, request_no="DK202506030001", amount_fen=30000, persons=13,
        requested_at=at(2025, 6, 3, 15), accepted_on=date(2025, 6, 3), pension_day=date(2025, 6, 10),
    )  # fmt: skip
    assert slip.total_fen == 390000
    text = pdf_text(render_pdf(slip_html(slip)))
    for expected in (
        "代扣受理单", "受理编号SL202506030001", "单位名称上海某某机械厂", "参保编码123000000",
        "参保批次号TXZY202506030001",
        "代扣金额/人300.00元", "申请代扣人数13人", "代扣总额3,900.00元", "代扣申请提交时间2025-06-0315:00",
        "受理日期2025-06-03", "2025-06-10", "代扣结果将以邮件或短信方式发送至经办人",
    ):  # fmt: skip
        assert expected in text, expected
