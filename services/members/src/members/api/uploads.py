"""Reading a multipart/form-data upload with the size limit enforced while it streams in.

Starlette's form parser needs python-multipart and spools the whole body before any limit applies;
this reads at most the limit (refusing on Content-Length before reading at all) and splits the body
on its boundary.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import unquote

from fastapi import Depends, Request

from runtime.errors import InvalidInput

from ..domain.upload import Limits, too_large
from ..service.uploads import Upload

_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)
_PARAM = re.compile(r'(\w+\*?)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))')
SLACK = 64 * 1024  # room for the other form fields and the part headers


async def read_body(request: Request, limits: Limits) -> bytes:
    ceiling = limits.max_bytes + SLACK
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > ceiling:
        raise too_large(int(declared), limits)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > ceiling:
            raise too_large(size, limits)
        chunks.append(chunk)
    return b"".join(chunks)


def parse_multipart(content_type: str, body: bytes) -> Upload:
    match = _BOUNDARY.search(content_type)
    if not content_type.lower().startswith("multipart/form-data") or not match:
        raise InvalidInput("import.multipart_required", "请以 multipart/form-data 上传文件（字段名 file）")
    delimiter = b"\r\n--" + match.group(1).encode()
    fields: dict[str, str] = {}
    file: tuple[str, str, bytes] | None = None
    for part in (b"\r\n" + body).split(delimiter)[1:]:
        if part.startswith(b"--"):
            break  # the closing delimiter
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = _headers(head)
        params = _params(headers.get("content-disposition", ""))
        if "filename" in params:
            file = (params["filename"], headers.get("content-type", ""), content)
        elif "name" in params:
            fields[params["name"]] = content.decode("utf-8", errors="replace").strip()
    if file is None:
        raise InvalidInput("import.file_missing", "请选择要上传的文件")
    return Upload(file_name=file[0], content_type=file[1], content=file[2], fields=fields)


def _headers(head: bytes) -> dict[str, str]:
    out = {}
    for line in head.decode("utf-8", errors="replace").split("\r\n"):
        name, _, value = line.partition(":")
        out[name.strip().lower()] = value.strip()
    return out


def _params(disposition: str) -> dict[str, str]:
    params = {}
    for name, quoted, bare in _PARAM.findall(disposition):
        value = quoted.replace('\\"', '"') if quoted else bare.strip()
        if name.lower() == "filename*" and "''" in value:  # RFC 5987: UTF-8''%E4%BC%9A…
            params["filename"] = unquote(value.split("''", 1)[1])
        elif name.lower() not in params:
            params[name.lower()] = value
    return params


async def upload(request: Request) -> Upload:
    limits: Limits = request.app.state.limits
    body = await read_body(request, limits)
    return parse_multipart(request.headers.get("content-type", ""), body)


Uploaded = Annotated[Upload, Depends(upload)]
