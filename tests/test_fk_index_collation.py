"""A foreign key's child index counts only under the collation SQLite's lookup compares with.

SQLite's child lookup (``fkScanChildren``, fkey.c) compares under the *parent* column's
collation. A parent declared ``COLLATE NOCASE`` is served by an index on the child built
``COLLATE NOCASE`` (the clean twin: ``missing_fk_index``/MH153 and ``fk-without-index``/MH413
used to name it, and proposed a BINARY index SQLite cannot use), not by a plain one (a
defective twin); a BINARY parent cannot use a child index taking the child column's own
NOCASE (the other defective twin, which used to pass). Each verdict is also SQLite's own:
the delete of a parent row seeks the index or scans the child.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.lint import lint_set
from migration_harness.report.findings import Finding
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

NOCASE_PARENT = "CREATE TABLE countries (code TEXT PRIMARY KEY COLLATE NOCASE, name TEXT);\n"
BINARY_PARENT = "CREATE TABLE countries (code TEXT PRIMARY KEY, name TEXT);\n"
CHILD = "CREATE TABLE cities (id INTEGER PRIMARY KEY, cc TEXT REFERENCES countries (code));\n"
NOCASE_CHILD = (
    "CREATE TABLE cities (id INTEGER PRIMARY KEY, "
    "cc TEXT COLLATE NOCASE REFERENCES countries (code));\n"
)
CASES = {
    "nocase parent, nocase index": (NOCASE_PARENT, CHILD, "(cc COLLATE NOCASE)", False),
    "nocase parent, binary index": (NOCASE_PARENT, CHILD, "(cc)", True),
    "binary parent, nocase column": (BINARY_PARENT, NOCASE_CHILD, "(cc)", True),
    "binary parent, binary index": (BINARY_PARENT, CHILD, "(cc COLLATE BINARY)", False),
}


def _set(tmp_path: Path, parent: str, child: str, index: str) -> Path:
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_countries.sql").write_text(parent, encoding="utf-8")
    (root / "migrations" / "0002_cities.sql").write_text(
        child + f"CREATE INDEX cities_cc ON cities {index};\n", encoding="utf-8"
    )
    return root


def _sqlite_scans(parent: str, child: str, index: str) -> bool:
    """Whether SQLite's own delete of a parent row scans the child instead of seeking."""
    db = sqlite3.connect(":memory:")
    db.execute("PRAGMA foreign_keys = ON")
    db.executescript(parent + child + f"CREATE INDEX cities_cc ON cities {index};")
    program = db.execute("EXPLAIN DELETE FROM countries WHERE code = 'fr'").fetchall()
    db.close()
    child_cursors = {row[2] for row in program if row[1] == "OpenRead"}
    return any(row[1] == "Rewind" and row[2] in child_cursors for row in program)


def _findings(root: Path) -> list[Finding]:
    run = check_set(discover(root), get_target("sqlx"), checks=["fk_index"], config=SetConfig())
    return [f for f in run.findings if f.kind == "missing_fk_index"]


@pytest.mark.parametrize("case", CASES)
def test_the_cases_are_what_sqlite_does(case: str) -> None:
    parent, child, index, scans = CASES[case]
    assert _sqlite_scans(parent, child, index) is scans


@pytest.mark.parametrize("case", CASES)
def test_check_names_the_key_where_sqlite_scans(tmp_path: Path, case: str) -> None:
    parent, child, index, scans = CASES[case]
    assert bool(_findings(_set(tmp_path, parent, child, index))) is scans


@pytest.mark.parametrize("case", CASES)
def test_lint_names_the_key_where_sqlite_scans(tmp_path: Path, case: str) -> None:
    parent, child, index, scans = CASES[case]
    root = _set(tmp_path, parent, child, index)
    hits = [f for f in lint_set(discover(root), get_target("sqlx")) if f.code == "MH413"]
    assert bool(hits) is scans


def test_the_fix_proposes_the_index_sqlite_can_use(tmp_path: Path) -> None:
    (finding,) = _findings(_set(tmp_path, NOCASE_PARENT, CHILD, "(cc)"))
    assert finding.details[-1] == (
        "fix: CREATE INDEX IF NOT EXISTS idx_cities_cc ON cities(cc COLLATE NOCASE);"
    )
