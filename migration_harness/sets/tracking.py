"""Each runner's own tracking table: what it writes when a file runs, and how to read it.

A database migrated by goose, dbmate, golang-migrate, sqlx or diesel records its state in
that tool's table, keyed the way the tool keys it (a version number, the file name's digits,
a diesel folder prefix). The runner writes the same rows in the same transaction as the tool,
so a database migrated here is understood by the real tool and the other way round. Sources
for every table and key are in ``docs/RUNNERS.md``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from migration_harness.errors import BadFileError, DatabaseError
from migration_harness.sets.lock import database_file
from migration_harness.sets.records import Migration
from migration_harness.sets.rowshapes import (
    YOYO_LOG_DDL,
    YOYO_OTHER_TABLES,
    refinery_read,
    refinery_rows,
    yoyo_forget,
    yoyo_read,
    yoyo_rows,
)
from migration_harness.sets.rowshapes import Row as Row

Sql = Sequence[tuple[str, tuple[object, ...]]]


@dataclass(frozen=True, slots=True)
class Tracking:
    """How one runner records applied migrations.

    Attributes:
        runner: the tool's name, for messages.
        table: its tracking table.
        ddl: the statements that create it (``IF NOT EXISTS``), as the tool writes them.
        key_style: how a migration maps to the key column (see :func:`key_of`).
        down_row: a rollback is recorded by a new row (liamstask goose inserts
            ``is_applied = 0``; the newest row per version decides) instead of deleting
            the version's row. Not part of equality: the table is the same.

    """

    runner: str
    table: str
    ddl: tuple[str, ...]
    key_style: str
    down_row: bool = field(default=False, compare=False)

    def key(self, migration: Migration) -> str:
        """The value this runner stores for ``migration``."""
        return key_of(migration, self.key_style)

    def record(self, migration: Migration) -> Sql:
        """The statements that mark ``migration`` applied."""
        key = self.key(migration)
        self._refuse_huge(migration, key)
        if self.key_style == "golang-migrate":
            # golang-migrate keeps one row: the current version (SetVersion: DELETE + INSERT).
            return ((f"DELETE FROM {self.table}", ()), (_GOLANG_INSERT, (int(key),)))
        if self.key_style == "goose":
            sql = f"INSERT INTO {self.table} (version_id, is_applied) VALUES (?, ?)"
            return ((sql, (int(key), 1)),)
        if self.key_style == "sqlx":
            sql = (
                f"INSERT INTO {self.table} (version, description, success, checksum, "
                "execution_time) VALUES (?, ?, TRUE, ?, -1)"
            )
            digest = hashlib.sha384(migration.up_sql.encode("utf-8")).digest()
            return ((sql, (int(key), _sqlx_description(migration), digest)),)
        if self.key_style in _OWN_ROWS:
            return _OWN_ROWS[self.key_style](self.table, migration)
        column = "name" if self.key_style == "name" else "version"
        return ((f"INSERT INTO {self.table} ({column}) VALUES (?)", (key,)),)

    def forget(self, migration: Migration) -> Sql:
        """The statements that mark ``migration`` rolled back."""
        key = self.key(migration)
        self._refuse_huge(migration, key)
        if self.key_style == "golang-migrate":
            # Down moves the version to the previous file of the source (source.Prev); from
            # the first file it goes to NilVersion, which leaves the table empty.
            back: Sql = ((_GOLANG_INSERT, (migration.previous,)),) if migration.previous else ()
            return ((f"DELETE FROM {self.table}", ()), *back)
        if self.down_row:
            sql = f"INSERT INTO {self.table} (version_id, is_applied) VALUES (?, ?)"
            return ((sql, (int(key), 0)),)
        if self.key_style == "yoyo":
            return yoyo_forget(self.table, migration)
        if self.key_style == "liquibase":
            sql = f"DELETE FROM {self.table} WHERE ID = ? AND AUTHOR = ? AND FILENAME = ?"
            return ((sql, liquibase_identity(migration)),)
        if self.key_style == "flyway" and migration.runner_data.get("repeatable"):
            return ((f'DELETE FROM {self.table} WHERE "script" = ?', (key,)),)
        column = _KEY_COLUMNS.get(self.key_style, "version")
        value: object = int(key) if self.key_style in ("goose", "sqlx", "drizzle") else key
        return ((f"DELETE FROM {self.table} WHERE {column} = ?", (value,)),)

    def _refuse_huge(self, migration: Migration, key: str) -> None:
        """A version the runner keeps in a 64-bit integer must fit one, as the tool requires.

        goose and sqlx parse versions as ``int64``; golang-migrate's ``uint64`` cannot reach
        SQLite with its high bit set (mattn/go-sqlite3 refuses it). The tool refuses such a
        file, so the harness does too, by name, before anything runs.
        """
        if self.key_style not in _INTEGER_KEYS or not key.lstrip("-").isdigit():
            return
        if not -(2**63) <= int(key) < 2**63:
            message = (
                f"{migration.path}: version {key} does not fit {self.runner}'s 64-bit integer "
                "version column (renumber the file below 9223372036854775808)"
            )
            raise BadFileError(message)

    def is_applied(
        self, conn: sqlite3.Connection, migration: Migration, keys: frozenset[str] | None = None
    ) -> bool:
        """Whether the table records ``migration`` as applied, as the tool decides it.

        ``keys``: what :meth:`keys` just read from ``conn``, where the caller has them (a
        step's verification reads them anyway). Where a key's presence decides, it is
        looked up there: building a :class:`Row` per applied file made every step cost
        time in the length of the history.
        """
        if self.key_style == "golang-migrate":
            rows = self.rows(conn)
            return bool(rows) and int(rows[0].key) >= migration.version
        if self.key_style == "drizzle":
            # drizzle runs a file only when its `when` is newer than the newest row's.
            rows = self.rows(conn)
            return bool(rows) and int(rows[-1].key) >= int(self.key(migration))
        return self.key(migration) in (self.keys(conn) if keys is None else keys)

    def rows(self, conn: sqlite3.Connection) -> list[Row]:
        """The applied entries, oldest first; empty when the table does not exist.

        Raises:
            DatabaseError: the table is not the shape the tool writes (a column missing),
                so neither the tool nor the harness can read it.

        """
        if not self._shaped(conn):  # none, or a view or an index of that name
            return []
        try:
            found = self._rows(conn)
        except (sqlite3.OperationalError, ValueError, TypeError) as exc:
            raise self._misshapen(conn, str(exc)) from exc
        if self.key_style in _INTEGER_KEYS:
            for row in found:
                if not row.key.lstrip("-").isdigit():
                    raise self._misshapen(conn, f"version {row.key!r} is not an integer")
        return found

    def keys(self, conn: sqlite3.Connection) -> frozenset[str]:
        """The keys of :meth:`rows`, read as :meth:`rows` reads them, without the rows.

        The checks compare the keys before and after every step of every example, and the
        table holds a row per applied file: building a :class:`Row` per entry made each
        step cost time in the length of the history. Where a key is one column read as is
        (``name`` and plain ``version`` tables) only that column is read; the other styles
        (dirty flags, newest-row-wins, integer validation) go through :meth:`rows`.
        """
        if self.key_style in _INTEGER_KEYS or self.key_style in _READERS:
            return frozenset(r.key for r in self.rows(conn))
        if not self._shaped(conn):  # none, or a view or an index of that name
            return frozenset()
        column = "name" if self.key_style == "name" else "version"
        try:
            joined = conn.execute(_JOINED.format(column=column, table=self.table)).fetchone()
            if joined[1]:  # a key that is not plain text or an integer: one by one
                found = conn.execute(f"SELECT {column} FROM {self.table}").fetchall()
                return frozenset([str(key) for (key,) in found])
        except sqlite3.OperationalError as exc:
            raise self._misshapen(conn, str(exc)) from exc
        return frozenset(joined[0].split("\0")) if joined[0] is not None else frozenset()

    def check_shape(self, conn: sqlite3.Connection) -> None:
        """Refuse a table of this name that lacks the tool's columns, or is not a table.

        Raises:
            DatabaseError: naming the database, the table and what is wrong with it.

        """
        self._shaped(conn)

    def _shaped(self, conn: sqlite3.Connection) -> bool:
        """:meth:`check_shape`, then whether the table exists as :func:`has_table` says.

        One read of ``sqlite_master`` for both: every read of the keys asked it twice
        (issue 17). The first object of that name, in any case, is the one checked (as a
        lone ``fetchone`` read it); existence wants a table of exactly that name.

        Raises:
            DatabaseError: as :meth:`check_shape`.

        """
        objects = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE name = ? COLLATE NOCASE", (self.table,)
        ).fetchall()
        if not objects:
            return False
        kind = objects[0][0]
        if kind != "table":
            raise self._misshapen(conn, f"it is a {kind}")
        present = {str(r[1]).lower() for r in conn.execute(f'PRAGMA table_info("{self.table}")')}
        missing = sorted(set(_columns(self.ddl)) - present)
        if missing:
            raise self._misshapen(conn, f"no column {', '.join(missing)}")
        return any(kind == "table" and name == self.table for kind, name in objects)

    def _misshapen(self, conn: sqlite3.Connection, problem: str) -> DatabaseError:
        """The error for a tracking table neither the tool nor the harness can read."""
        where = database_file(conn) or "database"
        message = (
            f"{where}: {self.table} is not the tracking table {self.runner} writes "
            f"({problem}); repair it or use another database"
        )
        return DatabaseError(message)

    def _rows(self, conn: sqlite3.Connection) -> list[Row]:
        """:meth:`rows`, unguarded."""
        if self.key_style == "golang-migrate":
            found = conn.execute(f"SELECT version, dirty FROM {self.table}").fetchall()
            return [Row(str(v), "", bool(d)) for v, d in found]
        if self.key_style == "goose":
            # Legacy goose wrote is_applied=0 rows on down; the newest row per version wins.
            found = conn.execute(
                f"SELECT version_id, is_applied, tstamp FROM {self.table} "
                "WHERE id IN (SELECT max(id) FROM goose_db_version GROUP BY version_id) "
                "AND version_id > 0 ORDER BY id"
            ).fetchall()
            return [Row(str(v), str(t or ""), False) for v, a, t in found if a]
        if self.key_style == "sqlx":
            found = conn.execute(
                f"SELECT version, installed_on, success FROM {self.table} ORDER BY version"
            ).fetchall()
            return [Row(str(v), str(t), not s) for v, t, s in found]
        if self.key_style in _READERS:
            return _READERS[self.key_style](conn, self.table)
        if self.key_style == "name":
            found = conn.execute(
                f"SELECT name, applied_at FROM {self.table} ORDER BY id"
            ).fetchall()
        else:
            time = "run_on" if self.key_style == "diesel" else "''"
            found = conn.execute(
                f"SELECT version, {time} FROM {self.table} ORDER BY version"
            ).fetchall()
        return [Row(str(k), str(t), False) for k, t in found]

    def create(self, conn: sqlite3.Connection) -> None:
        """Create the table as the tool does (goose also inserts its version-0 row)."""
        fresh = not self._shaped(conn) and self.key_style == "goose"
        for ddl in self.ddl:
            conn.execute(ddl)
        if fresh:
            conn.execute(f"INSERT INTO {self.table} (version_id, is_applied) VALUES (0, 1)")


_GOLANG_INSERT: Final = "INSERT INTO schema_migrations (version, dirty) VALUES (?, 0)"

WRANGLER: Final = Tracking(
    "wrangler",
    "d1_migrations",
    (
        "CREATE TABLE IF NOT EXISTS d1_migrations(\n"
        "    id         INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "    name       TEXT UNIQUE,\n"
        "    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL\n"
        ")",
    ),
    "name",
)
GOLANG_MIGRATE: Final = Tracking(
    "golang-migrate",
    "schema_migrations",
    (
        "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool)",
        "CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version)",
    ),
    "golang-migrate",
)
GOOSE: Final = Tracking(
    "goose",
    "goose_db_version",
    (
        "CREATE TABLE IF NOT EXISTS goose_db_version (\n"
        "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "    version_id INTEGER NOT NULL,\n"
        "    is_applied INTEGER NOT NULL,\n"
        "    tstamp TIMESTAMP DEFAULT (datetime('now'))\n"
        ")",
    ),
    "goose",
)
# liamstask goose: the same table and version-0 row; FinalizeMigration inserts
# (version, direction) for both directions (lib/goose/migrate.go at 8488cc4).
GOOSE_V1: Final = replace(GOOSE, down_row=True)
DBMATE: Final = Tracking(
    "dbmate",
    "schema_migrations",
    ("create table if not exists schema_migrations (version varchar(128) primary key)",),
    "dbmate",
)
SQLX: Final = Tracking(
    "sqlx",
    "_sqlx_migrations",
    (
        "CREATE TABLE IF NOT EXISTS _sqlx_migrations (\n"
        "    version BIGINT PRIMARY KEY,\n"
        "    description TEXT NOT NULL,\n"
        "    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
        "    success BOOLEAN NOT NULL,\n"
        "    checksum BLOB NOT NULL,\n"
        "    execution_time BIGINT NOT NULL\n"
        ")",
    ),
    "sqlx",
)
DIESEL: Final = Tracking(
    "diesel",
    "__diesel_schema_migrations",
    (
        "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (\n"
        "    version VARCHAR(50) PRIMARY KEY NOT NULL,\n"
        "    run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP\n"
        ")",
    ),
    "diesel",
)
# drizzle-orm sqlite-core/dialect.ts (migrate): ``id SERIAL`` is no rowid alias in SQLite,
# so ``id`` stays NULL; drizzle orders by ``created_at`` (the journal's ``when``).
DRIZZLE: Final = Tracking(
    "drizzle",
    "__drizzle_migrations",
    (
        'CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (\n'
        "    id SERIAL PRIMARY KEY,\n"
        "    hash text NOT NULL,\n"
        "    created_at numeric\n"
        ")",
    ),
    "drizzle",
)
# drizzle-orm v1 (``beta``) sqlite-core/async/session.ts ``migrateSync``: a real rowid id, the
# folder name, and a key by name (``getMigrationsToRun``); an older v0 table is upgraded by
# the v1 migrator itself (up-migrations/sqlite.ts), which the harness leaves to drizzle.
DRIZZLE_V1: Final = Tracking(
    "drizzle (v1)",
    "__drizzle_migrations",
    (
        'CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (\n'
        "    id INTEGER PRIMARY KEY,\n"
        "    hash text NOT NULL,\n"
        "    created_at numeric,\n"
        "    name text,\n"
        "    applied_at TEXT\n"
        ")",
    ),
    "drizzle-v1",
)
# prisma-engines schema-engine/connectors/sql-schema-connector/src/flavour/sqlite.rs.
PRISMA: Final = Tracking(
    "prisma",
    "_prisma_migrations",
    (
        'CREATE TABLE IF NOT EXISTS "_prisma_migrations" (\n'
        '    "id"                    TEXT PRIMARY KEY NOT NULL,\n'
        '    "checksum"              TEXT NOT NULL,\n'
        '    "finished_at"           DATETIME,\n'
        '    "migration_name"        TEXT NOT NULL,\n'
        '    "logs"                  TEXT,\n'
        '    "rolled_back_at"        DATETIME,\n'
        '    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,\n'
        '    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0\n'
        ")",
    ),
    "prisma",
)
# flyway-core .../internal/database/sqlite/SQLiteDatabase.java (getRawCreateScript).
FLYWAY: Final = Tracking(
    "flyway",
    "flyway_schema_history",
    (
        'CREATE TABLE IF NOT EXISTS "flyway_schema_history" (\n'
        '    "installed_rank" INT NOT NULL PRIMARY KEY,\n'
        '    "version" VARCHAR(50),\n'
        '    "description" VARCHAR(200) NOT NULL,\n'
        '    "type" VARCHAR(20) NOT NULL,\n'
        '    "script" VARCHAR(1000) NOT NULL,\n'
        '    "checksum" INT,\n'
        '    "installed_by" VARCHAR(100) NOT NULL,\n'
        "    \"installed_on\" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),\n"
        '    "execution_time" INT NOT NULL,\n'
        '    "success" BOOLEAN NOT NULL\n'
        ")",
        'CREATE INDEX IF NOT EXISTS "flyway_schema_history_s_idx" '
        'ON "flyway_schema_history" ("success")',
    ),
    "flyway",
)
# sqitch keeps its registry in ANOTHER database file (``sqitch.db`` beside the target,
# App::Sqitch::Engine::sqlite ``registry_uri``); the harness cannot write there without
# touching a second file, so it records deployed changes by name in this table instead.
SQITCH: Final = Tracking(
    "sqitch",
    "migration_harness_sqitch",
    (
        "CREATE TABLE IF NOT EXISTS migration_harness_sqitch(\n"
        "    id         INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "    name       TEXT UNIQUE,\n"
        "    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL\n"
        ")",
    ),
    "name",
)
# liquibase-standard CreateDatabaseChangeLogTableGenerator: no key; a changeset is
# (ID, AUTHOR, FILENAME), ORDEREXECUTED orders them.
LIQUIBASE: Final = Tracking(
    "liquibase",
    "DATABASECHANGELOG",
    (
        "CREATE TABLE IF NOT EXISTS DATABASECHANGELOG (\n"
        "    ID VARCHAR(255) NOT NULL,\n"
        "    AUTHOR VARCHAR(255) NOT NULL,\n"
        "    FILENAME VARCHAR(255) NOT NULL,\n"
        "    DATEEXECUTED DATETIME NOT NULL,\n"
        "    ORDEREXECUTED INT NOT NULL,\n"
        "    EXECTYPE VARCHAR(10) NOT NULL,\n"
        "    MD5SUM VARCHAR(35),\n"
        "    DESCRIPTION VARCHAR(255),\n"
        "    COMMENTS VARCHAR(255),\n"
        "    TAG VARCHAR(255),\n"
        "    LIQUIBASE VARCHAR(20),\n"
        "    CONTEXTS VARCHAR(255),\n"
        "    LABELS VARCHAR(255),\n"
        "    DEPLOYMENT_ID VARCHAR(10)\n"
        ")",
    ),
    "liquibase",
)
# rubenv/sql-migrate: gorp's CREATE TABLE for MigrationRecord (Id varchar(255) primary key,
# AppliedAt datetime) on gorp.SqliteDialect; the id is the file's name (migrate.go).
SQL_MIGRATE: Final = Tracking(
    "sql-migrate",
    "gorp_migrations",
    (
        'create table if not exists "gorp_migrations" ("id" varchar(255) not null primary key, '
        '"applied_at" datetime)',
    ),
    "sql-migrate",
)
# uptrace/bun migrate.Migration on sqlitedialect (query_table_create.go: INTEGER PRIMARY KEY
# AUTOINCREMENT); the name is the file name's leading digits (migrations.go fnameRE).
BUN: Final = Tracking(
    "bun",
    "bun_migrations",
    (
        'CREATE TABLE IF NOT EXISTS bun_migrations ("id" INTEGER NOT NULL PRIMARY KEY '
        'AUTOINCREMENT, "name" VARCHAR, "group_id" INTEGER, "migrated_at" TIMESTAMP NOT NULL '
        "DEFAULT current_timestamp)",
    ),
    "bun",
)
# refinery_core/src/traits/mod.rs (ASSERT_MIGRATIONS_TABLE_QUERY, int4 without the
# int8-versions feature); keyed by version, U files included.
REFINERY: Final = Tracking(
    "refinery",
    "refinery_schema_history",
    (
        "CREATE TABLE IF NOT EXISTS refinery_schema_history(\n"
        "             version int4 PRIMARY KEY,\n"
        "             name VARCHAR(255),\n"
        "             applied_on VARCHAR(255),\n"
        "             checksum VARCHAR(255))",
    ),
    "refinery",
)
# yoyo/internalmigrations/v2.py: _yoyo_migration keyed by the SHA-256 of the migration id,
# beside its log and schema-version tables (rowshapes).
YOYO: Final = Tracking(
    "yoyo",
    "_yoyo_migration",
    (
        'CREATE TABLE IF NOT EXISTS "_yoyo_migration" (\n'
        '    "migration_hash" VARCHAR(64),\n'
        '    "migration_id" VARCHAR(255),\n'
        '    "applied_at_utc" TIMESTAMP,\n'
        '    PRIMARY KEY ("migration_hash")\n'
        ")",
        *YOYO_LOG_DDL,
    ),
    "yoyo",
)
ALL: Final = (
    WRANGLER,
    GOLANG_MIGRATE,
    GOOSE,
    DBMATE,
    SQLX,
    DIESEL,
    DRIZZLE,
    DRIZZLE_V1,
    PRISMA,
    FLYWAY,
    SQITCH,
    LIQUIBASE,
    SQL_MIGRATE,
    BUN,
    REFINERY,
    YOYO,
)
TABLES: Final = frozenset(t.table for t in ALL) | YOYO_OTHER_TABLES
# Tables two runners name alike, told apart by a column: the one its key style names has it.
# golang-migrate's schema_migrations has ``dirty`` (dbmate's has not); drizzle v1's
# __drizzle_migrations has ``name`` (v0's has not).
_SHARED_NAMES: Final = {
    "schema_migrations": ("dirty", "golang-migrate"),
    "__drizzle_migrations": ("name", "drizzle-v1"),
}
_DIGITS: Final = re.compile(r"\d+")
_INTEGER_KEYS: Final = ("golang-migrate", "goose", "sqlx", "drizzle")


@functools.cache
def _columns(ddl: tuple[str, ...]) -> tuple[str, ...]:
    """The columns a tool's ``CREATE TABLE`` makes, lower-cased (read from SQLite itself)."""
    scratch = sqlite3.connect(":memory:")
    try:
        for statement in ddl:
            scratch.execute(statement)
        table = scratch.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchone()
        return tuple(str(r[1]).lower() for r in scratch.execute(f'PRAGMA table_info("{table[0]}")'))
    finally:
        scratch.close()


def key_of(migration: Migration, style: str) -> str:
    """The key a runner stores for ``migration``.

    wrangler keys by file name; dbmate by the file name's leading digits, kept as text
    (``0001`` stays ``0001``); diesel by its folder's prefix before ``_`` with ``-`` removed;
    golang-migrate, goose, sqlx and refinery by the version number; yoyo by the migration
    id (the file name without ``.sql``), whose SHA-256 its table stores.
    """
    if style in ("name", "prisma", "drizzle-v1", "sql-migrate", "yoyo"):
        return migration.id
    if style == "liquibase":
        ident, author, filename = liquibase_identity(migration)
        return f"{filename}::{ident}::{author}"
    if style == "drizzle":
        return str(migration.runner_data.get("created_at", migration.version))
    if style == "flyway":
        data = migration.runner_data
        version = data.get("version", migration.version)
        script = str(data.get("script", migration.path.name))
        return str(version) if version is not None else script
    if style in ("dbmate", "bun"):
        match = _DIGITS.match(migration.path.name)
        return match.group(0) if match else str(migration.version)
    if style == "diesel":
        prefix = migration.id.split("_", 1)[0].replace("-", "")
        return prefix if prefix.isdigit() else str(migration.version)
    return str(migration.version)


# Every key in one string, NUL-separated, when each is text without a NUL or an integer
# (SQLite writes an integer as Python's str() does); the second column counts the others,
# read one by one. A row per applied file: fetching a tuple per row on every step of every
# example cost time in the length of the history (issue 17).
_JOINED: Final = (
    "SELECT group_concat({column}, char(0)), "
    "coalesce(sum(typeof({column}) NOT IN ('integer', 'text') OR instr({column}, char(0)) > 0), 0) "
    "FROM {table}"
)


def has_table(conn: sqlite3.Connection, table: str) -> bool:
    """Whether ``table`` exists (read-only)."""
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,))
    return row.fetchone() is not None


