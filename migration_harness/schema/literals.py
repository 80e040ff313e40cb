"""The literals a set's own SQL compares each column with: values its filters single out.

A rebuild that copies ``… FROM subscriptions WHERE status != 'archived'`` loses every
archived row, and a trigger ``WHEN OLD.status = 'shipped'`` refuses every update of a
shipped order. Both matter only on a row holding that very value, which random text
never spells: the generator draws these literals for their column
(:func:`~migration_harness.data.columns.column_draws`) so the loss or refusal is measured.

Read, per statement of every file (up and down) with sqlglot: a column compared with a
literal by ``=``, ``!=``/``<>``, ``IS``/``IS NOT``, ``IN (…)`` or a ``CASE column WHEN
…``, in a WHERE, a CASE, a partial index, a view, a trigger's body, and a trigger's WHEN
clause (sqlglot reads no ``CREATE TRIGGER``: its WHEN and body are read apart, and its
``NEW.x`` / ``OLD.x`` are columns of the trigger's table). A ``CREATE TABLE``'s CHECKs
are left out: :mod:`~migration_harness.schema.constraints` already draws their IN lists,
and a value a CHECK singles out to refuse would only be a rejected row.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from sqlglot import exp

from migration_harness.data.verdicts import UNKNOWN, literal
from migration_harness.schema.positional import trigger_statements
from migration_harness.schema.usage import Column, parse_sql, table_of
from migration_harness.sets.records import MigrationSet
from migration_harness.sets.sql import split_statements
from migration_harness.sets.tokens import mentions, spans

Literal = str | int
Literals = dict[Column, tuple[Literal, ...]]

# Seeds' bulk INSERTs are this long and compare nothing; parsing one cost seconds.
_LONGEST: Final = 20_000
# At most this many literals per column: a long IN list is an enumeration, not a filter.
_MOST: Final = 8
_WRAPPERS: Final = (exp.Paren, exp.Lower, exp.Upper, exp.Trim)


def compared_literals(mset: MigrationSet) -> Literals:
    """``(table, column)`` (lower-cased) → the literals some file compares it with."""
    found: dict[Column, dict[Literal, None]] = {}
    for migration in mset.migrations:
        for text in (migration.up_sql, migration.down_sql):
            for statement in split_statements(text or ""):
                for column, value in statement_literals(statement.sql):
                    found.setdefault(column, {})[value] = None
    return {column: tuple(values)[:_MOST] for column, values in found.items()}


def replaced_literals(mset: MigrationSet) -> Literals:
    """``(table, column)`` (lower-cased) → the literals a REPLACE of some file writes there.

    ``REPLACE INTO authors (id, name) VALUES (1, 'Anonymous')`` (or ``INSERT OR REPLACE``)
    deletes the row already holding ``id`` 1 or ``name`` 'Anonymous' before it inserts, and
    with it, under ON DELETE CASCADE, every child row: the loss happens only where such a
    row exists, which generated keys (minted above the seeds' ids) never are. Drawing
    these values there, key columns included, lets the checks meet it. An upsert (``ON
    CONFLICT … DO UPDATE``/``DO NOTHING``) meets the same row, so its values are drawn
    too: its clean case, the row changed in place, is then tested on a row it meets.
    """
    found: dict[Column, dict[Literal, None]] = {}
    for migration in mset.migrations:
        for text in (migration.up_sql, migration.down_sql):
            for statement in split_statements(text or ""):
                for column, value in _replace_literals(statement.sql):
                    found.setdefault(column, {})[value] = None
    return {column: tuple(values)[:_MOST] for column, values in found.items()}


def _replace_literals(sql: str) -> Iterator[tuple[Column, Literal]]:
    """Each (column, literal) one ``REPLACE``/``INSERT OR REPLACE``/upsert ``… VALUES`` writes."""
    if len(sql) > _LONGEST or not mentions(sql, "VALUES"):
        return
    if not (mentions(sql, "REPLACE") or mentions(sql, "CONFLICT")):
        return
    found = spans(sql)
    if not found or found[0][0].word not in ("INSERT", "REPLACE"):
        return
    if found[0][0].word == "REPLACE":
        # sqlglot reads ``REPLACE INTO`` as an unparsed command; SQLite's own synonym
        # (lang_replace.html) is ``INSERT OR REPLACE``, which it parses.
        sql = "INSERT OR " + sql[found[0][1] :]
    tree = parse_sql(sql)
    if not isinstance(tree, exp.Insert):
        return
    if tree.args.get("alternative") != "REPLACE" and tree.args.get("conflict") is None:
        return
    target, rows = tree.this, tree.expression
    if not isinstance(target, exp.Schema) or not isinstance(rows, exp.Values):
        return
    table = target.this.name.lower() if isinstance(target.this, exp.Table) else ""
    columns = [c.name.lower() for c in target.expressions]
    for row in rows.expressions:
        items = row.expressions if isinstance(row, exp.Tuple) else [row]
        if not table or len(items) != len(columns):
            continue
        for column, item in zip(columns, items, strict=True):
            value = literal(item)
            if value is not UNKNOWN and value is not None and isinstance(value, str | int):
                yield (table, column), value


def statement_literals(sql: str) -> Iterator[tuple[Column, Literal]]:
    """Each (column, literal) one statement compares; nothing when it cannot be read."""
    if len(sql) > _LONGEST or not (mentions(sql, "WHERE") or mentions(sql, "WHEN")):
        return  # a comparison sits in a WHERE or a CASE/trigger WHEN: nothing to parse
    trigger = _trigger_parts(sql)
    if trigger is not None:
        table, when, body = trigger
        if when is not None:
            yield from _pairs(when, table)
        for statement in body:
            yield from _pairs(statement, table)
        return
    tree = parse_sql(sql)
    if tree is None or (isinstance(tree, exp.Create) and tree.kind == "TABLE"):
        return
    yield from _pairs(tree, None)


def _trigger_parts(sql: str) -> tuple[str, exp.Expr | None, tuple[exp.Expr, ...]] | None:
    """A ``CREATE TRIGGER``'s table, WHEN condition and body; ``None`` for other statements."""
    found = spans(sql)
    if not found or found[0][0].word != "CREATE":
        return None
    words = [token.word for token, _, _ in found]
    if "TRIGGER" not in words[1:4] or "BEGIN" not in words:
        return None
    begin = words.index("BEGIN")
    on = next((at for at in range(begin) if words[at] == "ON"), None)
    if on is None or on + 1 >= begin:
        return None
    table = found[on + 1][0].text
    if on + 2 < begin and found[on + 2][0].text == ".":  # ON main.orders
        table = found[on + 3][0].text
    when = next((at for at in range(on, begin) if words[at] == "WHEN"), None)
    condition = None
    if when is not None:
        condition = parse_sql(sql[found[when][2] : found[begin][1]])
    return table.lower(), condition, trigger_statements(sql)


def _pairs(tree: exp.Expr, trigger_table: str | None) -> Iterator[tuple[Column, Literal]]:
    """The (column, literal) comparisons anywhere in ``tree``."""
    for node in tree.walk():
        if _assignment(node):
            continue
        if isinstance(node, exp.EQ | exp.NEQ | exp.Is | exp.NullSafeEQ | exp.NullSafeNEQ):
            yield from _compared(node.this, node.expression, trigger_table)
            yield from _compared(node.expression, node.this, trigger_table)
        elif isinstance(node, exp.In) and node.expressions:
            for item in node.expressions:
                yield from _compared(node.this, item, trigger_table)
        elif isinstance(node, exp.Case) and node.this is not None:
            for branch in node.args.get("ifs") or ():
                yield from _compared(node.this, branch.this, trigger_table)


def _assignment(node: exp.Expr) -> bool:
    """``SET x = 1`` of an UPDATE or an upsert: sqlglot reads it as an ``=``, no comparison."""
    parent = node.parent
    return (
        isinstance(node, exp.EQ)
        and node.arg_key == "expressions"
        and isinstance(parent, exp.Update | exp.OnConflict)
    )


def _compared(
    side: exp.Expr | None, other: exp.Expr | None, trigger_table: str | None
) -> Iterator[tuple[Column, Literal]]:
    """``(column, literal)`` when ``side`` is a column and ``other`` a text or integer."""
    if side is None or other is None:
        return
    while isinstance(side, _WRAPPERS):
        side = side.this
    if not isinstance(side, exp.Column) or not side.name:
        return
    value = literal(other)
    if value is UNKNOWN or value is None or not isinstance(value, str | int):
        return
    qualifier = side.table.lower()
    if trigger_table is not None and qualifier in ("new", "old"):
        table: str | None = trigger_table
    else:
        table = table_of(side)
    if table is not None:
        yield (table, side.name.lower()), value


__all__ = ["Literal", "Literals", "compared_literals", "replaced_literals", "statement_literals"]
