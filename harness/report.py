"""Rendering a check run: the terminal summary, the JSON contract, the markdown reports.

The library produces records (:mod:`harness.findings`); this module only turns them into
text, so the CLI, the pytest plugin and CI artefacts show the same facts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from rich.console import Console
from rich.table import Table as RichTable

from harness.findings import CheckRun, Finding

COLUMNS: Final = {
    "apply": ("apply_error",),
    "idempotent": ("not_idempotent",),
    "round trip": ("missing_rollback", "rollback_error", "rollback_schema_drift",
                   "reapply_error", "reapply_schema_drift"),
    "data kept": ("data_loss",),
    "FK": ("fk_violation", "integrity_error", "missing_fk_index"),
}


def write_json(run: CheckRun, path: Path) -> None:
    """Write the ``--json`` contract to ``path``."""
    path.write_text(json.dumps(run.to_json(), indent=2, default=str) + "\n", encoding="utf-8")


def render(run: CheckRun, console: Console) -> None:
    """The per-migration table, then each finding with its example, then a summary."""
    table = RichTable(title=f"{run.set_path} ({run.layout} layout, target {run.target})")
    table.add_column("migration")
    for column in COLUMNS:
        table.add_column(column, justify="center")
    table.add_column("reversibility")
    by_migration: dict[str | None, list[Finding]] = {}
    for finding in run.findings:
        by_migration.setdefault(finding.migration, []).append(finding)
    for info in run.migrations:
        found = {f.kind for f in by_migration.get(info.name, [])}
        cells = []
        for column, kinds in COLUMNS.items():
            cell = "FAIL" if found & set(kinds) else _ok(run, info.results, column)
            if column == "idempotent" and not info.rerunnable and cell == "ok":
                cell = "ok (ALTER)"
            cells.append(cell)
        table.add_row(info.name, *cells, info.reversibility)
    console.print(table)
    if run.forward_only:
        console.print("note: forward-only set (no rollbacks): checked forward only")
    for finding in run.findings:
        console.print()
        console.print(finding.render(), markup=False, highlight=False)
    stats = run.stats
    console.print()
    console.print(
        f"{len(run.findings)} finding(s); {stats.examples} examples, "
        f"{stats.rows_inserted} rows inserted (yield {stats.yield_rate:.1%}, "
        f"{stats.rows_rejected} candidates rejected) in {stats.seconds:.2f}s "
        f"[profile {run.profile}{'' if run.seed is None else f', seed {run.seed}'}]",
        markup=False, highlight=False,
    )


def _ok(run: CheckRun, results: dict[str, str], column: str) -> str:
    """``ok`` for a check that ran, ``-`` for one that did not apply."""
    ran = {
        "apply": ("apply",), "idempotent": ("idempotent",),
        "round trip": ("rollback",), "data kept": ("apply_keeps_data", "rollback_keeps_data"),
        "FK": ("apply_keeps_data", "rollback_keeps_data", "rollback"),
    }[column]
    if column == "round trip" and run.forward_only:
        return "-"
    return "ok" if any(results.get(name) == "ok" for name in ran) else "-"