def present(conn: sqlite3.Connection) -> list[Tracking]:
    """The runners whose tracking table this database holds (read-only).

    golang-migrate and dbmate both call theirs ``schema_migrations``; the ``dirty`` column
    tells them apart.
    """
    found = []
    for tracking in ALL:
        if not has_table(conn, tracking.table):
            continue
        if tracking.table in _SHARED_NAMES:
            column, style = _SHARED_NAMES[tracking.table]
            columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{tracking.table}")')}
            if (column in columns) != (tracking.key_style == style):
                continue
        found.append(tracking)
    return found


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


def liquibase_identity(migration: Migration) -> tuple[str, str, str]:
    """``(ID, AUTHOR, FILENAME)``: a plain file is one raw changeset, as Liquibase reads it."""
    data = migration.runner_data
    if "id" in data:
        return str(data["id"]), str(data.get("author", "")), str(data.get("filename", ""))
    return "raw", "includeAll", migration.id


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
    match = _DIGITS.match(key)
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


_OWN_ROWS: Final = {
    "drizzle": _drizzle_rows,
    "drizzle-v1": _drizzle_v1_rows,
    "prisma": _prisma_rows,
    "flyway": _flyway_rows,
    "liquibase": _liquibase_rows,
    "sql-migrate": _sql_migrate_rows,
    "bun": _bun_rows,
    "refinery": refinery_rows,
    "yoyo": yoyo_rows,
}
_READERS: Final = {
    "drizzle": _drizzle_read,
    "drizzle-v1": _drizzle_v1_read,
    "prisma": _prisma_read,
    "flyway": _flyway_read,
    "liquibase": _liquibase_read,
    "sql-migrate": _sql_migrate_read,
    "bun": _bun_read,
    "refinery": refinery_read,
    "yoyo": yoyo_read,
}
_KEY_COLUMNS: Final = {
    "name": "name",
    "goose": "version_id",
    "drizzle": "created_at",
    "drizzle-v1": "name",
    "prisma": "migration_name",
    "flyway": "version",
    "sql-migrate": "id",
    "bun": "name",
}


def _sqlx_description(migration: Migration) -> str:
    """Sqlx's description: the name after the version, ``_`` read as a space."""
    stem = migration.name.split("_", 1)[1] if "_" in migration.name else migration.name
    return stem.removesuffix(".up").replace("_", " ")
