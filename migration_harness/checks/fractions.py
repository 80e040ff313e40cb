"""Fractions a file's ``UPDATE`` or copy stores in an ``INTEGER`` column (MH148).

``ALTER TABLE items ADD COLUMN price_cents INTEGER; UPDATE items SET price_cents = price
* 100`` looks like dollars into cents. But 19.99 * 100 is 1998.9999999999998 in binary
floating point, and INTEGER affinity converts a REAL only where no digit is lost: the
value is stored as that REAL, in a column every reader takes for whole numbers. Go's
``database/sql`` refuses to scan it into an ``int64`` ("converting driver.Value type
float64"), rusqlite's ``get::<i64>`` fails with ``InvalidColumnType``, and JavaScript
(D1, better-sqlite3) shows 1998.9999999999998 cents; ``CAST(price_cents AS INTEGER)``
later makes it 1998, a cent short. ``price * 1.5`` or ``amount / 3.0`` into such a
column is the same, and so is a rebuild's copy ``INSERT INTO items_new (…, price_cents)
SELECT …, price * 100 FROM items``. Nothing fails when the file runs, and a test
database with prices like 12.50 (1250.0, stored as 1250) shows nothing.

A table the file updates is its data migration, so ``compare`` leaves its values alone;
here only what the run shows counts: a row there before the file whose ``INTEGER``
column holds a fraction after it that it did not hold before (a new column, a rebuilt
one). ``ROUND(price * 100)`` (1999.0, stored as 1999) and ``CAST(ROUND(price * 100) AS
INTEGER)`` stay quiet, and so does a STRICT table (it refuses the value: the UPDATE
fails, ``apply_error``'s finding).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from sqlglot import exp

from migration_harness.checks.dropcascade import Keyed, show_key
from migration_harness.checks.statements import parse
from migration_harness.report.findings import Finding
from migration_harness.schema.model import Schema, table_map
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import Statement

FRACTION: Final = "MH148"


def computed_columns(statements: Iterable[Statement]) -> dict[str, set[str] | None]:
    """Columns (lower-cased, by table) the file computes into existing rows.

    An ``UPDATE``'s SET columns that are not a literal, and the columns an ``INSERT …
    SELECT`` fills (``None``: all of them, no column list), followed through ``ALTER TABLE
    … RENAME TO`` (a rebuild's copy lands in the table renamed into place). ``INSERT …
    VALUES`` writes the file's own literals: not counted.
    """
    found: dict[str, set[str] | None] = {}
    for statement in statements:
        tree = parse(statement.sql)
        if isinstance(tree, exp.Update) and isinstance(tree.this, exp.Table):
            columns = _set_columns(tree)
            if columns:
                _add(found, tree.this.name.lower(), columns)
        elif isinstance(tree, exp.Insert) and isinstance(tree.expression, exp.Select | exp.Union):
            target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
            if isinstance(target, exp.Table):
                listed = tree.this.expressions if isinstance(tree.this, exp.Schema) else []
                names = {
                    c.name.lower() for c in listed if isinstance(c, exp.Identifier | exp.Column)
                }
                _add(found, target.name.lower(), names or None)
        elif isinstance(tree, exp.Alter):
            for action in tree.args.get("actions") or ():
                if isinstance(action, exp.AlterRename) and isinstance(tree.this, exp.Table):
                    old, new = tree.this.name.lower(), action.this.name.lower()
                    if old in found:
                        _add(found, new, found.pop(old))
    return found


def _set_columns(tree: exp.Update) -> set[str]:
    """The columns an UPDATE sets to something other than a literal."""
    return {
        a.this.name.lower()
        for a in tree.expressions
        if isinstance(a, exp.EQ)
        and isinstance(a.this, exp.Column)
        and not isinstance(a.expression, exp.Literal | exp.Null)
    }


def _add(found: dict[str, set[str] | None], table: str, columns: set[str] | None) -> None:
    """Merge ``columns`` into ``found[table]`` (``None``: every column)."""
    if table in found and found[table] is None:
        return
    found[table] = None if columns is None else (found.get(table) or set()) | columns


def integer_columns(computed: Mapping[str, set[str] | None], after: Schema) -> dict[str, set[str]]:
    """The columns of ``computed`` with INTEGER affinity in a table that is not STRICT."""
    tables = table_map(after)
    found: dict[str, set[str]] = {}
    for name, columns in computed.items():
        table = tables.get(name)
        if table is None or table.strict:
            continue
        integer = {c.name.lower() for c in table.columns if c.affinity == "INTEGER"}
        chosen = integer if columns is None else columns & integer
        if chosen:
            found[name] = chosen
    return found


def stored_fractions(
    columns: Mapping[str, set[str]], before: Mapping[str, Keyed], after: Mapping[str, Keyed]
) -> list[str]:
    """One line per value of a row there before the file that the file made a fraction.

    Rows new at the file (a seed) hold what the file wrote in so many words.
    """
    lines: list[str] = []
    for name in sorted(columns):
        old_rows = before.get(name, {})
        for key, row in after.get(name, {}).items():
            was = old_rows.get(key)
            if was is None:
                continue
            for column in sorted(columns[name]):
                now = row.get(column)
                if _fraction(now) and was.get(column) != now:
                    shown = show_key(key)
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
        f"applying it stores {len(lines)} fractional REAL value(s) in INTEGER column(s) it "
        f"computes ({lines[0]}): readers of whole numbers fail on them or cut them "
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
