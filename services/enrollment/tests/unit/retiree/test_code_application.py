"""新参保编码申请 of the plan (manual 003 四): its form in its own words, and its codes."""

from __future__ import annotations

import pytest

from enrollment.domain.mutual_aid.codes import ApplicationForm
from enrollment.domain.retiree.code_application import check_application, make_code
from runtime.errors import InvalidInput
from runtime.identity import make_uscc

FORM = ApplicationForm(
    unit_name=" 小明公司 ", committee="普陀区总工会", uscc=make_uscc(31).lower(), nature="私营企业", contact="王经办",
    contact_phone="13900001111", email="handler@example.com", address="上海市普陀区某某路1号", postcode="200333",
    headcount=12, leader="章先生", leader_phone="13800002222", unit_phone="021-62345678",
)  # fmt: skip


def test_the_form_is_kept_trimmed_without_what_the_retiree_form_does_not_ask():
    kept = check_application(FORM)
    assert (kept.unit_name, kept.uscc, kept.headcount, kept.leader, kept.leader_phone) == (
        "小明公司", make_uscc(31), 0, "章先生", None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "title"),
    [
        ({"uscc": None}, "uscc", "请填写统一社会信用代码"),  # required here, optional for mutual aid
        ({"contact": " "}, "contact", "请填写经办人姓名"),
        ({"contact_phone": ""}, "contact_phone", "请填写经办人手机"),
        ({"email": "handler"}, "email", "经办人邮箱格式不正确"),
        ({"committee": ""}, "committee", "请填写所属区局工会"),
        ({"nature": ""}, "nature", "请填写经济类型"),
        ({"postcode": "2003"}, "postcode", "邮政编码应为 6 位数字"),
    ],
)
def test_a_missing_or_malformed_field_is_named_as_the_retiree_form_names_it(change, field, title):
    with pytest.raises(InvalidInput) as refused:
        check_application(ApplicationForm(**(FORM.__dict__ | change)))
    assert (refused.value.extra.get("field"), refused.value.title) == (field, title)


def test_codes_are_13_and_seven_digits_apart_from_last_years_12():
    assert (make_code(1), make_code(9_999_999)) == ("130000001", "139999999")
    with pytest.raises(ValueError):
        make_code(10**7)
