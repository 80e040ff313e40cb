"""Applying and rolling back migrations, one atomic file at a time.

The runner records what it applied in the target runner's own tracking table (wrangler's
``d1_migrations``, goose's ``goose_db_version`` …, see :mod:`migration_harness.sets.tracking`), so a
database migrated by that tool is understood here and the other way round. Each file runs under its
target's rules (:mod:`~migration_harness.sets.targets`); when the target wraps a file, the
file and its
tracking row commit together, so a failure or a killed process leaves the previous version.
The same code serves the CLI on a user's file and the property checks on in-memory copies.
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from migration_harness.errors import (
    ChecksumMismatchError,
    DatabaseError,
    HarnessError,
    MigrationError,
)
from migration_harness.sets import sandbox
from migration_harness.sets.discovery import Migration, MigrationSet
from migration_harness.sets.functions import missing_function_hint, register
from migration_harness.sets.integrity import (
    INTENT_TABLE,
    IntegrityFailedError,
    check_integrity,
    clear_intent,
    intents,
    record_intent,
    schema_rows,
    tracking_keys,
    verify_step,
)
from migration_harness.sets.lock import LockedError, database_file, runner_lock
from migration_harness.sets.sql import Statement
from migration_harness.sets.targets import MigrationRefusedError, Target
from migration_harness.sets.tracking import TABLES as RUNNER_TABLES
from migration_harness.sets.tracking import WRANGLER, Tracking, has_table, present
from migration_harness.sets.versions import BEFORE_FIRST, position
from migration_harness.sets.versions import version_named as version_named  # the CLI's name

TRACKING_TABLE: Final = WRANGLER.table
CHECKSUM_TABLE: Final = "migration_harness_checksums"
# Tables the runners (or SQLite for them) own: never part of a user's schema.
BOOKKEEPING_TABLES: Final = RUNNER_TABLES | {CHECKSUM_TABLE, INTENT_TABLE, "sqlite_sequence"}
_CHECKSUM_DDL: Final = (
    f"CREATE TABLE IF NOT EXISTS {CHECKSUM_TABLE}(name TEXT PRIMARY KEY, checksum TEXT NOT NULL)"
)
# What the local D1 engine creates: wrangler's table and our checksum table.
TRACKING_DDL: Final = (*WRANGLER.ddl, _CHECKSUM_DDL)
BUSY_TIMEOUT_SECONDS: Final = 30.0


@dataclass(frozen=True, slots=True)
class Applied:
    """One row of the tracking table."""

    name: str
    applied_at: str
    checksum: str | None


@dataclass(frozen=True, slots=True)
class Status:
    """Where a database stands against a migration set.

    Attributes:
        applied: migrations of the set recorded as applied, in set order.
        pending: migrations not yet applied, in set order.
        unknown: tracking rows naming no file of the set (applied from elsewhere).
        changed: applied migrations whose file changed since (checksum differs).

    """

    applied: tuple[Migration, ...]
    pending: tuple[Migration, ...]
    unknown: tuple[str, ...]
    changed: tuple[Migration, ...]

    @property
    def version(self) -> int:
        """The highest applied version, 0 when nothing is applied."""
        return self.applied[-1].version if self.applied else 0


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


def _is_locked(exc: sqlite3.Error) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED: another connection holds a lock past the busy timeout."""
    return getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def prepare(conn: sqlite3.Connection, target: Target) -> None:
    """Set the connection up as the target's production connection would be."""
    conn.isolation_level = None
    conn.execute(f"PRAGMA foreign_keys = {'ON' if target.foreign_keys else 'OFF'}")
    register(conn, target.functions)


def ensure_tracking(conn: sqlite3.Connection, target: Target | None = None) -> None:
    """Create the target runner's tracking table (and our checksum table beside it).

    Without a target, wrangler's ``d1_migrations``: the table of the ``sqlite`` and ``d1``
    targets.
    """
    (target.tracking if target else WRANGLER).create(conn)
    conn.execute(_CHECKSUM_DDL)


def _tracking_for(conn: sqlite3.Connection, target: Target | None) -> Tracking:
    """The target's tracking, or (no target) the one this database holds."""
    if target is not None:
        return target.tracking
    found = present(conn)
    return WRANGLER if not found or WRANGLER in found else found[0]


