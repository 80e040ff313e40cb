"""A rebuild trading ``NOT NULL`` for ``CHECK (x IS NOT NULL)``, or the other way, narrows nothing.

Both refuse exactly NULL, so the copy cannot fail on either: rebuild-adds-not-null
(MH214) and rebuild-narrows-check (MH213) stay quiet. A column that allowed NULL before
still gets either warning.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

REBUILD = (
    "CREATE TABLE people_new (id INTEGER PRIMARY KEY, handle TEXT {new});\n"
    "INSERT INTO people_new (id, handle) SELECT id, handle FROM people;\n"
    "DROP TABLE people;\n"
    "ALTER TABLE people_new RENAME TO people;\n"
)


def _kinds(tmp_path: Path, old: str, new: str) -> set[str]:
    history = f"CREATE TABLE people (id INTEGER PRIMARY KEY, handle TEXT {old});\n"
    return {f.kind for f in second_file(tmp_path, history, REBUILD.format(new=new), "sqlx")}


NARROWING = {"rebuild-adds-not-null", "rebuild-narrows-check"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("CHECK (handle IS NOT NULL)", "NOT NULL"),
        ("NOT NULL", "NOT NULL CHECK (handle IS NOT NULL)"),
        ("NOT NULL", "CHECK (handle IS NOT NULL)"),
    ],
)
def test_not_null_spelt_another_way_narrows_nothing(tmp_path: Path, old: str, new: str) -> None:
    assert _kinds(tmp_path, old, new) & NARROWING == set()


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("", "NOT NULL", "rebuild-adds-not-null"),
        ("", "CHECK (handle IS NOT NULL)", "rebuild-narrows-check"),
        ("CHECK (handle IS NOT NULL)", "NOT NULL CHECK (handle <> '')", "rebuild-narrows-check"),
    ],
)
def test_a_column_that_held_null_or_blank_still_warns(
    tmp_path: Path, old: str, new: str, kind: str
) -> None:
    assert kind in _kinds(tmp_path, old, new)
