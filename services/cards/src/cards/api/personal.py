"""个人办卡: the API the 申工社 WeChat channel calls (a system/partner caller)."""

from __future__ import annotations

from fastapi import APIRouter

from runtime.db import Session
from runtime.tokens import Caller

from ..schemas import PersonalApplication, PersonalApplicationIn
from ..service import personal
from .deps import PARTNER, ClockDep, IdempotencyKey, SealKeys

router = APIRouter(prefix="/personal-applications", tags=["personal"])


@router.post("", response_model=PersonalApplication, status_code=201, dependencies=[PARTNER])
async def apply(
    data: PersonalApplicationIn,
    session: Session,
    caller: Caller,
    keys: SealKeys,
    clock: ClockDep,
    idempotency_key: IdempotencyKey = None,
) -> PersonalApplication:
    """A flexible-employment or outside-enterprise member applies; the row joins the personal queue."""
    app_id = await personal.apply(session, caller, keys, data, idempotency_key, (clock.today(), clock.now()))
    return await personal.get(session, caller, app_id)


@router.get("/{application_id}", response_model=PersonalApplication)
async def get_application(application_id: str, session: Session, caller: Caller) -> PersonalApplication:
    return await personal.get(session, caller, application_id)
