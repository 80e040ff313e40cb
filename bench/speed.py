"""Benchmark: ``check -j N`` against ``-j 1``, a second run after one more migration, xdist.

Run from the project root:

    .venv/bin/python bench/speed.py jobs          # db/: -j 1 and -j 2, alternated, 3 rounds
    .venv/bin/python bench/speed.py model         # db/: -j 2 on an idle machine, from CPU times
    .venv/bin/python bench/speed.py incremental   # a 200-step history, then one more step
    .venv/bin/python bench/speed.py plugin        # db/ under pytest: -n 0 and -n 2, alternated

Every figure times a whole ``python -m migration_harness check`` child process: wall clock
(``time.perf_counter`` around it) and CPU (user + system of the child and its workers,
from ``resource.getrusage(RUSAGE_CHILDREN)``). On a shared machine wall time is inflated
by other processes; the load average before and after each figure is printed so a
spoiled measurement can be told apart. Nothing in the repository is written: the sets are
copied to (or generated in) a temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.histories import step, write_history  # noqa: E402


def run_check(folder: Path, *args: str) -> tuple[float, float, int]:
    """Wall and CPU seconds of one ``check`` child process, and its exit status."""
    command = [sys.executable, "-m", "migration_harness", "check", str(folder), *args]
    return timed(command, folder.parent, f"check {' '.join(args)}", os.environ.copy())


def timed(
    command: list[str], cwd: Path, what: str, env: dict[str, str]
) -> tuple[float, float, int]:
    """Wall and CPU seconds of one child process (its own children included), and its status.

    Exit statuses 0 and 1 (clean, findings) are results; any other ends the benchmark with
    the tail of the child's output.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        output = (done.stdout + done.stderr)[-2000:]
        sys.exit(f"{what} failed ({done.returncode}):\n{output}")
    return wall, cpu, done.returncode


def load() -> str:
    """The 1-minute load average, for the record."""
    return f"{os.getloadavg()[0]:.2f}"


def jobs(rounds: int, profile: str) -> None:
    """``-j 1`` and ``-j 2`` on a copy of ``db/``, alternated so both see the same load."""
    print(f"# check db/ --profile {profile}: -j 1 vs -j 2, {rounds} rounds, cores {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(ROOT / "db", Path(tmp) / "db"))
        base = ["--profile", profile, "--no-cache", "--no-regressions"]
        run_check(folder, *base, "-j", "1")  # warm-up: imports, .hypothesis/
        figures: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
        for i in range(rounds):
            for j in (1, 2) if i % 2 == 0 else (2, 1):
                start_load = load()
                wall, cpu, _ = run_check(folder, *base, "-j", str(j))
                figures[j].append((wall, cpu))
                print(
                    f"  round {i + 1} -j {j}: wall {wall:6.2f} s  CPU {cpu:6.2f} s  "
                    f"(load {start_load} -> {load()})"
                )
    one = statistics.median(w for w, _ in figures[1])
    two = statistics.median(w for w, _ in figures[2])
    print(f"median wall: -j 1 {one:.2f} s, -j 2 {two:.2f} s: -j 2 is {one / two:.2f}x faster")


def model(profile: str, workers: int) -> None:
    """What ``-j N`` would take on an idle machine, from CPU times (immune to other load).

    The units' CPU times are measured one by one in this process; the rest of a whole
    ``check -j 1`` process (imports, lint, build, report) is its CPU time minus their
    sum. The workers are then simulated as the pool runs them: the fuzzer first, then
    each unit to the first worker free. Forking and pickling results are left out (a few
    milliseconds a unit).
    """
    from migration_harness.checks.engine import Engine
    from migration_harness.checks.parallel import STATEFUL
    from migration_harness.checks.profiles import profile_seed, profile_settings
    from migration_harness.checks.properties import CHECKS
    from migration_harness.checks.run import _describe_files, _run_unit, _units
    from migration_harness.cli.common import load as load_set

    print(f"# model of check db/ --profile {profile} -j {workers} from CPU times")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(ROOT / "db", Path(tmp) / "db"))
        base = ["--profile", profile, "--no-cache", "--no-regressions", "-j", "1"]
        run_check(folder, *base)  # warm-up
        whole = statistics.median(run_check(folder, *base)[1] for _ in range(3))
        mset, target = load_set(folder, None, None, None, None, "sqlite3")
        settings = profile_settings(profile)
        engine = Engine(mset, target, settings=settings, seed=profile_seed(profile))
        _describe_files(engine)
        units = _units(engine, list(CHECKS), None)
        times = {}
        for unit in units:
            started = time.process_time()
            _run_unit(engine, unit)
            times[unit] = time.process_time() - started
    total = sum(times.values())
    serial = whole - total
    free = [0.0] * workers
    for unit in sorted(units, key=lambda u: u != STATEFUL):
        free[free.index(min(free))] += times[unit]
    parallel = serial + max(free)
    print(f"  whole -j 1 process CPU (median of 3): {whole:.2f} s")
    print(
        f"  units: {len(units)}, {total:.2f} s CPU (fuzzer {times[STATEFUL]:.2f} s); "
        f"outside the units: {serial:.2f} s"
    )
    print(f"  workers' loads: {', '.join(f'{w:.2f} s' for w in free)}")
    print(
        f"  idle-machine estimate: -j 1 {whole:.2f} s, -j {workers} {parallel:.2f} s: "
        f"{whole / parallel:.2f}x"
    )


