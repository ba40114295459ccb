"""The CloudEvents envelope survives a trip through Kafka headers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contracts.envelope import CONTENT_TYPE, SPEC_VERSION, Envelope, MissingAttribute, new_envelope, parse_headers
from contracts.org import UnionDeleted

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
AT = datetime(2025, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)


def as_delivered(headers: dict[str, str]) -> dict[str, bytes]:
    """aiokafka hands headers over as (str, bytes) pairs."""
    return dict((k, v.encode()) for k, v in headers.items())


def test_headers_round_trip_as_bytes() -> None:
    event = UnionDeleted(org_id=340, path="1.12.340", version=7)
    envelope = new_envelope("org", event, traceparent=TRACEPARENT, at=AT)
    headers = envelope.headers()
    assert headers["ce_type"] == "org.union.deleted"
    assert headers["ce_subject"] == "340"  # the aggregate key
    assert headers["ce_specversion"] == SPEC_VERSION
    assert headers["content-type"] == CONTENT_TYPE
    assert parse_headers(as_delivered(headers)) == envelope
    assert parse_headers(headers) == envelope  # FastStream has already decoded them to str


def test_optional_attributes_are_omitted_and_stay_none() -> None:
    envelope = Envelope(id="e-1", source="org", type="org.union.deleted", time=AT)
    headers = envelope.headers()
    assert "ce_subject" not in headers and "traceparent" not in headers
    assert parse_headers(as_delivered(headers)) == envelope


@pytest.mark.parametrize("value", [None, ""])
def test_missing_ce_id_is_rejected(value: str | None) -> None:
    headers = Envelope(id="e-1", source="org", type="org.union.deleted", time=AT).headers()
    if value is None:
        del headers["ce_id"]
    else:
        headers["ce_id"] = value
    with pytest.raises(MissingAttribute, match="ce_id"):
        parse_headers(as_delivered(headers))


def test_traceparent_is_carried() -> None:
    envelope = new_envelope("org", UnionDeleted(org_id=1, path="1", version=1), traceparent=TRACEPARENT)
    assert envelope.headers()["traceparent"] == TRACEPARENT
    assert parse_headers(as_delivered(envelope.headers())).traceparent == TRACEPARENT
