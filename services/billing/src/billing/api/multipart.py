"""Reading the voucher upload (multipart/form-data: `data` JSON, `file`, optional `refund_file`) with
the size limit enforced while it streams in (no python-multipart here: it would spool everything)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from runtime.errors import InvalidInput

from ..domain.files import FileRefused
from ..schemas import VoucherIn
from ..service.vouchers import Files

_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)
_PARAM = re.compile(r'(\w+\*?)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))')
SLACK = 64 * 1024  # room for the data field and the part headers
FILE_PARTS = ("file", "refund_file")


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


async def read_body(request: Request, max_file_bytes: int) -> bytes:
    ceiling = 2 * max_file_bytes + SLACK
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > ceiling:
        raise _too_large(max_file_bytes)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > ceiling:
            raise _too_large(max_file_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(max_file_bytes: int) -> FileRefused:
    return FileRefused(
        413, "voucher.file_too_large", f"上传内容过大，每个文件不能超过 {max_file_bytes / 1024 / 1024:g} MB"
    )


def parse(content_type: str, body: bytes) -> Form:
    match = _BOUNDARY.search(content_type)
    if not content_type.lower().startswith("multipart/form-data") or not match:
        raise InvalidInput(
            "voucher.multipart_required", "请以 multipart/form-data 上传（字段 data、file、refund_file）"
        )
    delimiter = b"\r\n--" + match.group(1).encode()
    form = Form()
    for part in (b"\r\n" + body).split(delimiter)[1:]:
        if part.startswith(b"--"):
            break  # the closing delimiter
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        params = _params(_headers(head).get("content-disposition", ""))
        name = params.get("name", "")
        if name in FILE_PARTS and "filename" in params:
            form.files[name] = (params["filename"], content)
        elif name:
            form.fields[name] = content.decode("utf-8", errors="replace").strip()
    return form


def _headers(head: bytes) -> dict[str, str]:
    out = {}
    for line in head.decode("utf-8", errors="replace").split("\r\n"):
        name, _, value = line.partition(":")
        out[name.strip().lower()] = value.strip()
    return out


def _params(disposition: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, quoted, bare in _PARAM.findall(disposition):
        value = quoted.replace('\\"', '"') if quoted else bare.strip()
        if name.lower() == "filename*" and "''" in value:  # RFC 5987: UTF-8''%E5%87%AD…
            params["filename"] = unquote(value.split("''", 1)[1])
        elif name.lower() not in params:
            params[name.lower()] = value
    return params


async def voucher_form(request: Request, max_file_bytes: int) -> tuple[VoucherIn, Files]:
    form = parse(request.headers.get("content-type", ""), await read_body(request, max_file_bytes))
    if "data" not in form.fields:
        raise InvalidInput("voucher.data_missing", "缺少凭证信息（字段 data，JSON）")
    try:
        data = VoucherIn.model_validate_json(form.fields["data"])
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", "data", *e["loc"])} for e in exc.errors()]) from None
    return data, Files(file=form.files.get("file"), refund_file=form.files.get("refund_file"))
