"""Column helpers shared by the tables."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Column, SQLModel

# Enrollment's tables keep their own metadata (runtime.tables): members and cards also have `org_ref`.
ENROLLMENT = registry()


class EnrollmentTable(SQLModel, registry=ENROLLMENT):
    """Base of every enrollment table."""


def timestamp(nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(sa.DateTime(timezone=True), nullable=nullable, server_default=None if nullable else sa.func.now())


def now() -> datetime:
    return datetime.now(UTC)
