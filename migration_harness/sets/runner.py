"""Applying and rolling back migrations, one atomic file at a time.

The runner records what it applied in the target runner's own tracking table (wrangler's
``d1_migrations``, goose's ``goose_db_version`` …, see :mod:`migration_harness.sets.trackers`), so a
database migrated by that tool is understood here and the other way round. Each file runs under its
target's rules (:mod:`~migration_harness.sets.targets`); when the target wraps a file, the
file and its
tracking row commit together, so a failure or a killed process leaves the previous version.
The same code serves the CLI on a user's file and the property checks on in-memory copies.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Final

from migration_harness.errors import (
    ChecksumMismatchError,
    DatabaseError,
    HarnessError,
    MigrationError,
)
from migration_harness.sets import sandbox

# Running one file lives in sets.atomic, the bookkeeping reads in sets.ledger; the names
# callers used are re-exported here (`X as X`) so every old `runner.<name>` keeps working.
from migration_harness.sets.atomic import (
    _expected_down,
    _forget,
    _is_applied,
    _reason,
    _record,
    _tracking_keys,
    _transaction,
    _verify_step,
)
from migration_harness.sets.atomic import _run_file as _run_file
from migration_harness.sets.atomic import _run_statements as _run_statements
from migration_harness.sets.atomic import _run_tracking as _run_tracking
from migration_harness.sets.discovery import Migration, MigrationSet
from migration_harness.sets.integrity import clear_intent, intents
from migration_harness.sets.ledger import BOOKKEEPING_TABLES as BOOKKEEPING_TABLES
from migration_harness.sets.ledger import CHECKSUM_TABLE as CHECKSUM_TABLE
from migration_harness.sets.ledger import TRACKING_DDL as TRACKING_DDL
from migration_harness.sets.ledger import TRACKING_TABLE as TRACKING_TABLE
from migration_harness.sets.ledger import Applied as Applied
from migration_harness.sets.ledger import Status as Status
from migration_harness.sets.ledger import applied_rows as applied_rows
from migration_harness.sets.ledger import bookkeeping_tables as bookkeeping_tables
from migration_harness.sets.ledger import dirty_rows as dirty_rows
from migration_harness.sets.ledger import ensure_tracking as ensure_tracking
from migration_harness.sets.ledger import prepare as prepare
from migration_harness.sets.ledger import status as status
from migration_harness.sets.lock import LockedError, runner_lock
from migration_harness.sets.sql import Statement
from migration_harness.sets.targets import MigrationRefusedError, Target
from migration_harness.sets.trackers import present
from migration_harness.sets.versions import BEFORE_FIRST, position
from migration_harness.sets.versions import version_named as version_named  # the CLI's name

BUSY_TIMEOUT_SECONDS: Final = 30.0


def connect(
    path: Path | str, *, create: bool = False, read_only: bool = False
) -> sqlite3.Connection:
    """Open a user's database, refusing anything that is not SQLite.

    Args:
        path: the database file.
        create: make the file if it is missing (``migrate``); otherwise a missing file is an
            error, so ``status`` never leaves an empty database behind.
        read_only: open with ``mode=ro`` (``status``): SQLite then writes nothing, not even
            the recovery of a hot journal left by a killed writer.

    """
    db_path = Path(path)
    if not create and not db_path.exists():
        message = f"{db_path}: database does not exist (run `migration-harness migrate` first)"
        raise DatabaseError(message)
    if db_path.is_dir():
        message = f"{db_path}: is a folder, not a database file"
        raise DatabaseError(message)
    _refuse_special(db_path)
    if not read_only and db_path.exists() and not os.access(db_path, os.W_OK):
        # SQLite opens it and fails at the first write, blamed on the migration file run.
        message = f"{db_path}: is read-only (this command writes to it; check its permissions)"
        raise DatabaseError(message)
    mode = "ro" if read_only else "rwc" if create else "rw"
    # Percent-encode the path: in a URI, '#', '?' and '%' would otherwise cut or rewrite
    # it, and SQLite would open (and create) some other file.
    uri = f"file:{urllib.parse.quote(str(db_path))}?mode={mode}"
    try:
        conn = sqlite3.connect(
            uri,
            uri=True,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_SECONDS,
            factory=sandbox.Production,  # the user's database: production, not sandboxed
        )
    except sqlite3.Error as exc:
        message = f"{db_path}: cannot open the database: {exc} (does its folder exist?)"
        raise DatabaseError(message) from exc
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK":
            message = (
                f"{db_path}: has a hot journal (a write was interrupted) that only a writer "
                "can recover; this command opens it read-only (run migrate to recover it)"
            )
            raise DatabaseError(message) from exc
        if _is_locked(exc):
            # An EXCLUSIVE lock past the busy timeout: the file is fine, someone holds it.
            message = f"{db_path}: locked by another process for {BUSY_TIMEOUT_SECONDS:g} s ({exc})"
            raise LockedError(message) from exc
        message = f"{db_path}: not an SQLite database ({exc})"
        raise DatabaseError(message) from exc
    return conn


def _refuse_special(db_path: Path) -> None:
    """Refuse a path that is there but is no regular file (``/dev/null``, a FIFO, a socket).

    SQLite opens a device and fails at the first write with "disk I/O error" (an internal
    error, exit 3, after it had written ``/dev/null-journal`` beside it); a FIFO blocks the
    open for good, past SIGTERM, since the kernel waits for a writer.
    """
    try:
        mode = db_path.stat().st_mode
    except OSError:
        return  # missing (created by migrate, refused by the others) or unreachable: as before
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        message = f"{db_path}: is {kind}, not a database file"
        raise DatabaseError(message)


def _is_locked(exc: sqlite3.Error) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED: another connection holds a lock past the busy timeout."""
    return getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def apply(conn: sqlite3.Connection, migration: Migration, target: Target) -> None:
    """Run ``migration``'s forward file and record it, atomically where the target is."""
    _run_file(
        conn,
        migration.up_sql,
        migration.path,
        target,
        _record(migration, target),
        options=migration.up_options,
        step=(migration, "up"),
    )


