"""Crash recovery for self-managed files: settle an intent left by a killed runner.

A self-managed file (its own ``BEGIN`` … ``COMMIT``) commits before its tracking row can be
written. When the process dies in between, the database is a version ahead of its tracking
table and re-running the file fails (``no such column: legacy``, issue 15). The runner
records an intent before such a file (:mod:`~migration_harness.sets.integrity`); here the next
run compares the database's schema with the set's schema at the versions before and after
the file, computed on an in-memory database under the same target:

- it matches the version after: the file ran; the tracking row is written;
- it matches the version before: the file did not commit; the intent is dropped and the
  file runs again as pending;
- anything else (a file cut between two of its transactions, a data-only file whose two
  versions look the same, a set edited since): refuse with one line naming the state and
  ``migrate --resolve done|undone``, which settles it as the user says.

So a database is never left where no command can move it.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Final

from migration_harness.errors import DatabaseError, HarnessError
from migration_harness.sets import runner
from migration_harness.sets.discovery import Migration, MigrationSet
from migration_harness.sets.integrity import Intent, check_integrity, intents, schema_rows
from migration_harness.sets.targets import Target

OUTCOMES: Final = ("done", "undone")
Shape = tuple[tuple[str, ...], ...]


class InterruptedStepError(DatabaseError):
    """A self-managed file was interrupted and the schema does not say whether it ran."""


def recover(conn: sqlite3.Connection, mset: MigrationSet, target: Target, db: str) -> list[str]:
    """Settle every interrupted step the schema can decide; one line per step settled.

    Call it holding the runner lock. The database's integrity is checked first, so
    corruption from before this run is not blamed on its first step.

    Raises:
        InterruptedStepError: a step the schema cannot decide (the line says how to).

    """
    check_integrity(conn, db, when="before any step")
    notes = []
    for intent in intents(conn):
        migration = _migration(mset, intent, db)
        ran = _decide(conn, mset, target, migration, intent, db)
        runner.settle(conn, migration, target, intent.direction, ran=ran)
        notes.append(_note(migration, intent, ran=ran))
    return notes


def resolve(
    conn: sqlite3.Connection, mset: MigrationSet, target: Target, db: str, outcome: str
) -> list[str]:
    """Settle every interrupted step as the user says: ``done`` (it ran) or ``undone``."""
    notes = []
    for intent in intents(conn, strict=outcome == "done"):
        known = any(m.id == intent.name for m in mset.migrations)
        if outcome == "undone" and (not known or intent.direction not in ("up", "down")):
            runner.settle_unknown(conn, intent.name)
            notes.append(f"{intent.name}: interrupted step forgotten")
            continue
        migration = _migration(mset, intent, db)
        runner.settle(conn, migration, target, intent.direction, ran=outcome == "done")
        notes.append(_note(migration, intent, ran=outcome == "done"))
    return notes


def _note(migration: Migration, intent: Intent, *, ran: bool) -> str:
    """What was settled, for the user."""
    verb = "applying" if intent.direction == "up" else "rolling back"
    if ran:
        return f"recovered {migration.id}: it finished {verb} before the interruption; recorded"
    return f"recovered {migration.id}: {verb} it had not committed; it is run again if asked"


def _migration(mset: MigrationSet, intent: Intent, db: str) -> Migration:
    """The set's migration an intent names."""
    for migration in mset.migrations:
        if migration.id == intent.name:
            return migration
    message = (
        f"{db}: {intent.name} was interrupted, and this set has no such migration "
        f"(use the set it came from, or run `migration-harness migrate --db {db} "
        "--resolve undone` to forget it)"
    )
    raise InterruptedStepError(message)


def _decide(
    conn: sqlite3.Connection,
    mset: MigrationSet,
    target: Target,
    migration: Migration,
    intent: Intent,
    db: str,
) -> bool:
    """Whether the interrupted step ran, from the schema; refuses when it cannot tell."""
    index = mset.migrations.index(migration)
    exclude = runner.bookkeeping_tables(target)
    actual = schema_rows(conn, exclude)
    verb = "applying" if intent.direction == "up" else "rolling back"
    resolve_hint = (
        f"run `migration-harness migrate --db {db} --resolve done` if it finished or "
        "`--resolve undone` if it did not"
    )
    try:
        before = _expected(mset, target, index)
        after = _expected(mset, target, index + 1)
    except HarnessError as exc:
        message = f"{db}: {migration.id} was interrupted while {verb} ({exc}); {resolve_hint}"
        raise InterruptedStepError(message) from exc
    finished, unstarted = (after, before) if intent.direction == "up" else (before, after)
    if before != after:
        if actual == finished:
            return True
        if actual == unstarted:
            return False
        state = f"its schema matches neither version {_label(mset, index)} nor {migration.label}"
        hint = f"repair it to one of them by hand, then {resolve_hint}"
    else:
        state = "its schema is the same before and after the file, so it cannot tell"
        hint = resolve_hint
    message = f"{db}: {migration.id} was interrupted while {verb}; {state} ({hint})"
    raise InterruptedStepError(message)


def _label(mset: MigrationSet, count: int) -> str:
    """The version a database with ``count`` migrations applied is at."""
    return mset.migrations[count - 1].label if count else "base (none applied)"


def _expected(mset: MigrationSet, target: Target, count: int) -> Shape:
    """The set's schema after its first ``count`` migrations, applied in memory."""
    scratch = sqlite3.connect(":memory:", isolation_level=None)
    try:
        local = dataclasses.replace(target, executor=None)
        runner.prepare(scratch, local)
        runner.ensure_tracking(scratch, local)
        for migration in mset.migrations[:count]:
            if migration.program is not None:
                message = f"{migration.path}: a program migration; its schema is not known here"
                raise HarnessError(message)
            runner.apply(scratch, migration, local)
        return schema_rows(scratch, runner.bookkeeping_tables(target))
    finally:
        scratch.close()
