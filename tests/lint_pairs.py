"""A two-file migration set linted or checked under one runner: what the second file gets.

Shared by the clean-twin/defect-twin tests of single rules (tests/test_lint_*.py, the
data-loss tests): each writes the schema it starts from and the file under test, and
reads the findings about that file.
"""

from __future__ import annotations

from pathlib import Path

from migration_harness.checks.run import check_set
from migration_harness.lint import lint_set
from migration_harness.report.findings import Finding
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

NAMES = ("0001_start.sql", "0002_change.sql")


def _write(tmp_path: Path, history: str, up: str, names: tuple[str, str]) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir(parents=True)
    (folder / names[0]).write_text(history, encoding="utf-8")
    (folder / names[1]).write_text(up, encoding="utf-8")


def data_kept(tmp_path: Path, history: str, up: str, target: str) -> list[Finding]:
    """``check``'s apply_keeps_data on ``history`` then ``up`` (profile ci, no ship groups)."""
    _write(tmp_path, history, up, NAMES)
    run = check_set(
        discover(tmp_path),
        get_target(target),
        profile="ci",
        checks=["apply_keeps_data"],
        config=SetConfig(ship_groups="off"),
    )
    return list(run.findings)


def second_file(
    tmp_path: Path, history: str, up: str, target: str, names: tuple[str, str] = NAMES
) -> list[Finding]:
    """Lint ``history`` then ``up`` in ``tmp_path/migrations``: the findings naming ``up``."""
    _write(tmp_path, history, up, names)
    findings = lint_set(discover(tmp_path), get_target(target))
    return [f for f in findings if Path(f.file or "").name == names[1]]


def lines_of(findings: list[Finding], code: str) -> list[int | None]:
    """The lines ``code`` names among ``findings``, in order."""
    return [f.line for f in findings if f.code == code]
