"""Identity documents (证件): the types a member may hold and what a valid number of each looks like.

A resident ID (身份证) carries birth date and sex; for every other document both are entered. The
other formats follow the issuing authorities' published layouts; a number that fits none of them is
almost always a typing error, so it is refused rather than stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from runtime.identity import InvalidIdentifier, validate_id_number


class IdType(StrEnum):
    RESIDENT_ID = "身份证"
    PASSPORT = "护照"
    HK_MACAO_PERMIT = "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "台湾居民来往大陆通行证"
    FOREIGN_PERMANENT_RESIDENT = "外国人永久居留身份证"
    HK_MACAO_TAIWAN_RESIDENCE = "港澳台居民居住证"


# The 18-character numbers use the resident-ID layout and check digit (GB 11643): residence permits
# start 81 (HK), 82 (Macao), 83 (Taiwan); the 2023 foreign permanent-resident card starts with 9.
_FORMATS: dict[IdType, re.Pattern[str]] = {
    IdType.PASSPORT: re.compile(r"[A-Z0-9]{5,17}"),
    IdType.HK_MACAO_PERMIT: re.compile(r"[HM][0-9]{8}([0-9]{2})?"),
    IdType.TAIWAN_PERMIT: re.compile(r"[0-9]{8}([0-9]{2})?"),
    IdType.FOREIGN_PERMANENT_RESIDENT: re.compile(r"[A-Z]{3}[0-9]{12}|9[0-9]{16}[0-9X]"),
    IdType.HK_MACAO_TAIWAN_RESIDENCE: re.compile(r"8[123][0-9]{15}[0-9X]"),
}
_HINTS: dict[IdType, str] = {
    IdType.PASSPORT: "护照号码应为5–17位字母或数字",
    IdType.HK_MACAO_PERMIT: "港澳居民来往内地通行证号码应为H或M开头加8位或10位数字",
    IdType.TAIWAN_PERMIT: "台湾居民来往大陆通行证号码应为8位或10位数字",
    IdType.FOREIGN_PERMANENT_RESIDENT: "外国人永久居留身份证号码应为3位字母加12位数字，或9开头的18位号码",
    IdType.HK_MACAO_TAIWAN_RESIDENCE: "港澳台居民居住证号码应为81、82或83开头的18位号码",
}


@dataclass(slots=True)  # not frozen: made for every row of an import, and frozen costs twice as much
class Document:
    id_type: IdType
    number: str  # normalised: upper case, no spaces
    birth_date: date | None  # from the number when it carries one
    sex: str | None  # "男" / "女" from the number when it carries one


class InvalidDocument(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


_BY_NAME = {t.value: t for t in IdType}  # a dict lookup: IdType(text) is slow, and this runs for every row


def parse_id_type(text: str) -> IdType:
    id_type = _BY_NAME.get(text.strip())
    if id_type is None:
        choices = "、".join(_BY_NAME)
        raise InvalidDocument("member.id_type_invalid", f"证件类型应为：{choices}")
    return id_type


def normalise_number(text: str) -> str:
    return "".join(text.split()).upper()


def check_document(id_type: IdType, number_text: str, today: date) -> Document:
    number = normalise_number(number_text)
    if not number:
        raise InvalidDocument("member.id_number_required", "证件号码不能为空")
    if id_type is IdType.RESIDENT_ID:
        return _resident_id(id_type, number, today)
    if not _FORMATS[id_type].fullmatch(number):
        raise InvalidDocument("member.id_number_format", _HINTS[id_type])
    if len(number) == 18 and number[0] in "89":  # the 18-character layouts carry a check digit
        return _resident_id(id_type, number, today)
    return Document(id_type, number, None, None)


def _resident_id(id_type: IdType, number: str, today: date) -> Document:
    try:
        info = validate_id_number(number, today=today)
    except InvalidIdentifier as exc:
        raise InvalidDocument(exc.code, exc.message) from None
    return Document(id_type, info.number, info.birth_date, info.sex)
