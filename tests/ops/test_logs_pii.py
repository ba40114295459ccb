"""No ID number or phone ever reaches a log line, whatever shape it is logged in; every line is JSON
and lines written inside a span carry its trace id (what Loki and Grafana join on)."""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import structlog
from opentelemetry.sdk.trace import TracerProvider
from pydantic import BaseModel

from runtime.logs import configure_logging, get_logger

ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"
# How people and programs write them: as is, lower-case x, grouped, with a country code, full-width.
WRITTEN = [
    ID_NUMBER,
    ID_NUMBER.lower(),
    "110105 19491231 002X",
    MOBILE,
    "138-1234-5678",
    "138 1234 5678",
    f"+86 {MOBILE}",
    f"0086{MOBILE}",
    unicodedata.normalize("NFKC", MOBILE).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
]


class Applicant(BaseModel):
    name: str
    id_number: str
    phone: str


@dataclass
class Handler:
    phone: str


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    routed = [logging.getLogger(n) for n in ("uvicorn", "uvicorn.error", "uvicorn.access", "aiokafka", "sqlalchemy")]
    saved_routed = [(lg, list(lg.handlers), lg.propagate) for lg in routed]
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for lg, handlers, propagate in saved_routed:
        lg.handlers[:] = handlers
        lg.propagate = propagate
    structlog.reset_defaults()


def _leaks(line: str) -> list[str]:
    """Raw personal data in ``line``, however it was written (spacing, dashes, full-width, case)."""
    flat = unicodedata.normalize("NFKC", line).upper().replace(" ", "").replace("-", "")
    return [raw for raw in (ID_NUMBER, MOBILE) if raw in flat]


def _log_every_shape(value: str) -> None:
    log = get_logger("members.import")
    log.info(f"第 3 行：证件号码 {value} 已存在", row=3)
    log.warning("row rejected", id_number=value, phone=value, row={"cells": [value, "张三"]}, raw=value.encode())
    log.info("applicant", applicant=Applicant(name="张三", id_number=value, phone=value), handler=Handler(value))
    log.info("member %s changed", value)
    try:
        raise ValueError(f"duplicate key (id_number)=({value})")
    except ValueError:
        log.exception("insert failed")
    logging.getLogger("uvicorn.access").info('%s "GET /api/members?id_number=%s HTTP/1.1" 200', "10.0.0.1", value)
    logging.getLogger("aiokafka").warning("payload %s", {"phone": value}, extra={"member_phone": value})
    try:
        raise KeyError(value)
    except KeyError:
        logging.getLogger("sqlalchemy.engine").error("bad value %r", value, exc_info=True)


@pytest.mark.parametrize("value", WRITTEN)
def test_id_numbers_and_phones_never_reach_a_log_line(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The value in a message, a field, a nested structure, bytes, a model, a dataclass, positional
    arguments, an exception and stdlib records (uvicorn access, aiokafka, SQLAlchemy) is masked
    in every line, and no line is anything but one JSON object."""
    configure_logging("members")
    _log_every_shape(value)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) >= 8
    for line in lines:
        assert isinstance(json.loads(line), dict)
        assert not _leaks(line), line


def test_numbers_logged_as_integers_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("members")
    get_logger("x").info("as numbers", phone=int(MOBILE), ids=[int(ID_NUMBER[:-1] + "1")])
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert not _leaks(line) and "110105194912310021" not in line


def test_lines_inside_a_span_carry_its_trace_id(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("members")
    with TracerProvider().get_tracer("ops").start_as_current_span("import") as span:
        get_logger("members.import").info("chunk stored", rows=1000)
        logging.getLogger("ops.stdlib").warning("COMMIT")
    records: list[dict[str, Any]] = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    trace_id = f"{span.get_span_context().trace_id:032x}"
    assert [r["trace_id"] for r in records] == [trace_id, trace_id]
    assert all(r["service"] == "members" and r["timestamp"] and r["level"] for r in records)
