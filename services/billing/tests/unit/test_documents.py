"""The notice (告知书) and the receipt as printed: what they say, and the PDF they render to, read back
through its text (rare characters included)."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium

from billing.domain.accounts import Account
from billing.domain.documents import Notice, ReceiptDoc, Split, TypeCount, notice_html, receipt_html
from billing.service.documents import render_pdf

ACCOUNT = Account("上海市职工保障互助中心会员专享保障专户", "316023-03002745697", "上海银行人民广场支行")
NOTICE = Notice(
    payer_name="上海市𠮷祥区总工会", batch_no="CB202212280001", programme_name="会员专享基本保障计划", year=2023,
    enrollment_type="集中参保", by_type=[TypeCount("B+类", 2014, 20140000)], persons=2014,
    split=Split(20140000, 4028000, 16112000, 0), pay_by=date(2023, 1, 20), coverage_start=date(2023, 1, 1),
    coverage_end=date(2023, 12, 31), account=ACCOUNT, issuer="上海市职工保障互助中心", issued_on=date(2022, 12, 28),
)  # fmt: skip


def text_of(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    return "".join("".join(doc[i].get_textpage().get_text_range().split()) for i in range(len(doc)))


def test_the_notice_names_payer_counts_amount_split_pay_by_coverage_account_and_warning():
    html = notice_html(NOTICE)
    for text in ("上海市𠮷祥区总工会", "2023年度", "参加 B+类 共计 2014 人", "201,400 元", "市总统一划拨40,280元",
                 "2023年1月20日之前", "2023年1月1日起至2023年12月31日止", "316023-03002745697",
                 "逾期未划款则所有参保均无效", "Noto Sans CJK SC"):  # fmt: skip
        assert text in html, text


def test_a_notice_without_a_configured_account_says_so():
    html = notice_html(NOTICE.__class__(**{**NOTICE.__dict__, "account": None}))
    assert "收款帐户尚未公布" in html


def test_markup_in_names_is_escaped():
    html = notice_html(NOTICE.__class__(**{**NOTICE.__dict__, "payer_name": "<script>x</script>"}))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_notice_pdf_reads_back_with_the_rare_character():
    text = text_of(render_pdf(notice_html(NOTICE)))
    for expected in ("告知书", "上海市𠮷祥区总工会", "201,400元", "2023年1月20日之前", "逾期未划款"):
        assert expected in text, expected


def test_the_receipt_prints_number_title_and_amount_in_figures_and_words():
    doc = ReceiptDoc(
        receipt_no="ZY202401100001", title="上海XXX公司", uscc="", amount_fen=900000, remark="备注内容",
        programme_name="会员专享基本保障", year=2024, batch_no="CB1", payer_name="徐汇区总工会",
        issuer="上海市职工保障互助会", issued_on=date(2024, 1, 10),
    )  # fmt: skip
    text = text_of(render_pdf(receipt_html(doc)))
    for expected in ("专用收据", "ZY202401100001", "上海XXX公司", "¥9,000.00", "玖仟元整", "备注内容"):
        assert expected in text, expected