def applied_rows(
    conn: sqlite3.Connection, mset: MigrationSet | None = None, target: Target | None = None
) -> list[Applied]:
    """The tracking table's rows in application order; empty when it does not exist.

    Rows are named by migration id. Runners that record only a version (goose, sqlx …) are
    mapped to ids through ``mset``; without it, the names come from the checksum table the
    harness writes in the same transaction as the runner's row.
    """
    tracking = _tracking_for(conn, target)
    checksums = _checksums(conn)
    rows = tracking.rows(conn)
    if tracking.key_style != "name":
        if mset is None:
            return [Applied(str(n), "", str(c)) for n, c in checksums.items()] if rows else []
        ids = {tracking.key(m): m.id for m in mset.migrations}
        if tracking.key_style == "golang-migrate":
            # One row holds the current version: every file up to it counts as applied.
            top = int(rows[0].key) if rows else 0
            return [
                Applied(m.id, "", checksums.get(m.id)) for m in mset.migrations if m.version <= top
            ]
        if tracking.key_style == "drizzle":
            # drizzle compares with the newest created_at: older files count as applied.
            top = max(int(r.key) for r in rows) if rows else 0
            return [
                Applied(m.id, "", checksums.get(m.id))
                for m in mset.migrations
                if int(tracking.key(m)) <= top
            ]
        named = [(ids.get(r.key, f"{tracking.table} version {r.key}"), r) for r in rows]
        return [Applied(n, r.applied_at, checksums.get(n)) for n, r in named]
    return [Applied(r.key, r.applied_at, checksums.get(r.key)) for r in rows]


def _checksums(conn: sqlite3.Connection) -> dict[str, str]:
    """The checksum table's rows; refuses a table of that name the harness did not write."""
    if not has_table(conn, CHECKSUM_TABLE):
        return {}
    try:
        return dict(conn.execute(f"SELECT name, checksum FROM {CHECKSUM_TABLE}").fetchall())
    except sqlite3.OperationalError as exc:
        message = f"{CHECKSUM_TABLE}: not the table migration-harness writes ({exc}); drop it"
        raise DatabaseError(message) from exc


def dirty_rows(conn: sqlite3.Connection, target: Target) -> list[str]:
    """Entries the runner marked failed; the real tool refuses to run until they are fixed."""
    return [r.key for r in target.tracking.rows(conn) if r.dirty]


def status(conn: sqlite3.Connection, mset: MigrationSet, target: Target | None = None) -> Status:
    """Compare the tracking table with the set (read-only)."""
    rows = {r.name: r for r in applied_rows(conn, mset, target)}
    by_id = {m.id: m for m in mset.migrations}
    applied = tuple(m for m in mset.migrations if m.id in rows)
    pending = tuple(m for m in mset.migrations if m.id not in rows)
    unknown = tuple(name for name in rows if name not in by_id)
    changed = tuple(m for m in applied if rows[m.id].checksum not in (None, m.checksum))
    return Status(applied, pending, unknown, changed)


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


def migrate(
    conn: sqlite3.Connection,
    mset: MigrationSet,
    target: Target,
    *,
    to: int | None = None,
    allow_changed: bool = False,
) -> list[Migration]:
    """Apply every pending migration up to ``to`` (all by default), in order.

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
            return _migrate_in_one_transaction(conn, wanted, target)
        return _migrate_each(conn, wanted, target)


def _migrate_each(
    conn: sqlite3.Connection, wanted: Sequence[Migration], target: Target
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
    return done


def rollback_to(
    conn: sqlite3.Connection,
    mset: MigrationSet,
    target: Target,
    *,
    to: int | None = None,
    steps: int | None = None,
) -> list[Migration]:
    """Roll back applied migrations newest first, down to version ``to`` or by ``steps``.

    Every migration to undo is checked for a rollback before anything runs, so a request
    that cannot finish does not stop halfway.
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
            before = _tracking_keys(conn, target, (migration, "up"))
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


def _is_applied(conn: sqlite3.Connection, migration: Migration, target: Target) -> bool:
    """Check the tracking table; callers hold the write lock so no runner can slip in."""
    return target.tracking.is_applied(conn, migration)


