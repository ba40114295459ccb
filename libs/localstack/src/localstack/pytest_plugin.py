"""Fixtures for integration tests: a real PostgreSQL, a real broker, a service app driven in-process."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from . import Postgres, Tansu, free_port, start_postgres, start_tansu


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Postgres:
    return start_postgres(tmp_path_factory.mktemp("pg"))


@pytest.fixture(scope="session")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tansu]:
    broker = start_tansu(free_port(), tmp_path_factory.mktemp("tansu") / "tansu.log")
    yield broker
    broker.stop()


@pytest.fixture
async def database(postgres: Postgres) -> str:
    """A new, empty database for one test."""
    return await postgres.ensure_database(f"t_{uuid.uuid4().hex[:12]}", fresh=True)


@asynccontextmanager
async def running(app):  # type: ignore[no-untyped-def]
    """Run an app's lifespan and give an httpx client on it (no network port)."""
    from httpx import ASGITransport, AsyncClient

    async with app.router.lifespan_context(app), AsyncClient(
        transport=ASGITransport(app), base_url="http://test"
    ) as client:
        yield client


def repo_root() -> Path:
    return Path(__file__).resolve().parents[4]


__all__ = ["running", "repo_root", "AsyncIterator"]
