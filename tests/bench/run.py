"""`make bench`: run the benchmarks and keep their figures in docs/benchmarks.md.

    uv run python tests/bench/run.py [--scale small|city]

`small` is a quick check (about a minute); `city` (the default) is the real city's size and takes
several minutes. Each benchmark owns one section of docs/benchmarks.md, between its markers, and
rewrites only that section, so the figures of other benchmarks stay. Never part of `make test`:
nothing here is a timed assertion, and no file or function is named for pytest to collect.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

import cards_eligibility  # tests/bench is on sys.path: this script's own directory
import members_import
import org_workbench

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "benchmarks.md"
VAR = REPO / "var" / "bench"
HEADER = (
    "# Benchmarks\n\n"
    "Written by `make bench` (`tests/bench/run.py`); each benchmark rewrites its own section between its "
    "markers and leaves the others alone.\n"
)

BENCHMARKS = {
    "org-workbench": org_workbench,
    "members-import": members_import,
    "cards-eligibility": cards_eligibility,
}


def machine() -> str:
    return f"{os.cpu_count()} CPUs ({_cpu_model()}), {_ram_gib():.1f} GiB RAM, {platform.system()} {platform.release()}"


def load_average() -> str:
    """The 1- and 5-minute load averages: figures taken while other work runs are not comparable."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f}/{five:.2f}"


def _cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown CPU"
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "unknown CPU")


def _ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    return float("nan")


def with_section(doc: str, key: str, body: str) -> str:
    """`doc` with the section between this benchmark's markers replaced, or appended when new."""
    start, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    if start in doc and end in doc:
        before, rest = doc.split(start, 1)
        return before + block + rest.split(end, 1)[1]
    return doc.rstrip() + "\n\n" + block + "\n"


def write_section(key: str, body: str) -> None:
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    DOC.write_text(with_section(doc, key, body), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["small", "city"], default="city")
    parser.add_argument("--only", choices=list(BENCHMARKS), help="run one benchmark (default: all)")
    args = parser.parse_args()
    for key, benchmark in BENCHMARKS.items():
        if args.only and key != args.only:
            continue
        ran_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        VAR.mkdir(parents=True, exist_ok=True)
        before = load_average()
        report = asyncio.run(benchmark.run(args.scale, VAR))
        busy = f"load average {before} before, {load_average()} after (other work on the machine slows every figure)"
        header = f"## {report.title}\n\n{ran_at} · scale **{args.scale}** · {machine()} · {busy}"
        write_section(key, f"{header}\n\n{report.markdown}")
        print(report.summary)
    print(f"figures written to {DOC.relative_to(REPO)}")


if __name__ == "__main__":
    main()
