"""aggregates_by_state{aggregate="enrollment.batch"}: member-basic batches per state, and
{aggregate="enrollment.mutual_aid_batch"}: mutual-aid batches per 参保状态, counted by runtime.state_gauge every
ENROLLMENT_STATE_SCAN_SECONDS."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.state_gauge import StateCount, count_by

from ..domain.batches import BatchState
from ..domain.mutual_aid.batch import BatchStatus
from ..models import Batch, MutualAidBatch


async def batches(session: AsyncSession) -> dict[str, int]:
    return await count_by(session, Batch.state, BatchState)


async def mutual_aid_batches(session: AsyncSession) -> dict[str, int]:
    return await count_by(session, MutualAidBatch.status, BatchStatus)


STATE_COUNTS: Mapping[str, StateCount] = {
    "enrollment.batch": batches,
    "enrollment.mutual_aid_batch": mutual_aid_batches,
}
