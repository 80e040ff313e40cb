"""The sandbox: in-memory copies never reach a file; every statement runs under a clock."""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from migration_harness.errors import MigrationError
from migration_harness.sets import runner
from migration_harness.sets.d1rules import D1_LIMITS
from migration_harness.sets.overrides import with_statement_timeout
from migration_harness.sets.sandbox import SandboxEscapeError, StatementTimeoutError
from migration_harness.sets.targets import TARGETS, Target

SQLITE = TARGETS["sqlite"]
ENDLESS = (
    "CREATE TABLE n(x INTEGER);\n"
    "INSERT INTO n WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT x FROM c;\n"
)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """An unrelated database holding 100 rows, which no check may touch."""
    path = tmp_path / "victim.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts(id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO accounts VALUES (?)", [(i,) for i in range(100)])
    conn.commit()
    conn.close()
    return path


@pytest.fixture
def memory() -> Iterator[sqlite3.Connection]:
    """An in-memory database as every check works on."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    runner.prepare(conn, SQLITE)
    yield conn
    conn.close()


def _run(conn: sqlite3.Connection, sql: str, target: Target = SQLITE) -> None:
    runner.execute(conn, sql, Path("0001_x.sql"), target)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_attach_in_memory_is_a_sandbox_escape_and_the_victim_keeps_its_rows(
    memory: sqlite3.Connection, victim: Path
) -> None:
    before = _digest(victim)
    with pytest.raises(SandboxEscapeError, match="would write outside the database"):
        _run(memory, f"ATTACH '{victim}' AS v; DELETE FROM v.accounts;")
    assert _digest(victim) == before


@pytest.mark.parametrize(
    ("sql", "what"),
    [
        ("VACUUM INTO '{out}';", "VACUUM INTO"),
        ("VACUUM main INTO '{out}';", "VACUUM INTO"),
        ("ATTACH '{out}' AS o;", "ATTACH"),
        ("ATTACH ':memory:' AS m;", "ATTACH"),
        ("DETACH temp;", "DETACH"),
        ("PRAGMA temp_store_directory = '{dir}';", "PRAGMA temp_store_directory"),
        ("SELECT load_extension('{dir}/evil');", "load_extension()"),
    ],
)
def test_file_reaching_statements_are_refused_in_memory(
    memory: sqlite3.Connection, tmp_path: Path, sql: str, what: str
) -> None:
    out = tmp_path / "out.db"
    with pytest.raises(SandboxEscapeError) as caught:
        _run(memory, sql.format(out=out, dir=tmp_path))
    assert what in caught.value.reason
    assert not out.exists()


@pytest.mark.parametrize(
    "sql", ["VACUUM;", "PRAGMA journal_mode = WAL;", "PRAGMA temp_store = MEMORY;"]
)
def test_statements_that_stay_in_memory_run(memory: sqlite3.Connection, sql: str) -> None:
    """Clean twins: a plain VACUUM or a journal mode on an in-memory copy touch no file."""
    _run(memory, "CREATE TABLE t(x);" + sql)
    assert memory.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_the_d1_target_refuses_attach_as_d1_does(memory: sqlite3.Connection, victim: Path) -> None:
    """Production refuses it first: an ``apply_error`` with D1's words, not the sandbox's."""
    with pytest.raises(MigrationError) as caught:
        _run(memory, f"ATTACH '{victim}' AS v;", TARGETS["d1"])
    assert not isinstance(caught.value, SandboxEscapeError)
    assert "not authorized" in caught.value.reason


def test_a_users_database_file_is_production_and_not_sandboxed(
    tmp_path: Path, victim: Path
) -> None:
    """``migrate`` on a real file runs what the runner would run (docs/RUNNERS.md)."""
    conn = runner.connect(tmp_path / "app.db", create=True)
    try:
        _run(conn, f"ATTACH '{victim}' AS v; CREATE TABLE copy AS SELECT * FROM v.accounts;")
        assert conn.execute("SELECT count(*) FROM copy").fetchone() == (100,)
    finally:
        conn.close()


def test_an_endless_statement_is_interrupted(memory: sqlite3.Connection) -> None:
    target = with_statement_timeout(SQLITE, 0.2)
    with pytest.raises(StatementTimeoutError, match=r"longer than 0\.2 s") as caught:
        _run(memory, ENDLESS, target)
    assert caught.value.line == 2
    tables = memory.execute("SELECT name FROM sqlite_master WHERE name = 'n'").fetchall()
    assert tables == []  # the file's transaction rolled back


def test_the_timeout_is_generous_by_default_and_not_a_runner_rule() -> None:
    assert SQLITE.statement_timeout == 60.0
    assert dataclasses.replace(SQLITE, statement_timeout=1.0) == SQLITE
    assert with_statement_timeout(SQLITE, None) is SQLITE


def test_the_connection_is_unrestricted_after_a_file(memory: sqlite3.Connection) -> None:
    """The harness's own queries (introspection, rows) run without authorizer or clock."""
    with pytest.raises(SandboxEscapeError):
        _run(memory, "ATTACH ':memory:' AS m;")
    memory.execute("ATTACH ':memory:' AS mine")
    assert [r[1] for r in memory.execute("PRAGMA database_list")] == ["main", "mine"]


