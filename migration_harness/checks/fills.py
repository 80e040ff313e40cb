"""Copies into a NOT NULL column whose NULLs come from the rows, not from the SQL (MH104).

Two shapes :mod:`~migration_harness.checks.tightening` did not see, both Prisma rebuilds:

- a column new in this step, filled by ``UPDATE t SET c = 'x' WHERE key = '…'`` backfills
  that each carry a ``WHERE``, then copied into ``c NOT NULL``: a row none of the
  ``WHERE`` clauses match stays NULL. As with a ``CASE`` without ``ELSE``, whether
  production holds such a row is a question about the data;
- a copy reading the column from another table of the join (``FROM user u JOIN key k``,
  ``k.hashed_password``) that the earlier schema allowed NULL in.

A NULL certain from the SQL stays MH101: a backfill writing NULL, a new column no backfill
fills for any row, and a column read from the right side of a ``LEFT JOIN``. A ``LEFT
JOIN`` differs from an inner one only on the rows with no match, and on exactly those rows
it yields NULL: the file asks for those rows and writes NULL for each of them, as a ``THEN
NULL`` does, so the failure is the SQL's, not the data's.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlglot
from sqlglot import exp

from migration_harness.schema.model import Schema, Table
from migration_harness.sets import parsing
from migration_harness.sets.sql import Statement


def nullable_source(
    column: str,
    new: Table,
    fed: exp.Expr | None,
    select: exp.Select,
    statements: Iterable[Statement],
    before: Schema,
) -> str | None:
    """What leaves NULL in ``new.column``, copied by ``select``; ``None``: certain or not this.

    Args:
        column: the NOT NULL column the copy failed on.
        new: the table after the step.
        fed: the select item feeding ``column``.
        select: the copy's SELECT.
        statements: the step's file (for the backfills of a column new in it).
        before: the schema before the step.

    """
    if not isinstance(fed, exp.Column):
        return None
    sources = _sources(select)
    qualifier = fed.table.lower()
    picked = [s for s in sources if s[0] == qualifier] if qualifier else sources
    found = [(name, outer) for _, name, outer in picked if _has(before, name, fed.name)]
    if len(found) == 1:
        name, outer = found[0]
        table = before.by_lower_name[name]
        was = table.column(fed.name)
        if outer or was.notnull or was.name == table.rowid_alias:
            return None
        return (
            f"NULL in {new.name}.{column}, copied from {table.name}.{was.name}, "
            "which the earlier schema allowed"
        )
    if found or len(picked) != 1 or picked[0][2]:
        return None
    return _backfilled(picked[0][1], fed.name, statements, new, column)


def _sources(select: exp.Select) -> list[tuple[str, str, bool]]:
    """Each table the SELECT reads: (alias or name, name, on the NULL side of a LEFT JOIN)."""
    found: list[tuple[str, str, bool]] = []
    origin = select.args.get("from_")
    if origin is not None and isinstance(origin.this, exp.Table):
        table = origin.this
        found.append((table.alias_or_name.lower(), table.name.lower(), False))
    for join in select.args.get("joins") or []:
        if isinstance(join.this, exp.Table):
            outer = join.side.upper() in ("LEFT", "FULL")
            table = join.this
            found.append((table.alias_or_name.lower(), table.name.lower(), outer))
    return found


def _has(schema: Schema, table: str, column: str) -> bool:
    """Whether ``table`` of ``schema`` has ``column``."""
    found = schema.by_lower_name.get(table)
    return found is not None and any(c.name.lower() == column.lower() for c in found.columns)


def _backfilled(
    table: str, source: str, statements: Iterable[Statement], new: Table, column: str
) -> str | None:
    """The backfills of a column new in the step, when each has a ``WHERE``.

    ``None`` (stays MH101) when no backfill fills it (NULL for every row), when one writes
    NULL, or when one without ``WHERE`` fills every row (the NULL then comes from elsewhere).
    """
    guarded = 0
    for statement in statements:
        try:
            parsed = parsing.parse_one(statement.sql)
        except sqlglot.errors.SqlglotError:
            continue
        if not isinstance(parsed, exp.Update) or not isinstance(parsed.this, exp.Table):
            continue
        if parsed.this.name.lower() != table:
            continue
        for item in parsed.expressions:
            if not (isinstance(item, exp.EQ) and isinstance(item.this, exp.Column)):
                continue
            if item.this.name.lower() != source.lower():
                continue
            if isinstance(item.expression, exp.Null) or parsed.args.get("where") is None:
                return None
            guarded += 1
    if not guarded:
        return None
    return (
        f"NULL in {new.name}.{column} on rows none of the {guarded} backfill(s) of "
        f"{table}.{source} match (each has a WHERE; the column is new in this step)"
    )
