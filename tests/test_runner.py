"""sets.runner: atomic apply/rollback under each target's rules, on database files."""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from migration_harness.errors import (
    ChecksumMismatchError,
    DatabaseError,
    HarnessError,
    MigrationError,
)
from migration_harness.schema.model import Schema, introspect
from migration_harness.sets import runner
from migration_harness.sets.d1rules import D1_TRANSACTION_MESSAGE
from migration_harness.sets.discovery import MigrationSet, discover
from migration_harness.sets.targets import TARGETS, Target

REPO = Path(__file__).resolve().parent.parent
DB = REPO / "db"
MigrationSetFactory = Callable[..., Path]  # the migration_set fixture

SQLITE = TARGETS["sqlite"]
D1 = TARGETS["d1"]


# Prisma runs a file without any transaction and drizzle runs a whole `migrate` in one (and
# needs `--> statement-breakpoint` between statements): tests/test_layouts.py covers both.
FILE_ATOMIC = sorted(n for n, t in TARGETS.items() if t.wrap not in ("none", "run"))


@pytest.fixture(params=FILE_ATOMIC)
def target(request: pytest.FixtureRequest) -> Target:
    """Each target in turn."""
    return TARGETS[request.param]


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a new database file, opened as the CLI opens it."""
    connection = runner.connect(tmp_path / "app.db", create=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def umbrella() -> MigrationSet:
    return discover(DB)


def version(conn: sqlite3.Connection, mset: MigrationSet) -> int:
    return runner.status(conn, mset).version


def tracked(conn: sqlite3.Connection) -> list[str]:
    return [row.name for row in runner.applied_rows(conn)]


def user_schema(conn: sqlite3.Connection) -> Schema:
    return introspect(conn, exclude=runner.BOOKKEEPING_TABLES)


def count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def failure(conn: sqlite3.Connection, mset: MigrationSet, target: Target) -> MigrationError:
    with pytest.raises(MigrationError) as excinfo:
        runner.migrate(conn, mset, target)
    return excinfo.value


# --- the Umbrella set ----------------------------------------------------------------------


def test_migrate_applies_all_twelve(
    conn: sqlite3.Connection, umbrella: MigrationSet, target: Target
) -> None:
    done = runner.migrate(conn, umbrella, target)
    assert [m.version for m in done] == list(range(1, 13))


def test_migrate_again_applies_nothing(
    conn: sqlite3.Connection, umbrella: MigrationSet, target: Target
) -> None:
    runner.migrate(conn, umbrella, target)
    assert runner.migrate(conn, umbrella, target) == []


def test_status_lists_twelve_applied_and_none_pending(
    conn: sqlite3.Connection, umbrella: MigrationSet, target: Target
) -> None:
    runner.migrate(conn, umbrella, target)
    current = runner.status(conn, umbrella)
    assert (len(current.applied), current.pending, current.version) == (12, (), 12)
    assert tracked(conn) == [m.id for m in umbrella.migrations]


def test_migrate_to_stops_at_that_version(
    conn: sqlite3.Connection, umbrella: MigrationSet, target: Target
) -> None:
    runner.migrate(conn, umbrella, target, to=4)
    assert (version(conn, umbrella), len(runner.status(conn, umbrella).pending)) == (4, 8)


def test_rollback_to_zero_leaves_only_bookkeeping_tables(
    conn: sqlite3.Connection, umbrella: MigrationSet, target: Target
) -> None:
    runner.migrate(conn, umbrella, target)
    undone = runner.rollback_to(conn, umbrella, target, to=0)
    objects = {
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master")
        if not name.startswith("sqlite_autoindex_")
    }
    # The runner's own table (and what it creates with it) plus the harness's checksums.
    own = {
        "d1_migrations": {"d1_migrations", "sqlite_sequence"},
        "goose_db_version": {"goose_db_version", "sqlite_sequence"},
        "bun_migrations": {"bun_migrations", "sqlite_sequence"},
        "micrate_db_version": {"micrate_db_version", "sqlite_sequence"},
    }.get(target.tracking.table, {target.tracking.table})
    if target.name == "golang-migrate":
        own = own | {"version_unique"}
    if target.name == "flyway":
        own = own | {"flyway_schema_history_s_idx"}
    if target.name == "yoyo":
        own = own | {"_yoyo_log", "_yoyo_version"}
    assert [m.version for m in undone] == list(range(12, 0, -1))
    assert objects == own | {"migration_harness_checksums"}
    assert tracked(conn) == []
    assert runner.status(conn, umbrella, target).applied == ()


def test_migrate_after_full_rollback_applies_all_again(
    conn: sqlite3.Connection, umbrella: MigrationSet, target: Target
) -> None:
    runner.migrate(conn, umbrella, target)
    first = user_schema(conn)
    runner.rollback_to(conn, umbrella, target, to=0)
    assert len(runner.migrate(conn, umbrella, target)) == 12
    assert user_schema(conn) == first


def test_rollback_steps_undoes_newest_first(
    conn: sqlite3.Connection, umbrella: MigrationSet, target: Target
) -> None:
    runner.migrate(conn, umbrella, target)
    undone = runner.rollback_to(conn, umbrella, target, steps=3)
    assert ([m.version for m in undone], version(conn, umbrella)) == ([12, 11, 10], 9)


def test_status_reads_a_database_without_tracking_table(
    conn: sqlite3.Connection, umbrella: MigrationSet
) -> None:
    current = runner.status(conn, umbrella)
    assert (current.version, len(current.pending)) == (0, 12)


# --- atomicity -----------------------------------------------------------------------------

FIRST = "CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT);\n"
FAILS_MIDWAY = (
    "INSERT INTO p(name) VALUES ('kept only if the file commits');\n"
    "CREATE TABLE half(x);\n"
    "INSERT INTO no_such_table VALUES (1);\n"
    "CREATE TABLE never(x);\n"
)


def test_failing_statement_midway_keeps_previous_version(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory, target: Target
) -> None:
    mset = discover(migration_set({1: (FIRST, None), 2: (FAILS_MIDWAY, None)}))
    runner.migrate(conn, mset, target, to=1)
    before = user_schema(conn)
    failure(conn, mset, target)
    assert tracked(conn) == ["0001_m0001.sql"]
    assert user_schema(conn) == before
    assert count(conn, "p") == 0


def test_failing_statement_error_names_file_line_and_statement(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory, target: Target
) -> None:
    root = migration_set({1: (FIRST, None), 2: (FAILS_MIDWAY, None)})
    error = failure(conn, discover(root), target)
    assert error.path == f"{root / 'migrations' / '0002_m0002.sql'}:3"
    assert error.statement == "INSERT INTO no_such_table VALUES (1);"
    assert error.reason == "no such table: no_such_table: SQLITE_ERROR"


def test_failure_in_a_later_migration_keeps_earlier_ones_applied(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory, target: Target
) -> None:
    mset = discover(migration_set({1: (FIRST, None), 2: (FAILS_MIDWAY, None)}))
    failure(conn, mset, target)
    assert (version(conn, mset), count(conn, "p")) == (1, 0)


SLOW_SECOND_STATEMENT = (
    "INSERT INTO big VALUES (-1);\n"
    "INSERT INTO big SELECT count(*) FROM (\n"
    "  WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 2000000000)\n"
    "  SELECT i FROM r\n"
    ");\n"
)


def _wait_for_second_migration(db_file: Path, deadline: float) -> None:
    """Poll until migration 1 is recorded and migration 2 holds an open journal."""
    journal = Path(f"{db_file}-journal")
    while time.monotonic() < deadline:
        if db_file.exists() and journal.exists():
            probe = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=0.05)
            try:
                rows = probe.execute("SELECT name FROM migration_harness_checksums").fetchall()
            except sqlite3.OperationalError:
                rows = []
            finally:
                probe.close()
            if rows == [("0001_m0001.sql",)]:
                return
        time.sleep(0.02)
    pytest.fail("the migrate subprocess never reached its second migration")


@pytest.mark.parametrize("target_name", FILE_ATOMIC)
def test_process_killed_during_a_migration_leaves_previous_version(
    tmp_path: Path, migration_set: MigrationSetFactory, target_name: str
) -> None:
    root = migration_set({1: ("CREATE TABLE big(x);\n", None), 2: (SLOW_SECOND_STATEMENT, None)})
    db_file = tmp_path / "killed.db"
    command = [
        sys.executable,
        "-m",
        "migration_harness",
        "migrate",
        str(root),
        "--db",
        str(db_file),
        "--target",
        target_name,
    ]
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for_second_migration(db_file, time.monotonic() + 15)
        time.sleep(0.5)  # well inside the slow statement
        assert process.poll() is None, "the slow migration finished before it was killed"
        process.kill()
    finally:
        process.kill()
        process.wait(timeout=10)
    assert process.returncode == -9
    assert Path(f"{db_file}-journal").exists()  # died with the transaction open
    conn = runner.connect(db_file)
    try:
        assert version(conn, discover(root)) == 1
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert count(conn, "big") == 0
    finally:
        conn.close()


# --- table rebuilds ------------------------------------------------------------------------

PARENT_AND_CASCADE_CHILD = (
    "CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT);\n"
    "CREATE TABLE c(id INTEGER PRIMARY KEY,\n"
    "               p_id INTEGER NOT NULL REFERENCES p(id) ON DELETE CASCADE);\n"
    "INSERT INTO p VALUES (1, 'a'), (2, 'b');\n"
    "INSERT INTO c VALUES (10, 1), (11, 2), (12, 2);\n"
)
SQLITE_WAY_REBUILD = (
    "PRAGMA foreign_keys=OFF;\n"
    "BEGIN;\n"
    "CREATE TABLE new_p(id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n"
    "INSERT INTO new_p SELECT id, coalesce(name, '') FROM p;\n"
    "DROP TABLE p;\n"
    "ALTER TABLE new_p RENAME TO p;\n"
    "PRAGMA foreign_key_check;\n"
    "COMMIT;\n"
    "PRAGMA foreign_keys=ON;\n"
)
PLAIN_REBUILD = (
    "CREATE TABLE new_p(id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n"
    "INSERT INTO new_p SELECT id, coalesce(name, '') FROM p;\n"
    "DROP TABLE p;\n"
    "ALTER TABLE new_p RENAME TO p;\n"
)


def rebuild_set(migration_set: MigrationSetFactory, rebuild: str) -> MigrationSet:
    return discover(migration_set({1: (PARENT_AND_CASCADE_CHILD, None), 2: (rebuild, None)}))


def test_sqlite_way_rebuild_applies_under_sqlite(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    mset = rebuild_set(migration_set, SQLITE_WAY_REBUILD)
    runner.migrate(conn, mset, SQLITE)
    assert version(conn, mset) == 2
    assert user_schema(conn).tables["p"].column("name").notnull


def test_sqlite_way_rebuild_keeps_cascade_child_rows_under_sqlite(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    runner.migrate(conn, rebuild_set(migration_set, SQLITE_WAY_REBUILD), SQLITE)
    assert count(conn, "c") == 3


def test_sqlite_way_rebuild_leaves_foreign_keys_on_afterwards(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    runner.migrate(conn, rebuild_set(migration_set, SQLITE_WAY_REBUILD), SQLITE)
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)


def test_sqlite_way_rebuild_is_refused_under_d1_with_its_transaction_message(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    error = failure(conn, rebuild_set(migration_set, SQLITE_WAY_REBUILD), D1)
    assert (error.reason, error.statement) == (D1_TRANSACTION_MESSAGE, "BEGIN;")


def test_sqlite_way_rebuild_refused_under_d1_keeps_previous_version(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    mset = rebuild_set(migration_set, SQLITE_WAY_REBUILD)
    runner.migrate(conn, mset, D1, to=1)
    before = user_schema(conn)
    failure(conn, mset, D1)
    assert (version(conn, mset), count(conn, "c")) == (1, 3)
    assert user_schema(conn) == before


def test_plain_rebuild_loses_cascaded_child_rows_under_sqlite(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    mset = rebuild_set(migration_set, PLAIN_REBUILD)
    runner.migrate(conn, mset, SQLITE, to=1)
    assert count(conn, "c") == 3
    runner.migrate(conn, mset, SQLITE)
    assert (version(conn, mset), count(conn, "c")) == (2, 0)


# --- D1 emulation --------------------------------------------------------------------------

PARENT_CHILD = (
    "CREATE TABLE p(id INTEGER PRIMARY KEY);\n"
    "CREATE TABLE c(id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id));\n"
)


def d1_set(migration_set: MigrationSetFactory, second: str) -> MigrationSet:
    return discover(migration_set({1: (PARENT_CHILD, None), 2: (second, None)}))


def test_d1_ignores_foreign_keys_off_and_still_enforces_keys(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    mset = d1_set(migration_set, "PRAGMA foreign_keys=OFF;\nINSERT INTO c VALUES (1, 99);\n")
    error = failure(conn, mset, D1)
    assert error.reason == "FOREIGN KEY constraint failed: SQLITE_CONSTRAINT_FOREIGNKEY"
    assert (version(conn, mset), count(conn, "c")) == (1, 0)


def test_sqlite_honours_foreign_keys_off_in_a_self_managed_file(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    mset = d1_set(migration_set, "PRAGMA foreign_keys=OFF;\nINSERT INTO c VALUES (1, 99);\n")
    runner.migrate(conn, mset, SQLITE)
    assert (version(conn, mset), count(conn, "c")) == (2, 1)


def test_d1_refuses_integrity_check_as_not_authorized(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    mset = d1_set(migration_set, "PRAGMA integrity_check;\n")
    error = failure(conn, mset, D1)
    assert (error.reason, version(conn, mset)) == ("not authorized: SQLITE_AUTH", 1)


def test_d1_applies_a_file_wrapped_in_uppercase_begin_transaction(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    second = "BEGIN TRANSACTION;\nINSERT INTO p VALUES (1);\nCOMMIT;\n"
    mset = d1_set(migration_set, second)
    runner.migrate(conn, mset, D1)
    assert (version(conn, mset), count(conn, "p")) == (2, 1)


def test_d1_refuses_lowercase_begin(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    mset = d1_set(migration_set, "begin;\nINSERT INTO p VALUES (1);\ncommit;\n")
    error = failure(conn, mset, D1)
    assert (error.reason, error.statement) == (D1_TRANSACTION_MESSAGE, "begin;")
    assert (version(conn, mset), count(conn, "p")) == (1, 0)


def test_d1_refuses_a_last_statement_without_semicolon(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    mset = d1_set(migration_set, "INSERT INTO p VALUES (1);\nINSERT INTO p VALUES (2)\n")
    error = failure(conn, mset, D1)
    assert error.reason.startswith('near "INSERT": syntax error')
    assert (version(conn, mset), count(conn, "p")) == (1, 0)


def test_sqlite_runs_a_last_statement_without_semicolon(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory
) -> None:
    mset = d1_set(migration_set, "INSERT INTO p VALUES (1);\nINSERT INTO p VALUES (2)\n")
    runner.migrate(conn, mset, SQLITE)
    assert count(conn, "p") == 2


def test_deferred_foreign_keys_let_a_file_fix_a_violation_before_its_end(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory, target: Target
) -> None:
    second = (
        "PRAGMA defer_foreign_keys=ON;\nINSERT INTO c VALUES (1, 5);\nINSERT INTO p VALUES (5);\n"
    )
    mset = d1_set(migration_set, second)
    runner.migrate(conn, mset, target)
    assert (version(conn, mset), count(conn, "c")) == (2, 1)


def test_deferred_violation_left_at_the_end_fails_the_file_at_commit(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory, target: Target
) -> None:
    mset = d1_set(migration_set, "PRAGMA defer_foreign_keys=ON;\nINSERT INTO c VALUES (1, 5);\n")
    # Deferral only matters where keys are enforced: the runner's DSN would turn them on.
    target = dataclasses.replace(target, foreign_keys=True)
    error = failure(conn, mset, target)
    assert (error.statement, error.reason) == (
        "COMMIT",
        "FOREIGN KEY constraint failed: SQLITE_CONSTRAINT_FOREIGNKEY",
    )
    assert (version(conn, mset), count(conn, "c"), conn.in_transaction) == (1, 0, False)


# --- checksums -----------------------------------------------------------------------------


def edited_after_apply(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory, target: Target
) -> Path:
    root = migration_set({1: ("CREATE TABLE a(x);\n", None)})
    runner.migrate(conn, discover(root), target)
    (root / "migrations" / "0001_m0001.sql").write_text("CREATE TABLE a(x, y);\n")
    return root


def test_migrate_refuses_an_applied_migration_that_changed(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory, target: Target
) -> None:
    root = edited_after_apply(conn, migration_set, target)
    with pytest.raises(ChecksumMismatchError) as excinfo:
        runner.migrate(conn, discover(root), target)
    assert str(excinfo.value).startswith(
        f"{root / 'migrations' / '0001_m0001.sql'}: changed after it was applied"
    )


def test_status_reports_an_applied_migration_that_changed(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory, target: Target
) -> None:
    root = edited_after_apply(conn, migration_set, target)
    assert [m.id for m in runner.status(conn, discover(root)).changed] == ["0001_m0001.sql"]


def test_allow_changed_accepts_an_edited_migration(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory, target: Target
) -> None:
    root = edited_after_apply(conn, migration_set, target)
    assert runner.migrate(conn, discover(root), target, allow_changed=True) == []


# --- concurrency ---------------------------------------------------------------------------


def test_two_runners_on_one_file_apply_each_migration_exactly_once(
    tmp_path: Path, migration_set: MigrationSetFactory, target: Target
) -> None:
    # Not idempotent on purpose: running any file twice fails with "already exists".
    files = {
        v: (f"CREATE TABLE t{v}(x);\nINSERT INTO t{v} VALUES ({v});\n", None) for v in range(1, 121)
    }
    mset = discover(migration_set(files))
    db_file = tmp_path / "shared.db"
    runner.connect(db_file, create=True).close()
    start = threading.Barrier(2)
    applied: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        connection = runner.connect(db_file)
        try:
            start.wait(timeout=10)
            applied.extend(m.version for m in runner.migrate(connection, mset, target))
        except BaseException as exc:  # collected: the assertion below shows it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(applied) == list(range(1, 121))
    check = runner.connect(db_file)
    try:
        assert tracked(check) == [m.id for m in mset.migrations]
        assert [count(check, f"t{v}") for v in range(1, 121)] == [1] * 120
    finally:
        check.close()


# --- rollbacks -----------------------------------------------------------------------------


def test_rollback_to_refuses_up_front_when_a_rollback_is_missing(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory, target: Target
) -> None:
    root = migration_set(
        {
            1: ("CREATE TABLE a(x);\n", "DROP TABLE a;\n"),
            2: ("CREATE TABLE b(x);\n", None),
            3: ("CREATE TABLE c(x);\n", "DROP TABLE c;\n"),
        }
    )
    mset = discover(root)
    runner.migrate(conn, mset, target)
    before = user_schema(conn)
    with pytest.raises(HarnessError) as excinfo:
        runner.rollback_to(conn, mset, target, to=0)
    assert str(excinfo.value) == (
        f"{root / 'migrations' / '0002_m0002.sql'}: no rollback for 0002_m0002.sql; "
        "cannot roll back past it"
    )
    assert (version(conn, mset), user_schema(conn)) == (3, before)


def test_rollback_to_stops_above_a_missing_rollback(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory, target: Target
) -> None:
    mset = discover(
        migration_set(
            {
                1: ("CREATE TABLE a(x);\n", None),
                2: ("CREATE TABLE b(x);\n", "DROP TABLE b;\n"),
            }
        )
    )
    runner.migrate(conn, mset, target)
    runner.rollback_to(conn, mset, target, to=1)
    assert (version(conn, mset), sorted(user_schema(conn).tables)) == (1, ["a"])


def test_failing_rollback_keeps_the_migration_applied(
    conn: sqlite3.Connection, migration_set: MigrationSetFactory, target: Target
) -> None:
    mset = discover(
        migration_set(
            {
                1: ("CREATE TABLE a(x);\n", "DROP TABLE a;\nDROP TABLE not_there;\n"),
            }
        )
    )
    runner.migrate(conn, mset, target)
    with pytest.raises(MigrationError):
        runner.rollback_to(conn, mset, target, to=0)
    assert (version(conn, mset), sorted(user_schema(conn).tables)) == (1, ["a"])


def test_rollback_to_unknown_version_is_refused(
    conn: sqlite3.Connection, umbrella: MigrationSet
) -> None:
    runner.migrate(conn, umbrella, SQLITE)
    with pytest.raises(HarnessError, match="no migration has version 99"):
        runner.rollback_to(conn, umbrella, SQLITE, to=99)


# --- connect -------------------------------------------------------------------------------


def test_connect_refuses_a_missing_file_without_creating_it(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(DatabaseError, match="database does not exist"):
        runner.connect(missing)
    assert not missing.exists()


def test_connect_refuses_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_bytes(b"these are not the pages you are looking for\n" * 100)
    with pytest.raises(DatabaseError, match="not an SQLite database"):
        runner.connect(not_sqlite, create=True)
    assert not_sqlite.read_bytes() == b"these are not the pages you are looking for\n" * 100


def test_connect_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a folder"):
        runner.connect(tmp_path, create=True)


@pytest.mark.parametrize("folder", ["with#hash", "with?question", "with%41percent", "with space"])
def test_connect_opens_exactly_the_path_given(tmp_path: Path, folder: str) -> None:
    (tmp_path / folder).mkdir()
    db_file = tmp_path / folder / "app.db"
    runner.connect(db_file, create=True).close()
    assert [p.relative_to(tmp_path) for p in sorted(tmp_path.rglob("*"))] == [
        Path(folder),
        Path(folder) / "app.db",
    ]


def test_connect_in_a_missing_folder_is_a_database_error(tmp_path: Path) -> None:
    db_file = tmp_path / "no_such_folder" / "app.db"
    with pytest.raises(DatabaseError) as excinfo:
        runner.connect(db_file, create=True)
    assert str(excinfo.value).startswith(f"{db_file}: cannot open the database")


# --- wrangler interoperability -------------------------------------------------------------

WRANGLER_TRACKING_DDL = (
    "CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, "
    "applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)"
)


def apply_like_wrangler(conn: sqlite3.Connection, mset: MigrationSet, upto: int) -> None:
    """What ``wrangler d1 migrations apply`` leaves: its table only, no checksums."""
    conn.execute(WRANGLER_TRACKING_DDL)
    for migration in mset.migrations[:upto]:
        conn.executescript(migration.up_sql)
        conn.execute("INSERT INTO d1_migrations(name) VALUES (?)", (migration.id,))


def test_status_understands_a_database_migrated_by_wrangler(
    conn: sqlite3.Connection, umbrella: MigrationSet
) -> None:
    apply_like_wrangler(conn, umbrella, 3)
    current = runner.status(conn, umbrella)
    assert (current.version, current.changed, current.unknown) == (3, (), ())


def test_migrate_continues_a_database_migrated_by_wrangler(
    conn: sqlite3.Connection, umbrella: MigrationSet
) -> None:
    apply_like_wrangler(conn, umbrella, 3)
    done = runner.migrate(conn, umbrella, D1)
    assert [m.version for m in done] == list(range(4, 13))


def test_status_lists_tracking_rows_from_outside_the_set_as_unknown(
    conn: sqlite3.Connection, umbrella: MigrationSet
) -> None:
    runner.migrate(conn, umbrella, D1, to=1)
    conn.execute("INSERT INTO d1_migrations(name) VALUES ('0099_hotfix.sql')")
    assert runner.status(conn, umbrella).unknown == ("0099_hotfix.sql",)
