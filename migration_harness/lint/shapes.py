"""Shapes the rules share: table names in trees, the statements that define a table, copies.

Following each table's storage through a file (copies, refills, drops) is
:mod:`migration_harness.lint.storage`; the rebuilds found from it are
:mod:`migration_harness.lint.rebuilds`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.schema.model import Column, Schema, Table


def name_of(node: exp.Expr | None) -> str:
    """The lower-cased object name of a ``Table`` (or anything with a name)."""
    if node is None:
        return ""
    if isinstance(node, exp.Schema):
        node = node.this
    return str(node.name).lower() if node is not None else ""


def columns_in(node: exp.Expr | None) -> set[str]:
    """Lower-cased names of the columns ``node`` mentions (none for ``None``)."""
    return set() if node is None else {c.name.lower() for c in node.find_all(exp.Column)}


def dropped(tree: exp.Expr | None, kind: str = "TABLE") -> exp.Expr | None:
    """The object node a ``DROP <kind>`` statement names; ``None`` for anything else."""
    if not isinstance(tree, exp.Drop) or str(tree.args.get("kind")).upper() != kind:
        return None
    tables = tree.args.get("tables") or [tree.this]
    node = tables[0]
    return node if isinstance(node, exp.Expr) else None


def table_in(schema: Schema, name: str) -> Table | None:
    """The table called ``name`` (any case) in ``schema``."""
    return schema.by_lower_name.get(name.lower())


def changed_tables(before: Schema, after: Schema) -> list[str]:
    """Tables of ``after`` that are new or differ from ``before``.

    Table records are shared while a table's SQL does not change, so the identity test
    settles most tables and a file costs in proportion to what it touches. After an
    ``ALTER`` the replay reads the whole schema again and every record is new: equal
    records are then unchanged tables (pocket-id's ADD COLUMN files re-reported every
    foreign key of the schema as new).
    """
    if _LAST_CHANGED and _LAST_CHANGED[0][0] is before and _LAST_CHANGED[0][1] is after:
        return list(_LAST_CHANGED[0][2])
    found = tuple(
        n for n, t in after.tables.items() if (old := before.tables.get(n)) is not t and old != t
    )
    _LAST_CHANGED[:] = [(before, after, found)]
    return list(found)


# The last answer of changed_tables, by the identity of its schemas: a file's rules ask
# about the same pair nine times, and each pass is over every table of the schema, which
# made a long history cost quadratic time (5.7 of 52 s at 2,000 tables). Schemas are
# frozen records; holding the pair keeps their ids from being reused.
_LAST_CHANGED: Final[list[tuple[Schema, Schema, tuple[str, ...]]]] = []


def statement_about(context: FileContext, name: str) -> Parsed:
    """The file's last statement that creates or alters ``name`` (else its last one)."""
    found = context.statements[-1]
    for parsed in context.statements:
        tree = parsed.tree_if("CREATE", "ALTER")
        if isinstance(tree, exp.Create | exp.Alter) and name_of(tree.this) == name.lower():
            found = parsed
    return found


def statement_defining(context: FileContext, name: str) -> Parsed:
    """The statement that gave table ``name`` its final definition in the file.

    A CREATE of the table, or of the table later renamed to it (a rebuild's ``*_new``), or
    the last ALTER of it; the file's last statement when none did.
    """
    defined: dict[str, Parsed] = {}
    for parsed in context.statements:
        tree = parsed.tree_if("CREATE", "ALTER")
        if isinstance(tree, exp.Create) and str(tree.args.get("kind")).upper() == "TABLE":
            defined[name_of(tree.this)] = parsed
        elif isinstance(tree, exp.Alter):
            old = name_of(tree.this)
            renamed = [a for a in tree.args.get("actions") or () if isinstance(a, exp.AlterRename)]
            if renamed:
                defined[name_of(renamed[0].this)] = defined.pop(old, parsed)
            else:
                defined[old] = parsed
    return defined.get(name.lower(), context.statements[-1])


def sources(select: exp.Expr) -> list[str]:
    """Lower-cased names of every table a SELECT mentions, subqueries in its expressions too."""
    return [name_of(t) for t in select.find_all(exp.Table)]


def row_filter(select: exp.Expr) -> exp.Expr | None:
    """The SELECT's WHERE condition, ``None`` when it has none or it keeps every row.

    ``WHERE true`` (or ``WHERE 1``) filters nothing: SQLite's documentation asks for it in
    ``INSERT … SELECT … ON CONFLICT``, where the parser would otherwise read ``ON`` as a
    join's (sqlite.org/lang_upsert.html, "parsing ambiguity").
    """
    where = select.args.get("where")
    condition = where.this if isinstance(where, exp.Where) else where
    if isinstance(condition, exp.Paren):
        condition = condition.unnest()
    if isinstance(condition, exp.Boolean) and condition.this is True:
        return None
    if isinstance(condition, exp.Literal) and not condition.is_string:
        try:
            return None if float(condition.this) != 0 else condition
        except ValueError:
            return condition
    return condition


