"""MH216 (or-ignore-copy) read through the columns a copy writes.

``INSERT OR IGNORE INTO statuses (name) SELECT DISTINCT status FROM orders`` fills a
lookup table: a row it skips equals, in everything it writes, a row already there, and
``status`` is NOT NULL under another name. Copies that can skip a row holding something
else, or a NULL, still fire.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import lines_of, second_file

ORDERS = (
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT {null},"
    " note TEXT, total INTEGER NOT NULL);\n"
)
LOOKUP = "CREATE TABLE statuses (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE{extra});\n"


def _ignored(tmp_path: Path, history: str, up: str) -> list[int | None]:
    """The lines of ``up`` MH216 names, on sqlite."""
    return lines_of(second_file(tmp_path, history, up, "sqlite"), "MH216")


@pytest.mark.parametrize(
    "fill",
    [
        "INSERT OR IGNORE INTO statuses (name) SELECT DISTINCT status FROM orders;",
        "INSERT OR IGNORE INTO statuses (name) SELECT status FROM orders ORDER BY status;",
    ],
)
def test_a_lookup_filled_from_distinct_values_loses_nothing(tmp_path: Path, fill: str) -> None:
    up = LOOKUP.format(extra="") + "INSERT INTO statuses (name) VALUES ('new');\n" + fill
    assert _ignored(tmp_path, ORDERS.format(null="NOT NULL"), up) == []


@pytest.mark.parametrize(
    ("null", "extra", "fill"),
    [
        # a NULL status is skipped, not failed
        ("", "", "INSERT OR IGNORE INTO statuses (name) SELECT status FROM orders;"),
        # a second column: a clash on name skips that row's note
        (
            "NOT NULL",
            ", note TEXT",
            "INSERT OR IGNORE INTO statuses (name, note) SELECT status, note FROM orders;",
        ),
        # a CHECK the source lacks
        (
            "NOT NULL",
            " CHECK (length(name) < 9)",
            "INSERT OR IGNORE INTO statuses (name) SELECT status FROM orders;",
        ),
    ],
)
def test_a_copy_that_can_skip_other_values_still_fires(
    tmp_path: Path, null: str, extra: str, fill: str
) -> None:
    up = LOOKUP.format(extra=extra) + fill
    assert _ignored(tmp_path, ORDERS.format(null=null), up) == [2]


ITEMS = "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL);\n"
GUARDED = (
    "CREATE TABLE IF NOT EXISTS items_next (item_id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " qty INTEGER NOT NULL CHECK ({check}),{extra}"
    " updated_at TEXT NOT NULL DEFAULT (datetime('now')));\n"
    "INSERT OR IGNORE INTO items_next (item_id, name, qty) SELECT {key}, name, {qty} FROM items;\n"
)


def test_a_guarded_copy_whose_rows_meet_every_constraint_is_quiet(tmp_path: Path) -> None:
    # the key comes from items' primary key, max(qty, 0) meets the CHECK, updated_at has a
    # DEFAULT: OR IGNORE only skips rows a re-run finds already there
    up = GUARDED.format(check="qty >= 0", extra="", key="id", qty="max(qty, 0)")
    assert _ignored(tmp_path, ITEMS, up) == []


@pytest.mark.parametrize(
    ("check", "extra", "key", "qty"),
    [
        ("qty > 0", "", "id", "max(qty, 0)"),  # 0 breaks the CHECK: skipped
        ("qty >= 0", "", "id", "qty"),  # a negative qty is skipped
        ("qty >= 0", " sku TEXT NOT NULL,", "id", "max(qty, 0)"),  # no value, no default
        ("qty >= 0", "", "length(name)", "max(qty, 0)"),  # keys that can clash
    ],
)
def test_a_guarded_copy_that_can_skip_rows_still_fires(
    tmp_path: Path, check: str, extra: str, key: str, qty: str
) -> None:
    up = GUARDED.format(check=check, extra=extra, key=key, qty=qty)
    assert _ignored(tmp_path, ITEMS, up) == [2]


GENRES = "CREATE TABLE songs (id INTEGER PRIMARY KEY, genre TEXT, mood TEXT);\n"
GENRE_LOOKUP = "CREATE TABLE genres (name TEXT PRIMARY KEY, label TEXT NOT NULL{check});\n"
LABEL = "upper(substr(genre, 1, 1)) || substr(genre, 2)"


@pytest.mark.parametrize(
    ("alternative", "check", "label", "fires"),
    [
        # the label is computed from the key alone: rows equal on the key are equal, and
        # OR REPLACE aborts (never skips) on a NULL label, as a plain INSERT does
        ("REPLACE", "", LABEL, False),
        # a CHECK stricter than the source aborts OR REPLACE too
        ("REPLACE", " CHECK (length(label) < 20)", LABEL, False),
        # ... but OR IGNORE skips the row that breaks it, or the NULL label
        ("IGNORE", " CHECK (length(label) < 20)", LABEL, True),
        ("IGNORE", "", LABEL, True),
        # a label read from another column: a clash on the key replaces another mood
        ("REPLACE", "", "mood", True),
        # a label no value fixes: random() differs between two rows of one genre
        ("REPLACE", "", "genre || random()", True),
    ],
)
def test_or_replace_fires_only_where_the_conflict_algorithm_hides_a_row(
    tmp_path: Path, alternative: str, check: str, label: str, fires: bool
) -> None:
    up = GENRE_LOOKUP.format(check=check) + (
        f"INSERT OR {alternative} INTO genres (name, label)\n"
        f"SELECT DISTINCT genre, {label} FROM songs WHERE genre IS NOT NULL;\n"
    )
    assert bool(_ignored(tmp_path, GENRES, up)) is fires


def test_or_replace_hides_a_null_where_the_column_has_a_default(tmp_path: Path) -> None:
    # REPLACE writes the DEFAULT for the NULL mood instead of failing: the value changes
    up = (
        "CREATE TABLE moods (song INTEGER PRIMARY KEY, mood TEXT NOT NULL DEFAULT 'calm');\n"
        "INSERT OR REPLACE INTO moods (song, mood) SELECT id, mood FROM songs;\n"
    )
    assert _ignored(tmp_path, GENRES, up) == [2]


TASKS = (
    "CREATE TABLE tasks (id INTEGER PRIMARY KEY, labels TEXT NOT NULL CHECK (json_valid(labels)),"
    " status TEXT);\n"
)
TAGS = "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"


@pytest.mark.parametrize(
    "fill",
    [
        # a NULL status is filtered out before OR IGNORE could skip it
        "SELECT DISTINCT status FROM tasks WHERE status IS NOT NULL",
        "SELECT DISTINCT status FROM tasks WHERE status <> '' AND id > 0",
        "SELECT DISTINCT status FROM tasks WHERE status IN ('open', 'done')",
        # json_each's value is NULL only for a JSON null, whose type is 'null'
        "SELECT DISTINCT j.value FROM tasks, json_each(tasks.labels) AS j WHERE j.type = 'text'",
        "SELECT DISTINCT j.value FROM tasks AS t, json_each(t.labels) AS j"
        " WHERE j.type IN ('text', 'integer')",
        "SELECT DISTINCT j.value FROM tasks AS t, json_each(t.labels) AS j WHERE j.type <> 'null'",
    ],
)
def test_a_lookup_filled_from_values_filtered_from_null_loses_nothing(
    tmp_path: Path, fill: str
) -> None:
    up = TAGS + "INSERT OR IGNORE INTO tags (name) VALUES ('bug');\n"
    up += f"INSERT OR IGNORE INTO tags (name) {fill};\n"
    assert _ignored(tmp_path, TASKS, up) == []


@pytest.mark.parametrize(
    "fill",
    [
        "SELECT DISTINCT status FROM tasks",
        # an OR lets a NULL status through
        "SELECT DISTINCT status FROM tasks WHERE status IS NOT NULL OR id > 0",
        "SELECT DISTINCT status FROM tasks WHERE status IS NOT 'x'",
        "SELECT DISTINCT j.value FROM tasks, json_each(tasks.labels) AS j",
        "SELECT DISTINCT j.value FROM tasks, json_each(tasks.labels) AS j"
        " WHERE j.type IN ('text', 'null')",
        "SELECT DISTINCT j.value FROM tasks, json_each(tasks.labels) AS j WHERE j.type <> 'text'",
        # a filter on another column of json_each says nothing of value
        "SELECT DISTINCT j.value FROM tasks, json_each(tasks.labels) AS j WHERE j.key > 0",
    ],
)
def test_a_lookup_filled_with_nulls_left_in_still_fires(tmp_path: Path, fill: str) -> None:
    up = TAGS + f"INSERT OR IGNORE INTO tags (name) {fill};\n"
    assert _ignored(tmp_path, TASKS, up) == [2]
