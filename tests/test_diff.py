"""schema.diff: every kind of schema difference, in the exact words a person reads."""

from __future__ import annotations

import pytest

from migration_harness.schema.diff import diff_schemas
from migration_harness.schema.model import Schema, schema_from_sql

USERS = (
    "CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT NOT NULL, role TEXT DEFAULT 'fan');\n"
)
REVIEWS = (
    "CREATE TABLE reviews(id INTEGER PRIMARY KEY,\n"
    "  reviewer_user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,\n"
    "  rating INTEGER CHECK (rating BETWEEN 1 AND 5));\n"
)
INDEX = "CREATE INDEX idx_reviews_reviewer ON reviews(reviewer_user_id);\n"
TRIGGER = (
    "CREATE TRIGGER trg_users_gone AFTER DELETE ON users BEGIN\n"
    "  DELETE FROM reviews WHERE reviewer_user_id = old.id;\n"
    "END;\n"
)
VIEW = "CREATE VIEW v_users AS SELECT id, email FROM users;\n"
BASE = USERS + REVIEWS + INDEX + TRIGGER + VIEW


@pytest.fixture(scope="module")
def base() -> Schema:
    return schema_from_sql(BASE)


def differences(base: Schema, actual_sql: str) -> tuple[str, ...]:
    return diff_schemas(base, schema_from_sql(actual_sql)).differences


def test_equal_schemas_give_an_empty_falsy_diff(base: Schema) -> None:
    diff = diff_schemas(base, schema_from_sql(BASE))
    assert (diff.differences, bool(diff), diff.render()) == ((), False, "")


def test_a_real_difference_makes_the_diff_truthy(base: Schema) -> None:
    assert diff_schemas(base, schema_from_sql(BASE + "CREATE TABLE extra(x);"))


def test_table_missing(base: Schema) -> None:
    assert differences(base, USERS) == (
        "table reviews is missing",
        "trigger trg_users_gone is missing",
        "view v_users is missing",
    )


def test_table_unexpected(base: Schema) -> None:
    assert differences(base, BASE + "CREATE TABLE extra(x);") == ("table extra is unexpected",)


def test_table_names_match_case_insensitively(base: Schema) -> None:
    assert differences(base, BASE.replace("TABLE users(", "TABLE Users(")) == ()


def test_column_missing(base: Schema) -> None:
    assert differences(base, BASE.replace(", role TEXT DEFAULT 'fan'", "")) == (
        "column users.role is missing",
    )


def test_column_unexpected(base: Schema) -> None:
    assert differences(base, BASE.replace("DEFAULT 'fan'", "DEFAULT 'fan', nick TEXT")) == (
        "column users.nick is unexpected",
    )


def test_column_type_differs(base: Schema) -> None:
    assert differences(base, BASE.replace("email TEXT NOT NULL", "email BLOB NOT NULL")) == (
        "column users.email: type differs (expected TEXT, got BLOB)",
    )


def test_column_not_null_differs(base: Schema) -> None:
    assert differences(base, BASE.replace("email TEXT NOT NULL", "email TEXT")) == (
        "column users.email: NOT NULL differs (expected True, got False)",
    )


def test_column_default_differs(base: Schema) -> None:
    assert differences(base, BASE.replace("DEFAULT 'fan'", "DEFAULT 'artist'")) == (
        "column users.role: DEFAULT differs (expected 'fan', got 'artist')",
    )


def test_column_default_removed_reads_none(base: Schema) -> None:
    assert differences(base, BASE.replace(" DEFAULT 'fan'", "")) == (
        "column users.role: DEFAULT differs (expected 'fan', got none)",
    )


def test_column_order_differs(base: Schema) -> None:
    swapped = BASE.replace(
        "email TEXT NOT NULL, role TEXT DEFAULT 'fan'",
        "role TEXT DEFAULT 'fan', email TEXT NOT NULL",
    )
    assert differences(base, swapped) == (
        "table users: column order differs (expected id, email, role)",
    )


def test_foreign_key_missing(base: Schema) -> None:
    assert differences(base, BASE.replace(" REFERENCES users(id) ON DELETE CASCADE", "")) == (
        "foreign key on reviews reviews(reviewer_user_id) -> users(id) ON DELETE CASCADE "
        "is missing",
    )


