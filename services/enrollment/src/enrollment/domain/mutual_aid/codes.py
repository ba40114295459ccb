"""参保编码 — manual 002, 二(二) 参保编码申请、经办信息填报、变更 and 四 其他事项 (FAQ).

- 参保编码申请: a unit (a grassroots union, or an enterprise without one) fills the form ("*" 必填:
  单位名称, 工委名称, 单位性质, 联系人, 单位地址, 联系人手机, 邮政编码, 联系人邮箱, 在职人数, 验证码;
  统一信用代码, 负责人, 负责人手机, 单位电话 optional), gets an SMS code and uploads 《社会保险费缴费申报表》,
  《单位参加城镇社会保险基本情况》, 法人登记证 or 营业执照 (复印件盖公章). 申请中 → 审核通过
  (参保编码栏直接显示参保编码) or 审核不通过 (【编辑】 shows the reason; 修改后重新提交).
  "若申请参保编码的单位名称已存在 … 提示“提交失败”，并显示该参保编码的联系人以及联系方式".
- "一个参保编码只能在一个平台账号中使用"; "一个参保编码中可以由多个单位组成一套名单，合并办理参保" (a group's
  member units are listed under its code).
- 经办人填报: "填写基本信息，点击【获取验证码】，点击【保存】后，才可以进行后续操作".
- 单位名称变更: evidence (企业名称变更核准通知书、准予变更登记通知书 or 机关事业单位名称更改批复, 盖公章), reviewed by
  the insurer (the manual sends units to the counter; here the same evidence goes online).
Plain rules, no I/O; a refusal is a DomainError with a stable code and a Chinese title.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from runtime.errors import DomainError, InvalidInput
from runtime.identity import InvalidIdentifier, validate_mobile, validate_uscc

MAX_REASON = 200
MAX_ATTACHMENTS = 10
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
POSTCODE = re.compile(r"[0-9]{6}")
LANDLINE = re.compile(r"[0-9][0-9-]{6,19}")
# 单位性质 as the form offers it (the manual's examples: 国有, 企业).
NATURES = ("国有", "集体", "企业", "外资", "港澳台", "机关", "事业单位", "社会团体", "民办非企业", "其他")
MAX_HEADCOUNT = 1_000_000


class Plan(StrEnum):
    """参保项目 a code is applied for: 互助保障's 参保编码, or the 退休住院计划's (manual 003 四 新参保编码申请). A
    unit may hold one of each; each plan's rules (the form, who holds a name) are its own."""

    MUTUAL_AID = "mutual_aid"
    RETIREE = "retiree"


PLAN_LABELS = {Plan.MUTUAL_AID: "互助保障", Plan.RETIREE: "退休住院计划"}


class ReviewStatus(StrEnum):
    """State of an application (参保编码申请 and 单位名称变更 alike)."""

    PENDING = "申请中"
    APPROVED = "审核通过"
    REJECTED = "审核不通过"


# --- names ----------------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """What makes two unit names the same name: full-width and half-width forms alike (（ and (),
    no spaces, case-insensitive latin letters."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


@dataclass(frozen=True)
class Contact:
    """Whom to call about a code (the application's 联系人 and 联系人手机)."""

    name: str
    phone: str


def name_has_code(contact: Contact, *, code: str = "code_application.name_has_code") -> DomainError:
    """The manual's refusal, with the contact of the code that holds the name."""
    return DomainError(
        code,
        f"提交失败！该企业已申请过参保编码。【联系人：{contact.name}，手机号：{contact.phone}】",
        contact=contact.name,
        contact_phone=contact.phone,
    )


# --- the application form ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationForm:
    unit_name: str
    committee: str  # 工委名称
    uscc: str | None  # 统一信用代码
    nature: str  # 单位性质
    contact: str  # 联系人
    contact_phone: str  # 联系人手机
    email: str  # 联系人邮箱
    address: str  # 单位地址
    postcode: str  # 邮政编码
    headcount: int  # 在职人数
    leader: str | None = None  # 负责人
    leader_phone: str | None = None  # 负责人手机
    unit_phone: str | None = None  # 单位电话


