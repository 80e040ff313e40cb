"""Whether a CAST in a copy can change a value: SQLite evaluates its operand on probes.

``CAST(strftime('%w', d) AS INTEGER)`` casts a computed weekday, which is always ``'0'`` to
``'6'`` or NULL: nothing is zeroed or cut. ``CAST(code AS INTEGER)`` casts whatever text the
column holds. The operand is run on probe values for the columns it reads (at most two);
a value that is not already the number it becomes means the CAST can change one.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3

from sqlglot import exp

from migration_harness.lint.mends import unqualified
from migration_harness.lint.shapes import columns_in
from migration_harness.schema.sqltext import quote

_PROBES: tuple[object, ...] = (
    None, "", " ", "abc", "007", "12", "-3", "1.5", "1e3", "2024-01-01", "2024-12-31 23:59:59",
    "x1", 0, 1, -1, 7, 2.5, 1e6,
)  # fmt: skip


def operand_keeps_values(cast: exp.Cast, affinity: str) -> bool:
    """Whether ``cast``'s operand only yields values the CAST to ``affinity`` keeps.

    Only for a computed operand (a plain column is what the rule is about), reading at most
    two columns, that SQLite can evaluate: every result must be NULL, a number (an integer
    for INTEGER), or text that reads as exactly that number.
    """
    operand = cast.this
    named = sorted(columns_in(operand))
    if isinstance(operand, exp.Column) or len(named) > 2:
        return False
    spelled = ", ".join(f"? AS {quote(n)}" for n in named) or "1 AS _"
    query = f"SELECT {unqualified(operand)} FROM (SELECT {spelled})"
    combos = itertools.product(_PROBES, repeat=len(named))
    try:
        with contextlib.closing(sqlite3.connect(":memory:")) as db:
            values = [db.execute(query, combo).fetchone()[0] for combo in combos]
    except sqlite3.Error:
        return False
    return all(_kept(value, affinity == "INTEGER") for value in values)


def _kept(value: object, integer: bool) -> bool:
    """Whether a CAST to INTEGER (``integer``) or REAL/NUMERIC leaves ``value`` as it reads."""
    if value is None or isinstance(value, int):
        return True
    if isinstance(value, float):
        return not integer or value.is_integer()
    if not isinstance(value, str):
        return False
    digits = value.lstrip("-")
    if digits.isdigit():
        return digits == "0" or not digits.startswith("0")
    if integer:
        return False
    try:
        float(value)
    except ValueError:
        return False
    return not digits.startswith("0") or digits.startswith("0.")
