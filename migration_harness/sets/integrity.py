"""The runner's own bookkeeping around a step: intents of self-managed files, integrity checks.

A self-managed file commits by itself, so its tracking row cannot commit with it. Like
golang-migrate's ``dirty`` flag (``SetVersion(v, dirty=true)`` before ``Run``), the runner
records an *intent* (file, direction) in its own table before such a file runs and removes
it in the transaction that writes the tracking row. An intent still there on the next run
means the process died in between; :mod:`migration_harness.sets.recovery` settles it. The
runner's tracking tables keep the shape their tools write.

After every step the runner also checks the database (``PRAGMA quick_check``) and re-reads
the tracking table: a migration that corrupts ``sqlite_master`` through ``writable_schema``
or a trigger that rewrites the tracking table must fail the step, never end in "success".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from migration_harness.errors import DatabaseError, MigrationError
from migration_harness.sets.records import Migration
from migration_harness.sets.sql import Statement
from migration_harness.sets.trackers import has_table
from migration_harness.sets.tracking import Tracking
from migration_harness.sets.untouched import has_key, untouched

INTENT_TABLE: Final = "migration_harness_intent"
_INTENT_DDL: Final = (
    f"CREATE TABLE IF NOT EXISTS {INTENT_TABLE}(name TEXT PRIMARY KEY, "
    "direction TEXT NOT NULL, started_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
)


class IntegrityFailedError(MigrationError):
    """The database is corrupt, or its tracking table was changed behind the runner's back.

    Raised after a step, naming its file: the CLI's ``migrate``/``rollback`` exit 1 (a fault
    found in the set or the database, as a failed check), never 0; ``check`` reports it as
    the file failing under its runner, like any other failed file.
    """


@dataclass(frozen=True, slots=True)
class Intent:
    """A self-managed file that started and was not recorded: ``up`` or ``down``."""

    name: str
    direction: str
    started_at: str


def record_intent(conn: sqlite3.Connection, name: str, direction: str) -> None:
    """Note that ``name`` is about to run ``direction`` (call inside a transaction)."""
    conn.execute(_INTENT_DDL)
    conn.execute(
        f"INSERT OR REPLACE INTO {INTENT_TABLE}(name, direction) VALUES (?, ?)", (name, direction)
    )


def clear_intent(conn: sqlite3.Connection, name: str) -> None:
    """Forget ``name``'s intent (with its tracking row, in one transaction)."""
    if has_table(conn, INTENT_TABLE):
        conn.execute(f"DELETE FROM {INTENT_TABLE} WHERE name = ?", (name,))


def intents(conn: sqlite3.Connection, *, strict: bool = True) -> list[Intent]:
    """Self-managed files interrupted between their ``COMMIT`` and their tracking row.

    ``strict`` refuses a row whose direction is neither ``up`` nor ``down``; ``migrate
    --resolve undone`` reads leniently, so that it can clear such a row.
    """
    if not has_table(conn, INTENT_TABLE):
        return []
    try:
        rows = conn.execute(
            f"SELECT name, direction, started_at FROM {INTENT_TABLE} ORDER BY started_at, name"
        ).fetchall()
    except sqlite3.OperationalError as exc:
        message = f"{INTENT_TABLE}: not the table migration-harness writes ({exc}); drop it"
        raise DatabaseError(message) from exc
    found = [Intent(str(n), str(d), str(s)) for n, d, s in rows]
    for intent in found if strict else ():
        if intent.direction not in ("up", "down"):
            message = (
                f"{INTENT_TABLE}: {intent.name} has direction {intent.direction!r}, not up or "
                "down (run `migration-harness migrate --resolve undone` to clear it)"
            )
            raise DatabaseError(message)
    return found


def check_integrity(
    conn: sqlite3.Connection,
    where: str,
    when: str = "after this step",
    hint: str = "restore it from a backup",
) -> None:
    """``PRAGMA quick_check`` must say ``ok``.

    Raises:
        IntegrityFailedError: SQLite's first complaint, naming ``where`` (the step's file).

    """
    try:
        # A connection keeps the schema it parsed: a migration that rewrote sqlite_master
        # through writable_schema only shows once it is parsed again (RESET writes nothing).
        conn.execute("PRAGMA writable_schema = RESET")
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        problem = str(exc)
    else:
        problem = "; ".join(str(r[0]) for r in rows[:3])
        if problem == "ok":
            return
    raise IntegrityFailedError(
        where, f"the database fails PRAGMA quick_check {when} ({problem}); {hint}"
    )


