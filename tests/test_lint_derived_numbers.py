"""A rebuild's copy read through a FROM subquery or a CTE (MH212, MH204).

``row_number() OVER (ORDER BY id)`` numbers every row the copy writes once: a UNIQUE
column filled with it meets no duplicates, whether the number is made in the copy's own
select list, in a FROM subquery or in a ``WITH … INSERT``'s CTE. A number made within
partitions (``PARTITION BY author``) repeats across them and needs the partition in the
key; a number computed otherwise (``length(title)``) repeats. And a ``WITH … INSERT``
copies the rows of the table its CTE reads: the rebuild keeps them (no MH204).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

POSTS = "CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT NOT NULL, title TEXT);\n"
NEW = (
    "CREATE TABLE posts_new (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL{unique},"
    " author TEXT NOT NULL, title TEXT{key});\n"
)
TAIL = "DROP TABLE posts;\nALTER TABLE posts_new RENAME TO posts;\n"
NUMBERED = "SELECT id, {value} AS rn, author, title FROM posts"
SUBQUERY = (
    "INSERT INTO posts_new (id, seq, author, title)"
    " SELECT id, rn, author, title FROM ({numbered});\n"
)
CTE = (
    "WITH numbered AS ({numbered})\n"
    "INSERT INTO posts_new (id, seq, author, title) SELECT id, rn, author, title FROM numbered;\n"
)
WHOLE = "row_number() OVER (ORDER BY id)"
BY_AUTHOR = "row_number() OVER (PARTITION BY author ORDER BY id)"


def _kinds(tmp_path: Path, copy: str, value: str, *, per_author: bool = False) -> set[str]:
    new = NEW.format(
        unique="" if per_author else " UNIQUE", key=", UNIQUE (author, seq)" if per_author else ""
    )
    up = new + copy.format(numbered=NUMBERED.format(value=value)) + TAIL
    return {f.kind for f in second_file(tmp_path, POSTS, up, "sqlite")}


@pytest.mark.parametrize("copy", [SUBQUERY, CTE])
def test_a_number_made_in_a_derived_table_meets_no_duplicates(tmp_path: Path, copy: str) -> None:
    assert "unique-on-existing-table" not in _kinds(tmp_path, copy, WHOLE)


@pytest.mark.parametrize("copy", [SUBQUERY, CTE])
def test_a_number_within_partitions_the_key_holds_meets_none(tmp_path: Path, copy: str) -> None:
    assert "unique-on-existing-table" not in _kinds(tmp_path, copy, BY_AUTHOR, per_author=True)


@pytest.mark.parametrize("copy", [SUBQUERY, CTE])
@pytest.mark.parametrize("value", ["length(title)", BY_AUTHOR])
def test_a_value_that_repeats_still_warns(tmp_path: Path, copy: str, value: str) -> None:
    assert "unique-on-existing-table" in _kinds(tmp_path, copy, value)


def test_a_named_window_is_not_taken_for_the_whole_result(tmp_path: Path) -> None:
    """``OVER w`` partitions as its WINDOW clause says, which the rule does not read."""
    numbered = "row_number() OVER w"
    copy = SUBQUERY.replace(
        "FROM ({numbered})", "FROM ({numbered} WINDOW w AS (PARTITION BY author))"
    )
    assert "unique-on-existing-table" in _kinds(tmp_path, copy, numbered)


def test_a_cte_copy_keeps_the_rows_it_reads(tmp_path: Path) -> None:
    assert "rebuild-copy-omits-column" not in _kinds(tmp_path, CTE, WHOLE)


def test_a_cte_over_another_table_copies_none_of_the_old_rows(tmp_path: Path) -> None:
    up = (
        "CREATE TABLE drafts (id INTEGER PRIMARY KEY, author TEXT, title TEXT);\n"
        + NEW.format(unique="", key="")
        + "WITH d AS (SELECT id, 1 AS rn, author, title FROM drafts)\n"
        "INSERT INTO posts_new (id, seq, author, title) SELECT id, rn, author, title FROM d;\n"
        + TAIL
    )
    kinds = {f.kind for f in second_file(tmp_path, POSTS, up, "sqlite")}
    assert "rebuild-copy-omits-column" in kinds