def _record(migration: Migration, target: Target) -> Sequence[tuple[str, tuple[object, ...]]]:
    """The tracking statements that mark ``migration`` applied."""
    return (
        *target.tracking.record(migration),
        (
            f"INSERT OR REPLACE INTO {CHECKSUM_TABLE}(name, checksum) VALUES (?, ?)",
            (migration.id, migration.checksum),
        ),
    )


def _forget(migration: Migration, target: Target) -> Sequence[tuple[str, tuple[object, ...]]]:
    """The tracking statements that mark ``migration`` rolled back."""
    return (
        *target.tracking.forget(migration),
        (f"DELETE FROM {CHECKSUM_TABLE} WHERE name = ?", (migration.id,)),
    )


def _run_file(
    conn: sqlite3.Connection,
    sql: str,
    path: Path,
    target: Target,
    tracking: Sequence[tuple[str, tuple[object, ...]]] | None,
    *,
    options: Mapping[str, object] | None = None,
    unless_applied: Migration | None = None,
    step: tuple[Migration, str] | None = None,
) -> bool:
    """Execute one file as its target does, then the tracking statements.

    Wrapped files take the write lock at once (``BEGIN IMMEDIATE``): a second runner waits
    for it instead of interleaving, and a failure rolls the file back whole.
    ``unless_applied`` is looked up in the tracking table only once the lock is held: a
    check made before it races with a second runner, which then ran the file twice.
    ``step`` (the migration and ``up``/``down``) turns on the checks after the step: the
    database's integrity and the tracking table holding what the step wrote.

    Returns:
        False when ``unless_applied`` was already recorded and nothing ran.

    """
    if target.executor is not None:
        return target.executor.run_file(
            conn, sql, path, target, tracking, unless_applied=unless_applied
        )
    try:
        plan = target.plan(sql, str(path), options)
    except MigrationRefusedError as exc:
        statement = exc.statement
        raise MigrationError(str(path), exc.reason, statement.sql, line=statement.line) from exc
    if plan.wrapped:
        with _transaction(conn, path):
            if unless_applied is not None and _is_applied(conn, unless_applied, target):
                return False
            before = _tracking_keys(conn, target, step)
            _run_statements(conn, plan.statements, path, target)
            _run_tracking(conn, tracking, target, path)
            _verify_step(conn, path, target, step, before)
        return True
    return _run_self_managed(
        conn, plan.statements, path, target, tracking, unless_applied=unless_applied, step=step
    )


def _run_self_managed(
    conn: sqlite3.Connection,
    statements: Sequence[Statement],
    path: Path,
    target: Target,
    tracking: Sequence[tuple[str, tuple[object, ...]]] | None,
    *,
    unless_applied: Migration | None,
    step: tuple[Migration, str] | None,
) -> bool:
    """A file that opens its own transactions: intent first, tracking row after.

    The file commits by itself, so its tracking row cannot commit with it: the intent
    recorded before it runs (and removed with the tracking row) is what lets the next run
    tell a kill in between from a file never started (:mod:`~migration_harness.sets.recovery`).
    The runner lock (:mod:`~migration_harness.sets.lock`) keeps a second runner out meanwhile.
    """
    before: frozenset[str] = frozenset()
    if unless_applied is not None or step is not None:
        with _transaction(conn, path):
            if unless_applied is not None and _is_applied(conn, unless_applied, target):
                return False
            before = _tracking_keys(conn, target, step)
            if step is not None and tracking is not None:
                record_intent(conn, step[0].id, step[1])
    shape = schema_rows(conn, frozenset(BOOKKEEPING_TABLES))
    try:
        _run_statements(conn, statements, path, target)
        if conn.in_transaction:
            message = "file leaves a transaction open (add its COMMIT)"
            raise MigrationError(str(path), message)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if step is not None and _same_schema(conn, shape):
            # Nothing of the schema committed: the file can simply run again.
            with _transaction(conn, path):
                clear_intent(conn, step[0].id)
        raise
    finally:
        prepare(conn, target)  # foreign keys back as the connection had them
    if step is not None and _on_disk(conn):
        hint = "the file had committed it: restore the database from a backup"
        check_integrity(conn, str(path), hint=hint)
    with _transaction(conn, path):
        _run_tracking(conn, tracking, target, path)
        if step is not None:
            clear_intent(conn, step[0].id)
        _verify_step(conn, path, target, step, before, integrity=False)
    return True


