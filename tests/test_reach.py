"""Scoped images give every step the outcome the whole database gives (issue 17)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from migration_harness.checks.engine import Engine
from migration_harness.checks.reach import Scope, Scopes, reach, scoped_image
from migration_harness.checks.scope import fk_violations
from migration_harness.schema.diff import diff_schemas
from migration_harness.schema.model import Schema, introspect
from migration_harness.sets.discovery import discover
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]  # the migration_set fixture

# p <- c (cascade) <- g (set null); n <- c (not null parent); u and v: unrelated chain.
# Rowid tables without an INTEGER PRIMARY KEY hold rows whose rowids have gaps.
SETUP = """
CREATE TABLE n(id INTEGER PRIMARY KEY);
CREATE TABLE p(id INTEGER PRIMARY KEY, code TEXT UNIQUE, n_id INTEGER NOT NULL REFERENCES n(id));
CREATE TABLE c(id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id) ON DELETE CASCADE);
CREATE TABLE g(note TEXT, c_id INTEGER REFERENCES c(id) ON DELETE SET NULL);
CREATE INDEX g_c ON g(c_id);
CREATE TABLE u(id INTEGER PRIMARY KEY, label TEXT);
CREATE TABLE v(note TEXT, u_id INTEGER REFERENCES u(id));
CREATE TABLE w(note TEXT, later INTEGER REFERENCES later(id));
INSERT INTO n VALUES (1), (2);
INSERT INTO p VALUES (1, 'a', 1), (2, 'b', 2);
INSERT INTO c VALUES (1, 1), (2, 2);
INSERT INTO g VALUES ('x', 1), ('y', 2), ('z', 1);
DELETE FROM g WHERE note = 'y';
INSERT INTO u VALUES (1, 'q');
INSERT INTO v VALUES ('r', 1), ('s', 9);
INSERT INTO w VALUES ('t', 7);
"""

STEPS = {
    "delete_parent_rows": "DELETE FROM p WHERE id = 1;",
    "drop_parent": "DROP TABLE p;",
    "rename_parent": "ALTER TABLE p RENAME TO p2;",
    "rebuild_child": (
        "CREATE TABLE c_new(id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id));"
        "INSERT INTO c_new SELECT * FROM c WHERE id = 2; DROP TABLE c;"
        "ALTER TABLE c_new RENAME TO c;"
    ),
    "insert_orphan_child": "INSERT INTO c VALUES (3, 77);",
    "create_missing_parent": (
        "CREATE TABLE later(id INTEGER PRIMARY KEY); INSERT INTO later VALUES (7);"
    ),
    "drop_index_named": "DROP INDEX g_c;",
    "add_unique_on_child": "CREATE UNIQUE INDEX g_note ON g(note);",
    "fails_on_data": "INSERT INTO p VALUES (3, 'a', 1);",
}


def _image(keys: bool) -> tuple[bytes, Schema]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SETUP)
    conn.execute(f"PRAGMA foreign_keys = {'ON' if keys else 'OFF'}")
    return conn.serialize(), introspect(conn)


def _outcome(
    image: bytes, sql: str, keys: bool
) -> tuple[str, Schema, sqlite3.Connection, set[tuple[str, int, str, int]]]:
    """The step's error, schema after, connection and the violations it added."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.deserialize(image)
    conn.execute(f"PRAGMA foreign_keys = {'ON' if keys else 'OFF'}")
    known = set(fk_violations(conn))
    try:
        conn.executescript(f"BEGIN; {sql} COMMIT;")
        error = ""
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK")
        error = str(exc)
    return error, introspect(conn), conn, set(fk_violations(conn)) - known


