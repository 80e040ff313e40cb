"""The columns a set's own SQL reads as JSON (schema/usage.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.schema.usage import json_columns, json_member_columns
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "INSERT INTO f (app, path) SELECT ca.id, JSON_EACH.value FROM connected ca, "
            "JSON_EACH(ca.watched) WHERE ca.watched IS NOT NULL",
            {("connected", "watched")},
        ),
        ("SELECT json_extract(data, '$.a') FROM events", {("events", "data")}),
        ("SELECT data ->> '$.a' FROM events", {("events", "data")}),
        ("UPDATE t SET x = json_extract(t.meta, '$.x')", {("t", "meta")}),
        ("SELECT json_array_length(tags) FROM posts", {("posts", "tags")}),
        ("UPDATE users SET n = json_type(prefs)", {("users", "prefs")}),
        # a CAST to text is the column's own text (pocket-id 20260731 oauth2_sessions)
        (
            "SELECT json_extract(CAST(request_data AS TEXT), '$.client_id') FROM sessions",
            {("sessions", "request_data")},
        ),
        # an expression index reads its table's column (pocket-id 20250403 audit_logs)
        (
            "CREATE INDEX i ON audit_logs ((json_extract(data, '$.clientName')))",
            {("audit_logs", "data")},
        ),
        # a correlated subquery names the outer UPDATE's table (arcane 071)
        (
            "UPDATE roles SET permissions = (SELECT json_group_array(p) FROM (SELECT value AS p"
            " FROM json_each(roles.permissions))) WHERE EXISTS (SELECT 1 FROM"
            " json_each(roles.permissions) WHERE value = 'x')",
            {("roles", "permissions")},
        ),
        # json() parses its argument, and json_set reads its first (tabby 0042's shape)
        (
            "UPDATE notes SET extra = json_set(extra, '$.tags', json(tag_list))"
            " WHERE tag_list IS NOT NULL",
            {("notes", "extra"), ("notes", "tag_list")},
        ),
        ("SELECT jsonb(body) FROM docs", {("docs", "body")}),
        ("SELECT json_remove(meta, '$.a') FROM t", {("t", "meta")}),
        ("SELECT json_insert(meta, '$.a', 1) FROM t", {("t", "meta")}),
        ("SELECT json_replace(meta, '$.a', 1) FROM t", {("t", "meta")}),
        ("SELECT jsonb_extract(meta, '$.a') FROM t", {("t", "meta")}),
        ("SELECT json_pretty(meta) FROM t", {("t", "meta")}),
        # json_patch parses both its arguments
        ("SELECT json_patch(base, overlay) FROM t", {("t", "base"), ("t", "overlay")}),
    ],
)
def test_json_reads_are_tied_to_their_table(sql: str, expected: set[tuple[str, str]]) -> None:
    assert json_columns([sql]) == expected


@pytest.mark.parametrize(
    "sql",
    [
        # unqualified column over two tables: which one holds it is not known
        "SELECT json_extract(data, '$.a') FROM a JOIN b ON a.id = b.id",
        # a literal, not a column
        "SELECT json_extract('{\"a\": 1}', '$.a')",
        # json_valid tests the text, it does not assume it
        "SELECT id FROM t WHERE json_valid(body)",
        # json_quote and json_array take any value; json_set's new value is stored as is
        "SELECT json_quote(body), json_array(body) FROM t",
        "UPDATE t SET meta = json_set('{}', '$.a', body)",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)",
        "not sql at all (",
    ],
)
def test_nothing_is_guessed(sql: str) -> None:
    assert json_columns([sql]) == frozenset()


def _json_set(tmp_path: Path, seed: str = "") -> Path:
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_apps.sql").write_text(
        "CREATE TABLE apps (id INTEGER PRIMARY KEY, folders TEXT);\n" + seed
    )
    (root / "migrations" / "0002_folders.sql").write_text(
        "CREATE TABLE app_folders (app_id INTEGER NOT NULL REFERENCES apps(id), path TEXT);\n"
        "INSERT INTO app_folders (app_id, path) SELECT a.id, json_each.value "
        "FROM apps a, json_each(a.folders) WHERE a.folders IS NOT NULL;\n"
    )
    return root


def _apply_errors(root: Path) -> list[str]:
    run = check_set(
        discover(root), TARGETS["d1"], profile="dev", seed=0, checks=["apply_keeps_data"]
    )
    return [f.message for f in run.findings if f.kind == "apply_error"]


def test_a_column_the_set_reads_as_json_gets_json_rows(tmp_path: Path) -> None:
    """Random text in a column every migration treats as JSON is data nobody writes."""
    assert _apply_errors(_json_set(tmp_path)) == []


def test_the_set_own_rows_that_are_not_json_still_fail(tmp_path: Path) -> None:
    """The hint shapes generated rows only: a seed row of the set itself is real data."""
    root = _json_set(tmp_path, "INSERT INTO apps (id, folders) VALUES (1, 'inbox');\n")
    assert any("malformed JSON" in m for m in _apply_errors(root))


def _json_function_set(tmp_path: Path, seed: str = "") -> Path:
    """A column a later file folds into a JSON object through ``json()`` (tabby 0042's shape)."""
    root = tmp_path / "fold"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_notes.sql").write_text(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, tag_list TEXT);\n" + seed
    )
    (root / "migrations" / "0002_extra.sql").write_text(
        "ALTER TABLE notes ADD extra TEXT NOT NULL DEFAULT '{}';\n"
        "UPDATE notes SET extra = json_set(extra, '$.tags', json(tag_list))"
        " WHERE tag_list IS NOT NULL;\n"
    )
    return root


