"""Hostile inputs of round 19: WAL databases, odd directory entries, deep nesting, signals.

Each test pins one input that ended in an internal error (exit 3), a silent success or a
modified file before its fix; the clean twin next to it shows the fix refuses nothing real.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlglot.errors import ParseError

from migration_harness.cli import cli
from migration_harness.sets import parsing


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def plain(root: Path) -> Path:
    folder = root / "set"
    (folder / "migrations").mkdir(parents=True)
    (folder / "migrations" / "0001_a.sql").write_text("CREATE TABLE a(x);\n")
    (folder / "migrations" / "0002_b.sql").write_text("CREATE TABLE b(x);\n")
    return folder


def digests(*paths: Path) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "" for p in paths]


def test_check_data_reads_a_wal_database_with_its_log_and_leaves_both_alone(
    tmp_path: Path,
) -> None:
    folder = plain(tmp_path)
    db = tmp_path / "app.db"
    assert invoke("migrate", folder, "--db", db, "--to", "1").exit_code == 0
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO a VALUES (1)")  # only in the log while writer stays open
    wal = Path(f"{db}-wal")
    try:
        before = digests(db, wal)
        result = invoke("check", folder, "--data", db)
        assert digests(db, wal) == before
    finally:
        writer.close()
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.stderr
    assert f"{db} is at 0001_a" in result.stderr


def test_check_data_reads_a_rollback_journal_database_as_before(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    db = tmp_path / "app.db"
    assert invoke("migrate", folder, "--db", db, "--to", "1").exit_code == 0
    result = invoke("check", folder, "--data", db)
    assert result.exit_code in (0, 1), result.output
    assert f"{db} is at 0001_a" in result.stderr


def nested_set(root: Path, depth: int) -> Path:
    folder = root / "set"
    (folder / "migrations").mkdir(parents=True)
    (folder / "migrations" / "0001_a.sql").write_text("CREATE TABLE a(x);\n")
    inner = "(" * depth + "x > 0" + ")" * depth
    (folder / "migrations" / "0002_b.sql").write_text(f"CREATE TABLE b(x CHECK {inner});\n")
    return folder


def test_nesting_sqlite_runs_but_sqlglot_cannot_read_is_checked(tmp_path: Path) -> None:
    folder = nested_set(tmp_path, 60)  # SQLite's parser takes ~100 levels, sqlglot ~50
    sqlite3.connect(":memory:").execute((folder / "migrations" / "0002_b.sql").read_text())
    result = invoke("check", folder, "--target", "d1")
    assert "internal error" not in result.stderr
    assert result.exit_code in (0, 1), result.stderr
    assert "MH101" not in result.output


def test_nesting_sqlite_refuses_is_an_apply_error_not_an_internal_error(tmp_path: Path) -> None:
    folder = nested_set(tmp_path, 400)
    result = invoke("check", folder, "--target", "d1")
    assert result.exit_code == 1, result.stderr
    assert "apply_error in 0002_b" in result.output
    assert "parser stack overflow" in result.output


def test_a_statement_nested_past_sqlglot_is_its_parse_error() -> None:
    deep = "SELECT " + "(" * 80 + "1" + ")" * 80
    with pytest.raises(ParseError, match="nested too deeply"):
        parsing.parse_one(deep)
    assert parsing.parse_one("SELECT ((1))") is not None