def rollback(conn: sqlite3.Connection, migration: Migration, target: Target) -> None:
    """Run ``migration``'s rollback file and forget it, atomically where the target is."""
    if migration.down_sql is None:
        message = f"{migration.path}: has no rollback (add {_expected_down(migration)})"
        raise HarnessError(message)
    path = migration.down_path or migration.path
    _run_file(
        conn,
        migration.down_sql,
        path,
        target,
        _forget(migration, target),
        options=migration.down_options,
        step=(migration, "down"),
    )


def execute(
    conn: sqlite3.Connection,
    sql: str,
    path: Path,
    target: Target,
    options: Mapping[str, object] | None = None,
) -> None:
    """Run a file's SQL under the target's rules without touching the tracking table.

    The idempotency check uses this to execute a file a second time, as a person re-running
    it by hand (``wrangler d1 execute --file``) would.
    """
    _run_file(conn, sql, path, target, None, options=options)


# SQLite's words for a statement its parser refuses, whatever the database holds.
SYNTAX_ERRORS: Final = ("syntax error", "incomplete input", "unrecognized token")


def parse_failure(
    sql: str, path: Path, target: Target, options: Mapping[str, object] | None = None
) -> MigrationError | None:
    """How a file fails whatever database it runs on: refused by its runner, or unparsable.

    Statements are cut as the target's runner cuts them and compiled (``EXPLAIN``, so
    nothing runs) on an empty scratch database: SQLite parses a statement before it
    resolves names, so "no such table" is left to the real run and a syntax error is the
    file's own. This lets a check report a broken file it never reaches (a file after one
    that failed), instead of only the first of several.

    Returns:
        The failure as the runner would raise it (file, line, statement, SQLite's
        message); ``None`` when every statement parses.

    """
    try:
        plan = target.plan(sql, str(path), options)
    except MigrationRefusedError as exc:
        statement = exc.statement
        return MigrationError(str(path), exc.reason, statement.sql, line=statement.line)
    scratch = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for statement in plan.statements:
            reason = _parse_error(scratch, statement)
            if reason is not None:
                return MigrationError(str(path), reason, statement.sql, line=statement.line)
    finally:
        scratch.close()
    return None


