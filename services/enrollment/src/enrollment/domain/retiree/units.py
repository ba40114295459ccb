"""The plan's units (参保单位) — manual 003, 一(一) 预派账号 and 三(三)2 维护单位信息.

"上年度参保的、且匹配到正确统一信用代码的单位，已预派登录账号密码：账号：tuixiu+参保编码": the insurer loads last
year's units (参保编码, 单位名称, 统一社会信用代码); a unit with a valid USCC is announced so the gateway can
issue its account. "“统一信用代码”是根据参保单位名称自动校验带出的"; a name that finds no code goes through
【修改单位名称】 with evidence (《红头文件》或《工商变更登记表》), reviewed by the insurer within a working day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from runtime.errors import InvalidInput
from runtime.identity import InvalidIdentifier, validate_mobile, validate_uscc

CODE = re.compile(r"[0-9A-Za-z]{1,20}")
POSTCODE = re.compile(r"[0-9]{6}")
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")
MAX_UNIT_NAME = 100
UNION_SUFFIX = "工会"


class NameChangeStatus(StrEnum):
    PENDING = "申请中"
    APPROVED = "审核通过"
    REJECTED = "审核不通过"


@dataclass(frozen=True)
class LoadedUnit:
    code: str
    unit_name: str
    uscc: str  # as given (kept even when invalid)
    uscc_valid: bool
    problem: str = ""


def read_unit(code: str, unit_name: str, uscc: str) -> LoadedUnit:
    """One row of last year's units; an invalid USCC is kept (the unit exists) but not announced."""
    code, name, given = code.strip(), unit_name.strip(), uscc.strip().upper()
    if not CODE.fullmatch(code):
        raise InvalidInput("unit.code_invalid", f"参保编码“{code}”格式不正确（1–20位字母或数字）", unit_code=code)
    if not name or len(name) > MAX_UNIT_NAME:
        raise InvalidInput(
            "unit.name_invalid", f"参保编码{code}的单位名称不能为空且不超过{MAX_UNIT_NAME}字", unit_code=code
        )
    try:
        return LoadedUnit(code, name, validate_uscc(given), True)
    except InvalidIdentifier as bad:
        return LoadedUnit(code, name, given, False, bad.message)


def union_names(unit_name: str) -> tuple[str, ...]:
    """The names a unit's union is known by in the org tree: the unit itself, or `<unit>工会`."""
    name = unit_name.strip()
    return (name, name + UNION_SUFFIX) if not name.endswith(UNION_SUFFIX) else (name,)


@dataclass(frozen=True)
class UnitInfo:
    address: str
    postcode: str
    district: str  # 所属区局
    economic_type: str
    handler_name: str
    handler_phone: str
    handler_email: str


REQUIRED = {
    "address": "单位地址", "postcode": "邮政编码", "district": "所属区局", "economic_type": "经济类型",
    "handler_name": "经办人姓名", "handler_phone": "经办人手机", "handler_email": "经办人邮箱",
}  # fmt: skip


def check_info(info: UnitInfo) -> UnitInfo:
    """修改并保存: every field filled and well-formed."""
    if missing := [label for key, label in REQUIRED.items() if not str(getattr(info, key)).strip()]:
        raise InvalidInput("unit.info_incomplete", f"请填写{'、'.join(missing)}", missing=missing)
    if not POSTCODE.fullmatch(info.postcode.strip()):
        raise InvalidInput("unit.postcode_invalid", "邮政编码应为6位数字")
    if not EMAIL.fullmatch(info.handler_email.strip()):
        raise InvalidInput("unit.email_invalid", "经办人邮箱格式不正确")
    try:
        phone = validate_mobile(info.handler_phone)
    except InvalidIdentifier as bad:
        raise InvalidInput(bad.code, bad.message) from None
    return UnitInfo(
        info.address.strip(), info.postcode.strip(), info.district.strip(), info.economic_type.strip(),
        info.handler_name.strip(), phone, info.handler_email.strip(),
    )  # fmt: skip


def phone_unchanged(given: str, stored_masked: str) -> bool:
    """The form shows the saved phone masked (139*****1111) and sends it back as it is: that means "keep the
    number on file". A masked value is never a valid mobile, so it cannot be mistaken for a new one."""
    return bool(stored_masked) and given.strip() == stored_masked


def missing_info(info: UnitInfo | None) -> list[str]:
    if info is None:
        return list(REQUIRED.values())
    return [label for key, label in REQUIRED.items() if not str(getattr(info, key)).strip()]
