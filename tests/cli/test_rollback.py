"""``migration-harness rollback``: --to or --steps, newest first, exact output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from tests.cli.runs_db import RUNS_DB

DB = Path(__file__).resolve().parents[2] / "db"
IDS = sorted(p.name for p in (DB / "migrations").glob("*.sql"))


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def migrated(tmp_path: Path, target: str = "d1") -> Path:
    db_file = tmp_path / "app.db"
    assert invoke("migrate", DB, "--db", db_file, "--target", target).exit_code == 0
    return db_file


@pytest.mark.parametrize("target", RUNS_DB)
def test_rollback_steps_undoes_newest_first(tmp_path: Path, target: str) -> None:
    db_file = migrated(tmp_path, target)
    result = invoke("rollback", DB, "--db", db_file, "--steps", "2", "--target", target)
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [
            f"rolled back {IDS[11]}",
            f"rolled back {IDS[10]}",
            f"2 migration(s) rolled back; {db_file} is at version 10",
        ],
    )


@pytest.mark.parametrize("target", RUNS_DB)
def test_rollback_to_zero_undoes_all_twelve(tmp_path: Path, target: str) -> None:
    db_file = migrated(tmp_path, target)
    result = invoke("rollback", DB, "--db", db_file, "--to", "0", "--target", target)
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [
            *(f"rolled back {name}" for name in reversed(IDS)),
            f"12 migration(s) rolled back; {db_file} is at version 0",
        ],
    )


@pytest.mark.parametrize("target", RUNS_DB)
def test_status_after_full_rollback_shows_version_0(tmp_path: Path, target: str) -> None:
    db_file = migrated(tmp_path, target)
    invoke("rollback", DB, "--db", db_file, "--to", "0", "--target", target)
    status = invoke("status", DB, "--db", db_file)
    assert status.stdout.splitlines()[-1] == "0 applied, 12 pending; version 0"


@pytest.mark.parametrize("options", [[], ["--to", "0", "--steps", "1"]], ids=["neither", "both"])
def test_rollback_needs_exactly_one_of_to_and_steps(tmp_path: Path, options: list[str]) -> None:
    db_file = migrated(tmp_path)
    before = db_file.read_bytes()
    result = invoke("rollback", DB, "--db", db_file, *options)
    assert result.exit_code == 2
    assert "rollback: give exactly one of --to VERSION or --steps N" in result.stderr
    assert db_file.read_bytes() == before


def test_rollback_steps_must_be_positive(tmp_path: Path) -> None:
    result = invoke("rollback", DB, "--db", migrated(tmp_path), "--steps", "0")
    assert result.exit_code == 2
    assert "--steps" in result.stderr


def test_rollback_with_a_missing_rollback_file_changes_nothing(tmp_path: Path) -> None:
    copy = shutil.copytree(DB, tmp_path / "db")
    (copy / "rollbacks" / "0011_rollback.sql").unlink()
    db_file = tmp_path / "app.db"
    invoke("migrate", copy, "--db", db_file)
    result = invoke("rollback", copy, "--db", db_file, "--to", "0")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {copy / 'migrations' / IDS[10]}: no rollback for {IDS[10]}; "
        "cannot roll back past it\n"
    )
    status = invoke("status", copy, "--db", db_file)
    assert status.stdout.splitlines()[-1] == "12 applied, 0 pending; version 12"


def test_rollback_of_a_missing_database_exits_2_without_creating_it(tmp_path: Path) -> None:
    db_file = tmp_path / "missing.db"
    result = invoke("rollback", DB, "--db", db_file, "--steps", "1")
    assert result.exit_code == 2
    assert not db_file.exists()
