"""Structured logs: one JSON object per line on stdout, the same shape for structlog and stdlib loggers.

Every line carries ``timestamp`` (ISO 8601, UTC), ``level``, ``event``, ``service`` and, inside a
recording OpenTelemetry span, ``trace_id``/``span_id`` so a log line can be joined to its trace.
Mainland ID numbers and mobile numbers are masked in every value before anything is written.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO, cast

import structlog
from opentelemetry import trace
from structlog.types import EventDict, Processor, WrappedLogger

__all__ = ["configure_logging", "get_logger", "scrub_pii"]

# The masks of runtime.identity (kept local so logging has no import-time dependency on it). Digit
# look-arounds rather than \b: Chinese text has no word boundary before "13812345678", while a longer
# digit run (an epoch in ms, a snowflake id, an account number) is not PII. ASCII and full-width digits
# (a Chinese input method types "１３８…"), not \d, which would also match other scripts' digits.
# Numbers are also found as people write them: "138 1234 5678", "138-1234-5678", "110105 19491231 0021".
_D = "[0-9\uff10-\uff19]"
_CHECK = "[0-9\uff10-\uff19Xx\uff38\uff58]"  # the 18th character may be X
_ID_NUMBER = re.compile(rf"(?<!{_D})(?P<pii>{_D}{{6}} ?{_D}{{8}} ?{_D}{{3}}{_CHECK})(?!{_D})")
# A +86 / 0086 / 86 prefix would otherwise hide the number behind the digit look-behind.
_MOBILE_BODY = rf"[1\uff11][3-9\uff13-\uff19]{_D}(?:[ -]?{_D}{{4}}){{2}}"
_MOBILE = re.compile(rf"(?<!{_D})(?:(?:\+|00)?86[ -]?)?(?P<pii>{_MOBILE_BODY})(?!{_D})")

# Loggers that install their own handlers (uvicorn via its dictConfig) or are chatty enough that a
# stray handler would print twice; they must propagate to the root handler and nothing else.
_ROUTED_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "aiokafka", "sqlalchemy")


def _mask_id(match: re.Match[str]) -> str:
    # Length kept, as runtime.identity.mask_id_number does: 110105194912310021 -> 110***********0021.
    return _replace_pii(match, lambda pii: pii[:3] + "*" * (len(pii) - 7) + pii[-4:])


def _mask_mobile(match: re.Match[str]) -> str:
    # Fixed five stars, as in the user manuals (13000000042 -> 130*****0042); the prefix stays.
    return _replace_pii(match, lambda pii: pii[:3] + "*****" + pii[-4:])


def _replace_pii(match: re.Match[str], mask: Callable[[str], str]) -> str:
    start, end = match.span("pii")
    offset = match.start()
    whole = match.group(0)
    return whole[: start - offset] + mask(match.group("pii")) + whole[end - offset :]


def scrub_pii(text: str) -> str:
    """Mask 18-character ID numbers and 11-digit mobile numbers anywhere in ``text``."""
    # ID numbers first: a masked ID keeps no 11-digit run for the mobile pattern to bite on.
    return _MOBILE.sub(_mask_mobile, _ID_NUMBER.sub(_mask_id, text))


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_pii(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        # A phone logged as an int would be rendered verbatim by the JSON encoder.
        text = str(value)
        scrubbed = scrub_pii(text)
        return value if scrubbed == text else scrubbed
    if isinstance(value, Mapping):
        return {_scrub_value(k): _scrub_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_scrub_value(v) for v in value]
    # Anything else (models, exceptions, dataclasses) is rendered from its repr, so scrub that, but
    # leave the object alone when it is clean so renderers keep their own formatting.
    structlog_repr = getattr(value, "__structlog__", None)
    text = structlog_repr() if callable(structlog_repr) else repr(value)
    text = text if isinstance(text, str) else repr(text)
    scrubbed = scrub_pii(text)
    return value if scrubbed == text else scrubbed


def _scrub_processor(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    return {key: _scrub_value(value) for key, value in event_dict.items()}


def _add_trace_context(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    span = trace.get_current_span()
    if span.is_recording():
        ctx = span.get_span_context()
        if ctx.is_valid:
            event_dict["trace_id"] = trace.format_trace_id(ctx.trace_id)
            event_dict["span_id"] = trace.format_span_id(ctx.span_id)
    return event_dict


def _service_adder(service: str) -> Processor:
    def add_service(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
        event_dict.setdefault("service", service)
        return event_dict

    return add_service


class _StdoutHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stdout`` is at emit time.

    Binding the stream at configure time would keep writing to a replaced stdout (pytest capture,
    a reopened stream); looking it up per record costs nothing measurable.
    """

    def emit(self, record: logging.LogRecord) -> None:
        # Handler.handle holds self.lock around emit, so swapping the stream here is safe.
        self.stream = sys.stdout
        super().emit(record)


def configure_logging(service: str, level: str = "INFO", json: bool = True) -> None:
    """Route structlog and stdlib logging through one renderer writing to stdout.

    Safe to call again: the previous handler installed here is replaced, never duplicated.
    """
    levels = logging.getLevelNamesMapping()
    level_no = levels.get(level.upper())
    if level_no is None:
        raise ValueError(f"unknown log level {level!r}")

    # Runs for structlog events at call time and for stdlib records inside the formatter.
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
    ]
    renderer: Processor = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json
        else structlog.dev.ConsoleRenderer(colors=sys.stdout.isatty())
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.ExtraAdder(), *shared],
        # The scrubber sits here, the one place both structlog and stdlib records pass through, and
        # after the tracebacks are rendered to text so they are scrubbed as well.
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            _scrub_processor,
            _service_adder(service),
            _add_trace_context,
            renderer,
        ],
    )
    handler = _StdoutHandler()
    handler.setFormatter(formatter)

    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _StdoutHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level_no)

    for name in _ROUTED_LOGGERS:
        routed = logging.getLogger(name)
        routed.handlers.clear()
        routed.propagate = True

    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        # Not cached: a module-level logger used before configure_logging would otherwise stay bound
        # to structlog's default unscrubbed printer for the life of the process.
        cache_logger_on_first_use=False,
    )


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    """A structlog logger named ``name``, or after the calling module when omitted."""
    if name is None:
        # Resolved now: structlog would infer it lazily from whichever frame logs first.
        name = cast(str, sys._getframe(1).f_globals.get("__name__", "root"))
    return cast(structlog.stdlib.BoundLogger, structlog.get_logger(name))
