"""Issue 17: the proof that a step cannot reach the tracking table's earlier rows.

Where :func:`untouched` holds, a checked step looks up its own key only instead of reading
every key before and after (a row per applied file, on every step of every example). Each
condition it checks is a way SQLite can reach the rows without the runner: each must make
it answer ``False``, and a step that has none of them must take the cut.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from migration_harness.sets import integrity, runner
from migration_harness.sets.discovery import discover
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import TARGETS
from migration_harness.sets.tracking import Tracking
from migration_harness.sets.untouched import has_key, untouched

TRACKING = TARGETS["sqlite"].tracking


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    """A database holding the runner's own tracking table and one applied key."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    runner.ensure_tracking(db, TARGETS["sqlite"])
    db.execute("CREATE TABLE a(x)")
    db.execute("INSERT INTO d1_migrations(name) VALUES ('0001_a.sql')")
    yield db
    db.close()


def proves(conn: sqlite3.Connection, sql: str, tracking: Tracking = TRACKING) -> bool:
    return untouched(conn, tracking, split_statements(sql))


def test_a_step_that_never_reaches_the_table_is_proven(conn: sqlite3.Connection) -> None:
    sql = "CREATE TABLE b(y REFERENCES a(x)); INSERT INTO a VALUES ('d1'); UPDATE a SET x = 2;"
    assert proves(conn, sql)
    conn.execute("CREATE TRIGGER log AFTER INSERT ON a BEGIN UPDATE a SET x = 3; END")
    assert proves(conn, sql)  # a trigger that does not name the table is no way to it


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM d1_migrations;",
        'UPDATE "D1_MIGRATIONS" SET name = 1;',
        "DELETE FROM main.[d1_migrations];",
        "INSERT INTO 'd1_migrations'(name) VALUES ('x');",
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM d1_migrations; END;",
        "ALTER TABLE d1_migrations RENAME TO old;",
        "PRAGMA writable_schema = ON;",
        "PRAGMA main.schema_version = 7;",
        "SELECT 'never closed;",
    ],
)
def test_a_step_that_names_the_table_or_edits_the_schema_by_hand_is_not(
    conn: sqlite3.Connection, sql: str
) -> None:
    assert not proves(conn, sql)


@pytest.mark.parametrize(
    "trigger",
    [
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM d1_migrations; END",
        "CREATE TRIGGER t AFTER INSERT ON d1_migrations BEGIN SELECT 1; END",
        "CREATE TEMP TRIGGER t AFTER INSERT ON main.a BEGIN DELETE FROM d1_migrations; END",
    ],
)
def test_a_trigger_already_there_that_names_the_table_is_a_way_to_it(
    conn: sqlite3.Connection, trigger: str
) -> None:
    conn.execute(trigger)
    assert not proves(conn, "INSERT INTO a VALUES (1);")


@pytest.mark.parametrize(
    "setup",
    [
        # A parent whose deletion cascades into the tracking table's rows.
        "DROP TABLE d1_migrations; CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY, "
        "name TEXT UNIQUE REFERENCES a(x) ON DELETE CASCADE, applied_at TIMESTAMP)",
        # A temporary table of the same name shadows the runner's own.
        "CREATE TEMP TABLE d1_migrations(id, name, applied_at)",
        # A view of that name.
        "DROP TABLE d1_migrations; CREATE VIEW d1_migrations AS SELECT 1 AS name",
    ],
)
def test_a_table_that_is_not_the_runners_own_is_never_proven(
    conn: sqlite3.Connection, setup: str
) -> None:
    conn.executescript(setup)
    assert not proves(conn, "DELETE FROM a;")


def test_a_missing_table_has_no_earlier_rows_to_reach(fresh_db: sqlite3.Connection) -> None:
    assert proves(fresh_db, "CREATE TABLE a(x);")


@pytest.mark.parametrize("name", ["goose", "sqlx", "golang-migrate", "flyway", "drizzle"])
def test_keys_read_as_validated_rows_always_take_the_full_read(
    name: str, fresh_db: sqlite3.Connection
) -> None:
    # Their keys come through rows() (validation, newest row wins): no point query equals it.
    target = TARGETS[name]
    runner.ensure_tracking(fresh_db, target)
    assert not proves(fresh_db, "CREATE TABLE a(x);", target.tracking)


@pytest.mark.parametrize("name", ["sqlite", "dbmate", "diesel", "sqitch"])
@pytest.mark.parametrize(
    "stored", [("0001_a.sql", "7"), (7, None), (b"\x01", "x\x00y"), ("None", "b'\\x01'")]
)
@pytest.mark.parametrize("key", ["0001_a.sql", "7", "None", "b'\\x01'", "x\x00y", "X"])
def test_the_point_query_answers_as_the_full_read(
    name: str, stored: tuple[object, ...], key: str, fresh_db: sqlite3.Connection
) -> None:
    tracking = TARGETS[name].tracking
    runner.ensure_tracking(fresh_db, TARGETS[name])
    column = "name" if tracking.key_style == "name" else "version"
    for value in stored:
        # OR IGNORE: diesel's NOT NULL column keeps no NULL.
        fresh_db.execute(f"INSERT OR IGNORE INTO {tracking.table}({column}) VALUES (?)", (value,))
    assert has_key(fresh_db, tracking, key) == (key in tracking.keys(fresh_db))


