"""Tracking by ``PRAGMA user_version``: no table, one integer in the database header.

rusqlite_migration and SQLDelight record how far a database is migrated in the header's
user version instead of a table (``set_user_version`` in rusqlite_migration's lib.rs,
``PRAGMA user_version = $version`` in SQLDelight's JdbcSqliteSchema.kt, Android's
``SQLiteDatabase.setVersion``). The value is written in the same transaction as the
migrations, and SQLite journals the header like any page, so a rolled-back run leaves the
old number. A migration is applied when the number has reached its key.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Final

STYLE: Final = "user-version"
# What messages call the place these runners record the version in.
WHERE: Final = "PRAGMA user_version"


def read(conn: sqlite3.Connection) -> int:
    """The database's user version (0 on a new database)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def write(version: int) -> Sequence[tuple[str, tuple[object, ...]]]:
    """The statement that sets the user version (a pragma takes no bound parameter)."""
    return ((f"PRAGMA user_version = {int(version)}", ()),)
