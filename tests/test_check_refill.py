"""``check`` on tables a file re-creates and refills from tables that still hold rows.

A summary table refilled with ``INSERT … SELECT … FROM events GROUP BY …`` and an
external-content FTS5 index rebuilt with ``'rebuild'`` get their rows back: no finding
where the refill brings back the rows, and a finding naming the refill (not "re-creates it
empty") where it does not. A table re-created with no refill, or refilled from a table the
file emptied first, keeps MH142 "re-creates it empty". A re-created virtual table counts
as re-created whether or not sqlglot parses its statement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from migration_harness.checks.recreated import recreated_empty
from migration_harness.checks.refills import refilled_tables
from migration_harness.checks.run import check_set
from migration_harness.report.findings import CheckRun, Finding
from migration_harness.schema.model import Schema, introspect
from migration_harness.sets.discovery import discover
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]
EVENTS = """CREATE TABLE events (id INTEGER PRIMARY KEY, day TEXT NOT NULL, amount INT NOT NULL);
CREATE TABLE daily (day TEXT PRIMARY KEY, total INTEGER NOT NULL);
"""
REFILL = "INSERT INTO daily SELECT day, sum(amount) FROM events GROUP BY day;\n"
NOTES = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n"
FTS = (
    "CREATE VIRTUAL TABLE notes_fts USING fts5(body, content='notes', content_rowid='id', "
    "tokenize='porter unicode61');\n"
)


def run(migration_set: MigrationSetFactory, first: str, second: str) -> CheckRun:
    root = migration_set({1: (first, None), 2: (second, None)}, layout="wrangler")
    return check_set(discover(root), TARGETS["sqlite"], checks=["apply_keeps_data"])


def losses(result: CheckRun) -> list[Finding]:
    return [f for f in result.findings if f.kind == "data_loss"]


def test_a_summary_refilled_from_a_live_table_is_quiet(
    migration_set: MigrationSetFactory,
) -> None:
    second = (
        "DROP TABLE daily;\nCREATE TABLE daily (day TEXT PRIMARY KEY, total INTEGER NOT NULL);\n"
    )
    assert losses(run(migration_set, EVENTS, second + REFILL)) == []


def test_a_refill_that_brings_back_other_rows_is_reported_naming_it(
    migration_set: MigrationSetFactory,
) -> None:
    second = (
        "UPDATE events SET amount = amount * 2 + 1;\nDROP TABLE daily;\n"
        "CREATE TABLE daily (day TEXT PRIMARY KEY, total INTEGER NOT NULL);\n" + REFILL
    )
    (finding,) = losses(run(migration_set, EVENTS, second))
    assert finding.code == "MH142"
    assert "re-creates it empty" not in finding.message


def test_rows_a_new_refill_drops_name_the_refill(migration_set: MigrationSetFactory) -> None:
    # the old table has no column n: the refill cannot run on it, the drawn rows stay
    second = (
        "DROP TABLE daily;\nCREATE TABLE daily (day TEXT PRIMARY KEY, total INTEGER, n INTEGER);\n"
        "INSERT INTO daily SELECT day, sum(amount), count(*) FROM events GROUP BY day;\n"
    )
    (finding,) = losses(run(migration_set, EVENTS, second))
    assert finding.code == "MH142"
    assert "the file refills it from events (INSERT INTO daily" in finding.message
    assert "re-creates it empty" not in finding.message


def test_a_table_recreated_with_no_refill_stays_recreated_empty(
    migration_set: MigrationSetFactory,
) -> None:
    second = (
        "DROP TABLE daily;\nCREATE TABLE daily (day TEXT PRIMARY KEY, total INTEGER NOT NULL);\n"
    )
    (finding,) = losses(run(migration_set, EVENTS, second))
    assert finding.code == "MH142"
    assert "the file re-creates it empty" in finding.message


def test_a_refill_from_a_table_the_file_emptied_first_is_still_reported(
    migration_set: MigrationSetFactory,
) -> None:
    second = (
        "DELETE FROM events;\nDROP TABLE daily;\n"
        "CREATE TABLE daily (day TEXT PRIMARY KEY, total INTEGER NOT NULL);\n" + REFILL
    )
    found = [f for f in losses(run(migration_set, EVENTS, second)) if "of daily" in f.message]
    (finding,) = found
    assert finding.code == "MH142"
    assert "the file re-creates it empty" in finding.message


def _schemas(first: str, second: str) -> tuple[Schema, Schema]:
    conn = sqlite3.connect(":memory:")
    conn.executescript(first)
    before = introspect(conn)
    conn.executescript(second)
    return before, introspect(conn)


def test_an_external_content_fts_index_rebuilt_from_its_content_is_quiet(
    migration_set: MigrationSetFactory,
) -> None:
    old = "CREATE VIRTUAL TABLE notes_fts USING fts5(body, content='notes', content_rowid='id');\n"
    second = (
        "DROP TABLE notes_fts;\n" + FTS + "INSERT INTO notes_fts(notes_fts) VALUES('rebuild');\n"
    )
    assert losses(run(migration_set, NOTES + old, second)) == []
    before, after = _schemas(NOTES + old, second)
    refilled = refilled_tables(split_statements(second), before, after)
    assert refilled["notes_fts"].sources == ("notes",)


def test_a_table_recreated_as_a_virtual_table_sqlglot_cannot_parse_is_recreated(
    migration_set: MigrationSetFactory,
) -> None:
    # sqlglot reads the rtree statement and not the fts5 one: the verdict is the same
    old = "CREATE TABLE notes_fts (id INTEGER PRIMARY KEY, body TEXT);\n"
    rtree = "CREATE VIRTUAL TABLE notes_fts USING rtree(id, a, b);\n"
    for created in (FTS, rtree):
        second = "DROP TABLE notes_fts;\n" + created
        assert recreated_empty(split_statements(second)) == {"notes_fts": "notes_fts"}
    (finding,) = losses(run(migration_set, NOTES + old, "DROP TABLE notes_fts;\n" + FTS))
    assert finding.code == "MH142"
    assert "the file re-creates it empty" in finding.message


def test_if_not_exists_of_the_source_keeps_the_refill_quiet(
    migration_set: MigrationSetFactory,
) -> None:
    # SQLite skips CREATE TABLE IF NOT EXISTS of a table that exists: events keeps its rows
    second = (
        "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, day TEXT, amount INT);\n"
        "DROP TABLE daily;\nCREATE TABLE daily (day TEXT PRIMARY KEY, total INTEGER NOT NULL);\n"
    )
    assert losses(run(migration_set, EVENTS, second + REFILL)) == []
