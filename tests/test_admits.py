"""migration_harness.data.admits: a row SQLite accepts, told in Python only where exact.

The property test is the proof: whatever ``admits`` accepts, SQLite accepts too, over
tables of every modelled CHECK shape, affinity, collation and default, and values of
every storage class (numbers as text, NUL inside text, NaN, huge integers). The
examples pin what it must decide (so the probe is spared) and what it must leave to SQLite.
"""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migration_harness.data import probe
from migration_harness.data.admits import admits
from migration_harness.data.dataset import Row, Value
from migration_harness.schema.model import Table, schema_from_sql

TABLES = [
    """CREATE TABLE t (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 5),
        role TEXT NOT NULL DEFAULT 'fan' CHECK (role IN ('fan', 'artist', 5)),
        n INTEGER NOT NULL DEFAULT 0 CHECK (n >= -2 AND n <> 3),
        flag INTEGER CHECK (flag IS NULL OR flag IN (0, 1)),
        doc TEXT DEFAULT '{}' CHECK (json_valid(doc)),
        anything CHECK (anything > 'm' OR anything < 2),
        r REAL CHECK (r < 10),
        num NUMERIC CHECK (num NOT BETWEEN 4 AND 6),
        at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
    )""",
    """CREATE TABLE t (
        code TEXT PRIMARY KEY COLLATE NOCASE CHECK (code <> 'x'),
        label TEXT COLLATE RTRIM CHECK (length(label) <= 3),
        score INTEGER CHECK (score < '9'),
        made TEXT NOT NULL DEFAULT (datetime('now')),
        other TEXT DEFAULT NULL CHECK (other = 'a' OR other IS NULL),
        blob BLOB CHECK (length(blob) < 3)
    ) WITHOUT ROWID""",
    """CREATE TABLE t (
        id INTEGER PRIMARY KEY,
        a INTEGER NOT NULL DEFAULT NULL,
        b TEXT NOT NULL DEFAULT (lower('X')),
        c TEXT CHECK (c = upper(c)),
        d INTEGER CHECK (d > 0),
        CHECK (d < a)
    )""",
]
# Small tables, one or two shapes each, so that many drawn rows are decided at all.
SHAPES = [
    "id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 3)",
    "role TEXT NOT NULL DEFAULT 'fan' CHECK (role IN ('fan', 'artist', 5))",
    "n INTEGER NOT NULL DEFAULT 0 CHECK (n >= -2 AND n <> 3)",
    "flag INTEGER CHECK (flag IS NULL OR flag IN (0, 1))",
    "doc TEXT DEFAULT '{}' CHECK (json_valid(doc))",
    "anything CHECK (anything > 'm' OR anything < 2)",
    "anything CHECK (NOT anything <= 1 AND anything IS NOT NULL)",
    "r REAL CHECK (r < 10)",
    "z INTEGER CHECK (z IN (0, NULL))",
    "num NUMERIC CHECK (num NOT BETWEEN 4 AND 6)",
    "t TEXT CHECK (t >= 5 AND length(t) > 1)",
    "t TEXT CHECK (t < 10)",
    "b BLOB CHECK (length(b) < 3 AND b > 'a')",
    "k TEXT PRIMARY KEY, v INTEGER CHECK (v < 2 OR v IS NULL)",
    "k TEXT PRIMARY KEY NOT NULL, v INTEGER CHECK (3 > v)",
]
TABLES += [f"CREATE TABLE t ({columns})" for columns in SHAPES]
TABLES += [f"CREATE TABLE t ({columns}) WITHOUT ROWID" for columns in SHAPES[-2:]]
VALUES: st.SearchStrategy[Value] = st.one_of(
    st.integers(),
    st.floats(allow_nan=True),
    st.sampled_from([" 7 ", "1.0", "x", "X", "a ", "1e1", "0x1"]),
    st.text(max_size=7),
)
SMALL: st.SearchStrategy[Value] = st.one_of(
    st.none(),
    st.integers(-4, 12),
    st.floats(-3, 12),
    st.sampled_from(["", "fan", "artist", "5", "55", "n", "zz", "{}", "[1", "ab\0cdef"]),
    st.binary(max_size=4),
)


@st.composite
def _rows(draw: st.DrawFn) -> tuple[Table, dict[str, Value]]:
    """A table and a row of it: each column given or omitted, mostly small values."""
    table = _table(draw(st.sampled_from(TABLES)))
    values: dict[str, Value] = {}
    for column in table.columns:
        if draw(st.integers(0, 3)):
            values[column.name] = draw(st.one_of(SMALL, VALUES) if draw(st.booleans()) else SMALL)
    return table, values


