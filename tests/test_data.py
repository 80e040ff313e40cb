"""migration_harness.data.rows: what a step lost, changed, or dropped on purpose."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from migration_harness.data.rows import (
    MAX_REPORTED,
    Loss,
    Renames,
    compare,
    read_all,
    renames_in,
    written_tables,
)
from migration_harness.schema.model import introspect
from migration_harness.sets.sql import split_statements

BEFORE = """
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
CREATE TABLE events (kind TEXT, amount REAL);
CREATE TABLE sessions (token TEXT PRIMARY KEY, user_id INTEGER);
INSERT INTO users VALUES (1, 'a@x', 'Ann'), (2, 'b@x', 'Bob');
INSERT INTO events VALUES ('click', 1), ('click', 1), ('view', 2.5);
INSERT INTO sessions VALUES ('t1', 1), ('t2', 2);
"""


@pytest.fixture
def db() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(BEFORE)
    yield conn
    conn.close()


def step(
    conn: sqlite3.Connection,
    sql: str,
    *,
    intended: tuple[str, ...] = (),
    renames: Renames | None = None,
) -> Loss:
    """Read, run ``sql``, read again, compare."""
    before_schema = introspect(conn)
    before = read_all(conn, before_schema)
    conn.executescript(sql)
    after_schema = introspect(conn)
    return compare(
        before,
        before_schema,
        read_all(conn, after_schema),
        after_schema,
        intended=intended,
        renames=renames,
    )


def test_nothing_changed_is_no_loss(db: sqlite3.Connection) -> None:
    assert step(db, "CREATE INDEX i ON users(email);") == Loss()


def test_lost_row_is_named_by_its_primary_key(db: sqlite3.Connection) -> None:
    loss = step(db, "DELETE FROM users WHERE id = 2;")
    assert (loss.problems, loss.rows_lost, loss.cells_changed) == (
        ("users: row id=2 is lost",),
        1,
        0,
    )


def test_changed_value_names_row_column_and_both_values(db: sqlite3.Connection) -> None:
    loss = step(db, "UPDATE users SET name = NULL WHERE id = 1;")
    assert (loss.problems, loss.rows_lost, loss.cells_changed) == (
        ("users: row id=1: name changed from 'Ann' to NULL",),
        0,
        1,
    )


def test_table_without_a_key_compares_rows_as_a_multiset(db: sqlite3.Connection) -> None:
    loss = step(db, "DELETE FROM events WHERE rowid = (SELECT min(rowid) FROM events);")
    assert (loss.problems, loss.rows_lost) == (
        ("events: row (kind='click', amount=1) is lost or changed",),
        1,
    )


def test_a_changed_row_of_a_table_without_a_key_is_a_change(db: sqlite3.Connection) -> None:
    # stash 8: the copy rewrites one column; the row's new self is its only close match
    loss = step(db, "UPDATE events SET amount = 3 WHERE kind = 'view';")
    assert (loss.problems, loss.rows_lost, loss.cells_changed) == (
        ("events: row without a key: amount changed from 2.5 to 3",),
        0,
        1,
    )
    assert [(c.column, c.old, c.new) for c in loss.changes] == [("amount", 2.5, 3)]


def test_a_keyless_row_with_no_single_partner_stays_lost(db: sqlite3.Connection) -> None:
    # ('click', 2.5) is as close to the gone ('view', 2.5) as to the gone ('click', 1):
    # which row it came from is unknown, so nothing is paired
    ambiguous = step(
        db,
        "DELETE FROM events WHERE kind = 'view' OR rowid = 1;"
        " INSERT INTO events VALUES ('click', 2.5);",
    )
    assert (ambiguous.rows_lost, ambiguous.cells_changed) == (2, 0)
    # a row replaced by one that shares no value is a loss, not a change
    replaced = step(
        db, "DELETE FROM events WHERE amount = 1; INSERT INTO events VALUES ('buy', 9);"
    )
    assert (replaced.rows_lost, replaced.cells_changed) == (1, 0)


def test_number_stored_as_integer_or_real_is_the_same_value(db: sqlite3.Connection) -> None:
    rebuild = """
    CREATE TABLE events_new (kind TEXT, amount NUMERIC);
    INSERT INTO events_new SELECT * FROM events;
    DROP TABLE events;
    ALTER TABLE events_new RENAME TO events;
    """
    assert step(db, rebuild).problems == ()


def test_text_that_became_a_number_it_cannot_spell_back_is_a_change(
    db: sqlite3.Connection,
) -> None:
    # '042' is stored as 42, which reads back as '42'; '43' only changes its spelling
    # (INTEGER affinity stores it as 43, TEXT affinity gives '43' back): no change
    db.execute("INSERT INTO users VALUES (3, 'c@x', '042')")
    db.execute("INSERT INTO users VALUES (4, 'd@x', '43')")
    rebuild = """
    CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name INTEGER);
    INSERT INTO users_new SELECT * FROM users;
    DROP TABLE users;
    ALTER TABLE users_new RENAME TO users;
    """
    assert step(db, rebuild).problems == ("users: row id=3: name changed from '042' to 42",)


def test_dropped_table_is_expected_loss(db: sqlite3.Connection) -> None:
    loss = step(db, "DROP TABLE sessions;")
    assert (loss.problems, loss.expected_rows, loss.expected_cells) == ((), 2, 0)


def test_dropped_column_is_expected_loss(db: sqlite3.Connection) -> None:
    loss = step(db, "ALTER TABLE users DROP COLUMN name;")
    assert (loss.problems, loss.expected_rows, loss.expected_cells) == ((), 0, 2)


def test_tables_the_file_writes_on_purpose_are_skipped(db: sqlite3.Connection) -> None:
    sql = "DELETE FROM users WHERE id = 2; DELETE FROM sessions WHERE token = 't2';"
    loss = step(db, sql, intended=("USERS",))
    assert loss.problems == ("sessions: row token='t2' is lost",)


def test_rebuild_that_keeps_every_row_is_no_loss(db: sqlite3.Connection) -> None:
    rebuild = """
    CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT);
    INSERT INTO users_new (id, email, name) SELECT id, email, name FROM users;
    DROP TABLE users;
    ALTER TABLE users_new RENAME TO users;
    """
    assert step(db, rebuild) == Loss()


def test_problems_are_capped_but_every_loss_is_counted(db: sqlite3.Connection) -> None:
    db.executemany("INSERT INTO users VALUES (?, 'x', 'y')", [(i,) for i in range(10, 20)])
    loss = step(db, "DELETE FROM users;")
    assert (len(loss.problems), loss.rows_lost) == (MAX_REPORTED, 12)


# --- renames ----------------------------------------------------------------------------


def test_renamed_column_keeps_its_values(db: sqlite3.Connection) -> None:
    sql = "ALTER TABLE users RENAME COLUMN name TO display_name;"
    assert step(db, sql, renames=renames_in(split_statements(sql))) == Loss()


def test_renamed_column_without_renames_looks_dropped(db: sqlite3.Connection) -> None:
    loss = step(db, "ALTER TABLE users RENAME COLUMN name TO display_name;")
    assert (loss.problems, loss.expected_cells) == ((), 2)


def test_renamed_table_keeps_its_rows(db: sqlite3.Connection) -> None:
    sql = "ALTER TABLE sessions RENAME TO user_sessions;"
    assert step(db, sql, renames=renames_in(split_statements(sql))) == Loss()


def test_dropping_a_renamed_column_back_loses_its_values(db: sqlite3.Connection) -> None:
    forward = renames_in(split_statements("ALTER TABLE users RENAME COLUMN name TO nick;"))
    db.execute("ALTER TABLE users RENAME COLUMN name TO nick")
    rollback = "ALTER TABLE users DROP COLUMN nick; ALTER TABLE users ADD COLUMN name TEXT;"
    loss = step(db, rollback, renames=forward.inverse())
    assert loss.problems == (
        "users: row id=1: nick changed from 'Ann' to NULL",
        "users: row id=2: nick changed from 'Bob' to NULL",
    )
    assert loss.expected_cells == 0


def test_scratch_table_renamed_over_the_old_one_is_not_a_table_rename(
    db: sqlite3.Connection,
) -> None:
    rebuild = """
    CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
    INSERT INTO users_new SELECT id, email, name FROM users WHERE id = 1;
    DROP TABLE users;
    ALTER TABLE users_new RENAME TO users;
    """
    loss = step(db, rebuild, renames=renames_in(split_statements(rebuild)))
    assert loss.problems == ("users: row id=2 is lost",)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("ALTER TABLE a RENAME TO b;", Renames((("a", "b"),))),
        ('ALTER TABLE "my t" RENAME TO [your t];', Renames((("my t", "your t"),))),
        ("alter table main.a rename to b;", Renames((("a", "b"),))),
        ("ALTER TABLE a RENAME COLUMN x TO y;", Renames(columns=(("a", "x", "y"),))),
        ("ALTER TABLE a RENAME `x` TO y;", Renames(columns=(("a", "x", "y"),))),
        ("ALTER TABLE a ADD COLUMN to_do TEXT;", Renames()),
        ("ALTER TABLE a RENAME TO to_b;", Renames((("a", "to_b"),))),
    ],
)
def test_renames_in(sql: str, expected: Renames) -> None:
    assert renames_in(split_statements(sql)) == expected


def test_inverse_renames_name_columns_by_their_table_after_the_file() -> None:
    forward = renames_in(
        split_statements("ALTER TABLE a RENAME COLUMN x TO y; ALTER TABLE a RENAME TO b;")
    )
    assert forward.inverse() == Renames((("b", "a"),), (("b", "y", "x"),))


# --- which tables a file writes on purpose -------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "tables"),
    [
        ("UPDATE products SET price = price * 100;", {"products"}),
        ("UPDATE OR IGNORE products SET price = 1;", {"products"}),
        ("DELETE FROM sessions WHERE expires_at < 0;", {"sessions"}),
        ("REPLACE INTO settings (k, v) VALUES ('a', 1);", {"settings"}),
        ("INSERT OR REPLACE INTO settings (k, v) VALUES ('a', 1);", {"settings"}),
        ("INSERT INTO s (k) VALUES ('a') ON CONFLICT (k) DO UPDATE SET v = 2;", {"s"}),
        ('DELETE FROM "Users";', {"users"}),
        ("INSERT INTO genres (name) VALUES ('rock');", set()),
        ("INSERT OR IGNORE INTO users_new SELECT * FROM users;", set()),
        ("INSERT INTO s (k) VALUES ('a') ON CONFLICT DO NOTHING;", set()),
        ("CREATE TABLE t (id INTEGER PRIMARY KEY);", set()),
    ],
)
def test_written_tables(sql: str, tables: set[str]) -> None:
    assert written_tables(split_statements(sql)) == tables
