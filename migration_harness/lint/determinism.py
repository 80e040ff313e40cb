"""Expressions SQLite refuses to evaluate: ``datetime('now')`` in an index, CHECK or column.

SQLite lets an index expression, a partial index's ``WHERE``, a ``CHECK`` or a generated
column call the date and time functions, but refuses each call whose answer depends on
the clock (``'now'``) when it runs: 'non-deterministic use of julianday() in an index'.
On the empty table of every test database nothing runs, so the file applies; in
production the ``CREATE INDEX`` fails on the first table with a row, and on an empty table
every later INSERT fails. (``random()`` and its kin are refused already when the schema
is created, which ``statement-fails`` reports.) SQLite judges each expression
(:func:`~migration_harness.schema.determinism.clock_refusal`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.shapes import name_of, table_in
from migration_harness.schema import determinism


@dataclass(frozen=True, slots=True)
class _Stored:
    """What a statement stores: its table, the table's columns, and the expressions."""

    table: str
    columns: list[str]
    expressions: list[tuple[str, exp.Expr]]
    existing: bool


def non_deterministic_expression(context: FileContext) -> Iterator[Hit]:
    """An index, CHECK or generated column SQLite refuses to evaluate once a row exists."""
    for parsed in context.statements:
        stored = _stored(parsed) if parsed.error is None else None
        if stored is None:
            continue
        for kind, node in stored.expressions:
            sql = node.sql(dialect="sqlite")
            refused = determinism.clock_refusal(stored.columns, kind, sql)
            if refused is None:
                continue
            also = (
                f", and so does this statement once {stored.table} holds a row"
                if stored.existing
                else ""
            )
            yield Hit(
                "non-deterministic-expression",
                parsed,
                f"every INSERT into {stored.table} fails{also}: SQLite refuses "
                f"'{refused}' (the clock's answer changes); an empty test database "
                "applies the file",
                offset_of(node, parsed),
            )


def _stored(parsed: Parsed) -> _Stored | None:
    """The expressions a CREATE INDEX, CREATE TABLE or ADD COLUMN stores; else None."""
    tree = parsed.tree_if("CREATE", "ALTER")
    if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Index):
        return _index(parsed, tree.this)
    if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Schema):
        defs = [d for d in tree.this.expressions if isinstance(d, exp.ColumnDef)]
        names = [d.name for d in defs]
        return _Stored(name_of(tree.this.this), names, _in_definition(tree.this), False)
    if isinstance(tree, exp.Alter):
        known = table_in(parsed.before, name_of(tree.this))
        added = [a for a in tree.args.get("actions") or () if isinstance(a, exp.ColumnDef)]
        if known is None or not added:
            return None
        columns = [c.name for c in known.columns] + [a.name for a in added]
        found = [f for a in added for f in _in_definition(a)]
        return _Stored(name_of(tree.this), columns, found, True)
    return None


def _index(parsed: Parsed, index: exp.Index) -> _Stored | None:
    """The key expressions (not plain columns) and the WHERE of a CREATE INDEX."""
    params = index.args.get("params")
    table = name_of(index.args.get("table"))
    known = table_in(parsed.before, table)
    if params is None or known is None:
        return None
    found: list[tuple[str, exp.Expr]] = []
    for item in params.args.get("columns") or ():
        node = item.this if isinstance(item, exp.Ordered) else item
        if not isinstance(node, exp.Column):
            found.append((determinism.INDEX, node))
    if (where := params.args.get("where")) is not None:
        found.append((determinism.PARTIAL, where.this))
    return _Stored(table, [c.name for c in known.columns], found, True)


def _in_definition(node: exp.Expr) -> list[tuple[str, exp.Expr]]:
    """The CHECK and generated-column expressions of a table or column definition."""
    found: list[tuple[str, exp.Expr]] = [
        (determinism.CHECK, c.this) for c in node.find_all(exp.CheckColumnConstraint)
    ]
    found += [(determinism.GENERATED, c.this) for c in node.find_all(exp.ComputedColumnConstraint)]
    return found


RULES: tuple[Rule, ...] = (non_deterministic_expression,)
