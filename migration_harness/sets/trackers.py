"""Every runner's tracking table, as the tool creates it, and which ones a database holds.

The :class:`~migration_harness.sets.tracking.Tracking` definitions are data (each tool's
``CREATE TABLE`` and key style, with the source it was read from); they live apart from the
class that reads and writes them so each stays short. Sources in ``docs/RUNNERS.md``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Final

from migration_harness.sets.atlas import ATLAS_DDL
from migration_harness.sets.micrate import MICRATE_DDL
from migration_harness.sets.micrate import TABLE as MICRATE_TABLE
from migration_harness.sets.nodesqlite import NODE_SQLITE_DDL
from migration_harness.sets.nodesqlite import TABLE as NODE_SQLITE_TABLE
from migration_harness.sets.postgrator import POSTGRATOR_DDL, postgrator_ddl
from migration_harness.sets.postgrator import TABLE as POSTGRATOR_TABLE
from migration_harness.sets.rowshapes import YOYO_LOG_DDL, YOYO_OTHER_TABLES
from migration_harness.sets.tracking import Tracking
from migration_harness.sets.userversion import STYLE, WHERE

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
# ariga/atlas cmd/atlas/internal/migrate (EntRevisions, ent/migrate/schema.go): one row
# per file, keyed by its version string; in the migrated database itself on SQLite.
ATLAS: Final = Tracking("atlas", "atlas_schema_revisions", ATLAS_DDL, "atlas")
# kriasoft/node-sqlite src/utils/migrate.ts: id, name and the up and down texts.
NODE_SQLITE: Final = Tracking("node-sqlite", NODE_SQLITE_TABLE, NODE_SQLITE_DDL, "node-sqlite")
# rickbergfalk/postgrator lib/Client.js ensureTable + lib/Sqlite3Client.js: version (with a
# version-0 row), name, md5, run_at; the highest version is the database's.
POSTGRATOR: Final = Tracking("postgrator", POSTGRATOR_TABLE, POSTGRATOR_DDL, "postgrator")
# Platformatic DB names postgrator's table `versions` (packages/db/lib/config.js, schema.js).
# Not in ALL: a `versions` table says nothing about who made it.
PLATFORMATIC: Final = Tracking("platformatic", "versions", postgrator_ddl("versions"), "postgrator")
# amberframework/micrate src/micrate/db/sqlite3.cr: goose's table under its own name, no
# version-0 row, tstamp written by micrate (no default); a down is an is_applied = 0 row.
MICRATE: Final = Tracking(
    "micrate", MICRATE_TABLE, MICRATE_DDL, "goose", down_row=True, zero_row=False, stamped=True
)
# rusqlite_migration (lib.rs set_user_version) and SQLDelight (JdbcSqliteSchema.kt, Android's
# SQLiteOpenHelper) keep no table: the header's user version is the last applied key. Not in
# ALL: no table shows that a database is theirs (every database has a user version).
RUSQLITE_MIGRATION: Final = Tracking("rusqlite_migration", WHERE, (), STYLE)
SQLDELIGHT: Final = Tracking("sqldelight", WHERE, (), STYLE)
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
    ATLAS,
    NODE_SQLITE,
    POSTGRATOR,
    MICRATE,
)
TABLES: Final = frozenset(t.table for t in ALL) | YOYO_OTHER_TABLES
# Tables two runners name alike, told apart by a column: the one its key style names has it.
# golang-migrate's schema_migrations has ``dirty`` (dbmate's has not); drizzle v1's
# __drizzle_migrations has ``name`` (v0's has not).
_SHARED_NAMES: Final = {
    "schema_migrations": ("dirty", "golang-migrate"),
    "__drizzle_migrations": ("name", "drizzle-v1"),
}


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
