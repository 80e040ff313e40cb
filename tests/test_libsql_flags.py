"""libSQL's ALTER COLUMN refusals that depend on how SQLite reads the column (alter.c).

``alterColumnFunc`` compares the column's ``COLFLAG_UNIQUE`` before and after the edit, a
flag SQLite's ``sqlite3CreateIndex`` sets only for a column-level ``UNIQUE`` (its
``pList == 0`` case): a table-level ``UNIQUE (c)`` leaves it unset, so keeping or adding
one around an ALTER COLUMN is no UNIQUE change to libSQL.
"""

from __future__ import annotations

import sqlite3

import pytest

from migration_harness.errors import HarnessError
from tests.test_libsql_alter import LIBSQL, run_file, table_sql


def _table(create: str) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute(create)
    return conn


def test_a_column_under_a_table_level_unique_can_be_altered() -> None:
    conn = _table("CREATE TABLE tag (id INTEGER PRIMARY KEY, slug TEXT, UNIQUE (slug))")
    run_file(conn, LIBSQL, "ALTER TABLE tag ALTER COLUMN slug TO slug TEXT NOT NULL")
    assert "slug TEXT NOT NULL, UNIQUE (slug)" in table_sql(conn, "tag")


def test_a_column_level_unique_cannot_be_dropped() -> None:
    conn = _table("CREATE TABLE tag (id INTEGER PRIMARY KEY, slug TEXT UNIQUE, n INT)")
    with pytest.raises(HarnessError, match="UNIQUE constraint cannot be altered"):
        run_file(conn, LIBSQL, "ALTER TABLE tag ALTER COLUMN slug TO slug TEXT NOT NULL")


def test_a_column_level_unique_cannot_be_added_beside_a_table_level_one() -> None:
    conn = _table("CREATE TABLE tag (id INTEGER PRIMARY KEY, slug TEXT, UNIQUE (slug))")
    with pytest.raises(HarnessError, match="UNIQUE constraint cannot be altered"):
        run_file(conn, LIBSQL, "ALTER TABLE tag ALTER COLUMN slug TO slug TEXT UNIQUE")


def test_a_named_column_level_unique_can_be_kept() -> None:
    conn = _table("CREATE TABLE tag (id INTEGER PRIMARY KEY, slug TEXT CONSTRAINT u UNIQUE)")
    sql = "ALTER TABLE tag ALTER COLUMN slug TO slug TEXT NOT NULL CONSTRAINT u UNIQUE"
    run_file(conn, LIBSQL, sql)
    assert "slug TEXT NOT NULL CONSTRAINT u UNIQUE" in table_sql(conn, "tag")


# libSQL tests the edited schema with double-quoted strings off (``renameTestSchema(…,
# "after update", bNoDQS=1)``): ``"a"`` that names no column is an error, not a string.


def test_a_double_quoted_string_in_the_new_definition_is_refused() -> None:
    conn = _table("CREATE TABLE job (id INTEGER PRIMARY KEY, state TEXT)")
    before = table_sql(conn, "job")
    sql = """ALTER TABLE job ALTER COLUMN state TO state TEXT CHECK (state IN ("new", 'done'))"""
    with pytest.raises(HarnessError, match="error in table job after update: no such column: new"):
        run_file(conn, LIBSQL, sql)
    assert table_sql(conn, "job") == before


def test_double_quoted_names_in_the_new_definition_are_read_as_names() -> None:
    conn = _table("CREATE TABLE job (id INTEGER PRIMARY KEY, state TEXT)")
    sql = (
        'ALTER TABLE job ALTER COLUMN "state" TO "state" "text" DEFAULT "new" '
        """COLLATE "NOCASE" CHECK ("state" IN ('new', 'done')) REFERENCES "job" ("id")"""
    )
    run_file(conn, LIBSQL, sql)
    assert """CHECK ("state" IN ('new', 'done'))""" in table_sql(conn, "job")
