"""Hostile inputs of round 19: WAL databases, odd directory entries, deep nesting, signals.

Each test pins one input that ended in an internal error (exit 3), a silent success or a
modified file before its fix; the clean twin next to it shows the fix refuses nothing real.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlglot.errors import ParseError

from migration_harness.cli import cli
from migration_harness.sets import parsing
from tests.test_hostile import plain


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


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


def _dangling(path: Path) -> None:
    path.symlink_to(path.parent / "gone.sql")


def _loop(path: Path) -> None:
    other = path.with_name("0003_c.sql")
    path.symlink_to(other)
    other.symlink_to(path)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (_dangling, "cannot be read (No such file or directory; a symlink to nothing"),
        (_loop, "cannot be read (Too many levels of symbolic links; a symlink loop"),
        (_fifo, "is a FIFO, not a file"),
    ],
    ids=["dangling-symlink", "symlink-loop", "fifo"],
)
def test_an_entry_named_like_a_migration_that_no_runner_can_read_is_one_line(
    tmp_path: Path, make: Callable[[Path], None], problem: str
) -> None:
    folder = plain(tmp_path)
    entry = folder / "migrations" / "0002_b.sql"
    entry.unlink()
    make(entry)
    db = tmp_path / "app.db"
    for command in (("lint", folder), ("migrate", folder, "--db", db)):
        result = invoke(*command)
        assert result.exit_code == 2, result.output
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"error: {entry}: {problem}")
    assert not db.exists()


def test_a_symlink_to_a_migration_file_is_read_through(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    entry = folder / "migrations" / "0002_b.sql"
    real = tmp_path / "shared_b.sql"
    real.write_text(entry.read_text())
    entry.unlink()
    entry.symlink_to(real)
    result = invoke("migrate", folder, "--db", tmp_path / "app.db")
    assert result.exit_code == 0, result.output
    assert "applied 0002_b" in result.output


def committed(root: Path) -> Path:
    folder = plain(root)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "set"]):
        subprocess.run(
            ["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=folder, check=True
        )
    return folder


@pytest.mark.parametrize("command", ["lint", "check"])
def test_a_since_revision_git_would_read_as_an_option_is_refused_and_writes_nothing(
    tmp_path: Path, command: str
) -> None:
    folder = committed(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    result = invoke(command, folder, f"--since=--output={victim}")
    assert victim.read_text() == "keep me\n"
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        f"error: --since --output={victim}: a revision cannot start with '-' "
        "(git would read it as an option)"
    )


@pytest.mark.parametrize("command", ["lint", "check"])
def test_a_since_revision_is_resolved_to_a_commit(tmp_path: Path, command: str) -> None:
    folder = committed(tmp_path)
    unknown = invoke(command, folder, "--since", "HEAD~3")
    assert unknown.exit_code == 2
    assert "git knows no revision 'HEAD~3'" in unknown.stderr
    known = invoke(command, folder, "--since", "HEAD")
    assert known.exit_code == 0, known.output


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["replay", "nope.json"],
            "error: Invalid value for 'REGRESSION': File 'nope.json' does not exist "
            "(see `cli replay --help`)",
        ),
        (["check", "--jobs", "0"], "error: Invalid value for '-j' / '--jobs': 0 is not in"),
        (["check", "--bogus"], "error: No such option '--bogus'"),
        (["bogus"], "error: No such command 'bogus' (see `cli --help`)"),
        (["rollback", "--db", "x.db"], "error: rollback: give exactly one of --to VERSION"),
    ],
    ids=["missing-file", "out-of-range", "unknown-option", "unknown-command", "own-usage"],
)
def test_a_usage_error_is_one_line_with_exit_2(args: list[str], line: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    (shown,) = result.stderr.strip().splitlines()
    assert shown.startswith(line)


def test_help_is_still_the_whole_usage() -> None:
    result = invoke("check", "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: cli check [OPTIONS] [PATH]")


def regression(root: Path, text: str) -> Path:
    """A regression file holding ``text`` in its set's ``regressions/`` folder."""
    folder = plain(root) / "regressions"
    folder.mkdir()
    path = folder / "history-set-0.json"
    path.write_text(text)
    return path


def test_a_regression_file_outside_its_sets_regressions_folder_is_one_line(
    tmp_path: Path,
) -> None:
    inside = regression(tmp_path, '{"format": 1, "history": []}')
    loose = tmp_path / "copied.json"
    loose.write_text(inside.read_text())
    result = invoke("replay", loose)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        f"error: {loose}: a regression file is replayed from its set's regressions/ folder "
        f"(it is in {tmp_path.name}/; move it back there)"
    )
    in_place = invoke("replay", inside)  # read from its set: the file's own damage is next
    assert "'target' must be a str" in in_place.stderr


@pytest.mark.parametrize("value", ["5", '"x"', "[1]"])
@pytest.mark.parametrize("command", ["lint", "check", "migrate"])
def test_a_harness_key_that_is_no_table_is_one_line(
    tmp_path: Path, value: str, command: str
) -> None:
    folder = plain(tmp_path)
    pyproject = folder / "pyproject.toml"
    pyproject.write_text(f'[tool]\n"migration-harness" = {value}\n')
    db = tmp_path / "app.db"
    extra: list[str | Path] = ["--db", db] if command == "migrate" else []
    result = invoke(command, folder, *extra)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        f"error: {pyproject}: tool.migration-harness must be a table "
        "(write it as [tool.migration-harness])"
    )
    assert not db.exists()


def test_a_harness_table_is_read_as_before(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    (folder / "pyproject.toml").write_text('[tool.migration-harness]\nfail_on = "maybe"\n')
    result = invoke("lint", folder)
    assert result.exit_code == 2
    assert "fail_on = 'maybe' is not allowed" in result.stderr


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            '{"format": 2, "entries": []}',
            "baseline format 2 is another version's; this migration-harness reads format 1",
        ),
        ("[1, 2]", "not a migration-harness baseline: it has no format number"),
    ],
    ids=["other-version", "no-format"],
)
def test_a_baseline_of_another_version_says_so(tmp_path: Path, text: str, problem: str) -> None:
    folder = plain(tmp_path)
    baseline = folder / "mine.json"
    baseline.write_text(text)
    result = invoke("check", folder, "--baseline", baseline)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line == f"error: {baseline}: {problem} (re-create it with migration-harness baseline)"


def test_a_regression_file_of_another_version_says_so(tmp_path: Path) -> None:
    path = regression(tmp_path, '{"format": 7, "history": []}')
    result = invoke("replay", path)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {path}: regression file format 7 is another version's; this "
        "migration-harness reads format 1 (run check again to write it anew)"
    )
