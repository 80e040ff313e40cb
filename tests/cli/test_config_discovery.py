"""Which pyproject.toml configures a set: the nearest one above its migrations folder.

``check .`` in a project whose set is ``db/migrations`` with its own ``db/pyproject.toml``
used to read the project root's file (or none, walking up from ``.``), so the set ran
with settings that were not its own: ``applied = "tracked"`` in ``db/`` was ignored and a
re-run failure stayed an error. The rule now holds whatever path names the set.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli

CREATE = "CREATE TABLE a (id INTEGER PRIMARY KEY);\n"  # fails when run twice


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def project(root: Path, *, root_config: str, set_config: str | None) -> Path:
    """A project root with ``db/migrations`` (plain sqlite: untracked by default)."""
    (root / "db" / "migrations").mkdir(parents=True)
    (root / "db" / "migrations" / "0001_a.sql").write_text(CREATE)
    (root / "pyproject.toml").write_text(root_config)
    if set_config is not None:
        (root / "db" / "pyproject.toml").write_text(set_config)
    return root


TRACKED = '[tool.migration-harness]\napplied = "tracked"\n'


@pytest.mark.parametrize("named", [".", "db", "db/migrations"])
def test_the_sets_own_config_is_read_whatever_path_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str
) -> None:
    root = project(tmp_path / "app", root_config='[project]\nname = "app"\n', set_config=TRACKED)
    monkeypatch.chdir(root)
    result = invoke("check", named, "--checks", "idempotent", "--profile", "dev", "--no-cache")
    assert result.exit_code == 0, result.output
    assert "MH112 note: not_idempotent in 0001_a" in result.output


def test_the_sets_own_config_beats_a_table_at_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root_config = '[tool.migration-harness]\napplied = "untracked"\n'
    root = project(tmp_path / "app", root_config=root_config, set_config=TRACKED)
    monkeypatch.chdir(root)
    result = invoke("check", ".", "--checks", "idempotent", "--profile", "dev", "--no-cache")
    assert result.exit_code == 0, result.output
    assert (
        f"note: db/migrations is configured by {root / 'db' / 'pyproject.toml'}; "
        f"the settings of {root / 'pyproject.toml'} are not read for it"
    ) in result.stderr


@pytest.mark.parametrize("named", [".", "db"])
def test_without_its_own_file_the_set_reads_the_projects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str
) -> None:
    """The twin: the root's table still configures a set that has none of its own."""
    root = project(tmp_path / "app", root_config=TRACKED, set_config=None)
    monkeypatch.chdir(root)
    result = invoke("check", named, "--checks", "idempotent", "--profile", "dev", "--no-cache")
    assert result.exit_code == 0, result.output
    assert "note: db/migrations is configured" not in result.stderr


def test_an_untracked_set_config_still_fails_from_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The defective twin: the set's own file says untracked, the root's says tracked."""
    set_config = '[tool.migration-harness]\napplied = "untracked"\n'
    root = project(tmp_path / "app", root_config=TRACKED, set_config=set_config)
    monkeypatch.chdir(root)
    result = invoke("check", ".", "--checks", "idempotent", "--profile", "dev", "--no-cache")
    assert result.exit_code == 1, result.output
    assert "MH111 error: not_idempotent in 0001_a" in result.output


def test_lint_reads_the_sets_own_suppressions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_config = '[tool.migration-harness]\nignore = { codes = ["MH201"], reason = "ours" }\n'
    root = project(tmp_path / "app", root_config='[project]\nname = "app"\n', set_config=set_config)
    (root / "db" / "migrations" / "0002_drop.sql").write_text("DROP TABLE a;\n")
    monkeypatch.chdir(root)
    result = invoke("lint", ".")
    assert result.exit_code == 0, result.output
    assert "MH201 warning: every row of a is deleted" in result.stdout
    assert "(suppressed: ours)" in result.stdout
    # The set is plain SQLite files, applied untracked: 0001's bare CREATE TABLE is MH412.
    assert "1 lint finding (1 warning) in 2 files; 1 suppressed" in result.stdout
