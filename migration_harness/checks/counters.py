"""AUTOINCREMENT counters, which a version move must never set back.

Split out of :mod:`migration_harness.checks.history`: the history reads every counter
before a version move (:func:`autoincrement_counters`) and, once the move's schema is the
reference, names each one the move lowered (:func:`counter_drops`) beside the rows it lost.
"""

from __future__ import annotations

import sqlite3

from migration_harness.schema.model import Schema

__all__ = ["COUNTER", "autoincrement_counters", "counter_drops"]

COUNTER = "MH147"
"""A history's move set an AUTOINCREMENT counter back and lost no row (a warning, as lint's
MH219 for the same rebuild): only ids of deleted rows come back."""


def autoincrement_counters(conn: sqlite3.Connection, bookkeeping: frozenset[str]) -> dict[str, int]:
    """AUTOINCREMENT high-water marks (``sqlite_sequence``), by table.

    ``bookkeeping``: the target's tracking tables, whose counters are the runner's.
    """
    try:
        rows = conn.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
    except sqlite3.OperationalError:  # no AUTOINCREMENT table yet
        return {}
    return {str(n): int(s) for n, s in rows if n not in bookkeeping}


def counter_drops(
    conn: sqlite3.Connection, before: dict[str, int], schema: Schema, bookkeeping: frozenset[str]
) -> list[str]:
    """AUTOINCREMENT promises an id is never handed out twice, deleted rows included.

    A table rebuild (copy, drop, rename) restarts the counter at the highest id copied,
    so ids of rows the application deleted come back: only a history that deletes the
    newest row before the rebuild shows it. ``before``: the counters read before the
    move; ``schema``: the reference after it.
    """
    after = autoincrement_counters(conn, bookkeeping)
    surviving = {name.lower() for name in schema.tables}
    drops = []
    for name, seq in sorted(before.items()):
        now = after.get(name, 0)
        if name.lower() in surviving and now < seq:
            drops.append(
                f"{name}: AUTOINCREMENT counter drops from {seq} to {now} "
                f"(ids {now + 1}..{seq} will be handed out again)"
            )
    return drops
