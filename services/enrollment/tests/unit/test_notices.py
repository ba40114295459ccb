"""The notices (告知书): what they say, and the PDF they render to (checked through its text)."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium

from contracts.enrollment import EnrollmentType
from enrollment.domain.notices import DistrictNotice, UnitNotice, district_html, unit_html
from enrollment.domain.split import Amounts
from enrollment.service.notices import render_pdf

UNIT = UnitNotice(
    union_name="上海建朗信息科技有限公司工会", programme_name="上海工会会员专享基本保障", year=2023,
    enrollment_type=EnrollmentType.COLLECTIVE, type_name="A类会员专享基本保障", persons=95,
    amounts=Amounts(247000, 123500, 123500, 0), pay_by=date(2022, 12, 25), coverage_start=date(2023, 1, 1),
    coverage_end=date(2023, 12, 31), issuer="上海市职工援助服务中心", issued_on=date(2022, 10, 25),
)  # fmt: skip


def test_the_unit_notice_names_union_year_type_count_amount_split_dates_and_the_warning():
    html = unit_html(UNIT)
    for text in (
        "上海建朗信息科技有限公司工会", "2023年度", "A类会员专享基本保障", "95 人", "保障费用2,470元",
        "市总统一划拨1,235元", "区局/各级工会缴费1,235元", "基层单位缴费0元", "2022年12月25日之前",
        "2023年1月1日起至2023年12月31日止", "逾期未划款则所有参保均无效", "Noto Sans CJK SC",
    ):  # fmt: skip
        assert text in html, text


def test_the_district_notice_lists_persons_per_type_and_the_insurers_account():
    notice = DistrictNotice(
        district_name="上海市黄浦区总工会", batch_no="CB202212280001", programme_name="会员专享基本保障", year=2023,
        enrollment_type=EnrollmentType.COLLECTIVE, persons_by_type=[("B+类", 2014)],
        amounts=Amounts(20140000, 4028000, 16112000, 0), pay_by=date(2023, 1, 20), coverage_start=date(2023, 1, 1),
        coverage_end=date(2023, 12, 31), payee_name="上海市职工保障互助中心会员专享保障专户",
        payee_account="316023-03002745697", payee_bank="上海银行人民广场支行", issuer="上海市职工保障互助中心",
        issued_on=date(2022, 12, 28),
    )  # fmt: skip
    html = district_html(notice)
    for text in ("参加 B+类 会员共计 2014 人", "201,400 元", "316023-03002745697", "2023年1月20日之前"):
        assert text in html, text


def test_the_notice_renders_to_a_pdf_whose_text_reads_back_in_chinese():
    pdf = render_pdf(unit_html(UNIT))
    doc = pdfium.PdfDocument(pdf)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    compact = "".join(text.split())
    for expected in ("告知书", "上海建朗信息科技有限公司工会", "95人", "2,470元", "逾期未划款"):
        assert expected in compact, expected
