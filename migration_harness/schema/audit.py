"""The foreign-key index audit.

SQLite does not index a foreign key's child columns by itself, and every ``DELETE`` or key
update on the parent then scans the whole child table to enforce the key (and to cascade).
A foreign key counts as covered when an index's leftmost columns are exactly its child
columns, under the collation SQLite's lookup compares with, *and* SQLite's planner really
uses it: ``EXPLAIN QUERY PLAN`` for the child lookup must say SEARCH, not SCAN. The
structural rule explains a miss; the plan proves a hit.

The lookup compares under the *parent* column's collation: ``fkScanChildren`` (fkey.c)
builds ``parent_value = child_column`` with the parent column's collation attached to the
parent value (``exprTableRegister``). So a parent declared ``COLLATE NOCASE`` is served by
a ``NOCASE`` index on the child only, and a BINARY parent cannot use a child index that
takes the child column's own ``NOCASE``.
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
            parent = schema.by_lower_name.get(fk.other_table.lower())
            index = covering_index(table, fk, parent)
            plan = _child_lookup_plan(conn, fk, lookup_collations(fk, parent))
            result.append(Coverage(fk, index, plan))
    return result


def uncovered(coverages: list[Coverage]) -> list[Coverage]:
    """The foreign keys that no index serves."""
    return [c for c in coverages if not c.is_covered]


def covering_index(table: Table, fk: ForeignKey, parent: Table | None = None) -> str | None:
    """The name of an index whose leftmost columns are the key's child columns.

    Order among the key's columns does not matter (an equality lookup on all of them can
    use any order); partial indexes do not count, since the planner can only use them for
    rows matching their WHERE; nor does an index whose column has another collation than
    the parent column's (``parent``, when known), which the lookup compares with.
    """
    wanted = {c.lower() for c in fk.columns}
    if len(wanted) == 1 and table.rowid_alias and table.rowid_alias.lower() in wanted:
        return "rowid"
    compare = dict(zip((c.lower() for c in fk.columns), lookup_collations(fk, parent), strict=True))
    for index in table.indexes:
        if index.is_partial:
            continue
        lead = _leading_columns(index, len(wanted))
        if lead == wanted and _collations_agree(index, compare):
            return index.name
    return None


def lookup_collations(fk: ForeignKey, parent: Table | None) -> tuple[str, ...]:
    """Per child column, the collation SQLite's child lookup compares under (upper-case).

    The parent column's own (see the module's docstring); ``BINARY`` where it has none or
    the parent is unknown.
    """
    declared = {c.name.lower(): c.collation for c in parent.columns} if parent else {}
    others = fk.other_columns if len(fk.other_columns) == len(fk.columns) else ()
    return tuple(
        str(declared.get(others[i].lower()) or "BINARY").upper() if others else "BINARY"
        for i in range(len(fk.columns))
    )


def _collations_agree(index: Index, compare: dict[str, str]) -> bool:
    """Whether each key column of ``index`` named in ``compare`` has the collation asked."""
    if len(index.collations) != len(index.columns):
        return True  # a record without collations: the plan decides alone
    return all(
        collation == compare[name.lower()]
        for name, collation in zip(index.plain_columns, index.collations, strict=True)
        if name.lower() in compare
    )


def _leading_columns(index: Index, count: int) -> set[str]:
    """The first ``count`` key columns of ``index``, plain names lower-cased."""
    lead = index.plain_columns[:count]
    return {c.lower() for c in lead} if len(lead) == count else set()


def _child_lookup_plan(
    conn: sqlite3.Connection, fk: ForeignKey, collations: tuple[str, ...]
) -> str:
    """The planner's answer for the lookup SQLite runs when a parent row is deleted.

    Written as SQLite writes it: the parent's value, under the parent column's collation,
    equal to the child column. A collation this connection does not know (an application's
    own) is left out: the plan is then the child column's own.
    """
    plain = " AND ".join(f"{quote(c)} = ?" for c in fk.columns)
    where = " AND ".join(
        f"? COLLATE {quote(k)} = {quote(c)}" for c, k in zip(fk.columns, collations, strict=True)
    )
    try:
        rows = _plan(conn, fk, where)
    except sqlite3.OperationalError:
        rows = _plan(conn, fk, plain)
    return "; ".join(str(r[-1]) for r in rows) or "no plan"


def _plan(conn: sqlite3.Connection, fk: ForeignKey, where: str) -> list[tuple[object, ...]]:
    """``EXPLAIN QUERY PLAN`` of a child lookup with ``where``."""
    sql = f"EXPLAIN QUERY PLAN SELECT 1 FROM {quote(fk.table)} WHERE {where}"
    return conn.execute(sql, [None] * len(fk.columns)).fetchall()
