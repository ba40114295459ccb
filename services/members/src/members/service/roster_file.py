"""The roster workbook: the template clerks download, and reading an uploaded one (python-calamine)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook

from ..domain.documents import IdType
from ..domain.roster import COLUMNS, FLEXIBLE_TAGS, GENDERS, OTHER_TAGS, FileRejected

TEMPLATE_ROWS = 5000  # rows that carry the dropdowns and the text format
TEXT_COLUMNS = ("C", "D", "G")  # 证件号码, 手机号码, 工会编号: text, or Excel mangles long digit runs
NOTES = (
    "注：",
    "a. 带*的字段为必填字段，其余字段可选填。",
    "b. 证件类型、性别、会员标签请按下拉选项填写（选项见“数据说明”表）。",
    "c. 如需为会员办理工会会员服务卡，请完整填写工作单位详细地址，且不少于6个字；地址在表格最后一列。",
    "d. 选择“灵活就业类”上传时，每一行的会员标签都必须是灵活就业标签。",
)


def template_bytes() -> bytes:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "会员信息"
    sheet.append([header for _, header in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="C00000" if str(cell.value).endswith("*") else "000000")
        cell.fill = PatternFill("solid", fgColor="FFF2CC")
    for index in range(len(COLUMNS)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 22
    for letter in TEXT_COLUMNS:
        for row in range(2, TEMPLATE_ROWS + 2):
            sheet[f"{letter}{row}"].number_format = "@"
    _lists_sheet(wb)
    _dropdowns(sheet)
    sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _lists_sheet(wb: Workbook) -> None:
    lists = wb.create_sheet("数据说明")
    columns = {"证件类型": [t.value for t in IdType], "性别": list(GENDERS), "会员标签": [*FLEXIBLE_TAGS, *OTHER_TAGS]}
    for col, (title, values) in enumerate(columns.items(), start=1):
        lists.cell(1, col, title).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            lists.cell(row, col, value)
    for row, note in enumerate(NOTES, start=1):
        lists.cell(row, 5, note)


def _dropdowns(sheet: Any) -> None:
    last = TEMPLATE_ROWS + 1
    for column, source, count in (("B", "A", len(IdType)), ("E", "B", 2), ("I", "C", len(FLEXIBLE_TAGS) + 3)):
        rule = DataValidation(type="list", formula1=f"数据说明!${source}$2:${source}${count + 1}", allow_blank=True)
        rule.error, rule.errorTitle = "请从下拉列表中选择", "输入值无效"
        if column == "I":  # several tags may be typed, separated by 、
            rule.showErrorMessage = False
        else:
            rule.showErrorMessage = True
        sheet.add_data_validation(rule)
        rule.add(f"{column}2:{column}{last}")


def read_rows(content: bytes) -> Sequence[Sequence[Any]]:
    """Every row of the first sheet as Python values; the header is the first row."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        rows: Sequence[Sequence[Any]] = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError) as exc:
        raise FileRejected("import.unreadable", "无法读取文件内容，请确认是用模板填写的 .xlsx 文件") from exc
    if not rows:
        raise FileRejected("import.empty", "文件中没有数据")
    return rows
