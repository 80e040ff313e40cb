"""MH213 (rebuild-narrows-check) under a ``typeof(…)`` CHECK the copy's value always meets.

``CAST(qty AS INTEGER)`` of a NOT NULL column is an integer on every row, and
``round(price)`` lands as one in an INTEGER column (its affinity turns 3.0 into 3 before
the CHECK reads it): ``CHECK (typeof(…) = 'integer')`` refuses no copied row. A nullable
column's NULL is ``typeof`` 'null' and fails it; a REAL copied as it is keeps 1.5.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

ITEMS = "CREATE TABLE items (id INTEGER PRIMARY KEY, qty{null}, price REAL NOT NULL);\n"
REBUILD = (
    "CREATE TABLE items_new (id INTEGER PRIMARY KEY, qty INTEGER{check_qty},"
    " price INTEGER NOT NULL{check_price});\n"
    "INSERT INTO items_new (id, qty, price) SELECT id, {qty}, {price} FROM items;\n"
    "DROP TABLE items;\n"
    "ALTER TABLE items_new RENAME TO items;\n"
)
TYPED = " CHECK (typeof({}) = 'integer')"


def _warned(tmp_path: Path, *, null: str, qty: str, price: str, checked: str) -> bool:
    up = REBUILD.format(
        qty=qty,
        price=price,
        check_qty=TYPED.format("qty") if checked == "qty" else "",
        check_price=TYPED.format("price") if checked == "price" else "",
    )
    found = second_file(tmp_path, ITEMS.format(null=null), up, "sqlite")
    return "rebuild-narrows-check" in {f.kind for f in found}


@pytest.mark.parametrize(
    ("null", "qty", "price", "checked"),
    [
        (" NOT NULL", "CAST(qty AS INTEGER)", "price", "qty"),
        (" NOT NULL", "qty", "round(price)", "price"),
        ("", "qty", "CAST(price AS INTEGER)", "price"),
    ],
)
def test_a_copy_whose_values_meet_the_typeof_check_is_quiet(
    tmp_path: Path, null: str, qty: str, price: str, checked: str
) -> None:
    assert not _warned(tmp_path, null=null, qty=qty, price=price, checked=checked)


@pytest.mark.parametrize(
    ("null", "qty", "price", "checked"),
    [
        ("", "CAST(qty AS INTEGER)", "price", "qty"),  # NULL stays NULL: typeof 'null'
        (" NOT NULL", "qty", "price", "price"),  # 1.5 stays REAL in an INTEGER column
        (" NOT NULL", "qty", "price * 1.5", "price"),
    ],
)
def test_a_copy_keeping_values_the_typeof_check_refuses_still_warns(
    tmp_path: Path, null: str, qty: str, price: str, checked: str
) -> None:
    assert _warned(tmp_path, null=null, qty=qty, price=price, checked=checked)
