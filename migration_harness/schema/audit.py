"""The foreign-key index audit.

SQLite does not index a foreign key's child columns by itself, and every ``DELETE`` or key
update on the parent then scans the whole child table to enforce the key (and to cascade).
A foreign key counts as covered when an index's leftmost columns are exactly its child
columns *and* SQLite's planner really uses it: ``EXPLAIN QUERY PLAN`` for the child lookup
must say SEARCH, not SCAN. The structural rule explains a miss; the plan proves a hit.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from migration_harness.schema.model import ForeignKey, Index, Schema, Table, quote


@dataclass(frozen=True, slots=True)
class Coverage:
    """How one foreign key's child lookup is served.

    Attributes:
        foreign_key: the key audited.
        index: the covering index's name (``rowid`` for an INTEGER PRIMARY KEY child);
            ``None`` when no index covers the key.
        plan: the planner's detail line for the child lookup.

    """

    foreign_key: ForeignKey
    index: str | None
    plan: str

    @property
    def is_covered(self) -> bool:
        """Covered structurally and used by the planner."""
        return self.index is not None and self.plan.startswith("SEARCH")

    def describe(self) -> str:
        """``reviews(reviewer_user_id) -> users(id): no index (SCAN reviews)``."""
        how = f"index {self.index}" if self.index else "no index"
        return f"{self.foreign_key.describe()}: {how} ({self.plan})"


def audit_foreign_keys(conn: sqlite3.Connection, schema: Schema) -> list[Coverage]:
    """Audit every foreign key of ``schema`` against ``conn`` (read-only).

    Args:
        conn: a connection holding the schema; only ``EXPLAIN QUERY PLAN`` runs on it.
        schema: its introspected schema.

    """
    result = []
    for table in schema.tables.values():
        for fk in table.foreign_keys:
            index = covering_index(table, fk)
            result.append(Coverage(fk, index, _child_lookup_plan(conn, fk)))
    return result


def uncovered(coverages: list[Coverage]) -> list[Coverage]:
    """The foreign keys that no index serves."""
    return [c for c in coverages if not c.is_covered]


def covering_index(table: Table, fk: ForeignKey) -> str | None:
    """The name of an index whose leftmost columns are the key's child columns.

    Order among the key's columns does not matter (an equality lookup on all of them can
    use any order); partial indexes do not count, since the planner can only use them for
    rows matching their WHERE.
    """
    wanted = {c.lower() for c in fk.columns}
    if len(wanted) == 1 and table.rowid_alias and table.rowid_alias.lower() in wanted:
        return "rowid"
    for index in table.indexes:
        if index.is_partial:
            continue
        lead = _leading_columns(index, len(wanted))
        if lead == wanted:
            return index.name
    return None


def _leading_columns(index: Index, count: int) -> set[str]:
    """The first ``count`` key columns of ``index``, plain names lower-cased."""
    lead = index.plain_columns[:count]
    return {c.lower() for c in lead} if len(lead) == count else set()


def _child_lookup_plan(conn: sqlite3.Connection, fk: ForeignKey) -> str:
    """The planner's answer for the lookup SQLite runs when a parent row is deleted."""
    where = " AND ".join(f"{quote(c)} = ?" for c in fk.columns)
    sql = f"EXPLAIN QUERY PLAN SELECT 1 FROM {quote(fk.table)} WHERE {where}"
    rows = conn.execute(sql, [None] * len(fk.columns)).fetchall()
    return "; ".join(str(r[-1]) for r in rows) or "no plan"
