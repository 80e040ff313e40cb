"""Build the production-like copy of this set at 0002_orders (no binary blob in the repo).

Usage: ``python build_data.py OUT.db`` (tests call :func:`build`). The database is what
wrangler leaves after ``d1 migrations apply``: the files 0001 and 0002 run, their names in
``d1_migrations``, and customer rows. Users 7 and 19 share an e-mail but for its case,
which breaks the pending 0003_unique_email.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
APPLIED = ("0001_users.sql", "0002_orders.sql")
TRACKING = """CREATE TABLE IF NOT EXISTS d1_migrations(
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT UNIQUE,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)"""


def build(out: Path) -> Path:
    """Write the database to ``out`` (replaced if it exists) and return it."""
    out.unlink(missing_ok=True)
    conn = sqlite3.connect(out)
    conn.execute(TRACKING)
    for name in APPLIED:
        conn.executescript((HERE / "migrations" / name).read_text(encoding="utf-8"))
        conn.execute("INSERT INTO d1_migrations (name) VALUES (?)", (name,))
    for i in range(1, 31):
        email = f"customer{i}@shop.example"
        if i == 19:
            email = "Ana.Lima@shop.example"
        if i == 7:
            email = "ana.lima@shop.example"
        nickname = None if i % 5 == 0 else f"nick{i}"
        conn.execute(
            "INSERT INTO users (id, email, name, nickname) VALUES (?, ?, ?, ?)",
            (i, email, f"Customer {i}", nickname),
        )
    for i in range(1, 61):
        conn.execute(
            "INSERT INTO orders (id, user_id, total) VALUES (?, ?, ?)", (i, 1 + i % 30, 100 * i)
        )
    conn.commit()
    conn.close()
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