# Argument values either check reacts to: refused pragmas, functions and names included.
_ACTION_ARGS = (
    None,
    "",
    "foreign_keys",
    "writable_schema",
    "temp_store_directory",
    "load_extension",
    "sqlite_version",
    "_cf_kv",
    "/tmp/f.db",
)


def test_actions_outside_the_watched_sets_are_allowed_by_both_checks() -> None:
    """The Guard answers unwatched actions without asking: both checks must allow them."""
    from migration_harness.sets import sandbox
    from migration_harness.sets.d1rules import D1_REFUSABLE, d1_authorizer

    codes = {v for k, v in vars(sqlite3).items() if k.startswith("SQLITE_") and k.isupper()}
    actions = {c for c in codes if isinstance(c, int) and 0 <= c <= 64}
    conn = sqlite3.connect(":memory:")
    guard = sandbox.Guard(conn, TARGETS["sqlite"])
    for action in actions:
        for arg1 in _ACTION_ARGS:
            for arg2 in _ACTION_ARGS:
                if action not in D1_REFUSABLE:
                    assert d1_authorizer(action, arg1, arg2, "main", None) == sqlite3.SQLITE_OK
                if action not in sandbox._ESCAPES:
                    assert guard._escape(action, arg1, arg2) is None
    conn.close()


def test_the_d1_target_lowers_the_column_limit_only_while_a_file_runs(
    memory: sqlite3.Connection,
) -> None:
    """D1 refuses a 101st column (and a result set of 101), SQLite takes 2000: the limit
    is D1's inside the file and the connection's own again after it, failed or not."""
    columns = ", ".join(f"c{i} TEXT" for i in range(1, 100))
    _run(memory, f"CREATE TABLE t (id INTEGER PRIMARY KEY, {columns});", TARGETS["d1"])
    with pytest.raises(MigrationError) as caught:
        _run(memory, "ALTER TABLE t ADD COLUMN extra TEXT;", TARGETS["d1"])
    assert "too many columns" in caught.value.reason
    assert "D1 allows 100 columns" in caught.value.reason
    assert memory.getlimit(sqlite3.SQLITE_LIMIT_COLUMN) == 2000
    _run(memory, "ALTER TABLE t ADD COLUMN extra TEXT;")  # the sqlite target: no such limit


@pytest.mark.parametrize(
    ("setup", "sql", "words"),
    [
        (
            "CREATE TABLE s (ua TEXT); INSERT INTO s VALUES ('x');",
            "UPDATE s SET ua = 'bot' WHERE ua LIKE '%" + "b" * 50 + "%';",
            "D1 allows LIKE and GLOB patterns of at most 50 bytes",
        ),
        (
            "CREATE TABLE s (n INTEGER);",
            "INSERT INTO s " + " UNION ALL ".join(f"SELECT {i}" for i in range(6)) + ";",
            "D1 allows 5 terms",
        ),
        (
            "CREATE TABLE s (n INTEGER);",
            "DELETE FROM s WHERE " + " OR ".join(f"n = {i}" for i in range(101)) + ";",
            "D1 allows expressions 100 levels deep",
        ),
    ],
    ids=["like-pattern", "compound-select", "expression-depth"],
)
def test_the_d1_target_sets_d1s_sqlite_limits_only_while_a_file_runs(
    memory: sqlite3.Connection, setup: str, sql: str, words: str
) -> None:
    """D1's SQLite refuses a LIKE pattern over 50 bytes, 6 compound terms, 101 ORs
    (workerd's setupSecurity): the d1 target refuses them with D1's limit named, the
    connection has SQLite's own limits again after the file, and the sqlite target
    runs the same statement."""
    before = {limit: memory.getlimit(limit) for limit in D1_LIMITS}
    memory.executescript(setup)
    with pytest.raises(MigrationError) as caught:
        _run(memory, sql, TARGETS["d1"])
    assert words in caught.value.reason
    assert {limit: memory.getlimit(limit) for limit in D1_LIMITS} == before
    _run(memory, sql)
