"""Chinese personal and organisation identifiers: validation, masking for display/logs, demo-data generators.

- Resident ID number (居民身份证号码), GB 11643-1999, check digit ISO 7064 MOD 11-2.
- Unified social credit code (统一社会信用代码), GB 32100-2015, check character MOD 31.
- Mainland mobile number (手机号码).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from runtime.clock import SHANGHAI

# Stable machine codes; the Chinese messages are for people and may be reworded.
ID_NUMBER_FORMAT: Final = "id_number.format"
ID_NUMBER_CHECK_DIGIT: Final = "id_number.check_digit"
ID_NUMBER_BIRTH_DATE: Final = "id_number.birth_date"
USCC_FORMAT: Final = "uscc.format"
USCC_CHECK_DIGIT: Final = "uscc.check_digit"
PHONE_FORMAT: Final = "phone.format"


class InvalidIdentifier(ValueError):
    """An identifier failed validation.

    A ValueError so it also works inside pydantic validators; `code` is stable, `message` is Chinese.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


# --- resident ID number -------------------------------------------------------------------------------

_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_MAP: Final = "10X98765432"
# The weighted sum over the digits' ASCII codes is the sum over their values plus this ("0" is 48).
_ID_ASCII_EXCESS: Final = ord("0") * sum(_ID_WEIGHTS)
# [0-9], not \d: \d also matches full-width and other Unicode digits.
_ID_FIRST17: Final = re.compile(r"[0-9]{17}")
_ID_FULL: Final = re.compile(r"[0-9]{17}[0-9X]")
_EARLIEST_BIRTH: Final = date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class IdNumberInfo:
    number: str  # normalised: upper-case X
    birth_date: date
    sex: str  # "男" or "女"
    region_code: str  # first 6 digits (administrative division at issue time)


def id_number_check_char(first17: str) -> str:
    """The 18th character for the given first 17 digits."""
    if not _ID_FIRST17.fullmatch(first17):
        raise InvalidIdentifier(ID_NUMBER_FORMAT, "证件号码前17位必须是数字")
    return _check_char(first17)


def _check_char(first17: str) -> str:
    # 17 ASCII digits, already matched: multiplying the byte codes in C is several times faster than
    # int() per character, and an import checks every row's number.
    total = sum(map(operator.mul, first17.encode("ascii"), _ID_WEIGHTS)) - _ID_ASCII_EXCESS
    return _ID_CHECK_MAP[total % 11]


def validate_id_number(value: str, *, today: date | None = None) -> IdNumberInfo:
    """Validate an 18-character resident ID number and extract birth date, sex and region.

    `today` bounds the birth date (defaults to the current date in Shanghai); pass it for determinism.
    """
    number = value.strip().upper()
    if not _ID_FULL.fullmatch(number):
        raise InvalidIdentifier(ID_NUMBER_FORMAT, "证件号码格式不正确，应为18位：前17位为数字，末位为数字或X")
    # Birth date before the check digit: a typo there gets the more specific message.
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdentifier(ID_NUMBER_BIRTH_DATE, "证件号码中的出生日期无效") from None
    latest = today if today is not None else datetime.now(SHANGHAI).date()
    if not _EARLIEST_BIRTH <= birth <= latest:
        raise InvalidIdentifier(ID_NUMBER_BIRTH_DATE, "证件号码中的出生日期无效")
    if _check_char(number[:17]) != number[17]:
        raise InvalidIdentifier(ID_NUMBER_CHECK_DIGIT, "证件号码校验位错误")
    return IdNumberInfo(
        number=number,
        birth_date=birth,
        sex="男" if int(number[16]) % 2 == 1 else "女",
        region_code=number[:6],
    )


def make_id_number(region: str, birth: date, seq: int, male: bool) -> str:
    """A valid ID number for test/demo data.

    `seq` (0-499) picks the 3-digit order code as 2*seq+1 for men, 2*seq for women, so the 17th digit
    always has the right parity and every (seq, male) pair is distinct.
    """
    if not re.fullmatch(r"[0-9]{6}", region):
        raise ValueError("region must be 6 digits")
    if not 0 <= seq <= 499:
        raise ValueError("seq must be in 0..499")
    if birth < _EARLIEST_BIRTH:
        raise ValueError("birth must not be before 1900-01-01")
    first17 = f"{region}{birth:%Y%m%d}{2 * seq + (1 if male else 0):03d}"
    return first17 + id_number_check_char(first17)


# --- unified social credit code -----------------------------------------------------------------------

