"""Running one migration file atomically: its statements, its tracking row, its checks.

Split out of :mod:`migration_harness.sets.runner`, which decides *which* files to run and
in what order; this module does the running of one file under its target's rules (wrapped in
a transaction with its tracking row when the target wraps files, self-managed otherwise).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from migration_harness.errors import MigrationError
from migration_harness.sets import libsql, sandbox
from migration_harness.sets.discovery import Migration
from migration_harness.sets.functions import missing_function_hint
from migration_harness.sets.integrity import (
    IntegrityFailedError,
    check_integrity,
    clear_intent,
    keys_before,
    record_intent,
    schema_rows,
    verify_step,
)
from migration_harness.sets.ledger import (
    CHECKSUM_TABLE,
    bookkeeping_tables,
    ensure_tracking,
    prepare,
)
from migration_harness.sets.lock import LockedError, database_file
from migration_harness.sets.sql import Statement
from migration_harness.sets.targets import MigrationRefusedError, Target


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
            before = _tracking_keys(conn, target, step, plan.statements)
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
    before: frozenset[str] | None = frozenset()
    if unless_applied is not None or step is not None:
        with _transaction(conn, path):
            if unless_applied is not None and _is_applied(conn, unless_applied, target):
                return False
            # The file commits by itself: only in memory is this connection the only writer
            # between the read and the verification.
            alone = not _on_disk(conn)
            before = _tracking_keys(conn, target, step, statements, alone=alone)
            if step is not None and tracking is not None:
                record_intent(conn, step[0].id, step[1])
    shape = schema_rows(conn, bookkeeping_tables(target))
    try:
        _run_statements(conn, statements, path, target)
        if conn.in_transaction:
            message = "file leaves a transaction open (add its COMMIT)"
            raise MigrationError(str(path), message)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if step is not None and _same_schema(conn, shape, target):
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


def run_as_asked(
    conn: sqlite3.Connection,
    sql: str,
    path: Path,
    target: Target,
    options: Mapping[str, object] | None = None,
) -> None:
    """Run a file as it asks, not as its runner would: its pragmas and ``BEGIN`` obeyed.

    What the file would do outside the runner's transaction (and on plain SQLite under
    D1, which ignores ``PRAGMA foreign_keys``): a file that manages its own transactions
    runs statement by statement; otherwise it keeps one transaction but ends it at each
    ``PRAGMA foreign_keys`` and opens a new one once the pragma took effect, so only the
    pragmas change. Records nothing: it answers "did the ignored statement matter?".

    Raises:
        MigrationError: a statement (or a COMMIT's deferred keys) failed.
        MigrationRefusedError: the target refuses the file before anything runs.

    """
    statements = target.plan(sql, str(path), options).statements
    free = replace(target, d1=False, executor=None)  # an authorizer that lets pragmas act
    if any(s.is_transaction_control for s in statements):
        try:
            _run_statements(conn, statements, path, free)
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        return
    for part in _pragma_segments(statements):
        if part[0].pragma is not None and part[0].pragma[0] == "foreign_keys":
            _run_statements(conn, part[:1], path, free)
            part = part[1:]
        if part:
            with _transaction(conn, path):
                _run_statements(conn, part, path, free)


def _pragma_segments(statements: Sequence[Statement]) -> list[list[Statement]]:
    """The statements cut before each ``PRAGMA foreign_keys`` that sets a value."""
    parts: list[list[Statement]] = [[]]
    for statement in statements:
        pragma = statement.pragma
        if pragma is not None and pragma[0] == "foreign_keys" and pragma[1] and parts[-1]:
            parts.append([])
        parts[-1].append(statement)
    return [part for part in parts if part]


def _same_schema(
    conn: sqlite3.Connection, shape: tuple[tuple[str, ...], ...], target: Target
) -> bool:
    """Whether the schema is still ``shape`` (a schema that cannot be read is not)."""
    try:
        return schema_rows(conn, bookkeeping_tables(target)) == shape
    except sqlite3.Error:
        return False


def _tracking_keys(
    conn: sqlite3.Connection,
    target: Target,
    step: tuple[Migration, str] | None,
    statements: Sequence[Statement] = (),
    *,
    alone: bool = True,
) -> frozenset[str] | None:
    """The tracking table's keys before a checked step, ``None`` where none need reading.

    See :func:`~migration_harness.sets.integrity.keys_before`: ``statements`` are the
    step's, ``alone`` that no other writer can come between (the caller's transaction).
    """
    if step is None:
        return frozenset()
    return keys_before(conn, target.tracking, statements, alone=alone)


def _verify_step(
    conn: sqlite3.Connection,
    path: Path,
    target: Target,
    step: tuple[Migration, str] | None,
    before: frozenset[str] | None,
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
                reason = guard.explain(_reason(exc))
                if libsql.is_alter_column(statement.sql):
                    reason = f"{reason} ({libsql.hint(target.dialect)})"
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
