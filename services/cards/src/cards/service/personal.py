"""个人办卡: an application from the 申工社 WeChat channel joins the platform's personal queue (channel
个人), then takes the same social-security check and batch submission as the unions' members.

The ID number is sealed for the bank and social security at once and kept only as that, masked, and
as a keyed hash that finds the same person's second application.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from contracts.cards import CardChannel
from runtime.errors import DomainError, NotFound
from runtime.identity import mask_id_number, mask_phone
from runtime.pii import BlindIndex, PartnerSeal
from runtime.tokens import Principal

from ..domain.applicants import Applicant, Application, check_application
from ..domain.states import CardStatus, CheckState, Source
from ..models import BatchCard, CardMember, PendingCard
from ..schemas import PersonalApplication, PersonalApplicationIn
from . import orgs

CHANNEL_USER = "申工社"
DIGEST_PURPOSE = "cards.personal.id_number"
_STAGES = {
    CheckState.UNCHECKED: "待校验",
    CheckState.CHECKING: "校验中",
    CheckState.FAILED: "校验未通过",
    CheckState.PASSED: "已通过待提交",
}
_OUTCOME_STAGES = {"待反馈": "银行办理中", "已办卡": "已办卡", "办卡失败": "办卡失败", "已撤销": "已撤销"}


def application_id(caller: Principal, idempotency_key: str | None) -> str:
    """A repeated request with the same Idempotency-Key names the same application."""
    if idempotency_key:
        return "pa-" + uuid.uuid5(uuid.NAMESPACE_URL, f"cards:{caller.user_id}:{idempotency_key}").hex
    return "pa-" + uuid.uuid4().hex


async def apply(
    session: AsyncSession,
    caller: Principal,
    keys: tuple[PartnerSeal, BlindIndex],
    data: PersonalApplicationIn,
    idempotency_key: str | None,
    clock: tuple[date, datetime],
) -> str:
    seal, index = keys
    today, now = clock
    applicant = check_application(Application(**data.model_dump()), today)
    digest = index.digest(applicant.id_number, purpose=DIGEST_PURPOSE)
    app_id = application_id(caller, idempotency_key)
    async with session.begin():
        if await session.get(CardMember, app_id) is not None:
            return app_id
        await _check_first(session, digest)
        session.add(_member(app_id, applicant, seal.seal(applicant.id_number), digest, now))
        session.add(_queued(app_id, applicant, now))
    return app_id


async def _check_first(session: AsyncSession, digest: bytes) -> None:
    """The same person once at a time: two applications at once wait for each other here."""
    await session.exec(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(digest.hex()))))  # type: ignore[call-overload]
    statuses = await session.exec(select(CardMember.card_status).where(CardMember.id_digest == digest))
    held = set(statuses.all())
    if CardStatus.ISSUED in held:
        raise DomainError("cards.personal_issued", "该证件号码已办理会员服务卡，无需重复申请")
    if CardStatus.PENDING in held:
        raise DomainError("cards.personal_duplicate", "该证件号码已有正在办理的会员服务卡申请")


def _member(app_id: str, a: Applicant, sealed: str, digest: bytes, now: datetime) -> CardMember:
    return CardMember(
        member_id=app_id, source=Source.PERSONAL, org_id=None, category=a.category.value, name=a.name,
        id_type=a.id_type, id_number_masked=mask_id_number(a.id_number), id_sealed=sealed, id_digest=digest,
        phone_masked=mask_phone(a.phone), gender=a.gender, birth_date=a.birth_date, work_unit=a.work_unit,
        work_address=a.work_address, active=True, eligible=False, listed=False, version=1,
        card_status=CardStatus.PENDING, channel=CardChannel.PERSONAL, applied_at=now, updated_at=now,
    )  # fmt: skip


def _queued(app_id: str, a: Applicant, now: datetime) -> PendingCard:
    return PendingCard(
        member_id=app_id, org_id=None, channel=CardChannel.PERSONAL, id_type=a.id_type, id_expiry=a.id_expiry,
        id_long_term=a.id_long_term, nationality=a.nationality, check_state=CheckState.UNCHECKED,
        info_completed_at=now, added_by=CHANNEL_USER, added_at=now,
    )  # fmt: skip


async def get(session: AsyncSession, caller: Principal, app_id: str) -> PersonalApplication:
    member = await session.get(CardMember, app_id)
    if member is None or member.source != Source.PERSONAL or not await orgs.covers(session, caller, None):
        raise NotFound("个人办卡申请")
    queued = (await session.exec(select(PendingCard).where(PendingCard.member_id == app_id))).first()
    last = (
        await session.exec(
            select(BatchCard)
            .where(BatchCard.member_id == app_id)
            .order_by(col(BatchCard.answered_at).desc().nulls_first())
        )
    ).first()
    if queued is not None:
        stage, reason = _STAGES.get(CheckState(queued.check_state), queued.check_state), queued.check_reason or None
    elif last is not None:
        stage, reason = _OUTCOME_STAGES.get(last.outcome, last.outcome), last.reason
    else:
        stage, reason = "已移除", member.card_note
    return PersonalApplication(
        id=app_id, name=member.name, id_type=member.id_type, id_number=member.id_number_masked,
        phone=member.phone_masked, category=member.category, work_unit=member.work_unit,
        work_address=member.work_address, applied_at=member.applied_at, status=member.card_status, stage=stage,
        reason=reason, batch_no=member.batch_no or (last.batch_no if last else None),
        card_number=member.card_number_masked,
    )  # fmt: skip
