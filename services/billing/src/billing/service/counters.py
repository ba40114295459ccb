"""Per-day document numbers (PZ…, TK…, ZY…), drawn inside the caller's transaction."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from ..domain.numbers import Prefix, number

NEXT = sa.text(
    "INSERT INTO number_counter (prefix, day, last) VALUES (:prefix, :day, 1) "
    "ON CONFLICT (prefix, day) DO UPDATE SET last = number_counter.last + 1 RETURNING last"
)


async def next_number(session: AsyncSession, prefix: Prefix, day: date) -> str:
    seq = (await session.exec(NEXT, params={"prefix": prefix.value, "day": day})).scalar_one()  # type: ignore[call-overload]
    return number(prefix, day, int(seq))
