"""A rollback that deletes its migration's seed rows by a value other rows can hold too.

``INSERT INTO settings (name, value) VALUES ('theme', 'dark')`` in the up and ``DELETE
FROM settings WHERE name = 'theme'`` in the down read as a pair, and on every test
database the down deletes exactly the seed. But ``name`` is no key of ``settings``: every
row the application wrote with ``name = 'theme'`` (each user's own choice) matches the
same WHERE, and rolling back deletes them too. ``check`` cannot show it: its round trip
excuses the rows of a table the rollback itself writes (a DELETE is a data migration).

The rule reads the up's literal rows (``INSERT … VALUES`` of literals) and the down's
``DELETE`` whose WHERE is a conjunction of ``column = literal`` (or ``IN (…)``, ``IS
NULL``) terms that match one of those rows; it fires when the columns compared with a
value cover no UNIQUE key or PRIMARY KEY of the table (the rowid alias counts as one).
A WHERE with any other term (a range, a subquery, a function) is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp
from sqlglot.errors import ParseError

from migration_harness.data.verdicts import UNKNOWN, literal
from migration_harness.lint.context import FileContext
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.shapes import name_of, table_in
from migration_harness.schema.model import Table
from migration_harness.sets import parsing
from migration_harness.sets.sql import split_statements

# A seed row: lower-cased column -> its literal value (text, integer or None).
_Row = dict[str, object]


def down_deletes_beyond_seed(context: FileContext) -> Iterator[Hit]:
    """A rollback's DELETE of its migration's seed rows by a column that is no key."""
    if context.is_up:
        return
    seeds: dict[str, list[_Row]] | None = None
    for parsed in context.statements:
        tree = parsed.tree_if("DELETE")
        if not isinstance(tree, exp.Delete):
            continue
        table_name = name_of(tree.this)
        table = table_in(context.before, table_name)
        where = tree.args.get("where")
        terms = _terms(where.this if isinstance(where, exp.Where) else None)
        if table is None or not terms:
            continue
        if seeds is None:
            seeds = _seed_rows(context.migration.up_sql)
        rows = seeds.get(table_name, [])
        if not any(_matches(terms, row) for row in rows):
            continue
        valued = {column for column, values in terms.items() if None not in values}
        if _covers_key(table, valued):
            continue
        shown = " AND ".join(_shown(column, terms[column]) for column in sorted(terms))
        yield Hit(
            "down-deletes-beyond-seed",
            parsed,
            f"rolling back deletes every {table.name} row with {shown}, not only the row "
            f"the migration seeded: no key of {table.name} is among the columns compared, so "
            "the rows the application wrote with the same values go too",
            offset_of(None, parsed, "WHERE"),
        )


def _shown(column: str, values: set[object]) -> str:
    """One term as the message shows it: ``name = 'theme'``, ``user_id IS NULL``."""
    spelt = sorted(_literal_sql(v) for v in values)
    if spelt == ["NULL"]:
        return f"{column} IS NULL"
    return f"{column} = {spelt[0]}" if len(spelt) == 1 else f"{column} IN ({', '.join(spelt)})"


def _literal_sql(value: object) -> str:
    """A text, integer or NULL as SQL spells it."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def _terms(condition: exp.Expr | None) -> dict[str, set[object]]:
    """``column -> the literal values it is compared with`` of a WHERE of plain terms.

    Empty when any term is another kind of test (the WHERE is not judged).
    """
    if condition is None:
        return {}
    found: dict[str, set[object]] = {}
    for term in condition.flatten() if isinstance(condition, exp.And) else (condition,):
        while isinstance(term, exp.Paren):
            term = term.this
        column, values = _term(term)
        if column is None:
            return {}
        found[column] = found.get(column, values) & values if column in found else values
    return found


def _term(term: exp.Expr) -> tuple[str | None, set[object]]:
    """One ``column = literal``, ``column IN (literals)`` or ``column IS NULL`` term."""
    if isinstance(term, exp.EQ | exp.Is):
        side, other = term.this, term.expression
        if not isinstance(side, exp.Column):
            side, other = other, side
        value = literal(other) if other is not None else UNKNOWN
        if isinstance(side, exp.Column) and value is not UNKNOWN:
            if isinstance(term, exp.EQ) and value is None:
                return None, set()  # = NULL matches nothing: MH329's
            return side.name.lower(), {value}
        return None, set()
    if isinstance(term, exp.In) and isinstance(term.this, exp.Column) and term.expressions:
        values = {literal(item) for item in term.expressions}
        if UNKNOWN in values or None in values:
            return None, set()
        return term.this.name.lower(), values
    return None, set()


def _matches(terms: dict[str, set[object]], row: _Row) -> bool:
    """Whether the seed row satisfies every term (a column it leaves out holds NULL).

    A value that is no literal (``CURRENT_TIMESTAMP``) may match: it is not told apart.
    """
    return all(
        row.get(column) is UNKNOWN or row.get(column) in values for column, values in terms.items()
    )


def _covers_key(table: Table, columns: set[str]) -> bool:
    """Whether ``columns`` include every column of a UNIQUE key or the PRIMARY KEY."""
    keys = [tuple(c.lower() for c in key) for key in table.unique_sets]
    if table.rowid_alias is not None:
        keys.append((table.rowid_alias.lower(),))
    if not table.without_rowid:
        keys += [("rowid",), ("oid",), ("_rowid_",)]
    return any(set(key) <= columns for key in keys)


def _seed_rows(up_sql: str) -> dict[str, list[_Row]]:
    """Per lower-cased table, the literal rows the up's ``INSERT … VALUES`` write."""
    found: dict[str, list[_Row]] = {}
    for statement in split_statements(up_sql):
        if "VALUES" not in statement.sql.upper():
            continue
        try:
            trees = parsing.parse(statement.sql)
        except ParseError:
            continue
        for tree in trees:
            if isinstance(tree, exp.Insert):
                table, rows = _literal_rows(tree)
                found.setdefault(table, []).extend(rows)
    return found


def _literal_rows(insert: exp.Insert) -> tuple[str, list[_Row]]:
    """The table and the rows of an ``INSERT INTO t (columns) VALUES …`` of literals."""
    target = insert.this
    values = insert.expression
    if not isinstance(target, exp.Schema) or not isinstance(values, exp.Values):
        return name_of(target), []
    columns = [name_of(c) for c in target.expressions]
    rows = []
    for row in values.expressions:
        items = row.expressions if isinstance(row, exp.Tuple) else [row]
        if len(items) != len(columns):
            continue
        read = {column: literal(item) for column, item in zip(columns, items, strict=True)}
        rows.append(read)
    return name_of(target.this), rows


RULES: tuple[Rule, ...] = (down_deletes_beyond_seed,)
