"""Date/time columns that the set's own SQL converts to unix seconds.

A column declared ``DATETIME`` holds ISO-8601 text, what drivers write there (see
``data/columns.py``), until a migration rewrites it in place as unix seconds:
``UPDATE t SET c = strftime('%s', c)`` or ``unixepoch(c)`` (pocket-id's
20241023072742_unix-timestamps). From that version on the application writes seconds into
the same declared type, and the rollback reads them back with ``datetime(c,
'unixepoch')``: text drawn there is data the application no longer writes, and the
rollback fails on it (NULL into a NOT NULL column). ``UPDATE … SET c = datetime(c,
'unixepoch')`` converts it back. Only an UPDATE's own assignment of the column from an
expression of the same column counts; anything else says nothing about the form.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlglot import exp

from migration_harness.schema.usage import Column, parse_sql
from migration_harness.sets.sql import split_statements


def unix_columns_by_version(up_files: Iterable[str]) -> tuple[frozenset[Column], ...]:
    """For each version (0: before the first file), the columns holding unix seconds."""
    held: set[Column] = set()
    out = [frozenset(held)]
    for text in up_files:
        if "unixepoch" in text.lower() or "%s" in text:  # most files convert nothing
            for statement in split_statements(text):
                tree = parse_sql(statement.sql)
                if isinstance(tree, exp.Update):
                    _convert(tree, held)
        out.append(frozenset(held))
    return tuple(out)


def _convert(update: exp.Update, held: set[Column]) -> None:
    """Record what ``update``'s ``SET c = f(c)`` assignments turn into seconds or back."""
    table = update.this.name.lower() if isinstance(update.this, exp.Table) else ""
    for assignment in update.expressions:
        if not isinstance(assignment, exp.EQ) or not isinstance(assignment.this, exp.Column):
            continue
        column = assignment.this.name.lower()
        value = assignment.expression
        if isinstance(value, exp.Cast):
            value = value.this
        own = {c.name.lower() for c in value.find_all(exp.Column)} == {column}
        if not table or not own:
            continue
        if _to_seconds(value):
            held.add((table, column))
        elif _to_text(value):
            held.discard((table, column))


def _to_seconds(value: exp.Expression) -> bool:
    """``strftime('%s', c)`` or ``unixepoch(c)``."""
    if isinstance(value, exp.TimeToStr):
        return (
            isinstance(value.args.get("format"), exp.Literal) and value.args["format"].this == "%s"
        )
    return isinstance(value, exp.Anonymous) and str(value.this).lower() == "unixepoch"


def _to_text(value: exp.Expression) -> bool:
    """``datetime(c, 'unixepoch')`` and the like: a time function reading seconds."""
    literals = {str(a.this).lower() for a in value.find_all(exp.Literal) if a.is_string}
    return "unixepoch" in literals and not _to_seconds(value)
