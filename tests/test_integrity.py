"""Issue 15: every migrate/rollback step checks the database and re-reads its tracking table.

Before, a migration that rewrote ``sqlite_master`` through ``writable_schema`` left a
database no connection could open, and a trigger that wiped ``d1_migrations`` went
unnoticed: ``migrate`` exited 0 both times. Now the step fails (rolled back where the
runner wraps the file) with one line and exit 1.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from migration_harness.sets import runner
from migration_harness.sets.discovery import discover
from migration_harness.sets.integrity import tracking_keys
from migration_harness.sets.targets import TARGETS

CORRUPT = (
    "PRAGMA writable_schema = ON;\n"
    "UPDATE sqlite_master SET sql = 'CREATE TABLE a(x, y' WHERE name = 'a';\n"
    "PRAGMA writable_schema = OFF;\n"
)
WIPE = "CREATE TRIGGER wipe AFTER INSERT ON d1_migrations BEGIN DELETE FROM d1_migrations; END;\n"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def make_set(tmp_path: Path, second: str) -> Path:
    folder = tmp_path / "set"
    (folder / "migrations").mkdir(parents=True)
    (folder / "migrations" / "0001_a.sql").write_text("CREATE TABLE a(x);\n")
    (folder / "migrations" / "0002_b.sql").write_text(second)
    return folder


def quick_check(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        conn.close()


def applied(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM d1_migrations ORDER BY id")]
    finally:
        conn.close()


def test_a_migration_that_corrupts_the_schema_fails_and_is_rolled_back(tmp_path: Path) -> None:
    folder = make_set(tmp_path, CORRUPT)
    db = tmp_path / "app.db"
    result = invoke("migrate", folder, "--db", db, "--target", "sqlite")
    assert result.exit_code == 1
    assert "success" not in result.output
    (line,) = result.stderr.strip().splitlines()
    assert "0002_b.sql: the database fails PRAGMA quick_check after this step" in line
    assert "the step was rolled back" in line
    assert quick_check(db) == "ok"
    assert applied(db) == ["0001_a.sql"]


def test_corruption_by_a_self_managed_file_fails_and_the_next_run_refuses(
    tmp_path: Path,
) -> None:
    folder = make_set(tmp_path, f"BEGIN;\n{CORRUPT}COMMIT;\n")
    db = tmp_path / "app.db"
    result = invoke("migrate", folder, "--db", db, "--target", "sqlite")
    assert result.exit_code == 1
    assert "the file had committed it: restore the database from a backup" in result.stderr
    again = invoke("migrate", folder, "--db", db, "--target", "sqlite")
    assert again.exit_code == 1
    assert "fails PRAGMA quick_check before any step" in again.stderr


@pytest.mark.parametrize("target", ["sqlite", "d1"])
def test_a_trigger_that_wipes_the_tracking_table_fails_the_step(
    tmp_path: Path, target: str
) -> None:
    folder = make_set(tmp_path, WIPE)
    db = tmp_path / "app.db"
    result = invoke("migrate", folder, "--db", db, "--target", target)
    assert result.exit_code == 1
    # The file committed before the failing step is listed as it commits; the step is not.
    assert result.stdout.splitlines() == ["applied 0001_a.sql"]
    assert "the tracking table d1_migrations does not hold what this step wrote" in result.stderr
    assert applied(db) == ["0001_a.sql"]  # the step, trigger included, rolled back


# Issue 17: where a step provably cannot reach the tracking table's earlier rows, the runner
# looks up its own key only (sets/untouched.py). These steps reach them without naming the
# table (a trigger from an earlier file) or by naming it: each must take the full re-read.
EARLIER_WIPE = (
    "CREATE TABLE a(x);\n"
    "CREATE TRIGGER wipe AFTER INSERT ON a BEGIN DELETE FROM d1_migrations; END;\n"
)
EARLIER_ON_TRACKING = (
    "CREATE TABLE a(x);\n"
    "CREATE TRIGGER forget AFTER INSERT ON d1_migrations WHEN new.name <> '0001_a.sql' "
    "BEGIN DELETE FROM d1_migrations WHERE name = '0001_a.sql'; END;\n"
)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(EARLIER_WIPE, "INSERT INTO a VALUES (1);\n", id="fired-by-the-file"),
        pytest.param(EARLIER_ON_TRACKING, "CREATE TABLE b(y);\n", id="fired-by-the-runner"),
    ],
)
@pytest.mark.parametrize("target", ["sqlite", "d1"])
def test_a_trigger_from_an_earlier_file_that_changes_the_tracking_table_fails_the_step(
    tmp_path: Path, target: str, first: str, second: str
) -> None:
    # 0002 never names d1_migrations: the trigger 0001 left behind deletes 0001's row
    # while 0002's own row is written, so only the full comparison can see it.
    folder = make_set(tmp_path, second)
    (folder / "migrations" / "0001_a.sql").write_text(first)
    db = tmp_path / "app.db"
    result = invoke("migrate", folder, "--db", db, "--target", target)
    assert result.exit_code == 1
    assert "0002_b.sql: the tracking table d1_migrations does not hold" in result.stderr
    assert applied(db) == ["0001_a.sql"]  # 0002 rolled back, 0001's row restored with it


@pytest.mark.parametrize(
    "second",
    [
        "DELETE FROM d1_migrations WHERE name = '0001_a.sql';\n",
        "UPDATE \"D1_Migrations\" SET name = 'renamed' WHERE name = '0001_a.sql';\n",
        "DELETE FROM main.[d1_migrations] WHERE name LIKE '0001%';\n",
    ],
)
def test_a_file_that_rewrites_the_tracking_table_itself_fails_the_step(
    tmp_path: Path, second: str
) -> None:
    folder = make_set(tmp_path, second)
    db = tmp_path / "app.db"
    result = invoke("migrate", folder, "--db", db, "--target", "sqlite")
    assert result.exit_code == 1
    assert "0002_b.sql: the tracking table d1_migrations does not hold" in result.stderr
    assert applied(db) == ["0001_a.sql"]


def test_a_trigger_on_another_table_is_no_tampering(tmp_path: Path) -> None:
    folder = make_set(
        tmp_path,
        "CREATE TABLE log(x);\n"
        "CREATE TRIGGER keep AFTER INSERT ON a BEGIN INSERT INTO log VALUES (new.x); END;\n",
    )
    db = tmp_path / "app.db"
    result = invoke("migrate", folder, "--db", db, "--target", "d1")
    assert result.exit_code == 0, result.output
    assert applied(db) == ["0001_a.sql", "0002_b.sql"]


def updown(tmp_path: Path, second_up: str, second_down: str = "SELECT 1;\n") -> Path:
    folder = tmp_path / "set"
    (folder / "migrations").mkdir(parents=True)
    (folder / "migrations" / "0001_a.up.sql").write_text("CREATE TABLE a(x);\n")
    (folder / "migrations" / "0001_a.down.sql").write_text("DROP TABLE a;\n")
    (folder / "migrations" / "0002_b.up.sql").write_text(second_up)
    (folder / "migrations" / "0002_b.down.sql").write_text(second_down)
    return folder


def test_a_trigger_that_undoes_a_rollback_fails_the_rollback(tmp_path: Path) -> None:
    folder = updown(
        tmp_path,
        "CREATE TRIGGER back AFTER DELETE ON d1_migrations "
        "BEGIN INSERT INTO d1_migrations(name) VALUES (old.name); END;\n",
    )
    db = tmp_path / "app.db"
    assert invoke("migrate", folder, "--db", db, "--target", "sqlite").exit_code == 0
    result = invoke("rollback", folder, "--db", db, "--target", "sqlite", "--steps", "1")
    assert result.exit_code == 1
    assert "rolled back" not in result.output
    assert "d1_migrations does not hold what this step wrote" in result.stderr


def test_a_tracking_row_refused_by_a_trigger_is_one_line_not_a_traceback(
    tmp_path: Path,
) -> None:
    # golang-migrate's SetVersion deletes the row then inserts the new version: a trigger
    # re-inserting on delete makes the insert break the table's unique index.
    folder = updown(
        tmp_path,
        "CREATE TRIGGER back AFTER DELETE ON schema_migrations "
        "BEGIN INSERT INTO schema_migrations VALUES (2, 0); END;\n",
    )
    db = tmp_path / "app.db"
    result = invoke("migrate", folder, "--db", db, "--target", "golang-migrate")
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "0002_b.up.sql: the tracking table schema_migrations refused this step's row" in line
    assert "UNIQUE constraint failed" in line


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_tracking_keys_are_the_keys_of_every_row(name: str, tmp_path: Path) -> None:
    # tracking_keys reads the key column alone where it can (issue 17): it must still
    # answer what the rows say, for every runner's table, before and after a file.
    target = TARGETS[name]
    folder = make_set(tmp_path, "CREATE TABLE b(y);\n")
    conn = sqlite3.connect(":memory:", isolation_level=None)
    runner.prepare(conn, target)
    assert tracking_keys(conn, target.tracking) == frozenset()
    runner.ensure_tracking(conn, target)
    for migration in discover(folder).migrations:
        runner.apply(conn, migration, target)
    keys = tracking_keys(conn, target.tracking)
    assert keys  # golang-migrate keeps one row (the newest version), the others two
    assert keys == frozenset(r.key for r in target.tracking.rows(conn))


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_is_applied_from_the_keys_agrees_with_the_rows(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A step's verification hands is_applied the keys it read (issue 17: a Row per
    # applied file made each step cost the length of the history); the answer must be
    # the one the rows give, for every runner, for applied and pending files.
    target = TARGETS[name]
    folder = make_set(tmp_path, "CREATE TABLE b(y);\n")
    conn = sqlite3.connect(":memory:", isolation_level=None)
    runner.prepare(conn, target)
    runner.ensure_tracking(conn, target)
    migrations = discover(folder).migrations
    runner.apply(conn, migrations[0], target)
    keys = tracking_keys(conn, target.tracking)
    answers = [target.tracking.is_applied(conn, m, keys) for m in migrations]
    assert answers == [target.tracking.is_applied(conn, m) for m in migrations]
    assert answers == [True, False]
    if target.tracking.key_style == "name":  # wrangler, d1, sqlite: the name column
        monkeypatch.setattr(type(target.tracking), "rows", None)  # not read again
        assert [target.tracking.is_applied(conn, m, keys) for m in migrations] == answers


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ((7, "0002_b", ""), {"7", "0002_b", ""}),
        ((7, None), {"7", "None"}),  # NULL is no text: read row by row, as str() writes it
        (("a\x00b", "c"), {"a\x00b", "c"}),  # a NUL inside a key: not split on it
        ((b"\x01",), {str(b"\x01")}),
    ],
)
def test_tracking_keys_joined_in_sql_are_the_keys_read_row_by_row(
    stored: tuple[object, ...], expected: set[str]
) -> None:
    # The keys are read as one NUL-joined string (issue 17: a tuple per applied file on
    # every step cost the length of the history); keys that string cannot carry are read
    # one by one, so the answer is str() of each stored value either way.
    target = TARGETS["sqlite"]
    conn = sqlite3.connect(":memory:", isolation_level=None)
    runner.prepare(conn, target)
    runner.ensure_tracking(conn, target)
    conn.execute(f"DELETE FROM {target.tracking.table}")
    column = "name" if target.tracking.key_style == "name" else "version"
    for value in stored:
        conn.execute(f"INSERT INTO {target.tracking.table}({column}) VALUES (?)", (value,))
    assert tracking_keys(conn, target.tracking) == frozenset(expected)
