"""schema.audit: which foreign keys an index (really used by the planner) serves."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from migration_harness.schema.audit import Coverage, audit_foreign_keys, uncovered
from migration_harness.schema.model import introspect
from migration_harness.sets import runner
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

DB = Path(__file__).resolve().parent.parent / "db"

PARENT = "CREATE TABLE users(id INTEGER PRIMARY KEY);\n"
POSTS = "CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n"


@pytest.fixture
def memory() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    yield conn
    conn.close()


def audit_sql(conn: sqlite3.Connection, sql: str) -> list[Coverage]:
    conn.executescript(sql)
    return audit_foreign_keys(conn, introspect(conn))


def umbrella_uncovered(conn: sqlite3.Connection, version: int) -> list[str]:
    runner.migrate(conn, discover(DB), TARGETS["d1"], to=version)
    schema = introspect(conn, exclude=runner.BOOKKEEPING_TABLES)
    return [c.foreign_key.describe() for c in uncovered(audit_foreign_keys(conn, schema))]


def test_umbrella_at_version_11_has_exactly_reviews_reviewer_uncovered(
    memory: sqlite3.Connection,
) -> None:
    assert umbrella_uncovered(memory, 11) == ["reviews(reviewer_user_id) -> users(id)"]


def test_umbrella_at_version_12_has_every_foreign_key_covered(
    memory: sqlite3.Connection,
) -> None:
    assert umbrella_uncovered(memory, 12) == []


def test_plain_index_on_the_child_column_covers_the_key(memory: sqlite3.Connection) -> None:
    [coverage] = audit_sql(
        memory, PARENT + POSTS + "CREATE INDEX idx_posts_user ON posts(user_id);"
    )
    assert (coverage.index, coverage.is_covered) == ("idx_posts_user", True)
    assert coverage.plan.startswith("SEARCH posts USING")


def test_unindexed_key_is_uncovered_and_the_plan_says_scan(memory: sqlite3.Connection) -> None:
    [coverage] = audit_sql(memory, PARENT + POSTS)
    assert (coverage.index, coverage.is_covered, coverage.plan) == (None, False, "SCAN posts")
    assert coverage.describe() == "posts(user_id) -> users(id): no index (SCAN posts)"


def test_key_covered_only_by_a_partial_index_counts_as_uncovered(
    memory: sqlite3.Connection,
) -> None:
    [coverage] = audit_sql(
        memory,
        PARENT + "CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id),"
        " deleted INTEGER NOT NULL DEFAULT 0);"
        "CREATE INDEX idx_posts_live_user ON posts(user_id) WHERE deleted = 0;",
    )
    assert (coverage.index, coverage.is_covered) == (None, False)


def test_composite_index_led_by_the_key_column_covers_it(memory: sqlite3.Connection) -> None:
    [coverage] = audit_sql(
        memory,
        PARENT + "CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id),"
        " created TEXT);"
        "CREATE INDEX idx_posts_user_created ON posts(user_id, created);",
    )
    assert (coverage.index, coverage.is_covered) == ("idx_posts_user_created", True)


def test_composite_index_with_the_key_column_second_does_not_cover_it(
    memory: sqlite3.Connection,
) -> None:
    [coverage] = audit_sql(
        memory,
        PARENT + "CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id),"
        " created TEXT);"
        "CREATE INDEX idx_posts_created_user ON posts(created, user_id);",
    )
    assert (coverage.index, coverage.is_covered) == (None, False)


def test_integer_primary_key_child_column_counts_as_covered(memory: sqlite3.Connection) -> None:
    [coverage] = audit_sql(
        memory,
        PARENT + "CREATE TABLE profiles(user_id INTEGER PRIMARY KEY REFERENCES users(id),"
        " bio TEXT);",
    )
    assert (coverage.index, coverage.is_covered) == ("rowid", True)


def test_unique_constraint_on_the_child_column_covers_the_key(memory: sqlite3.Connection) -> None:
    [coverage] = audit_sql(
        memory,
        PARENT + "CREATE TABLE artists(id TEXT PRIMARY KEY,"
        " user_id INTEGER NOT NULL UNIQUE REFERENCES users(id));",
    )
    assert coverage.index == "sqlite_autoindex_artists_2"
    assert coverage.is_covered


def test_composite_key_covered_by_an_index_in_another_column_order(
    memory: sqlite3.Connection,
) -> None:
    [coverage] = audit_sql(
        memory,
        "CREATE TABLE p(a INTEGER, b INTEGER, PRIMARY KEY (a, b));"
        "CREATE TABLE c(id INTEGER PRIMARY KEY, a INTEGER, b INTEGER,"
        " FOREIGN KEY (a, b) REFERENCES p(a, b));"
        "CREATE INDEX idx_c_b_a ON c(b, a);",
    )
    assert (coverage.index, coverage.is_covered) == ("idx_c_b_a", True)


def test_audit_is_read_only(memory: sqlite3.Connection) -> None:
    memory.executescript(PARENT + POSTS)

    def snapshot() -> tuple[object, ...]:
        schema_version = memory.execute("PRAGMA schema_version").fetchone()
        return memory.total_changes, schema_version, memory.in_transaction

    before = snapshot()
    audit_foreign_keys(memory, introspect(memory))
    assert snapshot() == before
