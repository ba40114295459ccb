"""参保批次 of the plan: opening one (step 1, 集中参保 / 即时参保 with 参保编码 and 参保单位), who reads and works
it, every step through `domain.retiree.batch` with its operation-log row (who, when, from, to, why),
单位信息确认无误 (step 2), the payment mode (step 3, final once chosen) and 批次删除.

Scope: the unit works its batches (its owner account or its union's accounts); district and secondary
unions read those of units in their subtree; the city, the insurer and admins read all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.clock import SHANGHAI
from runtime.errors import DomainError, NotFound
from runtime.identity import mask_phone
from runtime.tokens import CITY_WIDE, Principal, Tier

from ...domain.retiree import batch as rules
from ...domain.retiree.batch import BatchAction, BatchStatus
from ...domain.retiree.payment import PaymentMode, choose_mode
from ...domain.retiree.year import check_withholding_channel
from ...models import RetireeAttachment, RetireeBatch, RetireeOperation
from ...schemas.retiree import BatchIn, PaymentModeIn
from . import units, years
from .vault import BATCH_HANDLER_PHONE, RetireeVault

READER_TIERS = frozenset({Tier.DISTRICT, Tier.SECONDARY})
NEXT_NUMBER = sa.text(
    "INSERT INTO rt_counter (day, last) VALUES (:day, 1) "
    "ON CONFLICT (day) DO UPDATE SET last = rt_counter.last + 1 RETURNING last"
)
ENTRUSTMENT = "委托代扣申请书"


@dataclass(frozen=True)
class Actor:
    """Who made a step: a caller, or social security, the bank, billing for what their events do."""

    id: str
    tier: str

    @classmethod
    def of(cls, caller: Principal) -> Actor:
        return cls(caller.user_id, caller.tier.value)


SOCIALSEC = Actor("socialsec", "system")
BANK = Actor("bank", "system")
BILLING = Actor("billing", "system")


def batch_no(day: date, seq: int) -> str:
    """TXZY + YYYYMMDD + 4 digits, as the manual's TXZY202504300001."""
    return f"TXZY{day:%Y%m%d}{seq:04d}"


# --- step 1: opening a batch ---------------------------------------------------------------------------


async def create(session: AsyncSession, caller: Principal, data: BatchIn, now: datetime) -> str:
    """集中参保办理 / 即时参保办理 → 确认: a new batch in 名单待导入, in its window, one unfinished per code."""
    async with session.begin():
        unit = await units.worked(session, caller, data.code)
        if data.unit_name.strip() != unit.unit_name:
            raise DomainError(
                "retiree.unit_name_mismatch",
                f"参保单位名称与参保编码{unit.code}登记的名称不一致（若单位名称有误或变更，请申请修改单位名称）",
                unit_name=unit.unit_name,
            )
        year = await years.year_for(session, data.enrollment_type, data.year, now)
        year.check_kind(data.enrollment_type, now)
        open_batch = (
            await session.exec(
                select(RetireeBatch.batch_no).where(
                    RetireeBatch.code == unit.code, RetireeBatch.status != BatchStatus.COMPLETED
                )
            )
        ).first()
        if open_batch is not None:
            raise DomainError(
                "retiree.batch_open", f"参保编码{unit.code}有未完成的参保批次{open_batch}，请继续办理该批次",
                batch_no=open_batch,
            )  # fmt: skip
        shanghai_day = now.astimezone(SHANGHAI).date()
        seq = (await session.exec(NEXT_NUMBER, params={"day": shanghai_day})).scalar_one()  # type: ignore[call-overload]
        batch = RetireeBatch(
            batch_no=batch_no(shanghai_day, int(seq)), programme_year_id=year.ctx.id,
            enrollment_type=data.enrollment_type.value, code=unit.code, unit_name=unit.unit_name,
            created_by=caller.user_id, owner_user_id=unit.owner_user_id, org_id=unit.org_id, org_path=unit.org_path,
            status=BatchStatus.ROSTER_EMPTY, created_at=now, updated_at=now,
        )  # fmt: skip
        session.add(batch)
        record(session, batch.batch_no, "create", f"{data.enrollment_type.value}办理", Actor.of(caller),
               to_status=BatchStatus.ROSTER_EMPTY, detail={"code": unit.code, "unit_name": unit.unit_name})  # fmt: skip
    return batch.batch_no


