"""The roster template as a file (manual 002, 二(三) 方式三): the manual's header, rows as Excel numbers them,
"请保持模板表格格式不变，否则会上传失败", "单个模板导入上限5000人", and what an upload must be before parsing."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import Workbook

from enrollment.service.mutual_aid import workbook
from runtime.errors import DomainError


def xlsx(header: list[str], *rows: list[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_template_reads_back_with_excel_row_numbers_and_blank_rows_skipped():
    content = xlsx(
        list(workbook.HEADER),
        ["王豆豆", "身份证", "310101199001010027", None, None, None, "是"],
        [None] * 7,
        ["王豆", "非身份证", "E12345678", datetime(1998, 12, 9), "男", 13800001111, "是"],
    )
    rows = workbook.read(content, 5000)
    assert [(r.row_no, r.name, r.birth_date, r.phone) for r in rows] == [
        (2, "王豆豆", "", ""),
        (4, "王豆", "1998-12-09", "13800001111"),  # a date cell and a number cell read as the clerk typed them
    ]


def test_the_template_downloaded_is_the_manuals_header():
    rows = workbook.read(workbook.rows_of([("胡庆庆", "身份证", "310101199001010027", "", "", "", "是")]), 5000)
    assert rows[0].name == "胡庆庆"
    assert workbook.COLUMNS == ("姓名", "证件类型", "证件号码", "出生日期", "性别", "手机号", "是否有社保")


def test_a_changed_header_or_too_many_rows_refuse_the_whole_file():
    with pytest.raises(DomainError) as header:
        workbook.read(xlsx(["姓名", "证件号码", "证件类型"], ["王豆豆", "310101199001010027", "身份证"]), 5000)
    assert header.value.code == "import.bad_header"
    many = xlsx(list(workbook.HEADER), *[["王豆豆", "身份证", "1", "", "", "", "是"]] * 3)
    with pytest.raises(DomainError) as too_many:
        workbook.read(many, 2)
    assert too_many.value.code == "template.too_many_rows"
    with pytest.raises(DomainError) as empty:
        workbook.read(xlsx(list(workbook.HEADER)), 5000)
    assert empty.value.code == "import.empty"


def test_an_upload_must_be_a_small_enough_xlsx():
    for name, content, code in (
        ("名单.xlsx", b"", "import.file_empty"),
        ("名单.xls", b"PK\x03\x04....", "import.not_xlsx"),
        ("名单.xlsx", b"%PDF-1.4", "import.not_xlsx"),
        ("名单.xlsx", b"PK\x03\x04 not a zip", "import.not_xlsx"),
        ("名单.xlsx", b"PK\x03\x04" + b"0" * 2048, "import.file_too_large"),
    ):
        with pytest.raises(workbook.UploadRefused) as refused:
            workbook.check_upload(name, content, max_bytes=1024)
        assert refused.value.code == code, name
    workbook.check_upload("名单.xlsx", workbook.template(), max_bytes=1024 * 1024)