USCC_CHARSET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
_USCC_VALUE: Final = {ch: i for i, ch in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_C = f"[{USCC_CHARSET}]"
# 1: registration authority, 2: entity type, 3-8: division code (digits), 9-17: organisation code, 18: check.
_USCC_FIRST17: Final = re.compile(f"{_C}{{2}}[0-9]{{6}}{_C}{{9}}")
_USCC_FULL: Final = re.compile(f"{_C}{{2}}[0-9]{{6}}{_C}{{10}}")
_USCC_FORMAT_MESSAGE: Final = "统一社会信用代码格式不正确，应为18位数字或大写字母（不含I、O、Z、S、V）"


def uscc_check_char(first17: str) -> str:
    """The 18th character for the given first 17 characters (upper case)."""
    if not _USCC_FIRST17.fullmatch(first17):
        raise InvalidIdentifier(USCC_FORMAT, _USCC_FORMAT_MESSAGE)
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]  # 31 wraps to 0


def validate_uscc(value: str) -> str:
    """Validate a unified social credit code; returns it upper-cased."""
    code = value.strip().upper()
    if not _USCC_FULL.fullmatch(code):
        raise InvalidIdentifier(USCC_FORMAT, _USCC_FORMAT_MESSAGE)
    if uscc_check_char(code[:17]) != code[17]:
        raise InvalidIdentifier(USCC_CHECK_DIGIT, "统一社会信用代码校验位错误")
    return code


def make_uscc(seed: int) -> str:
    """A valid, deterministic USCC for test/demo data: "91310000" (enterprise, Shanghai) + 9 chars + check.

    The 9 chars are seed (mod 31**9) scrambled by a bijection, so distinct seeds in range give distinct
    codes and neighbouring seeds do not look alike.
    """
    space = 31**9
    # 1_000_003 is coprime to 31, so multiplication is a permutation of 0..31**9-1.
    n = (seed * 1_000_003 + 12_345) % space
    chars = []
    for _ in range(9):
        n, r = divmod(n, 31)
        chars.append(USCC_CHARSET[r])
    first17 = "91310000" + "".join(chars)
    return first17 + uscc_check_char(first17)


# --- mobile -------------------------------------------------------------------------------------------

_MOBILE: Final = re.compile(r"1[3-9][0-9]{9}")


def validate_mobile(value: str) -> str:
    """Validate a mainland mobile number (11 digits, 1[3-9]...); returns it without surrounding spaces."""
    number = value.strip()
    if not _MOBILE.fullmatch(number):
        raise InvalidIdentifier(PHONE_FORMAT, "手机号码格式不正确")
    return number


# --- masking ------------------------------------------------------------------------------------------


def _mask_id(value: str | None) -> str:
    # First 3 and last 4 stay, length preserved; too short to keep both safely -> all stars.
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def _mask_phone(value: str | None) -> str:
    # Fixed five stars as in the user manuals ("130*****0042"), so the mask does not reveal the length.
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*****" + value[-4:]


def mask_id_number(value: str | None) -> str:
    """Keep first 3 and last 4, same length: 310101199001010012 -> 310***********0012; None/"" -> ""."""
    return _mask_id(value)


def mask_phone(value: str | None) -> str:
    """Keep first 3 and last 4 around five stars: 13000000042 -> 130*****0042; None/"" -> ""."""
    return _mask_phone(value)


# Each pattern's "pii" group is what gets masked. Digit look-arounds keep them from firing inside longer
# digit runs (order numbers, timestamps). ID numbers go first so a mobile pattern never sees one.
ID_NUMBER_IN_TEXT: Final = re.compile(r"(?<![0-9])(?P<pii>[0-9]{17}[0-9Xx])(?![0-9])")
# Optional +86 / 0086 / 86 prefix stays visible; only the 11-digit number is masked.
MOBILE_IN_TEXT: Final = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[ -]?)?(?P<pii>1[3-9][0-9]{9})(?![0-9])")
PII_PATTERNS: Final[tuple[re.Pattern[str], ...]] = (ID_NUMBER_IN_TEXT, MOBILE_IN_TEXT)
_MASKERS: Final[dict[re.Pattern[str], Callable[[str | None], str]]] = {
    ID_NUMBER_IN_TEXT: _mask_id,
    MOBILE_IN_TEXT: _mask_phone,
}


def scrub_pii(text: str) -> str:
    """Mask every ID number and mobile number found in free text (for logs)."""
    for pattern in PII_PATTERNS:
        mask = _MASKERS[pattern]

        def replace(match: re.Match[str], mask: Callable[[str | None], str] = mask) -> str:
            start, end = match.start("pii") - match.start(), match.end("pii") - match.start()
            whole = match.group(0)
            return whole[:start] + mask(match.group("pii")) + whole[end:]

        text = pattern.sub(replace, text)
    return text
