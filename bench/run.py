"""Benchmark: what the harness costs compared with the raw SQLite work it wraps.

Run from the project root:

    .venv/bin/python bench/run.py            # full run (~2-3 min on 2 cores)
    .venv/bin/python bench/run.py --quick    # fewer runs, no n=200 chain, no CLI run

Every figure is measured with ``time.perf_counter`` (wall clock) in this process, except
the one ``whole process`` line, which times a child ``python -m migration_harness check``. See
bench/README.md for what each figure means.

Nothing in the repository is written: synthetic chains and the copy of db/ used by the
CLI run live in a temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import hypothesis  # noqa: E402
from hypothesis import settings as hsettings  # noqa: E402

from bench.histories import write_history  # noqa: E402
from migration_harness.checks.engine import Engine  # noqa: E402
from migration_harness.checks.profiles import profile_settings, register_profiles  # noqa: E402
from migration_harness.checks.properties import CHECKS, PER_MIGRATION  # noqa: E402
from migration_harness.checks.run import check_set, run_checks  # noqa: E402
from migration_harness.report.findings import CheckRun  # noqa: E402
from migration_harness.sets import runner  # noqa: E402
from migration_harness.sets.discovery import MigrationSet, discover  # noqa: E402
from migration_harness.sets.targets import TARGETS  # noqa: E402

DB = ROOT / "db"
RATIO_GOAL = 3.0  # the aim: harness cost under 3x the raw SQLite work
SCALE_PROFILE = "bench-ci-scale"  # ci with a reduced max_examples, for the chains


# --- timing helpers --------------------------------------------------------------------


class SqliteClock:
    """Wall time spent inside SQLite during a ``with`` block, for the whole process.

    Every connection opened in the block (the harness opens its own) is a
    ``_TimedConnection``: statements, row fetches, (de)serialisation and close are timed.
    What is left of the block's wall time is the harness's own work (Hypothesis, row
    generation, comparisons). The wrappers add about a microsecond per call.
    """

    seconds = 0.0
    calls = 0

    def __enter__(self) -> SqliteClock:
        SqliteClock.seconds = 0.0
        SqliteClock.calls = 0
        self._connect = sqlite3.connect
        sqlite3.connect = partial(self._connect, factory=_TimedConnection)  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        sqlite3.connect = self._connect


def clocked_check(
    run: Callable[..., CheckRun], repeats: int
) -> tuple[CheckRun, float, float, float]:
    """``(run, wall s, CPU s, s inside SQLite)`` of ``run(seed=0)``: the median of
    ``repeats`` runs by wall time (the same seed does the same work each time; short runs
    are repeated so that one busy moment does not set the baseline of a growth factor).
    """
    results = []
    for _ in range(repeats):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        with SqliteClock():
            result = run(seed=0)
        wall = time.perf_counter() - wall0
        results.append((wall, time.process_time() - cpu0, SqliteClock.seconds, result))
    wall, cpu, in_sqlite, result = sorted(results, key=lambda r: r[0])[len(results) // 2]
    return result, wall, cpu, in_sqlite


def _clocked(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` with its wall time added to ``SqliteClock.seconds``."""

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(self, *args, **kwargs)
        finally:
            SqliteClock.seconds += time.perf_counter() - start
            SqliteClock.calls += 1

    return wrapper


class _TimedCursor(sqlite3.Cursor):
    """A cursor whose statements and row steps are timed (rows are stepped on fetch)."""

    execute = _clocked(sqlite3.Cursor.execute)
    executemany = _clocked(sqlite3.Cursor.executemany)
    executescript = _clocked(sqlite3.Cursor.executescript)
    fetchone = _clocked(sqlite3.Cursor.fetchone)
    fetchmany = _clocked(sqlite3.Cursor.fetchmany)
    fetchall = _clocked(sqlite3.Cursor.fetchall)
    __next__ = _clocked(sqlite3.Cursor.__next__)


class _TimedConnection(sqlite3.Connection):
    """A connection whose SQLite work is timed.

    ``Connection.execute`` makes a plain C cursor, whose row steps could not be timed:
    here it goes through a timed cursor, as the shortcut it is documented to be.
    """

    def cursor(self, factory: Any = _TimedCursor) -> Any:
        return super().cursor(factory)

    def execute(self, sql: str, parameters: Any = ()) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any) -> Any:
        return self.cursor().executemany(sql, parameters)

    def executescript(self, script: str) -> Any:
        return self.cursor().executescript(script)

    serialize = _clocked(sqlite3.Connection.serialize)
    deserialize = _clocked(sqlite3.Connection.deserialize)
    close = _clocked(sqlite3.Connection.close)
    commit = _clocked(sqlite3.Connection.commit)
    rollback = _clocked(sqlite3.Connection.rollback)


