"""Large inputs of issue 15: a long file's splitting and a huge seed's memory.

Usage::

    python bench/large_inputs.py split [STATEMENTS]   # CPU seconds of split_statements
    python bench/large_inputs.py seed [ROWS]          # Engine build: seconds, peak RSS
    python bench/large_inputs.py lint [STATEMENTS]    # lint of one-row INSERTs: CPU, peak RSS
    python bench/large_inputs.py line [BYTES]         # check of a one-line seed: CPU, peak RSS
    python bench/large_inputs.py history [FILES]      # lint of a FILES-table chain: CPU, RSS

The seed set is written to a temporary folder: a table, ROWS rows in INSERTs of 1,000 rows,
and one more small migration (so a version keeps the seeded rows without changing them).
``lint`` writes a table and one file of STATEMENTS one-row INSERTs (1,000,000: 70 MB);
``line`` a table, one INSERT of BYTES on a single line and a child table, then runs the
whole ``check`` command (``--profile dev -j 1 --no-cache``) in this process.
``history`` writes FILES migrations, file i creating table ``t_i`` with a foreign key to
``t_{i-1}`` and an index, and runs ``lint --format json`` on them (session 26: lint was
quadratic in the number of tables of a long history).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path


def split(statements: int) -> None:
    """Print the CPU time of splitting one file of ``statements`` one-row INSERTs."""
    from migration_harness.sets.sql import split_statements

    text = "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n INTEGER);\n" + "".join(
        f"INSERT INTO t(name, n) VALUES ('name {i}', {i});\n" for i in range(statements)
    )
    start = time.process_time()
    found = split_statements(text)
    print(f"{len(found)} statements split in {time.process_time() - start:.2f} s CPU")


def seed(rows: int) -> None:
    """Print the time and peak RSS of building the versions of a ``rows``-row seed set."""
    from migration_harness.checks.engine import Engine
    from migration_harness.sets.discovery import discover
    from migration_harness.sets.targets import TARGETS

    with tempfile.TemporaryDirectory() as folder:
        migrations = Path(folder) / "migrations"
        migrations.mkdir()
        (migrations / "0001_users.sql").write_text(
            "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER);\n"
        )
        with (migrations / "0002_seed.sql").open("w") as out:
            for first in range(1, rows + 1, 1000):
                values = ",".join(
                    f"({i}, 'user {i}', {i % 97})"
                    for i in range(first, min(first + 1000, rows + 1))
                )
                out.write(f"INSERT INTO users(id, name, n) VALUES {values};\n")
        (migrations / "0003_tags.sql").write_text(
            "CREATE TABLE tags(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n"
        )
        start = time.monotonic()
        engine = Engine(discover(Path(folder)), TARGETS["sqlite"])
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"{len(engine.versions)} versions of a {rows}-row seed in "
            f"{time.monotonic() - start:.1f} s; peak RSS {peak} MB"
        )


def _write_inserts(folder: Path, statements: int) -> None:
    """A table and one file of ``statements`` one-row INSERTs."""
    (folder / "0001_t.sql").write_text(
        "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n INTEGER);\n"
    )
    with (folder / "0002_seed.sql").open("w") as out:
        for i in range(statements):
            out.write(f"INSERT INTO t(id, name, n) VALUES ({i}, 'name number {i}', {i % 97});\n")


def _write_line(folder: Path, size: int) -> None:
    """A table, one INSERT of about ``size`` bytes on one line, and a child table."""
    (folder / "0001_t.sql").write_text(
        "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, n INTEGER);\n"
    )
    rows, total, i = [], 0, 0
    while total < size:
        row = f"({i}, 'name number {i}', {i % 97})"
        rows.append(row)
        total, i = total + len(row) + 1, i + 1
    (folder / "0002_seed.sql").write_text(
        "INSERT INTO t(id, name, n) VALUES " + ",".join(rows) + ";\n"
    )
    (folder / "0003_u.sql").write_text(
        "CREATE TABLE u(id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t(id));\n"
    )


def _command(args: list[str]) -> None:
    """Run the CLI in this process; print its exit status, CPU seconds and peak RSS."""
    from click.testing import CliRunner

    from migration_harness.cli import cli

    start = time.process_time()
    result = CliRunner().invoke(cli, args)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        f"{' '.join(args[:1])}: exit {result.exit_code}, "
        f"{time.process_time() - start:.1f} s CPU; peak RSS {peak} MB"
    )


def lint(statements: int) -> None:
    """``lint`` on one file of ``statements`` one-row INSERTs."""
    with tempfile.TemporaryDirectory() as folder:
        migrations = Path(folder) / "migrations"
        migrations.mkdir()
        _write_inserts(migrations, statements)
        _command(["lint", str(migrations)])


def _write_history(folder: Path, files: int) -> None:
    """``files`` migrations: file i creates ``t_i`` (a key to ``t_{i-1}``) and an index."""
    for i in range(files):
        key = f", parent_id INTEGER REFERENCES t_{i - 1}(id)" if i else ""
        (folder / f"{i + 1:05d}_t{i}.sql").write_text(
            f"CREATE TABLE t_{i}(id INTEGER PRIMARY KEY, name TEXT NOT NULL{key});\n"
            f"CREATE INDEX t_{i}_name ON t_{i}(name);\n"
        )


def history(files: int) -> None:
    """``lint`` on a history of ``files`` migrations, one new table each."""
    with tempfile.TemporaryDirectory() as folder:
        migrations = Path(folder) / "migrations"
        migrations.mkdir()
        _write_history(migrations, files)
        _command(["lint", str(migrations), "--format", "json"])


def line(size: int) -> None:
    """``check`` on a set whose seed is one line of ``size`` bytes."""
    with tempfile.TemporaryDirectory() as folder:
        migrations = Path(folder) / "migrations"
        migrations.mkdir()
        _write_line(migrations, size)
        _command(["check", str(migrations), "--profile", "dev", "-j", "1", "--no-cache"])


_DEFAULTS = {
    "split": 80_000,
    "seed": 1_000_000,
    "lint": 1_000_000,
    "line": 14_000_000,
    "history": 2_000,
}

if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "split"
    size = int(sys.argv[2]) if len(sys.argv) > 2 else _DEFAULTS[what]
    commands = {"split": split, "seed": seed, "lint": lint, "line": line, "history": history}
    commands[what](size)
