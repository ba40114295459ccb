"""会员转移 (one or many) and 会籍审核管理 (requests in and out, approve or reject)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from runtime.db import Session
from runtime.tokens import Caller

from ..models import OrgChoice, Page, TransferCreate, TransferPublic, TransferReview
from ..service import members, orgs, transfers
from .deps import MANAGERS, VaultDep

router = APIRouter(prefix="/transfers", tags=["transfers"])


@router.post("", response_model=list[TransferPublic], status_code=201, dependencies=[MANAGERS])
async def request_transfer(data: TransferCreate, session: Session, caller: Caller) -> list[TransferPublic]:
    created = await transfers.request(session, caller, data)
    return [await transfers.get(session, caller, t.id) for t in created if t.id is not None]


@router.get("/default-target", response_model=OrgChoice)
async def default_target(session: Session, caller: Caller, member_id: str, district_id: int | None = None) -> OrgChoice:
    """What the transfer form shows first: the 临时工会 of the chosen (else the member's) district."""
    _, org = await members.get_in_scope(session, caller, member_id)
    temporary = await orgs.temporary_union(session, district_id or org.district_id)
    return OrgChoice.model_validate(temporary, from_attributes=True)


@router.get("", response_model=Page[TransferPublic])
async def list_transfers(
    session: Session,
    caller: Caller,
    direction: Literal["in", "out"] = "in",
    state: Annotated[str | None, Query(description="待审核 / 已通过 / 已驳回")] = None,
    member_name: str | None = None,
    batch_id: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> Page[TransferPublic]:
    f = transfers.TransferFilter(direction, state, member_name, batch_id)
    items, total = await transfers.search(session, caller, f, page, size)
    return Page(items=items, total=total, page=page, size=size)


@router.get("/{transfer_id}", response_model=TransferPublic)
async def get_transfer(transfer_id: int, session: Session, caller: Caller) -> TransferPublic:
    return await transfers.get(session, caller, transfer_id)


@router.post("/{transfer_id}/approve", response_model=TransferPublic, dependencies=[MANAGERS])
async def approve_transfer(
    transfer_id: int, session: Session, caller: Caller, vault: VaultDep, data: TransferReview | None = None
) -> TransferPublic:
    await transfers.approve(session, caller, vault, transfer_id, data.note if data else None)
    return await transfers.get(session, caller, transfer_id)


@router.post("/{transfer_id}/reject", response_model=TransferPublic, dependencies=[MANAGERS])
async def reject_transfer(transfer_id: int, data: TransferReview, session: Session, caller: Caller) -> TransferPublic:
    await transfers.reject(session, caller, transfer_id, data.note)
    return await transfers.get(session, caller, transfer_id)
