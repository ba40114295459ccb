"""代扣结果 to the handler (经办人) by SMS and mail, once — manual 003, 三(四): "所有人员养老金发放日银行代扣流程完成后,
邮件会发送至经办人邮箱".

Outbox-like: the bank's last outcome records one row per channel (rt_notice, unique per batch, kind and
channel) in its own transaction, so a redelivered report or a restart adds nothing; the notice loop sends
the unsent rows and marks them sent. Each row is sent under its row lock (SKIP LOCKED: replicas share the
work, never the row) and marked in the same transaction, so a sent row is never sent again; only a crash
between the sender's answer and the commit can repeat one message (at least once, never lost). The handler's
phone and mailbox are the batch's (confirmed at 单位信息确认无误), read when sending: nothing more is sealed.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import Clock
from runtime.db import Sessions
from runtime.logs import get_logger

from ...domain.retiree.notice import WITHHOLDING_DONE, Channel, WithholdingDone, due, withholding_messages
from ...models import RetireeBatch, RetireeNotice, RetireeWithholding
from ..mail import MailSender
from ..sms import SmsSender
from . import billing, years
from .vault import BATCH_HANDLER_PHONE, RetireeVault

log = get_logger(__name__)
RETRY_BASE, RETRY_CAP = timedelta(seconds=30), timedelta(hours=1)  # 30 s, 1 min, 2 min, … then hourly


async def record_withholding_done(session: AsyncSession, batch: RetireeBatch, request: RetireeWithholding,
                                  succeeded: int) -> None:  # fmt: skip
    """In the transaction of the bank's last outcome: the SMS and the mail, each once per batch."""
    year = await years.of_batch(session, batch.programme_year_id)
    done = WithholdingDone(
        unit_name=batch.unit_name, batch_no=batch.batch_no, code=batch.code, requested=request.people,
        succeeded=succeeded, amount_fen=request.amount_fen, deducted_on=batch.deducted_on,
        money=await billing.money_of(session, batch, year), ratio_min_pct=year.rules.ratio_min_pct,
    )  # fmt: skip
    for message in withholding_messages(done):
        await session.exec(
            insert(RetireeNotice)
            .values(batch_no=batch.batch_no, kind=WITHHOLDING_DONE, channel=message.channel.value,
                    subject=message.subject, text=message.text, attempts=0, last_error="")
            .on_conflict_do_nothing(constraint="ux_rt_notice_once")
        )  # fmt: skip


async def notified_at(session: AsyncSession, batch_no: str) -> datetime | None:
    """When the last channel of the 代扣结果 notice went out; None while one is still unsent."""
    total, sent, last = (
        await session.exec(
            select(sa.func.count(), sa.func.count(col(RetireeNotice.sent_at)), sa.func.max(RetireeNotice.sent_at))
            .where(RetireeNotice.batch_no == batch_no, RetireeNotice.kind == WITHHOLDING_DONE)
        )
    ).one()  # fmt: skip
    return last if total and total == sent else None


@dataclass
class NoticeSenders:
    sms: SmsSender
    mail: MailSender


class RetireeNotices:
    """The notice loop: every `seconds` (0: once when the service starts) the due unsent notices are sent."""

    def __init__(self, sessions: Sessions, vault: RetireeVault, senders: NoticeSenders, clock: Clock,
                 seconds: float, max_attempts: int) -> None:  # fmt: skip
        self.sessions, self.vault, self.senders, self.clock = sessions, vault, senders, clock
        self.seconds, self.max_attempts = seconds, max_attempts
        self._task: asyncio.Task[None] | None = None

    async def deliver(self) -> int:
        """One round: each due unsent notice tried once; how many were sent."""
        async with self.sessions() as session:
            ids = list(
                await session.exec(
                    select(RetireeNotice.id)
                    .where(col(RetireeNotice.sent_at).is_(None), RetireeNotice.attempts < self.max_attempts)
                    .order_by(col(RetireeNotice.id))
                )
            )
        sent = 0
        for notice_id in ids:
            assert notice_id is not None
            sent += await self._deliver_one(notice_id)
        return sent

    async def _deliver_one(self, notice_id: int) -> bool:
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            row = (
                await session.exec(
                    select(RetireeNotice)
                    .where(RetireeNotice.id == notice_id, col(RetireeNotice.sent_at).is_(None))
                    .with_for_update(skip_locked=True)
                )
            ).first()
            if row is None or not due(row.attempts, row.tried_at, now, RETRY_BASE, RETRY_CAP):
                return False  # sent meanwhile, another replica has it, or its wait is not over
            row.attempts, row.tried_at = row.attempts + 1, now
            try:
                await self._send(session, row)
            except Exception as exc:  # the gateway or the mailbox is away: tried again later
                row.last_error = f"{type(exc).__name__}: {exc}"[:200]
                log.warning("retiree.notice.failed", notice_id=notice_id, batch_no=row.batch_no,
                            channel=row.channel, attempts=row.attempts, error=row.last_error)  # fmt: skip
                return False
            row.sent_at, row.last_error = now, ""
            log.info("retiree.notice.sent", notice_id=notice_id, batch_no=row.batch_no, channel=row.channel)
            return True

    async def _send(self, session: AsyncSession, row: RetireeNotice) -> None:
        batch = await session.get(RetireeBatch, row.batch_no)
        assert batch is not None  # the notice goes with its batch (cascade)
        if Channel(row.channel) is Channel.SMS:
            phone = self.vault.open(batch.handler_phone_enc, BATCH_HANDLER_PHONE)
            if not phone:
                raise LookupError("经办人手机未维护")
            await self.senders.sms.send(phone, row.text)
        else:
            if not batch.handler_email:
                raise LookupError("经办人邮箱未维护")
            await self.senders.mail.send(batch.handler_email, row.subject, row.text)

    async def _run(self) -> None:
        while True:
            try:
                await self.deliver()
            except Exception:  # the database is away: try again next round
                log.exception("retiree.notice.round_failed")
            if self.seconds <= 0:
                return
            await asyncio.sleep(self.seconds)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="retiree-notices")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
