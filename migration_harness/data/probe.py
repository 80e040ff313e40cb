"""Exact validation of a candidate row on a scratch copy of its table.

Where every constraint of the table is a shape :mod:`~migration_harness.data.admits`
models, a row it can tell SQLite accepts is not probed (the same answer, in Python).

No CHECK is guessed: a row the strategies drew is inserted, under a savepoint, into an
in-memory copy of the table (and its INSERT triggers) and rolled back. The savepoint stays
open between probes (``ROLLBACK TO`` keeps it): two statements per candidate row instead
of four, for every generated row admits cannot decide.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Mapping

from migration_harness.data.admits import admits
from migration_harness.data.dataset import Row, Value
from migration_harness.schema.model import Table, quote
from migration_harness.sets.functions import register_known


# A property draws rows for a handful of tables, migration after migration: the recent
# tables are the ones probed again. 512 connections held one table of each of the last
# 512 versions of a long history, for nothing.
@functools.lru_cache(maxsize=64)
def _scratch(table: Table, triggers: tuple[str, ...] = ()) -> sqlite3.Connection:
    """An in-memory database holding only ``table`` and its INSERT triggers.

    No foreign keys. A trigger that cannot run alone (its body reaches another table,
    which SQLite resolves when it compiles the INSERT) is left out: it would make every
    probe fail before the validations run.
    """
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    register_known(conn)  # a CHECK or generated column may call the application's function
    conn.execute(table.sql)
    probe = f"EXPLAIN INSERT INTO {quote(table.name)} DEFAULT VALUES"
    for trigger in triggers:
        known = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        try:
            conn.execute(trigger)
            conn.execute(probe)  # compiles every trigger: one reaching another table fails
        except sqlite3.Error:
            added = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for name in [n for (n,) in added.fetchall() if n not in known]:
                conn.execute(f"DROP TRIGGER {quote(name)}")
    _open(conn)
    return conn


def _open(conn: sqlite3.Connection) -> None:
    """Start the transaction and the savepoint every probe rolls back to."""
    conn.execute("BEGIN")
    conn.execute("SAVEPOINT probe")


def accepted(table: Table, values: Mapping[str, Value], triggers: tuple[str, ...] = ()) -> bool:
    """Whether SQLite accepts the row: NOT NULL, type and CHECK constraints, INSERT triggers.

    Triggers refuse rows with ``RAISE(ABORT)`` validations; those reaching other tables
    are not in the scratch copy (see ``_scratch``), so they let rows through.
    """
    if not table.sql or table.virtual or admits(table, values, triggers):
        return True
    conn = _scratch(table, triggers)
    row = Row(table.name, tuple(values.items()))
    sql, params = row.insert_sql()
    try:
        conn.execute(sql, params)
        return True
    except sqlite3.OperationalError as exc:
        return triggers != () and str(exc).startswith(("no such table", "no such column"))
    except sqlite3.Error:
        return False
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK TO probe")
        else:  # a trigger's RAISE(ROLLBACK) ended the transaction and its savepoint
            _open(conn)