def test_a_column_read_through_json_gets_json_rows(tmp_path: Path) -> None:
    """``json(col)`` fails on text that is not JSON: the set says the column holds JSON."""
    assert _apply_errors(_json_function_set(tmp_path)) == []


def test_the_set_own_rows_read_through_json_still_fail(tmp_path: Path) -> None:
    root = _json_function_set(tmp_path, "INSERT INTO notes (id, tag_list) VALUES (1, 'a,b');\n")
    assert any("malformed JSON" in m for m in _apply_errors(root))


def _blob_json_set(tmp_path: Path, seed: str = "") -> Path:
    """pocket-id's audit_logs: JSON in a BLOB column, indexed by ``json_extract``."""
    root = tmp_path / "blobset"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_audit.sql").write_text(
        "CREATE TABLE audit_logs (id TEXT PRIMARY KEY, event TEXT NOT NULL,"
        " data BLOB NOT NULL);\n" + seed
    )
    (root / "migrations" / "0002_index.sql").write_text(
        "CREATE INDEX idx_audit_logs_client_name ON audit_logs"
        " ((json_extract(data, '$.clientName')));\n"
    )
    return root


def test_a_blob_column_the_set_reads_as_json_gets_json_bytes(tmp_path: Path) -> None:
    """A BLOB declaration does not make random bytes likely: the set reads it as JSON."""
    assert _apply_errors(_blob_json_set(tmp_path)) == []


def test_the_set_own_blob_rows_that_are_not_json_still_fail(tmp_path: Path) -> None:
    root = _blob_json_set(tmp_path, "INSERT INTO audit_logs VALUES ('1', 'login', X'');\n")
    assert any("malformed JSON" in m for m in _apply_errors(root))


def test_a_json_array_or_object_default_marks_the_column_json() -> None:
    import sqlite3

    from migration_harness.schema.model import introspect
    from migration_harness.schema.usage import with_hints

    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE roles (id INTEGER PRIMARY KEY, permissions TEXT DEFAULT '[]',"
        " meta TEXT DEFAULT '{\"a\": 1}', name TEXT DEFAULT 'x', n TEXT DEFAULT '1')"
    )
    hinted = with_hints(introspect(conn), frozenset())
    assert hinted.tables["roles"].json_columns == {"permissions", "meta"}


def _retyped_set(tmp_path: Path, new_type: str) -> Path:
    """arcane 003: ``events`` rebuilt with its TEXT ``metadata`` declared ``new_type``."""
    root = tmp_path / f"retyped-{new_type}"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_events.sql").write_text(
        "CREATE TABLE events (id TEXT PRIMARY KEY, title TEXT NOT NULL, metadata TEXT);\n"
    )
    (root / "migrations" / "0002_rebuild.sql").write_text(
        "CREATE TABLE events_new (id TEXT PRIMARY KEY, title TEXT NOT NULL,"
        f" metadata {new_type});\n"
        "INSERT INTO events_new SELECT * FROM events;\n"
        "DROP TABLE events;\n"
        "ALTER TABLE events_new RENAME TO events;\n"
    )
    return root


