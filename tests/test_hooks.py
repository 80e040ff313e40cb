"""Pre-migration hooks: the application's own code runs on the rows just before a file.

stash's migrator runs ``48_premigrate.go`` (renames duplicate studio names, fills NULL
ones) before ``48_cleanup.up.sql``; no check can run it. Named in
``[tool.migration-harness.pre_migration_hooks]``, the errors the file shows on generated
rows become warnings that say a hook runs first (MH106/MH144/MH154); what fails on the
empty database stays an error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.report.findings import Finding
from migration_harness.sets.config import ConfigError
from migration_harness.sets.discovery import discover
from migration_harness.sets.hooks import with_hooks
from migration_harness.sets.targets import TARGETS

STUDIOS = "CREATE TABLE studios (id INTEGER PRIMARY KEY, name VARCHAR(255));\n"
UNIQUE_NAMES = "CREATE UNIQUE INDEX index_studios_on_name_unique ON studios(name);\n"
HOOKS = """[tool.migration-harness.pre_migration_hooks]
"0002_cleanup" = "pkg/sqlite/migrations/48_premigrate.go"
"""


def _set(tmp_path: Path, second: str, config: str | None = HOOKS) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_studios.sql").write_text(STUDIOS, encoding="utf-8")
    (folder / "0002_cleanup.sql").write_text(second, encoding="utf-8")
    if config is not None:
        (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    return tmp_path


def _errors_and_warnings(root: Path) -> list[Finding]:
    pyproject = root / "pyproject.toml"
    mset = with_hooks(discover(root), pyproject if pyproject.is_file() else None)
    run = check_set(mset, TARGETS["sqlite"], profile="ci", checks=("apply", "apply_keeps_data"))
    return [f for f in run.findings if f.severity != "note"]


def test_a_failure_on_rows_a_hook_may_repair_is_an_unverified_warning(tmp_path: Path) -> None:
    found = _errors_and_warnings(_set(tmp_path, UNIQUE_NAMES))
    assert [(f.kind, f.code) for f in found] == [("apply_error", "MH106")]
    assert found[0].severity == "warning"
    assert "a hook runs before this file (pkg/sqlite/migrations/48_premigrate.go)" in (
        found[0].message
    )
    assert "unverified" in found[0].message


def test_without_the_hook_the_same_failure_is_an_error(tmp_path: Path) -> None:
    found = _errors_and_warnings(_set(tmp_path, UNIQUE_NAMES, config=None))
    assert [(f.kind, f.code) for f in found] == [("apply_error", "MH101")]


def test_a_clean_file_with_a_hook_stays_quiet(tmp_path: Path) -> None:
    clean = "CREATE INDEX index_studios_on_name ON studios(name);\n"
    assert _errors_and_warnings(_set(tmp_path, clean)) == []


def test_a_failure_on_the_empty_database_stays_an_error(tmp_path: Path) -> None:
    broken = "CREATE INDEX index_studios_on_name ON studios(nme);\n"
    found = _errors_and_warnings(_set(tmp_path, broken))
    assert found
    assert {(f.kind, f.code) for f in found} == {("apply_error", "MH101")}


def test_a_hook_for_no_migration_is_a_one_line_error(tmp_path: Path) -> None:
    root = _set(tmp_path, UNIQUE_NAMES, config=HOOKS.replace("0002_cleanup", "0002_clenup"))
    with pytest.raises(ConfigError, match="did you mean '0002_cleanup'"):
        with_hooks(discover(root), root / "pyproject.toml")
    result = CliRunner().invoke(cli, ["check", str(root / "migrations"), "--profile", "dev"])
    assert result.exit_code == 2
    assert "0002_clenup" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_cli_reads_the_hooks_table(tmp_path: Path) -> None:
    root = _set(tmp_path, UNIQUE_NAMES)
    result = CliRunner().invoke(
        cli, ["check", str(root / "migrations"), "--profile", "ci", "--no-regressions"]
    )
    assert "MH106 warning" in result.output, result.output
    assert "MH101" not in result.output


def test_a_data_dependent_warning_names_the_hook_too(tmp_path: Path) -> None:
    # 48_cleanup: studios.name becomes NOT NULL; the hook sets NULL names to 'NULL' first.
    rebuild = """CREATE TABLE studios_new (id INTEGER PRIMARY KEY, name VARCHAR(255) NOT NULL);
INSERT INTO studios_new SELECT id, name FROM studios;
DROP TABLE studios;
ALTER TABLE studios_new RENAME TO studios;
"""
    found = _errors_and_warnings(_set(tmp_path, rebuild))
    assert [(f.kind, f.code) for f in found] == [("apply_error", "MH104")]
    assert "a hook runs before this file" in found[0].message
