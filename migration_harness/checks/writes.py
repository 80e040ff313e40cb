"""The application's writes in a history: insert, update and delete generated rows.

Split out of :mod:`migration_harness.checks.history`: these steps are the application, not
a migration, so they are never a finding themselves; what they do to the data is what the
next version move is checked against. They run with foreign keys on whatever the runner's
connection says (:func:`keys_enforced`), and a constraint or trigger refusing one is the
schema working, as the application would see it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any

from migration_harness.checks.steps import Step
from migration_harness.data.strategies import REFUSED, Dataset, Row, insert
from migration_harness.schema.model import quote

__all__ = ["keys_enforced", "write"]


def write(conn: sqlite3.Connection, step: Step, *, foreign_keys: bool) -> None:
    """Perform ``step`` (``insert``, ``update`` or ``delete``) as the application would.

    ``foreign_keys``: whether the target's own connection enforces them already.
    """
    if step.op == "insert":
        _insert(conn, step, foreign_keys=foreign_keys)
    elif step.op == "update":
        _update(conn, step, foreign_keys=foreign_keys)
    elif step.op == "delete":
        _delete(conn, step, foreign_keys=foreign_keys)
    else:
        message = f"{step.op}: not a write (insert, update or delete)"
        raise ValueError(message)


def _insert(conn: sqlite3.Connection, step: Step, *, foreign_keys: bool) -> None:
    rows = tuple(Row(r["table"], tuple(r["values"].items())) for r in step.rows)
    with keys_enforced(conn, foreign_keys=foreign_keys):
        insert(conn, Dataset(rows))


def _update(conn: sqlite3.Connection, step: Step, *, foreign_keys: bool) -> None:
    assert step.table is not None
    sets = ", ".join(f"{quote(c)} = ?" for c in step.values)
    where, params = _where(step.where)
    # A constraint or a trigger saying no is what the application would see too: not a
    # finding.
    with keys_enforced(conn, foreign_keys=foreign_keys), contextlib.suppress(*REFUSED):
        conn.execute(
            f"UPDATE {quote(step.table)} SET {sets} WHERE {where}",
            [*step.values.values(), *params],
        )


def _delete(conn: sqlite3.Connection, step: Step, *, foreign_keys: bool) -> None:
    assert step.table is not None
    where, params = _where(step.where)
    # ON DELETE RESTRICT / NO ACTION refusing the delete is the schema working.
    with keys_enforced(conn, foreign_keys=foreign_keys), contextlib.suppress(*REFUSED):
        conn.execute(f"DELETE FROM {quote(step.table)} WHERE {where}", params)


@contextlib.contextmanager
def keys_enforced(conn: sqlite3.Connection, *, foreign_keys: bool) -> Iterator[None]:
    """The application's writes keep its data valid, whatever the migration connection.

    Under a runner whose connection has foreign keys off (goose, dbmate, ...), a delete
    would orphan children, and the history would then blame the next migration for the
    application's orphans. The generated rows are valid; so are the writes: ON DELETE
    CASCADE / SET NULL / RESTRICT act as declared. Migration files still run on the
    target's own connection (``foreign_keys``: whether it enforces them already).
    """
    if foreign_keys:
        yield
        return
    conn.execute("PRAGMA foreign_keys = ON")
    try:
        yield
    finally:
        conn.execute("PRAGMA foreign_keys = OFF")


def _where(key: dict[str, Any]) -> tuple[str, list[Any]]:
    """``"a" IS ? AND "b" IS ?`` for a row address."""
    return " AND ".join(f"{quote(c)} IS ?" for c in key) or "0", list(key.values())