# --- who sees and works a batch -------------------------------------------------------------------------


def readable(caller: Principal):  # type: ignore[no-untyped-def]
    """The SQL filter of the batches a caller may read; None: all."""
    if caller.tier in CITY_WIDE:
        return None
    terms = [units.own_filter(caller, RetireeBatch.owner_user_id, RetireeBatch.org_id)]
    if caller.tier in READER_TIERS and caller.org_path:
        terms.append(col(RetireeBatch.org_path).startswith(caller.org_path + "."))
    return or_(*terms)


def reads(caller: Principal, batch: RetireeBatch) -> bool:
    if caller.tier in CITY_WIDE or works(caller, batch):
        return True
    prefix = caller.org_path + "."
    return caller.tier in READER_TIERS and bool(caller.org_path) and batch.org_path.startswith(prefix)


def works(caller: Principal, batch: RetireeBatch) -> bool:
    return units.works(caller, batch.owner_user_id, batch.org_id)


async def visible(session: AsyncSession, caller: Principal, no: str) -> RetireeBatch:
    batch = await session.get(RetireeBatch, no)
    if batch is None or not reads(caller, batch):
        raise NotFound("参保批次")
    return batch


async def owned(session: AsyncSession, caller: Principal, no: str) -> RetireeBatch:
    """The caller's own batch, locked for a step (inside the caller's transaction)."""
    batch = await session.get(RetireeBatch, no, with_for_update=True)
    if batch is None or not reads(caller, batch):
        raise NotFound("参保批次")
    if not works(caller, batch):
        raise DomainError("retiree.unit_only", "退休住院计划由参保单位办理")
    return batch


async def locked(session: AsyncSession, no: str) -> RetireeBatch:
    batch = await session.get(RetireeBatch, no, with_for_update=True)
    if batch is None:
        raise NotFound("参保批次")
    return batch


def mode_of(batch: RetireeBatch) -> PaymentMode | None:
    return PaymentMode(batch.payment_mode) if batch.payment_mode else None


# --- steps and the operation log -----------------------------------------------------------------------