def branches(query: exp.Expr) -> list[exp.Select]:
    """The SELECTs of a query, each branch of a compound (``UNION [ALL]``, ``EXCEPT``) apart.

    ``INSERT INTO t SELECT … FROM a UNION ALL SELECT … FROM b`` writes rows of both
    ``a`` and ``b``: every rule reading a copy reads each branch as a copy of its own.
    """
    if isinstance(query, exp.Select):
        return [query]
    if isinstance(query, exp.SetOperation):
        return branches(query.this) + branches(query.expression)
    return []


def row_sources(select: exp.Expr) -> list[exp.Expr]:
    """What a SELECT takes its rows from: its FROM and JOIN items, in order.

    A subquery in the select list or the WHERE (``WHERE NOT EXISTS (SELECT 1 FROM t …)``)
    reads a table without giving the SELECT a single row, so it is no row source; a
    ``SELECT 'x', 1 WHERE …`` has none at all (one row of constants).
    """
    if isinstance(select, exp.SetOperation):
        return [item for branch in branches(select) for item in row_sources(branch)]
    if not isinstance(select, exp.Select):
        return []
    found: list[exp.Expr] = []
    clause = select.args.get("from_")
    if isinstance(clause, exp.From) and isinstance(clause.this, exp.Expr):
        found.append(clause.this)
    found += [j.this for j in select.args.get("joins") or () if isinstance(j.this, exp.Expr)]
    return found


# SQLite's table-valued JSON functions (sqlite.org/json1.html#jeach): one row per member
JSON_TABLES = frozenset({"json_each", "json_tree"})


def json_sources(select: exp.Expr) -> dict[str, exp.Expr]:
    """A SELECT's ``json_each(x)``/``json_tree(x)`` row sources: lower-cased alias -> ``x``.

    An unaliased call is named after its function, as SQLite names it.
    """
    found: dict[str, exp.Expr] = {}
    for item in row_sources(select):
        if not isinstance(item, exp.Table) or not isinstance(item.this, exp.Anonymous):
            continue
        function = str(item.this.this).lower()
        arguments = item.this.expressions
        if function in JSON_TABLES and arguments:
            found[item.alias_or_name.lower() or function] = arguments[0]
    return found


def row_tables(select: exp.Expr, ctes: dict[str, exp.Expr] | None = None) -> list[str]:
    """Lower-cased names of the stored tables a SELECT's rows come from, in FROM/JOIN order.

    A FROM subquery and a CTE (``ctes``: name -> its query) are followed to their own row
    sources; a table-valued function (``json_each``) names no stored table.
    """
    names: list[str] = []
    for item in row_sources(select):
        if isinstance(item, exp.Subquery):
            names += row_tables(item.this, ctes)
        elif isinstance(item, exp.Table) and isinstance(item.this, exp.Identifier):
            query = (ctes or {}).get(name_of(item))
            names += row_tables(query) if query is not None else [name_of(item)]
    return names


def ctes_of(tree: exp.Expr) -> dict[str, exp.Expr]:
    """The statement's common table expressions, lower-cased name -> query."""
    clause = tree.args.get("with_")
    if not isinstance(clause, exp.With):
        return {}
    return {c.alias.lower(): c.this for c in clause.expressions if isinstance(c, exp.CTE)}


def written_values(insert: exp.Insert, order: Sequence[str] = ()) -> dict[str, exp.Expr] | None:
    """What an ``INSERT … SELECT`` writes into each column, lower-cased name -> expression.

    The INSERT's column list names the columns; without one, ``order`` (the target's
    writable columns) does. Aliases are unwrapped. ``None`` where the select list does not
    line up with the columns (``SELECT *``, a count that differs, no list and no order).
    """
    select = insert.expression
    if not isinstance(select, exp.Select):
        return None
    if isinstance(insert.this, exp.Schema):
        into = [name_of(c) for c in insert.this.expressions]
    else:
        into = [c.lower() for c in order]
    values = select.expressions
    if not into or len(into) != len(values) or any(isinstance(v, exp.Star) for v in values):
        return None
    return {
        column: value.this if isinstance(value, exp.Alias) else value
        for column, value in zip(into, values, strict=True)
    }


def declared_column(definition: exp.Expr) -> Column | None:
    """The column a column definition declares (``None``: a table constraint).

    Its name, type, NOT NULL, single-column PRIMARY KEY, DEFAULT, COLLATE and whether it
    is generated: what a ``CREATE TEMP TABLE`` or an ``ADD COLUMN`` says, for rules that
    need a column the replay's schema does not hold at that point.
    """
    if not isinstance(definition, exp.ColumnDef):
        return None
    kind = definition.args.get("kind")
    found = {type(c.args.get("kind")): c.args.get("kind") for c in definition.constraints}
    collate = found.get(exp.CollateColumnConstraint)
    default = found.get(exp.DefaultColumnConstraint)
    return Column(
        name_of(definition),
        kind.sql(dialect="sqlite").upper() if isinstance(kind, exp.DataType) else "",
        notnull=exp.NotNullColumnConstraint in found,
        default=default.this.sql(dialect="sqlite") if default is not None else None,
        pk=1 if exp.PrimaryKeyColumnConstraint in found else 0,
        hidden=2 if exp.ComputedColumnConstraint in found else 0,
        collation=name_of(collate.this).upper() if collate is not None else None,
    )
