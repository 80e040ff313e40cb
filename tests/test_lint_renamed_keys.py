"""MH212 (unique-on-existing-table) on a rebuild that renames a UNIQUE column as it copies.

``INSERT INTO vehicles_new (id, registration, …) SELECT id, plate, … FROM vehicles``
renames ``plate`` to ``registration``: the old ``UNIQUE (plate)`` let no two rows share
a value, so the new ``UNIQUE (registration)`` meets no duplicates (clean_fleet_diesel's
plate_to_registration, and its rollback renaming it back, were warned). The twins fill
the key from another column, through a function, or compare it under NOCASE where the
old key was BINARY: each can meet duplicates and still warns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

VEHICLES = (
    "CREATE TABLE vehicles (id INTEGER PRIMARY KEY, plate TEXT NOT NULL UNIQUE,"
    " make TEXT NOT NULL);\n"
)
REBUILD = (
    "CREATE TABLE vehicles_new (id INTEGER PRIMARY KEY,"
    " registration TEXT NOT NULL{collate} UNIQUE, make TEXT NOT NULL);\n"
    "INSERT INTO vehicles_new (id, registration, make) SELECT id, {value}, make FROM vehicles;\n"
    "DROP TABLE vehicles;\n"
    "ALTER TABLE vehicles_new RENAME TO vehicles;\n"
)


@pytest.mark.parametrize(
    ("value", "collate", "fires"),
    [
        ("plate", "", False),
        ("vehicles.plate", "", False),
        ("make", "", True),
        ("upper(plate)", "", True),
        ("plate", " COLLATE NOCASE", True),
    ],
    ids=["renamed", "renamed-qualified", "other-column", "function", "coarser-collation"],
)
def test_a_unique_column_renamed_by_the_copy_keeps_its_key(
    tmp_path: Path, value: str, collate: str, fires: bool
) -> None:
    up = REBUILD.format(value=value, collate=collate)
    kinds = {f.kind for f in second_file(tmp_path, VEHICLES, up, "sqlite")}
    assert ("unique-on-existing-table" in kinds) is fires
