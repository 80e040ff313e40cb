"""The rows drizzle, Prisma, Flyway, Liquibase, sql-migrate and bun write, and their readers.

Each of these runners writes a row of its own shape (a hash, a rank, a group id, a
changeset identity) and reads its table its own way; :class:`~migration_harness.sets.
tracking.Tracking` looks the writer and reader up here by key style, so the class keeps the
plain shapes only. refinery's and yoyo's, which need checksums and a second table, are in
:mod:`~migration_harness.sets.rowshapes`. Sources in ``docs/RUNNERS.md``.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Sequence
from typing import Final

from migration_harness.sets.atlas import atlas_read, atlas_rows
from migration_harness.sets.nodesqlite import node_sqlite_read, node_sqlite_rows
from migration_harness.sets.postgrator import postgrator_read, postgrator_rows
from migration_harness.sets.records import Migration
from migration_harness.sets.rowshapes import (
    Row,
    refinery_read,
    refinery_rows,
    yoyo_read,
    yoyo_rows,
)
from migration_harness.sets.trackkeys import DIGITS, key_of, liquibase_identity

Sql = Sequence[tuple[str, tuple[object, ...]]]


def _drizzle_rows(table: str, migration: Migration) -> Sql:
    """Drizzle's row: the file's SHA-256 and the journal's ``when``."""
    sql = f'INSERT INTO "{table}" ("hash", "created_at") VALUES (?, ?)'
    return ((sql, (migration.checksum, int(key_of(migration, "drizzle")))),)


def _drizzle_v1_rows(table: str, migration: Migration) -> Sql:
    """Drizzle v1's row: SHA-256, the folder's time, its name, when it was applied."""
    sql = (
        f'INSERT INTO "{table}" ("hash", "created_at", "name", "applied_at") '
        "VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
    )
    created = migration.runner_data.get("created_at", 0)
    return ((sql, (migration.checksum, created, key_of(migration, "drizzle-v1"))),)


def _drizzle_v1_read(conn: sqlite3.Connection, table: str) -> list[Row]:
    """Drizzle v1's rows by name, in the order they were applied (NULL names: v0 rows)."""
    found = conn.execute(
        f'SELECT name, applied_at FROM "{table}" WHERE name IS NOT NULL ORDER BY id'
    ).fetchall()
    return [Row(str(n), str(t or "")) for n, t in found]


def _prisma_rows(table: str, migration: Migration) -> Sql:
    """Prisma's row, finished: a stable id (Prisma uses a random UUID), SHA-256, one step."""
    sql = (
        f'INSERT INTO "{table}" ("id", "checksum", "finished_at", "migration_name", '
        '"applied_steps_count") VALUES (?, ?, current_timestamp, ?, 1)'
    )
    row_id = str(uuid.uuid5(uuid.NAMESPACE_URL, migration.id))
    return ((sql, (row_id, migration.checksum, migration.id)),)


def _flyway_rows(table: str, migration: Migration) -> Sql:
    """Flyway's history row: next rank, version (NULL for repeatable), type, CRC32 checksum.

    The type is ``SQL``, or ``SQL_BASELINE`` for a baseline migration: Flyway tells an
    applied baseline by it (``MigrationInfoServiceImpl``: ``getType().isBaseline()``).
    """
    data = migration.runner_data
    version = data["version"] if "version" in data else str(migration.version)
    description = data.get("description", migration.name)
    sql = (
        f'INSERT INTO "{table}" ("installed_rank", "version", "description", "type", '
        '"script", "checksum", "installed_by", "execution_time", "success") '
        f'VALUES ((SELECT coalesce(max("installed_rank"), 0) + 1 FROM "{table}"), '
        "?, ?, ?, ?, ?, '', 0, 1)"
    )
    kind = data.get("type", "SQL")
    script = data.get("script", migration.path.name)
    params = (version, description, kind, script, data.get("checksum"))
    return ((sql, params),)


def _drizzle_read(conn: sqlite3.Connection, table: str) -> list[Row]:
    """Drizzle's rows, by ``created_at``."""
    found = conn.execute(f'SELECT created_at FROM "{table}" ORDER BY created_at').fetchall()
    return [Row(str(int(c)) if isinstance(c, (int, float)) else str(c)) for (c,) in found]


def _prisma_read(conn: sqlite3.Connection, table: str) -> list[Row]:
    """Prisma's rows not rolled back; one never finished is a failed migration (P3009)."""
    found = conn.execute(
        f'SELECT migration_name, started_at, finished_at FROM "{table}" '
        "WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name"
    ).fetchall()
    return [Row(str(n), str(s), f is None) for n, s, f in found]


