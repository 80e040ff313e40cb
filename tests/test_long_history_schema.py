"""Session 26: the refreshed schema lint keeps is the one a full read gives.

``introspect_changed`` now copies the previous tables and name map and re-reads only the
touched tables (:meth:`Schema.replaced`), so a long history is linear. These pin that the
shortcut changes nothing: same tables in the same order, same name map, same resolved
``REFERENCES parent`` keys, and the old path where two names fold to one.
"""

from __future__ import annotations

import sqlite3

from migration_harness.schema.model import Schema, introspect, introspect_changed


def _replayed(statements: list[tuple[str, set[str]]]) -> tuple[Schema, Schema]:
    """The schema followed table by table, and the schema read whole, after ``statements``."""
    conn = sqlite3.connect(":memory:")
    schema = introspect(conn)
    for sql, touched in statements:
        conn.execute(sql)
        schema = introspect_changed(conn, schema, touched)
    return schema, introspect(conn)


def _same(followed: Schema, whole: Schema) -> None:
    assert list(followed.tables) == list(whole.tables)
    assert followed.tables == whole.tables
    assert dict(followed.by_lower_name) == dict(whole.by_lower_name)
    assert list(followed.by_lower_name) == list(whole.by_lower_name)


def test_followed_schema_equals_a_full_read_through_creates_drops_and_bare_references() -> None:
    followed, whole = _replayed(
        [
            ("CREATE TABLE Parent(id INTEGER PRIMARY KEY, code TEXT UNIQUE)", {"parent"}),
            ("CREATE TABLE child(id INTEGER PRIMARY KEY, p INTEGER REFERENCES PARENT)", {"child"}),
            ("CREATE INDEX child_p ON child(p)", {"child", "child_p"}),
            ("CREATE TABLE gone(id INTEGER PRIMARY KEY)", {"gone"}),
            ("DROP TABLE gone", {"gone"}),
            ("CREATE TABLE later(id INTEGER PRIMARY KEY, c INTEGER REFERENCES child)", {"later"}),
        ]
    )
    _same(followed, whole)
    assert "gone" not in followed.by_lower_name
    # The bare REFERENCES read the parent through the view of earlier tables.
    (key,) = followed.tables["later"].foreign_keys
    assert key.other_columns == ("id",)
    (key,) = followed.tables["child"].foreign_keys
    assert key.other_columns == ("id",)


def test_names_python_folds_together_keep_every_table() -> None:
    # SQLite folds ASCII only: "É" and "é" are two tables, one name to str.lower, so the
    # name map is shorter than the tables and replaced() takes the old path.
    conn = sqlite3.connect(":memory:")
    conn.execute('CREATE TABLE "É"(id INTEGER PRIMARY KEY)')
    conn.execute('CREATE TABLE "é"(id INTEGER PRIMARY KEY)')
    conn.execute("CREATE TABLE t(id INTEGER PRIMARY KEY)")
    whole = introspect(conn)
    assert len(whole.by_lower_name) < len(whole.tables)
    kept = whole.replaced(frozenset({"t"}), {}, whole.triggers, whole.views)
    assert list(kept.tables) == ["É", "é"]
    # As the comprehension it replaced: every table whose name folds to a re-read name goes.
    assert list(whole.replaced(frozenset({"é"}), {}, (), ()).tables) == ["t"]


def test_replaced_name_map_follows_the_tables() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE Alpha(id INTEGER PRIMARY KEY)")
    conn.execute("CREATE TABLE beta(id INTEGER PRIMARY KEY)")
    before = introspect(conn)
    assert set(before.by_lower_name) == {"alpha", "beta"}
    conn.execute("DROP TABLE Alpha")
    conn.execute("CREATE TABLE Gamma(id INTEGER PRIMARY KEY)")
    after = introspect_changed(conn, before, {"alpha", "gamma"})
    assert list(after.by_lower_name) == ["beta", "gamma"]
    assert after.by_lower_name["gamma"] is after.tables["Gamma"]
    assert before.by_lower_name["alpha"].name == "Alpha"  # the earlier record is untouched
