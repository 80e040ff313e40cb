"""Bad input: exit 2, one line on stderr naming the file, and nothing written."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli

DB = Path(__file__).resolve().parents[2] / "db"
CREATE_A = "CREATE TABLE a(x);\n"

# Each writer makes a bad set under the folder it is given and returns (root, offending file).
BadSet = Callable[[Path], tuple[Path, Path]]


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data)
    return path


def duplicate_versions(root: Path) -> tuple[Path, Path]:
    # rollbacks/ pairs files by number: a shared number is ambiguous there
    write(root / "migrations" / "0001_a.sql", CREATE_A)
    write(root / "rollbacks" / "0001_rollback.sql", "DROP TABLE a;\n")
    return root, write(root / "migrations" / "0001_b.sql", CREATE_A)


def orphan_rollback(root: Path) -> tuple[Path, Path]:
    write(root / "migrations" / "0001_a.sql", CREATE_A)
    return root, write(root / "rollbacks" / "0002_rollback.sql", "DROP TABLE b;\n")


def empty_file(root: Path) -> tuple[Path, Path]:
    write(root / "migrations" / "0001_a.sql", CREATE_A)
    return root, write(root / "migrations" / "0002_b.sql", "")


def non_utf8_file(root: Path) -> tuple[Path, Path]:
    return root, write(root / "migrations" / "0001_a.sql", b"INSERT INTO a VALUES ('\xe9');\n")


def unknown_layout(root: Path) -> tuple[Path, Path]:
    write(root / "notes.txt", "no SQL here\n")
    return root, root


def unversioned_name(root: Path) -> tuple[Path, Path]:
    return root, write(root / "create_users.sql", CREATE_A)


def missing_path(root: Path) -> tuple[Path, Path]:
    return root / "nowhere", root / "nowhere"


BAD_SETS: dict[str, BadSet] = {
    "duplicate-versions": duplicate_versions,
    "orphan-rollback": orphan_rollback,
    "empty-file": empty_file,
    "non-utf8-file": non_utf8_file,
    "unknown-layout": unknown_layout,
    "unversioned-name": unversioned_name,
    "missing-path": missing_path,
}


def assert_one_line_error(result: Result, names: Path) -> None:
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {names}: ")
    assert result.stderr.endswith("\n")
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


@pytest.mark.parametrize("make", BAD_SETS.values(), ids=BAD_SETS.keys())
def test_bad_set_on_migrate_exits_2_and_creates_no_database(tmp_path: Path, make: BadSet) -> None:
    root, offender = make(tmp_path / "set")
    db_file = tmp_path / "app.db"
    result = invoke("migrate", root, "--db", db_file)
    assert_one_line_error(result, offender)
    assert not db_file.exists()


@pytest.mark.parametrize("command", [["status"], ["rollback", "--to", "0"]])
def test_bad_set_on_commands_reading_a_database_leaves_it_unchanged(
    tmp_path: Path, command: list[str]
) -> None:
    db_file = tmp_path / "app.db"
    invoke("migrate", DB, "--db", db_file)
    before = db_file.read_bytes()
    root, offender = duplicate_versions(tmp_path / "set")
    result = invoke(*command, root, "--db", db_file)
    assert_one_line_error(result, offender)
    assert db_file.read_bytes() == before


def test_bad_set_on_audit_exits_2(tmp_path: Path) -> None:
    root, offender = orphan_rollback(tmp_path / "set")
    assert_one_line_error(invoke("audit", root), offender)


NOT_SQLITE = b"name,email\nada,ada@example.com\n" * 200


@pytest.mark.parametrize(
    "command",
    [["migrate"], ["status"], ["rollback", "--steps", "1"]],
    ids=["migrate", "status", "rollback"],
)
def test_database_that_is_not_sqlite_exits_2_and_keeps_its_bytes(
    tmp_path: Path, command: list[str]
) -> None:
    db_file = write(tmp_path / "people.csv", NOT_SQLITE)
    result = invoke(*command, DB, "--db", db_file)
    assert_one_line_error(result, db_file)
    assert "not an SQLite database" in result.stderr
    assert db_file.read_bytes() == NOT_SQLITE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.csv"]


def test_database_in_a_missing_folder_exits_2(tmp_path: Path) -> None:
    db_file = tmp_path / "no_such_folder" / "app.db"
    result = invoke("migrate", DB, "--db", db_file)
    assert_one_line_error(result, db_file)
    assert not db_file.parent.exists()


def malformed_set(root: Path) -> Path:
    write(root / "migrations" / "0001_a.sql", "CREATE TABLE a(x);\nCREATE TABLOID b(x);\n")
    return root


def test_unterminated_string_fails_migrate_as_sqlite_does(tmp_path: Path) -> None:
    # No longer refused before the run: SQLite's own failure names the file and line.
    root = tmp_path / "set"
    path = write(
        root / "migrations" / "0001_a.sql", "CREATE TABLE a(x);\nINSERT INTO a VALUES ('x);\n"
    )
    result = invoke("migrate", root, "--db", tmp_path / "app.db")
    assert_one_line_error(result, Path(f"{path}:2"))
    assert "unrecognized token" in result.stderr


def test_malformed_sql_fails_migrate_with_exit_2_naming_file_and_line(tmp_path: Path) -> None:
    root = malformed_set(tmp_path / "set")
    result = invoke("migrate", root, "--db", tmp_path / "app.db")
    assert_one_line_error(result, Path(f"{root / 'migrations' / '0001_a.sql'}:2"))
    assert 'near "TABLOID": syntax error' in result.stderr
    assert result.stderr.rstrip().endswith("in statement: CREATE TABLOID b(x);")


def test_malformed_sql_leaves_the_database_at_version_0(tmp_path: Path) -> None:
    root = malformed_set(tmp_path / "set")
    db_file = tmp_path / "app.db"
    invoke("migrate", root, "--db", db_file)
    conn = sqlite3.connect(db_file)
    try:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        rows = conn.execute("SELECT count(*) FROM d1_migrations").fetchone()
    finally:
        conn.close()
    assert "a" not in tables
    assert rows == (0,)


def test_missing_db_option_is_a_usage_error() -> None:
    result = invoke("status", DB)
    assert result.exit_code == 2
    assert "Missing option '--db'" in result.stderr
