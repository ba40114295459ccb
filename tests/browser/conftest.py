"""Fixtures of the browser suite: one runner stack per session, headless Chromium, small UI helpers.

The stack is `tools/run.py` in a subprocess on a free port offset with a temporary var dir, started
the way `tests/e2e/test_stack_smoke.py` starts it (its helpers are reused) but with the real
captcha: the answer of each captcha the page fetched is read from Redis, as only a test can.
The runner is stopped (SIGTERM, as Ctrl-C) at the end of the session and nothing it started may be left.

Playwright's sync API marks its event loop as running between calls, so the browser lives for
one module only (pytest-asyncio's loop must be free for the async tests that may follow).
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import redis
from playwright.sync_api import Browser, Locator, Page, Playwright, Response, expect, sync_playwright

from runtime.tokens import Principal, Tier, issue

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SECRET = "browser-secret-0123456789-0123456789-abcdef"
READY_TIMEOUT = 240.0
STOP_TIMEOUT = 90.0
TIMEOUT_MS = 20_000


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


e2e = _load(REPO / "tests" / "e2e" / "test_stack_smoke.py", "e2e_stack_smoke_helpers")
runner = e2e.runner
PASSWORD = e2e.tool("demo_accounts").DEMO_PASSWORD


class BrowserStackProcess(e2e.RunnerProcess):
    """The e2e runner process, with the real captcha and this suite's own Redis key prefix."""

    def __init__(self, var_dir: Path, offset: int, redis_prefix: str) -> None:
        dropped = (*e2e.CONFIGURED, "GATEWAY_CAPTCHA_FIXED_CODE", "GATEWAY_REDIS_KEY_PREFIX")
        env = {k: v for k, v in os.environ.items() if k not in dropped and not k.endswith("_DATABASE_URL")}
        env |= {
            "INTERNAL_TOKEN_SECRET": SECRET,
            "PYTHONUNBUFFERED": "1",
            # A Redis already on :6379 (another `make run`, the e2e test) is shared: keep our keys apart.
            "GATEWAY_REDIS_KEY_PREFIX": redis_prefix,
            # Every login of the suite comes from 127.0.0.1 within a few minutes.
            "GATEWAY_LOGIN_RATE_PER_IP": "1000",
            "GATEWAY_CAPTCHA_RATE_PER_IP": "1000",
        }
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

    def stop(self, timeout: float) -> int:
        """SIGTERM, which the runner takes like Ctrl-C (SIGINT is ignored when pytest itself was
        started in the background by a shell without job control, and so in its children)."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)


class LoginRefused(AssertionError):
    pass


@dataclass
class Stack:
    gateway: str
    org: str
    bootstrap: str  # the runner's broker, for events a test plays as another system would send them
    redis: redis.Redis
    redis_prefix: str
    # what the tests did, by account: the actions the operation log must show
    journal: dict[str, set[str]] = field(default_factory=dict)

    def captcha_answer(self, captcha_id: str) -> str:
        answer = self.redis.get(f"{self.redis_prefix}captcha:{captcha_id}")
        assert answer, f"no captcha {captcha_id} in Redis"
        return str(answer)

    def org_api(self) -> httpx.Client:
        """The org service with a SYSTEM token, to check what the screens did."""
        token = issue(SECRET, Principal(user_id="browser-tests", tier=Tier.SYSTEM))
        return httpx.Client(base_url=self.org, headers={"Authorization": f"Bearer {token}"}, timeout=10)

    @contextlib.contextmanager
    def api_login(self, account: str, password: str = PASSWORD) -> Iterator[httpx.Client]:
        """A gateway session without a browser (set-up and clean-up)."""
        with httpx.Client(base_url=self.gateway, timeout=10) as http:
            captcha = http.get("/api/captcha").json()
            body = {
                "account": account,
                "password": password,
                "captcha_id": captcha["captcha_id"],
                "captcha_code": self.captcha_answer(captcha["captcha_id"]),
            }
            r = http.post("/api/auth/login", json=body)
            if r.status_code != 200:
                raise LoginRefused(f"login {account}: {r.status_code} {r.text}")
            yield http

    def note(self, account: str, *actions: str) -> None:
        self.journal.setdefault(account, set()).update(actions)


def _redis_url(output: str) -> str:
    found = re.search(r"Redis\s+(redis://\S+)", output)
    assert found, output
    return found.group(1)


def _bootstrap(output: str) -> str:
    found = re.search(r"Kafka\s+([\w.-]+:\d+)", output)
    assert found, output
    return found.group(1)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    var_dir = tmp_path_factory.mktemp("browser-stack")
    offset = e2e.free_offset()
    prefix = f"browser-{secrets.token_hex(4)}:"
    process = BrowserStackProcess(var_dir, offset, prefix)
    client: redis.Redis | None = None
    try:
        assert process.wait_for(runner.READY_MARK, timeout=READY_TIMEOUT), process.output
        pids = process.pids()
        client = redis.Redis.from_url(_redis_url(process.output), decode_responses=True)
        port = {s.name: s.port + offset for s in runner.SERVICES}
        yield Stack(
            gateway=f"http://127.0.0.1:{port['gateway']}",
            org=f"http://127.0.0.1:{port['org']}",
            bootstrap=_bootstrap(process.output),
            redis=client,
            redis_prefix=prefix,
        )
        assert process.stop(timeout=STOP_TIMEOUT) == 0, process.output
        assert "已全部停止" in process.output
        assert not [name for name, pid in pids.items() if e2e.alive(pid)], process.output
        assert not e2e.processes_mentioning(str(var_dir))
        ports = [runner.KAFKA_PORT + offset, *port.values()]
        assert not [p for p in ports if e2e.port_open("127.0.0.1", p)]
    finally:
        process.kill()
        if client is not None:
            for key in client.scan_iter(f"{prefix}*"):  # a shared Redis keeps nothing of ours
                client.delete(key)
            client.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    playwright: Playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts() -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()


class UI:
    """What a test does with the screens: pages in fresh contexts, login with the real captcha,
    Element Plus widgets, a screenshot per step."""

    PASSWORD = PASSWORD  # every demo login's
    LoginRefused = LoginRefused

    def __init__(self, stack: Stack, browser: Browser, test_name: str) -> None:
        self.stack = stack
        self.browser = browser
        # screenshot names: the first words of the test's name, and its parameter
        words, _, param = test_name.removeprefix("test_").partition("[")
        self.name = "-".join(words.split("_")[:2]) + (f"-{param.rstrip(']')}" if param else "")
        self.steps = itertools.count(1)
        self.contexts: list[Any] = []
        self.failed_calls: dict[Page, list[str]] = {}  # /api answers >= 400, per page
        self.page_errors: list[str] = []  # uncaught exceptions in any page: always a bug

    # --- pages and screenshots ---------------------------------------------------------------------

    def page(self) -> Page:
        """A page in a context of its own (its own cookies: one user each)."""
        context = self.browser.new_context(
            base_url=self.stack.gateway, viewport={"width": 1440, "height": 900}, locale="zh-CN"
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        failed = self.failed_calls.setdefault(page, [])

        def note(response: Response) -> None:
            if "/api/" in response.url and response.status >= 400:
                failed.append(f"{response.status} {response.request.method} {response.url}")

        page.on("response", note)
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        return page

    def shot(self, page: Page, step: str) -> Path:
        """A screenshot of the step, with transitions finished (dialogs fully shown)."""
        path = ARTIFACTS / f"{self.name}-{next(self.steps):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        return path

    def close(self) -> None:
        for context in self.contexts:
            context.close()

    # --- captcha and login -------------------------------------------------------------------------

    def with_captcha(self, page: Page, action: Callable[[], Any]) -> str:
        """Run `action` (which makes the page fetch a captcha), wait until that image is shown
        and return its answer from Redis."""
        with page.expect_response(lambda r: r.url.endswith("/api/captcha") and r.request.method == "GET") as info:
            action()
        captcha = info.value.json()
        # shown means the page took it: its id is the one it will send, its code field was cleared
        expect(page.locator('img[data-test="captcha-image"]')).to_have_attribute("src", captcha["image"])
        return self.stack.captcha_answer(captcha["captcha_id"])

    def open_login(self, page: Page) -> str:
        return self.with_captcha(page, lambda: page.goto("/login"))

    @staticmethod
    def fill_login(page: Page, account: str, password: str, code: str) -> None:
        page.locator('[data-test="login-account"]').fill(account)
        page.locator('[data-test="login-password"]').fill(password)
        page.locator('[data-test="login-captcha"]').fill(code)

    def refused_login(self, page: Page, account: str, password: str, code: str) -> tuple[Response, str]:
        """Send the login form expecting a refusal: the login answer and the answer of the captcha
        the page fetched after it (one image, one guess)."""
        self.fill_login(page, account, password, code)
        with page.expect_response("**/api/auth/login") as answer:
            next_code = self.with_captcha(page, lambda: page.locator('[data-test="login-submit"]').click())
        assert answer.value.status != 200
        return answer.value, next_code

    def login(self, page: Page, account: str, password: str = PASSWORD, code: str | None = None) -> None:
        """Log in through the login page (opened unless its captcha `code` is given); returns once
        the app has left it."""
        if code is None:
            code = self.open_login(page)
        self.fill_login(page, account, password, code)
        with page.expect_response("**/api/auth/login") as answer:
            page.locator('[data-test="login-submit"]').click()
        assert answer.value.status == 200, answer.value.text()
        expect(page).not_to_have_url(re.compile(r"/login"))

    # --- Element Plus ------------------------------------------------------------------------------

    @staticmethod
    def message(page: Page, kind: str = "success") -> Locator:
        """The newest ElMessage of a kind (success, error, warning)."""
        return page.locator(f".el-message--{kind} .el-message__content").last

    @staticmethod
    def confirm(page: Page) -> None:
        """Accept the ElMessageBox on screen."""
        box = page.locator(".el-message-box")
        expect(box).to_be_visible()
        box.locator(".el-message-box__btns .el-button--primary").click()
        expect(box).to_be_hidden()

    @staticmethod
    def rows(table: Locator) -> Locator:
        return table.locator(".el-table__body tr.el-table__row")

    @staticmethod
    def pick(page: Page, select: Locator, option: str, search: str | None = None) -> None:
        """Choose an option of an el-select (typing `search` first in a filterable/remote one)."""
        select.click()
        if search is not None:
            select.locator("input").fill(search)
        item = page.locator(".el-select-dropdown:visible .el-select-dropdown__item", has_text=option).first
        item.click()
        expect(page.locator(".el-select-dropdown:visible")).to_have_count(0)


@pytest.fixture
def ui(stack: Stack, browser: Browser, request: pytest.FixtureRequest) -> Iterator[UI]:
    helper = UI(stack, browser, request.node.name)
    try:
        yield helper
    finally:
        helper.close()
    assert not helper.page_errors, helper.page_errors
