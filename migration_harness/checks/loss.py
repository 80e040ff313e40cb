"""What a step lost, turned into findings and into the reversibility matrix's facts.

Shared by the apply and rollback properties: a measured :class:`~migration_harness.data.rows.Loss`
is split per table (each table is its own defect, issue 13) and counted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from migration_harness.checks.intent import destroys
from migration_harness.data.rows import Change, Loss, Rows
from migration_harness.report.findings import MigrationInfo
from migration_harness.schema.model import Schema


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


def cut_values(own: Loss) -> list[Change]:
    """The values of a table the file itself updates that its UPDATE cut short.

    A table the file writes with ``UPDATE``/``DELETE`` is a data migration, so its changes
    are not counted as loss (:func:`~migration_harness.data.rows.compare`'s ``intended``).
    A rewrite that keeps only part of what the row held is still a loss, whatever the file
    means by it: ``UPDATE tracks SET title = substr(title, 1, 3)`` leaves ``'Sub'`` of
    ``'Submarine'``, and a number's fraction or a text's digits are gone the same way
    (:func:`~migration_harness.checks.intent.destroys`). Clearing a value to NULL and
    merging values are left out: ``SET token = NULL`` and ``SET status = 'done' WHERE
    status IN (…)`` say plainly that the old values go. Deleted rows are left out too: a
    ``DELETE … WHERE`` names the rows it removes.
    """
    return [change for change in own.changes if change.new is not None and destroys(change)]
