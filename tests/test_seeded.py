"""Existing rows are remembered once per version and copied into each example.

The copy must equal remembering the rows one by one (the old loop): the same rows in the
same order, the same UNIQUE keys, the same parent keys in the same order, the same owners
of text keys. Otherwise a draw, and so a finding, could change.
"""

from __future__ import annotations

import sqlite3

from migration_harness.data.keyspace import KeySpace
from migration_harness.data.strategies import _plans, _State
from migration_harness.schema.model import introspect

SCHEMA = """
CREATE TABLE p (id TEXT PRIMARY KEY, code TEXT UNIQUE COLLATE NOCASE, n INTEGER);
CREATE TABLE c (id INTEGER PRIMARY KEY, p_id TEXT REFERENCES p(id), code TEXT REFERENCES p(code));
"""


def _state(existing: dict[str, list[dict[str, object]]], *, slow: bool) -> _State:
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    schema = introspect(conn)
    plans = _plans(schema, ("p", "c"))
    state = _State(existing, plans, KeySpace({}, {"p": ("code",)}))  # type: ignore[arg-type]
    if slow:
        state._shared.clear()  # the old path: every row remembered one by one
    return state


def test_the_copied_record_equals_remembering_each_row() -> None:
    rows: list[dict[str, object]] = [
        {"id": "a", "code": "X", "n": 1},
        {"id": "b", "code": "x", "n": None},  # the same key under NOCASE
        {"id": "c", "code": None, "n": 2},
        {"id": "a2", "code": "Y", "n": 2},
    ]
    existing = {"p": rows}
    fast, slow = _state(existing, slow=False), _state(existing, slow=True)  # type: ignore[arg-type]
    assert fast.rows("p") == slow.rows("p")
    assert fast.rows("p") is not rows  # the version's list is never handed out
    assert fast.keys == slow.keys
    assert fast.space._owner == slow.space._owner
    for fk in fast.plans["c"].table.foreign_keys:
        assert fast.parents(fk) == slow.parents(fk)


def test_a_second_example_copies_the_same_record_without_sharing_it() -> None:
    rows: list[dict[str, object]] = [{"id": str(i), "code": f"c{i}", "n": i} for i in range(50)]
    existing = {"p": rows}
    first, second = _state(existing, slow=False), _state(existing, slow=False)  # type: ignore[arg-type]
    first.rows("p").append({"id": "new", "code": "new", "n": 0})
    first.keys["p", ("code",)].add(("zzz",))
    assert len(second.rows("p")) == 50
    assert ("zzz",) not in second.keys["p", ("code",)]
    assert len(rows) == 50
