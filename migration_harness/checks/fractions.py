"""Fractions a file's own ``UPDATE`` stores in an ``INTEGER`` column (MH148).

``ALTER TABLE items ADD COLUMN price_cents INTEGER; UPDATE items SET price_cents = price
* 100`` looks like dollars into cents. But 19.99 * 100 is 1998.9999999999998 in binary
floating point, and INTEGER affinity converts a REAL only where no digit is lost: the
value is stored as that REAL, in a column every reader takes for whole numbers. Go's
``database/sql`` refuses to scan it into an ``int64`` ("converting driver.Value type
float64"), rusqlite's ``get::<i64>`` fails with ``InvalidColumnType``, and JavaScript
(D1, better-sqlite3) shows 1998.9999999999998 cents; ``CAST(price_cents AS INTEGER)``
later makes it 1998, a cent short. ``price * 1.5`` or ``amount / 3.0`` into such a column
is the same. Nothing fails when the file runs, and a test database with prices like
12.50 (1250.0, stored as 1250) shows nothing.

A table the file updates is its data migration, so ``compare`` leaves its values alone;
here only what the run shows counts: a row whose ``INTEGER`` column held no fraction
before the file (or did not exist) and holds one after it. ``ROUND(price * 100)`` (1999.0,
stored as 1999) and ``CAST(ROUND(price * 100) AS INTEGER)`` stay quiet, and so does a
STRICT table (it refuses the value: the UPDATE fails, ``apply_error``'s finding).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from sqlglot import exp

from migration_harness.checks.dropcascade import Keyed
from migration_harness.checks.statements import parse
from migration_harness.report.findings import Finding
from migration_harness.schema.model import Schema, table_map
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import Statement

FRACTION: Final = "MH148"


def updated_columns(statements: Iterable[Statement]) -> dict[str, set[str]]:
    """Columns (lower-cased, by table) an ``UPDATE`` of the file computes, not a literal."""
    found: dict[str, set[str]] = {}
    for statement in statements:
        if statement.keywords[:1] not in (("UPDATE",), ("WITH",)):
            continue
        tree = parse(statement.sql)
        if not isinstance(tree, exp.Update) or not isinstance(tree.this, exp.Table):
            continue
        for assignment in tree.expressions:
            if not isinstance(assignment, exp.EQ) or not isinstance(assignment.this, exp.Column):
                continue
            if isinstance(assignment.expression, exp.Literal | exp.Null):
                continue
            found.setdefault(tree.this.name.lower(), set()).add(assignment.this.name.lower())
    return found


def integer_columns(updated: Mapping[str, set[str]], after: Schema) -> dict[str, set[str]]:
    """The columns of ``updated`` with INTEGER affinity in a table that is not STRICT."""
    tables = table_map(after)
    found: dict[str, set[str]] = {}
    for name, columns in updated.items():
        table = tables.get(name)
        if table is None or table.strict:
            continue
        integer = {c.name.lower() for c in table.columns if c.affinity == "INTEGER"}
        if columns & integer:
            found[name] = columns & integer
    return found


def stored_fractions(
    columns: Mapping[str, set[str]], before: Mapping[str, Keyed], after: Mapping[str, Keyed]
) -> list[str]:
    """One line per value that holds a fraction after the file and held none before."""
    lines: list[str] = []
    for name in sorted(columns):
        old_rows = before.get(name, {})
        for key, row in after.get(name, {}).items():
            was = old_rows.get(key, {})
            for column in sorted(columns[name]):
                now = row.get(column)
                if _fraction(now) and not _fraction(was.get(column)):
                    shown = repr(key[0]) if len(key) == 1 else repr(key)
                    lines.append(f"{name}.{column} of row {shown}: {was.get(column)!r} -> {now!r}")
    return lines


def _fraction(value: object) -> bool:
    """A REAL with a fractional part (INTEGER affinity stores every other number whole)."""
    return isinstance(value, float) and not value.is_integer()


def fraction_finding(
    migration: Migration, lines: list[str], example: dict[str, Any]
) -> list[Finding]:
    """MH148 for the fractions an ``UPDATE`` stored in INTEGER columns (none: no finding)."""
    if not lines:
        return []
    message = (
        f"applying it stores {len(lines)} fractional REAL value(s) in INTEGER column(s) its "
        f"own UPDATE computes ({lines[0]}): readers of whole numbers fail on them or cut them "
        "(wrap the expression in ROUND(), or CAST(ROUND(…) AS INTEGER))"
    )
    return [
        Finding(
            "data_loss",
            migration.label,
            message,
            tuple(lines),
            example,
            "apply",
            "apply_keeps_data",
            code=FRACTION,
        )
    ]
