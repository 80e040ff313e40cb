"""One spelling per identifier: case and quoting folded away where SQLite ignores them.

SQLite resolves table, column, index, view and trigger names case-insensitively, and
``"a"`` names the same column as ``a``. Introspection already folds most of it (columns and
tables are matched by lower-cased name, view and trigger SQL is normalised), but an
index's name, and the identifiers inside a CHECK, an index expression or a partial
index's WHERE, keep their spelling: a rollback that re-types ``CHECK ("Status" IN …)`` as
``CHECK (status IN …)`` differs in text only. The diff pairs such records as one cosmetic
difference (:mod:`migration_harness.schema.diff`).

Expressions are parsed with sqlglot; string literals keep their case. A double-quoted name
is folded only when it names a column of the table (SQLite reads any other one as a
string literal).
"""

from __future__ import annotations

import functools

from sqlglot import exp
from sqlglot.errors import SqlglotError

from migration_harness.schema.records import Check, Index
from migration_harness.sets import parsing


def check_key(check: Check, columns: frozenset[str]) -> str:
    """A CHECK with its identifiers folded (``columns``: the table's, lower-cased).

    The column it was declared on is left out, as :class:`Check` leaves it out of equality.
    """
    return fold(check.expression, columns)


def index_key(index: Index, columns: frozenset[str]) -> tuple[object, ...]:
    """An index with its names and expressions folded (constraint indexes keep no name)."""
    name = index.name.lower() if index.origin == "c" else ""
    parts = tuple(fold(c, columns) for c in index.columns)
    where = fold(index.where, columns) if index.where else None
    return index.table.lower(), name, parts, index.unique, index.origin, where


@functools.lru_cache(maxsize=4096)
def fold(text: str, columns: frozenset[str]) -> str:
    """``text`` (an SQL expression) with identifier case and quoting folded."""
    try:
        tree = parsing.parse_one(text)
    except SqlglotError:
        return text
    if tree is None:
        return text

    def lower(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Identifier) and (not node.quoted or node.name.lower() in columns):
            return exp.Identifier(this=node.name.lower(), quoted=False)
        return node

    return tree.transform(lower).sql(dialect="sqlite")