def _same_schema(conn: sqlite3.Connection, shape: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the schema is still ``shape`` (a schema that cannot be read is not)."""
    try:
        return schema_rows(conn, frozenset(BOOKKEEPING_TABLES)) == shape
    except sqlite3.Error:
        return False


def _tracking_keys(
    conn: sqlite3.Connection, target: Target, step: tuple[Migration, str] | None
) -> frozenset[str]:
    """The tracking table's keys before a step (only read when the step is checked)."""
    return tracking_keys(conn, target.tracking) if step is not None else frozenset()


def _verify_step(
    conn: sqlite3.Connection,
    path: Path,
    target: Target,
    step: tuple[Migration, str] | None,
    before: frozenset[str],
    *,
    integrity: bool = True,
) -> None:
    """:func:`~migration_harness.sets.integrity.verify_step` for a checked step.

    ``quick_check`` runs on a user's database file only: the checks' in-memory copies apply
    files thousands of times, and a corrupted copy fails the checks' own comparisons anyway.
    """
    if step is not None:
        integrity = integrity and _on_disk(conn)
        verify_step(conn, str(path), target.tracking, step, before, integrity=integrity)


def _on_disk(conn: sqlite3.Connection) -> bool:
    """Whether ``conn`` is a database file (a user's), not an in-memory copy."""
    return database_file(conn) is not None


@contextmanager
def _transaction(conn: sqlite3.Connection, path: Path) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        message = f"{path}: database locked by another process ({exc}); try again"
        raise LockedError(message) from exc
    try:
        yield
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            # Deferred foreign keys are checked here, so COMMIT is where they fail.
            raise MigrationError(str(path), _reason(exc), "COMMIT") from exc
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
            conn.execute("PRAGMA writable_schema = RESET")  # parse the schema rolled back to
        raise


def _run_statements(
    conn: sqlite3.Connection, statements: Sequence[Statement], path: Path, target: Target
) -> None:
    """Execute each statement under the target's authorizer, naming the one that fails.

    The :mod:`~migration_harness.sets.sandbox` guard adds the statement timeout and, on the
    in-memory copies the checks work on, refuses whatever would reach a file.
    """
    with sandbox.Guard(conn, target) as guard:
        for statement in statements:
            try:
                guard.execute(statement)
            except sqlite3.Error as exc:
                failure = guard.failure(str(path), statement)
                reason = _reason(exc)
                raise failure or MigrationError(
                    str(path), reason, statement.sql, line=statement.line
                ) from exc


def _run_tracking(
    conn: sqlite3.Connection,
    tracking: Sequence[tuple[str, tuple[object, ...]]] | None,
    target: Target,
    path: Path | None = None,
) -> None:
    """Insert or delete the tracking rows (after the file, inside its transaction).

    Raises:
        IntegrityFailedError: the table refused a row (a trigger or constraint the set
            added to it); the step fails, rolled back where the target wraps it.

    """
    if tracking is None:
        return
    ensure_tracking(conn, target)
    for sql, params in tracking:
        try:
            conn.execute(sql, params)
        except sqlite3.Error as exc:
            where = path or database_file(conn) or "database"
            reason = (
                f"the tracking table {target.tracking.table} refused this step's row "
                f"({_reason(exc)}); the step failed"
            )
            raise IntegrityFailedError(str(where), reason) from exc


def _reason(exc: sqlite3.Error) -> str:
    """SQLite's message with its error code name, as D1 and the sqlite3 shell print it."""
    code = getattr(exc, "sqlite_errorname", None)
    reason = f"{exc}: {code}" if code and code not in str(exc) else str(exc)
    hint = missing_function_hint(reason)
    return f"{reason} ({hint})" if hint else reason


def _expected_down(migration: Migration) -> str:
    """What the rollback file for ``migration`` would be called."""
    return f"a rollback for version {migration.version}"
