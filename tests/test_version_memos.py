"""Work the checks repeat per example or per history step, done once per version.

Each answer depends only on its file's statements or a table's record, so it is kept;
the tests show it is reused, worked out anew for other inputs, and still right.
"""

from __future__ import annotations

import sqlite3

import pytest

from migration_harness.checks import scope, seedrows
from migration_harness.schema import determinism, sqltext
from migration_harness.schema.model import schema_from_sql
from migration_harness.sets.plans import MigrationRefusedError
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import TARGETS, Target

FILE = split_statements(
    "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT);\n"
    "ALTER TABLE t ADD COLUMN w TEXT;\n"
    "CREATE INDEX IF NOT EXISTS t_v ON t (v);\n"
)


def test_the_rerun_text_of_a_file_is_worked_out_once_per_runner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scope._rerun_sql.cache_clear()
    calls = []
    stock = scope.unguardable_statements

    def counted(statements: tuple[object, ...]) -> object:
        calls.append(statements)
        return stock(statements)  # type: ignore[arg-type]

    monkeypatch.setattr(scope, "unguardable_statements", counted)
    texts = [scope.rerun_sql(FILE) for _ in range(3)]
    assert len(calls) == 1
    assert texts[0] == texts[2]
    assert "ALTER" not in texts[0]
    assert "CREATE INDEX IF NOT EXISTS" in texts[0]
    separated = scope.rerun_sql(FILE, "--> statement-breakpoint")
    assert len(calls) == 2
    assert "--> statement-breakpoint" in separated


def test_an_empty_integrity_scope_reads_nothing() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE a (x INTEGER CHECK (x > 0))")
    ran: list[str] = []
    conn.set_trace_callback(ran.append)
    assert scope.integrity_problems(conn, (), violations=[]) == (0, (), ())
    assert ran == []
    # a scope naming a table still reads it
    assert scope.integrity_problems(conn, {"a"}, violations=[]) == (0, (), ())
    assert any("integrity_check" in sql for sql in ran)


def test_key_positions_are_kept_per_table_record_and_columns() -> None:
    schema = schema_from_sql(
        "CREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT);"
    )
    columns = ("id", "email", "name")
    rows = {"u": (columns, [(1, "a@x", "A"), (2, None, "B")])}
    first = seedrows.made_by(schema, rows)
    again = seedrows._key_positions(schema, "u", columns)
    assert again is seedrows._key_positions(schema, "u", columns)
    assert sorted(again, key=lambda k: k[0]) == [([0], True), ([1], False)]
    # the same answer as the first time; a NULL email names no row under its key
    assert {value for _, value in first[0]["u"]} == {(1,), (2,), ("a@x",)}
    # other columns read, or another record, are worked out anew
    assert seedrows._key_positions(schema, "u", ("name", "id")) == [([1], True)]
    other = schema_from_sql("CREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT, name TEXT);")
    assert seedrows._key_positions(other, "u", columns) == [([0], True)]


def test_a_file_is_planned_once_per_target_and_a_refusal_every_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sqlite, d1 = TARGETS["sqlite"], TARGETS["d1"]
    sql = "CREATE TABLE t (id INTEGER PRIMARY KEY);\nINSERT INTO t VALUES (1);\n"
    calls = []
    stock = Target._plan

    def counted(self: Target, *args: object) -> object:
        calls.append(self.name)
        return stock(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Target, "_plan", counted)
    plans = [sqlite.plan(sql, "0001.sql") for _ in range(3)]
    assert calls == ["sqlite"]
    assert plans[0] is plans[2]
    assert plans[0].wrapped
    assert [s.sql for s in plans[0].statements][1] == "INSERT INTO t VALUES (1);"
    assert d1.plan(sql, "0001.sql") is not plans[0]
    assert sqlite.plan(sql, "0002.sql", {"transaction": False}) is not plans[0]
    assert calls == ["sqlite", "d1", "sqlite"]
    for _ in range(2):
        with pytest.raises(MigrationRefusedError, match="does not exist"):
            sqlite.plan(sql, "deploy/x.sql", {"missing": "deploy/x.sql"})
    assert calls[-2:] == ["sqlite", "sqlite"]


def test_the_clock_question_is_asked_of_sqlite_once() -> None:
    determinism._clock_refusal.cache_clear()
    for _ in range(2):  # lint, then check
        refusal = determinism.clock_refusal(["a", "b"], determinism.INDEX, "julianday('now')")
        assert refusal is not None
        assert "non-deterministic" in refusal
        assert determinism.clock_refusal(("a", "b"), determinism.INDEX, "a + b") is None
    info = determinism._clock_refusal.cache_info()
    assert (info.misses, info.hits) == (2, 2)


def test_a_default_is_spelt_once_per_text() -> None:
    sqltext.normalise_default.cache_clear()
    for _ in range(3):
        assert sqltext.normalise_default("FALSE") == "0"
        assert sqltext.normalise_default("( datetime( 'now' ) )") == "(DATETIME('now'))"
    info = sqltext.normalise_default.cache_info()
    assert (info.misses, info.hits) == (2, 4)
