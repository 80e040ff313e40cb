"""migration_harness.sets.sql: splitting files into statements and classifying them."""

from __future__ import annotations

import sqlite3

import pytest

from migration_harness.sets.sql import (
    Statement,
    is_blank,
    open_before,
    split_statements,
    strip_leading_comments,
)


def sqls(text: str) -> list[str]:
    return [s.sql for s in split_statements(text)]


def test_trigger_body_with_semicolons_stays_one_statement() -> None:
    text = (
        "CREATE TRIGGER trg AFTER INSERT ON a BEGIN\n"
        "  UPDATE b SET x = 1;\n"
        "  DELETE FROM c;\n"
        "END;\n"
        "SELECT 1;\n"
    )
    assert sqls(text) == [
        "CREATE TRIGGER trg AFTER INSERT ON a BEGIN\n  UPDATE b SET x = 1;\n  DELETE FROM c;\nEND;",
        "SELECT 1;",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("INSERT INTO a VALUES ('x;y');", ["INSERT INTO a VALUES ('x;y');"]),
        ('INSERT INTO a VALUES ("x;y");', ['INSERT INTO a VALUES ("x;y");']),
        ("INSERT INTO a VALUES ('it''s;');", ["INSERT INTO a VALUES ('it''s;');"]),
        ("SELECT 1; -- not; a statement\nSELECT 2;", ["SELECT 1;", "SELECT 2;"]),
        ("SELECT 1; /* a;\n b; */ SELECT 2;", ["SELECT 1;", "SELECT 2;"]),
        ("SELECT 1 /* inline; */ + 1;", ["SELECT 1 /* inline; */ + 1;"]),
    ],
    ids=[
        "single-quoted",
        "double-quoted",
        "escaped-quote",
        "line-comment",
        "block-comment",
        "comment-inside-statement",
    ],
)
def test_semicolon_inside_string_or_comment_does_not_split(text: str, expected: list[str]) -> None:
    assert sqls(text) == expected


def test_trailing_statement_without_semicolon_is_kept_unterminated() -> None:
    statements = split_statements("SELECT 1;\nSELECT 2")
    assert [(s.sql, s.terminated) for s in statements] == [("SELECT 1;", True), ("SELECT 2", False)]


def test_trailing_comment_after_last_semicolon_is_not_a_statement() -> None:
    statements = split_statements("SELECT 1;\n-- done\n")
    assert [(s.sql, s.terminated) for s in statements] == [("SELECT 1;", True)]


@pytest.mark.parametrize(
    "text", ["", "   \n\t", "-- only a comment\n", "/* block */", "-- a\n/* b; c */\n-- d;"]
)
def test_comment_only_text_gives_no_statements(text: str) -> None:
    assert split_statements(text) == []


def test_empty_statements_between_semicolons_are_dropped() -> None:
    assert sqls("SELECT 1;;  ;\nSELECT 2;") == ["SELECT 1;", "SELECT 2;"]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT 'abc;",
        'SELECT "abc;',
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET x = 1;",
    ],
    ids=["string", "quoted-identifier", "trigger-without-end"],
)
def test_unterminated_text_is_kept_as_one_incomplete_statement(text: str) -> None:
    # SQLite fails on it where production does: the file's finding, never a refusal.
    assert [(s.sql, s.complete) for s in split_statements(text)] == [(text, False)]


def test_incomplete_statement_keeps_its_starting_line() -> None:
    statements = split_statements("SELECT 1;\nSELECT 2;\nSELECT 'oops;\n")
    assert [(s.line, s.complete) for s in statements] == [(1, True), (2, True), (3, False)]


def test_block_comment_never_closed_is_a_comment_as_sqlite_reads_it() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("/* never closed; ")  # SQLite accepts it: nothing to run
    assert sqls("SELECT 1;\n/* never closed; ") == ["SELECT 1;"]


def test_statement_line_is_where_its_first_token_is() -> None:
    text = "-- header\n\nCREATE TABLE a(x);\n/* note */\n\nINSERT INTO a VALUES (1);\n"
    assert [s.line for s in split_statements(text)] == [3, 6]


def test_leading_comments_are_removed_from_statement_text() -> None:
    assert sqls("-- create it\n/* really */ CREATE TABLE a(x);") == ["CREATE TABLE a(x);"]


@pytest.mark.parametrize(
    ("sql", "keywords"),
    [
        ("create table users(id)", ("CREATE", "TABLE", "USERS")),
        ("PRAGMA foreign_keys=OFF;", ("PRAGMA", "FOREIGN_KEYS", "OFF")),
        ("begin;", ("BEGIN",)),
        ("  DROP\n INDEX  idx;", ("DROP", "INDEX", "IDX")),
    ],
)
def test_keywords_are_first_three_words_upper_cased(sql: str, keywords: tuple[str, ...]) -> None:
    assert Statement(sql, 1).keywords == keywords


@pytest.mark.parametrize(
    "sql",
    [
        "BEGIN;",
        "begin transaction;",
        "BEGIN IMMEDIATE;",
        "COMMIT;",
        "END;",
        "ROLLBACK;",
        "ROLLBACK TO sp;",
        "SAVEPOINT sp;",
        "RELEASE sp;",
    ],
)
def test_transaction_statements_are_transaction_control(sql: str) -> None:
    assert Statement(sql, 1).is_transaction_control


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;",
        "SELECT 'BEGIN';",
        "UPDATE a SET commit_sha = 'x';",
        "PRAGMA foreign_keys = OFF;",
    ],
)
def test_other_statements_are_not_transaction_control(sql: str) -> None:
    assert not Statement(sql, 1).is_transaction_control


