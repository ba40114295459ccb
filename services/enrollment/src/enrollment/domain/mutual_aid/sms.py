"""短信验证码 of the 参保编码申请 and 经办人填报 forms (【获取验证码】, "收到短信后输入验证码").

A code is six digits, good for a few minutes and once; after a few wrong guesses it is spent. Sending
is rate-limited per phone (one a minute, a daily cap) and per account (a daily cap), so the button
cannot be used to flood a number. The numbers are settings; these are the rules.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from runtime.errors import DomainError, InvalidInput


class Purpose(StrEnum):
    CODE_APPLICATION = "code_application"  # 参保编码申请: the 联系人手机
    HANDLER = "handler"  # 经办人填报: the 经办人电话


@dataclass(frozen=True)
class Limits:
    ttl: timedelta = timedelta(minutes=5)
    resend_after: timedelta = timedelta(seconds=60)
    per_phone_daily: int = 10
    per_account_daily: int = 30
    max_attempts: int = 5


class TooMany(DomainError):
    status = 429


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def message(code: str, ttl: timedelta) -> str:
    return f"【上海工会】您的验证码为{code}，{int(ttl.total_seconds() // 60)}分钟内有效。如非本人操作，请忽略本短信。"


def check_may_send(
    limits: Limits, now: datetime, last_sent_at: datetime | None, phone_today: int, account_today: int
) -> None:
    """`phone_today` / `account_today`: codes already sent today (Shanghai) to the number / by the account."""
    if last_sent_at is not None and now - last_sent_at < limits.resend_after:
        wait = int((limits.resend_after - (now - last_sent_at)).total_seconds()) + 1
        raise TooMany("sms.too_soon", f"验证码已发送，请 {wait} 秒后再获取", retry_after=wait)
    if phone_today >= limits.per_phone_daily or account_today >= limits.per_account_daily:
        raise TooMany("sms.daily_limit", "今日获取验证码次数已达上限，请明日再试")


def code_expired() -> InvalidInput:
    return InvalidInput("sms.code_expired", "短信验证码已失效，请重新获取", field="sms_code")


def code_wrong(left: int) -> InvalidInput:
    hint = f"，还可尝试 {left} 次" if left > 0 else "，请重新获取"
    return InvalidInput("sms.code_wrong", f"短信验证码不正确{hint}", field="sms_code", attempts_left=left)


def check_usable(limits: Limits, now: datetime, expires_at: datetime, attempts: int, used: bool) -> None:
    if used or now >= expires_at or attempts >= limits.max_attempts:
        raise code_expired()