def tracking_keys(conn: sqlite3.Connection, tracking: Tracking) -> frozenset[str]:
    """The tracking table's keys, to compare before and after a step."""
    return tracking.keys(conn)


def keys_before(
    conn: sqlite3.Connection,
    tracking: Tracking,
    statements: Sequence[Statement],
    *,
    alone: bool,
) -> frozenset[str] | None:
    """The keys :func:`verify_step` compares after the step; ``None`` when none need reading.

    ``None`` only where :func:`~migration_harness.sets.untouched.untouched` proves that
    nothing but the runner's own write can reach the earlier rows (issue 17: reading a row
    per applied file before and after every step cost time in the length of the history).
    ``alone``: nothing else can write between this read and the verification (one
    transaction, or a database only this connection reaches).
    """
    if alone and untouched(conn, tracking, statements):
        return None
    return tracking_keys(conn, tracking)


def verify_step(
    conn: sqlite3.Connection,
    where: str,
    tracking: Tracking,
    step: tuple[Migration, str],
    before: frozenset[str] | None,
    *,
    integrity: bool = True,
) -> None:
    """After a step: ``quick_check``, and the tracking table holds what the step wrote.

    Called inside the step's transaction where the target wraps the file, so a failure
    rolls the step back. A migration may create a trigger on the tracking table that wipes
    it (issue 15); re-reading the table is the only way to notice. ``before`` is the
    table's keys before the step: every one but the step's own must still be there.
    ``None`` (:func:`keys_before`): the earlier rows were proven out of the step's reach,
    so only the step's own key is looked up.

    Raises:
        IntegrityFailedError: corruption, or tracking rows missing or still present.

    """
    if integrity:
        check_integrity(conn, where, hint="the step was rolled back")
    migration, direction = step
    key = tracking.key(migration)
    try:
        if before is None:
            after, recorded = None, has_key(conn, tracking, key)
        else:
            after = tracking_keys(conn, tracking)
            recorded = tracking.is_applied(conn, migration, after)
    except (sqlite3.Error, ValueError, DatabaseError) as exc:
        after, recorded = frozenset(), direction != "up"
        problem = f"cannot be read ({exc})"
    else:
        problem = "does not hold what this step wrote (a trigger or the file changed it)"
    kept = (
        before is None
        or after is None
        or tracking.key_style in ("golang-migrate", "user-version")
        or before - {key} <= after
    )
    if recorded != (direction == "up") or not kept:
        raise IntegrityFailedError(
            where, f"the tracking table {tracking.table} {problem}; the step failed"
        )


def schema_rows(conn: sqlite3.Connection, exclude: frozenset[str]) -> tuple[tuple[str, ...], ...]:
    """The schema as SQLite describes it, bookkeeping tables left out: comparable across files.

    Tables by their columns (``table_xinfo``), indexes and foreign keys rather than by the
    ``CREATE`` text, which a rollback that rebuilds a table writes differently (a renamed
    table is stored as ``CREATE TABLE "users"``); views and triggers by name and table.
    Two databases at the same version of a set compare equal however they got there.
    """
    objects = conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master "
        "WHERE name NOT LIKE 'sqlite_%' ORDER BY type, lower(name)"
    ).fetchall()
    excluded = {e.lower() for e in exclude}
    shape: list[tuple[str, ...]] = []
    for kind, name, table in objects:
        if str(name).lower() in excluded or str(table).lower() in excluded:
            continue
        shape.append((str(kind), str(name).lower(), str(table).lower()))
        if kind == "table":
            shape.extend(_table_shape(conn, str(name)))
        elif kind == "index":
            shape.extend(_pragma(conn, "index_xinfo", str(name), "index column"))
    return tuple(shape)


def _table_shape(conn: sqlite3.Connection, table: str) -> list[tuple[str, ...]]:
    """A table's columns, foreign keys and index flags, as rows of text."""
    return [
        *_pragma(conn, "table_xinfo", table, "column"),
        *_pragma(conn, "foreign_key_list", table, "foreign key"),
        *(row[:1] + row[2:] for row in _pragma(conn, "index_list", table, "index")),
    ]


def _pragma(conn: sqlite3.Connection, pragma: str, name: str, what: str) -> list[tuple[str, ...]]:
    """``PRAGMA pragma("name")`` rows as lower-cased text tuples, tagged ``what``."""
    quoted = name.replace('"', '""')
    rows = conn.execute(f'PRAGMA {pragma}("{quoted}")').fetchall()
    return [(what, *(str(v).lower() for v in row)) for row in rows]