def _flyway_read(conn: sqlite3.Connection, table: str) -> list[Row]:
    """Flyway's rows by rank: the version, or the script of a repeatable; failed ones dirty."""
    found = conn.execute(
        f'SELECT "version", "script", "installed_on", "success" FROM "{table}" '
        "WHERE \"type\" NOT IN ('SCHEMA', 'BASELINE') ORDER BY \"installed_rank\""
    ).fetchall()
    # Flyway stores milliseconds; the applied time is shown to the second like the others.
    return [Row(str(v if v is not None else s), str(t)[:19], not ok) for v, s, t, ok in found]


def _liquibase_rows(table: str, migration: Migration) -> Sql:
    """Liquibase's row: the changeset's identity, the next ORDEREXECUTED, EXECUTED."""
    sql = (
        f"INSERT INTO {table} (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, EXECTYPE, "
        "DESCRIPTION, LIQUIBASE) VALUES (?, ?, ?, CURRENT_TIMESTAMP, "
        f"(SELECT coalesce(max(ORDEREXECUTED), 0) + 1 FROM {table}), 'EXECUTED', 'sql', '4')"
    )
    return ((sql, liquibase_identity(migration)),)


def _liquibase_read(conn: sqlite3.Connection, table: str) -> list[Row]:
    """Liquibase's rows in execution order, keyed ``filename::id::author``."""
    found = conn.execute(
        f"SELECT ID, AUTHOR, FILENAME, DATEEXECUTED FROM {table} ORDER BY ORDEREXECUTED"
    ).fetchall()
    return [Row(f"{f}::{i}::{a}", str(t)[:19]) for i, a, f, t in found]


def _sql_migrate_rows(table: str, migration: Migration) -> Sql:
    """sql-migrate's row: the file's name and when it was applied (gorp Insert)."""
    sql = f'INSERT INTO "{table}" ("id", "applied_at") VALUES (?, datetime(\'now\'))'
    return ((sql, (key_of(migration, "sql-migrate"),)),)


def _sql_migrate_read(conn: sqlite3.Connection, table: str) -> list[Row]:
    """sql-migrate's rows, ordered as it orders them (by the id's number, then the id)."""
    found = conn.execute(f'SELECT "id", "applied_at" FROM "{table}"').fetchall()
    rows = [Row(str(i), str(t or "")) for i, t in found]
    return sorted(rows, key=lambda r: _numbered(r.key))


def _numbered(key: str) -> tuple[int, int, str]:
    """sql-migrate's ``Migration.Less``: numbered ids first, by number, then by id."""
    match = DIGITS.match(key)
    return (0, int(match.group(0)), key) if match else (1, 0, key)


def _bun_rows(table: str, migration: Migration) -> Sql:
    """Bun's row: the name (the file's digits) in a group of its own, one per migrate run.

    bun gives every migration of one ``Migrate`` call the next group id; the harness
    applies one file per step, so each is its own group and bun's ``Rollback`` (the last
    group) undoes one file, as the harness's rollback does.
    """
    sql = (
        f'INSERT INTO "{table}" ("name", "group_id") VALUES '
        f'(?, (SELECT coalesce(max("group_id"), 0) + 1 FROM "{table}"))'
    )
    return ((sql, (key_of(migration, "bun"),)),)


def _bun_read(conn: sqlite3.Connection, table: str) -> list[Row]:
    """Bun's rows in the order it applied them."""
    found = conn.execute(f'SELECT "name", "migrated_at" FROM "{table}" ORDER BY "id"').fetchall()
    return [Row(str(n), str(t or "")) for n, t in found]


WRITERS: Final[dict[str, Callable[[str, Migration], Sql]]] = {
    "drizzle": _drizzle_rows,
    "drizzle-v1": _drizzle_v1_rows,
    "prisma": _prisma_rows,
    "flyway": _flyway_rows,
    "liquibase": _liquibase_rows,
    "sql-migrate": _sql_migrate_rows,
    "bun": _bun_rows,
    "refinery": refinery_rows,
    "yoyo": yoyo_rows,
    "atlas": atlas_rows,
    "node-sqlite": node_sqlite_rows,
    "postgrator": postgrator_rows,
}
READERS: Final[dict[str, Callable[[sqlite3.Connection, str], list[Row]]]] = {
    "drizzle": _drizzle_read,
    "drizzle-v1": _drizzle_v1_read,
    "prisma": _prisma_read,
    "flyway": _flyway_read,
    "liquibase": _liquibase_read,
    "sql-migrate": _sql_migrate_read,
    "bun": _bun_read,
    "refinery": refinery_read,
    "yoyo": yoyo_read,
    "atlas": atlas_read,
    "node-sqlite": node_sqlite_read,
    "postgrator": postgrator_read,
}
