"""Small migration sets with a self-managed file, for races and kill trials.

Each set has a seed file and a table rebuild (SQLite's 12 steps) that open their own
transaction (plain ``BEGIN`` … ``COMMIT``, or goose's ``-- +goose NO TRANSACTION``) around a
plain file: the runner cannot wrap them with their tracking rows, which is what the runner
lock and the intents exist for. ``seeded(db)`` counts the seed rows: 2 when each of the two
files that insert one ran exactly once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Final

# Slow enough (a recursive CTE of rows) that two runners overlap inside the file.
_FILLER: Final = (
    "INSERT INTO filler(n) WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
    "WHERE n < 20000) SELECT n FROM c;"
)
_PROLOGUE: Final = (
    "SELECT count(*) FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
    "WHERE n < 300000) SELECT n FROM c);"
)
_USERS: Final = "CREATE TABLE users(id INTEGER PRIMARY KEY, legacy TEXT, name TEXT);\n"
_REBUILD: Final = (
    "CREATE TABLE users_new(id INTEGER PRIMARY KEY, name TEXT);\n"
    "INSERT INTO users_new(id, name) SELECT id, name FROM users;\n"
    "DROP TABLE users;\n"
    "ALTER TABLE users_new RENAME TO users;\n"
    "CREATE TABLE filler(n INTEGER);\n"
    f"{_FILLER}\n"
    "INSERT INTO seed VALUES ('rebuilt');\n"
)
_UNDO_REBUILD: Final = (
    "DROP TABLE filler;\n"
    "DELETE FROM seed WHERE note = 'rebuilt';\n"
    "CREATE TABLE users_old(id INTEGER PRIMARY KEY, legacy TEXT, name TEXT);\n"
    "INSERT INTO users_old(id, name) SELECT id, name FROM users;\n"
    "DROP TABLE users;\n"
    "ALTER TABLE users_old RENAME TO users;\n"
)
TARGETS: Final = ("sqlite", "goose")


def self_managed_set(root: Path, target: str) -> Path:
    """Write a three-file set, two of whose files manage their own transaction; its folder."""
    folder = root / f"set-{target}"
    migrations = folder / "migrations"
    migrations.mkdir(parents=True, exist_ok=True)
    seed = "CREATE TABLE IF NOT EXISTS seed(note TEXT);\nINSERT INTO seed VALUES ('once');\n"
    # A prologue that reads for a while before the file's BEGIN (as a check of existing
    # data would): no write lock is held, so only the runner lock keeps a second runner out.
    seed = f"{_PROLOGUE}\nBEGIN;\n{seed}"
    if target == "goose":
        (migrations / "00001_seed.sql").write_text(
            "-- +goose NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\n"
            f"{seed}COMMIT;\n-- +goose StatementEnd\n-- +goose Down\nDROP TABLE seed;\n",
            encoding="utf-8",
        )
        (migrations / "00002_users.sql").write_text(
            f"-- +goose Up\n{_USERS}-- +goose Down\nDROP TABLE users;\n", encoding="utf-8"
        )
        (migrations / "00003_rebuild.sql").write_text(
            "-- +goose NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\nBEGIN;\n"
            f"{_REBUILD}COMMIT;\n-- +goose StatementEnd\n"
            "-- +goose Down\n-- +goose StatementBegin\nBEGIN;\n"
            f"{_UNDO_REBUILD}COMMIT;\n-- +goose StatementEnd\n",
            encoding="utf-8",
        )
    else:
        (migrations / "0001_seed.sql").write_text(f"{seed}COMMIT;\n", encoding="utf-8")
        (migrations / "0002_users.sql").write_text(_USERS, encoding="utf-8")
        (migrations / "0003_rebuild.sql").write_text(
            f"BEGIN;\n{_REBUILD}COMMIT;\n", encoding="utf-8"
        )
    return folder


def seeded(db: Path) -> int:
    """How many seed rows went in: 2 when each self-managed file ran once (-1: no table)."""
    conn = sqlite3.connect(db)
    try:
        found = conn.execute("SELECT name FROM sqlite_master WHERE name = 'seed'").fetchone()
        return int(conn.execute("SELECT count(*) FROM seed").fetchone()[0]) if found else -1
    finally:
        conn.close()