def _parse_error(scratch: sqlite3.Connection, statement: Statement) -> str | None:
    """SQLite's parser message for ``statement``, or ``None`` when it parses."""
    explained = statement.keywords[:1] == ("EXPLAIN",)
    try:
        scratch.execute(statement.sql if explained else f"EXPLAIN {statement.sql}")
    except sqlite3.Error as exc:
        reason = _reason(exc)
        if any(marker in reason for marker in SYNTAX_ERRORS):
            return reason
    # A trigger body never closed fails on its first unknown name here; it is still
    # cut short whatever the database holds (SQLite's own words for it).
    return None if sqlite3.complete_statement(statement.sql + "\n;") else "incomplete input"


def _nothing(migration: Migration) -> None:
    """No report of a step (the library's default: the CLI prints each)."""


def migrate(
    conn: sqlite3.Connection,
    mset: MigrationSet,
    target: Target,
    *,
    to: int | None = None,
    allow_changed: bool = False,
    on_applied: Callable[[Migration], None] = _nothing,
) -> list[Migration]:
    """Apply every pending migration up to ``to`` (all by default), in order.

    ``on_applied`` is called with each migration once it is committed, so a caller can
    say how far a run got before a later file fails or the process is killed (for files
    run in one transaction, once it commits).

    Returns:
        The migrations applied by this call; empty when the database was up to date.

    """
    with runner_lock(conn):
        prepare(conn, target)
        _refuse_other_runner(conn, target)
        refuse_interrupted(conn)
        ensure_tracking(conn, target)
        current = status(conn, mset, target)
        _refuse_changed(current, allow_changed)
        limit = position(mset, to) if to is not None else len(mset.migrations)
        wanted = [m for m in mset.migrations[:limit] if m in current.pending]
        if target.wrap == "run" and target.executor is None and wanted:
            done = _migrate_in_one_transaction(conn, wanted, target)
            for migration in done:
                on_applied(migration)
            return done
        return _migrate_each(conn, wanted, target, on_applied)


def _migrate_each(
    conn: sqlite3.Connection,
    wanted: Sequence[Migration],
    target: Target,
    on_applied: Callable[[Migration], None],
) -> list[Migration]:
    """Apply ``wanted`` one file (and its tracking row) at a time."""
    done = []
    for migration in wanted:
        if migration.program is not None:
            message = (
                f"{migration.path}: a {migration.program.capitalize()} migration; "
                f"migration-harness runs SQL files only (apply it with its runner, then "
                f"migrate again)"
            )
            raise HarnessError(message)
        if _run_file(
            conn,
            migration.up_sql,
            migration.path,
            target,
            _record(migration, target),
            options=migration.up_options,
            unless_applied=migration,
            step=(migration, "up"),
        ):
            done.append(migration)
            on_applied(migration)
    return done


def rollback_to(
    conn: sqlite3.Connection,
    mset: MigrationSet,
    target: Target,
    *,
    to: int | None = None,
    steps: int | None = None,
    on_undone: Callable[[Migration], None] = _nothing,
) -> list[Migration]:
    """Roll back applied migrations newest first, down to version ``to`` or by ``steps``.

    Every migration to undo is checked for a rollback before anything runs, so a request
    that cannot finish does not stop halfway. ``on_undone`` is called with each migration
    once its rollback is committed.
    """
    with runner_lock(conn):
        prepare(conn, target)
        _refuse_other_runner(conn, target)
        refuse_interrupted(conn)
        current = status(conn, mset, target)
        applied = list(current.applied)
        if to is None:
            undo = list(reversed(applied))[: steps or 0]
        elif to == BEFORE_FIRST:
            undo = list(reversed(applied))
        else:
            keep = position(mset, to)
            undo = [m for m in reversed(applied) if position(mset, m.version) > keep]
        missing = [m for m in undo if m.down_sql is None]
        if missing:
            names = ", ".join(m.path.name for m in missing)
            message = f"{missing[0].path}: no rollback for {names}; cannot roll back past it"
            raise HarnessError(message)
        for migration in undo:
            rollback(conn, migration, target)
            on_undone(migration)
        return undo


