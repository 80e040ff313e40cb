"""MH321 quoted-name-as-text and MH316 double-quoted-string: which "name" SQLite reads as text.

Each defect twin names a column of the table written that the tables read do not have at that
point of the file (SQLite's double-quoted-string legacy then writes the text); each clean twin
differs by the one thing that makes the name resolve, or makes the text intended.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.report.findings import Finding
from tests.test_lint_real_histories import _lint

KIND = "quoted-name-as-text"
USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);"
NEW = "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT, name TEXT, nick TEXT);\n"


def _lines(findings: list[Finding], kind: str = KIND) -> list[int | None]:
    return [f.line for f in findings if f.kind == kind]


@pytest.mark.parametrize(
    "bad",
    [
        # a rebuild's copy names the new column, which the old table does not have yet
        NEW + 'INSERT INTO users_new (id, email, name, nick) SELECT "id", "email", "name", "nick" '
        "FROM users;",
        # the backfill runs before the ALTER that adds the column it reads
        'CREATE TABLE t (x TEXT);\nUPDATE users SET name = "nick";\n'
        "ALTER TABLE users ADD COLUMN nick TEXT;",
        # a filter compares with a column only the written table has: the text 'nick'
        NEW + 'INSERT INTO users_new (id, email) SELECT id, email FROM users WHERE name = "nick";',
    ],
)
def test_a_column_of_the_written_table_missing_from_the_read_one_is_text(
    tmp_path: Path, bad: str
) -> None:
    findings = _lint(tmp_path, USERS, bad)
    assert _lines(findings) == [2]
    assert _lines(findings, "double-quoted-string") == []  # one finding per token


@pytest.mark.parametrize(
    "good",
    [
        # the name IS a column of the table read
        NEW + 'INSERT INTO users_new (id, email, name) SELECT "id", "email", "name" FROM users;',
        # a genuine string, in single quotes
        NEW + "INSERT INTO users_new (id, nick) SELECT id, 'nick' FROM users;",
        # "name" in a CREATE: names, and a bare DEFAULT "x" is a string on every build
        'CREATE TABLE "nick" ("nick" TEXT DEFAULT "nick");',
        # the ALTER ran first: the schema at the UPDATE has the column (read fresh there)
        'ALTER TABLE users ADD COLUMN nick TEXT;\nUPDATE users SET name = "nick";',
        # a VALUES row has no column in scope: the text is what the author wrote
        'ALTER TABLE users ADD COLUMN nick TEXT;\nINSERT INTO users (id, nick) VALUES (1, "nick");',
        # SET targets and conflict keys are always names
        "UPDATE users SET \"name\" = 'x';\n"
        'INSERT INTO users (id, name) VALUES (1, \'a\') ON CONFLICT ("id") DO UPDATE SET "name" = '
        'excluded."name";',
        # a CTE that provides the column under that name
        NEW + "WITH src AS (SELECT id, name AS nick FROM users) INSERT INTO users_new (id, nick) "
        'SELECT "id", "nick" FROM src;',
        # a source lint cannot see into (a view): no guess
        NEW + "CREATE VIEW v AS SELECT id, name AS nick FROM users;\n"
        'INSERT INTO users_new (id, nick) SELECT id, "nick" FROM v;',
        # `nick` and [nick] never fall back to a string (SQLite: no such column)
        NEW + "INSERT INTO users_new (id, nick) SELECT id, `nick` FROM users;",
        NEW + "INSERT INTO users_new (id, nick) SELECT id, [nick] FROM users;",
    ],
)
def test_a_name_that_resolves_or_text_meant_as_text_is_quiet(tmp_path: Path, good: str) -> None:
    findings = _lint(tmp_path, USERS, good)
    assert _lines(findings) == []


def test_backquoted_and_bracketed_names_are_no_double_quoted_string(tmp_path: Path) -> None:
    findings = _lint(
        tmp_path, USERS, 'UPDATE users SET name = `nosuch`;\nUPDATE users SET name = "nosuch";'
    )
    assert _lines(findings, "double-quoted-string") == [2]


def test_a_quoted_name_is_reported_at_its_opening_quote(tmp_path: Path) -> None:
    copy = 'INSERT INTO users_new (id, nick) SELECT id, "nick" FROM users;'
    findings = _lint(tmp_path, USERS, NEW + "  " + copy)
    hits = [f for f in findings if f.kind == KIND]
    quote = 3 + copy.index('"nick"')  # 1-based, after the two spaces
    assert [(f.line, f.details[0]) for f in hits] == [(2, f"column {quote}")]


@pytest.mark.parametrize(("added_before", "fired"), [(False, ["to_address"]), (True, [])])
def test_a_drizzle_rebuild_copying_a_column_the_old_table_lacks(
    tmp_path: Path, added_before: bool, fired: list[str]
) -> None:
    # moemail 0013 (wrangler, D1): drizzle-kit's copy lists "to_address", which no earlier
    # file of the history added to `message`: every row got the text 'to_address'
    first = "CREATE TABLE `message` (`id` text PRIMARY KEY NOT NULL, `subject` text);"
    added = "ALTER TABLE `message` ADD `to_address` text;" if added_before else "SELECT 1;"
    rebuild = (
        "CREATE TABLE `__new_message` (`id` text PRIMARY KEY NOT NULL, `subject` text, "
        "`to_address` text);\n"
        'INSERT INTO `__new_message`("id", "subject", "to_address") '
        'SELECT "id", "subject", "to_address" FROM `message`;\n'
        "DROP TABLE `message`;\nALTER TABLE `__new_message` RENAME TO `message`;"
    )
    findings = _lint(tmp_path, first, added, rebuild)
    hits = [f for f in findings if f.kind == KIND]
    assert [f.message.split("'")[1] for f in hits] == fired
    assert all(f.line == 2 for f in hits)


def test_a_quoted_name_in_a_where_is_named_as_a_filter(tmp_path: Path) -> None:
    bad = NEW + "INSERT INTO users_new (id) SELECT id FROM users WHERE \"nick\" = 'x';"
    hits = [f for f in _lint(tmp_path, USERS, bad) if f.kind == KIND]
    assert [f.message.split(":")[0] for f in hits] == [
        "the WHERE compares with the text 'nick', not column nick"
    ]
