"""MH218 and MH203: a rebuild's INNER JOIN that matches every old row copies them all.

A clean migration moves a value into another table with an inner join of two kinds: the
lookup the file itself filled from the same column (``INSERT INTO statuses SELECT DISTINCT
status FROM orders``, or a ``CREATE TEMP TABLE`` map of surrogate keys), and the parent of
a NOT NULL foreign key some connection enforces. Both were MH218 warnings. Each clean twin
has a defect twin of the same shape that can leave rows behind: a lookup filled with a
filter or one value per group, a nullable column, a write of the table after the fill, a
foreign key nobody enforces.

MH203: a rebuild that trades a natural key for the key of the lookup row holding it (the
surrogate-key introduction, ``cn.id`` for ``ci.country_code``) keeps the values, as long
as the lookup survives the file with both columns; a TEMP or dropped lookup, a written
column that is no key, or a LEFT JOIN still warns.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from migration_harness.lint import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

ORDERS = (
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT {null}, total INTEGER);\n"
    "CREATE TABLE order_statuses (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
)
LOOKUP = (
    "CREATE TABLE statuses (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
    "INSERT INTO statuses (name) SELECT DISTINCT status FROM orders{fill} ORDER BY status;\n"
    "INSERT OR IGNORE INTO statuses (name) VALUES ('new');\n"
    "{between}"
    "CREATE TABLE orders_new (id INTEGER PRIMARY KEY, "
    "status_id INTEGER NOT NULL REFERENCES statuses(id), total INTEGER);\n"
    "INSERT INTO orders_new (id, status_id, total) "
    "SELECT o.id, s.id, o.total FROM orders o JOIN statuses s ON s.name = o.status;\n"
    "DROP TABLE orders;\n"
    "ALTER TABLE orders_new RENAME TO orders;\n"
)
BOOKS = "CREATE TABLE books (isbn TEXT PRIMARY KEY NOT NULL, title TEXT NOT NULL);\n"
TEMP_MAP = (
    "CREATE TEMP TABLE book_map (isbn TEXT PRIMARY KEY, new_id INTEGER NOT NULL);\n"
    "INSERT INTO book_map (isbn, new_id) SELECT isbn, {value} FROM books{group};\n"
    "CREATE TABLE books_new (id INTEGER PRIMARY KEY, isbn TEXT NOT NULL UNIQUE, title TEXT);\n"
    "INSERT INTO books_new (id, isbn, title) "
    "SELECT m.new_id, b.isbn, b.title FROM books b JOIN book_map m USING (isbn);\n"
    "DROP TABLE books;\n"
    "ALTER TABLE books_new RENAME TO books;\n"
)
PARENT = (
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, "
    "status_id INTEGER {null} REFERENCES order_statuses(id), total INTEGER);\n"
)
BACK = (
    "CREATE TABLE orders_old (id INTEGER PRIMARY KEY, status TEXT NOT NULL, total INTEGER);\n"
    "INSERT INTO orders_old (id, status, total) "
    "SELECT o.id, s.name, o.total FROM orders o JOIN order_statuses s ON s.id = o.status_id;\n"
    "DROP TABLE orders;\n"
    "ALTER TABLE orders_old RENAME TO orders;\n"
)


def _mh218(tmp_path: Path, history: str, up: str, *, keys: bool = False) -> bool:
    """Whether ``up``, after ``history``, gets MH218 under goose (keys as given)."""
    folder = tmp_path / "migrations"
    folder.mkdir(parents=True)
    (folder / "00001_start.sql").write_text(f"-- +goose Up\n{history}", encoding="utf-8")
    (folder / "00002_change.sql").write_text(f"-- +goose Up\n{up}", encoding="utf-8")
    target = dataclasses.replace(get_target("goose"), foreign_keys=keys)
    return any(f.code == "MH218" for f in lint_set(discover(tmp_path), target))


def test_lookup_filled_from_the_column_is_quiet(tmp_path: Path) -> None:
    up = LOOKUP.format(fill="", between="")
    assert not _mh218(tmp_path, ORDERS.format(null="NOT NULL"), up)


@pytest.mark.parametrize(
    ("null", "fill", "between"),
    [
        ("", "", ""),  # a NULL status matches no name
        ("NOT NULL", " WHERE total > 0", ""),  # the lookup holds only some statuses
        ("NOT NULL", "", "INSERT INTO orders (status) VALUES ('late');\n"),  # a row after it
        ("NOT NULL", "", "DELETE FROM statuses WHERE name = 'old';\n"),  # a lookup row gone
    ],
)
def test_lookup_that_can_miss_a_row_still_warns(
    tmp_path: Path, null: str, fill: str, between: str
) -> None:
    up = LOOKUP.format(fill=fill, between=between)
    assert _mh218(tmp_path, ORDERS.format(null=null), up)


def test_temp_map_of_surrogate_keys_is_quiet(tmp_path: Path) -> None:
    up = TEMP_MAP.format(value="row_number() OVER (ORDER BY isbn)", group="")
    assert not _mh218(tmp_path, BOOKS, up)


@pytest.mark.parametrize(
    ("value", "group"),
    [("count(*)", ""), ("1", " GROUP BY title")],  # one row in all, one per title
)
def test_temp_map_that_collapses_rows_still_warns(tmp_path: Path, value: str, group: str) -> None:
    assert _mh218(tmp_path, BOOKS, TEMP_MAP.format(value=value, group=group))


def test_parent_of_an_enforced_key_is_quiet(tmp_path: Path) -> None:
    history = ORDERS.format(null="NOT NULL").split("\n")[1] + "\n" + PARENT.format(null="NOT NULL")
    assert not _mh218(tmp_path, history, BACK, keys=True)


@pytest.mark.parametrize(("null", "keys"), [("NOT NULL", False), ("", True)])
def test_parent_join_that_can_miss_still_warns(tmp_path: Path, null: str, keys: bool) -> None:
    # keys off: an orphan status_id can be there; nullable: a NULL matches no parent
    history = ORDERS.format(null="NOT NULL").split("\n")[1] + "\n" + PARENT.format(null=null)
    assert _mh218(tmp_path, history, BACK, keys=keys)


# --- MH203: a natural key traded for a surrogate key ----------------------------------------

COUNTRIES = (
    "CREATE TABLE countries (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL);\n"
    "CREATE TABLE cities (id INTEGER PRIMARY KEY, "
    "country_code TEXT NOT NULL REFERENCES countries(code), name TEXT NOT NULL);\n"
)
SURROGATE = (
    "CREATE {temp}TABLE countries_new (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, "
    "name TEXT NOT NULL);\n"
    "INSERT INTO countries_new (code, name) SELECT code, name FROM countries;\n"
    "CREATE TABLE cities_new (id INTEGER PRIMARY KEY, country_id INTEGER NOT NULL, "
    "name TEXT NOT NULL);\n"
    "INSERT INTO cities_new (id, country_id, name) SELECT ci.id, cn.{key}, ci.name "
    "FROM cities AS ci {side}JOIN countries_new AS cn ON cn.code = ci.country_code;\n"
    "DROP TABLE cities;\n"
    "ALTER TABLE cities_new RENAME TO cities;\n"
    "{end}"
)
RENAME = "DROP TABLE countries;\nALTER TABLE countries_new RENAME TO countries;\n"


def _mh203(tmp_path: Path, up: str) -> bool:
    folder = tmp_path / "migrations"
    folder.mkdir(parents=True)
    (folder / "00001_start.sql").write_text(f"-- +goose Up\n{COUNTRIES}", encoding="utf-8")
    (folder / "00002_change.sql").write_text(f"-- +goose Up\n{up}", encoding="utf-8")
    return any(f.code == "MH203" for f in lint_set(discover(tmp_path), get_target("goose")))


def test_natural_key_traded_for_the_lookups_key_is_kept(tmp_path: Path) -> None:
    up = SURROGATE.format(temp="", key="id", side="", end=RENAME)
    assert not _mh203(tmp_path, up)


@pytest.mark.parametrize(
    ("temp", "key", "side", "end"),
    [
        ("TEMP ", "id", "", ""),  # the lookup is a TEMP table: gone with the connection
        ("", "id", "", "DROP TABLE countries_new;\n"),  # the lookup is dropped
        ("", "name", "", RENAME),  # a name is no key: two countries may share it
        ("", "id", "LEFT ", RENAME),  # an unmatched code becomes NULL
    ],
)
def test_natural_key_lost_still_warns(
    tmp_path: Path, temp: str, key: str, side: str, end: str
) -> None:
    assert _mh203(tmp_path, SURROGATE.format(temp=temp, key=key, side=side, end=end))
