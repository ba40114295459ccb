"""The plan's units (manual 003, 一(一) 预派账号 and 三(三)2 维护单位信息)."""

from __future__ import annotations

import pytest

from enrollment.domain.retiree.units import (
    UnitInfo,
    check_info,
    missing_info,
    phone_unchanged,
    read_unit,
    union_names,
)
from runtime.errors import InvalidInput
from runtime.identity import make_uscc

INFO = UnitInfo("上海市普陀区曹杨路1号", "200070", "轻工工会", "国有企业", "王经办", "13900001111", "w@example.com")


def test_a_unit_with_a_valid_uscc_is_announced_one_without_is_kept():
    good = read_unit(" 123000000 ", " 上海某某机械厂 ", make_uscc(7).lower())
    assert (good.code, good.unit_name, good.uscc, good.uscc_valid) == (
        "123000000",
        "上海某某机械厂",
        make_uscc(7),
        True,
    )
    bad = read_unit("123000001", "上海某某纺织厂", "91310000XXXXXXXXX1")
    assert not bad.uscc_valid and bad.uscc == "91310000XXXXXXXXX1" and bad.problem
    with pytest.raises(InvalidInput) as e:
        read_unit("12-3", "某单位", make_uscc(8))
    assert e.value.code == "unit.code_invalid"


def test_the_union_of_a_unit_is_found_by_either_name():
    assert union_names("上海某某机械厂") == ("上海某某机械厂", "上海某某机械厂工会")
    assert union_names("上海某某机械厂工会") == ("上海某某机械厂工会",)


def test_the_unit_info_is_complete_and_well_formed():
    """单位信息维护: 单位地址, 邮政编码 (200070), 所属区局 (轻工工会), 经济类型 and the handler."""
    assert check_info(INFO) == INFO
    assert missing_info(None) == [
        "单位地址",
        "邮政编码",
        "所属区局",
        "经济类型",
        "经办人姓名",
        "经办人手机",
        "经办人邮箱",
    ]
    for field, value, code in (
        ("postcode", "20007", "unit.postcode_invalid"), ("handler_email", "w@", "unit.email_invalid"),
        ("handler_phone", "021-6400", "phone.format"), ("district", " ", "unit.info_incomplete"),
    ):  # fmt: skip
        with pytest.raises(InvalidInput) as e:
            check_info(UnitInfo(**(vars(INFO) | {field: value})))
        assert e.value.code == code


def test_the_masked_phone_sent_back_as_shown_keeps_the_number_on_file():
    """单位信息 shows the handler's phone masked; 修改并保存 without retyping it sends the mask back."""
    assert phone_unchanged("139*****1111", "139*****1111")
    assert phone_unchanged(" 139*****1111 ", "139*****1111")
    assert not phone_unchanged("13900002222", "139*****1111")  # a new number is a change
    assert not phone_unchanged("139*****2222", "139*****1111")  # another mask is not ours: refused as a phone
    assert not phone_unchanged("", "")  # nothing on file: nothing to keep
