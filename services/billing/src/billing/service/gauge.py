"""aggregates_by_state{aggregate="billing.payable"}: payables per status (缴费状态), counted by
runtime.state_gauge every BILLING_STATE_SCAN_SECONDS."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from runtime.state_gauge import StateCount

from ..domain.payables import PayableState, PayableStatus, status
from ..models import Payable


async def count(session: AsyncSession) -> dict[str, int]:
    # The status a clerk sees is derived from the state and the voucher sums, so count per combination.
    paid, pending = col(Payable.paid_fen) > 0, col(Payable.pending_fen) > 0
    rows = await session.exec(
        select(Payable.state, paid, pending, func.count()).group_by(col(Payable.state), paid, pending)
    )
    counts = dict.fromkeys((s.value for s in PayableStatus), 0)
    for state, paid_any, pending_any, n in rows:
        counts[status(PayableState(state), int(paid_any), int(pending_any)).value] += int(n)
    return counts


STATE_COUNTS: Mapping[str, StateCount] = {"billing.payable": count}
