"""MH213 (rebuild-narrows-check) when the copy's own WHERE leaves out what the CHECK refuses.

``INSERT INTO matches_new … SELECT … FROM matches WHERE home <> away`` never meets ``CHECK
(home <> away)``: the copy cannot fail (the rows it leaves out are MH218's). A WHERE that
keeps some refused rows still warns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

MATCHES = (
    "CREATE TABLE matches (id INTEGER PRIMARY KEY, home TEXT NOT NULL, away TEXT NOT NULL,"
    " score INTEGER);\n"
)
REBUILD = (
    "CREATE TABLE matches_new (id INTEGER PRIMARY KEY, home TEXT NOT NULL,"
    " away TEXT NOT NULL, score INTEGER, CHECK (home <> away));\n"
    "INSERT INTO matches_new (id, home, away, score)"
    " SELECT id, home, away, score FROM matches{where};\n"
    "DROP TABLE matches;\n"
    "ALTER TABLE matches_new RENAME TO matches;\n"
)


def _kinds(tmp_path: Path, where: str) -> set[str]:
    return {f.kind for f in second_file(tmp_path, MATCHES, REBUILD.format(where=where), "d1")}


@pytest.mark.parametrize(
    "where", [" WHERE home <> away", " WHERE NOT (home = away) AND score IS NOT NULL"]
)
def test_a_copy_leaving_out_the_refused_rows_cannot_fail(tmp_path: Path, where: str) -> None:
    kinds = _kinds(tmp_path, where)
    assert "rebuild-narrows-check" not in kinds
    assert "rebuild-copy-filters" in kinds  # the rows left out are still named


@pytest.mark.parametrize("where", ["", " WHERE score IS NOT NULL", " WHERE home < away OR id = 1"])
def test_a_copy_keeping_refused_rows_still_warns(tmp_path: Path, where: str) -> None:
    assert "rebuild-narrows-check" in _kinds(tmp_path, where)
