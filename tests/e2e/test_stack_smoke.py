"""The runner end to end: on an empty var dir `tools/run.py` starts the stack (embedded PostgreSQL,
Tansu, every service), loads the demo city, serves it, and on SIGINT stops everything it started."""

from __future__ import annotations

import importlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from localstack import port_open
from runtime.tokens import Principal, Tier, issue

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
SECRET = "e2e-secret-0123456789-0123456789-abcdef"
CAPTCHA = "E2E7"
CONFIGURED = ("POSTGRES_URL", "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_IDEMPOTENT", "INTERNAL_TOKEN_SECRET")


def tool(name: str) -> ModuleType:
    """tools/ holds scripts, not a package: import one by its file name."""
    if str(REPO / "tools") not in sys.path:
        sys.path.insert(0, str(REPO / "tools"))
    return importlib.import_module(name)


runner = tool("run")


def free_offset() -> int:
    """A port offset (from 1000 up) where no port of the stack is taken."""
    for offset in range(1000, 3000, 100):
        ports = [runner.KAFKA_PORT, *(s.port for s in runner.SERVICES)]
        if not any(port_open("127.0.0.1", p + offset) for p in ports):
            return offset
    raise RuntimeError("no free port offset")


class RunnerProcess:
    """`tools/run.py` in its own session, its output collected on a thread."""

    def __init__(self, var_dir: Path, offset: int) -> None:
        env = {k: v for k, v in os.environ.items() if k not in CONFIGURED and not k.endswith("_DATABASE_URL")}
        env |= {"INTERNAL_TOKEN_SECRET": SECRET, "PYTHONUNBUFFERED": "1", "GATEWAY_CAPTCHA_FIXED_CODE": CAPTCHA}
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "tools" / "run.py"), "--var-dir", str(var_dir), "--port-offset", str(offset)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if any(text in line for line in self.lines):
                return True
            time.sleep(0.2)
        return any(text in line for line in self.lines)

    def pids(self) -> dict[str, int]:
        line = next(line for line in self.lines if "进程 PID:" in line)
        return {name: int(pid) for name, pid in re.findall(r"(\w+)=(\d+)", line)}

    def interrupt(self, timeout: float) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in command and alive(int(cmdline.parent.name)):
            found.append(command)
    return found


def system_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {issue(SECRET, Principal(user_id='e2e', tier=Tier.SYSTEM))}"}


def check_demo_city(org_url: str) -> None:
    with httpx.Client(base_url=org_url, headers=system_headers(), timeout=10) as http:
        tree = http.get("/orgs", params={"size": 200}).json()
        kinds = [o["kind"] for o in tree["items"]]
        bureaus, temporary = kinds.count("区局（产业）工会"), kinds.count("临时工会")
        assert bureaus >= 4 and temporary == bureaus
        assert tree["total"] >= 1 + bureaus + temporary
        assert tree["total"] == tool("demo_city").DEFAULT_SIZE
        root = next(o for o in tree["items"] if o["kind"] == "市总工会")
        assert root["name"] == "上海市总工会"
        stats = http.get(f"/orgs/{root['id']}/stats").json()
        assert stats["grassroots"] > 0 and stats["standalone"] > 0 and stats["covered_enterprises"] > 0


def check_demo_logins(gateway_url: str) -> None:
    """Each printed demo account logs in through the gateway and sees its own part of the tree."""
    for account, sees_city in (("shizong", True), ("quju", False)):
        with httpx.Client(base_url=gateway_url, timeout=10) as http:
            captcha = http.get("/api/captcha").json()
            me = http.post(
                "/api/auth/login",
                json={
                    "account": account,
                    "password": tool("demo_accounts").DEMO_PASSWORD,
                    "captcha_id": captcha["captcha_id"],
                    "captcha_code": CAPTCHA,
                },
            )
            assert me.status_code == 200, me.text
            assert "orgs" in me.json()["menus"]
            names = {
                o["name"]
                for o in http.get("/api/orgs", params={"size": 200, "kind": "区局（产业）工会"}).json()["items"]
            }
            assert ("徐汇区总工会" in names) is sees_city, (account, names)


def check_retiree_account(gateway_url: str) -> None:
    """The demo enterprise was loaded as last year's 退休住院计划 unit: its pre-issued account logs in with
    the initial password and must change it (the gateway issues it on hearing the unit, so wait)."""
    account = f"tuixiu{runner.DEMO_RETIREE_CODE}"
    deadline = time.monotonic() + 60
    with httpx.Client(base_url=gateway_url, timeout=10) as http:
        while True:
            captcha = http.get("/api/captcha").json()
            body = {"account": account, "password": "Txbz123456", "captcha_id": captcha["captcha_id"]}
            signed_in = http.post("/api/auth/login", json={**body, "captcha_code": CAPTCHA})
            if signed_in.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(5)  # a few tries only: failed logins count against the account's rate limit
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["must_change_password"] is True, signed_in.json()


def test_the_runner_starts_the_stack_serves_the_demo_city_and_stops_without_leftovers(tmp_path: Path) -> None:
    offset = free_offset()
    stack = RunnerProcess(tmp_path, offset)
    try:
        # Eight processes start, migrate and join their groups, then the demo city, roster and programmes load.
        assert stack.wait_for(runner.READY_MARK, timeout=420), stack.output
        pids = stack.pids()
        assert {"postgres", "tansu", *(s.name for s in runner.SERVICES)} <= set(pids), stack.output
        for service in runner.SERVICES:
            r = httpx.get(f"http://127.0.0.1:{service.port + offset}/readyz", timeout=5)
            assert r.status_code == 200, (service.name, r.text)
        check_demo_city(f"http://127.0.0.1:{runner.service_named('org').port + offset}")
        check_demo_logins(f"http://127.0.0.1:{runner.service_named('gateway').port + offset}")
        assert "演示账号" in stack.output and "quju" in stack.output
        check_retiree_account(f"http://127.0.0.1:{runner.service_named('gateway').port + offset}")
        assert f"tuixiu{runner.DEMO_RETIREE_CODE}" in stack.output

        assert stack.interrupt(timeout=60) == 0, stack.output
        assert "已全部停止" in stack.output
        assert not [name for name, pid in pids.items() if alive(pid)], stack.output
        assert not processes_mentioning(str(tmp_path))
        ports = [runner.KAFKA_PORT + offset, *(s.port + offset for s in runner.SERVICES)]
        assert not [p for p in ports if port_open("127.0.0.1", p)]
        assert (tmp_path / "demo-accounts").exists()
        assert (tmp_path / "demo-loaded").exists() and (tmp_path / "pg" / "PG_VERSION").exists()
    finally:
        stack.kill()
