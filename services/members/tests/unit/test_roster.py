"""Every row rule of 批量导入, with a valid and an invalid example each."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from contracts.members import MemberCategory
from members.domain.file_rules import check_enterprise, check_flexible, split_duplicates
from members.domain.roster import FLEXIBLE_TAGS, FileRejected, RawRow, Rejection, cell_text, header_keys, raw_rows
from members.domain.rows import Enterprise, ImportContext, OrgPlace, ValidRow, check_row, member_elsewhere
from runtime.identity import make_id_number, make_uscc

TODAY = date(2025, 6, 1)
G1 = OrgPlace(11, "上海某某科技有限公司工会", "1.2.11", True)
OTHER = OrgPlace(21, "黄浦某公司工会", "1.5.21", False)
ORGS = {"310104000116": G1, "310101000116": OTHER}
LINKED = ImportContext(MemberCategory.LINKED_ENTERPRISE, ORGS, TODAY, Enterprise("上海某某科技有限公司", make_uscc(7)))
OUTSIDE = ImportContext(MemberCategory.OUTSIDE_ENTERPRISE, ORGS, TODAY)
ID = make_id_number("310104", date(1990, 5, 6), 12, True)


def row(**changes: str) -> RawRow:
    cells = {
        "name": "张三", "id_type": "身份证", "id_number": ID, "phone": "13900000000", "gender": "男",
        "union_name": G1.name, "union_code": "310104000116", "work_unit": "", "tags": "",
        "work_address": "上海市徐汇区虹漕路88号",
    }  # fmt: skip
    return RawRow(7, cells | changes)


def codes(result: ValidRow | list[Rejection]) -> list[tuple[str, str]]:
    assert isinstance(result, list), result
    return [(r.column, r.code) for r in result]


def test_a_good_row_is_accepted_with_what_the_id_says() -> None:
    result = check_row(row(), LINKED)
    assert isinstance(result, ValidRow)
    assert (result.org_id, result.gender, result.birth_date) == (11, "男", date(1990, 5, 6))
    assert result.work_unit == "上海某某科技有限公司"  # empty: the chosen enterprise


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": ""}, [("姓名", "import.required")]),
        ({"phone": "", "union_code": ""}, [("手机号码", "import.required"), ("工会编号", "import.required")]),
        ({"name": "=1+2"}, [("姓名", "import.cell_formula")]),
        ({"work_unit": "@SUM(A1)"}, [("工作单位/服务平台", "import.cell_formula")]),
        ({"work_address": "-上海市某路1号"}, [("工作单位地址", "import.cell_formula")]),
        ({"name": "张" * 51}, [("姓名", "import.cell_too_long")]),
        ({"name": "张3"}, [("姓名", "member.name_invalid")]),
        ({"id_type": "军官证"}, [("证件类型", "member.id_type_invalid")]),
        ({"id_number": ID[:-1]}, [("证件号码", "id_number.format")]),
        ({"id_number": ID[:-1] + ("0" if ID[-1] != "0" else "1")}, [("证件号码", "id_number.check_digit")]),
        ({"phone": "1390000000"}, [("手机号码", "phone.format")]),
        ({"phone": "23900000000"}, [("手机号码", "phone.format")]),
        ({"gender": "M"}, [("性别", "member.gender_invalid")]),
        ({"gender": "女"}, [("性别", "member.gender_mismatch")]),
        ({"union_code": "31010400011"}, [("工会编号", "import.union_code_format")]),
        ({"union_code": "310104000999"}, [("工会编号", "import.union_unknown")]),
        ({"union_code": "310101000116", "union_name": OTHER.name}, [("工会编号", "import.union_out_of_scope")]),
        ({"union_name": "别的工会"}, [("所在工会", "import.union_name_mismatch")]),
        ({"tags": "a、b、c、d、e、f"}, [("会员标签", "import.tags_invalid")]),
        ({"work_address": "上海市"}, [("工作单位地址", "import.address_too_short")]),
    ],
)
def test_each_rule_names_the_column_and_reason(changes: dict[str, str], expected: list[tuple[str, str]]) -> None:
    result = check_row(row(**changes), LINKED)
    assert codes(result) == expected
    assert isinstance(result, list) and all(r.row_no == 7 and r.reason for r in result)


def test_problems_are_all_reported_with_the_masked_id() -> None:
    result = check_row(row(phone="123", gender="女"), LINKED)
    assert codes(result) == [("手机号码", "phone.format"), ("性别", "member.gender_mismatch")]
    assert isinstance(result, list)
    assert result[0].id_number_masked == ID[:3] + "*" * 11 + ID[-4:] and result[0].name == "张三"


def test_the_short_address_rule_is_for_linked_enterprises_only() -> None:
    assert isinstance(check_row(row(work_address=""), OUTSIDE), ValidRow)
    assert isinstance(check_row(row(work_address="上海市徐汇区路"), LINKED), ValidRow)  # 7 characters


def test_non_id_documents_take_the_sex_from_the_column() -> None:
    result = check_row(row(id_type="护照", id_number="e1234567", gender="女"), OUTSIDE)
    assert isinstance(result, ValidRow)
    assert (result.document.number, result.gender, result.birth_date) == ("E1234567", "女", None)


def test_tags_are_split_and_deduplicated() -> None:
    result = check_row(row(tags="快递物流、网约送餐,快递物流"), OUTSIDE)
    assert isinstance(result, ValidRow) and result.tags == ("快递物流", "网约送餐")


def test_flexible_employment_needs_a_flexible_tag_on_every_row() -> None:
    good = [row(tags=FLEXIBLE_TAGS[i]) for i in range(12)]
    check_flexible(good, MemberCategory.FLEXIBLE)
    check_flexible([row(tags="外包工")], MemberCategory.LINKED_ENTERPRISE)  # other types: any tag
    bad = [*good, RawRow(20, row(tags="外包工").cells), RawRow(21, row(tags="").cells)]
    with pytest.raises(FileRejected) as caught:
        check_flexible(bad, MemberCategory.FLEXIBLE)
    assert caught.value.code == "import.flexible_tag_required"
    assert [(r.row_no, r.column) for r in caught.value.rejections] == [(20, "会员标签"), (21, "会员标签")]


def test_the_same_person_twice_in_a_file_is_refused_in_every_row() -> None:
    other = make_id_number("310104", date(1991, 1, 1), 3, True)
    rows = [RawRow(2, row().cells), RawRow(3, row(id_number=other).cells), RawRow(4, row(id_number=ID.lower()).cells)]
    kept, rejected = split_duplicates(rows)
    assert [r.row_no for r in kept] == [3]
    assert [(r.row_no, r.code) for r in rejected] == [(2, "import.duplicate_in_file"), (4, "import.duplicate_in_file")]
    assert "第 2、4 行" in rejected[0].reason


def test_a_member_of_another_union_is_a_rejection_naming_it() -> None:
    valid = check_row(row(), LINKED)
    assert isinstance(valid, ValidRow)
    rejection = member_elsewhere(valid, "黄浦某公司工会")
    assert (rejection.code, rejection.column) == ("import.member_of_another_union", "证件号码")
    assert "黄浦某公司工会" in rejection.reason


def test_a_linked_enterprise_file_names_its_enterprise() -> None:
    uscc = make_uscc(9)
    assert check_enterprise(MemberCategory.LINKED_ENTERPRISE, " 某公司 ", uscc.lower()) == Enterprise("某公司", uscc)
    assert check_enterprise(MemberCategory.FLEXIBLE, None, None) is None
    with pytest.raises(FileRejected) as missing:
        check_enterprise(MemberCategory.LINKED_ENTERPRISE, "某公司", None)
    assert missing.value.code == "import.enterprise_required"
    with pytest.raises(FileRejected) as bad:
        check_enterprise(MemberCategory.LINKED_ENTERPRISE, "某公司", uscc[:-1] + ("0" if uscc[-1] != "0" else "1"))
    assert bad.value.code == "uscc.check_digit"


def test_the_header_is_read_by_name_and_older_templates_still_work() -> None:
    keys = header_keys(["姓名*", "证件类型(身份证)*", "证件号码*", "手机号码*", "性别*", "所在工会*", "工会编号*"])
    assert keys[1] == "id_type" and len(keys) == 7
    with pytest.raises(FileRejected) as caught:
        header_keys(["姓名", "证件号码"])
    assert caught.value.code == "import.bad_header" and "手机号码" in caught.value.message


def test_rows_are_numbered_as_excel_does_and_blank_lines_skipped() -> None:
    keys = {0: "name", 1: "phone"}
    rows = raw_rows([["张三", 13900000000.0], ["", None], [" 李四 ", "13900000001"], ["王五"]], keys)
    assert [(r.row_no, r.cells) for r in rows] == [
        (2, {"name": "张三", "phone": "13900000000"}),
        (4, {"name": "李四", "phone": "13900000001"}),
        (5, {"name": "王五", "phone": ""}),
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (13900000000.0, "13900000000"), (1.5, "1.5"), (42, "42"), (True, "是"),
     (datetime(2024, 3, 5, 10, 0), "2024-03-05"), (date(2024, 3, 5), "2024-03-05"), ("  x ", "x")],
)  # fmt: skip
def test_cells_become_text(value: object, text: str) -> None:
    assert cell_text(value) == text