LABELS = {
    "unit_name": "单位名称", "committee": "工委名称", "nature": "单位性质", "contact": "联系人",
    "contact_phone": "联系人手机", "email": "联系人邮箱", "address": "单位地址", "postcode": "邮政编码",
    "headcount": "在职人数", "uscc": "统一社会信用代码", "handler_name": "经办人姓名", "handler_phone": "经办人电话",
    "handler_email": "经办人邮箱", "economic_type": "经济类型名称", "union_first": "一级工会组织名称",
    "union_second": "二级工会组织名称", "industry": "单位所属行业名称", "leader_phone": "负责人手机",
    "unit_phone": "单位电话", "new_name": "变更后单位名称",
}  # fmt: skip


def required(
    field: str, value: str | None, prefix: str = "code_application", labels: Mapping[str, str] = LABELS
) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{prefix}.field_required", f"请填写{labels[field]}", field=field)
    return text


def optional(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None


def mobile(field: str, value: str, prefix: str = "code_application", labels: Mapping[str, str] = LABELS) -> str:
    try:
        return validate_mobile(required(field, value, prefix, labels))
    except InvalidIdentifier as exc:
        raise InvalidInput(exc.code, f"{labels[field]}：{exc.message}", field=field) from None


def email(field: str, value: str, prefix: str = "code_application", labels: Mapping[str, str] = LABELS) -> str:
    text = required(field, value, prefix, labels)
    if not EMAIL.fullmatch(text):
        raise InvalidInput(f"{prefix}.email_invalid", f"{labels[field]}格式不正确", field=field)
    return text


def uscc(value: str | None, *, needed: bool, prefix: str = "code_application") -> str | None:
    text = required("uscc", value, prefix) if needed else optional(value)
    if text is None:
        return None
    try:
        return validate_uscc(text)
    except InvalidIdentifier as exc:
        raise InvalidInput(exc.code, exc.message, field="uscc") from None


def headcount(field: str, value: int, prefix: str = "code_application") -> int:
    if not 1 <= value <= MAX_HEADCOUNT:
        raise InvalidInput(f"{prefix}.headcount_invalid", f"{LABELS[field]}应为大于 0 的整数", field=field)
    return value


def check_application(form: ApplicationForm) -> ApplicationForm:
    """The form as it is kept: trimmed, every "*" field present and well-formed."""
    nature = required("nature", form.nature)
    if nature not in NATURES:
        raise InvalidInput(
            "code_application.nature_invalid", f"单位性质应为：{'、'.join(NATURES)}", field="nature", natures=NATURES
        )
    postcode = required("postcode", form.postcode)
    if not POSTCODE.fullmatch(postcode):
        raise InvalidInput("code_application.postcode_invalid", "邮政编码应为 6 位数字", field="postcode")
    unit_phone = optional(form.unit_phone)
    if unit_phone and not LANDLINE.fullmatch(unit_phone):
        raise InvalidInput("code_application.unit_phone_invalid", "单位电话格式不正确", field="unit_phone")
    leader_phone = optional(form.leader_phone)
    return ApplicationForm(
        unit_name=required("unit_name", form.unit_name),
        committee=required("committee", form.committee),
        uscc=uscc(form.uscc, needed=False),
        nature=nature,
        contact=required("contact", form.contact),
        contact_phone=mobile("contact_phone", form.contact_phone),
        email=email("email", form.email),
        address=required("address", form.address),
        postcode=postcode,
        headcount=headcount("headcount", form.headcount),
        leader=optional(form.leader),
        leader_phone=mobile("leader_phone", leader_phone) if leader_phone else None,
        unit_phone=unit_phone,
    )


def check_attachments(count: int, what: str = "附件") -> None:
    """At least one file (盖章的申报表或执照复印件; 名称变更的证明材料), at most MAX_ATTACHMENTS."""
    if count < 1:
        raise InvalidInput("attachment.required", f"请上传{what}")
    if count > MAX_ATTACHMENTS:
        raise InvalidInput("attachment.too_many", f"{what}最多上传 {MAX_ATTACHMENTS} 个文件")


# --- review -------------------------------------------------------------------------------------------


def check_reviewable(status: ReviewStatus, what: str = "申请") -> None:
    if status is not ReviewStatus.PENDING:
        raise DomainError(
            "review.not_pending", f"该{what}当前为“{status.value}”，只有“申请中”的{what}可以审核", state=status.value
        )


def check_reason(reason: str | None) -> str:
    """审核不通过 needs its reason: the unit reads it when it edits the application."""
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("review.reason_required", "请填写审核不通过的原因")
    if len(text) > MAX_REASON:
        raise InvalidInput("review.reason_too_long", f"原因不能超过 {MAX_REASON} 个字")
    return text


def check_resubmittable(status: ReviewStatus) -> None:
    """Only a rejected application is edited and submitted again (申请中 waits for the insurer; an approved
    one has its code)."""
    if status is not ReviewStatus.REJECTED:
        raise DomainError(
            "code_application.not_editable",
            f"该申请当前为“{status.value}”，只有“审核不通过”的申请可以修改后重新提交",
            state=status.value,
        )


# --- the code itself ------------------------------------------------------------------------------

# Codes are six characters, as on the manual's screens (0072J3, 09000X): five for a running number in
# the USCC alphabet (no I, O, Z, S, V: nothing to misread) and a check character, so a mistyped code
# (参保编码输入错误怎么办？) is caught where it is typed instead of landing on another unit.
CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_BASE = len(CODE_CHARSET)
CODE_DIGITS = 5
CODE_PATTERN = re.compile(f"[{CODE_CHARSET}]{{{CODE_DIGITS + 1}}}")


def _check_char(body: str) -> str:
    total = sum(CODE_CHARSET.index(ch) * (i + 2) for i, ch in enumerate(reversed(body)))
    return CODE_CHARSET[total % _BASE]


def make_code(seq: int) -> str:
    """The code of the `seq`-th approved application (1 → "00001" + check)."""
    if not 1 <= seq < _BASE**CODE_DIGITS:
        raise ValueError("code sequence out of range")
    digits = []
    for _ in range(CODE_DIGITS):
        seq, r = divmod(seq, _BASE)
        digits.append(CODE_CHARSET[r])
    body = "".join(reversed(digits))
    return body + _check_char(body)


def is_valid_code(text: str) -> bool:
    """Whether `text` is a code this platform hands out (format and check character)."""
    code = text.strip().upper()
    return bool(CODE_PATTERN.fullmatch(code)) and _check_char(code[:-1]) == code[-1]


# --- 经办人填报 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandlerForm:
    handler_name: str
    handler_phone: str
    handler_email: str
    uscc: str
    economic_type: str  # 经济类型名称
    union_first: str | None  # 一级工会组织名称
    union_second: str | None  # 二级工会组织名称
    address: str
    industry: str  # 单位所属行业名称
    headcount: int  # 职工人数


def check_handler(form: HandlerForm, *, union_names_required: bool) -> HandlerForm:
    """Every "*" of the 经办人填报 form. A union fills in the unions above it; an enterprise without a
    union has none to name."""
    p = "handler"

    def union(field: str, value: str | None) -> str | None:
        return required(field, value, p) if union_names_required else optional(value)

    return HandlerForm(
        handler_name=required("handler_name", form.handler_name, p),
        handler_phone=mobile("handler_phone", form.handler_phone, p),
        handler_email=email("handler_email", form.handler_email, p),
        uscc=uscc(form.uscc, needed=True, prefix=p) or "",
        economic_type=required("economic_type", form.economic_type, p),
        union_first=union("union_first", form.union_first),
        union_second=union("union_second", form.union_second),
        address=required("address", form.address, p),
        industry=required("industry", form.industry, p),
        headcount=headcount("headcount", form.headcount, p),
    )


def handler_incomplete(code: str) -> DomainError:
    return DomainError(
        "handler.incomplete",
        "请先完成【经办人填报】（经办人姓名、电话、邮箱等）并保存后，再办理后续操作",
        enrollment_code=code,
    )


# --- 单位名称变更 ------------------------------------------------------------------------------------


def check_new_name(current: str, new: str) -> str:
    name = required("new_name", new, "name_change")
    if name_key(name) == name_key(current):
        raise InvalidInput("name_change.same_name", "变更后的单位名称与当前名称相同", field="new_name")
    return name
