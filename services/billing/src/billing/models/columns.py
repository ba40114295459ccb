"""Column helpers shared by the tables: timestamps with time zone, money as BIGINT fen."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Column


def timestamp(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(sa.DateTime(timezone=True), nullable=nullable, server_default=None if nullable else sa.func.now())


def fen() -> Column:  # type: ignore[type-arg]
    """A city-wide batch can exceed 2^31 fen (21 million yuan)."""
    return Column(sa.BigInteger, nullable=False, server_default="0")


def now() -> datetime:
    return datetime.now(UTC)
