"""The review chain: a grassroots submission is approved into the district's to-submit list (待提交) or
returned (退回) with a reason; the district sends the list to the insurer; after that it is frozen."""

from __future__ import annotations

from runtime.errors import DomainError, InvalidInput

from .coverage import LineState

MAX_REASON = 200

# A submission's states are its lines' states (every line of a submission moves with it).
REVIEWABLE = frozenset({LineState.PENDING_REVIEW})
FROZEN = frozenset({LineState.WITH_INSURER, LineState.ACTIVE, LineState.LAPSED})
# What a new collective submission of the same union replaces ("the last one counts").
REPLACEABLE = frozenset({LineState.PENDING_REVIEW, LineState.STAGED})


def check_can_stage(state: str) -> None:
    if state != LineState.PENDING_REVIEW:
        raise DomainError("review.not_pending", f"该参保信息当前状态为“{state}”，不能添加至待提交")


def check_can_unstage(state: str) -> None:
    if state != LineState.STAGED:
        raise DomainError("review.not_staged", f"该参保信息当前状态为“{state}”，不在待提交列表中")


def check_can_return(state: str) -> None:
    if state in FROZEN:
        raise DomainError("review.frozen", "已提交至职保中心的参保信息不能退回")
    if state not in (LineState.PENDING_REVIEW, LineState.STAGED):
        raise DomainError("review.not_returnable", f"该参保信息当前状态为“{state}”，不能退回")


def check_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("review.reason_required", "请填写退回原因")
    if len(text) > MAX_REASON:
        raise InvalidInput("review.reason_too_long", f"退回原因不能超过{MAX_REASON}字")
    return text


def check_replaceable(states: set[str]) -> None:
    """A collective resubmission replaces the union's last one unless that is already with the insurer."""
    if states & FROZEN:
        raise DomainError(
            "collective.frozen",
            "本单位的集中参保信息已由区局（产业）工会提交至职保中心，不能再修改；请按即时参保流程办理",
        )