def _table(sql: str) -> Table:
    return schema_from_sql(sql).tables["t"]


def _sqlite_accepts(table: Table, values: dict[str, Value]) -> bool:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(table.sql)
        sql, params = Row("t", tuple(values.items())).insert_sql()
        conn.execute(sql, params)
    except (sqlite3.Error, OverflowError, UnicodeEncodeError):  # the last two: not bound
        return False
    finally:
        conn.close()
    return True


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_rows())
def test_what_admits_accepts_sqlite_accepts(drawn: tuple[Table, dict[str, Value]]) -> None:
    table, values = drawn
    if admits(table, values, ()):
        assert _sqlite_accepts(table, values), values


def test_the_property_sees_rows_decided_both_ways() -> None:
    """The property is no proof if hardly any drawn row is decided (or refused)."""
    decided = refused = 0

    @settings(max_examples=300, database=None, deadline=None)
    @given(_rows())
    def count(drawn: tuple[Table, dict[str, Value]]) -> None:
        nonlocal decided, refused
        table, values = drawn
        if admits(table, values, ()):
            decided += 1
        elif not _sqlite_accepts(table, values):
            refused += 1

    count()
    assert decided > 40
    assert refused > 30


def test_a_plain_valid_row_is_decided_without_sqlite() -> None:
    table = _table(TABLES[0])
    row: dict[str, Value] = {"id": 1, "name": "abc", "role": "fan", "flag": None, "r": 2}
    assert admits(table, row, ()) is True
    assert admits(table, {**row, "role": 5, "anything": "zz", "num": 7}, ()) is True
    assert admits(table, {"name": "ab\0cdefgh"}, ()) is True  # length() stops at a NUL
    assert admits(table, {"name": "abc", "doc": '{"a": [1]}', "n": -2}, ()) is True
    nullable_list = _table("CREATE TABLE t (z INTEGER CHECK (z IN (0, NULL)))")
    assert admits(nullable_list, {"z": 5}, ()) is True  # 5 IN (0, NULL) is NULL: it passes


@pytest.mark.parametrize(
    ("table", "row"),
    [
        (0, {"name": "abcdef"}),  # refused: said by the probe, not here
        (0, {"name": "a", "n": "7"}),  # text into an INTEGER column is converted
        (0, {"name": "a", "id": "1"}),  # the rowid takes integers
        (0, {"name": "a", "r": 1.5, "num": 5.0}),  # a REAL into NUMERIC is converted
        (0, {"name": "a", "anything": float("nan")}),  # NaN is stored as NULL
        (0, {"name": "a", "n": 2**70}),  # past 64 bits: not bound
        (0, {"name": None}),  # NOT NULL refusal (or ON CONFLICT REPLACE) is SQLite's
        (1, {"code": "a", "label": "ab"}),  # NOCASE text compared
        (-2, {"v": 1}),  # a WITHOUT ROWID key is never NULL
        (1, {"code": "b", "score": 3}),  # '9' in an INTEGER comparison may be a number
        (0, {"name": "a", "nope": 1}),  # no such column
        (0, {"name": "a", "n": 1, "N": 1}),  # a column named twice
        (2, {"id": 1, "b": "x"}),  # DEFAULT NULL omitted from a NOT NULL column
        (2, {"id": 1, "a": 1}),  # DEFAULT (lower('X')) is run by SQLite
    ],
)
def test_left_to_sqlite(table: int, row: dict[str, Value]) -> None:
    assert admits(_table(TABLES[table]), row, ()) is None


def test_a_trigger_or_a_strict_table_is_left_to_sqlite() -> None:
    plain = _table("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT)")
    assert admits(plain, {"id": 1, "x": "a"}, ()) is True
    assert admits(plain, {"id": 1, "x": "a"}, ("CREATE TRIGGER g ...",)) is None
    strict = _table("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT) STRICT")
    assert admits(strict, {"id": 1, "x": "a"}, ()) is None


def test_the_probe_is_spared_for_a_row_admits_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Table] = []
    real = probe._scratch

    def scratch(table: Table, triggers: tuple[str, ...] = ()) -> sqlite3.Connection:
        opened.append(table)
        return real(table, triggers)

    monkeypatch.setattr(probe, "_scratch", scratch)
    table = _table(TABLES[0])
    assert probe.accepted(table, {"id": 1, "name": "abc"})
    assert opened == []
    assert not probe.accepted(table, {"id": 1, "name": "abcdefgh"})
    assert opened == [table]
