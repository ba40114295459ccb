"""Freeze every event's JSON Schema in libs/contracts/schemas/: a contract change must show up as a diff.

Accept an intended change with `make schemas` (= `UPDATE_SCHEMAS=1 uv run pytest libs/contracts`).
"""

from __future__ import annotations

import difflib
import importlib
import json
import os
import pkgutil
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import BaseModel

import contracts
from contracts import topics
from contracts.envelope import Event
from contracts.registry import EVENTS

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
UPDATE = os.environ.get("UPDATE_SCHEMAS") == "1"
HOW_TO_ACCEPT = (
    "If the change is intended, run `make schemas` (or `UPDATE_SCHEMAS=1 uv run pytest libs/contracts`) "
    "and commit the rewritten files with the change: every consumer of the topic must still read it."
)


def render(cls: type[Event]) -> str:
    schema = {**cls.model_json_schema(mode="serialization"), "x-ce-type": cls.ce_type, "x-topic": cls.topic}
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("ce_type", sorted(EVENTS))
def test_schema_matches_snapshot(ce_type: str) -> None:
    path = SCHEMAS / f"{ce_type}.json"
    want = render(EVENTS[ce_type])
    if UPDATE:
        SCHEMAS.mkdir(exist_ok=True)
        path.write_text(want, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no schema snapshot for {ce_type} at {path}.\n{HOW_TO_ACCEPT}", pytrace=False)
    have = path.read_text(encoding="utf-8")
    if have != want:
        diff = "".join(
            difflib.unified_diff(
                have.splitlines(keepends=True),
                want.splitlines(keepends=True),
                fromfile=f"schemas/{ce_type}.json (snapshot)",
                tofile=f"{ce_type} (code)",
            )
        )
        pytest.fail(f"the schema of {ce_type} changed:\n{diff}\n{HOW_TO_ACCEPT}", pytrace=False)


def test_no_stale_snapshots() -> None:
    stale = sorted(p for p in SCHEMAS.glob("*.json") if p.stem not in EVENTS)
    if UPDATE:
        for p in stale:
            p.unlink()
        return
    if stale:
        names = ", ".join(p.name for p in stale)
        pytest.fail(f"schema snapshots of events no longer registered: {names}.\n{HOW_TO_ACCEPT}", pytrace=False)


def contract_event_classes() -> list[type[Event]]:
    """Every Event subclass defined in the contracts package, registered or not."""
    for mod in pkgutil.walk_packages(contracts.__path__, "contracts."):
        importlib.import_module(mod.name)
    found, todo = [], list(Event.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls.__module__.startswith("contracts."):  # runtime and tests subclass Event too
            found.append(cls)
    return found


def test_every_event_is_registered_once() -> None:
    # EVENTS is a dict by ce_type: a duplicate ce_type would silently drop a class, so compare classes.
    classes = contract_event_classes()
    ce_types = [cls.ce_type for cls in classes]
    assert all(isinstance(t, str) and t for t in ce_types), "every event needs a non-empty ce_type"
    assert len(set(ce_types)) == len(ce_types), f"duplicate ce_type: {sorted(ce_types)}"
    assert set(classes) == set(EVENTS.values()), "every Event subclass in contracts must be in EVENTS"
    assert all(EVENTS[cls.ce_type] is cls for cls in classes)


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """Pydantic models inside an annotation: `Snapshot`, `list[Snapshot]`, `Snapshot | None`, ..."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in models_in(arg)]


def carries_version(model: type[BaseModel]) -> bool:
    fields = model.model_fields
    if "version" in fields and fields["version"].annotation is int:
        return True
    return any(carries_version(m) for f in fields.values() for m in models_in(f.annotation))


@pytest.mark.parametrize("ce_type", sorted(EVENTS))
def test_event_invariants(ce_type: str) -> None:
    cls = EVENTS[ce_type]
    assert cls.ce_type == ce_type
    assert cls.topic in topics.ALL, f"{ce_type}: topic {cls.topic!r} is not in contracts.topics.ALL"
    assert carries_version(cls), f"{ce_type}: every event carries the aggregate version (an int `version`)"
    assert cls.key is not Event.key, f"{ce_type} must name its aggregate key()"
