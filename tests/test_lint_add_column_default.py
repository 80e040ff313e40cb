"""MH312 (add-column-volatile-default) agrees with SQLite on which defaults a table with rows takes.

SQLite's ``sqlite3AlterFinishAddColumn`` accepts a default its ``valueFromExpr`` can
compute without a row: a literal, NULL, TRUE/FALSE or a blob, under parentheses, signs
and CASTs. Each case asks SQLite itself on a one-row table and expects lint to say the
same, so a constant default (the clean twin) stays quiet and an expression or function
call (the defective twin) still fires.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.lint_pairs import second_file

DEFAULTS = (
    "x''",
    "X'0A'",
    "(x'00')",
    "(1)",
    "(-1)",
    "(-(-(2.5)))",
    "(CAST(-1 AS TEXT))",
    "(CAST(CAST(1 AS TEXT) AS INTEGER))",
    "(+'x')",
    "-'5'",
    "(FALSE)",
    "(NULL)",
    "(1 + 1)",
    "(lower('X'))",
    "(1 COLLATE NOCASE)",
    "(NOT 1)",
    "(abc)",
    "CURRENT_TIMESTAMP",
)


def _sqlite_refuses(default: str) -> bool:
    """Whether SQLite refuses the default on a table that holds a row."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    db.execute("INSERT INTO t DEFAULT VALUES")
    try:
        db.execute(f"ALTER TABLE t ADD COLUMN c DEFAULT {default}")
    except sqlite3.OperationalError:
        return True
    finally:
        db.close()
    return False


@pytest.mark.parametrize("default", DEFAULTS)
def test_add_column_default_is_refused_exactly_where_sqlite_refuses_it(
    tmp_path: Path, default: str
) -> None:
    findings = second_file(
        tmp_path,
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\n",
        f"ALTER TABLE t ADD COLUMN c DEFAULT {default};\n",
        "sqlite",
    )
    fired = any(f.kind == "add-column-volatile-default" for f in findings)
    assert fired is _sqlite_refuses(default)


def test_the_cases_cover_both_verdicts() -> None:
    verdicts = {_sqlite_refuses(default) for default in DEFAULTS}
    assert verdicts == {True, False}
