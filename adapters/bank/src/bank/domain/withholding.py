"""What the bank answers for one person of a pension withholding request (委托代扣): deducted, or not
with a reason. Decided from the ID number alone (opened from its seal), so a test can predict it with
`deduct` and choose who fails by the birth date it gives:

    a 身份证 whose number fails the GB 11643 check            → 证件号码有误
    a 身份证 of someone born on the 28th of a month           → 余额不足
                                 on the 29th                  → 账户已冻结
                                 on the 30th                  → 养老金停发
                                 on the 31st                  → 账户已销户
    everyone else (other documents included)                  → deducted: the requested amount

About one person in nine fails on real birth dates, close to the manual's example (13 asked, 9 deducted).

The deduction happens on the pension day (养老金发放日) when the adapter waits for it
(BANK_WITHHOLD_ON_PENSION_DAY), otherwise on the day the request arrives; a request that arrives after
its pension day is deducted that day. One deduction day per request: a request sent again is answered
with what was decided the first time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Final

from runtime.clock import SHANGHAI
from runtime.identity import InvalidIdentifier, validate_id_number

from .outcomes import RESIDENT_ID, WRONG_NUMBER

INSUFFICIENT: Final = "余额不足"
FROZEN: Final = "账户已冻结"
SUSPENDED: Final = "养老金停发"
CLOSED: Final = "账户已销户"
FAILURE_BY_BIRTH_DAY: Final = {28: INSUFFICIENT, 29: FROZEN, 30: SUSPENDED, 31: CLOSED}


@dataclass(frozen=True)
class Deduction:
    success: bool
    amount_fen: int  # deducted; 0 on failure
    reason: str = ""


def deduct(id_type: str, id_number: str, amount_fen: int, today: date) -> Deduction:
    if id_type == RESIDENT_ID:
        try:
            info = validate_id_number(id_number, today=today)
        except InvalidIdentifier:
            return Deduction(success=False, amount_fen=0, reason=WRONG_NUMBER)
        reason = FAILURE_BY_BIRTH_DAY.get(info.birth_date.day)
        if reason:
            return Deduction(success=False, amount_fen=0, reason=reason)
    return Deduction(success=True, amount_fen=amount_fen)


def deduction_day(pension_day: date, today: date, *, wait_for_pension_day: bool) -> date:
    return max(pension_day, today) if wait_for_pension_day else today


def due_at(deducted_on: date, now: datetime) -> datetime:
    """The answer goes out when the deduction day begins (Asia/Shanghai), or now if it has."""
    return max(now, datetime.combine(deducted_on, time(0), tzinfo=SHANGHAI))
