"""Scoped foreign-key checks find exactly what the whole-database check finds (issue 17)."""

from __future__ import annotations

import sqlite3

import pytest

from migration_harness.checks.fkscope import fk_scope, orphan_scope
from migration_harness.checks.scope import MISMATCH_KEY, fk_orphans, fk_violations
from migration_harness.schema.model import introspect
from migration_harness.sets.sql import split_statements

# p <- c <- g (g has orphans before any step); u: unrelated, with orphans of its own.
SETUP = """
CREATE TABLE p(id INTEGER PRIMARY KEY, code TEXT);
CREATE UNIQUE INDEX p_code ON p(code);
CREATE TABLE c(
  id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id), p_code TEXT REFERENCES p(code)
);
CREATE TABLE g(id INTEGER PRIMARY KEY, c_id INTEGER REFERENCES c(id));
CREATE TABLE u(id INTEGER PRIMARY KEY, gone INTEGER REFERENCES nowhere(id));
CREATE TABLE w(id INTEGER PRIMARY KEY, later INTEGER REFERENCES later(id));
INSERT INTO p VALUES (1, 'a'), (2, 'b');
INSERT INTO c VALUES (1, 1, 'a'), (2, 2, 'b');
INSERT INTO g VALUES (1, 1), (2, 99);
INSERT INTO u VALUES (1, 5);
INSERT INTO w VALUES (1, 7);
"""

STEPS = {
    "delete_parent_rows": "DELETE FROM p WHERE id = 1;",
    "drop_parent": "DROP TABLE p;",
    "create_missing_parent": "CREATE TABLE later(id INTEGER PRIMARY KEY);",
    "create_missing_parent_and_fill": (
        "CREATE TABLE later(id INTEGER PRIMARY KEY); INSERT INTO later VALUES (7);"
    ),
    "rename_parent": "ALTER TABLE p RENAME TO p2;",
    "rename_middle": "ALTER TABLE c RENAME TO c2;",
    "rebuild_middle": (
        "CREATE TABLE c_new(id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id), p_code TEXT);"
        "INSERT INTO c_new SELECT * FROM c WHERE id = 2; DROP TABLE c;"
        "ALTER TABLE c_new RENAME TO c;"
    ),
    "update_child_key": "UPDATE c SET p_id = 42 WHERE id = 2;",
    "insert_child": "INSERT INTO c VALUES (3, 1, NULL), (4, 77, NULL);",
    "untouched": "CREATE TABLE other(x); INSERT INTO other VALUES (1);",
}


def _new_violations(step: str, *, scoped: bool) -> set[tuple[str, int, str]]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SETUP)
    statements = split_statements(step)
    before = introspect(conn)
    read = orphan_scope(statements, before) if scoped else None
    known = fk_orphans(conn, read)
    for statement in statements:
        conn.execute(statement.sql)
    after = introspect(conn)
    tables = None if read is None else fk_scope(statements, before, after)
    found = {(t, r, p) for t, r, p, _ in fk_violations(conn, tables)}
    return found - known


@pytest.mark.parametrize("name", sorted(STEPS))
def test_scoped_check_finds_what_the_whole_check_finds(name: str) -> None:
    whole = _new_violations(STEPS[name], scoped=False)
    assert _new_violations(STEPS[name], scoped=True) == whole


def test_the_steps_above_do_break_keys() -> None:
    """The comparison means something: most steps leave new orphans."""
    broken = {name for name, sql in STEPS.items() if _new_violations(sql, scoped=False)}
    assert {"delete_parent_rows", "drop_parent", "update_child_key"} <= broken
    assert "untouched" not in broken
    assert "create_missing_parent" not in broken  # w's row was an orphan before


def test_untouched_tables_are_left_out_of_the_scope() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SETUP)
    before = introspect(conn)
    statements = split_statements("INSERT INTO c VALUES (3, 1, NULL);")
    assert fk_scope(statements, before) == frozenset({"c", "g"})
    assert orphan_scope(statements, before) == frozenset({"c", "g"})


def test_dropping_a_parent_key_index_reaches_the_child() -> None:
    """No table is named, yet the child's check changes: the mismatch is its violation."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SETUP)
    before = introspect(conn)
    statements = split_statements("DROP INDEX p_code;")
    conn.execute(statements[0].sql)
    scope = fk_scope(statements, before, introspect(conn))
    assert scope is not None
    assert "c" in scope
    violations = fk_violations(conn, scope)
    assert [(v[0], v[3]) for v in violations] == [("c", MISMATCH_KEY)]
    assert "mismatch" in violations[0][2]


def test_in_doubt_the_whole_database_is_checked() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SETUP)
    plain = introspect(conn)
    hand = split_statements("PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = sql;")
    assert fk_scope(hand, plain) is None
    assert orphan_scope(split_statements("INSERT INTO p VALUES ('unclosed"), plain) is None
    conn.execute("CREATE TRIGGER t AFTER INSERT ON u BEGIN DELETE FROM p; END")
    assert fk_scope(split_statements("INSERT INTO u VALUES (9, NULL);"), introspect(conn)) is None


def test_a_file_creating_a_trigger_is_checked_whole() -> None:
    """The trigger can fire later in the same file, on tables no statement names."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SETUP)
    sql = (
        "CREATE TRIGGER wipe AFTER INSERT ON c BEGIN DELETE FROM u; END;"
        "INSERT INTO c VALUES (5, 1, NULL);"
    )
    assert orphan_scope(split_statements("INSERT INTO c VALUES (5, 1, NULL);"), introspect(conn))
    assert orphan_scope(split_statements(sql), introspect(conn)) is None


def test_a_scope_of_most_tables_is_the_whole_check() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SETUP)
    statements = split_statements("DELETE FROM p;")  # p, c, g: half of six tables
    assert orphan_scope(statements, introspect(conn)) is None
