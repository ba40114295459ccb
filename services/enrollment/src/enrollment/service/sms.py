"""短信验证码: sending one (rate-limited) and checking the one a form carries.

The sender is pluggable (`SmsSender`); the local one writes the message to the log. Codes are kept as
keyed digests with the number's digest, good once: the form's use case marks its code used in its own
transaction, so a form refused for another reason (a name that already has a code) keeps the code
usable. A wrong guess is counted in a transaction of its own, so it sticks although the form fails.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import SHANGHAI
from runtime.errors import InvalidInput
from runtime.identity import InvalidIdentifier, mask_phone, validate_mobile
from runtime.logs import get_logger
from runtime.pii import BlindIndex, key_from_text
from runtime.tokens import Principal

from ..domain.mutual_aid import sms as rules
from ..models import SmsCode
from ..settings import EnrollmentSettings

log = get_logger(__name__)
T = TypeVar("T")


async def lock(session: AsyncSession, key: str) -> None:
    """A transaction-long lock on `key`: concurrent requests about one number (one unit name) queue."""
    await session.exec(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(key))))  # type: ignore[call-overload]


class SmsSender(Protocol):
    async def send(self, phone: str, text: str) -> None: ...


class LogSmsSender:
    """The local sender: the message goes to the service log (the number masked), not to a phone."""

    async def send(self, phone: str, text: str) -> None:
        log.info("sms.sent", phone=mask_phone(phone), text=text)


@dataclass(frozen=True)
class SmsGate:
    sender: SmsSender
    digests: BlindIndex
    limits: rules.Limits
    show_code: bool = False  # development only: the answer carries the code

    def phone_digest(self, phone: str) -> str:
        return self.digests.digest(phone, purpose="sms.phone").hex()

    def code_digest(self, phone: str, code: str) -> str:
        return self.digests.digest(f"{phone}:{code}", purpose="sms.code").hex()


@dataclass(frozen=True)
class Sent:
    phone_masked: str
    expires_at: datetime
    resend_after_seconds: int
    code: str | None


def _mobile(phone: str) -> str:
    try:
        return validate_mobile(phone)
    except InvalidIdentifier as exc:
        raise InvalidInput(exc.code, exc.message, field="phone") from None


async def send(
    session: AsyncSession, gate: SmsGate, caller: Principal, purpose: rules.Purpose, phone: str, now: datetime
) -> Sent:
    phone = _mobile(phone)
    digest = gate.phone_digest(phone)
    code = rules.new_code()
    async with session.begin():
        await lock(session, f"sms:{digest}")
        day_start = now.astimezone(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
        last = (
            await session.exec(
                select(sa.func.max(SmsCode.sent_at)).where(
                    SmsCode.purpose == purpose.value, SmsCode.phone_digest == digest
                )
            )
        ).one()
        rules.check_may_send(
            gate.limits, now, last,
            await _count(session, col(SmsCode.phone_digest) == digest, day_start),
            await _count(session, col(SmsCode.requested_by) == caller.user_id, day_start),
        )  # fmt: skip
        session.add(
            SmsCode(
                purpose=purpose.value, phone_digest=digest, requested_by=caller.user_id,
                code_digest=gate.code_digest(phone, code), sent_at=now, expires_at=now + gate.limits.ttl,
            )
        )  # fmt: skip
        # inside the transaction: a number the sender cannot reach leaves no code behind
        await gate.sender.send(phone, rules.message(code, gate.limits.ttl))
    return Sent(
        mask_phone(phone), now + gate.limits.ttl, int(gate.limits.resend_after.total_seconds()),
        code if gate.show_code else None,
    )  # fmt: skip


async def _count(session: AsyncSession, where: sa.ColumnElement[bool], since: datetime) -> int:
    return int((await session.exec(select(sa.func.count()).where(where, col(SmsCode.sent_at) >= since))).one())


class WrongCode(InvalidInput):
    def __init__(self, sms_id: int, left: int) -> None:
        refusal = rules.code_wrong(left)
        super().__init__(refusal.code, refusal.title, **refusal.extra)
        self.sms_id = sms_id


async def use(
    session: AsyncSession, gate: SmsGate, caller: Principal, purpose: rules.Purpose, phone: str, code: str,
    now: datetime,
) -> None:  # fmt: skip
    """Inside the form's transaction: the latest code sent to `phone` for `purpose` at the caller's
    request must be `code`; it is then spent (with the transaction)."""
    phone = _mobile(phone)
    row = (
        await session.exec(
            select(SmsCode)
            .where(
                SmsCode.purpose == purpose.value,
                SmsCode.phone_digest == gate.phone_digest(phone),
                SmsCode.requested_by == caller.user_id,
            )
            .order_by(col(SmsCode.sent_at).desc(), col(SmsCode.id).desc())
            .limit(1)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise rules.code_expired()
    rules.check_usable(gate.limits, now, row.expires_at, row.attempts, row.used_at is not None)
    if not hmac.compare_digest(row.code_digest, gate.code_digest(phone, (code or "").strip())):
        assert row.id is not None
        raise WrongCode(row.id, gate.limits.max_attempts - row.attempts - 1)
    row.used_at = now


async def counting_wrong_codes(session: AsyncSession, run: Callable[[], Awaitable[T]]) -> T:
    """Run a form's use case; a wrong code's guess is recorded after its transaction rolled back."""
    try:
        return await run()
    except WrongCode as exc:
        async with session.begin():
            await session.exec(
                sa.update(SmsCode).where(col(SmsCode.id) == exc.sms_id).values(attempts=SmsCode.attempts + 1)
            )
        raise


def gate_from(settings: EnrollmentSettings, sender: SmsSender) -> SmsGate:
    """The gate of the app: its digests keyed apart from the cipher (a key derived from the PII key)."""
    limits = rules.Limits(
        ttl=timedelta(seconds=settings.sms_ttl_seconds),
        resend_after=timedelta(seconds=settings.sms_resend_seconds),
        per_phone_daily=settings.sms_per_phone_daily,
        per_account_daily=settings.sms_per_account_daily,
        max_attempts=settings.sms_max_attempts,
    )
    key = hashlib.sha256(b"enrollment.sms-digests\x00" + key_from_text(settings.pii_key)).digest()
    return SmsGate(sender, BlindIndex(key), limits, show_code=settings.sms_show_code)
