"""aggregates_by_state{aggregate="enrollment.batch"}: enrollment batches per state, counted by
runtime.state_gauge every ENROLLMENT_STATE_SCAN_SECONDS."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.state_gauge import StateCount, count_by

from ..domain.batches import BatchState
from ..models import Batch


async def batches(session: AsyncSession) -> dict[str, int]:
    return await count_by(session, Batch.state, BatchState)


STATE_COUNTS: Mapping[str, StateCount] = {"enrollment.batch": batches}
