"""A retyped column keeps a value SQLite only respells; a conversion it cannot undo is a loss.

zerobyte 0029 rebuilt ``users`` with ``id TEXT PRIMARY KEY``: SQLite stores integer 1000
as '1000' (and ``WHERE id = 1000`` still finds it), which ``check`` reported as a lost row.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.data.stored import as_stored, respelled
from migration_harness.report.findings import Finding
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS


def _losses(tmp_path: Path, *files: str) -> list[Finding]:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for number, sql in enumerate(files, start=1):
        (folder / f"000{number}_step.sql").write_text(sql, encoding="utf-8")
    run = check_set(
        discover(tmp_path), TARGETS["sqlite"], profile="ci", checks=["apply_keeps_data"]
    )
    return [f for f in run.findings if f.kind == "data_loss"]


def _retype(key: tuple[str, str], code: tuple[str, str]) -> tuple[str, str]:
    """A table whose key and ``code`` columns a rebuild retypes (old type, new type)."""
    return (
        f"CREATE TABLE users (id {key[0]} PRIMARY KEY NOT NULL, code {code[0]}, name TEXT);",
        f"CREATE TABLE users_new (id {key[1]} PRIMARY KEY NOT NULL, code {code[1]}, name TEXT);\n"
        "INSERT INTO users_new (id, code, name) SELECT id, code, name FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
    )


def test_integer_keys_and_values_retyped_as_text_are_kept(tmp_path: Path) -> None:
    assert _losses(tmp_path, *_retype(("INTEGER", "TEXT"), ("INTEGER", "TEXT"))) == []


def test_text_retyped_as_integer_still_loses_what_it_cannot_give_back(tmp_path: Path) -> None:
    # '007' is stored as 7, which reads back as '7': the row no longer says what it held
    assert _losses(tmp_path, *_retype(("INTEGER", "INTEGER"), ("TEXT", "INTEGER")))


@pytest.mark.parametrize(
    ("value", "was", "now", "lossless", "stored"),
    [
        (1000, "INTEGER", "TEXT", True, "1000"),
        (1.5, "REAL", "TEXT", True, "1.5"),
        ("007", "TEXT", "INTEGER", False, 7),
        ("abc", "TEXT", "INTEGER", True, "abc"),
        (b"\x00", "BLOB", "TEXT", False, b"\x00"),
    ],
)
def test_respelled_asks_sqlite(
    value: object, was: str, now: str, lossless: bool, stored: object
) -> None:
    assert respelled(value, was, now) == (lossless, stored)


def test_as_stored_applies_numeric_affinity() -> None:
    assert as_stored("12", "NUMERIC") == 12
    assert as_stored("12", "TEXT") == "12"
