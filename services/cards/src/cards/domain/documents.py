"""Identity documents (证件) a card may be issued on, and what a valid number of each looks like.

A resident ID (身份证) carries birth date and sex; for the others both are given. The formats are
the issuing authorities' layouts (the members service checks the same ones on import).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from runtime.errors import InvalidInput
from runtime.identity import InvalidIdentifier, validate_id_number


class IdType(StrEnum):
    RESIDENT_ID = "身份证"
    PASSPORT = "护照"
    HK_MACAO_PERMIT = "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "台湾居民来往大陆通行证"
    FOREIGN_PERMANENT_RESIDENT = "外国人永久居留身份证"
    HK_MACAO_TAIWAN_RESIDENCE = "港澳台居民居住证"


_FORMATS: dict[IdType, re.Pattern[str]] = {
    IdType.PASSPORT: re.compile(r"[A-Z0-9]{5,17}"),
    IdType.HK_MACAO_PERMIT: re.compile(r"[HM][0-9]{8}([0-9]{2})?"),
    IdType.TAIWAN_PERMIT: re.compile(r"[0-9]{8}([0-9]{2})?"),
    IdType.FOREIGN_PERMANENT_RESIDENT: re.compile(r"[A-Z]{3}[0-9]{12}|9[0-9]{16}[0-9X]"),
    IdType.HK_MACAO_TAIWAN_RESIDENCE: re.compile(r"8[123][0-9]{15}[0-9X]"),
}


@dataclass(frozen=True, slots=True)
class Document:
    id_type: IdType
    number: str  # upper case, no spaces
    birth_date: date | None  # from the number when it carries one
    sex: str | None


def parse_id_type(text: str) -> IdType:
    try:
        return IdType(text.strip())
    except ValueError:
        choices = "、".join(t.value for t in IdType)
        raise InvalidInput("cards.id_type_invalid", f"证件类型应为：{choices}", field="id_type") from None


def check_document(id_type: IdType, number_text: str, today: date) -> Document:
    number = "".join(number_text.split()).upper()
    if not number:
        raise InvalidInput("cards.id_number_required", "请填写证件号码", field="id_number")
    if id_type is IdType.RESIDENT_ID:
        try:
            info = validate_id_number(number, today=today)
        except InvalidIdentifier as exc:
            raise InvalidInput(exc.code, exc.message, field="id_number") from None
        return Document(id_type, info.number, info.birth_date, info.sex)
    if not _FORMATS[id_type].fullmatch(number):
        raise InvalidInput("cards.id_number_format", f"{id_type.value}号码格式不正确", field="id_number")
    return Document(id_type, number, None, None)
