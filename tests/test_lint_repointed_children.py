"""MH306: a parent DELETE after the file moved every child to a parent that stays is quiet.

Merging accounts whose logins differ only in case, under Flyway with foreign keys off:
``UPDATE sessions`` points each session at the account that stays (the smallest id of its
login), then ``DELETE FROM accounts`` removes the others. No session is orphaned, yet MH306
said "rows of sessions are left pointing at deleted accounts rows". The proof runs the
file's writes on probe rows (lint/repointed.py). A move to the wrong account, a move that
changes nothing, or one that reads a third table still warns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.lint import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

V1 = (
    "CREATE TABLE accounts (id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE sessions (token TEXT PRIMARY KEY NOT NULL, "
    "account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE) WITHOUT ROWID;\n"
    "CREATE TABLE audit (id INTEGER PRIMARY KEY, account_id INTEGER);\n"
)
MOVE = (
    "UPDATE sessions SET account_id = (SELECT {pick}(a2.id) FROM accounts a1 "
    "JOIN accounts a2 ON a2.login = a1.login COLLATE NOCASE "
    "WHERE a1.id = sessions.account_id);\n"
)
MERGE = (
    "DELETE FROM accounts WHERE id NOT IN "
    "(SELECT min(id) FROM accounts GROUP BY login COLLATE NOCASE);\n"
)


def _mh306(tmp_path: Path, move: str) -> bool:
    sql = tmp_path / "sql"
    sql.mkdir()
    (tmp_path / "flyway.conf").write_text("flyway.locations=filesystem:sql\n")
    (sql / "V1__accounts.sql").write_text(V1)
    (sql / "V2__merge.sql").write_text(move + MERGE)
    return "MH306" in {f.code for f in lint_set(discover(tmp_path), get_target("flyway"))}


def test_children_moved_to_the_parent_that_stays_is_quiet(tmp_path: Path) -> None:
    assert not _mh306(tmp_path, MOVE.format(pick="min"))


@pytest.mark.parametrize(
    "move",
    [
        MOVE.format(pick="max"),  # moved to a parent the DELETE removes
        "UPDATE sessions SET account_id = account_id;\n",  # moves nothing
        # reads a third table: no proof
        "UPDATE sessions SET account_id = (SELECT min(id) FROM accounts) "
        "WHERE account_id IN (SELECT account_id FROM audit);\n",
        "",  # no move at all
    ],
)
def test_children_left_on_deleted_parents_still_warn(tmp_path: Path, move: str) -> None:
    assert _mh306(tmp_path, move)
