"""What a step lost, turned into findings and into the reversibility matrix's facts.

Shared by the apply and rollback properties: a measured :class:`~migration_harness.data.rows.Loss`
is split per table (each table is its own defect, issue 13) and counted.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Collection, Iterable
from typing import Any

from sqlglot import exp

from migration_harness.checks.intent import LOSS, destroys
from migration_harness.checks.statements import parse
from migration_harness.data.rows import Change, Loss, Rows
from migration_harness.report.findings import Finding, MigrationInfo
from migration_harness.schema.model import Schema
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import Statement
from migration_harness.sets.tokens import mentions


def loss_by_table(
    loss: Loss, before: Rows, schema: Schema, compare_one: Callable[[str | None], Loss]
) -> list[tuple[str, Loss]]:
    """``loss`` split into one part per table that lost something.

    Each table is its own defect (a rebuild of ``a`` dropping NULL rows, another of ``b``
    swapping columns): one finding per table keeps one from hiding the other, and each
    gets its own minimal example.
    """
    if not loss.problems:
        return []
    parts = []
    for key in before:
        part = compare_one(key)
        if part.problems:
            table = schema.by_lower_name.get(key)
            parts.append((table.name if table else key, part))
    return parts


def count_loss(loss: Any) -> str:
    """``2 row(s) and 1 value(s)``."""
    parts = []
    if loss.rows_lost:
        parts.append(f"{loss.rows_lost} row(s)")
    if loss.cells_changed:
        parts.append(f"{loss.cells_changed} value(s)")
    return " and ".join(parts) or "data"


def record_apply_loss(info: MigrationInfo, rows: int, cells: int) -> None:
    """Data the migration drops on purpose (the seeds' DROP COLUMN), largest per example.

    Only measured here: :mod:`~migration_harness.checks.matrix` decides the verdict once
    every check has run.
    """
    info.apply_loss["rows"] = max(info.apply_loss["rows"], rows)
    info.apply_loss["cells"] = max(info.apply_loss["cells"], cells)


def record_rollback_loss(info: MigrationInfo, loss: Loss) -> None:
    """What one rolled-back example lost, largest per example.

    ``expected_loss``: rows of tables k created and cells of columns k added (they go with
    the objects). ``rollback_loss``: rows and values of objects that existed before k,
    which a rollback must keep (each a ``data_loss`` finding).
    """
    for record, rows, cells in (
        (info.expected_loss, loss.expected_rows, loss.expected_cells),
        (info.rollback_loss, loss.rows_lost, loss.cells_changed),
    ):
        record["rows"] = max(record["rows"], rows)
        record["cells"] = max(record["cells"], cells)


def own_update_loss(
    migration: Migration, message: str, details: tuple[str, ...], example: dict[str, Any]
) -> Finding:
    """MH141 of ``apply_keeps_data`` for values a file's own UPDATE destroyed in one table.

    The table is the file's data migration, so ``compare`` leaves it alone; the checks that
    still judge it (values cut short here, stamped over by a trigger, nulled by a subquery)
    each say what happened and report it the same way.
    """
    return Finding(
        "data_loss",
        migration.label,
        message,
        details,
        example,
        "apply",
        "apply_keeps_data",
        code=LOSS,
    )


def cut_values(own: Loss, derived: Collection[tuple[str, str]]) -> list[Change]:
    """The values of a table the file itself updates that its UPDATE cut short.

    A table the file writes with ``UPDATE``/``DELETE`` is a data migration, so its changes
    are not counted as loss (:func:`~migration_harness.data.rows.compare`'s ``intended``).
    A rewrite that keeps only part of what the row held is still a loss, whatever the file
    means by it: ``UPDATE tracks SET title = substr(title, 1, 3)`` leaves ``'Sub'`` of
    ``'Submarine'``, and a number's fraction or a text's digits are gone the same way
    (:func:`~migration_harness.checks.intent.destroys`). Clearing a value to NULL and
    merging values are left out: ``SET token = NULL`` and ``SET status = 'done' WHERE
    status IN (…)`` say plainly that the old values go. Deleted rows are left out too: a
    ``DELETE … WHERE`` names the rows it removes. Only columns the UPDATE computes from
    their own old value count (``derived``: :func:`self_derived`), and a time's text turned
    into the number it names is a reformat, not a cut.
    """
    return [
        change
        for change in own.changes
        if (change.table, change.column) in derived
        and change.new is not None
        and destroys(change)
        and not _time_reformatted(change)
    ]


def self_derived(statements: Iterable[Statement]) -> set[tuple[str, str]]:
    """``(table, column)`` an ``UPDATE`` of the file sets from the column's own value.

    ``SET title = substr(title, 1, 12)`` computes the new value from the old: a cut there
    keeps part of what the row said and drops the rest. ``SET file_hash = ''`` or ``SET
    superuser = 0`` names the new value outright, and says the old one goes (komga resets
    its hashes, homebox its roles): no cut.
    """
    found: set[tuple[str, str]] = set()
    for statement in statements:
        tree = parse(statement.sql) if mentions(statement.sql, "UPDATE") else None
        if not isinstance(tree, exp.Update) or not isinstance(tree.this, exp.Table):
            continue
        table = tree.this.name.lower()
        own = {table, tree.this.alias_or_name.lower()}
        for assignment in tree.expressions:
            if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Column):
                column = assignment.this.name.lower()
                if _reads(assignment.expression, column, own):
                    found.add((table, column))
    return found


def _reads(value: exp.Expr, column: str, own: Collection[str]) -> bool:
    """Whether ``value`` reads ``column`` of the updated row (not of a subquery's table)."""
    for ref in value.find_all(exp.Column):
        if ref.name.lower() != column or ref.find_ancestor(exp.Select) is not None:
            continue
        if not ref.table or ref.table.lower() in own:
            return True
    return False


def _time_reformatted(change: Change) -> bool:
    """Whether a time's text became the number SQLite reads it as (``strftime('%s', t)``).

    ``'2020-01-01 00:00:00'`` and ``1577836800`` name the same instant: pocket-id turns
    its timestamps into Unix seconds that way. Text that is no time (``'+1 415 555
    0101'``) still makes a number that lost what it said.
    """
    old = change.old
    if not isinstance(old, str) or not isinstance(change.new, int | float):
        return False
    if old.strip().lstrip("+-").replace(".", "", 1).isdigit():
        return False  # a bare number is a Julian day to SQLite: no time text
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        (day,) = conn.execute("SELECT julianday(?)", (old,)).fetchone()
    return day is not None
