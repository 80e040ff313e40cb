"""Side by side with pytest-alembic and pytest-mrt on the same SQL, in pytest-mrt's format.

For each length N (``--sizes``, default 10, 50, 100) this writes, in a temporary folder,
``bench/histories.py``'s clean history twice: as the golang-migrate files the harness
checks, and as an Alembic project whose revision i runs step i's statements with
``op.execute`` (``bench/alembic_project.py``). Then it times, as whole child processes:

- ``python -m migration_harness check DIR --profile P -j 1 --no-cache --no-regressions
  --foreign-keys on`` for each profile of ``--profiles`` (default ``ci,dev``): golang-migrate's
  SQLite driver leaves foreign keys off unless the DSN asks, and the Alembic project turns
  them on, so both sides run the SQL under the same enforcement;
- ``pytest --test-alembic`` with pytest-alembic's four default tests;
- ``pytest`` with pytest-mrt's six default tests (``MRTConfig`` in a conftest).

Each figure is wall clock (``time.perf_counter``) and CPU (user + system of the child,
from ``resource.getrusage(RUSAGE_CHILDREN)``), the median of ``--rounds`` rounds; the
tools' order rotates each round so they meet the same load, and the load average is
printed around every run. Every child runs with ``PYTHONDONTWRITEBYTECODE=1``, so each
round compiles the generated revisions as a fresh CI checkout would.

The peers run from their own virtual environment, never the project's (they are not
dependencies of the harness). One-line setup (pytest-alembic 0.13.1 fails to collect
under pytest 9, hence the pin):

    python3 -m venv /tmp/peers-venv && /tmp/peers-venv/bin/pip install \
        pytest-alembic==0.13.1 pytest-mrt==1.9.1 'pytest>=8,<9'

Run from the project root:

    .venv/bin/python bench/peers.py [--sizes 10,50,100] [--rounds 3] [--profiles ci,dev]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.alembic_project import write_project  # noqa: E402
from bench.histories import write_history  # noqa: E402

SETUP = (
    "python3 -m venv /tmp/peers-venv && /tmp/peers-venv/bin/pip install "
    "pytest-alembic==0.13.1 pytest-mrt==1.9.1 'pytest>=8,<9'"
)
PEER_PROBE = (
    "import pytest, pytest_alembic, pytest_mrt\n"
    "assert int(pytest.__version__.split('.')[0]) < 9, 'pytest ' + pytest.__version__"
)
TIMEOUT = 3600


@dataclass(frozen=True, slots=True)
class Tool:
    """One command to time, and how to say what one run of it checked."""

    name: str
    command: Callable[[Path], tuple[list[str], Path]]  # case folder -> (argv, cwd)
    describe: Callable[[Path, int], str]  # case folder, N -> what the last run checked
    prepare: Callable[[Path], None] = lambda _case: None


@dataclass(slots=True)
class Runs:
    """The timed runs of one tool at one length."""

    wall: list[float]
    cpu: list[float]
    statuses: list[int]
    checked: str = ""


def timed(argv: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of one child process, and its exit status."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        argv,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=TIMEOUT,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def load() -> str:
    """The one-minute load average, for the log."""
    return f"{os.getloadavg()[0]:.2f}"


def junit_counts(path: Path) -> str:
    """``passed/failed/errors/skipped`` and the failing tests' names from a JUnit XML file."""
    if not path.exists():
        return "no report (pytest did not get to write one)"
    suite = ET.parse(path).getroot()
    if suite.tag == "testsuites":
        suite = suite[0]
    tests, skipped = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
    failed, errors = int(suite.get("failures", 0)), int(suite.get("errors", 0))
    passed = tests - skipped - failed - errors
    bad = [
        case.get("name", "?")
        for case in suite.iter("testcase")
        if case.find("failure") is not None or case.find("error") is not None
    ]
    text = f"{passed} passed, {failed} failed, {errors} errors, {skipped} skipped"
    return text + (f" (failing: {', '.join(bad)})" if bad else "")


def ours(profile: str) -> Tool:
    """The harness's ``check`` under ``profile``, one process, no cache, nothing written."""

    def command(case: Path) -> tuple[list[str], Path]:
        argv = [sys.executable, "-m", "migration_harness", "check", str(case / "ours")]
        argv += ["--profile", profile, "-j", "1", "--no-cache", "--no-regressions"]
        argv += ["--foreign-keys", "on"]  # as the Alembic project's env.py runs them
        return [*argv, "--json", str(case / f"ours-{profile}.json")], ROOT

    def describe(case: Path, size: int) -> str:
        report = json.loads((case / f"ours-{profile}.json").read_text(encoding="utf-8"))
        stats = report["stats"]
        return (
            f"{len(report['findings'])} findings; {size} migrations x 6 per-migration "
            f"checks + the stateful history fuzzer; {stats['examples']:,} Hypothesis "
            f"examples, {stats['rows_inserted']:,} generated rows inserted "
            f"(target {report['target']}, foreign keys "
            f"{'on' if report['foreign_keys'] else 'off'})"
        )

    return Tool(f"migration-harness `check --profile {profile} -j 1`", command, describe)


def pytest_alembic(python: Path) -> Tool:
    """pytest-alembic's default tests (``--test-alembic``) on the generated project."""

    def command(case: Path) -> tuple[list[str], Path]:
        argv = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:mrt"]
        return [*argv, "--test-alembic", f"--junitxml={case / 'pa.xml'}"], case / "pa"

    def describe(case: Path, size: int) -> str:
        return (
            f"{junit_counts(case / 'pa.xml')}: single head; upgrade base->head; models "
            f"match the DDL (autogenerate against {size} tables); up/down consistency "
            f"(each of {size} revisions up one by one, down one by one, up again); no data"
        )

    return Tool("pytest-alembic (default tests)", command, describe)


