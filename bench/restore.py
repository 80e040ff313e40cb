"""The raw-SQLite cost of one example's start against the length of the history.

Every example of a per-migration check starts from a fresh in-memory copy of version k:
``deserialize`` the image, then the first statement makes SQLite parse the whole schema
(k tables and k indexes in ``bench/histories.py``'s chain). This prints that cost with
plain ``sqlite3`` (no harness), and one whole-database ``PRAGMA foreign_key_check``, at
several lengths: the part of an example's cost that grows with the history whatever the
harness does, as long as each example starts from its own copy of the database.

    .venv/bin/python bench/restore.py --sizes 50,200,1000
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from histories import step


def image_of(n: int) -> bytes:
    """Version ``n`` of the clean chain, serialised."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    for i in range(1, n + 1):
        conn.executescript(step(i, planted=False)[0])
    image = conn.serialize()
    conn.close()
    return image


def per_call(action: Callable[[], Any], runs: int) -> float:
    """CPU milliseconds per call of ``action``, over ``runs`` calls."""
    start = time.process_time()
    for _ in range(runs):
        action()
    return 1000 * (time.process_time() - start) / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,1000")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    print("| migrations | image KiB | restore + first INSERT, CPU ms | foreign_key_check, CPU ms |")
    print("|---:|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        image = image_of(n)

        def restore(image: bytes = image) -> None:
            conn = sqlite3.connect(":memory:", isolation_level=None)
            conn.deserialize(image)
            conn.execute("INSERT INTO t0001(code) VALUES ('x')")
            conn.close()

        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.deserialize(image)
        conn.execute("SELECT 1 FROM t0001").fetchall()
        restored = per_call(restore, args.runs)

        def check(conn: sqlite3.Connection = conn) -> None:
            conn.execute("PRAGMA foreign_key_check").fetchall()

        checked = per_call(check, args.runs)
        conn.close()
        print(f"| {n} | {len(image) // 1024:,} | {restored:.2f} | {checked:.2f} |", flush=True)


if __name__ == "__main__":
    main()
