"""待办会员列表 rules: who may be added, what a social-security answer means, the ID expiry date, the
two channels, and when a channel's rows may become a batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from contracts.cards import MAX_BATCH, CardChannel
from contracts.socialsec import CheckResult
from runtime.errors import DomainError, InvalidInput

from .states import CardStatus, CheckState

CHECKED_CHANNELS = frozenset({CardChannel.NORMAL, CardChannel.PERSONAL})  # these need 提交系统校验
SWITCHABLE = frozenset({CardChannel.NORMAL, CardChannel.SPECIAL})

RETIRED = "已退休"
NAME_DIFFERS = "姓名与社保登记不一致"
NOT_FOUND = "社保无记录"


def addable_refusal(eligible: bool, listed: bool, status: str) -> str | None:
    """Why a member cannot go to the pending list (the manual's two unselectable cases), or None."""
    if status == CardStatus.PENDING:
        return "已在待办中或办卡批次中"
    if status == CardStatus.ISSUED:
        return "已办卡"
    if listed and not eligible:
        return "会员编号未生成，请等待编号生成后再添加"
    if not eligible:
        return "不符合办卡条件"
    return None


def check_expiry(expiry: date | None, long_term: bool, today: date) -> tuple[date | None, bool]:
    """证件到期日: a date after today, or 长期 — never both, never neither."""
    if long_term:
        if expiry is not None:
            raise InvalidInput("cards.expiry_conflict", "证件到期日与“长期”只能选择其一", field="expiry")
        return None, True
    if expiry is None:
        raise InvalidInput("cards.expiry_required", "请填写证件到期日或选择“长期”", field="expiry")
    if expiry <= today:
        raise InvalidInput("cards.expiry_past", "证件到期日必须晚于今天，证件已过期的请先换证", field="expiry")
    return expiry, False


def check_refusal(channel: str, state: str) -> str | None:
    """Why a row cannot be sent to the social-security check, or None (a 校验中 row may be re-sent)."""
    if channel not in CHECKED_CHANNELS:
        return "特殊办卡通道无需系统校验，请完善信息"
    if state == CheckState.PASSED:
        return "已通过校验"
    return None


def check_outcome(result: CheckResult) -> tuple[CheckState, str]:
    """A social-security answer for one row; a temporary failure leaves it 校验中, to be sent again."""
    if result.failure:
        return CheckState.CHECKING, f"社保系统暂未返回结果（{result.failure}），请重新提交校验"
    if not result.found:
        return CheckState.FAILED, NOT_FOUND
    if result.retired:
        return CheckState.FAILED, RETIRED
    if not result.name_matches:
        return CheckState.FAILED, NAME_DIFFERS
    return CheckState.PASSED, ""


def switch_channel(current: str, target: str) -> CardChannel:
    if current == CardChannel.PERSONAL:
        raise DomainError("cards.channel_personal", "个人办卡申请不能切换办理通道")
    if target not in SWITCHABLE:
        raise InvalidInput("cards.channel_invalid", "办理通道应为“普通”或“特殊”", field="channel")
    if target == current:
        raise DomainError("cards.channel_unchanged", f"该会员已在{current}办卡通道")
    return CardChannel(target)


def check_nationality(nationality: str) -> str:
    text = nationality.strip()
    if not 1 <= len(text) <= 30:
        raise InvalidInput("cards.nationality_required", "请填写国籍（不超过30个字）", field="nationality")
    return text


def ready(channel: str, check_state: str, info_complete: bool) -> bool:
    """Whether a row may be submitted: the special channel needs 完善信息, the others a passed check."""
    return info_complete if channel == CardChannel.SPECIAL else check_state == CheckState.PASSED


@dataclass(frozen=True, slots=True)
class RowState:
    check_state: str
    info_complete: bool


def check_submittable(channel: str, rows: Sequence[RowState]) -> None:
    """提交办卡: some rows, at most one batch's worth, and every one ready."""
    if not rows:
        raise InvalidInput("cards.pending_empty", f"{channel}办卡通道没有待办会员")
    if len(rows) > MAX_BATCH:
        raise InvalidInput(
            "cards.batch_too_large",
            f"每个办卡批次最多{MAX_BATCH}人，当前{len(rows)}人，请移除部分会员后再提交",
            count=len(rows),
            limit=MAX_BATCH,
        )
    unready = sum(1 for r in rows if not ready(channel, r.check_state, r.info_complete))
    if not unready:
        return
    if channel == CardChannel.SPECIAL:
        raise DomainError("cards.info_incomplete", "请移除未完善信息的会员，才能进行提交办卡", incomplete=unready)
    raise DomainError("cards.not_all_passed", "请移除校验未通过及未校验的会员，才能进行提交办卡", not_passed=unready)