def pytest_mrt(python: Path) -> Tool:
    """pytest-mrt's default tests (its plugin, ``MRTConfig`` in ``conftest.py``)."""

    def command(case: Path) -> tuple[list[str], Path]:
        argv = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        return [*argv, "-p", "no:pytest_alembic", f"--junitxml={case / 'mrt.xml'}"], case / "mrt"

    def prepare(case: Path) -> None:
        (case / "mrt" / "mrt.db").unlink(missing_ok=True)

    def describe(case: Path, size: int) -> str:
        seeded = mrt_rows(case / "mrt" / "mrt.db", size)
        return (
            f"{junit_counts(case / 'mrt.xml')}: single head; upgrade; downgrade base and "
            f"up again; per revision: seed 3 rows into each existing table, up, down, "
            f"compare schema and rows ({seeded} rows seeded in all); static scan of "
            f"{size} files; models match"
        )

    return Tool("pytest-mrt (default tests)", command, describe, prepare)


def mrt_rows(db: Path, size: int) -> str:
    """Rows pytest-mrt seeded: the rows left in t0001.. less each step's own seed row.

    Its round trips leave the seeded rows in place (a revision drops only the table it
    created, which did not exist when the rows were seeded), so they can be counted after.
    """
    if not db.exists():
        return "?"
    names = [f"t{i:04d}" for i in range(1, size + 1)]
    with closing(sqlite3.connect(db)) as connection:
        total = sum(connection.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names)
    return f"{total - size:,}"


def fail(message: str) -> NoReturn:
    """Print a one-line error and exit 2 (bad set-up), as the harness's CLI does."""
    print(f"peers.py: {message}", file=sys.stderr)
    raise SystemExit(2)


def check_peers(venv: Path) -> Path:
    """The peer venv's python, or exit 2 naming the setup command."""
    python = venv / "bin" / "python"
    if not python.exists():
        fail(f"{venv}: no peer virtual environment (set it up with: {SETUP})")
    probe = subprocess.run(
        [str(python), "-c", PEER_PROBE], capture_output=True, text=True, check=False
    )
    if probe.returncode:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        fail(f"{venv}: peers not usable ({last}); set up with: {SETUP}")
    return python


def measure(case: Path, size: int, tools: list[Tool], rounds: int) -> dict[str, Runs]:
    """Time every tool ``rounds`` times on one length, rotating their order each round."""
    runs = {tool.name: Runs([], [], []) for tool in tools}
    for r in range(rounds):
        for tool in tools[r % len(tools) :] + tools[: r % len(tools)]:
            tool.prepare(case)
            argv, cwd = tool.command(case)
            started_load = load()
            wall, cpu, status = timed(argv, cwd)
            entry = runs[tool.name]
            entry.wall.append(wall)
            entry.cpu.append(cpu)
            entry.statuses.append(status)
            entry.checked = tool.describe(case, size)
            print(
                f"  N={size} round {r + 1}: {tool.name}: wall {wall:.2f} s, CPU {cpu:.2f} s, "
                f"exit {status} (load {started_load} -> {load()})",
                flush=True,
            )
    return runs


def table(sizes: list[int], results: dict[int, dict[str, Runs]], metric: str) -> str:
    """A markdown table in pytest-mrt's format: one row per tool, total seconds per N."""
    names = list(results[sizes[0]])
    lines = ["| " + " | ".join(["", *(f"{n} migrations" for n in sizes)]) + " |"]
    lines.append("|---|" + "---:|" * len(sizes))
    for name in names:
        cells = [f"{statistics.median(getattr(results[n][name], metric)):.2f}" for n in sizes]
        lines.append("| " + " | ".join([name, *cells]) + " |")
    return "\n".join(lines)


def main() -> None:
    """Parse options, generate each length's cases, time the tools, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,50,100")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profiles", default="ci,dev", help="our profiles, comma-separated")
    parser.add_argument("--peer-venv", type=Path, default=Path("/tmp/peers-venv"))
    args = parser.parse_args()
    python = check_peers(args.peer_venv)
    sizes = [int(s) for s in args.sizes.split(",")]
    tools = [ours(p) for p in args.profiles.split(",") if p]
    tools += [pytest_alembic(python), pytest_mrt(python)]
    first = load()
    print(f"load average at start: {os.getloadavg()}", flush=True)
    results: dict[int, dict[str, Runs]] = {}
    with tempfile.TemporaryDirectory(prefix="mh-peers-") as tmp:
        for size in sizes:
            case = Path(tmp) / f"n{size}"
            write_history(case / "ours" / "migrations", size, planted=False)
            write_project(case, size)
            results[size] = measure(case, size, tools, args.rounds)
    print(f"\nload average: {first} at start, {load()} at the end ({os.getloadavg()})")
    print(f"\nWall seconds, whole process, median of {args.rounds} rounds:\n")
    print(table(sizes, results, "wall"))
    print(f"\nCPU seconds (user + system) of the child, median of {args.rounds} rounds:\n")
    print(table(sizes, results, "cpu"))
    print("\nWhat each run checked (last round):\n")
    for size in sizes:
        for name, entry in results[size].items():
            statuses = ",".join(str(s) for s in entry.statuses)
            print(f"- N={size}, {name} (exit {statuses}): {entry.checked}")


if __name__ == "__main__":
    main()
