"""Rows as SQLite stores them: TEXT that is not UTF-8, BLOBs in TEXT columns, infinite REALs.

A rollback writing ``CAST(blob AS TEXT)`` crashed a real check after twelve minutes with
"Could not decode to UTF-8 column" and no report (issue 14, item 9).
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.data.rows import compare, read_all
from migration_harness.data.strategies import Dataset, Row, read_rows, sql_literal
from migration_harness.data.values import RawText
from migration_harness.schema.model import introspect
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"


@pytest.fixture
def conn() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT, score REAL)")
    db.execute("INSERT INTO t VALUES (1, CAST(X'1f8b0800' AS TEXT), 9e999)")
    db.execute("INSERT INTO t VALUES (2, X'00ff', -9e999)")
    db.execute("INSERT INTO t VALUES (3, 'plain', 1.5)")
    return db


def test_text_that_is_not_utf8_is_read_as_its_bytes(conn: sqlite3.Connection) -> None:
    (_, rows) = read_all(conn, introspect(conn))["t"]
    assert rows[0] == (1, RawText(b"\x1f\x8b\x08\x00"), math.inf)
    assert type(rows[0][1]) is RawText
    assert rows[2] == (3, "plain", 1.5)  # the rest of the table reads as usual


def test_read_rows_for_the_engine_does_not_fail_either(conn: sqlite3.Connection) -> None:
    rows = read_rows(conn, introspect(conn))["t"]
    assert rows[0]["body"] == RawText(b"\x1f\x8b\x08\x00")
    assert rows[1]["body"] == b"\x00\xff"


def test_the_connection_decodes_text_as_before_after_a_tolerant_read(
    conn: sqlite3.Connection,
) -> None:
    read_all(conn, introspect(conn))
    assert conn.text_factory is str


def test_such_values_are_shown_as_the_sql_that_stores_them() -> None:
    assert sql_literal(RawText(b"\xff")) == "CAST(X'ff' AS TEXT)"
    assert sql_literal(b"\xff") == "X'ff'"
    assert (sql_literal(math.inf), sql_literal(-math.inf), sql_literal(math.nan)) == (
        "9e999",
        "-9e999",
        "NULL",
    )


def test_rendered_literals_store_the_same_values_again() -> None:
    db = sqlite3.connect(":memory:")
    db.text_factory = bytes
    values = (RawText(b"\xff\xfe"), b"\xff", math.inf)
    literals = ", ".join(sql_literal(v) for v in values)
    row = db.execute(f"SELECT {literals}, typeof({sql_literal(values[0])})").fetchone()
    assert row == (b"\xff\xfe", b"\xff", math.inf, b"text")


def test_json_of_such_values_is_valid_json() -> None:
    dataset = Dataset((Row("t", (("body", RawText(b"\xff")), ("score", math.inf))),))
    text = json.dumps(dataset.to_json(), allow_nan=False)
    assert json.loads(text) == [
        {"table": "t", "values": {"body": {"text_hex": "ff"}, "score": {"real": "inf"}}}
    ]


def test_text_bytes_and_a_blob_of_the_same_bytes_differ(conn: sqlite3.Connection) -> None:
    schema = introspect(conn)
    before = read_all(conn, schema)
    conn.execute("UPDATE t SET body = CAST(body AS BLOB) WHERE id = 1")
    loss = compare(before, schema, read_all(conn, schema), schema)
    assert loss.problems == (
        "t: row id=1: body changed from CAST(X'1f8b0800' AS TEXT) to X'1f8b0800'",
    )


def test_unchanged_such_values_are_no_loss(conn: sqlite3.Connection) -> None:
    schema = introspect(conn)
    before = read_all(conn, schema)
    assert compare(before, schema, read_all(conn, schema), schema).problems == ()


def test_planted_rollback_writing_text_that_is_not_utf8_is_a_finding() -> None:
    mset = discover(EXAMPLES / "rollback_casts_blob_to_text")
    run = check_set(mset, TARGETS["sqlite"], profile="dev", checks=["rollback_keeps_data"])
    (finding,) = run.findings
    assert (finding.kind, finding.direction) == ("data_loss", "rollback")
    assert finding.details == (
        "requests: row id=1000000: request_data changed from X'1f8b0800' to "
        "CAST(X'1f8b0800' AS TEXT)",
    )
