"""A history step that sets an AUTOINCREMENT counter back and keeps every row is MH147.

Prisma's RedefineTables (and drizzle-kit's rebuild) copy an AUTOINCREMENT table into a new
one, so the counter restarts at the highest id copied: ids of rows deleted before the
rebuild come back. Only the history fuzzer sees it (delete the newest row, then rebuild),
and lint names the same rebuild MH219 as a warning; the history reported it as MH141, an
error, on `prisma_clean` under seeds 1-3 while every row was kept. A step that also loses
rows stays MH141 (the counter named beside the rows).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from migration_harness.checks.run import check_set
from migration_harness.report.catalogue import RULES
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"


def test_a_counter_set_back_with_every_row_kept_is_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "prisma_clean"
    shutil.copytree(EXAMPLES / "prisma_clean", root)
    run = check_set(discover(root), TARGETS["prisma"], profile="ci", checks=["stateful"], seed=1)
    losses = [f for f in run.findings if f.kind == "data_loss"]
    assert [f.code for f in losses] == ["MH147"]
    assert "AUTOINCREMENT counter drops" in losses[0].details[0]
    assert losses[0].severity == "warning"
    assert run.exit_code == 0


def test_the_counter_rule_is_a_data_loss_warning() -> None:
    rule = RULES["MH147"]
    assert (rule.kind, rule.severity) == ("data_loss", "warning")
