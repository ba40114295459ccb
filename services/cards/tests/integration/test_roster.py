"""打印清册: the roster PDF in Chinese with a rare character, rendered to PNG, its text read back; and
the xlsx attachment."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from openpyxl import load_workbook

from services.cards.tests.conftest import OUTLET, City, joined, snapshot, special_batch

ARTIFACTS = Path(__file__).resolve().parents[4] / "tests" / "artifacts" / "cards"


async def test_the_roster_pdf_renders_chinese_and_rare_characters(client, city: City, kafka):
    clerk = city.clerk(city.g1)
    await joined(client)
    members = [snapshot(0, city.g1, name="𠮷田一郎"), *(snapshot(i, city.g1) for i in range(1, 40))]
    batch_no = await special_batch(client, kafka, city.g1, clerk, members)

    r = await client.get(f"/batches/{batch_no}/roster.pdf", headers=clerk)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    pdf = pdfium.PdfDocument(r.content)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    text = ""
    for i, page in enumerate(pdf):
        page.render(scale=2).to_pil().save(ARTIFACTS / f"roster-{batch_no}-p{i + 1}.png")
        text += page.get_textpage().get_text_bounded()
    # checked: the batch number, the union, branch and outlet, and every member's name, rare character included
    for expected in (batch_no, city.g1.name, OUTLET["branch"], OUTLET["outlet"], OUTLET["outlet_address"], "𠮷田一郎"):
        assert expected in text, expected
    assert all(m.name in text for m in members) and members[5].id_number_masked in text
    assert "SH0000000001" in text and "上海某某科技有限公司" in text
    assert len(pdf) >= 2  # forty rows run onto a second page (the header row repeats there)
    # checked: 𠮷 was drawn from Noto Sans CJK SC with ink in its box (not a blank or a fallback font)
    font, ink = _glyph_before(pdf[0], "田")
    assert b"Noto-Sans-CJK-SC" in font and ink > 50

    sheet = load_workbook(
        io.BytesIO((await client.get(f"/batches/{batch_no}/roster.xlsx", headers=clerk)).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "姓名", "证件类型", "证件号码") and rows[1][1] == "𠮷田一郎" and len(rows) == 41
    assert rows[1][7] == "长期" and rows[1][9] == "待反馈"


def _glyph_before(page: pdfium.PdfPage, following: str) -> tuple[bytes, int]:
    """The font and the dark pixels of the character drawn just before the first `following`."""
    textpage = page.get_textpage()
    k = next(k for k in range(textpage.count_chars()) if textpage.get_text_range(k, 1) == following)
    size = pdfium_c.FPDFText_GetFontInfo(textpage.raw, k - 1, None, 0, None)
    name = ctypes.create_string_buffer(size)
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, k - 1, name, size, None)
    scale, height = 3, page.get_height()
    left, bottom, right, top = textpage.get_charbox(k - 1)
    image = page.render(scale=scale).to_pil().convert("L")
    box = image.crop(
        (int(left * scale), int((height - top) * scale), int(right * scale) + 1, int((height - bottom) * scale) + 1)
    )
    return name.value, sum(1 for value in box.tobytes() if value < 128)