def _loss_codes(root: Path) -> set[str]:
    run = check_set(discover(root), TARGETS["sqlite"], profile="ci", checks=["apply_keeps_data"])
    return {f.code for f in run.findings if f.kind == "data_loss"}


def test_a_column_a_later_version_declares_json_held_json_before(tmp_path: Path) -> None:
    """JSON text keeps its spelling under the JSON type's NUMERIC affinity: no loss."""
    assert _loss_codes(_retyped_set(tmp_path, "JSON")) == set()


def test_text_retyped_numeric_still_loses_its_spelling(tmp_path: Path) -> None:
    """The same rebuild to NUMERIC: '007' becomes 7, which the file never says."""
    assert "MH141" in _loss_codes(_retyped_set(tmp_path, "NUMERIC"))


def test_declared_json_is_read_from_every_version() -> None:
    import sqlite3

    from migration_harness.schema.model import introspect
    from migration_harness.schema.usage import declared_json

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, m JSON, n JSONB NOT NULL, j TEXT)")
    conn.execute("CREATE TABLE b (x VARCHAR(10), jsonish TEXT)")
    assert declared_json([introspect(conn)]) == {("a", "m"), ("a", "n")}


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # yaak's header lists: each member is read with json_extract (unqualified value)
        (
            "UPDATE ws SET headers = json_insert(headers, '$[#]', json('{}')) WHERE NOT EXISTS"
            " (SELECT 1 FROM json_each(ws.headers) WHERE json_extract(value, '$.name') = 'a')",
            {("ws", "headers")},
        ),
        ("SELECT json_extract(j.value, '$.a') FROM t, json_each(t.c) AS j", {("t", "c")}),
        ("SELECT json(value) FROM t, json_each(t.c)", {("t", "c")}),
        # the alias names which list's members are parsed
        (
            "SELECT json_extract(k.value, '$.a') FROM t, json_each(t.c) AS j, json_each(t.d) AS k",
            {("t", "d")},
        ),
        # members only compared or copied as they are: strings are fine there
        ("SELECT value FROM t, json_each(t.c) WHERE value <> 'x'", set()),
        ("SELECT json_extract(t.c, '$.a') FROM t", set()),
    ],
)
def test_members_parsed_as_json_are_tied_to_their_column(
    sql: str, expected: set[tuple[str, str]]
) -> None:
    assert json_member_columns([sql]) == expected


def _header_set(tmp_path: Path, seed: str = "", insert: str = "") -> Path:
    """yaak's shape: a list of header objects, each read with ``json_extract(value, …)``."""
    root = tmp_path / "headers"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_ws.sql").write_text(
        "CREATE TABLE ws (id INTEGER PRIMARY KEY, headers TEXT NOT NULL DEFAULT '[]');\n" + seed
    )
    (root / "migrations" / "0002_default_header.sql").write_text(
        insert
        or "UPDATE ws SET headers = json_insert(headers, '$[#]', json('{\"name\":\"ua\"}'))"
        " WHERE NOT EXISTS (SELECT 1 FROM json_each(ws.headers)"
        " WHERE lower(json_extract(value, '$.name')) = 'ua');\n"
    )
    return root


def test_members_the_set_reads_as_json_are_drawn_as_objects(tmp_path: Path) -> None:
    """A bare string member of a header list is data the application never writes."""
    assert _apply_errors(_header_set(tmp_path)) == []


def test_the_set_own_string_member_still_fails(tmp_path: Path) -> None:
    root = _header_set(tmp_path, "INSERT INTO ws (id, headers) VALUES (1, '[\"ua\"]');\n")
    assert any("malformed JSON" in m for m in _apply_errors(root))


def test_a_member_without_the_key_the_file_needs_is_still_drawn(tmp_path: Path) -> None:
    """Objects without ``name`` are members too: a copy into NOT NULL meets them."""
    copy = (
        "CREATE TABLE header_names (ws_id INTEGER NOT NULL, name TEXT NOT NULL);\n"
        "INSERT INTO header_names (ws_id, name) SELECT ws.id, json_extract(value, '$.name')"
        " FROM ws, json_each(ws.headers);\n"
    )
    errors = _apply_errors(_header_set(tmp_path, insert=copy))
    assert any("NOT NULL constraint failed: header_names.name" in m for m in errors)
