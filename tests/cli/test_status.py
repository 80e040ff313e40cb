"""``migration-harness status``: read-only listing, exact summary line."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from tests.cli.runs_db import RUNS_DB

# Tracking that records no time: golang-migrate's, dbmate's, node-sqlite's tables, user_version.
_NO_TIME = ("golang-migrate", "dbmate", "node-sqlite", "rusqlite_migration", "sqldelight")

DB = Path(__file__).resolve().parents[2] / "db"
IDS = sorted(p.name for p in (DB / "migrations").glob("*.sql"))


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("target", RUNS_DB)
def test_status_after_migrate_lists_twelve_applied(tmp_path: Path, target: str) -> None:
    db_file = tmp_path / "app.db"
    invoke("migrate", DB, "--db", db_file, "--target", target)
    result = invoke("status", DB, "--db", db_file, "--target", target)
    lines = result.stdout.splitlines()
    assert (result.exit_code, lines[-1]) == (0, "12 applied, 0 pending; version 12")
    assert [line.split()[0] for line in lines[:-1]] == IDS
    stamp = "" if target in _NO_TIME else r" \d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
    assert all(re.fullmatch(rf"\S+ +applied{stamp}", line) for line in lines[:-1])


def test_status_after_partial_migrate_lists_pending(tmp_path: Path) -> None:
    db_file = tmp_path / "app.db"
    invoke("migrate", DB, "--db", db_file, "--to", "10")
    lines = invoke("status", DB, "--db", db_file).stdout.splitlines()
    assert lines[-1] == "10 applied, 2 pending; version 10"
    assert [line.split()[-1] for line in lines[10:12]] == ["pending", "pending"]


def test_status_of_an_empty_database_lists_all_pending(tmp_path: Path) -> None:
    db_file = tmp_path / "app.db"
    sqlite3.connect(db_file).close()
    result = invoke("status", DB, "--db", db_file)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "0 applied, 12 pending; version 0"


def test_status_never_modifies_the_database(tmp_path: Path) -> None:
    db_file = tmp_path / "app.db"
    invoke("migrate", DB, "--db", db_file, "--to", "5")
    before = db_file.read_bytes()
    invoke("status", DB, "--db", db_file)
    assert db_file.read_bytes() == before


def test_status_of_a_missing_database_exits_2_without_creating_it(tmp_path: Path) -> None:
    db_file = tmp_path / "missing.db"
    result = invoke("status", DB, "--db", db_file)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {db_file}: database does not exist")
    assert not db_file.exists()


def test_status_flags_a_migration_changed_since_it_was_applied(tmp_path: Path) -> None:
    copy = shutil.copytree(DB, tmp_path / "db")
    db_file = tmp_path / "app.db"
    invoke("migrate", copy, "--db", db_file)
    edited = copy / "migrations" / IDS[1]
    edited.write_text(edited.read_text() + "\n-- edited\n")
    lines = invoke("status", copy, "--db", db_file).stdout.splitlines()
    assert lines[1].endswith(" (file changed since it was applied)")
    assert not lines[0].endswith(" (file changed since it was applied)")


def test_status_lists_applied_rows_from_outside_the_set(tmp_path: Path) -> None:
    db_file = tmp_path / "app.db"
    invoke("migrate", DB, "--db", db_file, "--to", "1")
    conn = sqlite3.connect(db_file)
    with conn:
        conn.execute("INSERT INTO d1_migrations(name) VALUES ('0099_hotfix.sql')")
    conn.close()
    lines = invoke("status", DB, "--db", db_file).stdout.splitlines()
    assert f"{'0099_hotfix.sql':<50} applied, but not in this set" in lines
    assert lines[-1] == "1 applied, 11 pending; version 1"
