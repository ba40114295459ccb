"""Column helpers shared by the tables."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Column


def timestamp(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(sa.DateTime(timezone=True), nullable=nullable, server_default=None if nullable else sa.func.now())


def now() -> datetime:
    return datetime.now(UTC)
