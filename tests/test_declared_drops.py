"""Drops a file states in so many words are judged alike, however they are spelled.

From openstatus (drizzle): 0003 renames its incident tables to ``*_old`` and drops them
(an MH141 error, while a plain ``DROP TABLE`` + ``CREATE TABLE`` was MH142); 0004 renames
``updated_at`` to ``created_at`` and adds a new ``updated_at`` (every value kept, reported
lost); 0008 drops ``status`` and adds it back with a default (an error, while a bare
``DROP COLUMN`` is no check finding at all). Twins show a real loss of the same shapes
still reported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from migration_harness.checks.run import check_set
from migration_harness.report.findings import CheckRun
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]
INCIDENT = "CREATE TABLE incident (id INTEGER PRIMARY KEY, title TEXT NOT NULL);"
PAGE = "CREATE TABLE page (id INTEGER PRIMARY KEY, updated_at INTEGER NOT NULL);"
MONITOR = "CREATE TABLE monitor (id INTEGER PRIMARY KEY, status TEXT);"


def run(migration_set: MigrationSetFactory, first: str, second: str) -> CheckRun:
    root = migration_set({1: (first, None), 2: (second, None)}, layout="wrangler")
    return check_set(discover(root), TARGETS["sqlite"], checks=["apply_keeps_data"])


def loss_codes(result: CheckRun) -> set[str]:
    return {f.code for f in result.findings if f.kind == "data_loss"}


def test_a_table_renamed_away_and_dropped_is_recreated_empty(
    migration_set: MigrationSetFactory,
) -> None:
    second = """ALTER TABLE incident RENAME TO incident_old;
DROP TABLE incident_old;
CREATE TABLE incident (id INTEGER PRIMARY KEY, title TEXT NOT NULL, status TEXT);
"""
    result = run(migration_set, INCIDENT, second)
    (finding,) = [f for f in result.findings if f.kind == "data_loss"]
    assert finding.code == "MH142"
    assert "DROP TABLE incident_old … CREATE TABLE incident" in finding.message


def test_a_renamed_copy_that_loses_rows_stays_a_loss(migration_set: MigrationSetFactory) -> None:
    second = """ALTER TABLE incident RENAME TO incident_old;
CREATE TABLE incident (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
INSERT INTO incident SELECT id, title FROM incident_old WHERE length(title) > 3;
DROP TABLE incident_old;
"""
    assert loss_codes(run(migration_set, INCIDENT, second)) == {"MH141"}


def test_a_renamed_column_whose_old_name_is_added_again_keeps_its_values(
    migration_set: MigrationSetFactory,
) -> None:
    second = """ALTER TABLE page RENAME COLUMN updated_at TO created_at;
ALTER TABLE page ADD updated_at INTEGER;
"""
    assert loss_codes(run(migration_set, PAGE, second)) == set()


def test_the_values_under_the_new_name_are_still_compared(
    migration_set: MigrationSetFactory,
) -> None:
    second = """ALTER TABLE page RENAME COLUMN updated_at TO created_at;
ALTER TABLE page ADD updated_at INTEGER;
CREATE TABLE page_new (id INTEGER PRIMARY KEY, created_at INTEGER, updated_at INTEGER);
INSERT INTO page_new (id, updated_at) SELECT id, updated_at FROM page;
DROP TABLE page;
ALTER TABLE page_new RENAME TO page;
"""
    assert loss_codes(run(migration_set, PAGE, second)) == {"MH141"}


def test_a_column_dropped_and_added_again_holds_the_files_values(
    migration_set: MigrationSetFactory,
) -> None:
    second = """ALTER TABLE monitor DROP COLUMN status;
ALTER TABLE monitor ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
"""
    result = run(migration_set, MONITOR, second)
    (finding,) = [f for f in result.findings if f.kind == "data_loss"]
    assert finding.code == "MH142"
    assert "monitor.status is dropped and added again by the file" in finding.message
