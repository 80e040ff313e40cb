"""Lint's version rules against the SQLite production's driver runs (``sqlite_version``).

A runner's SQLite is its driver's (modernc.org/sqlite, mattn/go-sqlite3, better-sqlite3 and
libsqlite3-sys each bundle their own), so a function newer than the harness's own SQLite
is an error only where the target's version is known: D1's, or the one the config names.
Otherwise it is the MH334 warning that asks for the setting (taproot-assets' ``unhex``
under modernc read as an error on a machine with SQLite 3.40).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from migration_harness.lint import sqlite as lint_sqlite

UNHEX = "UPDATE blobs SET data = unhex(hex_data) WHERE data IS NULL;\n"


def _set(tmp_path: Path, second: str, config: str = "") -> Path:
    """A golang-migrate set whose second file holds ``second``."""
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "1_blobs.up.sql").write_text(
        "CREATE TABLE blobs (id INTEGER PRIMARY KEY, hex_data TEXT, data BLOB);\n"
    )
    (root / "migrations" / "1_blobs.down.sql").write_text("DROP TABLE blobs;\n")
    (root / "migrations" / "2_decode.up.sql").write_text(second)
    (root / "migrations" / "2_decode.down.sql").write_text("UPDATE blobs SET data = NULL;\n")
    if config:
        (root / "pyproject.toml").write_text(f"[tool.migration-harness]\n{config}\n")
    return root


def _lint(root: Path) -> Result:
    return CliRunner().invoke(cli, ["lint", str(root)])


@pytest.fixture
def old_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    """This machine runs SQLite 3.40.1, before unhex (3.41)."""
    monkeypatch.setattr(lint_sqlite, "local_sqlite", lambda: (3, 40, 1))


@pytest.mark.usefixtures("old_sqlite")
def test_an_unknown_driver_sqlite_makes_a_newer_function_a_warning(tmp_path: Path) -> None:
    result = _lint(_set(tmp_path, UNHEX))
    assert "MH334 warning" in result.output, result.output
    assert "MH315 error" not in result.output
    assert "set sqlite_version" in result.output
    assert result.exit_code == 0


@pytest.mark.usefixtures("old_sqlite")
def test_a_named_older_sqlite_makes_it_an_error(tmp_path: Path) -> None:
    result = _lint(_set(tmp_path, UNHEX, 'sqlite_version = "3.40.0"'))
    assert result.exit_code == 1, result.output
    assert "MH315 error" in result.output
    assert "the target runs 3.40.0" in result.output


@pytest.mark.usefixtures("old_sqlite")
def test_a_named_newer_sqlite_is_quiet(tmp_path: Path) -> None:
    result = _lint(_set(tmp_path, UNHEX, 'sqlite_version = "3.45.1"'))
    assert result.exit_code == 0, result.output
    assert "MH315 error" not in result.output
    assert "MH334 warning" not in result.output


def test_a_function_this_machine_has_is_quiet_without_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lint_sqlite, "local_sqlite", lambda: (3, 45, 0))
    result = _lint(_set(tmp_path, UNHEX))
    assert "MH334 warning" not in result.output
    assert "MH315 error" not in result.output


def test_d1_is_judged_against_its_own_sqlite(tmp_path: Path) -> None:
    """D1 runs 3.47: unistr (3.50) is an error there, whatever this machine runs."""
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    (root / "wrangler.toml").write_text(
        '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "x"\ndatabase_id = "y"\n'
    )
    (root / "migrations" / "0001_t.sql").write_text(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT);\nUPDATE t SET s = unistr('\\u00e9');\n"
    )
    result = _lint(root)
    assert "MH315 error" in result.output, result.output
    assert "the target runs 3.47.0" in result.output


@pytest.mark.parametrize("value", ['"3"', '"three"', '"4.0.0"', "3.45", '"3.45.1.2"'])
def test_a_bad_version_is_a_one_line_error(tmp_path: Path, value: str) -> None:
    result = _lint(_set(tmp_path, UNHEX, f"sqlite_version = {value}"))
    assert result.exit_code == 2, result.output
    assert "sqlite_version" in result.output
    assert "is not a SQLite 3 version" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_d1_refuses_the_setting(tmp_path: Path) -> None:
    root = _set(tmp_path, UNHEX, 'sqlite_version = "3.45.1"')
    result = CliRunner().invoke(cli, ["lint", str(root), "--target", "d1"])
    assert result.exit_code == 2, result.output
    assert "runs its own SQLite" in result.output
