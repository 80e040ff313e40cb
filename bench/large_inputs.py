"""Large inputs of issue 15: a long file's splitting and a huge seed's memory.

Usage::

    python bench/large_inputs.py split [STATEMENTS]   # CPU seconds of split_statements
    python bench/large_inputs.py seed [ROWS]          # Engine build: seconds, peak RSS

The seed set is written to a temporary folder: a table, ROWS rows in INSERTs of 1,000 rows,
and one more small migration (so a version keeps the seeded rows without changing them).
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


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "split"
    size = int(sys.argv[2]) if len(sys.argv) > 2 else (80_000 if what == "split" else 1_000_000)
    {"split": split, "seed": seed}[what](size)
