"""Who did it. Services record the signed-in account's id (the token's subject) in `…_by` fields
(submitted_by, reviewed_by, requested_by …); the gateway owns the accounts, so it is the one that can
put a person's name beside the id before a clerk sees it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

SUFFIX = "_by"
ACTOR = "actor"  # a history entry's who (参保编码申请 history)


def _actor_fields(payload: Any) -> Iterator[tuple[dict[str, Any], str, int]]:
    """Every (object, key, account id) of an `…_by` (or `actor`) field holding an account id, at any depth."""
    if isinstance(payload, list):
        for item in payload:
            yield from _actor_fields(item)
    elif isinstance(payload, dict):
        for key, value in list(payload.items()):
            if (key.endswith(SUFFIX) or key == ACTOR) and _is_account_id(value):
                yield payload, key, int(value)
            elif isinstance(value, dict | list):
                yield from _actor_fields(value)


def _is_account_id(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and value.isdigit() and len(value) < 19)


def actor_ids(payload: Any) -> set[int]:
    return {account_id for _, _, account_id in _actor_fields(payload)}


def name_actors(payload: Any, names: dict[int, str]) -> Any:
    """Add `<field>_name` beside each `…_by` / `actor` id (the account's name; absent for an unknown id)."""
    for holder, key, account_id in _actor_fields(payload):
        if account_id in names:
            holder[f"{key}_name"] = names[account_id]
    return payload
