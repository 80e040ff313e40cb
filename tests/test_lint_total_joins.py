"""MH218 (rebuild-copy-filters) and a rebuild's INNER JOIN that matches every row it copies.

A free-text column moved into a lookup table filled from its own DISTINCT values, and a
parent re-keyed by a surrogate id with its children re-mapped through the new table, join
every old row: the file put each joined value there itself (lint/joins.py). Each clean
shape has a defect twin of the same form that can drop rows, which still fires.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import lines_of, second_file

ORDERS = (
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT {null}, total INTEGER NOT NULL);\n"
)
LOOKUP = (
    "CREATE TABLE order_statuses (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
    "INSERT INTO order_statuses (name) SELECT DISTINCT status FROM orders{fill};\n"
    "{between}"
    "CREATE TABLE orders_new (id INTEGER PRIMARY KEY,"
    " status_id INTEGER NOT NULL REFERENCES order_statuses(id), total INTEGER NOT NULL);\n"
    "INSERT INTO orders_new (id, status_id, total)"
    " SELECT o.id, s.id, o.total FROM orders o JOIN order_statuses s ON s.name = o.status;\n"
    "DROP TABLE orders;\n"
    "ALTER TABLE orders_new RENAME TO orders;\n"
)
GEO = (
    "CREATE TABLE countries (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL);\n"
    "CREATE TABLE cities (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " country_code TEXT NOT NULL REFERENCES countries(code));\n"
    "CREATE INDEX cities_country ON cities(country_code);\n"
)
SURROGATE = (
    "CREATE TABLE countries_new (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL);\n"
    "INSERT INTO countries_new (code, name) SELECT code, name FROM countries ORDER BY code;\n"
    "CREATE TABLE cities_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " country_id INTEGER NOT NULL REFERENCES countries_new(id));\n"
    "INSERT INTO cities_new (id, name, country_id)"
    " SELECT c.id, c.name, n.id FROM cities c JOIN countries_new n ON n.code = c.country_code;\n"
    "DROP TABLE cities;\n"
    "DROP TABLE countries;\n"
    "ALTER TABLE countries_new RENAME TO countries;\n"
    "ALTER TABLE cities_new RENAME TO cities;\n"
    "CREATE INDEX cities_country ON cities(country_id);\n"
)


def _filters(tmp_path: Path, history: str, up: str, target: str) -> list[int | None]:
    """The lines of ``up`` MH218 names, under ``target``'s rules."""
    return lines_of(second_file(tmp_path, history, up, target), "MH218")


def test_a_lookup_filled_from_the_columns_distinct_values_joins_every_row(
    tmp_path: Path,
) -> None:
    up = LOOKUP.format(fill="", between="")
    assert _filters(tmp_path, ORDERS.format(null="NOT NULL"), up, "sqlite") == []


@pytest.mark.parametrize(
    ("null", "fill", "between"),
    [
        ("", "", ""),  # a NULL status joins nothing
        ("NOT NULL", " WHERE total > 0", ""),  # the lookup holds only some statuses
        ("NOT NULL", " LIMIT 5", ""),
        ("NOT NULL", "", "DELETE FROM order_statuses WHERE name = 'void';\n"),
        ("NOT NULL", "", "UPDATE orders SET status = 'late' WHERE id = 1;\n"),
    ],
)
def test_a_lookup_missing_some_values_still_drops_rows(
    tmp_path: Path, null: str, fill: str, between: str
) -> None:
    up = LOOKUP.format(fill=fill, between=between)
    copy_line = 4 + between.count("\n")
    assert _filters(tmp_path, ORDERS.format(null=null), up, "sqlite") == [copy_line]


def test_a_parent_rekeyed_under_enforced_keys_joins_every_child(tmp_path: Path) -> None:
    # sqlite and drizzle connections enforce keys: no city names a missing country
    assert _filters(tmp_path, GEO, SURROGATE, "sqlite") == []
    assert _filters(tmp_path / "d", GEO, SURROGATE, "drizzle") == []


def test_a_parent_rekeyed_where_keys_are_off_can_lose_orphans(tmp_path: Path) -> None:
    # diesel's connection never enforces keys: a city may name a country not there
    assert _filters(tmp_path, GEO, SURROGATE, "diesel") == [4]


def test_a_join_to_a_table_the_application_fills_still_fires(tmp_path: Path) -> None:
    history = GEO + "CREATE TABLE regions (code TEXT NOT NULL UNIQUE, id INTEGER PRIMARY KEY);\n"
    up = SURROGATE.replace("countries_new n", "regions n").replace(
        "INSERT INTO countries_new (code, name) SELECT",
        "INSERT INTO regions (code) SELECT code FROM countries;\n"
        "INSERT INTO countries_new (code, name) SELECT",
    )
    assert _filters(tmp_path, history, up, "sqlite") == [5]


# --- MH203: the surrogate-key rebuild keeps the old key one join away ---------------------


def _dropped_columns(tmp_path: Path, up: str) -> list[int | None]:
    """The lines of ``up`` MH203 names, on sqlite."""
    return lines_of(second_file(tmp_path, GEO, up, "sqlite"), "MH203")


def test_a_child_remapped_to_a_surrogate_key_keeps_its_old_key(tmp_path: Path) -> None:
    assert _dropped_columns(tmp_path, SURROGATE) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # the joined column is not UNIQUE: a code may stand for two countries
        ("code TEXT NOT NULL UNIQUE,", "code TEXT NOT NULL,"),
        # the copy writes no key of the joined table
        ("SELECT c.id, c.name, n.id FROM", "SELECT c.id, c.name, length(n.name) FROM"),
        # a LEFT join writes NULL where it finds no country
        ("JOIN countries_new n", "LEFT JOIN countries_new n"),
        # the table holding the codes does not stay
        ("ALTER TABLE countries_new RENAME TO countries;\n", "DROP TABLE countries_new;\n"),
    ],
)
def test_a_remap_that_loses_the_old_key_still_fires(tmp_path: Path, old: str, new: str) -> None:
    up = SURROGATE.replace(old, new)
    assert up != SURROGATE
    assert _dropped_columns(tmp_path, up) == [5]