def step(
    session: AsyncSession, batch: RetireeBatch, action: BatchAction, actor: Actor, reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> BatchStatus | None:  # fmt: skip
    """One transition of `domain.retiree.batch`, logged; None after 批次删除."""
    before = BatchStatus(batch.status)
    target = rules.transition(before, action, reason)
    record(session, batch.batch_no, action.value, rules.LABELS[action], actor, before, target,
           reason.strip() if reason else None, detail)  # fmt: skip
    if target is not None:
        batch.status = target
        touch(session, batch)
    return target


def roster_changed(
    session: AsyncSession, batch: RetireeBatch, actor: Actor, persons: int, label: str,
    detail: dict[str, Any] | None = None, *, unchecked: bool = False,
) -> None:  # fmt: skip
    """A roster edit, logged: new or re-identified people (`unchecked`) wait for validation (名单待校验),
    an empty roster waits for people (名单待导入); fixes of anomalies keep the status."""
    status = BatchStatus(batch.status)
    if persons == 0 and status is not BatchStatus.ROSTER_EMPTY:
        step(session, batch, BatchAction.ROSTER_EMPTIED, actor, detail=detail)
    elif persons and (status is BatchStatus.ROSTER_EMPTY or (unchecked and status is not BatchStatus.ROSTER_PENDING)):
        step(session, batch, BatchAction.ROSTER_CHANGED, actor, detail=detail)
    else:
        record(session, batch.batch_no, "roster_edit", label, actor, detail=detail)
        touch(session, batch)


def touch(session: AsyncSession, batch: RetireeBatch) -> None:
    batch.updated_at = datetime.now(UTC)
    batch.version += 1
    session.add(batch)


def record(
    session: AsyncSession, no: str, action: str, label: str, actor: Actor, from_status: str | None = None,
    to_status: str | None = None, reason: str | None = None, detail: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    session.add(
        RetireeOperation(
            batch_no=no, action=action, label=label, from_status=from_status, to_status=to_status, reason=reason,
            detail=detail, actor_id=actor.id, actor_tier=actor.tier, at=datetime.now(UTC),
        )
    )  # fmt: skip


async def operations(session: AsyncSession, caller: Principal, no: str) -> list[RetireeOperation]:
    await visible(session, caller, no)
    rows = await session.exec(
        select(RetireeOperation)
        .where(RetireeOperation.batch_no == no)
        .order_by(col(RetireeOperation.at), col(RetireeOperation.id))
    )
    return list(rows)


# --- step 2: 单位信息确认无误 -------------------------------------------------------------------------------


async def confirm_unit(session: AsyncSession, caller: Principal, vault: RetireeVault, no: str) -> None:
    """The unit's info complete and its USCC found from its name: the batch keeps the USCC and the
    handler (经办人) billing and the insurer will see."""
    async with session.begin():
        batch = await owned(session, caller, no)
        rules.check_roster_editable(BatchStatus(batch.status))
        unit = await units.worked(session, caller, batch.code)
        if missing := units.info_missing(unit, vault):
            raise DomainError("unit.info_incomplete", f"请先维护单位信息：{'、'.join(missing)}", missing=missing)
        uscc = await units.resolved_uscc(session, unit)
        if uscc is None:
            raise DomainError(
                "unit.uscc_unmatched", "该单位名称无法匹配到统一信用代码，请点击【修改单位名称】提交修改申请"
            )
        info = units.info_of(unit, vault)
        batch.uscc, batch.unit_name, batch.unit_confirmed_at = uscc, unit.unit_name, datetime.now(UTC)
        batch.handler_name, batch.handler_email = info.handler_name, info.handler_email
        batch.handler_phone_enc = vault.seal(info.handler_phone, BATCH_HANDLER_PHONE)
        batch.handler_phone_masked = mask_phone(info.handler_phone)
        record(session, no, "confirm_unit", "单位信息确认无误", Actor.of(caller), detail={"uscc": uscc})
        touch(session, batch)


# --- step 3: the payment mode ---------------------------------------------------------------------------


async def choose_payment_mode(session: AsyncSession, caller: Principal, no: str, data: PaymentModeIn,
                              now: datetime) -> None:  # fmt: skip
    """委托代扣 (collective batches, while the channel is open, with the amount and the sealed form) or
    缴费凭证 — "一旦选择，不能修改"."""
    async with session.begin():
        batch = await owned(session, caller, no)
        rules.check_roster_editable(BatchStatus(batch.status))
        year = await years.of_batch(session, batch.programme_year_id)
        form = None
        if data.mode is PaymentMode.WITHHOLDING and mode_of(batch) is None:
            if batch.enrollment_type != "集中参保":
                raise DomainError("payment.collective_only", "委托代扣款缴费参保仅限集中参保")
            check_withholding_channel(year.ctx.windows, now)
            if data.entrustment_attachment_id is not None:
                form = await session.get(RetireeAttachment, data.entrustment_attachment_id)
                form = form if form is not None and form.batch_no == no and form.kind == ENTRUSTMENT else None
        choice = choose_mode(mode_of(batch), data.mode, data.amount_fen, form is not None,
                             min(year.rules.withholding_max_fen, year.rules.premium_fen))  # fmt: skip
        batch.payment_mode, batch.withholding_amount_fen = choice.mode.value, choice.amount_fen
        batch.entrustment_attachment_id = form.id if form is not None else None
        record(session, no, "choose_payment_mode", "选择参保缴费方式", Actor.of(caller),
               detail={"mode": choice.mode.value, "amount_fen": choice.amount_fen})  # fmt: skip
        touch(session, batch)


# --- 批次删除 -------------------------------------------------------------------------------------------------


async def delete(session: AsyncSession, caller: Principal, no: str) -> None:
    """While the roster can change; the batch and its people are gone (their ID numbers free), its log stays."""
    async with session.begin():
        batch = await owned(session, caller, no)
        step(session, batch, BatchAction.DELETE, Actor.of(caller))
        await session.delete(batch)
