"""Issue 15: hostile inputs end in exit 0, 1 or 2 with one line naming the file.

The parametrized cases are the fast subset of ``bench/reliability/hostile.py`` (two of each
kind, fixed seeds); the fuzzer runs hundreds. The named tests pin the inputs the issue
found ending in a traceback.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bench.reliability.hostile import Case, fast_cases, run_case
from migration_harness.cli import cli
from migration_harness.sets import lock, runner


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("case", fast_cases(), ids=lambda c: c.name)
def test_a_hostile_input_ends_in_0_1_or_2_without_a_traceback(tmp_path: Path, case: Case) -> None:
    outcome = run_case(case, tmp_path)
    assert not outcome.crashed, (outcome.argv, outcome.code, outcome.stderr)
    assert outcome.code in (0, 1, 2)
    assert outcome.one_line, outcome.stderr


def updown(root: Path, version: str) -> Path:
    folder = root / "set"
    (folder / "migrations").mkdir(parents=True)
    (folder / "migrations" / f"{version}_a.up.sql").write_text("CREATE TABLE a(x);\n")
    (folder / "migrations" / f"{version}_a.down.sql").write_text("DROP TABLE a;\n")
    return folder


def plain(root: Path) -> Path:
    folder = root / "set"
    (folder / "migrations").mkdir(parents=True)
    (folder / "migrations" / "0001_a.sql").write_text("CREATE TABLE a(x);\n")
    (folder / "migrations" / "0002_b.sql").write_text("CREATE TABLE b(x);\n")
    return folder


@pytest.mark.parametrize("target", ["golang-migrate", "goose", "sqlx"])
def test_a_version_past_2_63_is_refused_by_name(tmp_path: Path, target: str) -> None:
    folder = updown(tmp_path, "99999999999999999999")
    result = invoke("migrate", folder, "--db", tmp_path / "app.db", "--target", target)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "99999999999999999999_a.up.sql: version 99999999999999999999 does not fit" in line


def test_a_version_just_below_2_63_is_kept_exactly(tmp_path: Path) -> None:
    folder = updown(tmp_path, "9223372036854775807")
    db = tmp_path / "app.db"
    result = invoke("migrate", folder, "--db", db, "--target", "goose")
    assert result.exit_code == 0, result.output
    assert "version 9223372036854775807" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_file_is_one_line(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    (folder / "migrations" / "0002_b.sql").chmod(0)
    result = invoke("lint", folder)
    assert result.exit_code == 2
    assert "0002_b.sql: cannot be read" in result.stderr


def test_a_file_the_os_refuses_to_read_is_one_line_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = plain(tmp_path)
    refused = folder / "migrations" / "0002_b.sql"
    read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == refused.name:
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = invoke("migrate", folder, "--db", tmp_path / "app.db")
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "0002_b.sql: cannot be read (Permission denied; check its permissions)" in line


def test_wrangler_d1_databases_of_the_wrong_type_is_one_line(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    (folder / "wrangler.toml").write_text('name = "x"\nd1_databases = "DB"\n')
    result = invoke("migrate", folder, "--db", tmp_path / "app.db")
    assert result.exit_code == 2
    assert "wrangler.toml: d1_databases must be a list of tables" in result.stderr


def test_a_file_name_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    with open(os.fsencode(folder / "migrations") + b"/0003_\xff.sql", "w") as handle:
        handle.write("CREATE TABLE c(x);\n")
    result = invoke("migrate", folder, "--db", tmp_path / "app.db")
    assert result.exit_code == 2
    assert "0003_\\xff.sql: file name is not valid UTF-8" in result.stderr


def test_a_truncated_database_is_one_line(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    db = tmp_path / "app.db"
    assert invoke("migrate", folder, "--db", db).exit_code == 0
    db.write_bytes(db.read_bytes()[:3000])
    result = invoke("status", folder, "--db", db)
    assert result.exit_code == 2
    assert f"{db}: not an SQLite database" in result.stderr


def test_a_tracking_table_of_the_wrong_shape_is_one_line(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    db = tmp_path / "app.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE d1_migrations(x)")
    conn.close()
    for command in ("status", "migrate"):
        result = invoke(command, folder, "--db", db)
        assert result.exit_code == 2
        assert f"{db}: d1_migrations is not the tracking table wrangler writes" in result.stderr


def test_malformed_replay_json_is_one_line(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    (folder / "regressions").mkdir()
    path = folder / "regressions" / "history-set-0.json"
    path.write_text('{"format": 1, "history": []}')
    result = invoke("replay", path)
    assert result.exit_code == 2
    assert "history-set-0.json: 'target' must be a str" in result.stderr


@pytest.fixture
def short_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "BUSY_TIMEOUT_SECONDS", 0.1)
    monkeypatch.setattr(lock, "LOCK_TIMEOUT_SECONDS", 0.1)


@pytest.fixture
def migrated(tmp_path: Path) -> tuple[Path, Path]:
    folder = plain(tmp_path)
    db = tmp_path / "app.db"
    assert invoke("migrate", folder, "--db", db, "--to", "1").exit_code == 0
    return folder, db


@pytest.mark.usefixtures("short_timeouts")
def test_an_exclusive_lock_is_reported_as_a_lock_not_as_a_damaged_file(
    migrated: tuple[Path, Path],
) -> None:
    folder, db = migrated
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = invoke("status", folder, "--db", db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2
    assert "locked by another process" in result.stderr
    assert "not an SQLite database" not in result.stderr


@pytest.mark.usefixtures("short_timeouts")
def test_a_write_lock_held_past_the_busy_timeout_is_reported_as_a_lock(
    migrated: tuple[Path, Path],
) -> None:
    folder, db = migrated
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = invoke("migrate", folder, "--db", db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "0002_b.sql: database locked by another process" in line
