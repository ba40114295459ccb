"""CloudEvents 1.0 in Kafka binary mode: attributes travel as `ce_*` headers, the body is the event model.

Every event class declares its `ce_type` and `topic` as class variables and its aggregate `key`
(the Kafka message key), so producers and consumers never spell them by hand.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"


class Event(BaseModel, ABC):
    """Base of every event payload."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    ce_type: ClassVar[str]
    topic: ClassVar[str]

    @abstractmethod
    def key(self) -> str:
        """The aggregate id: one aggregate's events share a partition and stay in order."""


class Envelope(BaseModel):
    """The CloudEvents attributes of one message (the body is the event itself)."""

    model_config = ConfigDict(frozen=True)

    id: str
    source: str
    type: str
    time: datetime
    specversion: str = SPEC_VERSION
    subject: str | None = None
    traceparent: str | None = None

    def headers(self) -> dict[str, str]:
        out = {
            "ce_id": self.id,
            "ce_source": self.source,
            "ce_type": self.type,
            "ce_time": self.time.isoformat(),
            "ce_specversion": self.specversion,
            "content-type": CONTENT_TYPE,
        }
        if self.subject:
            out["ce_subject"] = self.subject
        if self.traceparent:
            out["traceparent"] = self.traceparent
        return out


def new_envelope(source: str, event: Event, *, traceparent: str | None = None, at: datetime | None = None) -> Envelope:
    return Envelope(
        id=str(uuid.uuid4()),
        source=source,
        type=event.ce_type,
        time=at or datetime.now(UTC),
        subject=event.key(),
        traceparent=traceparent,
    )


class MissingAttribute(ValueError):
    """A message without the CloudEvents attributes every consumer relies on."""


def parse_headers(headers: Mapping[str, str | bytes]) -> Envelope:
    """Read the envelope back from Kafka headers (values may arrive as bytes)."""
    text = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in headers.items()}
    missing = [h for h in ("ce_id", "ce_source", "ce_type") if not text.get(h)]
    if missing:
        raise MissingAttribute(f"missing CloudEvents headers: {', '.join(missing)}")
    return Envelope(
        id=text["ce_id"],
        source=text["ce_source"],
        type=text["ce_type"],
        time=datetime.fromisoformat(text["ce_time"]) if text.get("ce_time") else datetime.now(UTC),
        specversion=text.get("ce_specversion", SPEC_VERSION),
        subject=text.get("ce_subject"),
        traceparent=text.get("traceparent"),
    )
