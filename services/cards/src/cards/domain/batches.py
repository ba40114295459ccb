"""Card batches: their numbers, the submit form, the bank's progress and revocation with review."""

from __future__ import annotations

import re
from datetime import datetime

from runtime.clock import SHANGHAI
from runtime.errors import DomainError, Forbidden, InvalidInput
from runtime.identity import mask_phone
from runtime.tokens import Tier

from .states import BatchState, RevocationState

REVIEWER_TIERS = frozenset({Tier.DISTRICT, Tier.CITY, Tier.ADMIN, Tier.SYSTEM})
PLATFORM_TIERS = frozenset({Tier.CITY, Tier.ADMIN, Tier.SYSTEM})  # the personal queue is the platform's

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?")


def batch_number(at: datetime, seq: int) -> str:
    """cb-YYYYMMDDhhmm (Shanghai time) and the batch's place within that minute: 001, 002, …"""
    if seq < 1:
        raise ValueError("seq starts at 1")
    return f"cb-{at.astimezone(SHANGHAI):%Y%m%d%H%M}{seq:03d}"


def check_phone(value: str, field: str) -> str:
    """A mobile (13800000000) or a landline (021-12345678) the bank or the reviewer can call."""
    number = "".join(value.split())
    if not (_MOBILE.fullmatch(number) or _LANDLINE.fullmatch(number)):
        raise InvalidInput("cards.phone_invalid", "联系电话格式不正确，应为11位手机号或区号-电话号码", field=field)
    return number


def masked_phone(number: str) -> str:
    return str(mask_phone(number.replace("-", "")))


def check_required(value: str, field: str, label: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"cards.{field}_required", f"请填写{label}", field=field)
    if len(text) > limit:
        raise InvalidInput(f"cards.{field}_too_long", f"{label}不能超过{limit}个字", field=field)
    return text


def state_after_answer(total: int, answered: int) -> BatchState:
    return BatchState.COMPLETED if answered >= total else BatchState.OPEN


def check_revocable(state: str, open_request: bool) -> None:
    """Only a batch the bank has not finished, and one request at a time."""
    if state == BatchState.REVOKED:
        raise DomainError("cards.batch_revoked", "该批次已撤销")
    if state == BatchState.COMPLETED:
        raise DomainError("cards.revoke_completed", "银行已办理完成的批次不能撤销")
    if open_request:
        raise DomainError("cards.revoke_pending", "该批次已有审核中的撤销申请")


def check_reviewer(tier: Tier) -> None:
    if tier not in REVIEWER_TIERS:
        raise Forbidden("cards.revocation_reviewer", "撤销办卡批次申请由区局（产业）工会审核")


def check_reviewable(state: str) -> None:
    if state != RevocationState.REVIEWING:
        raise DomainError("cards.revocation_reviewed", f"该撤销申请已{state}，不能再次审核")


def check_reject_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("cards.reject_reason_required", "审核不通过时请填写原因", field="reason")
    if len(text) > 200:
        raise InvalidInput("cards.reject_reason_too_long", "原因不能超过200个字", field="reason")
    return text


def check_platform(tier: Tier) -> None:
    if tier not in PLATFORM_TIERS:
        raise Forbidden("cards.personal_platform_only", "个人办卡申请由平台（市总工会）办理")