@pytest.mark.parametrize("keys", [True, False])
@pytest.mark.parametrize("name", sorted(STEPS))
def test_a_step_on_its_scoped_image_does_what_it_does_on_the_whole(name: str, keys: bool) -> None:
    # What the checks read after a step (its error, the schema widened back, the rows and
    # foreign-key violations of the tables in scope, integrity) is the same on the scoped
    # image as on the whole database, which the scope leaves out tables of.
    image, schema = _image(keys)
    statements = split_statements(STEPS[name])
    tables = reach(schema, statements)
    assert tables is not None
    assert {"u", "v"}.isdisjoint(tables)  # the unrelated chain is left out
    small = scoped_image(image, schema, tables)
    assert small is not None
    error, whole_after, whole, added = _outcome(image, STEPS[name], keys)
    scoped_error, read, scoped, scoped_added = _outcome(small, STEPS[name], keys)
    assert scoped_error == error
    widened = Scopes().widen(Scope(0, tables), read, schema)
    assert not diff_schemas(whole_after, widened)
    assert list(widened.tables) == list(whole_after.tables)
    for table in read.tables:
        query = f'SELECT rowid, * FROM "{table}" ORDER BY rowid'
        assert scoped.execute(query).fetchall() == whole.execute(query).fetchall()
    # A table only there as a parent misses its own parents, and so shows orphans on the
    # scoped image: the same before and after the step, never counted (fk_orphans).
    assert scoped_added == added
    assert scoped.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_the_scope_holds_children_transitively_and_direct_parents() -> None:
    _, schema = _image(True)
    scope = reach(schema, split_statements("DELETE FROM p WHERE id = 1;"))
    # p's cascade child c and c's child g, p's parent n; not u, v, w.
    assert scope == frozenset({"p", "c", "g", "n"})
    named = reach(schema, split_statements("DROP INDEX g_c;"))
    assert named is not None
    assert "g" in named  # the table of an index it names


def test_a_key_naming_a_table_a_step_creates_brings_its_child() -> None:
    _, schema = _image(True)
    scope = reach(schema, split_statements("CREATE TABLE later(id INTEGER PRIMARY KEY);"))
    assert scope == frozenset({"w"})


@pytest.mark.parametrize(
    ("setup", "step"),
    [
        (
            "CREATE TRIGGER t AFTER INSERT ON u BEGIN DELETE FROM v; END;",
            "INSERT INTO u VALUES (5, 'x');",
        ),
        ("CREATE VIEW uv AS SELECT * FROM u JOIN v ON v.u_id = u.id;", "DELETE FROM c;"),
        ("", "PRAGMA writable_schema = ON;"),
        ("", "DELETE FROM c WHERE note = 'never closed"),
        # The catalogue and table-valued pragmas list every table: fewer on a scoped image.
        ("", "INSERT INTO u(label) SELECT count(*) FROM sqlite_master;"),
        ("", "INSERT INTO u(label) SELECT name FROM main.sqlite_schema;"),
        ("", "INSERT INTO u(label) SELECT name FROM pragma_table_info('v');"),
        ("", "INSERT INTO u(label) SELECT name FROM pragma_table_list;"),
    ],
)
def test_what_cannot_be_scoped_uses_the_whole_image(setup: str, step: str) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SETUP + setup)
    assert reach(introspect(conn), split_statements(step)) is None


def test_a_scope_of_every_table_is_the_whole_image() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript("CREATE TABLE a(id INTEGER PRIMARY KEY); CREATE TABLE b(a_id REFERENCES a);")
    assert reach(introspect(conn), split_statements("DELETE FROM a;")) is None


def test_rollback_drift_is_found_on_a_scoped_image(migration_set: MigrationSetFactory) -> None:
    # The rollback forgets the table its migration created, among tables it never
    # touches: the round trip runs on a scoped image and still sees the table left over.
    files = {
        1: ("CREATE TABLE a(x); CREATE TABLE b(y); CREATE TABLE c(z);", None),
        2: ("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v);",
            "DROP INDEX IF EXISTS idx_gone;"),
    }  # fmt: skip
    engine = Engine(discover(migration_set(files)), TARGETS["sqlite"])
    start = engine.scope(2, split_statements(files[2][0]), ["t"])
    assert start.tables is not None
    assert "a" not in start.tables
    from migration_harness.checks.rolling_back import check_rollback

    found = check_rollback(engine, 2)
    assert [f.kind for f in found] == ["rollback_schema_drift", "reapply_error"]
    assert found[0].details == ("table t is unexpected",)
    assert engine._scopes._images  # the round trip did start from a scoped image


def test_an_image_holding_a_scope_serves_a_smaller_one() -> None:
    scopes = Scopes()
    image, schema = _image(True)
    version = type("V", (), {"image": image, "schema": schema})()
    big = frozenset({"p", "c", "g", "n"})
    assert scopes.image(Scope(3, big), version) is not None
    assert scopes.cover(3, frozenset({"c", "g"}), 8, lambda: None) == big
    assert scopes.cover(4, frozenset({"c", "g"}), 8, lambda: frozenset({"u"})) == {"c", "g", "u"}
    assert scopes.cover(4, frozenset({"c"}), 2, lambda: frozenset({"u"})) == {"c"}
