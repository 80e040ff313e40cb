"""What an expression of a copy's select list does to one value, asked of SQLite itself.

Whether ``CASE LOWER(priority) WHEN 'low' THEN 2 … END`` keeps every priority apart, or
whether ``NULLIF(phone, '')`` can turn a real phone number into NULL, is a property of the
expression, not of the one row Hypothesis shrank to: the shrunk example holds ``''`` or
``'0'``, which say nothing about the values production holds. So the expression is
evaluated on its own, in an empty in-memory database, with its single column replaced by a
bound parameter: SQLite's own semantics (affinity, ``LOWER``, ``CAST``), never a copy of
them. An expression SQLite cannot evaluate alone (an application function, a subquery, two
columns) answers ``None``: unknown, and the caller falls back to the example.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from sqlglot import exp

from migration_harness.data.dataset import Value

# Values a text column plausibly holds that are neither blank nor NULL: a word, a number
# written as text, a phone number, a padded word.
NON_BLANK_PROBES: tuple[str, ...] = ("x", "Jonathan", "0", "42", "+1 415 555 0101", " padded ")
# Text that is not a number: a word, a phone number, a height in feet and inches.
NON_NUMERIC_PROBES: tuple[str, ...] = ("x", "Jonathan", "+1 415 555 0101", "5'11\"")


def evaluate(expression: exp.Expr, value: Value) -> tuple[bool, Value]:
    """``(True, result)`` of ``expression`` with its one column (if any) set to ``value``.

    ``(False, None)`` when the expression reads more than one column, reads a table, or
    calls something SQLite does not know (an application function).
    """
    columns = list(expression.find_all(exp.Column))
    if len({c.name.lower() for c in columns}) > 1 or expression.find(exp.Select):
        return False, None
    probe = expression.copy().transform(
        lambda node: exp.Placeholder() if isinstance(node, exp.Column) else node
    )
    conn = sqlite3.connect(":memory:")
    try:
        row = conn.execute(f"SELECT {probe.sql('sqlite')}", (value,) * len(columns)).fetchone()
    except (sqlite3.Error, OverflowError):
        return False, None
    finally:
        conn.close()
    return True, row[0]


def maps_apart(expression: exp.Expr, values: Iterable[object]) -> bool:
    """Whether every value maps to its own non-NULL result (nothing collapses, nothing nulls).

    ``values`` are the only values the column may hold (its ``CHECK (… IN (…))``): a mapping
    that is one-to-one over them loses nothing, whatever its ``ELSE`` does to values the
    column can never hold.
    """
    seen: set[tuple[str, Value]] = set()
    for value in values:
        if value is None:
            continue
        if not isinstance(value, str | int | float):
            return False
        known, result = evaluate(expression, value)
        if not known or result is None or _key(result) in seen:
            return False
        seen.add(_key(result))
    return bool(seen)


def nulls_real_text(expression: exp.Expr) -> bool | None:
    """Whether some non-blank text becomes NULL; ``None`` when SQLite cannot tell."""
    answers = [evaluate(expression, probe) for probe in NON_BLANK_PROBES]
    if not any(known for known, _ in answers):
        return None
    return any(known and result is None for known, result in answers)


def numbers_from_text(expression: exp.Expr) -> tuple[str, int | float] | None:
    """A text that is no number and the number the expression makes of it, if it does.

    ``CAST(phone AS INTEGER)`` makes ``'+1 415 555 0101'`` 1, and ``CASE … ELSE CAST(height
    AS INT) END`` makes ``'5'11"'`` 5: the text is gone. ``None`` when no such text becomes a
    number (or SQLite cannot evaluate the expression alone).
    """
    for probe in NON_NUMERIC_PROBES:
        known, result = evaluate(expression, probe)
        if known and isinstance(result, int | float):
            return probe, result
    return None


def _key(value: Value) -> tuple[str, Value]:
    """1 and 1.0 are one number to SQLite; ``'1'`` and 1 are not one value."""
    if isinstance(value, int | float):
        return ("n", float(value))
    return (type(value).__name__, value)