def test_foreign_key_on_delete_differs(base: Schema) -> None:
    assert differences(base, BASE.replace("ON DELETE CASCADE", "ON DELETE SET NULL")) == (
        "foreign key reviews(reviewer_user_id) -> users(id): ON DELETE differs "
        "(expected CASCADE, got SET NULL)",
    )


def test_index_missing(base: Schema) -> None:
    diff = diff_schemas(base, schema_from_sql(BASE.replace(INDEX, "")))
    line = "index idx_reviews_reviewer on reviews(reviewer_user_id) is missing"
    assert (diff.differences, diff.render()) == ((line,), f"- {line}")


def test_index_unexpected_shows_unique_and_where(base: Schema) -> None:
    extra = "CREATE UNIQUE INDEX idx_users_email ON users(email) WHERE email <> '';"
    assert differences(base, BASE + extra) == (
        "index unique idx_users_email on users(email) WHERE email <> '' is unexpected",
    )


def test_unique_constraint_missing(base: Schema) -> None:
    unique_email = BASE.replace("email TEXT NOT NULL,", "email TEXT NOT NULL UNIQUE,")
    assert diff_schemas(schema_from_sql(unique_email), base).differences == (
        "index UNIQUE constraint on users(email) is missing",
    )


def test_check_differs(base: Schema) -> None:
    assert differences(base, BASE.replace("BETWEEN 1 AND 5", "BETWEEN 1 AND 10")) == (
        "CHECK on reviews (rating BETWEEN 1 AND 10) is unexpected",
        "CHECK on reviews (rating BETWEEN 1 AND 5) is missing",
    )


def test_a_check_moved_to_table_level_is_the_same_check(base: Schema) -> None:
    """SQLite tests a column's CHECK and a table's alike: where it is written is no change."""
    moved = BASE.replace(
        "rating INTEGER CHECK (rating BETWEEN 1 AND 5));",
        "rating INTEGER, CHECK (rating BETWEEN 1 AND 5));",
    )
    assert differences(base, moved) == ()
    dropped = BASE.replace(" CHECK (rating BETWEEN 1 AND 5)", "")
    assert differences(base, dropped) == ("CHECK on reviews (rating BETWEEN 1 AND 5) is missing",)


def test_trigger_missing(base: Schema) -> None:
    assert differences(base, BASE.replace(TRIGGER, "")) == ("trigger trg_users_gone is missing",)


def test_trigger_unexpected(base: Schema) -> None:
    extra = "CREATE TRIGGER trg_more AFTER INSERT ON users BEGIN SELECT 1; END;"
    assert differences(base, BASE + extra) == ("trigger trg_more is unexpected",)


def test_trigger_definition_differs(base: Schema) -> None:
    changed = BASE.replace("WHERE reviewer_user_id = old.id", "WHERE id = old.id")
    assert differences(base, changed) == (
        "trigger trg_users_gone: definition differs (-reviewer_user_id +id)",
    )


def test_view_missing(base: Schema) -> None:
    assert differences(base, BASE.replace(VIEW, "")) == ("view v_users is missing",)


def test_view_definition_differs(base: Schema) -> None:
    assert differences(base, BASE.replace("SELECT id, email", "SELECT id, role")) == (
        "view v_users: definition differs (-email +role)",
    )


def test_view_definition_differs_names_whole_numbers() -> None:
    before = schema_from_sql("CREATE TABLE t(x); CREATE VIEW v AS SELECT x FROM t WHERE x > 10000;")
    after = schema_from_sql("CREATE TABLE t(x); CREATE VIEW v AS SELECT x FROM t WHERE x > 20000;")
    assert diff_schemas(before, after).differences == (
        "view v: definition differs (-10000 +20000)",
    )


def test_strict_flag_differs() -> None:
    before = schema_from_sql("CREATE TABLE t(a INTEGER);")
    after = schema_from_sql("CREATE TABLE t(a INTEGER) STRICT;")
    assert diff_schemas(before, after).differences == (
        "table t: strict differs (expected False, got True)",
    )


def test_render_puts_one_difference_per_line(base: Schema) -> None:
    rendered = diff_schemas(base, schema_from_sql(USERS)).render()
    assert rendered.splitlines() == [
        "- table reviews is missing",
        "- trigger trg_users_gone is missing",
        "- view v_users is missing",
    ]
