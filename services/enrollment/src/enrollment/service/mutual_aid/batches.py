"""参保批次管理: 集中参保办理 / 即时参保办理 open a batch with a code and a unit name; who sees and works a
batch; every step through `domain.mutual_aid.batch` with its operation-log row (who, when, from, to,
why); 批次删除 and 批次撤回.

Scope: a unit works the batches of its own account (and of its union, when it has one); upper unions
read their subtree's; the city, the insurer and admins read all. Anything else is not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.enrollment import EnrollmentBatchLapsed, EnrollmentType
from runtime import outbox
from runtime.errors import DomainError, NotFound
from runtime.identity import mask_phone
from runtime.tokens import CITY_WIDE, Principal, Tier

from ...domain.mutual_aid import batch as rules
from ...domain.mutual_aid.batch import BatchAction, BatchStatus
from ...models import CheckJob, MutualAidBatch, Operation, RosterRow
from ...schemas.mutual_aid import BatchIn
from .. import SOURCE
from . import units, years
from .vault import RosterVault

UNIT_TIERS = frozenset({Tier.GRASSROOTS, Tier.ENTERPRISE})
READER_TIERS = frozenset({Tier.DISTRICT, Tier.SECONDARY})
NEXT_NUMBER = sa.text(
    "INSERT INTO ma_counter (day, last) VALUES (:day, 1) "
    "ON CONFLICT (day) DO UPDATE SET last = ma_counter.last + 1 RETURNING last"
)
LIVE_AFTER_SUBMISSION = (
    BatchStatus.ROSTER_PASSED, BatchStatus.INSURER_REVIEW, BatchStatus.INSURER_APPROVED,
    BatchStatus.VOUCHER_PENDING, BatchStatus.VOUCHER_REVIEW, BatchStatus.COMPLETED,
)  # fmt: skip


@dataclass(frozen=True)
class Actor:
    """Who made a step: a caller, or billing / the system for what their events do."""

    id: str
    tier: str

    @classmethod
    def of(cls, caller: Principal) -> Actor:
        return cls(caller.user_id, caller.tier.value)


BILLING = Actor("billing", "system")


def batch_no(day: date, seq: int) -> str:
    return f"HZ{day:%Y%m%d}{seq:04d}"


# --- opening a batch ---------------------------------------------------------------------------------------


async def create(session: AsyncSession, caller: Principal, data: BatchIn, vault: RosterVault, now: datetime) -> str:
    """集中参保办理 / 即时参保办理 → 确定操作: a new batch in 清册待校验, in its window."""
    _check_unit(caller)
    unit_name = data.unit_name.strip()
    async with session.begin():
        year = await years.year_for(session, data.enrollment_type, data.year, now)
        year.check_window(data.enrollment_type, now)
        code = await units.check_code(session, caller, data.code, unit_name)
        handler = await units.handler_of(session, vault.cipher, code)
        if data.enrollment_type is EnrollmentType.COLLECTIVE:
            await _check_one_collective(session, year.ctx.id, code)
        seq = (await session.exec(NEXT_NUMBER, params={"day": now.date()})).scalar_one()  # type: ignore[call-overload]
        batch = MutualAidBatch(
            batch_no=batch_no(now.date(), int(seq)), programme_year_id=year.ctx.id,
            enrollment_type=data.enrollment_type.value, code=code, unit_name=unit_name, account_id=caller.user_id,
            org_id=caller.org_id, org_path=caller.org_path, status=BatchStatus.ROSTER_PENDING,
            handler_name=handler.name,
            handler_phone_enc=vault.seal_handler_phone(handler.phone) if handler.phone else None,
            handler_phone_masked=mask_phone(handler.phone), handler_email=handler.email, created_by=caller.user_id,
            created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(batch)
        record(session, batch.batch_no, "create", f"{data.enrollment_type.value}办理", Actor.of(caller),
               to_status=BatchStatus.ROSTER_PENDING, detail={"code": code, "unit_name": unit_name})  # fmt: skip
    return batch.batch_no


async def _check_one_collective(session: AsyncSession, year_id: int, code: str) -> None:
    """ "集中参保流程走完后，不可重新办理集中参保手续": one collective batch per code and year."""
    found = await session.exec(
        select(MutualAidBatch.batch_no).where(
            MutualAidBatch.programme_year_id == year_id,
            MutualAidBatch.code == code,
            MutualAidBatch.enrollment_type == EnrollmentType.COLLECTIVE,
        )
    )
    if (existing := found.first()) is not None:
        raise DomainError(
            "batch.collective_exists",
            f"本参保编码本年度已有集中参保批次{existing}，请在该批次中办理",
            batch_no=existing,
        )


def _check_unit(caller: Principal) -> None:
    if caller.tier not in UNIT_TIERS and caller.tier is not Tier.SYSTEM:
        raise DomainError("batch.unit_only", "参保批次由参保单位办理")


# --- who sees and works a batch ----------------------------------------------------------------------------


def readable(caller: Principal):  # type: ignore[no-untyped-def]
    """The SQL filter of the batches a caller may read; None: all."""
    if caller.tier in CITY_WIDE:
        return None
    terms = [col(MutualAidBatch.account_id) == caller.user_id]
    if caller.org_id is not None:
        terms.append(col(MutualAidBatch.org_id) == caller.org_id)
    if caller.tier in READER_TIERS and caller.org_path:
        terms.append(col(MutualAidBatch.org_path).startswith(caller.org_path + "."))
    return or_(*terms)


def _reads(caller: Principal, batch: MutualAidBatch) -> bool:
    if caller.tier in CITY_WIDE or _works(caller, batch):
        return True
    prefix = caller.org_path + "."
    return caller.tier in READER_TIERS and bool(caller.org_path) and batch.org_path.startswith(prefix)


def _works(caller: Principal, batch: MutualAidBatch) -> bool:
    if caller.tier is Tier.SYSTEM:
        return True
    if caller.tier not in UNIT_TIERS:
        return False
    return batch.account_id == caller.user_id or (caller.org_id is not None and batch.org_id == caller.org_id)


async def visible(session: AsyncSession, caller: Principal, no: str) -> MutualAidBatch:
    batch = await session.get(MutualAidBatch, no)
    if batch is None or not _reads(caller, batch):
        raise NotFound("参保批次")
    return batch


async def owned(session: AsyncSession, caller: Principal, no: str) -> MutualAidBatch:
    """The caller's own batch, locked for a step (inside the caller's transaction)."""
    batch = await session.get(MutualAidBatch, no, with_for_update=True)
    if batch is None or not _reads(caller, batch):
        raise NotFound("参保批次")
    if not _works(caller, batch):
        raise DomainError("batch.unit_only", "参保批次由参保单位办理")
    return batch


async def locked(session: AsyncSession, no: str) -> MutualAidBatch:
    batch = await session.get(MutualAidBatch, no, with_for_update=True)
    if batch is None:
        raise NotFound("参保批次")
    return batch


async def running_check(session: AsyncSession, no: str) -> CheckJob | None:
    """The batch's 清册校验 still running in the background, if any."""
    found = await session.exec(
        select(CheckJob).where(CheckJob.batch_no == no, col(CheckJob.finished_at).is_(None)).limit(1)
    )
    return found.first()


