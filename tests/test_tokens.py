"""Identifiers as SQLite reads them: quoted names with spaces, letters outside ASCII.

Regexes over identifiers cut ``"order items"`` in two and skipped ``"Ünïcode"``: those
tables got no rows and their defects went unseen (issue 14, item 11).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.checks.scope import (
    affected_tables,
    irreversible_operations,
    unguardable_statements,
)
from migration_harness.data.rows import Renames, renames_in, written_tables
from migration_harness.schema.model import introspect
from migration_harness.sets.discovery import discover
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import TARGETS
from migration_harness.sets.tokens import names_in, object_named, written_table

EXAMPLES = Path(__file__).parent / "examples"
SCHEMA_SQL = (
    'CREATE TABLE "order items"(id INTEGER PRIMARY KEY, qty INTEGER);'
    'CREATE TABLE "Ünïcode"(id INTEGER PRIMARY KEY, name TEXT);'
    "CREATE TABLE plain(x);"
)


def tables_touched(sql: str) -> set[str]:
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA_SQL)
    return affected_tables(introspect(conn), split_statements(sql))


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ('UPDATE "order items" SET qty = qty * 2;', {"order items"}),
        ("INSERT INTO `order items`(qty) VALUES (1);", {"order items"}),
        ("DELETE FROM [order items];", {"order items"}),
        ("INSERT INTO \"Ünïcode\"(name) VALUES ('x');", {"Ünïcode"}),
        ("INSERT INTO Ünïcode(name) VALUES ('x');", {"Ünïcode"}),
        ("REPLACE INTO main.plain VALUES (1);", {"plain"}),
    ],
)
def test_tables_a_statement_names_are_found_whatever_their_quoting(
    sql: str, expected: set[str]
) -> None:
    assert tables_touched(sql) == expected


def test_a_name_is_not_cut_at_its_space() -> None:
    # "order items" once read as the words order and items: a table named items matched.
    names = names_in('UPDATE "order items" SET qty = 1')
    assert names == frozenset({"update", "order items", "set", "qty"})


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('UPDATE "order items" SET qty = qty * 2', "order items"),
        ('UPDATE OR IGNORE "a""b" SET x = 1', 'a"b'),
        ("DELETE FROM main.[order items]", "order items"),
        ("REPLACE INTO Ünïcode VALUES (1)", "Ünïcode"),
        ("INSERT OR REPLACE INTO `x y` VALUES (1)", "x y"),
        ("INSERT INTO t(a) VALUES (1) ON CONFLICT(a) DO UPDATE SET a = 2", "t"),
        ('WITH c AS (SELECT 1) UPDATE "order items" SET qty = 1', "order items"),
        ("INSERT INTO t VALUES (1)", None),
    ],
)
def test_the_table_a_write_rewrites(sql: str, table: str | None) -> None:
    assert written_table(sql) == table


def test_written_tables_of_a_file_are_lower_cased_whole_names() -> None:
    statements = split_statements('UPDATE "Order Items" SET qty = 1;\nDELETE FROM "Ünïcode";')
    assert written_tables(statements) == {"order items", "ünïcode"}


def test_renames_with_quoted_names_are_followed() -> None:
    sql = (
        'ALTER TABLE "order items" RENAME TO [line items];\n'
        'ALTER TABLE "line items" RENAME COLUMN "unit qty" TO `qty`;\n'
    )
    assert renames_in(split_statements(sql)) == Renames(
        (("order items", "line items"),), (("line items", "unit qty", "qty"),)
    )


def test_a_rebuild_of_a_quoted_table_is_unguardable_as_a_whole() -> None:
    sql = (
        'CREATE TABLE "order items_new"(id INTEGER PRIMARY KEY, qty INTEGER);\n'
        'INSERT INTO "order items_new" SELECT * FROM "order items";\n'
        'DROP TABLE "order items";\n'
        'ALTER TABLE "order items_new" RENAME TO "order items";\n'
        'CREATE INDEX "order items qty" ON "order items"(qty);\n'
        "CREATE TABLE IF NOT EXISTS other(x);\n"
    )
    statements = split_statements(sql)
    assert [s.line for s in unguardable_statements(statements)] == [1, 2, 3, 4, 5]
    assert "table rebuild (create, copy, drop, rename)" in irreversible_operations(statements)


def test_the_index_a_create_or_drop_names() -> None:
    assert object_named('CREATE UNIQUE INDEX IF NOT EXISTS main."ix a" ON t(a)', "CREATE") == (
        "INDEX",
        "ix a",
    )
    assert object_named("DROP TRIGGER IF EXISTS [Ünï tr]", "DROP") == ("TRIGGER", "ünï tr")


def test_quoted_tables_get_rows_and_their_defects_are_found() -> None:
    run = check_set(
        discover(EXAMPLES / "quoted_names"),
        TARGETS["sqlite"],
        profile="dev",
        checks=["idempotent", "rollback_keeps_data"],
    )
    assert sorted((f.kind, f.migration) for f in run.findings) == [
        ("data_loss", "0003_notes"),
        ("not_idempotent", "0002_double_quantities"),
    ]
    (loss,) = [f for f in run.findings if f.kind == "data_loss"]
    assert loss.details[0].startswith("Ünïcode: row id=")


def test_a_seed_files_bulk_insert_is_not_kept_in_the_token_cache() -> None:
    """Issue 15: the cache held the tokens of every statement of a 1,000,000-row seed."""
    from migration_harness.sets import tokens as module

    bulk = "INSERT INTO users(id, name) VALUES " + ", ".join(
        f"({i}, 'user {i}')" for i in range(2_000)
    )
    assert len(bulk) > module.CACHED_CHARS
    before = module._cached.cache_info().currsize
    found = module.tokens(bulk)
    assert found is not None
    assert found[0].word == "INSERT"
    assert module._cached.cache_info().currsize == before
    assert module.tokens("SELECT 1") is module.tokens("SELECT 1")  # short ones stay cached
