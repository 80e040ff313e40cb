"""Every runner the harness emulates, by its ``--target`` name: the table of targets.

Each entry sets the :class:`~migration_harness.sets.targets.Target` fields where the runner
differs from the defaults (its usual driver's foreign keys, how it wraps and cuts a file,
its tracking table); the comment above it says which source each choice follows, and
``docs/RUNNERS.md`` cites them. The rules themselves (what a field does to a file) stay in
:mod:`~migration_harness.sets.targets`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from migration_harness.errors import HarnessError
from migration_harness.sets import trackers
from migration_harness.sets.targets import Target

TARGETS: Final[dict[str, Target]] = {
    # No migration tool: plain files are run one after another, nothing records them.
    "sqlite": Target("sqlite", tracked=False),
    "d1": Target("d1", d1=True, wrap="file", opt_out=False),
    # mattn/go-sqlite3: foreign keys off unless the DSN has _foreign_keys=1; the driver wraps
    # every file and has only a per-connection opt-out (x-no-tx-wrap).
    "golang-migrate": Target(
        "golang-migrate",
        foreign_keys=False,
        wrap="file",
        opt_out=False,
        tracking=trackers.GOLANG_MIGRATE,
        halts_on_failure="migrate force <version>",
    ),
    "goose": Target(
        "goose", foreign_keys=False, wrap="file", splitter="goose", tracking=trackers.GOOSE
    ),
    # liamstask goose (bitbucket.org/liamstask/goose, e.g. gophish): one transaction per
    # file with its version row, no NO TRANSACTION, unterminated text dropped, down
    # recorded as an is_applied = 0 row; mattn, keys off.
    "goose-v1": Target(
        "goose-v1",
        foreign_keys=False,
        wrap="file",
        opt_out=False,
        splitter="goose-v1",
        tracking=trackers.GOOSE_V1,
    ),
    "dbmate": Target("dbmate", foreign_keys=False, wrap="file", tracking=trackers.DBMATE),
    # SqliteConnectOptions::new() turns foreign keys on.
    "sqlx": Target("sqlx", foreign_keys=True, wrap="file", tracking=trackers.SQLX),
    "diesel": Target("diesel", foreign_keys=False, wrap="file", tracking=trackers.DIESEL),
    # drizzle-orm's migrator on better-sqlite3 (compiled with SQLITE_DEFAULT_FOREIGN_KEYS=1):
    # BEGIN, every pending file's breakpoint pieces, COMMIT; no per-file opt-out.
    "drizzle": Target(
        "drizzle",
        foreign_keys=True,
        wrap="run",
        opt_out=False,
        splitter="drizzle",
        tracking=trackers.DRIZZLE,
    ),
    # Prisma's schema engine: rusqlite (bundled, SQLITE_DEFAULT_FOREIGN_KEYS=1) and
    # execute_batch of the whole script, with no transaction around it.
    "prisma": Target(
        "prisma",
        foreign_keys=True,
        wrap="none",
        opt_out=False,
        tracking=trackers.PRISMA,
        halts_on_failure="prisma migrate resolve --rolled-back <name>",
    ),
    # Flyway on Xerial sqlite-jdbc: one transaction per file unless the file holds
    # PRAGMA foreign_keys (SQLiteParser) or its script config says executeInTransaction.
    "flyway": Target(
        "flyway",
        foreign_keys=False,
        wrap="flyway",
        tracking=trackers.FLYWAY,
        halts_on_failure="flyway repair",
    ),
    # sqitch on SQLite: `sqlite3 -bail -batch db ".read file"`; the script manages its own
    # transaction (sqitch's templates write BEGIN/COMMIT) and the CLI leaves keys off.
    "sqitch": Target(
        "sqitch", foreign_keys=False, wrap="none", opt_out=False, tracking=trackers.SQITCH
    ),
    # Liquibase on Xerial sqlite-jdbc: a transaction per changeset with its
    # DATABASECHANGELOG row, unless runInTransaction:false; its own statement splitting.
    "liquibase": Target(
        "liquibase",
        foreign_keys=False,
        wrap="file",
        splitter="liquibase",
        tracking=trackers.LIQUIBASE,
    ),
    # rubenv/sql-migrate on mattn/go-sqlite3 (keys off): a gorp transaction per file with
    # its gorp_migrations row, unless the section says `notransaction`; its own cutting.
    "sql-migrate": Target(
        "sql-migrate",
        foreign_keys=False,
        wrap="file",
        splitter="sql-migrate",
        tracking=trackers.SQL_MIGRATE,
    ),
    # uptrace/bun's migrator (sqliteshim: modernc or mattn, keys off): `.tx.up.sql` files
    # run in a transaction, every other file statement by statement (the layout marks it
    # "no transaction"); pieces cut at --bun:split.
    "bun": Target(
        "bun",
        foreign_keys=False,
        wrap="file",
        splitter="bun",
        tracking=trackers.BUN,
        records_first=True,
    ),
    # refinery on rusqlite: each file one execute_batch in its own transaction, its history
    # row in the next (traits/sync.rs); bundled libsqlite3-sys turns foreign keys on.
    "refinery": Target(
        "refinery", foreign_keys=True, wrap="file", opt_out=False, tracking=trackers.REFINERY
    ),
    # yoyo on Python's sqlite3 (isolation_level None): BEGIN, each statement, COMMIT per
    # file, unless `-- transactional: false`; the system SQLite leaves keys off.
    "yoyo": Target("yoyo", foreign_keys=False, wrap="file", tracking=trackers.YOYO),
    # atlas migrate apply (--tx-mode file): a transaction per file with its revision, unless
    # `-- atlas:txmode none`; sqlite.OpenTx turns keys off for it whatever the URL says.
    "atlas": Target(
        "atlas", foreign_keys=False, wrap="file", splitter="atlas", tracking=trackers.ATLAS
    ),
    # node-sqlite db.migrate(): BEGIN, db.exec(up), its migrations row, COMMIT; node-sqlite3
    # builds SQLite without SQLITE_DEFAULT_FOREIGN_KEYS.
    "node-sqlite": Target(
        "node-sqlite", foreign_keys=False, wrap="file", opt_out=False, tracking=trackers.NODE_SQLITE
    ),
    # rusqlite_migration's to_latest: one transaction for every pending migration (each one
    # execute_batch), then PRAGMA user_version; keys as rusqlite's build (bundled: on).
    "rusqlite_migration": Target(
        "rusqlite_migration",
        foreign_keys=True,
        wrap="run",
        opt_out=False,
        tracking=trackers.RUSQLITE_MIGRATION,
    ),
    # SQLDelight's generated Schema.migrate inside the driver's one upgrade transaction
    # (Android's SQLiteOpenHelper, JdbcSqliteDriver's transacter), then the user version;
    # Android and sqlite-jdbc leave keys off.
    "sqldelight": Target(
        "sqldelight",
        foreign_keys=False,
        wrap="run",
        opt_out=False,
        tracking=trackers.SQLDELIGHT,
    ),
    # postgrator 7.3.0+ (driver sqlite3): each do file one execSqlScript (node-sqlite3's db.exec in
    # postgrator's own setup: every statement, stopping at the first error), then its
    # schemaversion row; no transaction anywhere, and node-sqlite3 leaves keys off.
    "postgrator": Target(
        "postgrator",
        foreign_keys=False,
        wrap="none",
        opt_out=False,
        tracking=trackers.POSTGRATOR,
    ),
    # micrate (Crystal, crystal-sqlite3): db.transaction per file with its micrate_db_version
    # row, no opt-out; liamstask goose's cutting, each chunk one prepared statement (its first
    # statement only); crystal-sqlite3 sets foreign_keys only when the URL asks.
    "micrate": Target(
        "micrate",
        foreign_keys=False,
        wrap="file",
        opt_out=False,
        splitter="micrate",
        tracking=trackers.MICRATE,
    ),
}
# atlas migrate apply --tx-mode all: every pending file in one transaction, no file opt-out.
TARGETS["atlas-all"] = replace(TARGETS["atlas"], name="atlas-all", wrap="run", opt_out=False)
# postgrator before 7.3.0: lib/Sqlite3Client.js runQuery cut every file at each ';' (no
# notion of quotes) and sent each piece to the application's execQuery.
TARGETS["postgrator-split"] = replace(
    TARGETS["postgrator"], name="postgrator-split", splitter="postgrator-split"
)
# postgrator 7.3.0 and later when the application gives no execSqlScript: the whole file to
# execQuery, where node-sqlite3's all/run/get run its first statement only.
TARGETS["postgrator-query"] = replace(
    TARGETS["postgrator"], name="postgrator-query", splitter="postgrator-query"
)
# Platformatic DB (platformatic/platformatic packages/db/lib/migrator.js): postgrator with
# schemaTable 'versions', each statement of a file run by itself on better-sqlite3 (its
# sqlite-pool) or node:sqlite, both with keys on, and no transaction.
TARGETS["platformatic"] = replace(
    TARGETS["postgrator"], name="platformatic", foreign_keys=True, tracking=trackers.PLATFORMATIC
)
# refinery's Runner::set_grouped(true): every pending file and its row in one transaction.
TARGETS["refinery-grouped"] = replace(TARGETS["refinery"], name="refinery-grouped", wrap="run")
# drizzle-orm v1's migrator (drizzle-kit 1.0 folders): the same one transaction and
# breakpoint pieces; files are recorded, and found pending, by folder name.
TARGETS["drizzle-v1"] = replace(TARGETS["drizzle"], name="drizzle-v1", tracking=trackers.DRIZZLE_V1)


def get_target(name: str) -> Target:
    """Look a target up by name, suggesting the closest on a typo."""
    try:
        return TARGETS[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, TARGETS, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"choose one of {', '.join(TARGETS)}"
        message = f"--target {name}: unknown target ({hint})"
        raise HarnessError(message) from None
