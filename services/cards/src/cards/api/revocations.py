"""The district union's review of 撤销办卡批次申请."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from runtime.db import Session
from runtime.tokens import Caller

from ..domain.states import RevocationState
from ..schemas import Page, Revocation, RevocationRejection
from ..service import revocations
from .deps import MANAGERS, ClockDep

router = APIRouter(prefix="/revocations", tags=["revocations"])


@router.get("", response_model=Page[Revocation])
async def list_revocations(
    session: Session,
    caller: Caller,
    state: Annotated[RevocationState | None, Query(description="审核中 / 审核通过 / 审核不通过")] = None,
    batch_no: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[Revocation]:
    items, total = await revocations.search(session, caller, state, batch_no, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/{revocation_id}", response_model=Revocation)
async def get_revocation(revocation_id: int, session: Session, caller: Caller) -> Revocation:
    return await revocations.get(session, caller, revocation_id)


@router.post("/{revocation_id}/approve", response_model=Revocation, dependencies=[MANAGERS])
async def approve(revocation_id: int, session: Session, caller: Caller, clock: ClockDep) -> Revocation:
    """审核通过: the batch's unanswered members go back to 未办卡; cards.batch.revoked tells the bank."""
    await revocations.approve(session, caller, revocation_id, clock.now())
    return await revocations.get(session, caller, revocation_id)


@router.post("/{revocation_id}/reject", response_model=Revocation, dependencies=[MANAGERS])
async def reject(
    revocation_id: int, data: RevocationRejection, session: Session, caller: Caller, clock: ClockDep
) -> Revocation:
    """审核不通过 (with the reason): the members stay locked in the batch."""
    await revocations.reject(session, caller, revocation_id, data.reason, clock.now())
    return await revocations.get(session, caller, revocation_id)
