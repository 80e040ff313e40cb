"""Values a file's own UPDATE turns into NULL through a scalar subquery that finds no row.

``UPDATE users SET country_code = (SELECT code FROM countries WHERE countries.name =
users.country)`` rewrites every row; where the subquery finds no row (a country spelt
otherwise, a NULL key) it yields NULL, and the value the row held is gone. A table the
file updates is a data migration, so its changes are otherwise no finding
(:func:`~migration_harness.data.rows.compare`'s ``intended``); but a value that becomes
NULL is destroyed, which stays an error (MH141) even where the file asks for the rewrite
(issue 13's rule for declared rewrites). Only what the run shows counts, so a column the
file adds (NULL before), an UPDATE guarded by ``WHERE EXISTS (…)`` or ``WHERE c IS NULL``
and a subquery that finds a row for every drawn row stay quiet. ``SET c = NULL`` and
``COALESCE((SELECT …), c)`` are the file's own word: only a bare scalar subquery counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlglot import exp

from migration_harness.checks.loss import own_update_loss
from migration_harness.checks.statements import parse
from migration_harness.data.rows import Change, Loss
from migration_harness.report.findings import Finding
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import Statement


def subquery_columns(statements: Iterable[Statement]) -> set[tuple[str, str]]:
    """``(table, column)`` pairs (lower-cased) an UPDATE sets to a bare scalar subquery."""
    found: set[tuple[str, str]] = set()
    for statement in statements:
        if statement.keywords[:1] not in (("UPDATE",), ("WITH",)):
            continue
        tree = parse(statement.sql)
        if not isinstance(tree, exp.Update) or not isinstance(tree.this, exp.Table):
            continue
        table = tree.this.name.lower()
        for assignment in tree.expressions:
            value = assignment.expression if isinstance(assignment, exp.EQ) else None
            while isinstance(value, exp.Paren):
                value = value.this
            if isinstance(value, exp.Subquery) and isinstance(assignment.this, exp.Column):
                found.add((table, assignment.this.name.lower()))
    return found


def nulled_values(loss: Loss, columns: set[tuple[str, str]]) -> list[Change]:
    """The changes of ``loss`` where a value of one of ``columns`` became NULL."""
    return [
        change
        for change in loss.changes
        if (change.table.lower(), change.column.lower()) in columns
        and change.old is not None
        and change.new is None
    ]


def nulled_findings(
    migration: Migration, nulled: Sequence[Change], example: dict[str, Any]
) -> list[Finding]:
    """MH141 per table for values the file's own UPDATE set to NULL by its subquery."""
    findings = []
    for table in sorted({change.table for change in nulled}):
        mine = [change for change in nulled if change.table == table]
        first = mine[0]
        message = (
            f"applying it sets {len(mine)} value(s) of {table} to NULL: its own UPDATE sets "
            f"{first.column} to a subquery that finds no row for them ({first.old!r} becomes "
            "NULL)"
        )
        details = (
            *(f"{c.table}.{c.column}: {c.old!r} -> NULL" for c in mine),
            "fix: guard the UPDATE with WHERE EXISTS (the same subquery), or keep the old "
            "value with COALESCE((SELECT …), column)",
        )
        findings.append(own_update_loss(migration, message, details, example))
    return findings
