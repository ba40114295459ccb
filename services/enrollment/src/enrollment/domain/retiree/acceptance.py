"""代扣受理单 (the withholding acceptance slip) — manual 003 (四): "代扣申请提交1个工作日后, 在参保办理→对应参保
批次的【其它操作】栏, 点击下载 [代扣受理单]".

Read as: the request is accepted (受理日期) on its Shanghai day when that is a working day, else on the next
working day; the slip can be downloaded from 00:00 of the working day after that. So a request on Tuesday
15:00 → Wednesday 00:00; Friday 16:00 → Monday 00:00; Saturday or Sunday → accepted Monday, the slip from
Tuesday 00:00. Working days are Monday to Friday (`domain.workdays`).
"""

from __future__ import annotations

from datetime import date, datetime, time

from runtime.clock import SHANGHAI
from runtime.errors import DomainError

from ..workdays import next_working_day, working_day_on_or_after


def acceptance_no(batch_no: str) -> str:
    """受理编号: SL + the batch's date and sequence (TXZY202506030001 → SL202506030001), one per batch."""
    return "SL" + batch_no.removeprefix("TXZY")


def accepted_on(requested_at: datetime) -> date:
    return working_day_on_or_after(requested_at.astimezone(SHANGHAI).date())


def slip_from(requested_at: datetime) -> datetime:
    """From when the slip of a request made at `requested_at` can be downloaded (00:00 Shanghai)."""
    return datetime.combine(next_working_day(accepted_on(requested_at)), time(0), tzinfo=SHANGHAI)


def check_slip_ready(requested_at: datetime | None, now: datetime) -> datetime:
    """The request's time, once its slip can be downloaded; `requested_at` None: no withholding request."""
    if requested_at is None:
        raise DomainError("retiree.no_withholding_request", "该批次未提交代扣申请，没有代扣受理单")
    available = slip_from(requested_at)
    if now < available:
        raise DomainError(
            "retiree.slip_not_ready", f"代扣受理单将于 {available:%Y-%m-%d} 起可下载",
            available_from=available.isoformat(),
        )  # fmt: skip
    return requested_at
