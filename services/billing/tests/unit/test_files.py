"""Voucher files: PNG, JPEG and PDF by their bytes, the name agreeing; empty, too large, HTML or other
types, a PDF with scripts and path tricks in the name are refused or cleaned."""

from __future__ import annotations

import pytest

from billing.domain.files import FileKind, FileRefused, check_file, safe_name

PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
JPEG = b"\xff\xd8\xff\xe0" + bytes(32)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("a.png", PNG, FileKind.PNG), ("凭证.JPG", JPEG, FileKind.JPEG), ("b.jpeg", JPEG, FileKind.JPEG),
    ("c.pdf", PDF, FileKind.PDF),
])  # fmt: skip
def test_images_and_pdfs_are_taken_by_their_bytes(name: str, content: bytes, kind: FileKind):
    assert check_file(name, content, 1024).kind is kind


@pytest.mark.parametrize(("name", "content", "status", "code"), [
    ("a.png", b"", 422, "voucher.file_empty"),
    ("a.png", PNG + bytes(2000), 413, "voucher.file_too_large"),
    ("a.html", b"<html><script>alert(1)</script></html>", 415, "voucher.file_type"),
    ("a.png", b"<svg onload=alert(1)>", 415, "voucher.file_type"),
    ("a.png", PDF, 415, "voucher.file_type"),  # the name says PNG, the bytes say PDF
    ("a.html", PNG, 415, "voucher.file_type"),
    ("a.pdf", PDF.replace(b"/Catalog", b"/Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), 415,
     "voucher.file_active"),
])  # fmt: skip
def test_bad_files_are_refused_with_their_own_status(name: str, content: bytes, status: int, code: str):
    with pytest.raises(FileRefused) as exc:
        check_file(name, content, 1024)
    assert (exc.value.status, exc.value.code) == (status, code)


def test_names_lose_their_path_and_control_characters():
    assert safe_name("../../etc/passwd.png") == "passwd.png"
    assert safe_name("C:\\Users\\x\\凭证.png") == "凭证.png"
    assert safe_name('a"\r\nb.png') == "a___b.png"
    assert safe_name("") == "voucher"
