"""The insurer's receiving accounts (在职 / 退休 / 会员专享) and each programme's category."""

from __future__ import annotations

from fastapi import APIRouter

from runtime.db import Session
from runtime.tokens import Caller

from ..domain.accounts import AccountCategory
from ..schemas import AccountIn, AccountOut, ProgrammeAccountIn, ProgrammeAccountOut
from ..service import accounts
from .deps import INSURER

router = APIRouter(tags=["accounts"])


@router.get("/accounts", response_model=list[AccountOut])
async def list_accounts(session: Session, _: Caller) -> list[AccountOut]:
    return await accounts.list_accounts(session)


@router.put("/accounts/{category}", response_model=AccountOut, dependencies=[INSURER])
async def put_account(category: AccountCategory, data: AccountIn, session: Session, caller: Caller) -> AccountOut:
    return await accounts.put_account(session, caller, category, data)


@router.get("/programme-accounts", response_model=list[ProgrammeAccountOut])
async def list_programme_accounts(session: Session, _: Caller) -> list[ProgrammeAccountOut]:
    return await accounts.list_programmes(session)


@router.put("/programme-accounts/{programme}", response_model=ProgrammeAccountOut, dependencies=[INSURER])
async def put_programme_account(
    programme: str, data: ProgrammeAccountIn, session: Session, caller: Caller
) -> ProgrammeAccountOut:
    return await accounts.put_programme(session, caller, programme, data.category)