def timed(func: Callable[[], Any], runs: int, warmup: int = 1) -> list[float]:
    """Wall times (seconds) of ``runs`` calls after ``warmup`` untimed calls."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def med(times: Sequence[float]) -> float:
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], indent: str = "  ") -> None:
    """Print a plain fixed-width table (first column left-aligned, others right)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        rest = zip(row[1:], widths[1:], strict=True)
        parts = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in rest]
        return indent + "  ".join(parts)

    print(line(cells[0]))
    print(indent + "  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))


def heading(text: str) -> None:
    print()
    print(text)
    print("=" * len(text))


# --- raw SQLite (the reference) --------------------------------------------------------


def raw_connect() -> sqlite3.Connection:
    """Plain sqlite3, foreign keys on (as the d1 and sqlite targets run files)."""
    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def raw_apply_all(mset: MigrationSet) -> None:
    conn = raw_connect()
    for m in mset.migrations:
        conn.executescript(m.up_sql)
    conn.close()


def raw_snapshots(mset: MigrationSet) -> list[bytes]:
    """Images of versions 0..n built with plain executescript (outside any timing)."""
    conn = raw_connect()
    images = [b""]  # version 0 is an empty database (SQLite cannot serialize it)
    for m in mset.migrations:
        conn.executescript(m.up_sql)
        images.append(conn.serialize())
    conn.close()
    return images


def raw_round_trip(mset: MigrationSet, images: list[bytes]) -> None:
    """For each k: deserialize snapshot k, run rollback k, run up k again."""
    for k, m in enumerate(mset.migrations, start=1):
        conn = sqlite3.connect(":memory:")
        conn.deserialize(images[k])
        conn.execute("PRAGMA foreign_keys = ON")
        conn.executescript(m.down_sql or "")
        conn.executescript(m.up_sql)
        conn.close()


def master(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return sorted(
        conn.execute(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_master "
            "WHERE name NOT IN ('d1_migrations', 'migration_harness_checksums', 'sqlite_sequence')"
        ).fetchall()
    )


def raw_round_trip_verified(mset: MigrationSet, images: list[bytes]) -> bool:
    """The raw round trip does real work: rollback k gives k-1's schema, up k gives k's."""
    for k, m in enumerate(mset.migrations, start=1):
        conn = sqlite3.connect(":memory:")
        conn.deserialize(images[k])
        conn.execute("PRAGMA foreign_keys = ON")
        expected_after = master(conn)
        conn.executescript(m.down_sql or "")
        ref = sqlite3.connect(":memory:")
        if images[k - 1]:
            ref.deserialize(images[k - 1])
        same_down = [r[:2] for r in master(conn)] == [r[:2] for r in master(ref)]
        ref.close()
        conn.executescript(m.up_sql)
        same_up = [r[:2] for r in master(conn)] == [r[:2] for r in expected_after]
        conn.close()
        if not (same_down and same_up):
            return False
    return True


# --- the harness doing the same SQL work -----------------------------------------------


def harness_apply_all(mset: MigrationSet, target_name: str) -> None:
    target = TARGETS[target_name]
    conn = sqlite3.connect(":memory:", isolation_level=None)
    runner.prepare(conn, target)
    runner.ensure_tracking(conn)
    for m in mset.migrations:
        runner.apply(conn, m, target)
    conn.close()


def harness_round_trip(engine: Engine) -> None:
    """Engine-based: restore(k) + runner.rollback + runner.apply, for each k."""
    for k, m in enumerate(engine.migrations, start=1):
        conn = engine.restore(k)
        runner.rollback(conn, m, engine.target)
        runner.apply(conn, m, engine.target)
        conn.close()


def clear_split_caches() -> bool:
    """Forget the targets' per-file-text plan caches (for a "first time" apply figure)."""
    import migration_harness.sets.targets as targets

    cleared = False
    for name in ("_split", "d1_plan"):
        fn = getattr(targets, name, None)
        if fn is not None and hasattr(fn, "cache_clear"):
            fn.cache_clear()
            cleared = True
    return cleared


# --- section 1 + 2: raw vs harness on db/ ----------------------------------------------


def sql_cost_section(mset: MigrationSet, runs: int) -> list[tuple[str, float]]:
    n = len(mset.migrations)
    heading(
        f"1+2. Same SQL work, raw sqlite3 vs harness: db/ ({n} migrations, "
        f"median of {runs} runs, 1 warm-up)"
    )
    ratios: list[tuple[str, float]] = []

    raw_apply = timed(partial(raw_apply_all, mset), runs)
    images = raw_snapshots(mset)
    raw_rt = timed(partial(raw_round_trip, mset, images), runs)
    verified = raw_round_trip_verified(mset, images)

    rows: list[list[Any]] = []
    rows.append(
        [
            "raw: executescript all up files",
            ms(med(raw_apply)),
            ms(min(raw_apply)),
            ms(med(raw_apply) / n),
            "1.00x",
        ]
    )
    for tname in ("d1", "sqlite"):
        t = timed(partial(harness_apply_all, mset, tname), runs)
        ratio = med(t) / med(raw_apply)
        ratios.append((f"runner.apply x{n} ({tname})", ratio))
        rows.append(
            [
                f"harness: runner.apply all ({tname})",
                ms(med(t)),
                ms(min(t)),
                ms(med(t) / n),
                f"{ratio:.2f}x",
            ]
        )
    # "First time" a file text is seen: the targets cache split/plan per file text, so the
    # steady-state figures above skip statement splitting. Clearing the caches shows it.
    cold: list[float] = []
    for _ in range(runs):
        if not clear_split_caches():
            break
        start = time.perf_counter()
        harness_apply_all(mset, "d1")
        cold.append(time.perf_counter() - start)
    if cold:
        ratio = med(cold) / med(raw_apply)
        ratios.append((f"runner.apply x{n} (d1, plan caches cleared)", ratio))
        rows.append(
            [
                "harness: apply all (d1), plan cache cold",
                ms(med(cold)),
                ms(min(cold)),
                ms(med(cold) / n),
                f"{ratio:.2f}x",
            ]
        )

    rows.append(
        [
            "raw: round trip (deserialize k, down k, up k)",
            ms(med(raw_rt)),
            ms(min(raw_rt)),
            ms(med(raw_rt) / n),
            "1.00x",
        ]
    )
    for tname in ("d1", "sqlite"):
        engine = Engine(mset, TARGETS[tname], settings=profile_settings("ci"))
        t = timed(partial(harness_round_trip, engine), runs)
        ratio = med(t) / med(raw_rt)
        ratios.append((f"round trip x{n} ({tname})", ratio))
        rows.append(
            [
                f"harness: restore+rollback+apply ({tname})",
                ms(med(t)),
                ms(min(t)),
                ms(med(t) / n),
                f"{ratio:.2f}x",
            ]
        )
    table(
        ["operation (all migrations)", "median ms", "min ms", "ms/migration", "harness/raw"], rows
    )
    print(
        f"  raw round trip verified (rollback k == schema k-1, re-apply == schema k): "
        f"{'yes' if verified else 'NO'}"
    )
    over = [(name, r) for name, r in ratios if r > RATIO_GOAL]
    if over:
        for name, r in over:
            print(f"  ! {name}: {r:.2f}x raw, above the {RATIO_GOAL:.0f}x aim")
    else:
        print(
            f"  all harness/raw ratios are under the {RATIO_GOAL:.0f}x aim "
            f"(max {max(r for _, r in ratios):.2f}x)"
        )
    return ratios


# --- section 3: examples/s per check on db/ with ci ------------------------------------


def checks_section(mset: MigrationSet, check_set_runs: int, cli: bool) -> None:
    n = len(mset.migrations)
    heading(
        f"3. Checks on db/ with the ci profile (target d1, max_examples="
        f"{profile_settings('ci').max_examples})"
    )
    target = TARGETS["d1"]
    start = time.perf_counter()
    engine = Engine(mset, target, settings=profile_settings("ci"))
    build = time.perf_counter() - start
    print(
        f"  Engine build (apply {n} migrations once, snapshot each version): {build * 1000:.1f} ms"
    )
    rows: list[list[Any]] = []
    total = build
    for name, check in PER_MIGRATION.items():
        before = engine.stats.examples
        found = 0
        start = time.perf_counter()
        for k in range(1, len(engine.migrations) + 1):
            found += len(check(engine, k))
            if not engine.available(k):
                break
        seconds = time.perf_counter() - start
        total += seconds
        examples = engine.stats.examples - before
        rows.append(
            [
                name,
                examples,
                f"{seconds:.3f}",
                ms(seconds / n),
                f"{examples / seconds:.0f}" if examples else "-",
                ms(seconds / examples) if examples else "-",
                found,
            ]
        )
    for name in [c for c in CHECKS if c not in PER_MIGRATION]:
        before = engine.stats.examples
        start = time.perf_counter()
        found = len(run_checks(engine, checks=[name]))
        seconds = time.perf_counter() - start
        total += seconds
        examples = engine.stats.examples - before
        rows.append(
            [
                f"{name} (set-wide)",
                examples or "-",
                f"{seconds:.3f}",
                "-",
                f"{examples / seconds:.0f}" if examples else "-",
                ms(seconds / examples) if examples else "-",
                found,
            ]
        )
    table(
        ["check", "examples", "seconds", "ms/migration", "examples/s", "ms/example", "findings"],
        rows,
    )
    print(f"  sum of the above + Engine build: {total:.2f} s")

    times, cpu = [], []
    run = None
    for _ in range(check_set_runs):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        run = check_set(discover(DB), target, profile="ci")
        times.append(time.perf_counter() - wall0)
        cpu.append(time.process_time() - cpu0)
    assert run is not None
    print(f"  check_set(discover(db), TARGETS['d1'], profile='ci'), all checks {list(CHECKS)}:")
    print(
        f"    wall per run: {', '.join(f'{t:.2f}' for t in times)} s  -> median "
        f"{med(times):.2f} s ({med(times) / n * 1000:.0f} ms/migration); "
        f"CPU median {med(cpu):.2f} s"
    )
    print(
        f"    examples {run.stats.examples}, findings {len(run.findings)}, "
        f"rows inserted {run.stats.rows_inserted}, yield {run.stats.yield_rate:.3f}"
    )
    if run.findings:
        for f in run.findings[:5]:
            print(f"    finding: {f.kind} {f.migration}: {f.message}")
    if cli:
        cli_section()


def cli_section() -> None:
    """One whole-process run of the CLI (imports included) on a temporary copy of db/."""
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="mh-bench-cli-") as tmp:
        copy = Path(tmp) / "db"
        shutil.copytree(DB, copy)
        start = time.perf_counter()
        subprocess.run(
            [python, "-c", "import migration_harness.cli, migration_harness.checks.properties"],
            cwd=tmp,
            check=False,
            capture_output=True,
        )
        imports = time.perf_counter() - start
        help_text = subprocess.run(
            [python, "-m", "harness", "check", "--help"],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        cmd = [python, "-m", "harness", "check", str(copy), "--target", "d1", "--profile", "ci"]
        if "--no-regressions" in help_text:
            cmd.append("--no-regressions")
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, check=False)
        whole = time.perf_counter() - start
    print(
        f"  whole process: `python -m migration_harness check <copy of db> --target d1 "
        "--profile ci` "
        f"{whole:.2f} s (exit {proc.returncode}); python + harness imports alone "
        f"{imports:.2f} s"
    )


# --- section 4: synthetic chains -------------------------------------------------------

HUBS = 4


def synthetic_chain(n: int) -> list[tuple[str, str]]:
    """(up, rollback) SQL for a chain of ``n`` realistic, varied migrations.

    Migration i creates table t<i> (UNIQUE and CHECK columns, a default) with a foreign key
    to an earlier table (one of 4 hub tables, or the previous table every third step, so
    FK chains stay shallow as in real schemas) and an index on it; adds a column (4
    kinds, with CHECK/DEFAULT) to the previous table and indexes it; adds a composite
    index; and seeds two rows with INSERT OR IGNORE. The rollback undoes it exactly, in
    reverse (drop indexes, DROP COLUMN, drop the table).
    """
    out = []
    for i in range(1, n + 1):
        t = f"t{i:04d}"
        if i == 1:
            parent = None
        elif i <= HUBS:
            parent = "t0001"
        elif i % 3 == 0:
            parent = f"t{i - 1:04d}"
        else:
            parent = f"t{(i % HUBS) + 1:04d}"
        action = "CASCADE" if i % 2 else "SET NULL"
        fk = (
            f",\n    parent_id  INTEGER REFERENCES {parent}(id) ON DELETE {action}"
            if parent
            else ""
        )
        up = [
            f"-- Migration {i:04d}: synthetic step {i} (benchmark chain of {n})",
            f"CREATE TABLE IF NOT EXISTS {t} (\n"
            f"    id         INTEGER PRIMARY KEY,\n"
            f"    code       TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 40),\n"
            f"    label      TEXT NOT NULL DEFAULT '',\n"
            f"    amount     INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),\n"
            f"    created_at TEXT NOT NULL DEFAULT (datetime('now')){fk}\n);",
        ]
        if parent:
            up.append(f"CREATE INDEX IF NOT EXISTS idx_{t}_parent_id ON {t}(parent_id);")
        down = [f"-- Rollback {i:04d}"]
        if i > 1:
            prev = f"t{i - 1:04d}"
            col = ("note", "score", "flag", "ratio")[i % 4] + f"_{i:04d}"
            decl = (
                "TEXT",
                f"INTEGER NOT NULL DEFAULT 0 CHECK ({col} >= 0)",
                f"INTEGER NOT NULL DEFAULT 0 CHECK ({col} IN (0, 1))",
                "REAL",
            )[i % 4]
            up.append(f"ALTER TABLE {prev} ADD COLUMN {col} {decl};")
            up.append(f"CREATE INDEX IF NOT EXISTS idx_{prev}_{col} ON {prev}({col});")
            down += [
                f"DROP INDEX IF EXISTS idx_{prev}_{col};",
                f"ALTER TABLE {prev} DROP COLUMN {col};",
            ]
        up.append(f"CREATE INDEX IF NOT EXISTS idx_{t}_label_amount ON {t}(label, amount);")
        up.append(
            f"INSERT OR IGNORE INTO {t} (id, code, label) VALUES\n"
            f"    (1, 'seed-{i}-a', 'default'),\n    (2, 'seed-{i}-b', 'archived');"
        )
        down.append(f"DROP INDEX IF EXISTS idx_{t}_label_amount;")
        if parent:
            down.append(f"DROP INDEX IF EXISTS idx_{t}_parent_id;")
        down.append(f"DROP TABLE IF EXISTS {t};")
        out.append(("\n".join(up) + "\n", "\n".join(down) + "\n"))
    return out


def write_chain(root: Path, n: int) -> None:
    """Harness layout: migrations/NNNN_name.sql + rollbacks/NNNN_rollback.sql."""
    (root / "migrations").mkdir(parents=True)
    (root / "rollbacks").mkdir()
    for i, (up, down) in enumerate(synthetic_chain(n), start=1):
        (root / "migrations" / f"{i:04d}_step_{i:04d}.sql").write_text(up, encoding="utf-8")
        (root / "rollbacks" / f"{i:04d}_rollback.sql").write_text(down, encoding="utf-8")


def scaling_section(sizes: Sequence[int], sql_runs: int, max_examples: int, stateful: bool) -> None:
    register_profiles()
    hsettings.register_profile(
        SCALE_PROFILE, parent=profile_settings("ci"), max_examples=max_examples
    )
    heading(
        f"4. Linear scaling: synthetic chains of {', '.join(map(str, sizes))} "
        f"migrations (target d1)"
    )
    print(
        f"  check_set profile: '{SCALE_PROFILE}' = ci (seeded) "
        f"with max_examples={max_examples} instead of {profile_settings('ci').max_examples},"
    )
    print(
        "  the same budget for every size so time/migration is comparable; the per-migration"
        "\n  checks: the median of 3 runs for n <= 50, one run above."
    )
    set_wide = [c for c in CHECKS if c not in PER_MIGRATION and c != "stateful"]
    main_checks = [*PER_MIGRATION, *set_wide]
    has_stateful = "stateful" in CHECKS
    if has_stateful and stateful:
        print(
            f"  check_set is called twice per size: checks={main_checks}, then "
            "checks=['stateful'] (together: every check of CHECKS)"
        )
    else:
        print(
            f"  check_set checks={main_checks}"
            + (" (stateful skipped under --quick)" if has_stateful else "")
        )
    sql_rows: list[list[Any]] = []
    chk_rows: list[list[Any]] = []
    per_mig: dict[int, tuple[float, float, float, float, float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="mh-bench-chains-") as tmp:
        for n in sizes:
            root = Path(tmp) / f"chain_{n}"
            write_chain(root, n)
            mset = discover(root)
            assert mset.layout == "harness", mset.layout
            assert len(mset.migrations) == n
            runs = sql_runs if n <= 50 else max(3, sql_runs // 2)
            raw_apply = med(timed(partial(raw_apply_all, mset), runs))
            h_apply = med(timed(partial(harness_apply_all, mset, "d1"), runs))
            images = raw_snapshots(mset)
            raw_rt = med(timed(partial(raw_round_trip, mset, images), runs))
            start = time.perf_counter()
            engine = Engine(mset, TARGETS["d1"], settings=profile_settings(SCALE_PROFILE))
            build = time.perf_counter() - start
            h_rt = med(timed(partial(harness_round_trip, engine), runs))
            del engine
            sql_rows.append(
                [
                    n,
                    ms(raw_apply),
                    ms(raw_apply / n),
                    ms(h_apply),
                    ms(h_apply / n),
                    f"{h_apply / raw_apply:.2f}x",
                    ms(raw_rt / n),
                    ms(h_rt / n),
                    f"{h_rt / raw_rt:.2f}x",
                    f"{build:.2f}",
                ]
            )

            run, wall, cpu, in_sqlite = clocked_check(
                partial(check_set, mset, TARGETS["d1"], profile=SCALE_PROFILE, checks=main_checks),
                repeats=3 if n <= 50 else 1,
            )
            own = wall - in_sqlite
            ex = run.stats.examples
            findings = list(run.findings)
            s_wall = s_cpu = 0.0
            s_text = "skipped"
            if has_stateful and stateful:
                wall0, cpu0 = time.perf_counter(), time.process_time()
                srun = check_set(
                    mset, TARGETS["d1"], profile=SCALE_PROFILE, checks=["stateful"], seed=0
                )
                s_wall = time.perf_counter() - wall0
                s_cpu = time.process_time() - cpu0
                findings += srun.findings
                s_text = f"{s_wall:.2f}"
            per_mig[n] = (wall / n, raw_apply / n, raw_rt / n, h_rt / n, own / n, in_sqlite / n)
            kinds = sorted({f"{f.kind}({f.check})" for f in findings})
            chk_rows.append(
                [
                    n,
                    f"{wall:.2f}",
                    f"{cpu:.2f}",
                    ms(wall / n),
                    ex,
                    f"{ex / n:.1f}",
                    ms(wall / ex) if ex else "-",
                    f"{in_sqlite:.2f}",
                    f"{own:.2f}",
                    ms(own / n),
                    s_text,
                    f"{wall + s_wall:.2f}",
                    f"{cpu + s_cpu:.2f}",
                    ms((wall + s_wall) / n),
                    len(findings),
                    ", ".join(kinds) or "-",
                ]
            )
            print(
                f"  ... n={n}: per-migration checks {wall:.1f} s"
                + (f", stateful {s_wall:.1f} s" if s_text != "skipped" else ""),
                flush=True,
            )
    print()
    print("  4a. SQL work at scale (medians; round trip = per k: restore k, rollback k, apply k)")
    table(
        [
            "n",
            "raw apply ms",
            "raw ms/mig",
            "harness apply ms",
            "harness ms/mig",
            "apply ratio",
            "raw RT ms/mig",
            "harness RT ms/mig",
            "RT ratio",
            "Engine build s",
        ],
        sql_rows,
    )
    print()
    print(
        f'  4b. check_set, profile {SCALE_PROFILE} ("checks" = per-migration checks '
        f"+ {', '.join(set_wide) or 'none'}; total = checks + stateful)"
    )
    table(
        [
            "n",
            "checks wall s",
            "CPU s",
            "ms/mig",
            "examples",
            "ex/mig",
            "ms/example",
            "in SQLite s",
            "own s",
            "own ms/mig",
            "stateful s",
            "total wall s",
            "total CPU s",
            "total ms/mig",
            "findings",
            "finding kinds",
        ],
        chk_rows,
    )
    base = min(per_mig)
    print()
    print(
        f"  growth of time per migration relative to n={base} (1.0 everywhere = linear total cost):"
    )
    growth_rows = []
    for n, (chk, raw_a, raw_r, h_r, own_m, sql_m) in per_mig.items():
        b = per_mig[base]
        growth_rows.append(
            [
                n,
                f"{chk / b[0]:.2f}",
                f"{own_m / b[4]:.2f}",
                f"{sql_m / b[5]:.2f}",
                f"{raw_a / b[1]:.2f}",
                f"{raw_r / b[2]:.2f}",
                f"{h_r / b[3]:.2f}",
            ]
        )
    table(
        [
            "n",
            "checks/mig",
            "own/mig",
            "in SQLite/mig",
            "raw apply/mig",
            "raw RT/mig",
            "harness RT/mig",
        ],
        growth_rows,
    )
    largest = max(per_mig)
    factor = per_mig[largest][0] / per_mig[base][0]
    own_factor = per_mig[largest][4] / per_mig[base][4]
    sql_factor = per_mig[largest][5] / per_mig[base][5]
    raw_factor = per_mig[largest][2] / per_mig[base][2]

    def verdict(x: float) -> str:
        return "about linear" if x < 1.5 else "SUPERLINEAR"

    print(
        f"  per-migration checks, time/migration n={base} -> n={largest}: x{factor:.2f} in all "
        f"({verdict(factor)}); the harness's own time x{own_factor:.2f} "
        f"({verdict(own_factor)}); time inside SQLite x{sql_factor:.2f}, where the same "
        f"statements in plain sqlite3 (raw round trip) grow x{raw_factor:.2f}: a larger "
        "schema makes each restore (SQLite parses the whole schema) and each ALTER TABLE "
        "cost more, in "
        'production too. ("own" = wall time outside SQLite calls; the stateful column '
        "is excluded: it is dominated by whether a history fails and is shrunk.)"
    )


def history_section(sizes: Sequence[int], profile: str) -> None:
    """5. A golang-migrate history (bench/histories.py, clean) at several lengths, checked
    whole (every check, stateful included) the way ``check`` runs it."""
    register_profiles()
    heading(
        f"5. A golang-migrate history of {', '.join(map(str, sizes))} migrations "
        f"(bench/histories.py without its planted defects; every check; profile '{profile}')"
    )
    print(
        "  each step: a table with a foreign key to the previous one, an index, a guarded "
        "seed;\n  target golang-migrate with foreign keys on (a `_foreign_keys=1` DSN); "
        "the median of 3 runs for n <= 50, one run above"
    )
    target = dataclasses.replace(TARGETS["golang-migrate"], foreign_keys=True)
    rows: list[list[Any]] = []
    per_mig: dict[int, tuple[float, float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="mh-bench-history-") as tmp:
        for n in sizes:
            root = write_history(Path(tmp) / f"history_{n}", n, planted=False)
            mset = discover(root)
            run, wall, cpu, in_sqlite = clocked_check(
                partial(check_set, mset, target, profile=profile), repeats=3 if n <= 50 else 1
            )
            per_mig[n] = (wall / n, (wall - in_sqlite) / n, in_sqlite / n)
            rows.append(
                [
                    n,
                    f"{wall:.2f}",
                    f"{cpu:.2f}",
                    ms(wall / n),
                    run.stats.examples,
                    f"{in_sqlite:.2f}",
                    ms(in_sqlite / n),
                    f"{wall - in_sqlite:.2f}",
                    ms((wall - in_sqlite) / n),
                    len(run.findings),
                ]
            )
            print(f"  ... n={n}: {wall:.1f} s", flush=True)
    print()
    table(
        [
            "n",
            "wall s",
            "CPU s",
            "ms/mig",
            "examples",
            "in SQLite s",
            "SQLite ms/mig",
            "own s",
            "own ms/mig",
            "findings",
        ],
        rows,
    )
    base, largest = min(per_mig), max(per_mig)
    growth = [per_mig[largest][i] / per_mig[base][i] for i in range(3)]
    verdict = "about linear" if growth[0] < 1.5 else "SUPERLINEAR"
    print(
        f"  time/migration n={base} -> n={largest}: x{growth[0]:.2f} in all ({verdict}); "
        f"own x{growth[1]:.2f}, in SQLite x{growth[2]:.2f}"
    )


# --- main ------------------------------------------------------------------------------


# --- lint ------------------------------------------------------------------------------


def lint_section(sizes: Sequence[int]) -> None:
    """``lint`` on generated golang-migrate histories and on db/: total and per file.

    In-process after import (wall and CPU: the machine is shared, CPU is the steadier
    figure), then one whole process (``python -m migration_harness lint``, imports
    included) on the largest history.
    """
    from migration_harness.lint import lint_set

    heading("lint (static rules, no database)")
    rows = []
    with tempfile.TemporaryDirectory(prefix="mh-bench-lint-") as tmp:
        largest = None
        for size in sizes:
            root = write_history(Path(tmp) / f"h{size}", size, planted=False)
            largest = root
            mset = discover(root)
            target = TARGETS[mset.default_target]
            start_cpu = time.process_time()
            lint_set(mset, target)  # cold: what one CLI run pays (parser, schema reader)
            cold = time.process_time() - start_cpu
            wall, cpu = [], []
            for _ in range(3):
                start, start_cpu = time.perf_counter(), time.process_time()
                lint_set(discover(root), target)
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            files = 2 * size
            rows.append(
                (f"history of {size}", files, ms(cold), f"{cold / files * 1000:.2f} ms",
                 ms(med(wall)), ms(med(cpu)))
            )  # fmt: skip
        mset = discover(DB)
        start, start_cpu = time.perf_counter(), time.process_time()
        lint_set(mset, TARGETS[mset.default_target])
        files = len(mset.migrations) + sum(m.down_path is not None for m in mset.migrations)
        cpu_db = time.process_time() - start_cpu
        rows.append(
            ("db/", files, ms(cpu_db), f"{cpu_db / files * 1000:.2f} ms",
             ms(time.perf_counter() - start), "-")
        )  # fmt: skip
        table(("set", "files", "CPU cold", "cold per file", "wall warm", "CPU warm"), rows)
        if largest is not None:
            cmd = [sys.executable, "-m", "migration_harness", "lint", str(largest)]
            start = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            print(
                f"  whole process: `python -m migration_harness lint <history of {sizes[-1]}>` "
                f"{time.perf_counter() - start:.2f} s wall (exit {proc.returncode}, imports "
                "included)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer runs, chains of 12 and 50 only, no whole-process CLI run",
    )
    parser.add_argument(
        "--sizes", default=None, help="comma-separated chain sizes (default 12,50,200; quick 12,50)"
    )
    parser.add_argument(
        "--scale-examples",
        type=int,
        default=3,
        help="max_examples for the chain check_set runs (default 3, the "
        "harness's floor of 3 examples per property)",
    )
    parser.add_argument(
        "--lint-only", action="store_true", help="only the lint section (a few seconds)"
    )
    args = parser.parse_args()
    if args.lint_only:
        lint_section([50, 100, 200])
        return

    sql_runs = 5 if args.quick else 15
    check_set_runs = 1 if args.quick else 2
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else ([12, 50] if args.quick else [12, 50, 200])
    )

    started = time.perf_counter()
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        head = "?"
    print(f"migration-harness benchmark ({'quick' if args.quick else 'full'} run)")
    print(
        f"  commit {head or '?'}; Python {platform.python_version()}; SQLite "
        f"{sqlite3.sqlite_version}; Hypothesis {hypothesis.__version__}; "
        f"{os.cpu_count()} CPUs; load average at start "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "harness"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split("\n")
    dirty = [line[3:] for line in dirty if line.strip()]
    if dirty:
        print(
            f"  note: harness/ has uncommitted changes ({', '.join(dirty)}): figures are for "
            "the working tree"
        )
    print(
        "  all times: time.perf_counter wall clock in this process (medians where stated);"
        " CPU = time.process_time"
    )

    mset = discover(DB)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sql_cost_section(mset, sql_runs)
        checks_section(mset, check_set_runs, cli=not args.quick)
        scaling_section(sizes, sql_runs, args.scale_examples, stateful=not args.quick)
        history_section(sizes, SCALE_PROFILE if args.quick else "ci")
        lint_section([50, 100, 200])
    if caught:
        counts = Counter(f"{w.category.__name__}: {w.message}" for w in caught)
        print()
        print(f"warnings raised while running (not printed inline), {len(caught)} in all:")
        for text, count in counts.most_common(5):
            print(f"  {count} x {text}")

    print()
    print(
        f"total benchmark time {time.perf_counter() - started:.1f} s; load average at end "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
