"""The platform's own instruments: event handling, consumer lag, outbox, dead letters, imports, states.

Their names are a contract with deploy/ (dashboards and alert rules use them, tests/ops checks that
each one exists), so rename one only together with those. Prometheus names add ``_total`` to
counters and the bucket suffixes to histograms: ``events_consumed`` is scraped as
``events_consumed_total``.

Label values are routing metadata only (topic, group, event type, state): never an id or a name.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aiokafka import TopicPartition
from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Observation

__all__ = [
    "record_published",
    "record_consumed",
    "record_dlq",
    "record_import_rows",
    "record_outbox",
    "record_position",
    "record_state_counts",
    "register_state_counts",
]

_SCOPE = "runtime"
# Seconds, not the SDK default buckets (0..10000, meant for milliseconds).
_PROCESSING_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

StateCounts = Callable[[], Mapping[str, int]]


@dataclass(frozen=True)
class _Instruments:
    events_published: metrics.Counter
    events_consumed: metrics.Counter
    event_processing_seconds: metrics.Histogram
    events_dead_lettered: metrics.Counter
    import_rows: metrics.Counter


@dataclass(frozen=True)
class _Position:
    consumer: weakref.ref[Any]  # the aiokafka consumer that owns the partition
    next_offset: int


_instruments_lock = threading.Lock()
_instruments: _Instruments | None = None
# topic -> (backlog, oldest age); a topic that drained reports zeros rather than vanishing.
_outbox_state: dict[str, tuple[int, float]] = {}
# (topic, group, partition) -> where this process stands; the lag is read at collection time.
_positions: dict[tuple[str, str, int], _Position] = {}
_state_sources: dict[str, StateCounts] = {}


def _observe_backlog(_options: CallbackOptions) -> Iterable[Observation]:
    return [Observation(backlog, {"topic": topic}) for topic, (backlog, _) in sorted(_outbox_state.items())]


def _observe_oldest_age(_options: CallbackOptions) -> Iterable[Observation]:
    return [Observation(age, {"topic": topic}) for topic, (_, age) in sorted(_outbox_state.items())]


def _observe_lag(_options: CallbackOptions) -> Iterable[Observation]:
    totals: dict[tuple[str, str], int] = {}
    for (topic, group, partition), position in list(_positions.items()):
        lag = _partition_lag(TopicPartition(topic, partition), position)
        if lag is not None:
            totals[(topic, group)] = totals.get((topic, group), 0) + lag
    return [Observation(lag, {"topic": topic, "group": group}) for (topic, group), lag in sorted(totals.items())]


def _partition_lag(tp: TopicPartition, position: _Position) -> int | None:
    """High-water mark minus our next offset, or None once the partition went to another replica."""
    consumer = position.consumer()
    if consumer is None:
        return None
    try:
        # Read from the scrape thread: both calls only look at the consumer's fetch state.
        if tp not in consumer.assignment():
            return None
        high = consumer.highwater(tp)
    except Exception:  # a consumer closing or rebalancing right now: skip this round
        return None
    return None if high is None else max(0, int(high) - position.next_offset)


def _observe_states(_options: CallbackOptions) -> Iterable[Observation]:
    observations: list[Observation] = []
    for aggregate, source in sorted(_state_sources.items()):
        try:
            counts = dict(source())
        except Exception:  # one broken source must not hide the others
            continue
        observations += [Observation(n, {"aggregate": aggregate, "state": s}) for s, n in sorted(counts.items())]
    return observations


def _platform_instruments() -> _Instruments:
    # Created lazily and through the global (proxy) meter, so they bind to whichever provider
    # setup_telemetry installs, even if first used before it.
    global _instruments
    if _instruments is not None:
        return _instruments
    with _instruments_lock:
        if _instruments is None:
            _instruments = _create_instruments(metrics.get_meter(_SCOPE))
        return _instruments


def _create_instruments(meter: metrics.Meter) -> _Instruments:
    gauges: list[tuple[str, Callable[[CallbackOptions], Iterable[Observation]], str, str]] = [
        ("outbox_backlog", _observe_backlog, "{message}", "Outbox rows not yet published, per topic"),
        ("outbox_oldest_age_seconds", _observe_oldest_age, "s", "Age of the oldest unpublished outbox row, per topic"),
        ("consumer_lag", _observe_lag, "{message}", "Messages behind the high-water mark, per topic and group"),
        ("aggregates_by_state", _observe_states, "{aggregate}", "Aggregates (batches, payables) per state"),
    ]
    for name, callback, unit, description in gauges:
        meter.create_observable_gauge(name, callbacks=[callback], unit=unit, description=description)
    return _Instruments(
        events_published=meter.create_counter(
            "events_published", unit="{event}", description="Events the outbox relay published, by topic and type"
        ),
        events_consumed=meter.create_counter(
            "events_consumed", unit="{event}", description="Events handled, by topic, group, type and outcome"
        ),
        event_processing_seconds=meter.create_histogram(
            "event_processing_seconds",
            unit="s",
            description="Time spent handling one event",
            explicit_bucket_boundaries_advisory=_PROCESSING_BUCKETS,
        ),
        events_dead_lettered=meter.create_counter(
            "events_dead_lettered", unit="{event}", description="Events parked on a dead-letter topic, by origin topic"
        ),
        import_rows=meter.create_counter(
            "members_import_rows", unit="{row}", description="Roster import rows processed, by outcome"
        ),
    )


def record_published(topic: str, ce_type: str, count: int = 1) -> None:
    """Count events the outbox relay handed to the broker."""
    global _outbox_state
    _platform_instruments().events_published.add(count, {"topic": topic, "type": ce_type})
    if topic not in _outbox_state:
        # From now on the outbox gauges show this topic, at zero while nothing waits.
        _outbox_state = {**_outbox_state, topic: (0, 0.0)}


def record_consumed(topic: str, ce_type: str, outcome: str, seconds: float, group: str = "") -> None:
    """Count one handled event (``outcome`` e.g. ok/duplicate/dead_lettered/poison) and its handling time."""
    instruments = _platform_instruments()
    instruments.events_consumed.add(1, {"topic": topic, "group": group, "type": ce_type, "outcome": outcome})
    instruments.event_processing_seconds.record(seconds, {"topic": topic, "group": group, "type": ce_type})


def record_position(topic: str, group: str, partition: int, next_offset: int, consumer: Any) -> None:
    """Note the next offset ``group`` will read from ``partition``; ``consumer_lag`` compares it with
    the partition's high-water mark whenever metrics are collected, so a stalled consumer's lag grows.

    ``consumer`` is the aiokafka consumer holding the partition; anything without ``highwater``
    (a test double) is ignored.
    """
    _platform_instruments()
    if not callable(getattr(consumer, "highwater", None)):
        return
    _positions[(topic, group, partition)] = _Position(weakref.ref(consumer), next_offset)


def record_outbox(backlog: Mapping[str, tuple[int, float]]) -> None:
    """Report the unpublished outbox per topic as ``{topic: (rows, oldest age in seconds)}``.

    A topic missing from ``backlog`` has drained: it keeps reporting zeros.
    """
    global _outbox_state
    _platform_instruments()
    _outbox_state = {topic: (0, 0.0) for topic in _outbox_state} | dict(backlog)


def record_dlq(topic: str) -> None:
    """Count one event of ``topic`` (the original topic) parked on its dead-letter topic."""
    _platform_instruments().events_dead_lettered.add(1, {"topic": topic})


def record_import_rows(rows: int, outcome: str = "accepted") -> None:
    """Count roster import rows (``members_import_rows_total``); ``outcome`` accepted or rejected."""
    if rows:
        _platform_instruments().import_rows.add(rows, {"outcome": outcome})


def register_state_counts(aggregate: str, counts: StateCounts) -> None:
    """Export ``aggregates_by_state{aggregate, state}`` from ``counts()`` at each collection.

    ``counts`` runs on the scrape thread, so it must not block or touch the event loop: return what
    the service last computed. Registering the same ``aggregate`` again replaces the source.
    Names used by the dashboards: ``cards.batch``, ``cards.card``, ``enrollment.batch``,
    ``billing.payable``.
    """
    _platform_instruments()
    _state_sources[aggregate] = counts


def record_state_counts(aggregate: str, counts: Mapping[str, int]) -> None:
    """Push the latest ``{state: count}`` of ``aggregate``; services do it through runtime.state_gauge."""
    snapshot = dict(counts)
    register_state_counts(aggregate, lambda: snapshot)
