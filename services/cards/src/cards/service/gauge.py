"""aggregates_by_state for the business dashboard: card batches per state (cards.batch) and members'
cards per 办理状态 (cards.card), counted by runtime.state_gauge every CARDS_STATE_SCAN_SECONDS."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.state_gauge import StateCount, count_by

from ..domain.states import BatchState, CardStatus
from ..models import CardBatch, CardMember


async def batches(session: AsyncSession) -> dict[str, int]:
    return await count_by(session, CardBatch.state, BatchState)


async def cards(session: AsyncSession) -> dict[str, int]:
    return await count_by(session, CardMember.card_status, CardStatus)


STATE_COUNTS: Mapping[str, StateCount] = {"cards.batch": batches, "cards.card": cards}
