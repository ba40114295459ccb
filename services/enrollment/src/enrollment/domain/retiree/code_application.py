"""新参保编码申请 of the plan — manual 003, 四 注意事项: a unit without a 参保编码 (not among last year's
units) applies through 【参保编码申请】→【申请参保编码】: "加“*”号为必填项" — 单位名称, 统一社会信用代码,
经办人姓名, 经办人手机, 经办人邮箱, 所属区局工会, 经济类型, 单位地址, 邮政编码; 负责人 and 单位电话 optional;
附件 《社会保险费缴费申报表》或《单位参加城镇社会保险基本情况》或法人登记证/营业执照 (复印件盖公章).
申请中 → 审核通过 ("参保编码栏直接显示参保编码") or 审核不通过 (【编辑】 shows the reason, 修改后重新提交);
"审核时间为提交申请后1个工作日".

The review, the log and the SMS code are the mutual-aid applications' (domain.mutual_aid.codes); the form
is kept in the same columns: the 经办人 as the contact, 所属区局工会 as `committee`, 经济类型 as `nature`; it
asks no 在职人数 (kept 0) and no 负责人手机.

Codes granted here are "13" and seven digits: last year's codes (the manual's tuixiu123000000) are loaded
as they are, so a code of this sequence that is already a unit's is skipped.
Plain rules, no I/O.
"""

from __future__ import annotations

from runtime.errors import DomainError, InvalidInput

from ..mutual_aid import codes as common
from ..mutual_aid.codes import ApplicationForm

CODE_PREFIX = "13"
CODE_DIGITS = 7
# the retiree form's own words for the shared fields, in the refusals it shows
LABELS = {
    "unit_name": "单位名称", "uscc": "统一社会信用代码", "contact": "经办人姓名", "contact_phone": "经办人手机",
    "email": "经办人邮箱", "committee": "所属区局工会", "nature": "经济类型", "address": "单位地址",
    "postcode": "邮政编码",
}  # fmt: skip
MAX_ECONOMIC_TYPE = 20


def check_application(form: ApplicationForm) -> ApplicationForm:
    """The retiree form as it is kept: trimmed, every "*" field present and well-formed."""

    def need(field: str, value: str | None) -> str:
        return common.required(field, value, labels=LABELS)

    economic_type = need("nature", form.nature)
    if len(economic_type) > MAX_ECONOMIC_TYPE:
        raise InvalidInput(
            "code_application.nature_invalid", f"经济类型不能超过 {MAX_ECONOMIC_TYPE} 个字", field="nature"
        )
    postcode = need("postcode", form.postcode)
    if not common.POSTCODE.fullmatch(postcode):
        raise InvalidInput("code_application.postcode_invalid", "邮政编码应为 6 位数字", field="postcode")
    unit_phone = common.optional(form.unit_phone)
    if unit_phone and not common.LANDLINE.fullmatch(unit_phone):
        raise InvalidInput("code_application.unit_phone_invalid", "单位电话格式不正确", field="unit_phone")
    return ApplicationForm(
        unit_name=need("unit_name", form.unit_name),
        committee=need("committee", form.committee),
        uscc=common.uscc(form.uscc, needed=True),
        nature=economic_type,
        contact=need("contact", form.contact),
        contact_phone=common.mobile("contact_phone", form.contact_phone, labels=LABELS),
        email=common.email("email", form.email, labels=LABELS),
        address=need("address", form.address),
        postcode=postcode,
        headcount=0,  # not asked by the retiree form
        leader=common.optional(form.leader),
        leader_phone=None,
        unit_phone=unit_phone,
    )


def make_code(seq: int) -> str:
    """The `seq`-th code of the plan's own sequence (1 → 130000001)."""
    if not 1 <= seq < 10**CODE_DIGITS:
        raise ValueError("retiree code sequence out of range")
    return f"{CODE_PREFIX}{seq:0{CODE_DIGITS}d}"


def held_by_unit(unit_code: str) -> DomainError:
    """A name (or USCC) that is already a unit of the plan whose handler is not on file yet: the code to
    use instead (its account is tuixiu+参保编码)."""
    return DomainError(
        "code_application.name_has_code",
        f"提交失败！该单位已有退休住院计划参保编码（{unit_code}），请使用预派账号（tuixiu+参保编码）办理或联系职保会",
        enrollment_code=unit_code,
    )
