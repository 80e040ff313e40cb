"""``x NOT IN (SELECT c FROM t)`` over a column that can hold NULL (MH331).

SQL's three-valued logic: ``1 NOT IN (2, NULL)`` is NULL, not true, because the NULL
might be 1. So one NULL among the subquery's values makes ``NOT IN`` NULL for every row:
``UPDATE users SET lurker = 1 WHERE id NOT IN (SELECT author_id FROM posts)`` marks no
user as soon as one post has lost its author (``ON DELETE SET NULL``), and a cleanup
``DELETE … WHERE user_id NOT IN (SELECT …)`` deletes nothing. The file applies, the data
fix it exists for does not happen, and a test database whose rows hold no NULL there
shows the intended result. MH329 names the literal ``NOT IN (…, NULL)``; this names the
subquery whose column the schema lets be NULL (not NULL, not the rowid, not a key
column), unless its WHERE reads the column (``WHERE author_id IS NOT NULL``, or any
comparison, which NULL never passes).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from migration_harness.lint.context import FileContext
from migration_harness.lint.hits import Hit, Rule
from migration_harness.lint.shapes import table_in
from migration_harness.schema.model import Schema

_COST = {
    exp.Update: "the UPDATE changes no row",
    exp.Delete: "the DELETE removes no row",
    exp.Insert: "the copy copies no row",
    exp.Create: "the view or copy shows no row",
}


def not_in_nullable(context: FileContext) -> Iterator[Hit]:
    """A ``NOT IN`` subquery whose one column can be NULL, in a file that writes rows."""
    for parsed in context.statements:
        tree = parsed.tree_if("UPDATE", "DELETE", "INSERT", "REPLACE", "CREATE", "WITH")
        if tree is None:
            continue
        cost = next((v for k, v in _COST.items() if isinstance(tree, k)), "no row matches")
        for node in tree.find_all(exp.Not):
            found = _nullable_subquery(node, parsed.before, context)
            if found is None:
                continue
            table, column = found
            yield Hit(
                "not-in-nullable",
                parsed,
                f"NOT IN (SELECT {column} FROM {table}): {table}.{column} can be NULL, and "
                "one NULL among its values makes NOT IN NULL for every row, so "
                f"{cost} once a {table} row holds NULL there",
                max(parsed.sql.upper().find("NOT IN"), 0),
            )


def _nullable_subquery(
    node: exp.Not, schema: Schema, context: FileContext
) -> tuple[str, str] | None:
    """``(table, column)`` of a ``NOT IN (SELECT column FROM table)`` that can meet NULL."""
    inside = node.this
    if not isinstance(inside, exp.In):
        return None
    query = inside.args.get("query")
    select = query.this if isinstance(query, exp.Subquery) else query
    if not isinstance(select, exp.Select) or len(select.expressions) != 1:
        return None
    column = select.expressions[0]
    source = select.args.get("from_") or select.args.get("from")
    if not isinstance(column, exp.Column) or source is None or select.args.get("joins"):
        return None
    if not isinstance(source.this, exp.Table):
        return None
    table = table_in(schema, source.this.name)
    if table is None or not context.holds_rows(table.name):
        return None
    definition = next((c for c in table.columns if c.name.lower() == column.name.lower()), None)
    if definition is None or definition.notnull or definition.pk:
        return None
    where = select.args.get("where")
    if where is not None and any(
        c.name.lower() == column.name.lower() for c in where.find_all(exp.Column)
    ):
        return None
    return table.name, definition.name


RULES: tuple[Rule, ...] = (not_in_nullable,)
