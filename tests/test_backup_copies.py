"""MH131 on a backup the set fills with copies only (``CREATE TABLE … AS SELECT``).

The backup holds rows of ``items`` as they were: the rollback that restores the ones the
file deleted (``WHERE id NOT IN (SELECT id FROM items)``) meets nothing but those. No rows
are drawn for the backup itself (a NULL ``name`` no copy makes): the rollback is quiet.
A rollback that restores every backed-up row clashes with the rows the file kept, on
rows of ``items`` the history wrote before the file: still MH131. A backup the set also
writes with ``VALUES`` is a table of its own, and gets rows drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from migration_harness.checks.copies import copy_only_tables
from migration_harness.checks.run import check_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

ITEMS = (
    "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " price INTEGER NOT NULL);",
    "DROP TABLE IF EXISTS items;",
)
BACKUP = (
    "CREATE TABLE IF NOT EXISTS items_backup AS SELECT * FROM items;\n"
    "DELETE FROM items WHERE price = 0;\n"
)
RESTORE = (
    "INSERT INTO items (id, name, price) SELECT id, name, price FROM items_backup{where};\n"
    "DROP TABLE items_backup;\n"
)
MISSING = " WHERE id NOT IN (SELECT id FROM items)"


def _rollback_errors(root: Path, checks: list[str]) -> list[str]:
    run = check_set(discover(root), TARGETS["sqlite"], profile="ci", checks=checks)
    return [f.code for f in run.findings if f.kind == "rollback_error"]


def test_a_restore_from_a_copy_only_backup_is_quiet(
    migration_set: Callable[..., Path],
) -> None:
    root = migration_set({1: ITEMS, 2: (BACKUP, RESTORE.format(where=MISSING))})
    assert copy_only_tables(discover(root).migrations) == {"items_backup"}
    assert _rollback_errors(root, ["rollback_keeps_data", "stateful"]) == []


def test_a_restore_clashing_with_the_kept_rows_still_fails(
    migration_set: Callable[..., Path],
) -> None:
    root = migration_set({1: ITEMS, 2: (BACKUP, RESTORE.format(where=""))})
    assert _rollback_errors(root, ["stateful"]) == ["MH131"]


@pytest.mark.parametrize(
    "extra",
    [
        "INSERT INTO items_backup (id, name, price) VALUES (0, 'x', 0);\n",
        "UPDATE items_backup SET price = 1 WHERE id = 0;\n",
        "CREATE INDEX items_backup_id ON items_backup(id);\n",
    ],
)
def test_a_backup_the_set_writes_otherwise_is_a_table_of_its_own(
    migration_set: Callable[..., Path], extra: str
) -> None:
    root = migration_set({1: ITEMS, 2: (BACKUP + extra, RESTORE.format(where=MISSING))})
    assert copy_only_tables(discover(root).migrations) == frozenset()


def test_a_declared_table_filled_by_a_copy_in_its_file_is_a_backup(
    migration_set: Callable[..., Path],
) -> None:
    declared = (
        "CREATE TABLE IF NOT EXISTS items_backup (id INTEGER, name TEXT, price INTEGER);\n"
        "INSERT INTO items_backup SELECT * FROM items;\n"
    )
    rebuild = (
        "CREATE TABLE items_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER);\n"
        "INSERT INTO items_new SELECT * FROM items;\nDROP TABLE items;\n"
        "ALTER TABLE items_new RENAME TO items;\n"
    )
    root = migration_set({1: ITEMS, 2: (declared, None), 3: (rebuild, None)})
    assert copy_only_tables(discover(root).migrations) == {"items_backup"}


@pytest.mark.parametrize(
    "after",
    [
        "ALTER TABLE items DROP COLUMN price;\n",
        "DROP TABLE items;\n",
    ],
)
def test_a_copy_whose_source_the_file_empties_holds_moved_data(
    migration_set: Callable[..., Path], after: str
) -> None:
    """A column split into its own table, or rows archived: the copy is the data now."""
    moved = (
        "CREATE TABLE item_prices (item_id INTEGER PRIMARY KEY, price INTEGER NOT NULL);\n"
        "INSERT INTO item_prices (item_id, price) SELECT id, price FROM items;\n" + after
    )
    root = migration_set({1: ITEMS, 2: (moved, None)})
    assert copy_only_tables(discover(root).migrations) == frozenset()
