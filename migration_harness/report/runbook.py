"""What each runner offers when a deploy goes wrong: its rollback command, backup, restore.

The rollback guide used to tell golang-migrate users to run ``wrangler d1 execute`` and
``wrangler d1 export`` and said nothing of D1 Time Travel to D1 users (issue 12). Each
report now speaks the set's own runner, looked up here by target name. Commands follow
each tool's own documentation; placeholders are in capitals (``DB``, ``DIR``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final


@dataclass(frozen=True, slots=True)
class Runbook:
    """One runner's recovery commands.

    Attributes:
        runner: the tool as its users name it.
        rollback: the command that undoes the newest migration; empty when the runner
            has none.
        rollback_to: the command that undoes everything after a version (or how).
        no_rollback: what to do instead when ``rollback`` is empty.
        backup: how to take a backup before touching production.
        restore: how to bring that backup back.
        restore_short / rollback_short: a few plain words for the decision chart.

    """

    runner: str
    rollback: str
    rollback_to: str
    no_rollback: str
    backup: str
    restore: str
    restore_short: str
    rollback_short: str


_SQLITE_BACKUP: Final = (
    "`sqlite3 DB \".backup 'DB.bak'\"` (SQLite's online backup: safe while the application "
    "runs), or copy the database file together with its `-wal` and `-shm` files while "
    "nothing writes to it"
)
_SQLITE_RESTORE: Final = (
    "stop the application, then `sqlite3 DB \".restore 'DB.bak'\"` or copy the backup file "
    "back over the database"
)


def _sqlite_runner(runner: str, rollback: str, rollback_to: str, short: str) -> Runbook:
    """A runner on a local SQLite file: backups are file copies."""
    return Runbook(
        runner,
        rollback,
        rollback_to,
        "",
        _SQLITE_BACKUP,
        _SQLITE_RESTORE,
        "copy the backup file back",
        short,
    )


_FORWARD_ONLY_SQLITE: Final = "write a new migration that undoes it (fix forward)"

RUNBOOKS: Final[dict[str, Runbook]] = {
    "sqlite": _sqlite_runner(
        "plain SQL files",
        "`sqlite3 DB < ROLLBACK_FILE` for the newest migration's rollback file",
        "run the rollback files newest first down to the version, or "
        "`migration-harness rollback --db DB --to VERSION`",
        "run the rollback file",
    ),
    "d1": Runbook(
        "wrangler (Cloudflare D1)",
        "",
        "",
        "wrangler has no rollback command: run the rollback file with `wrangler d1 execute "
        "DB --remote --file=ROLLBACK_FILE`, then delete its row: `wrangler d1 execute DB "
        "--remote --command \"DELETE FROM d1_migrations WHERE name = 'MIGRATION_FILE'\"`",
        "D1 Time Travel keeps point-in-time history (30 days on paid plans, 7 on Free): "
        "note where you start with `wrangler d1 time-travel info DB`; "
        "`wrangler d1 export DB --remote --output=backup.sql` keeps an extra copy",
        "`wrangler d1 time-travel restore DB --bookmark=BOOKMARK` (or "
        "`--timestamp=UNIX_TIME`) brings the whole database back to that moment",
        "D1 Time Travel restore",
        "wrangler d1 execute the rollback file",
    ),
    "golang-migrate": _sqlite_runner(
        "golang-migrate",
        '`migrate -path DIR -database "sqlite3://DB" down 1`',
        '`migrate -path DIR -database "sqlite3://DB" goto VERSION`',
        "migrate down 1",
    ),
    "goose": _sqlite_runner(
        "goose",
        "`goose -dir DIR sqlite3 DB down`",
        "`goose -dir DIR sqlite3 DB down-to VERSION`",
        "goose down",
    ),
    # liamstask goose's CLI reads db/dbconf.yml; it has no down-to, only one step down.
    "goose-v1": _sqlite_runner(
        "goose (liamstask)",
        "`goose -path DIR -env ENV down`",
        "`goose -path DIR -env ENV down` once per migration, newest first",
        "goose down",
    ),
    "dbmate": _sqlite_runner(
        "dbmate",
        "`dbmate --url sqlite:DB --migrations-dir DIR rollback`",
        "`dbmate ... rollback` once per migration, newest first",
        "dbmate rollback",
    ),
    "sqlx": _sqlite_runner(
        "sqlx",
        "`sqlx migrate revert --database-url sqlite:DB --source DIR`",
        "`sqlx migrate revert --database-url sqlite:DB --source DIR --target-version VERSION`",
        "sqlx migrate revert",
    ),
    "diesel": _sqlite_runner(
        "diesel",
        "`diesel migration revert --database-url DB --migration-dir DIR`",
        "`diesel migration revert --database-url DB --migration-dir DIR -n COUNT`",
        "diesel migration revert",
    ),
    # sql-migrate's CLI reads dbconfig.yml; `down` undoes one migration (-limit=1).
    "sql-migrate": _sqlite_runner(
        "sql-migrate",
        "`sql-migrate down -env ENV`",
        "`sql-migrate down -env ENV -limit=COUNT`, COUNT the migrations after VERSION",
        "sql-migrate down",
    ),
    # bun has no CLI of its own: applications wrap Migrator.Rollback (the last group).
    "bun": _sqlite_runner(
        "bun migrate",
        "the application's `db rollback` command (bun's `Migrator.Rollback`: it undoes the "
        "last migration group)",
        "`db rollback` once per migration group, newest first",
        "bun db rollback",
    ),
    "drizzle": Runbook(
        "drizzle-kit",
        "",
        "",
        "drizzle-kit has no down migrations: " + _FORWARD_ONLY_SQLITE + " with "
        "`drizzle-kit generate`, or restore the backup",
        _SQLITE_BACKUP,
        _SQLITE_RESTORE,
        "copy the backup file back",
        "none: drizzle-kit has no rollback",
    ),
    "prisma": Runbook(
        "Prisma Migrate",
        "",
        "",
        "Prisma Migrate has no down migrations: generate a down script with `prisma migrate "
        "diff ... --script > down.sql`, run it with `prisma db execute --file down.sql`, "
        "then mark the migration `prisma migrate resolve --rolled-back MIGRATION`",
        _SQLITE_BACKUP,
        _SQLITE_RESTORE,
        "copy the backup file back",
        "prisma db execute a down script",
    ),
    "flyway": _sqlite_runner(
        "Flyway",
        "`flyway undo` (runs the `U` file; Flyway Teams/Enterprise)",
        "`flyway undo -target=VERSION`",
        "flyway undo",
    ),
    "sqitch": _sqlite_runner(
        "sqitch",
        "`sqitch revert --to @HEAD^`",
        "`sqitch revert --to CHANGE`",
        "sqitch revert",
    ),
    "liquibase": _sqlite_runner(
        "Liquibase",
        "`liquibase rollback-count --count=1`",
        "`liquibase rollback --tag=TAG`",
        "liquibase rollback-count",
    ),
    "refinery": Runbook(
        "refinery",
        "",
        "",
        "refinery has no down migrations: " + _FORWARD_ONLY_SQLITE + " (a new "
        "V<n>__<name>.sql), or restore the backup",
        _SQLITE_BACKUP,
        _SQLITE_RESTORE,
        "copy the backup file back",
        "none: refinery has no rollback",
    ),
    "yoyo": _sqlite_runner(
        "yoyo",
        "`yoyo rollback --batch --database sqlite:///DB DIR --revision ID` (ID and the "
        "migrations whose -- depends: names it)",
        "`yoyo rollback --batch --database sqlite:///DB DIR --revision ID` once per "
        "migration after VERSION, newest first",
        "yoyo rollback",
    ),
    # `atlas migrate down` is not in the open-source build (cmdapi.go: unsupportedCommand);
    # the commercial one plans the down from a dev database at run time.
    "atlas": Runbook(
        "Atlas",
        "",
        "",
        "Atlas's files have no down migrations (`atlas migrate down`, in Atlas's commercial "
        "build only, plans one against a dev database): " + _FORWARD_ONLY_SQLITE + " (`atlas "
        "migrate diff`, then `atlas migrate apply`), or restore the backup",
        _SQLITE_BACKUP,
        _SQLITE_RESTORE,
        "copy the backup file back",
        "none in the open-source atlas",
    ),
    "node-sqlite": _sqlite_runner(
        "node-sqlite (`db.migrate()`)",
        "delete the newest migration file and run `db.migrate()` (it runs the down text its "
        "`migrations` row stored), or `db.migrate({ force: true })` to undo and redo it",
        "delete the files after VERSION and run `db.migrate()`: it undoes each, newest first",
        "db.migrate() without the file",
    ),
    # postgrator has no command line of its own: the application (or Platformatic's
    # `platformatic db migrations apply --to`) calls migrate(target), which runs the undo files.
    "postgrator": _sqlite_runner(
        "postgrator",
        "`postgrator.migrate(String(N - 1))` from the application (N: the highest version in "
        "`schemaversion`; Platformatic DB: `platformatic db migrations apply --rollback`), "
        "which runs N's undo file",
        "`postgrator.migrate(VERSION)`: it runs the undo files above VERSION, newest first",
        "migrate(N - 1)",
    ),
    "micrate": _sqlite_runner(
        "micrate",
        "`DATABASE_URL=sqlite3:DB micrate down` (from the project root: micrate reads "
        "db/migrations)",
        "`micrate down` once per migration, newest first",
        "micrate down",
    ),
    # rusqlite_migration has no command line: the application calls to_version.
    "rusqlite_migration": _sqlite_runner(
        "rusqlite_migration",
        "`MIGRATIONS.to_version(&mut conn, N - 1)` from the application (N: the database's "
        "`PRAGMA user_version`; a migration without down.sql only moves the number back)",
        "`MIGRATIONS.to_version(&mut conn, VERSION)` from the application",
        "to_version(N - 1)",
    ),
    "sqldelight": Runbook(
        "SQLDelight",
        "",
        "",
        "SQLDelight has no down migrations: " + _FORWARD_ONLY_SQLITE + " (a new "
        "<n>.sqm and a schema version one higher), or restore the backup",
        _SQLITE_BACKUP,
        _SQLITE_RESTORE,
        "copy the backup file back",
        "none: SQLDelight has no rollback",
    ),
}
# drizzle-kit v1 differs from the journal only in how files are found and recorded.
RUNBOOKS["drizzle-v1"] = replace(RUNBOOKS["drizzle"], runner="drizzle-kit (v1)")
RUNBOOKS["refinery-grouped"] = RUNBOOKS["refinery"]
RUNBOOKS["atlas-all"] = RUNBOOKS["atlas"]
RUNBOOKS["postgrator-split"] = RUNBOOKS["postgrator"]
RUNBOOKS["postgrator-query"] = RUNBOOKS["postgrator"]
RUNBOOKS["platformatic"] = _sqlite_runner(
    "Platformatic DB (postgrator)",
    "`platformatic db migrations apply --rollback` (runs the newest version's undo file)",
    "`platformatic db migrations apply --to VERSION` (postgrator runs the undo files above "
    "VERSION, newest first)",
    "migrations apply --rollback",
)


def runbook_for(target: str) -> Runbook:
    """The runbook of ``target`` (a target's name); plain SQLite files for unknown ones."""
    return RUNBOOKS.get(target, RUNBOOKS["sqlite"])
