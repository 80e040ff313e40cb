"""MH202: a column split into columns the file added, one-to-one, before its drop is kept.

``full_name`` becomes ``given_name`` and ``family_name`` by one UPDATE, then is dropped:
every value can be read back from the pair (the down file joins them), so "every value of
people.full_name is deleted" was a false warning under golang-migrate and Liquibase. The
proof runs the file's UPDATEs on SQLite over probe values (lint/reencoded.py). A file that
keeps less than the value (a flag, the first word, the lower-cased text, the trimmed text)
or fills from another column still deletes values, and still warns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.lint import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

PEOPLE = "CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, full_name TEXT);\n"
GIVEN = (
    "CASE WHEN instr(full_name, ' ') = 0 THEN full_name "
    "ELSE substr(full_name, 1, instr(full_name, ' ') - 1) END"
)
FAMILY = (
    "CASE WHEN instr(full_name, ' ') = 0 THEN NULL "
    "ELSE substr(full_name, instr(full_name, ' ') + 1) END"
)
SPLIT = (
    "ALTER TABLE people ADD COLUMN given_name TEXT;\n"
    "ALTER TABLE people ADD COLUMN family_name TEXT;\n"
    "UPDATE people SET given_name = {given}, family_name = {family}{where};\n"
    "ALTER TABLE people DROP COLUMN full_name;\n"
)


def _mh202(tmp_path: Path, up: str) -> bool:
    """Whether ``up`` (after the people table) gets MH202 under golang-migrate."""
    folder = tmp_path / "migrations"
    folder.mkdir(parents=True)
    (folder / "1_people.up.sql").write_text(PEOPLE, encoding="utf-8")
    (folder / "2_split.up.sql").write_text(up, encoding="utf-8")
    findings = lint_set(discover(tmp_path), get_target("golang-migrate"))
    return any(f.code == "MH202" for f in findings)


@pytest.mark.parametrize("where", ["", " WHERE full_name IS NOT NULL"])
def test_split_into_added_columns_is_quiet(tmp_path: Path, where: str) -> None:
    assert not _mh202(tmp_path, SPLIT.format(given=GIVEN, family=FAMILY, where=where))


@pytest.mark.parametrize(
    ("given", "family"),
    [
        (GIVEN, "''"),  # the family part is dropped
        ("full_name IS NOT NULL", "''"),  # only whether there was a name
        ("lower(full_name)", "''"),  # 'Ada' and 'ada' become one
        ("trim(full_name)", "''"),  # ' Ada' and 'Ada' become one
        (GIVEN, f"coalesce({FAMILY}, '')"),  # 'Ada' and 'Ada ' become one
        ("email", "''"),  # filled from another column: full_name is not in it
    ],
)
def test_split_that_loses_values_still_warns(tmp_path: Path, given: str, family: str) -> None:
    assert _mh202(tmp_path, SPLIT.format(given=given, family=family, where=""))
