"""设置在职 / 批量设置为在职: 职退状态 "-" means the person's state is unknown in the historical rosters;
"确认该职工在职且正常缴纳社保?" asks social security through the adapter (socialsec.check.requested,
requester `enrollment`, ≤ 1,000 rows per request, subject_id = the roster row). The answer
(socialsec.check.reported) sets the row: employed → 在职 with social security (A0 open to them),
retired → 退休 (清册校验 will ask to remove them), not found → stays "-" with the reason shown.
An answer for a row asked again since, or for a roster no longer editable, changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.envelope import Envelope
from contracts.socialsec import CheckKind, CheckResult, CheckSubject, SocialsecCheckReported, SocialsecCheckRequested
from runtime import outbox
from runtime.errors import DomainError
from runtime.tokens import Principal

from ...domain.mutual_aid.batch import EDITABLE, BatchStatus, check_roster_editable
from ...domain.mutual_aid.roster import Employment
from ...models import EmploymentCheck, MutualAidBatch, RosterRow
from ...schemas.mutual_aid import CheckSentOut, RowIds
from .. import SOURCE
from ..checks import REQUESTER
from . import batches
from .batches import Actor
from .vault import RosterVault

PREFIX = "ma-"  # request ids of roster checks (会员专享's are ec-…)
CHECKS = [CheckKind.EMPLOYMENT, CheckKind.RETIREMENT]


async def request(
    session: AsyncSession, caller: Principal, vault: RosterVault, no: str, data: RowIds, chunk: int
) -> CheckSentOut:
    async with session.begin():
        batch = await batches.owned(session, caller, no)
        check_roster_editable(BatchStatus(batch.status))
        await batches.check_not_checking(session, no, "设置在职")
        query = select(RosterRow).where(RosterRow.batch_no == no, RosterRow.employment == Employment.UNKNOWN)
        if not data.all:
            query = query.where(col(RosterRow.id).in_(data.row_ids))
        rows = list(await session.exec(query.order_by(col(RosterRow.id)).with_for_update()))
        if not rows:
            raise DomainError("roster.none_to_check", "请勾选职退状态为“-”的人员")
        ids = [_ask(session, caller, vault, no, rows[at : at + chunk]) for at in range(0, len(rows), chunk)]
        batches.record(session, no, "set_employed", "设置在职", Actor.of(caller),
                       detail={"rows": len(rows), "request_ids": ids})  # fmt: skip
        batches.touch(session, batch)
    return CheckSentOut(request_ids=ids, rows=len(rows))


def _ask(session: AsyncSession, caller: Principal, vault: RosterVault, no: str, rows: list[RosterRow]) -> str:
    request_id = f"{PREFIX}{uuid.uuid4().hex[:20]}"
    session.add(EmploymentCheck(request_id=request_id, batch_no=no, subjects=len(rows), requested_by=caller.user_id))
    subjects = []
    for row in rows:
        subjects.append(
            CheckSubject(
                subject_id=str(row.id), name=row.name, id_type=row.id_type,
                id_sealed=vault.for_partner(vault.open_id(row.id_enc)),
            )
        )  # fmt: skip
        row.check_request_id, row.check_note = request_id, ""
        session.add(row)
    outbox.record(
        session,
        SOURCE,
        SocialsecCheckRequested(request_id=request_id, requester=REQUESTER, checks=CHECKS, subjects=subjects),
    )
    return request_id


def ours(event: SocialsecCheckReported) -> bool:
    return event.requester == REQUESTER and event.request_id.startswith(PREFIX)


async def on_reported(session: AsyncSession, event: SocialsecCheckReported, _: Envelope) -> None:
    check = await session.get(EmploymentCheck, event.request_id, with_for_update=True)
    if check is None:
        return  # the batch is gone, or another deployment's request
    batch = await session.get(MutualAidBatch, check.batch_no)
    editable = batch is not None and BatchStatus(batch.status) in EDITABLE
    answered = 0
    for result in event.results:
        row = await session.get(RosterRow, _row_id(result.subject_id), with_for_update=True)
        if row is None or row.check_request_id != event.request_id:
            continue  # removed, asked again since, or answered already
        answered += 1
        row.check_request_id = None
        if editable:
            _apply(row, result)
        row.updated_at = datetime.now(UTC)
        session.add(row)
    check.answered = min(check.subjects, check.answered + answered)
    session.add(check)


def _apply(row: RosterRow, result: CheckResult) -> None:
    if result.failure:
        row.check_note = f"社保查询暂时失败，请稍后重试（{result.failure[:80]}）"
    elif result.retired:
        row.employment, row.check_note = Employment.RETIRED.value, "社保登记为退休"
    elif result.found and result.employment_unit:
        row.employment, row.has_social_security, row.check_note = Employment.EMPLOYED.value, True, ""
    else:
        row.check_note = "未查到在职缴纳社保记录，不能设置在职"


def _row_id(subject_id: str) -> int:
    return int(subject_id) if subject_id.isdigit() else -1
