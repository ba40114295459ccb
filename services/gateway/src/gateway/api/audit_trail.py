"""The operation log's writer: around every state-changing request and every export, whatever its
outcome (refused and failed ones too), one entry with who, from where, what and how it ended."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runtime.logs import get_logger

from ..domain.audit import is_audited, outcome, targets
from ..models import AuditEntry
from ..service import audit
from .deps import client_ip

log = get_logger(__name__)


class AuditTrail:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_audited(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        status = 500

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            await self._write(scope, status)

    async def _write(self, scope: Scope, status: int) -> None:
        app = scope["app"]
        try:
            await audit.record(app.state.sessions, entry(scope, status, app.state.clock.now()))
        except Exception:  # the log must not turn a done operation into an error; it is alerted on
            log.exception("audit.write_failed", path=scope["path"])


def entry(scope: Scope, status: int, at: Any) -> AuditEntry:
    state = scope.get("state", {})
    route = scope.get("route")
    actor = state.get("audit_actor") or (None, state.get("audit_account"), None)
    return AuditEntry(
        at=at,
        account_id=actor[0],
        account=actor[1] or state.get("audit_account"),
        tier=actor[2],
        ip=client_ip(Request(scope)),
        method=scope["method"],
        route=getattr(route, "path", scope["path"])[:200],
        action=getattr(route, "name", "unknown")[:80],
        action_label=(getattr(route, "summary", None) or "")[:80],
        target_ids=targets(
            {k: str(v) for k, v in scope.get("path_params", {}).items()}, state.get("audit_targets", [])
        ),
        outcome=outcome(status),
        status=status,
    )