@pytest.mark.parametrize(
    ("sql", "pragma"),
    [
        ("PRAGMA foreign_keys=OFF;", ("foreign_keys", "off")),
        ("pragma Foreign_Keys = On;", ("foreign_keys", "on")),
        ("PRAGMA main.defer_foreign_keys = 'ON';", ("defer_foreign_keys", "on")),
        ("PRAGMA integrity_check;", ("integrity_check", None)),
        ("PRAGMA foreign_key_check;", ("foreign_key_check", None)),
        ("PRAGMA table_info(users);", ("table_info", "users")),
        ("PRAGMA journal_mode = WAL", ("journal_mode", "wal")),
        # SQLite takes a quoted pragma name: this switches keys off.
        ('PRAGMA "foreign_keys" = OFF;', ("foreign_keys", "off")),
        ("PRAGMA main.'foreign_keys'=on;", ("foreign_keys", "on")),
        ("PRAGMA cache_size = -2000;", ("cache_size", "-2000")),
        ("PRAGMA /* keys */ foreign_keys = /* off */ OFF;", ("foreign_keys", "off")),
    ],
)
def test_pragma_gives_lower_cased_name_and_value(sql: str, pragma: tuple[str, str | None]) -> None:
    assert Statement(sql, 1).pragma == pragma


@pytest.mark.parametrize(
    "sql",
    ["SELECT 1;", "CREATE TABLE pragma_like(x);", "-- PRAGMA x", "SELECT 'PRAGMA x';", "PRAGMA;"],
)
def test_pragma_is_none_for_other_statements(sql: str) -> None:
    assert Statement(sql, 1).pragma is None


def test_strip_leading_comments_keeps_comments_after_first_token() -> None:
    assert strip_leading_comments("  -- a\n/* b */ SELECT 1 -- c\n") == "SELECT 1 -- c\n"


@pytest.mark.parametrize(("text", "blank"), [("-- x\n/* y */\n ", True), ("-- x\nSELECT 1", False)])
def test_is_blank_is_true_only_for_whitespace_and_comments(text: str, blank: bool) -> None:
    assert is_blank(text) is blank


def test_a_20k_statement_file_is_split_counting_each_character_once() -> None:
    """Line numbers were counted from the start of the file for every statement (quadratic).

    Issue 15, item 4: an 80,000-statement seed took minutes. No timing: the work is the
    number of characters scanned for line numbers, at most the file's length.
    """
    from migration_harness.sets import sql

    text = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);\n" + "".join(
        f"INSERT INTO t(v) VALUES ('row {i}; still row {i}');\n" for i in range(20_000)
    )
    lines = sql._Lines(text)
    statements = sql._split(text, lines)
    assert len(statements) == 20_001
    assert [s.line for s in statements[-2:]] == [20_000, 20_001]
    assert statements[-1].sql == "INSERT INTO t(v) VALUES ('row 19999; still row 19999');"
    assert lines.scanned <= len(text)
    assert split_statements(text) == statements


def test_a_text_is_split_once_and_each_caller_gets_its_own_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The checks split the same files in every example (issue 17): once per text now."""
    from migration_harness.sets import sql

    calls: list[str] = []
    split = sql._split

    def counting(text: str, lines: sql._Lines) -> list[Statement]:
        calls.append(text)
        return split(text, lines)

    monkeypatch.setattr(sql, "_split", counting)
    text = "CREATE TABLE once_only (a);\nINSERT INTO once_only VALUES (1);"
    first = sql.split_statements(text)
    first.append(Statement("SELECT 1;", 9))
    second = sql.split_statements(text)
    assert [s.sql for s in second] == [
        "CREATE TABLE once_only (a);",
        "INSERT INTO once_only VALUES (1);",
    ]
    assert second[1].line == 2
    assert calls == [text]


@pytest.mark.parametrize(
    ("sql", "wrapped", "expected"),
    [
        # Outside any transaction the outermost SAVEPOINT opens one: a PRAGMA inside it is
        # ignored by SQLite; its RELEASE ends the transaction.
        (
            "SAVEPOINT a; PRAGMA foreign_keys=OFF; RELEASE a; PRAGMA foreign_keys=OFF;",
            False,
            (False, True, True, False, False),
        ),
        # RELEASE of an inner savepoint leaves the transaction open; of the outer, ends it.
        (
            'SAVEPOINT a; SAVEPOINT b; RELEASE SAVEPOINT B; RELEASE "A";',
            False,
            (False, True, True, True, False),
        ),
        # Inside the runner's transaction savepoints nest and change nothing.
        ("SAVEPOINT a; RELEASE a; SELECT 1;", True, (True, True, True, True)),
        # ROLLBACK TO keeps the transaction; a plain COMMIT ends it.
        ("SAVEPOINT a; ROLLBACK TO a; COMMIT; SELECT 1;", False, (False, True, True, False, False)),
    ],
)
def test_open_before_follows_savepoints_outside_a_transaction(
    sql: str, wrapped: bool, expected: tuple[bool, ...]
) -> None:
    assert open_before(split_statements(sql), wrapped=wrapped) == expected


def test_a_savepoint_outside_a_transaction_really_defers_the_pragma() -> None:
    """What the test above models, asked of SQLite itself."""
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("SAVEPOINT a")
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("RELEASE a")
    assert connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
