from __future__ import annotations

import httpx
import pytest

from members.api.uploads import parse_multipart
from runtime.errors import InvalidInput


def encoded(files: dict[str, tuple[str, bytes, str]], data: dict[str, str]) -> tuple[str, bytes]:
    request = httpx.Request("POST", "http://x/imports", files=files, data=data)
    return request.headers["content-type"], request.read()


def test_the_file_and_the_fields_are_read() -> None:
    content = b"PK\x03\x04\r\n--not-the-boundary\r\n\r\nbinary\x00\xff"
    content_type, body = encoded(
        {"file": ("会员导入.xlsx", content, "application/octet-stream")}, {"data_type": "灵活就业类"}
    )
    upload = parse_multipart(content_type, body)
    assert (upload.file_name, upload.content_type, upload.content) == (
        "会员导入.xlsx",
        "application/octet-stream",
        content,
    )
    assert upload.fields == {"data_type": "灵活就业类"}


def test_an_rfc5987_file_name_is_decoded() -> None:
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.xlsx"; '
        f"filename*=UTF-8''%E4%BC%9A%E5%91%98.xlsx\r\nContent-Type: text/plain\r\n\r\nabc\r\n--{boundary}--\r\n"
    ).encode()
    upload = parse_multipart(f"multipart/form-data; boundary={boundary}", body)
    assert (upload.file_name, upload.content) == ("会员.xlsx", b"abc")


def test_without_a_file_or_not_multipart_it_is_refused() -> None:
    content_type, body = encoded({}, {"data_type": "x", "other": "y"})
    with pytest.raises(InvalidInput) as missing:
        parse_multipart(content_type or "multipart/form-data; boundary=x", body)
    assert missing.value.code in ("import.file_missing", "import.multipart_required")
    with pytest.raises(InvalidInput) as wrong:
        parse_multipart("application/json", b"{}")
    assert wrong.value.code == "import.multipart_required"
