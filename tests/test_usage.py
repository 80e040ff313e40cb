"""The columns a set's own SQL reads as JSON (schema/usage.py)."""

from __future__ import annotations

import pytest

from migration_harness.schema.usage import json_columns


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
        "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)",
        "not sql at all (",
    ],
)
def test_nothing_is_guessed(sql: str) -> None:
    assert json_columns([sql]) == frozenset()
