"""Values a file's UPDATE never names that a trigger stamps over on every row it updates.

``UPDATE orders SET total_cents = …`` backfills one column. An ``AFTER UPDATE`` trigger
that stamps ``updated_at = CURRENT_TIMESTAMP`` fires for every row the backfill touches,
and each row's last real change becomes the deploy's time: nothing keeps what the rows
held. A table the file updates is a data migration, so its changed values are no finding
(:func:`~migration_harness.data.rows.compare`'s ``intended``); but the file said nothing
about a column it never sets, and the trigger's value reads nothing of the row (a clock,
a constant), so no row in production keeps its own. Only an UPDATE that sets columns new
at the file counts (a backfill: an UPDATE of a column the rows held is a real change,
which the stamp records as it records the application's), and only stamped columns: a
trigger that recomputes a column from the row (``slug = lower(NEW.name)``) leaves
production's rows as they were, and only drawn rows, inconsistent to begin with, change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlglot import exp

from migration_harness.checks.loss import own_update_loss
from migration_harness.checks.statements import parse
from migration_harness.data.rows import Change, Loss
from migration_harness.report.findings import Finding
from migration_harness.schema.model import Schema
from migration_harness.schema.positional import trigger_statements
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import Statement


def updated_only(statements: Iterable[Statement]) -> dict[str, set[str]] | None:
    """Tables (lower-cased) the file writes by ``UPDATE`` alone, with the columns it sets.

    A table the file also inserts into, creates, drops or alters otherwise than by ``ADD
    COLUMN`` is left out: its other changes are the file's own. ``None`` when sqlglot
    cannot read a statement, which may write any table (nothing is claimed then).
    """
    assigned: dict[str, set[str]] = {}
    other: set[str] = set()
    for statement in statements:
        if statement.keywords[:1] in (("SELECT",), ("PRAGMA",)):
            continue
        tree = parse(statement.sql)
        if tree is None or isinstance(tree, exp.Command):
            return None
        if isinstance(tree, exp.Update) and isinstance(tree.this, exp.Table):
            columns = assigned.setdefault(tree.this.name.lower(), set())
            for assignment in tree.expressions:
                if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Column):
                    columns.add(assignment.this.name.lower())
            continue
        if isinstance(tree, exp.Alter) and all(
            isinstance(action, exp.ColumnDef) for action in tree.args.get("actions") or ()
        ):
            continue  # ADD COLUMN: a new column, its rows' values are no one's yet
        other |= {table.name.lower() for table in tree.find_all(exp.Table)}
    return {table: columns for table, columns in assigned.items() if table not in other}


def backfilled(assigned: dict[str, set[str]], before: Schema) -> dict[str, set[str]]:
    """The tables of ``assigned`` whose UPDATEs set only columns new at the file.

    A backfill (``ADD COLUMN total_cents``, ``UPDATE … SET total_cents = …``) changes
    nothing the rows said, so a stamp of their last change is wrong; an UPDATE of a
    column they held (``SET status = 'archived'``) is a real change the stamp records.
    """
    found = {}
    for table, columns in assigned.items():
        old = before.by_lower_name.get(table)
        if old is None or not columns:
            continue
        if columns.isdisjoint(c.name.lower() for c in old.columns):
            found[table] = columns
    return found


def stamped_columns(schema: Schema, table: str) -> dict[str, str]:
    """Columns of ``table`` a trigger's ``UPDATE`` of it sets to a value reading no column.

    Maps each (lower-cased) to the trigger's name: ``SET updated_at = CURRENT_TIMESTAMP``,
    ``= datetime('now')``, ``= 0``; not ``= NEW.total * 100`` nor ``= lower(name)``.
    """
    found: dict[str, str] = {}
    for trigger in schema.triggers:
        if trigger.table.lower() != table:
            continue
        for tree in trigger_statements(trigger.source or trigger.sql):
            if not isinstance(tree, exp.Update) or not isinstance(tree.this, exp.Table):
                continue
            if tree.this.name.lower() != table:
                continue
            for assignment in tree.expressions:
                if not isinstance(assignment, exp.EQ) or not isinstance(
                    assignment.this, exp.Column
                ):
                    continue
                if assignment.expression.find(exp.Column) is None:
                    found.setdefault(assignment.this.name.lower(), trigger.name)
    return found


def stamped_over(
    changed: Loss, assigned: dict[str, set[str]], *schemas: Schema
) -> list[tuple[Change, str]]:
    """The changes of ``changed`` a trigger stamped on a column the file's UPDATE never sets.

    Each with the trigger's name. ``changed``: the rows of the tables in ``assigned``
    compared across the step; ``schemas``: before and after it (a trigger the file
    creates before its UPDATE fires too).
    """
    stamps = {
        table: {
            k: v for schema in reversed(schemas) for k, v in stamped_columns(schema, table).items()
        }
        for table in assigned
    }
    found = []
    for change in changed.changes:
        table, column = change.table.lower(), change.column.lower()
        trigger = stamps.get(table, {}).get(column)
        if trigger is not None and column not in assigned[table] and change.old is not None:
            found.append((change, trigger))
    return found


def stamped_findings(
    migration: Migration, stamped: Sequence[tuple[Change, str]], example: dict[str, Any]
) -> list[Finding]:
    """MH141 per table: the values a trigger stamped over during the file's UPDATE."""
    findings = []
    for table in sorted({change.table for change, _ in stamped}):
        mine = [(c, t) for c, t in stamped if c.table == table]
        first, trigger = mine[0]
        columns = ", ".join(sorted({c.column for c, _ in mine}))
        message = (
            f"applying it overwrites {len(mine)} value(s) of {table}.{columns}, which its "
            f"UPDATE never sets: trigger {trigger} stamps every row the UPDATE touches "
            f"({first.old!r} becomes {first.new!r})"
        )
        details = (
            *(f"{c.table}.{c.column}: {c.old!r} -> {c.new!r}" for c, _ in mine),
            f"fix: DROP TRIGGER {trigger} before the UPDATE and create it again after, or "
            "give it a WHEN that the backfill does not meet",
        )
        findings.append(own_update_loss(migration, message, details, example))
    return findings