async def check_not_checking(session: AsyncSession, no: str, doing: str = "修改参保清册") -> None:
    """While 清册校验 runs the roster stays as the check reads it (call with the batch locked)."""
    if (job := await running_check(session, no)) is not None:
        raise DomainError("roster.checking", f"清册正在校验中，校验完成前不能{doing}", check_id=job.id)


# --- steps and the operation log ---------------------------------------------------------------------------


def step(
    session: AsyncSession, batch: MutualAidBatch, action: BatchAction, actor: Actor, reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> BatchStatus | None:  # fmt: skip
    """One transition of `domain.mutual_aid.batch`, logged; None after 批次删除."""
    before = BatchStatus(batch.status)
    target = rules.transition(before, action, reason)
    _log_step(session, batch, action, actor, before, target, reason, detail)
    return target


def _log_step(
    session: AsyncSession, batch: MutualAidBatch, action: BatchAction, actor: Actor, before: BatchStatus,
    target: BatchStatus | None, reason: str | None, detail: dict[str, Any] | None,
) -> None:  # fmt: skip
    record(session, batch.batch_no, action.value, rules.LABELS[action], actor, before, target,
           reason.strip() if reason else None, detail)  # fmt: skip
    if target is not None:
        batch.status = target
        touch(session, batch)


def touch(session: AsyncSession, batch: MutualAidBatch) -> None:
    batch.updated_at = datetime.now(UTC)
    batch.version += 1
    session.add(batch)


def record(
    session: AsyncSession, no: str, action: str, label: str, actor: Actor, from_status: str | None = None,
    to_status: str | None = None, reason: str | None = None, detail: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """An operation-log row; roster edits that change no status are logged too."""
    session.add(
        Operation(
            batch_no=no, action=action, label=label, from_status=from_status, to_status=to_status, reason=reason,
            detail=detail, actor_id=actor.id, actor_tier=actor.tier, at=datetime.now(UTC),
        )
    )  # fmt: skip


async def operations(session: AsyncSession, caller: Principal, no: str) -> list[Operation]:
    await visible(session, caller, no)
    rows = await session.exec(
        select(Operation).where(Operation.batch_no == no).order_by(col(Operation.at), col(Operation.id))
    )
    return list(rows)


# --- 批次删除 and 批次撤回 -------------------------------------------------------------------------------------


async def delete(session: AsyncSession, caller: Principal, no: str) -> None:
    """Only in 清册待校验 or 清册校验不通过; the batch and its people are gone, its log stays."""
    async with session.begin():
        batch = await owned(session, caller, no)
        step(session, batch, BatchAction.DELETE, Actor.of(caller))
        await session.delete(batch)


async def withdraw(session: AsyncSession, caller: Principal, no: str, reason: str, now: datetime) -> None:
    """批次撤回 (with a reason) → 清册待校验: the people are free again, the items and the premium go, and a
    payable billing already holds is voided (enrollment.batch.lapsed) — a new premium makes a new one."""
    async with session.begin():
        batch = await owned(session, caller, no)
        year = await years.of_batch(session, batch.programme_year_id)
        kind = EnrollmentType(batch.enrollment_type)
        before = BatchStatus(batch.status)
        target = rules.withdraw(before, reason, year.window_open(kind, now))
        await release(session, batch)
        if batch.payable_no and before is BatchStatus.VOUCHER_PENDING:
            await void_payable(session, batch, now)
        _clear_premium(batch)
        batch.roster_submitted_at, batch.cover_start, batch.cover_end, batch.half_year = None, None, None, False
        _log_step(session, batch, BatchAction.WITHDRAW, Actor.of(caller), before, target, reason, None)


async def release(session: AsyncSession, batch: MutualAidBatch) -> None:
    await session.exec(
        sa.update(RosterRow)
        .where(col(RosterRow.batch_no) == batch.batch_no)
        .values(claimed=False, premium_fen=None, updated_at=datetime.now(UTC))
    )


async def void_payable(session: AsyncSession, batch: MutualAidBatch, now: datetime) -> None:
    assert batch.payable_no is not None and batch.voucher_due is not None
    outbox.record(
        session,
        SOURCE,
        EnrollmentBatchLapsed(
            batch_no=batch.payable_no,
            payer_org_id=batch.org_id or 0,
            payer_account=await units.payer_account(session, batch),
            persons=batch.persons,
            pay_by=batch.voucher_due,
            lapsed_at=now,
            version=batch.version,
        ),  # fmt: skip
    )


def _clear_premium(batch: MutualAidBatch) -> None:
    batch.items, batch.premium, batch.persons, batch.ss_persons, batch.non_ss_persons = [], None, 0, 0, 0
    batch.amount_fen, batch.premium_confirmed_at, batch.voucher_due, batch.payable_no = 0, None, None, None
