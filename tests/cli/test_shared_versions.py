"""A flat folder with two files sharing a number, under runners that key files by version.

wrangler and a script running files in name order run both (the default ``sqlite``
target accepts them); sqlx resolves both and fails on the second's ``_sqlx_migrations``
row, golang-migrate and goose refuse the folder: the check must not run a history they
never run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.cli import cli


def _shared(tmp_path: Path) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_a.sql").write_text("CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    (folder / "0002_b.sql").write_text("CREATE TABLE b (id INTEGER PRIMARY KEY);\n")
    (folder / "0002_c.sql").write_text("CREATE TABLE c (id INTEGER PRIMARY KEY);\n")
    return folder


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("sqlx", "UNIQUE constraint failed: _sqlx_migrations.version"),
        ("golang-migrate", "duplicate migration file"),
        ("goose", "found duplicate migration version"),
    ],
)
def test_a_runner_keyed_by_version_refuses_shared_numbers(
    tmp_path: Path, target: str, says: str
) -> None:
    folder = _shared(tmp_path)
    result = CliRunner().invoke(cli, ["check", str(folder), "--target", target])
    assert result.exit_code == 2, result.output
    assert "0002_c.sql: version 0002 also used by 0002_b.sql" in result.output
    assert says in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_plain_runner_still_runs_both(tmp_path: Path) -> None:
    folder = _shared(tmp_path)
    result = CliRunner().invoke(
        cli, ["check", str(folder), "--checks", "apply", "--profile", "dev"]
    )
    assert result.exit_code == 0, result.output
