from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runtime.identity import (
    USCC_CHARSET,
    IdNumberInfo,
    InvalidIdentifier,
    id_number_check_char,
    make_id_number,
    make_uscc,
    mask_id_number,
    mask_phone,
    scrub_pii,
    uscc_check_char,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)

TODAY = date(2025, 6, 1)

regions = st.from_regex(r"[1-9][0-9]{5}", fullmatch=True)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
seqs = st.integers(min_value=0, max_value=499)
id_numbers = st.builds(make_id_number, regions, births, seqs, st.booleans())
usccs = st.builds(make_uscc, st.integers())


# --- ID number ---------------------------------------------------------------------------------------


def test_known_valid_id_number() -> None:
    info = validate_id_number("11010519491231002X", today=TODAY)
    assert info == IdNumberInfo(
        number="11010519491231002X", birth_date=date(1949, 12, 31), sex="女", region_code="110105"
    )


def test_lowercase_x_is_normalised() -> None:
    assert validate_id_number(" 11010519491231002x ", today=TODAY).number == "11010519491231002X"


def test_check_char_matches_hand_computation() -> None:
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167; 167 % 11 = 2 -> "X"
    assert id_number_check_char("11010519491231002") == "X"


def test_generated_id_number_fields() -> None:
    male = make_id_number("310101", date(1990, 1, 1), 6, True)
    female = make_id_number("310101", date(1990, 1, 1), 6, False)
    assert male[:17] == "31010119900101013"
    assert female[:17] == "31010119900101012"
    assert validate_id_number(male, today=TODAY).sex == "男"
    assert validate_id_number(female, today=TODAY).sex == "女"
    assert validate_id_number(male, today=TODAY).birth_date == date(1990, 1, 1)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id_number.format"),
        ("11010519491231002", "id_number.format"),  # 17 chars
        ("11010519491231002X1", "id_number.format"),
        ("1101051949123100XX", "id_number.format"),
        ("１１010519491231002X", "id_number.format"),  # full-width digits
        ("110105194912310021", "id_number.check_digit"),
        ("110105194902300021", "id_number.birth_date"),  # 30 February
        ("110105189912310021", "id_number.birth_date"),  # before 1900
        ("110105202506020021", "id_number.birth_date"),  # after TODAY
    ],
)
def test_invalid_id_numbers(value: str, code: str) -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        validate_id_number(value, today=TODAY)
    assert exc.value.code == code
    assert exc.value.message.startswith("证件号码")


def test_check_digit_message() -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        validate_id_number("110105194912310021", today=TODAY)
    assert exc.value.message == "证件号码校验位错误"
    assert isinstance(exc.value, ValueError)


def test_birth_date_today_is_allowed_and_default_today_works() -> None:
    assert validate_id_number(make_id_number("310101", TODAY, 0, True), today=TODAY).birth_date == TODAY
    assert validate_id_number("11010519491231002X").sex == "女"


def test_make_id_number_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        make_id_number("31010", date(1990, 1, 1), 0, True)
    with pytest.raises(ValueError):
        make_id_number("310101", date(1990, 1, 1), 500, True)
    with pytest.raises(ValueError):
        make_id_number("310101", date(1899, 12, 31), 0, True)


@given(regions, births, seqs, st.booleans())
def test_generated_id_numbers_validate(region: str, birth: date, seq: int, male: bool) -> None:
    number = make_id_number(region, birth, seq, male)
    info = validate_id_number(number, today=TODAY)
    assert info.number == number
    assert info.birth_date == birth
    assert info.sex == ("男" if male else "女")
    assert info.region_code == region


@given(id_numbers, st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_change_breaks_id_number(number: str, index: int, replacement: str) -> None:
    if number[index] == replacement:
        replacement = "0" if replacement != "0" else "1"
    altered = number[:index] + replacement + number[index + 1 :]
    with pytest.raises(InvalidIdentifier):
        validate_id_number(altered, today=TODAY)


# --- USCC --------------------------------------------------------------------------------------------


def test_known_valid_uscc() -> None:
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"
    assert validate_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert uscc_check_char("91350100M000100Y4") == "3"


def test_altered_uscc_fails_check_digit() -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        validate_uscc("91350100M000100Y44")
    assert exc.value.code == "uscc.check_digit"
    assert exc.value.message == "统一社会信用代码校验位错误"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "91350100M000100Y4",  # 17 chars
        "91350100M000100Y433",
        "91350100I000100Y43",  # I is not in the charset
        "91350100M0O0100Y43",  # O
        "9135010SM000100Y43",  # division code must be digits
        "Z1350100M000100Y43",
    ],
)
def test_malformed_uscc(value: str) -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        validate_uscc(value)
    assert exc.value.code == "uscc.format"
    assert exc.value.message.startswith("统一社会信用代码")


def test_make_uscc_is_deterministic_and_distinct() -> None:
    assert make_uscc(42) == make_uscc(42)
    codes = {make_uscc(seed) for seed in range(1000)}
    assert len(codes) == 1000
    assert all(code.startswith("91310000") for code in codes)


@given(st.integers())
def test_generated_usccs_validate(seed: int) -> None:
    code = make_uscc(seed)
    assert len(code) == 18
    assert validate_uscc(code) == code


@given(usccs, st.integers(min_value=0, max_value=17), st.sampled_from(USCC_CHARSET + "IOZSV"))
def test_any_single_change_breaks_uscc(code: str, index: int, replacement: str) -> None:
    if code[index] == replacement:
        replacement = "0" if replacement != "0" else "1"
    altered = code[:index] + replacement + code[index + 1 :]
    with pytest.raises(InvalidIdentifier):
        validate_uscc(altered)


# --- mobile ------------------------------------------------------------------------------------------


def test_valid_mobile() -> None:
    assert validate_mobile(" 13000000042 ") == "13000000042"
    assert validate_mobile("19912345678") == "19912345678"


@pytest.mark.parametrize("value", ["", "12000000042", "1300000004", "130000000421", "1300000004a", "+8613000000042"])
def test_invalid_mobile(value: str) -> None:
    with pytest.raises(InvalidIdentifier) as exc:
        validate_mobile(value)
    assert exc.value.code == "phone.format"
    assert exc.value.message == "手机号码格式不正确"


# --- masking -----------------------------------------------------------------------------------------


def test_mask_phone() -> None:
    assert mask_phone("13000000042") == "130*****0042"
    assert mask_phone("13012340042") == "130*****0042"
    assert mask_phone(None) == ""
    assert mask_phone("") == ""


def test_mask_id_number() -> None:
    assert mask_id_number("310101199001010012") == "310***********0012"
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_id_number(None) == ""
    assert mask_id_number("") == ""
    assert mask_id_number("1234") == "****"


def test_scrub_pii_masks_ids_and_mobiles() -> None:
    text = "用户13012340042（身份证11010519491231002X）提交，回拨+86 13900001111或8613900002222"
    assert scrub_pii(text) == ("用户130*****0042（身份证110***********002X）提交，回拨+86 139*****1111或86139*****2222")


def test_scrub_pii_leaves_longer_digit_runs_alone() -> None:
    text = "订单号 2024060112345678901234 金额 130000000420 元"
    assert scrub_pii(text) == text


@given(id_numbers, st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.text(alphabet="abc 号：,", min_size=1))
def test_scrub_pii_removes_every_generated_identifier(number: str, mobile: str, filler: str) -> None:
    scrubbed = scrub_pii(f"{filler}{number}{filler}{mobile}{filler}")
    assert number not in scrubbed
    assert mobile not in scrubbed
    assert mask_id_number(number) in scrubbed
    assert mask_phone(mobile) in scrubbed
