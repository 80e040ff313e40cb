"""rename-referenced-table (MH304) fires on a table renamed away, not on a plain rename.

``ALTER TABLE orders RENAME TO purchases`` keeps the table: its view and trigger following
it is what the rename means. Renaming it aside and then creating a table under the old
name, or dropping the renamed one (a rebuild), leaves them on the wrong table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import lines_of, second_file

ORDERS = (
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT NOT NULL);\n"
    "CREATE TABLE order_events (order_id INTEGER NOT NULL, kind TEXT NOT NULL);\n"
    "CREATE VIEW open_orders AS SELECT id FROM orders WHERE status = 'open';\n"
    "CREATE TRIGGER orders_closed AFTER UPDATE OF status ON orders BEGIN\n"
    "    INSERT INTO order_events (order_id, kind) VALUES (NEW.id, 'closed');\n"
    "END;\n"
)


def _renames(tmp_path: Path, up: str) -> list[int | None]:
    names = ("1_orders.up.sql", "2_change.up.sql")
    return lines_of(second_file(tmp_path, ORDERS, up, "sqlx", names), "MH304")


def test_a_plain_rename_carries_its_views_and_triggers(tmp_path: Path) -> None:
    assert _renames(tmp_path, "ALTER TABLE orders RENAME TO purchases;\n") == []


@pytest.mark.parametrize(
    "after",
    [
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT NOT NULL, note TEXT);\n"
        "INSERT INTO orders (id, status) SELECT id, status FROM orders_old;\n",
        "CREATE TABLE orders2 (id INTEGER PRIMARY KEY);\nDROP TABLE orders_old;\n",
    ],
)
def test_a_table_renamed_away_still_warns(tmp_path: Path, after: str) -> None:
    up = "ALTER TABLE orders RENAME TO orders_old;\n" + after
    assert _renames(tmp_path, up) == [1]