def settle(
    conn: sqlite3.Connection, migration: Migration, target: Target, direction: str, *, ran: bool
) -> None:
    """Close an interrupted self-managed step: write its tracking row (``ran``) or not.

    Either way the intent goes, in the same transaction; :mod:`~migration_harness.sets.recovery`
    decides ``ran`` from the schema, or the user does (``migrate --resolve``).
    """
    step = (migration, direction)
    with _transaction(conn, migration.path):
        if ran:
            forward = direction == "up"
            tracking = _record(migration, target) if forward else _forget(migration, target)
            before = _tracking_keys(conn, target, step)
            _run_tracking(conn, tracking, target, migration.path)
            _verify_step(conn, migration.path, target, step, before, integrity=False)
        clear_intent(conn, migration.id)


def settle_unknown(conn: sqlite3.Connection, name: str) -> None:
    """Drop the intent of a step whose file the set no longer has (``--resolve undone``)."""
    with _transaction(conn, Path(name)):
        clear_intent(conn, name)


def refuse_interrupted(conn: sqlite3.Connection) -> None:
    """A self-managed file interrupted before its tracking row: settle it before moving on.

    Raises:
        DatabaseError: naming the file and the command that recovers it.

    """
    found = intents(conn)
    if found:
        first = found[0]
        message = (
            f"{first.name}: interrupted after it started ({first.direction}, "
            f"{first.started_at}) and before its tracking row; run `migration-harness migrate` "
            "to recover it"
        )
        raise DatabaseError(message)


def _migrate_in_one_transaction(
    conn: sqlite3.Connection, wanted: Sequence[Migration], target: Target
) -> list[Migration]:
    """Every pending file and its tracking row in ONE transaction, as drizzle's migrator does.

    drizzle-orm ``sqlite-core/dialect.ts`` (``migrate``): ``BEGIN``, each pending file's
    statements and its ``__drizzle_migrations`` row, ``COMMIT``; any error rolls back the
    whole run, files that succeeded before it included.
    """
    plans = []
    for migration in wanted:
        try:
            plans.append(target.plan(migration.up_sql, str(migration.path), migration.up_options))
        except MigrationRefusedError as exc:
            raise MigrationError(str(migration.path), exc.reason, exc.statement.sql) from exc
    done = []
    with _transaction(conn, wanted[0].path):
        for migration, plan in zip(wanted, plans, strict=True):
            if _is_applied(conn, migration, target):
                continue
            before = _tracking_keys(conn, target, (migration, "up"), plan.statements)
            _run_statements(conn, plan.statements, migration.path, target)
            _run_tracking(conn, _record(migration, target), target, migration.path)
            _verify_step(conn, migration.path, target, (migration, "up"), before)
            done.append(migration)
    return done


def _refuse_changed(current: Status, allow_changed: bool) -> None:
    """A migration edited after it ran means the database and the files disagree."""
    if current.changed and not allow_changed:
        first = current.changed[0]
        message = (
            f"{first.path}: changed after it was applied to this database "
            "(restore the file, or pass --allow-changed to accept it)"
        )
        raise ChecksumMismatchError(message)


def _refuse_other_runner(conn: sqlite3.Connection, target: Target) -> None:
    """A database tracked by another runner, or marked dirty by this one, is not ours to move.

    Writing a second tracking table would leave two tools disagreeing about the version;
    golang-migrate (``dirty``) and sqlx (``success = false``) refuse to run over a failed
    migration until someone repairs the database, and so does the harness.
    """
    found = present(conn)
    if found and target.tracking not in found:
        others = ", ".join(f"{t.runner} ({t.table})" for t in found)
        message = (
            f"database tracked by {others}, not by {target.name} "
            f"({target.tracking.table}); pass the matching --target"
        )
        raise DatabaseError(message)
    dirty = dirty_rows(conn, target) if found else []
    if dirty:
        message = (
            f"{target.tracking.table}: version {dirty[0]} is marked failed (dirty); "
            f"{target.name} refuses to run until the database is repaired and the row fixed"
        )
        raise DatabaseError(message)
