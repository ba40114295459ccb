"""个人办卡 through 申工社: what a flexible-employment or outside-enterprise member must give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contracts.members import MemberCategory
from runtime.errors import InvalidInput
from runtime.identity import InvalidIdentifier, validate_mobile

from .documents import check_document, parse_id_type
from .eligibility import MIN_ADDRESS_LEN
from .pending import check_expiry, check_nationality

PERSONAL_CATEGORIES = frozenset({MemberCategory.FLEXIBLE, MemberCategory.OUTSIDE_ENTERPRISE})
GENDERS = ("男", "女")


@dataclass(frozen=True, slots=True)
class Application:
    """What the WeChat channel sends, as given."""

    name: str
    id_type: str
    id_number: str
    phone: str
    category: str
    work_unit: str
    work_address: str
    id_expiry: date | None = None
    id_long_term: bool = False
    nationality: str = "中国"
    gender: str | None = None
    birth_date: date | None = None


@dataclass(frozen=True, slots=True)
class Applicant:
    """A checked application: normalised values, birth date and sex from the ID when it has them."""

    name: str
    id_type: str
    id_number: str
    phone: str
    category: MemberCategory
    work_unit: str
    work_address: str
    id_expiry: date | None
    id_long_term: bool
    nationality: str
    gender: str
    birth_date: date


def check_application(a: Application, today: date) -> Applicant:
    category = _category(a.category)
    document = check_document(parse_id_type(a.id_type), a.id_number, today)
    expiry, long_term = check_expiry(a.id_expiry, a.id_long_term, today)
    gender = document.sex or _gender(a.gender)
    birth = document.birth_date or _birth_date(a.birth_date, today)
    return Applicant(
        name=_text(a.name, "name", "姓名", 50),
        id_type=document.id_type.value,
        id_number=document.number,
        phone=_phone(a.phone),
        category=category,
        work_unit=_text(a.work_unit, "work_unit", "工作单位/服务平台", 100),
        work_address=_address(a.work_address),
        id_expiry=expiry,
        id_long_term=long_term,
        nationality=check_nationality(a.nationality),
        gender=gender,
        birth_date=birth,
    )


def _category(text: str) -> MemberCategory:
    if text not in PERSONAL_CATEGORIES:
        raise InvalidInput(
            "cards.personal_category",
            "个人办卡仅限灵活就业类和企业外入会类会员；关联企业类会员请由所在工会办理",
            field="category",
        )
    return MemberCategory(text)


def _text(value: str, field: str, label: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"cards.{field}_required", f"请填写{label}", field=field)
    if len(text) > limit:
        raise InvalidInput(f"cards.{field}_too_long", f"{label}不能超过{limit}个字", field=field)
    return text


def _address(value: str) -> str:
    text = _text(value, "work_address", "工作单位地址", 200)
    if len(text) < MIN_ADDRESS_LEN:
        raise InvalidInput("cards.address_too_short", "工作单位地址不能少于6个字", field="work_address")
    return text


def _phone(value: str) -> str:
    try:
        return validate_mobile(value)
    except InvalidIdentifier as exc:
        raise InvalidInput(exc.code, "手机号码格式不正确，应为11位手机号", field="phone") from None


def _gender(value: str | None) -> str:
    if value not in GENDERS:
        raise InvalidInput("cards.gender_required", "非身份证证件请填写性别（男/女）", field="gender")
    return str(value)


def _birth_date(value: date | None, today: date) -> date:
    if value is None or not date(1900, 1, 1) <= value <= today:
        raise InvalidInput("cards.birth_date_required", "非身份证证件请填写有效的出生日期", field="birth_date")
    return value
