"""参保编码申请, 经办人填报, 单位名称变更 — the rules (manual 002, 二(二) and 四 其他事项), SMS codes and
the attachments' checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from enrollment.domain import files
from enrollment.domain.mutual_aid import codes, sms
from runtime.errors import DomainError, InvalidInput
from runtime.identity import make_uscc

# The manual's form (申请参保编码): 小明公司, 普陀区, 企业, 章先生 …
FORM = codes.ApplicationForm(
    unit_name=" 小明公司 ", committee="普陀区", uscc=make_uscc(7).lower(), nature="企业", contact="章先生",
    contact_phone="18712345678", email="114@qq.com", address="上海市普陀区某某路1号", postcode="331111", headcount=12,
)  # fmt: skip
HANDLER = codes.HandlerForm(
    handler_name="王经办", handler_phone="13900001111", handler_email="wang@example.com", uscc=make_uscc(7),
    economic_type="私营企业", union_first="普陀区总工会", union_second="长征镇总工会", address="上海市普陀区某某路1号",
    industry="制造业", headcount=12,
)  # fmt: skip


def refusal(exc: pytest.ExceptionInfo[DomainError]) -> tuple[str, object]:
    return exc.value.code, exc.value.extra.get("field")


def test_a_complete_form_is_kept_trimmed_with_its_uscc_upper_cased():
    form = codes.check_application(FORM)
    assert (form.unit_name, form.uscc, form.leader, form.leader_phone) == ("小明公司", make_uscc(7), None, None)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"unit_name": "  "}, ("code_application.field_required", "unit_name")),
        ({"committee": ""}, ("code_application.field_required", "committee")),
        ({"contact": ""}, ("code_application.field_required", "contact")),
        ({"nature": "个体"}, ("code_application.nature_invalid", "nature")),
        ({"postcode": "123"}, ("code_application.postcode_invalid", "postcode")),  # the manual's demo "123"
        ({"contact_phone": "13911"}, ("phone.format", "contact_phone")),
        ({"email": "123@163"}, ("code_application.email_invalid", "email")),
        ({"headcount": 0}, ("code_application.headcount_invalid", "headcount")),
        ({"uscc": make_uscc(7)[:-1] + "0"}, ("uscc.check_digit", "uscc")),
        ({"leader_phone": "123"}, ("phone.format", "leader_phone")),
        ({"unit_phone": "call me"}, ("code_application.unit_phone_invalid", "unit_phone")),
    ],
)
def test_every_required_field_and_format_is_refused_by_name(change, expected):
    with pytest.raises(InvalidInput) as exc:
        codes.check_application(replace(FORM, **change))
    assert refusal(exc) == expected
    assert exc.value.title  # Chinese, for the clerk


def test_the_uscc_is_optional_on_the_application_as_on_the_manuals_form():
    """统一信用代码 carries no "*" on 申请参保编码."""
    assert codes.check_application(replace(FORM, uscc="  ")).uscc is None


def test_unit_names_match_whatever_the_width_of_brackets_and_spaces():
    assert codes.name_key("上海某某（集团）有限公司") == codes.name_key(" 上海某某 (集团)有限公司")
    assert codes.name_key("ABC") == codes.name_key("ａｂｃ")
    assert codes.name_key("上海某某有限公司") != codes.name_key("上海某某有限公司分公司")


def test_a_name_with_a_code_is_refused_as_the_manual_shows_with_the_codes_contact():
    """ "提交失败!该企业已申请过参保编码。【联系人:是的,手机号:17…64】"."""
    error = codes.name_has_code(codes.Contact("是的", "17712345664"))
    assert error.code == "code_application.name_has_code" and error.status == 409
    assert error.title == "提交失败！该企业已申请过参保编码。【联系人：是的，手机号：17712345664】"
    assert error.extra == {"contact": "是的", "contact_phone": "17712345664"}


def test_only_a_pending_application_is_reviewed_and_a_rejection_needs_its_reason():
    codes.check_reviewable(codes.ReviewStatus.PENDING)
    for done in (codes.ReviewStatus.APPROVED, codes.ReviewStatus.REJECTED):
        with pytest.raises(DomainError) as exc:
            codes.check_reviewable(done, "参保编码申请")
        assert exc.value.code == "review.not_pending" and done.value in exc.value.title
    assert codes.check_reason("  附件未加盖公章 ") == "附件未加盖公章"
    for reason, code in ((None, "review.reason_required"), ("  ", "review.reason_required"),
                         ("长" * 201, "review.reason_too_long")):  # fmt: skip
        with pytest.raises(InvalidInput) as exc:
            codes.check_reason(reason)
        assert exc.value.code == code


def test_only_a_rejected_application_is_edited_and_submitted_again():
    codes.check_resubmittable(codes.ReviewStatus.REJECTED)
    for status in (codes.ReviewStatus.PENDING, codes.ReviewStatus.APPROVED):
        with pytest.raises(DomainError) as exc:
            codes.check_resubmittable(status)
        assert exc.value.code == "code_application.not_editable"


def test_codes_are_six_characters_numbered_in_order_with_a_check_character():
    made = [codes.make_code(n) for n in range(1, 2001)]
    assert len(set(made)) == 2000 and all(len(c) == 6 and codes.is_valid_code(c) for c in made)
    assert [made[0][:5], made[29][:5], made[30][:5]] == ["00001", "0000Y", "00010"]  # base 31, no I O Z S V
    code = made[1000]
    body = code[:5]
    for i in range(5):  # 参保编码输入错误: one character mistyped, or two neighbours swapped, is caught
        for ch in codes.CODE_CHARSET:
            typo = body[:i] + ch + body[i + 1 :]
            assert typo == body or not codes.is_valid_code(typo + code[5])
        swapped = body[:i] + body[i + 1 : i + 2] + body[i] + body[i + 2 :] if i < 4 else body
        assert swapped == body or not codes.is_valid_code(swapped + code[5])
    assert codes.is_valid_code(code.lower()) and not codes.is_valid_code("0072I3") and not codes.is_valid_code("1")


def test_the_handler_form_needs_every_starred_field_and_names_unions_only_for_a_union():
    assert codes.check_handler(HANDLER, union_names_required=True) == HANDLER
    no_unions = replace(HANDLER, union_first=" ", union_second=None)
    with pytest.raises(InvalidInput) as exc:
        codes.check_handler(no_unions, union_names_required=True)
    assert refusal(exc) == ("handler.field_required", "union_first")
    assert codes.check_handler(no_unions, union_names_required=False).union_first is None  # 未建会单位
    for change, expected in (
        ({"handler_email": "wang"}, ("handler.email_invalid", "handler_email")),
        ({"handler_phone": ""}, ("handler.field_required", "handler_phone")),
        ({"uscc": ""}, ("handler.field_required", "uscc")),
        ({"industry": ""}, ("handler.field_required", "industry")),
    ):
        with pytest.raises(InvalidInput) as exc:
            codes.check_handler(replace(HANDLER, **change), union_names_required=False)
        assert refusal(exc) == expected
    gate = codes.handler_incomplete("00001Z")
    assert gate.code == "handler.incomplete" and gate.status == 409 and "经办人填报" in gate.title


def test_a_name_change_must_change_the_name():
    assert codes.check_new_name("小明公司", " 小明科技有限公司 ") == "小明科技有限公司"
    for same in ("小明公司", " 小明 公司"):
        with pytest.raises(InvalidInput) as exc:
            codes.check_new_name("小明公司", same)
        assert exc.value.code == "name_change.same_name"
    with pytest.raises(InvalidInput) as exc:
        codes.check_new_name("小明公司", "")
    assert refusal(exc) == ("name_change.field_required", "new_name")


def test_attachments_are_one_to_ten_files():
    codes.check_attachments(1)
    with pytest.raises(InvalidInput) as exc:
        codes.check_attachments(0, "附件")
    assert exc.value.code == "attachment.required" and exc.value.title == "请上传附件"
    with pytest.raises(InvalidInput) as exc:
        codes.check_attachments(11)
    assert exc.value.code == "attachment.too_many"


# --- 短信验证码 ---------------------------------------------------------------------------------------------

NOW = datetime(2023, 6, 8, 9, 0, tzinfo=UTC)
LIMITS = sms.Limits()


def test_one_code_a_minute_and_a_daily_cap_per_number_and_per_account():
    sms.check_may_send(LIMITS, NOW, None, 0, 0)
    sms.check_may_send(LIMITS, NOW, NOW - timedelta(seconds=60), 9, 29)
    with pytest.raises(sms.TooMany) as exc:
        sms.check_may_send(LIMITS, NOW, NOW - timedelta(seconds=45), 1, 1)
    assert (exc.value.code, exc.value.status, exc.value.extra["retry_after"]) == ("sms.too_soon", 429, 16)
    for phone_today, account_today in ((10, 0), (0, 30)):
        with pytest.raises(sms.TooMany) as exc:
            sms.check_may_send(LIMITS, NOW, None, phone_today, account_today)
        assert exc.value.code == "sms.daily_limit"


def test_a_code_is_six_digits_good_for_five_minutes_once_and_for_five_guesses():
    code = sms.new_code()
    assert len(code) == 6 and code.isdigit()
    assert "123456" in sms.message("123456", LIMITS.ttl) and "5分钟" in sms.message("123456", LIMITS.ttl)
    sms.check_usable(LIMITS, NOW, NOW + timedelta(seconds=1), attempts=4, used=False)
    for expires_at, attempts, used in ((NOW, 0, False), (NOW + LIMITS.ttl, 5, False), (NOW + LIMITS.ttl, 0, True)):
        with pytest.raises(InvalidInput) as exc:
            sms.check_usable(LIMITS, NOW, expires_at, attempts, used)
        assert exc.value.code == "sms.code_expired"
    assert sms.code_wrong(2).title == "短信验证码不正确，还可尝试 2 次" and "重新获取" in sms.code_wrong(0).title


# --- attachments ---------------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"


def test_an_attachment_is_a_png_jpeg_or_pdf_by_its_bytes_and_not_too_large():
    kept = files.check_file("C:\\扫描件\\营业执照.PNG", PNG, 1024)
    assert (kept.name, kept.kind) == ("营业执照.PNG", files.FileKind.PNG)
    assert files.check_file("申报表.pdf", PDF, 1024).kind is files.FileKind.PDF
    for name, content, status, code in (
        ("空.png", b"", 422, "attachment.file_empty"),
        ("大.png", PNG + b"\x00" * 2000, 413, "attachment.file_too_large"),
        ("文本.png", b"hello", 415, "attachment.file_type"),
        ("改名.pdf", PNG, 415, "attachment.file_type"),
        ("脚本.pdf", PDF + b"/JavaScript (app.alert(1))", 415, "attachment.file_active"),
    ):
        with pytest.raises(files.FileRefused) as exc:
            files.check_file(name, content, 1024)
        assert (exc.value.status, exc.value.code) == (status, code), name