def test_a_proven_step_reads_no_key_but_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_db: sqlite3.Connection
) -> None:
    # The cut is taken: the whole-table read is never called for clean steps, up and down.
    folder = tmp_path / "set" / "migrations"
    folder.mkdir(parents=True)
    (folder / "0001_a.up.sql").write_text("CREATE TABLE a(x);\n")
    (folder / "0001_a.down.sql").write_text("DROP TABLE a;\n")
    (folder / "0002_b.up.sql").write_text("INSERT INTO a VALUES (1);\n")
    (folder / "0002_b.down.sql").write_text("DELETE FROM a;\n")
    target = TARGETS["sqlite"]
    runner.prepare(fresh_db, target)
    runner.ensure_tracking(fresh_db, target)

    def refuse(conn: sqlite3.Connection, tracking: Tracking) -> frozenset[str]:
        message = "every key read"
        raise AssertionError(message)

    monkeypatch.setattr(integrity, "tracking_keys", refuse)
    migrations = discover(folder.parent).migrations
    for migration in migrations:
        runner.apply(fresh_db, migration, target)
    runner.rollback(fresh_db, migrations[1], target)
    names = [r[0] for r in fresh_db.execute("SELECT name FROM d1_migrations")]
    assert names == [migrations[0].id]


# refinery keys by its integer version column, yoyo by the migration id beside the hash.
OWN_KEY_COLUMNS = {"refinery": "version", "yoyo": "migration_id"}


@pytest.mark.parametrize("name", ["refinery", "yoyo"])
def test_refinery_and_yoyo_tables_take_the_cut(name: str, fresh_db: sqlite3.Connection) -> None:
    target = TARGETS[name]
    runner.ensure_tracking(fresh_db, target)
    assert proves(fresh_db, "CREATE TABLE a(x); INSERT INTO a VALUES (1);", target.tracking)
    table = target.tracking.table
    assert not proves(fresh_db, f"DELETE FROM {table};", target.tracking)
    fresh_db.execute(f"CREATE TRIGGER t AFTER INSERT ON {table} BEGIN SELECT 1; END")
    assert not proves(fresh_db, "CREATE TABLE a(x);", target.tracking)


@pytest.mark.parametrize("name", ["refinery", "yoyo"])
def test_a_changed_refinery_or_yoyo_table_is_not_their_own(
    name: str, fresh_db: sqlite3.Connection
) -> None:
    # The same name and key column, but a shape the runner never writes (a cascading key).
    table, column = TARGETS[name].tracking.table, OWN_KEY_COLUMNS[name]
    fresh_db.executescript(
        f"CREATE TABLE p(k PRIMARY KEY); CREATE TABLE {table}({column} "
        "REFERENCES p(k) ON DELETE CASCADE, migration_hash, name, applied_on, checksum, "
        "applied_at_utc)"
    )
    assert not proves(fresh_db, "DELETE FROM p;", TARGETS[name].tracking)


@pytest.mark.parametrize("name", ["refinery", "yoyo"])
@pytest.mark.parametrize(
    "stored", [(7, "7"), (1e20, 5.5), ("abc", None), (b"\x01", "07"), (-3, "x\x00y")]
)
@pytest.mark.parametrize(
    "key", ["7", "07", "5.5", "1e+20", "100000000000000000000", "abc", "-3", "None", "x\x00y"]
)
def test_refinery_and_yoyo_point_queries_answer_as_the_full_read(
    name: str, stored: tuple[object, ...], key: str, fresh_db: sqlite3.Connection
) -> None:
    tracking = TARGETS[name].tracking
    runner.ensure_tracking(fresh_db, TARGETS[name])
    column = OWN_KEY_COLUMNS[name]
    other = "migration_hash" if name == "yoyo" else "name"
    for at, value in enumerate(stored):
        # refinery's version is its primary key: OR IGNORE keeps the first of two equal ones.
        sql = f"INSERT OR IGNORE INTO {tracking.table}({column}, {other}) VALUES (?, ?)"
        fresh_db.execute(sql, (value, str(at)))
    assert has_key(fresh_db, tracking, key) == (key in tracking.keys(fresh_db))


@pytest.mark.parametrize(
    ("name", "files"),
    [
        ("refinery", ("V1__a.sql", "V2__b.sql")),
        ("yoyo", ("0001_a.sql", "0002_b.sql")),
    ],
)
def test_refinery_and_yoyo_steps_read_no_key_but_their_own(
    name: str,
    files: tuple[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_db: sqlite3.Connection,
) -> None:
    # The cut is taken (the whole-table read refuses), and what is read is one key column.
    folder = tmp_path / "set" / "migrations"
    folder.mkdir(parents=True)
    (folder / files[0]).write_text("CREATE TABLE a(x);\n")
    (folder / files[1]).write_text("INSERT INTO a VALUES (1);\n")
    target = TARGETS[name]
    runner.prepare(fresh_db, target)
    runner.ensure_tracking(fresh_db, target)

    def refuse(conn: sqlite3.Connection, tracking: Tracking) -> frozenset[str]:
        message = "every key read"
        raise AssertionError(message)

    monkeypatch.setattr(integrity, "tracking_keys", refuse)
    mset = discover(folder.parent, target=name)
    for migration in mset.migrations:
        runner.apply(fresh_db, migration, target)
    monkeypatch.undo()
    read: list[str] = []
    fresh_db.set_trace_callback(read.append)
    assert target.tracking.keys(fresh_db) == {target.tracking.key(m) for m in mset.migrations}
    fresh_db.set_trace_callback(None)
    # One query of the key column joined in SQL: no row of the table reaches Python as a Row.
    assert [s for s in read if "group_concat" in s and OWN_KEY_COLUMNS[name] in s] == read[-1:]