def incremental(size: int, profile: str, workers: int) -> None:
    """A ``size``-step history checked once, then again after one more step (``--since``)."""
    print(f"# {size}-step golang-migrate history, --profile {profile}, -j {workers}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_history(Path(tmp) / "history", size, planted=False)
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
        subprocess.run(["git", "init", "-q", str(folder)], check=True)
        subprocess.run([*git, "-C", str(folder), "add", "."], check=True)
        subprocess.run([*git, "-C", str(folder), "commit", "-qm", "history"], check=True)
        base = ["--profile", profile, "--no-regressions", "-j", str(workers)]
        rows = []
        first = run_check(folder, *base)
        rows.append(("first run (cold cache, every migration judged)", first, load()))
        up, down = step(size + 1, planted=False)
        (folder / f"{size + 1:06d}_step_{size + 1}.up.sql").write_text(up)
        (folder / f"{size + 1:06d}_step_{size + 1}.down.sql").write_text(down)
        cached = run_check(folder, *base, "--since", "HEAD")
        rows.append(("+1 migration, --since HEAD, cache", cached, load()))
        cold = run_check(folder, *base, "--since", "HEAD", "--no-cache")
        rows.append(("+1 migration, --since HEAD, --no-cache", cold, load()))
        for name, (wall, cpu, _), end_load in rows:
            print(
                f"  {name:48} wall {wall:7.2f} s  CPU {cpu:7.2f} s  "
                f"{wall / first[0]:6.1%} of the first (load {end_load})"
            )


PYTEST = ["-q", "-p", "no:randomly", "-p", "no:cacheprovider"]


def run_pytest(folder: Path, *args: str, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall and CPU seconds of one ``pytest`` child process (xdist workers included)."""
    command = [sys.executable, "-m", "pytest", *PYTEST, *args]
    return timed(command, folder, f"pytest {' '.join(args)}", env)


def plugin(rounds: int, profile: str, workers: int, bytecode: bool) -> None:
    """The plugin on a copy of ``db/``: ``-n 0`` and ``-n N``, alternated, same load.

    The folder holds ``db/`` and a ``pyproject.toml`` configuring it (``applied =
    "untracked"``, as ``db/``'s own table says). ``bytecode`` lets the children write
    ``__pycache__`` (pytest's rewritten modules among them): without it, an environment
    with ``PYTHONDONTWRITEBYTECODE`` set recompiles every plugin's modules in every
    process, which is most of what each xdist worker costs on top of ``-n 0``.
    """
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    shown = env.get("PYTHONDONTWRITEBYTECODE", "unset")
    print(
        f"# pytest --migration-profile {profile}: -n 0 vs -n {workers}, {rounds} rounds, "
        f"cores {os.cpu_count()}, PYTHONDONTWRITEBYTECODE={shown}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(ROOT / "db", folder / "db")
        (folder / "pyproject.toml").write_text(
            '[tool.migration-harness]\nmigrations = "db"\napplied = "untracked"\n'
        )
        base = ["--migration-profile", profile]
        run_pytest(folder, *base, "-n", "0", env=env)  # warm-up: .hypothesis/, caches
        figures: dict[int, list[tuple[float, float]]] = {0: [], workers: []}
        for i in range(rounds):
            for n in (0, workers) if i % 2 == 0 else (workers, 0):
                start_load = load()
                wall, cpu, _ = run_pytest(folder, *base, "-n", str(n), env=env)
                figures[n].append((wall, cpu))
                print(
                    f"  round {i + 1} -n {n}: wall {wall:6.2f} s  CPU {cpu:6.2f} s  "
                    f"(load {start_load} -> {load()})"
                )
    for n, runs in figures.items():
        print(
            f"  -n {n}: median wall {statistics.median(w for w, _ in runs):.2f} s, "
            f"median CPU {statistics.median(c for _, c in runs):.2f} s"
        )
    serial = statistics.median(w for w, _ in figures[0])
    parallel = statistics.median(w for w, _ in figures[workers])
    print(f"  -n {workers} is {serial / parallel:.2f}x as fast as -n 0 (median wall)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=["jobs", "model", "incremental", "plugin"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--profile", default="ci")
    parser.add_argument(
        "-j", "--jobs", type=int, default=None, help="workers (1; model, plugin: 2)"
    )
    parser.add_argument(
        "--bytecode",
        action="store_true",
        help="plugin: let the children write __pycache__ (unset PYTHONDONTWRITEBYTECODE)",
    )
    args = parser.parse_args()
    print(f"# load average at start: {load()}")
    if args.scenario == "jobs":
        jobs(args.rounds, args.profile)
    elif args.scenario == "model":
        model(args.profile, args.jobs or 2)
    elif args.scenario == "plugin":
        plugin(args.rounds, args.profile, args.jobs or 2, args.bytecode)
    else:
        incremental(args.size, args.profile, args.jobs or 1)
    print(f"# load average at end: {load()}")


if __name__ == "__main__":
    main()
