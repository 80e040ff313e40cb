"""What a step lost, turned into findings and into the reversibility matrix's facts.

Shared by the apply and rollback properties: a measured :class:`~migration_harness.data.rows.Loss`
is split per table (each table is its own defect, issue 13) and counted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from migration_harness.data.rows import Loss, Rows
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
    """Data the migration drops on purpose makes it irreversible (the seeds' DROP COLUMN)."""
    info.apply_loss["rows"] = max(info.apply_loss["rows"], rows)
    info.apply_loss["cells"] = max(info.apply_loss["cells"], cells)
    if rows or cells:
        info.reversibility = "irreversible"


def record_rollback_loss(info: MigrationInfo, rows: int, cells: int) -> None:
    """Rows of tables k created are expected loss; cells of columns k added make it lossy."""
    info.expected_loss["rows"] = max(info.expected_loss["rows"], rows)
    info.expected_loss["cells"] = max(info.expected_loss["cells"], cells)
    if cells and info.reversibility == "reversible":
        info.reversibility = "lossy"
