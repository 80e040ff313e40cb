"""Apply failures that only tighten a constraint on data the earlier schema allowed (MH104).

A rebuild that makes ``updated_at`` NOT NULL, or adds ``CHECK (basename != '')``, fails on
a database holding a row with NULL there (or ``''``): rows the previous schema accepted.
Whether production holds such rows is a question about the data, not about the SQL; the
generator found that it *may*. That is a data-dependent change (Atlas's analyzer MF104
says the same statically of a nullable column made non-nullable,
https://atlasgo.io/lint/analyzers#data-dependent-changes): a warning telling the author to
backfill or guard first, not an error. On the judged corpus these were most of the false
``apply_error`` findings.

Only decided from the schema records around the step, never from the file's text:

- the failure is ``NOT NULL``/``CHECK`` (a ``UNIQUE`` addition stays MH101: duplicates
  arise from races and redeliveries without the application meaning to);
- the table after the step has the constraint and the table before it did not (the
  column was nullable; its columns had no CHECK: narrowing an existing CHECK refuses
  values the earlier schema declared valid, and stays MH101);
- the failing statement copies existing rows (``INSERT … SELECT``) and the column is fed
  from a column of them, not from a literal the file wrote (a copy of ``NULL`` into a NOT
  NULL column fails on every non-empty table: a bug, MH101);
- or it backfills a column the step makes NOT NULL (new, or nullable before) with an
  ``UPDATE … SET c = CASE WHEN … THEN … END`` that has no ``ELSE``: the NULL comes from
  rows none of its conditions match (karakeep's 0025 backfills ``bookmarks.type`` from
  which of three child tables holds the bookmark's id);
- or the copy reads a column another table of its join allowed NULL in, or a column new in
  the step that only guarded backfills fill (:mod:`~migration_harness.checks.fills`).

The caller only asks when the file applies to the empty database (the failure depends on
the rows) and the rows are generated: with real rows (``check --data``) the failure is
certain and stays MH101.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import sqlglot
from sqlglot import exp

from migration_harness.checks.fills import nullable_source
from migration_harness.data.rows import renames_in
from migration_harness.schema.model import Schema, Table
from migration_harness.sets import parsing
from migration_harness.sets.sql import Statement
from migration_harness.sets.tokens import mentions

TIGHTENED: Final = "MH104"


def tightened(
    reason: str,
    statement: str | None,
    statements: Iterable[Statement],
    before: Schema,
    after: Schema,
) -> str | None:
    """What the rows hold that the step's new NOT NULL/CHECK refuses; ``None``: not that.

    Args:
        reason: SQLite's message (``NOT NULL constraint failed: t_new.c``).
        statement: the statement that failed.
        statements: the step's file.
        before: the schema before the step.
        after: the schema after it (the step applied to the empty database).

    """
    copy = _copy(statement)
    if copy is None:
        return _backfill(reason, statement, before, after)
    target, columns, items, select = copy
    final = {old.lower(): new.lower() for old, new in renames_in(statements).tables}
    name = final.get(target, target)
    new = after.by_lower_name.get(name)
    if new is None:
        return None
    old = before.by_lower_name.get(name) or before.by_lower_name.get(target)
    feeds = _feeds(columns, items, new)
    if reason.startswith("NOT NULL constraint failed: "):
        column = _column(reason)
        fed = None if feeds is None else feeds.get(column.lower())
        return _not_null(reason, new, old, feeds) or (
            nullable_source(column, new, fed, select, statements, before)
            if feeds is not None and _is_not_null(new, column)
            else None
        )
    if reason.startswith("CHECK constraint failed: "):
        return _check(reason, new, old, feeds)
    return None


def _not_null(
    reason: str, new: Table, old: Table | None, feeds: dict[str, exp.Expr] | None
) -> str | None:
    """NULL in a column copied from a nullable column of the table before."""
    column = reason.removeprefix("NOT NULL constraint failed: ").split(": SQLITE_")[0]
    column = column.split(".", 1)[-1].strip()
    if old is None or not _is_not_null(new, column):
        return None
    try:
        was = old.column(column)
    except KeyError:
        return None
    if was.notnull or was.name == old.rowid_alias:
        return None
    fed = None if feeds is None else feeds.get(column.lower())
    if feeds is not None and not isinstance(fed, exp.Column):
        return None
    return f"NULL in {new.name}.{column}, which the earlier schema allowed"


def _check(
    reason: str, new: Table, old: Table | None, feeds: dict[str, exp.Expr] | None
) -> str | None:
    """A value outside a CHECK the table before did not have, copied from existing rows."""
    tail = reason.removeprefix("CHECK constraint failed: ").split(": SQLITE_")[0].strip()
    wanted = _normal(tail)
    before = old.checks if old is not None else ()
    checked = {
        c.name.lower() for k in before for c in _parse_expr(k.expression).find_all(exp.Column)
    }
    for check in new.checks:
        if check in before:
            continue
        used = {c.name.lower() for c in _parse_expr(check.expression).find_all(exp.Column)}
        # SQLite names an unnamed CHECK by its expression, a column's by the column, and
        # some versions a table CHECK over one column by that column alone.
        names = (check.expression, check.column and _normal(check.column))
        if wanted not in names and used != {wanted.lower()}:
            continue
        if used & checked:
            return None  # narrows a CHECK: values the earlier schema declared valid
        fed = [feeds.get(c) for c in used] if feeds is not None else []
        if any(f is None or not any(f.find_all(exp.Column)) for f in fed):
            return None  # a literal the file wrote, not a value the rows held
        return f"a value outside CHECK ({check.expression}) on {new.name}, new in this step"
    return None


def _backfill(reason: str, statement: str | None, before: Schema, after: Schema) -> str | None:
    """A backfill ``UPDATE`` of a column made NOT NULL whose ``CASE`` matches not every row.

    ``UPDATE bookmarks SET type = CASE WHEN EXISTS (…links…) THEN 'link' WHEN … END``
    gives NULL to a row no ``WHEN`` matches (no ``ELSE``, or ``ELSE NULL``): whether
    production holds such a row is a question about the data, as with a copy of NULL. A
    ``CASE`` with a ``THEN NULL`` (the file writes NULL on a condition it names), a NULL
    literal, or any other expression stays MH101.
    """
    if not reason.startswith("NOT NULL constraint failed: "):
        return None
    try:
        parsed = parsing.parse_one(statement or "")
    except sqlglot.errors.SqlglotError:
        return None
    if not isinstance(parsed, exp.Update) or not isinstance(parsed.this, exp.Table):
        return None
    name = parsed.this.name.lower()
    column = reason.removeprefix("NOT NULL constraint failed: ").split(": SQLITE_")[0]
    column = column.split(".", 1)[-1].strip()
    new, old = after.by_lower_name.get(name), before.by_lower_name.get(name)
    if new is None or old is None or not _is_not_null(new, column) or _is_not_null(old, column):
        return None
    fed = next(
        (
            item.expression
            for item in parsed.expressions
            if isinstance(item, exp.EQ)
            and isinstance(item.this, exp.Column)
            and item.this.name.lower() == column.lower()
        ),
        None,
    )
    default = fed.args.get("default") if isinstance(fed, exp.Case) else None
    if not isinstance(fed, exp.Case) or not (default is None or isinstance(default, exp.Null)):
        return None
    branches = fed.args.get("ifs") or []
    if not branches or any(isinstance(b.args.get("true"), exp.Null) for b in branches):
        return None
    return (
        f"values no WHEN of the CASE that backfills {new.name}.{column} matches "
        "(NULL: it has no ELSE)"
    )


def _copy(
    statement: str | None,
) -> tuple[str, list[str], list[exp.Expr], exp.Select] | None:
    """The table an ``INSERT … SELECT`` fills, its column list, select list and SELECT.

    A statement without the word SELECT is none, and is not parsed (a seed's long
    ``INSERT … VALUES`` cost sqlglot seconds for each example).
    """
    if statement is None or not mentions(statement, "SELECT"):
        return None
    try:
        parsed = parsing.parse_one(statement or "")
    except sqlglot.errors.SqlglotError:
        return None
    if not isinstance(parsed, exp.Insert) or not isinstance(parsed.expression, exp.Select):
        return None
    target = parsed.this
    columns = [c.name.lower() for c in target.expressions] if isinstance(target, exp.Schema) else []
    name = (target.this if isinstance(target, exp.Schema) else target).name.lower()
    items = [i.this if isinstance(i, exp.Alias) else i for i in parsed.expression.expressions]
    return name, columns, items, parsed.expression


def _feeds(columns: list[str], items: list[exp.Expr], table: Table) -> dict[str, exp.Expr] | None:
    """What feeds each column of the copy; ``None`` for ``SELECT *`` (every column as is)."""
    if any(isinstance(i, exp.Star) for i in items):
        return None
    names = columns or [c.name.lower() for c in table.columns if not c.hidden]
    if len(names) != len(items):
        return {}
    return dict(zip(names, items, strict=True))


def _column(reason: str) -> str:
    """The column a ``NOT NULL constraint failed: t.c`` message names."""
    column = reason.removeprefix("NOT NULL constraint failed: ").split(": SQLITE_")[0]
    return column.split(".", 1)[-1].strip()


def _is_not_null(table: Table, column: str) -> bool:
    """Whether ``table`` refuses NULL in ``column``."""
    try:
        return table.column(column).notnull
    except KeyError:
        return False


def _normal(sql: str) -> str:
    """An expression as :class:`~migration_harness.schema.records.Check` stores it."""
    try:
        return _parse_expr(sql).sql(dialect="sqlite")
    except sqlglot.errors.SqlglotError:
        return sql


def _parse_expr(sql: str) -> exp.Expr:
    """``sql`` parsed as one SQLite expression."""
    return parsing.parse_one(sql)
