"""``migration-harness migrate``: exact output and exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from migration_harness.sets.targets import TARGETS
from tests.cli.runs_db import RUNS_DB

REPO = Path(__file__).resolve().parents[2]
DB = REPO / "db"
IDS = sorted(p.name for p in (DB / "migrations").glob("*.sql"))


def fk(target: str) -> str:
    """How the migrate summary spells the target's foreign-keys default."""
    return "on" if TARGETS[target].foreign_keys else "off"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("target", RUNS_DB)
def test_migrate_applies_twelve_and_prints_each(tmp_path: Path, target: str) -> None:
    db_file = tmp_path / "app.db"
    result = invoke("migrate", DB, "--db", db_file, "--target", target)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        *(f"applied {name}" for name in IDS),
        f"12 migration(s) applied; {db_file} is at version 12 "
        f"(target {target}, foreign keys {fk(target)})",
    ]


@pytest.mark.parametrize("target", RUNS_DB)
def test_migrate_again_applies_nothing(tmp_path: Path, target: str) -> None:
    db_file = tmp_path / "app.db"
    invoke("migrate", DB, "--db", db_file, "--target", target)
    result = invoke("migrate", DB, "--db", db_file, "--target", target)
    assert (result.exit_code, result.stdout) == (
        0,
        f"0 migration(s) applied; {db_file} is at version 12 "
        f"(target {target}, foreign keys {fk(target)})\n",
    )


def test_migrate_defaults_to_d1_for_the_wrangler_project(tmp_path: Path) -> None:
    result = invoke("migrate", DB, "--db", tmp_path / "app.db")
    assert result.stdout.splitlines()[-1].endswith("(target d1, foreign keys on)")


def test_migrate_defaults_to_sqlite_without_wrangler_toml(tmp_path: Path) -> None:
    copy = shutil.copytree(DB, tmp_path / "db")
    result = invoke("migrate", copy, "--db", tmp_path / "app.db")
    assert result.stdout.splitlines()[-1].endswith("(target sqlite, foreign keys on)")


def test_migrate_to_stops_at_that_version(tmp_path: Path) -> None:
    db_file = tmp_path / "app.db"
    result = invoke("migrate", DB, "--db", db_file, "--to", "3")
    assert (result.exit_code, result.stdout.splitlines()) == (
        0,
        [
            *(f"applied {name}" for name in IDS[:3]),
            f"3 migration(s) applied; {db_file} is at version 3 (target d1, foreign keys on)",
        ],
    )


def test_migrate_to_unknown_version_exits_2(tmp_path: Path) -> None:
    result = invoke("migrate", DB, "--db", tmp_path / "app.db", "--to", "99")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {DB / 'migrations'}: no migration has version 99 "
        f"(known: {', '.join(str(v) for v in range(1, 13))})\n"
    )


def test_migrate_refuses_a_changed_migration_with_exit_2(tmp_path: Path) -> None:
    copy = shutil.copytree(DB, tmp_path / "db")
    db_file = tmp_path / "app.db"
    invoke("migrate", copy, "--db", db_file)
    edited = copy / "migrations" / IDS[0]
    edited.write_text(edited.read_text() + "\n-- edited\n")
    result = invoke("migrate", copy, "--db", db_file)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {edited}: changed after it was applied")


def test_migrate_allow_changed_accepts_a_changed_migration(tmp_path: Path) -> None:
    copy = shutil.copytree(DB, tmp_path / "db")
    db_file = tmp_path / "app.db"
    invoke("migrate", copy, "--db", db_file)
    edited = copy / "migrations" / IDS[0]
    edited.write_text(edited.read_text() + "\n-- edited\n")
    result = invoke("migrate", copy, "--db", db_file, "--allow-changed")
    assert (result.exit_code, result.stdout) == (
        0,
        f"0 migration(s) applied; {db_file} is at version 12 (target sqlite, foreign keys on)\n",
    )


def test_migrate_requires_db() -> None:
    result = invoke("migrate", DB)
    assert result.exit_code == 2
    assert "Missing option '--db'" in result.stderr


def test_unknown_target_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("migrate", DB, "--db", tmp_path / "app.db", "--target", "postgres")
    assert result.exit_code == 2
    assert not (tmp_path / "app.db").exists()


def test_python_dash_m_migration_harness_help_lists_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "migration_harness", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith(
        "Usage: python -m migration_harness [OPTIONS] COMMAND [ARGS]..."
    )
    commands = {
        line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()
    }
    assert {"migrate", "status", "rollback", "audit"} <= commands
