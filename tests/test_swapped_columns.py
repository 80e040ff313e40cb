"""Columns swapped through a spare name keep their values, forward and back.

``RENAME COLUMN first_name TO spare; RENAME COLUMN last_name TO first_name; RENAME COLUMN
spare TO last_name`` corrects an import that filled the two the wrong way round. Each
rename was matched alone, so no value was matched across the swap: every row whose two
names differed was reported as changed (MH141), and so was its rollback, which swaps them
back (the rollback's own renames and the inverse of its migration's were both applied).
Renames are now followed through the file in order. The twins: a rollback that drops the
two columns and adds them back empty (no rename of its own: the inverse of the swap
matches the lost values), and values left under their old names after the swap.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from migration_harness.checks.run import check_set
from migration_harness.data.rows import compare, read_all, renames_in
from migration_harness.schema.model import introspect
from migration_harness.sets.discovery import discover
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import TARGETS

SCHEMA = (
    "CREATE TABLE pets (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT);\n"
    "CREATE INDEX pets_last_name_idx ON pets(last_name) WHERE last_name IS NOT NULL;\n"
)
SWAP = (
    "ALTER TABLE pets RENAME COLUMN first_name TO spare;\n"
    "ALTER TABLE pets RENAME COLUMN last_name TO first_name;\n"
    "ALTER TABLE pets RENAME COLUMN spare TO last_name;\n"
)
SWAP_BACK = (
    "ALTER TABLE pets RENAME COLUMN last_name TO spare;\n"
    "ALTER TABLE pets RENAME COLUMN first_name TO last_name;\n"
    "ALTER TABLE pets RENAME COLUMN spare TO first_name;\n"
)


def _losses(tmp_path: Path, up: str, down: str) -> list[str]:
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    (root / "rollbacks").mkdir()
    (root / "migrations" / "0001_pets.sql").write_text(SCHEMA)
    (root / "rollbacks" / "0001_rollback.sql").write_text("DROP TABLE pets;\n")
    (root / "migrations" / "0002_swap.sql").write_text(up)
    (root / "rollbacks" / "0002_rollback.sql").write_text(down)
    checks = ["apply_keeps_data", "rollback_keeps_data"]
    run = check_set(discover(root), TARGETS["sqlite"], profile="ci", seed=0, checks=checks)
    return [f.message for f in run.findings if f.kind == "data_loss"]


def test_a_swap_through_a_spare_name_loses_nothing(tmp_path: Path) -> None:
    assert _losses(tmp_path, SWAP, SWAP_BACK) == []


def test_a_rollback_that_drops_and_adds_the_swapped_columns_is_still_a_loss(
    tmp_path: Path,
) -> None:
    """No rename in the rollback: the inverse of the swap matches the values, all lost."""
    down = (
        "DROP INDEX pets_last_name_idx;\n"
        "ALTER TABLE pets DROP COLUMN first_name;\n"
        "ALTER TABLE pets DROP COLUMN last_name;\n"
        "ALTER TABLE pets ADD COLUMN first_name TEXT;\n"
        "ALTER TABLE pets ADD COLUMN last_name TEXT;\n"
        "CREATE INDEX pets_last_name_idx ON pets(last_name) WHERE last_name IS NOT NULL;\n"
    )
    assert any("rolling it back" in m for m in _losses(tmp_path, SWAP, down))


def test_values_not_swapped_with_their_names_are_changes() -> None:
    """The comparison follows the chain: a value left under its old name has changed."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    conn.execute("INSERT INTO pets VALUES (1, 'Ann', 'Lee')")
    schema = introspect(conn)
    before = read_all(conn, schema)
    conn.executescript(SWAP)
    renamed = introspect(conn)
    swapped = compare(
        before, schema, read_all(conn, renamed), renamed, renames=renames_in(split_statements(SWAP))
    )
    assert swapped.changes == ()
    conn.execute("UPDATE pets SET first_name = 'Ann', last_name = 'Lee'")  # names only
    kept = compare(
        before, schema, read_all(conn, renamed), renamed, renames=renames_in(split_statements(SWAP))
    )
    assert len(kept.changes) == 2
