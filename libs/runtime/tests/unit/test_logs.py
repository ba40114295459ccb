"""runtime.logs: JSON lines on stdout, trace correlation, PII masking, stdlib routing."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import structlog
from opentelemetry.sdk.trace import TracerProvider

from runtime.logs import configure_logging, get_logger, scrub_pii

RAW_ID = "110105194912310021"
RAW_MOBILE = "13812345678"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    # configure_logging changes process-wide state; put it back so other tests see what they expect.
    root = logging.getLogger()
    saved_root = (list(root.handlers), root.level)
    names = ("uvicorn", "uvicorn.error", "uvicorn.access", "aiokafka", "sqlalchemy")
    routed = [logging.getLogger(n) for n in names]
    saved_routed = [(lg, list(lg.handlers), lg.propagate) for lg in routed]
    yield
    root.handlers[:] = saved_root[0]
    root.setLevel(saved_root[1])
    for lg, handlers, propagate in saved_routed:
        lg.handlers[:] = handlers
        lg.propagate = propagate
    structlog.reset_defaults()


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _only(out: str, event: str) -> dict[str, Any]:
    matching = [rec for rec in _lines(out) if rec.get("event") == event]
    assert len(matching) == 1, out
    return matching[0]


def test_one_json_object_per_line_with_trace_ids(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("members")
    # An explicit provider: the log processor reads the current span, whichever provider made it.
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("work") as span:
        get_logger("members.api").info("member registered", member_no="M-1")
    ctx = span.get_span_context()

    record = _only(capsys.readouterr().out, "member registered")
    assert record["level"] == "info"
    assert record["service"] == "members"
    assert record["logger"] == "members.api"
    assert record["member_no"] == "M-1"
    assert record["trace_id"] == f"{ctx.trace_id:032x}"
    assert record["span_id"] == f"{ctx.span_id:016x}"
    stamp = datetime.fromisoformat(record["timestamp"])
    assert stamp.utcoffset() == timedelta(0)


def test_no_trace_ids_outside_a_span(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("members")
    get_logger("x").info("idle")
    record = _only(capsys.readouterr().out, "idle")
    assert "trace_id" not in record
    assert "span_id" not in record


def test_default_logger_name_is_the_calling_module(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("members")
    get_logger().warning("named")
    assert _only(capsys.readouterr().out, "named")["logger"] == __name__


def test_personal_data_is_masked_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("members")
    get_logger("x").info(
        f"身份证 {RAW_ID} 电话 {RAW_MOBILE}",
        phone=RAW_MOBILE,
        phone_as_int=int(RAW_MOBILE),
        nested={"ids": [RAW_ID], RAW_MOBILE: "as a key"},
    )
    out = capsys.readouterr().out

    assert RAW_ID not in out
    assert RAW_MOBILE not in out
    record = _lines(out)[-1]
    assert record["event"] == "身份证 110***********0021 电话 138*****5678"
    assert record["phone"] == "138*****5678"
    assert record["phone_as_int"] == "138*****5678"
    assert record["nested"] == {"ids": ["110***********0021"], "138*****5678": "as a key"}


def test_tracebacks_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("members")
    try:
        raise ValueError(f"duplicate mobile {RAW_MOBILE}")
    except ValueError:
        get_logger("x").exception("insert failed")
    out = capsys.readouterr().out

    assert RAW_MOBILE not in out
    record = _only(out, "insert failed")
    assert "ValueError: duplicate mobile 138*****5678" in record["exception"]
    assert record["level"] == "error"


def test_stdlib_loggers_share_the_renderer(capsys: pytest.CaptureFixture[str]) -> None:
    # uvicorn installs its own non-propagating handlers before the app configures logging.
    access = logging.getLogger("uvicorn.access")
    access.addHandler(logging.StreamHandler())
    access.propagate = False
    configure_logging("members", level="DEBUG")

    access.info('%s "GET /members?mobile=%s"', "10.0.0.1", f"+86{RAW_MOBILE}")
    logging.getLogger("aiokafka.consumer").debug("fetched id %s", RAW_ID, extra={"partition": 3})
    out = capsys.readouterr().out

    assert RAW_MOBILE not in out
    assert RAW_ID not in out
    access_rec = _only(out, '10.0.0.1 "GET /members?mobile=+86138*****5678"')
    assert access_rec["logger"] == "uvicorn.access"
    assert access_rec["level"] == "info"
    assert access_rec["service"] == "members"
    kafka_rec = _only(out, "fetched id 110***********0021")
    assert kafka_rec["partition"] == 3
    assert kafka_rec["level"] == "debug"


def test_configure_twice_replaces_instead_of_duplicating(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("first")
    configure_logging("second")
    get_logger("x").info("once")
    logging.getLogger("plain").warning("once too")
    out = capsys.readouterr().out

    assert _only(out, "once")["service"] == "second"
    assert _only(out, "once too")["service"] == "second"


def test_level_filters_both_apis(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("members", level="warning")
    get_logger("x").info("hidden")
    logging.getLogger("plain").info("hidden too")
    get_logger("x").warning("shown")
    events = [rec["event"] for rec in _lines(capsys.readouterr().out)]
    assert events == ["shown"]


def test_unknown_level_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown log level"):
        configure_logging("members", level="LOUD")


def test_console_renderer_is_masked_too(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("members", json=False)
    get_logger("x").info("call me", phone=RAW_MOBILE)
    out = capsys.readouterr().out
    assert "call me" in out
    assert "138*****5678" in out
    assert RAW_MOBILE not in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (RAW_MOBILE, "138*****5678"),
        ("13000000042", "130*****0042"),
        ("电话13812345678。", "电话138*****5678。"),
        ("+86 13812345678", "+86 138*****5678"),
        ("008613812345678", "0086138*****5678"),
        ("11010519491231002X", "110***********002X"),
        ("11010519491231002x,", "110***********002x,"),
        # Longer digit runs are something else (epoch ms, order numbers) and stay readable.
        ("1712345678901", "1712345678901"),
        ("order 2024061513812345678", "order 2024061513812345678"),
        ("1101051949123100219", "1101051949123100219"),
        # Too short to be either.
        ("1381234567", "1381234567"),
        ("12812345678", "12812345678"),
    ],
)
def test_scrub_pii(text: str, expected: str) -> None:
    assert scrub_pii(text) == expected
