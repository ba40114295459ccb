"""What the operation log records: every state change and every export, with its outcome."""

from __future__ import annotations

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_audited(method: str, path: str) -> bool:
    if not path.startswith("/api/"):
        return False
    # Data leaving as a file is an export too: …/export lists, import rejections, compare results,
    # and a printed roster (a PDF of named people).
    return method not in SAFE_METHODS or path.endswith(("/export", ".xlsx", ".pdf"))


def outcome(status: int) -> str:
    if status < 400:
        return "success"
    if status in (401, 403, 423, 429):
        return "denied"
    return "failure"


def targets(path_params: dict[str, str], extra: list[str]) -> list[str]:
    """Target ids as `name=value` so a search for `org_id=12` finds exactly that org."""
    return [f"{k}={v}" for k, v in sorted(path_params.items())] + extra
