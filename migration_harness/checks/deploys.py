"""Which tables can hold rows when a migration runs, given the set's ship groups.

Migrations of one ship group (:mod:`migration_harness.sets.shipgroups`) are applied in one
go, so no application writes rows at the versions between them: when migration ``k`` runs,
a table an earlier file of its group created holds only the rows those files put there
(their seeds, and what they copied from older tables). The checks that draw rows for ``k``'s
starting point draw none for such a table; tables that existed before the group keep their
rows, and so do tables the group renamed from them or filled by copying from them (a
rebuild's ``INSERT INTO new SELECT … FROM old``). Nothing about how files are applied
changes: only which rows the generator invents.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import sqlglot
from sqlglot import exp

from migration_harness.schema.model import Schema
from migration_harness.sets.sql import Statement, split_statements
from migration_harness.sets.tokens import renamed


def unwritten_tables(
    before_group: Schema, steps: Sequence[tuple[str, Schema, bool]]
) -> frozenset[str]:
    """Tables (lower-cased) no application wrote rows to after ``steps`` ran.

    Args:
        before_group: the schema of the version the group's first file starts from.
        steps: each file from the group's first to the one before the file judged, in
            order: its forward SQL, the schema after it, and whether it is in the group.
            A file of another commit between members was deployed before the group, so
            the tables it created may hold rows.

    """
    names = {name.lower() for name in before_group.tables}
    written = set(names)
    for sql, after, member in steps:
        now = {name.lower() for name in after.tables}
        if member:
            for statement in split_statements(sql):
                written |= _filled(statement, written)
        else:
            written |= now - names
        names = now
        written &= names
    return frozenset(names - written)


def _filled(statement: Statement, written: set[str]) -> set[str]:
    """The tables ``statement`` moves written rows into: a rename's or a copy's target."""
    rename = renamed(statement.sql)
    if rename is not None:
        table, column, new = rename
        return {new.lower()} if column is None and table.lower() in written else set()
    copy = _copy(statement.sql) if "SELECT" in statement.sql.upper() else None
    if copy is not None and copy[1] & written:
        return {copy[0]}
    return set()


@functools.lru_cache(maxsize=1024)
def _copy(sql: str) -> tuple[str, frozenset[str]] | None:
    """``(target, source tables)`` of an ``INSERT … SELECT``, lower-cased; else ``None``."""
    try:
        tree = sqlglot.parse_one(sql, read="sqlite")
    except sqlglot.errors.SqlglotError:
        return None
    if not isinstance(tree, exp.Insert) or tree.expression is None:
        return None
    target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
    if not isinstance(target, exp.Table):
        return None
    sources = frozenset(t.name.lower() for t in tree.expression.find_all(exp.Table))
    return target.name.lower(), sources


def drawable(tables: Iterable[str], unwritten: frozenset[str]) -> list[str]:
    """``tables`` without those no application wrote to (and so the generator must not)."""
    return [table for table in tables if table.lower() not in unwritten]
