"""委托代扣 — manual 003, 三(四) 提出代扣申请: "审核通过，向职保会提交代扣申请" (by June 4 16:00) with the
list confirmed ("提交后，代扣名单将不可修改"); the people who are 可代扣 go to the bank as
retiree.withholding.requested (request DK…, chunks of ≤ 1,000) to be deducted on the pension day; the bank
answers per person (bank.withholding.reported: success, or failure with a reason such as 余额不足), in
one report or several, perhaps more than once — each person's outcome is applied once. When every
requested person has an outcome the batch is 代扣完成, the handler is told by SMS and mail (`notices`), and
the unit keeps or deletes the failed people.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Envelope
from contracts.retiree import MAX_PEOPLE, BankWithholdingReported, RetireeWithholdingRequested, WithholdingPerson
from runtime import outbox
from runtime.errors import DomainError, InvalidInput
from runtime.logs import get_logger
from runtime.tokens import Principal

from ...domain.batches import chunks
from ...domain.retiree.batch import BatchAction, BatchStatus, check_mode_step, transition
from ...domain.retiree.roster import Withholdable, WithholdingResult
from ...domain.retiree.year import check_withholding_request
from ...models import RetireeBatch, RetireePerson, RetireeWithholding
from .. import SOURCE
from . import batches, notices, people, years
from .batches import BANK, Actor
from .vault import RetireeVault

log = get_logger(__name__)


def request_no(batch_no: str) -> str:
    """DK + the batch's date and sequence: TXZY202505200001 → DK202505200001 (one request per batch)."""
    return "DK" + batch_no.removeprefix("TXZY")


async def request(session: AsyncSession, caller: Principal, vault: RetireeVault, no: str, accepted: bool,
                  now: datetime) -> None:  # fmt: skip
    if not accepted:
        raise InvalidInput("withholding.not_accepted", "请阅读代扣名单确认事项并勾选【我已阅读并同意】")
    async with session.begin():
        batch = await batches.owned(session, caller, no)
        status = BatchStatus(batch.status)
        transition(status, BatchAction.REQUEST_WITHHOLDING)
        check_mode_step(BatchAction.REQUEST_WITHHOLDING, status, batches.mode_of(batch))
        year = await years.of_batch(session, batch.programme_year_id)
        check_withholding_request(year.ctx.windows, now)
        pension_day = year.rules.pension_day
        if pension_day is None:
            raise DomainError("withholding.pension_day_missing", "本年度未配置养老金发放日，请联系职保会")
        rows = list(await session.exec(
            select(RetireePerson).where(RetireePerson.batch_no == no).order_by(col(RetireePerson.id)).with_for_update()
        ))  # fmt: skip
        chosen = [r for r in rows if people.withholdable(r, batch) is Withholdable.YES]
        number = request_no(no)
        amount = batch.withholding_amount_fen or 0
        batch.withholding_request_no, batch.withholding_requested = number, len(chosen)
        batch.withholding_answered, batch.withholding_requested_at = 0, now
        batches.step(session, batch, BatchAction.REQUEST_WITHHOLDING, Actor.of(caller),
                     detail={"request_no": number, "people": len(chosen), "amount_fen": amount})  # fmt: skip
        if not chosen:  # nobody can be withheld: the unit pays for everyone
            batches.step(session, batch, BatchAction.WITHHOLDING_DONE, Actor.of(caller), detail={"people": 0})
            return
        session.add(RetireeWithholding(request_no=number, batch_no=no, people=len(chosen), amount_fen=amount,
                                       pension_day=pension_day, requested_by=caller.user_id,
                                       requested_at=now))  # fmt: skip
        for r in chosen:
            r.withholding_request_no, r.withholding_result = number, WithholdingResult.PENDING.value
            session.add(r)
        listed = [WithholdingPerson(subject_id=str(r.id), name=r.ss_name or r.name, id_type=r.id_type,
                                    id_sealed=vault.for_partner(vault.open_id(r.id_enc))) for r in chosen]  # fmt: skip
        parts = list(chunks(listed, MAX_PEOPLE))
        for i, part in enumerate(parts):
            outbox.record(
                session, SOURCE,
                RetireeWithholdingRequested(
                    request_no=number, batch_no=no, code=batch.code, unit_name=batch.unit_name, amount_fen=amount,
                    pension_day=pension_day, chunk=i, chunks=len(parts), people_total=len(listed), people=part,
                    requested_at=now,
                ),
            )  # fmt: skip


async def on_reported(session: AsyncSession, event: BankWithholdingReported, _: Envelope) -> None:
    request = await session.get(RetireeWithholding, event.request_no, with_for_update=True)
    if request is None:
        log.info("retiree.withholding.unknown", request_no=event.request_no)
        return
    batch = await session.get(RetireeBatch, request.batch_no, with_for_update=True)
    assert batch is not None  # the request goes with its batch
    applied = 0
    for outcome in event.outcomes:
        row = await session.get(RetireePerson, _person_id(outcome.subject_id), with_for_update=True)
        if row is None or row.withholding_request_no != event.request_no:
            continue
        if row.withholding_result != WithholdingResult.PENDING:
            continue  # applied already: a repeated report changes nothing
        ok = outcome.success and outcome.amount_fen > 0
        row.withholding_result = (WithholdingResult.SUCCEEDED if ok else WithholdingResult.FAILED).value
        row.withholding_amount_fen = outcome.amount_fen if ok else 0
        row.withholding_reason = "" if ok else (outcome.reason or "代扣失败")[:100]
        session.add(row)
        applied += 1
    if not applied:
        return
    request.answered = min(request.people, request.answered + applied)
    session.add(request)
    batch.withholding_answered = min(batch.withholding_requested, batch.withholding_answered + applied)
    batch.deducted_on = event.deducted_on
    await session.flush()
    pending = await session.exec(
        select(sa.func.count()).select_from(RetireePerson).where(
            RetireePerson.batch_no == batch.batch_no, RetireePerson.withholding_result == WithholdingResult.PENDING
        )
    )  # fmt: skip
    if int(pending.one()) == 0 and BatchStatus(batch.status) is BatchStatus.WITHHOLDING:
        succeeded = await _succeeded(session, batch.batch_no)
        batches.step(session, batch, BatchAction.WITHHOLDING_DONE, BANK,
                     detail={"requested": request.people, "succeeded": succeeded,
                             "failed": request.people - succeeded})  # fmt: skip
        # "邮件会发送至经办人邮箱": recorded with the last outcome, sent by the notice loop
        await notices.record_withholding_done(session, batch, request, succeeded)
    else:
        batches.touch(session, batch)


async def _succeeded(session: AsyncSession, no: str) -> int:
    found = await session.exec(
        select(sa.func.count()).select_from(RetireePerson).where(
            RetireePerson.batch_no == no, RetireePerson.withholding_result == WithholdingResult.SUCCEEDED
        )
    )  # fmt: skip
    return int(found.one())


def _person_id(subject_id: str) -> int:
    return int(subject_id) if subject_id.isdigit() else -1
