"""Peak memory of loading a large ``--data`` copy with ``--sample`` (issue 16).

Usage::

    python bench/real_data_rss.py --mb 1024 --sample 1000 [--keep DIR]

Builds a database of about ``--mb`` megabytes (users, orders referencing them, order
items referencing orders) in a scratch folder, then loads a sample of it in a child
process and prints the child's peak RSS: a sample is copied through a read-only
``ATTACH`` (only row keys are read whole), so the peak should stay far below the file.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = """
import resource, sys
from migration_harness.data.sources import load, resolve
conn = load(resolve(sys.argv[1], __import__('pathlib').Path('.')), sample=int(sys.argv[2]))
rows = sum(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
           for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"))
print(rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def build(path: Path, megabytes: int) -> None:
    """A database of about ``megabytes`` MB: 1 user per 10 orders, 3 items per order."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, bio TEXT);"
        "CREATE TABLE orders (id INTEGER PRIMARY KEY,"
        " user_id INTEGER NOT NULL REFERENCES users (id), note TEXT);"
        "CREATE TABLE items (id INTEGER PRIMARY KEY,"
        " order_id INTEGER NOT NULL REFERENCES orders (id), sku TEXT);"
    )
    orders = megabytes * 1024 * 1024 // 700  # ~700 bytes per order with its items
    batch = 10_000
    for start in range(0, orders, batch):
        ids = range(start, min(start + batch, orders))
        conn.executemany(
            "INSERT INTO users VALUES (?, ?, ?)",
            [(i, f"user{i}@example.com", "x" * 100) for i in ids if i % 10 == 0],
        )
        conn.executemany(
            "INSERT INTO orders VALUES (?, ?, ?)", [(i, i - i % 10, "n" * 200) for i in ids]
        )
        conn.executemany(
            "INSERT INTO items VALUES (?, ?, ?)",
            [(3 * i + j, i, "s" * 100) for i in ids for j in range(3)],
        )
        conn.commit()
    conn.close()


def main() -> None:
    """Build, load a sample in a child process, print sizes and the child's peak RSS."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=1024)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        path = folder / f"bench-{args.mb}mb.db"
        if not path.exists():
            build(path, args.mb)
        size = path.stat().st_size / 2**20
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), str(args.sample)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        print(f"file {size:.0f} MB, sample {args.sample}/table: {out[0]} rows loaded, "
              f"peak RSS {int(out[1]) / 1024:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
