"""提交系统校验 — "进行职退情况、医保情况、可否代扣等校验…时间预计30-60分钟": every person not yet answered (or
still anomalous) goes to social security as socialsec.check.requested (requester `enrollment`, request ids
`rt-…`, ≤ 1,000 people each, subject_id = the person's id) asking RETIREMENT, NAME, MEDICAL, WITHHOLDABLE
and DECEASED; the batch is 名单校验中 while answers arrive (the progress is answered / asked) and
名单校验完成 once every person is answered. An answer is applied once per (request, person): a repeat, or an
answer for a person asked again since or deleted, changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentType
from contracts.envelope import Envelope
from contracts.socialsec import CheckKind, CheckResult, CheckSubject, SocialsecCheckReported, SocialsecCheckRequested
from runtime import outbox
from runtime.errors import DomainError
from runtime.tokens import Principal

from ...domain.retiree.batch import BatchAction, BatchStatus, transition
from ...domain.retiree.roster import needs_asking
from ...domain.retiree.template import check_phone_share
from ...domain.retiree.year import check_kind_open
from ...models import RetireeBatch, RetireeCheck, RetireePerson
from .. import SOURCE
from ..checks import REQUESTER
from . import batches, people, review, years
from .batches import SOCIALSEC, Actor
from .vault import RetireeVault

PREFIX = "rt-"
CHECKS = [CheckKind.RETIREMENT, CheckKind.NAME, CheckKind.MEDICAL, CheckKind.WITHHOLDABLE, CheckKind.DECEASED]


async def submit(session: AsyncSession, caller: Principal, vault: RetireeVault, no: str, chunk: int,
                 now: datetime) -> None:  # fmt: skip
    async with session.begin():
        batch = await batches.owned(session, caller, no)
        transition(BatchStatus(batch.status), BatchAction.SUBMIT_VALIDATION)  # refuses before any work
        if batch.unit_confirmed_at is None:
            raise DomainError("unit.not_confirmed", "请先确认单位信息（信息确认无误）")
        if batch.payment_mode is None:
            raise DomainError("payment.mode_required", "请先选择参保缴费方式")
        year = await years.of_batch(session, batch.programme_year_id)
        check_kind_open(year.ctx.windows, EnrollmentType(batch.enrollment_type), now)
        phones = await people.phones_of(session, no)
        if not phones.total:
            raise DomainError("roster.empty", "参保名单为空，请先添加参保人员")
        check_phone_share(phones.valid, phones.total, year.rules.phone_valid_pct)
        rows = [
            r for r in await session.exec(
                select(RetireePerson).where(RetireePerson.batch_no == no)
                .order_by(col(RetireePerson.id)).with_for_update()
            )
            if needs_asking(people.refresh(r))
        ]  # fmt: skip
        ids = [_ask(session, caller, vault, no, rows[at : at + chunk]) for at in range(0, len(rows), chunk)]
        batch.validation_requested, batch.validation_answered, batch.validation_requested_at = len(rows), 0, now
        batches.step(session, batch, BatchAction.SUBMIT_VALIDATION, Actor.of(caller),
                     detail={"people": len(rows), "request_ids": ids})  # fmt: skip
        if not rows:  # nothing left to ask: the fixes stand on their own
            batches.step(session, batch, BatchAction.VALIDATION_DONE, Actor.of(caller),
                         detail=await review.result_counts(session, no))  # fmt: skip


def _ask(session: AsyncSession, caller: Principal, vault: RetireeVault, no: str, rows: list[RetireePerson]) -> str:
    request_id = f"{PREFIX}{uuid.uuid4().hex[:20]}"
    session.add(RetireeCheck(request_id=request_id, batch_no=no, subjects=len(rows), requested_by=caller.user_id))
    subjects = []
    for row in rows:
        subjects.append(
            CheckSubject(subject_id=str(row.id), name=row.name, id_type=row.id_type,
                         id_sealed=vault.for_partner(vault.open_id(row.id_enc)))
        )  # fmt: skip
        row.check_request_id = request_id
        people.refresh(row)
        session.add(row)
    outbox.record(
        session, SOURCE, SocialsecCheckRequested(request_id=request_id, requester=REQUESTER, checks=CHECKS,
                                                 subjects=subjects),
    )  # fmt: skip
    return request_id


def ours(event: SocialsecCheckReported) -> bool:
    return event.requester == REQUESTER and event.request_id.startswith(PREFIX)


async def on_reported(session: AsyncSession, event: SocialsecCheckReported, _: Envelope) -> None:
    check = await session.get(RetireeCheck, event.request_id, with_for_update=True)
    if check is None:
        return  # the batch is gone, or another deployment's request
    batch = await session.get(RetireeBatch, check.batch_no, with_for_update=True)
    assert batch is not None  # the check goes with its batch
    answered = 0
    for result in event.results:
        row = await session.get(RetireePerson, _person_id(result.subject_id), with_for_update=True)
        if row is None or row.check_request_id != event.request_id:
            continue  # deleted, asked again since, or answered already
        apply(row, result)
        session.add(row)
        answered += 1
    if not answered:
        return
    check.answered = min(check.subjects, check.answered + answered)
    session.add(check)
    batch.validation_answered = min(batch.validation_requested, batch.validation_answered + answered)
    await session.flush()
    asked = await session.exec(
        select(sa.func.count())
        .select_from(RetireePerson)
        .where(RetireePerson.batch_no == batch.batch_no, col(RetireePerson.check_request_id).is_not(None))
    )
    if int(asked.one()) == 0 and BatchStatus(batch.status) is BatchStatus.VALIDATING:
        batches.step(session, batch, BatchAction.VALIDATION_DONE, SOCIALSEC,
                     detail=await review.result_counts(session, batch.batch_no))  # fmt: skip
    else:
        batches.touch(session, batch)


def apply(row: RetireePerson, result: CheckResult) -> None:
    """The register's answer; a retirement month the clerk added stays unless the register now has one."""
    row.check_request_id, row.answered = None, True
    if result.failure:
        row.failure = result.failure[:200]
        people.refresh(row)
        return
    row.failure, row.found, row.deceased = "", result.found, result.found and result.deceased
    row.ss_name = (result.name_on_record or row.name)[:50] if result.found else ""
    row.retired = result.found and result.retired
    month = result.retirement_month if row.retired else None
    if month:
        row.retirement_month, row.retirement_edited = month, False
    elif not row.retirement_edited:
        row.retirement_month = None
    row.medical_insured = result.found and result.medical_insured
    row.withholdable = result.found and result.withholdable
    row.ss_unit_code = (result.unit_code or None) if result.found else None
    row.ss_unit_uscc = result.unit_uscc if result.found else ""
    if not result.found and row.no_ss_class is None:
        row.no_ss_remark = ""
    people.refresh(row)


def _person_id(subject_id: str) -> int:
    return int(subject_id) if subject_id.isdigit() else -1
