"""Reading a schema again only when the step can have changed it (schema/cookie.py)."""

from __future__ import annotations

import sqlite3

from migration_harness.schema import cookie
from migration_harness.sets.sql import split_statements


def _conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE a(x INTEGER)")
    return conn


def test_unchanged_cookie_reuses_the_schema_read_before() -> None:
    conn = _conn()
    seen = cookie.read(conn)
    sql = "CREATE TABLE IF NOT EXISTS a(x INTEGER); INSERT INTO a VALUES (1);"
    for statement in split_statements(sql):
        conn.execute(statement.sql)
    assert cookie.read_again(conn, seen, split_statements(sql)) is seen


def test_a_schema_change_is_read_again() -> None:
    conn = _conn()
    seen = cookie.read(conn)
    sql = "ALTER TABLE a ADD COLUMN y TEXT;"
    conn.execute(sql)
    after = cookie.read_again(conn, seen, split_statements(sql))
    assert after is not seen
    assert [c.name for c in after.schema.tables["a"].columns] == ["x", "y"]


def test_writable_schema_edit_is_read_again_though_the_cookie_stays() -> None:
    """SQLite does not bump schema_version for a hand edit of sqlite_master."""
    conn = _conn()
    seen = cookie.read(conn)
    sql = (
        "PRAGMA writable_schema = ON;"
        "UPDATE sqlite_master SET sql = 'CREATE TABLE a(x INTEGER, y TEXT)' WHERE name = 'a';"
        "PRAGMA writable_schema = RESET;"
    )
    statements = split_statements(sql)
    for statement in statements:
        conn.execute(statement.sql)
    assert cookie.schema_cookie(conn) == seen.cookie  # the cookie alone would miss it
    after = cookie.read_again(conn, seen, statements)
    assert [c.name for c in after.schema.tables["a"].columns] == ["x", "y"]


def test_exclusions_are_kept_on_a_read_again() -> None:
    conn = _conn()
    seen = cookie.read(conn, exclude=["b"])
    conn.execute("CREATE TABLE b(z)")
    after = cookie.read_again(conn, seen, split_statements("CREATE TABLE b(z);"))
    assert set(after.schema.tables) == {"a"}
    assert after.exclude == seen.exclude
