"""MH327 (drop-parent-refused) under ``PRAGMA defer_foreign_keys``: ON is not enough.

With keys on, a rebuild's ``DROP TABLE users`` counts one deferred violation for each
child row of a NO ACTION key, and renaming the copy in takes none away: the commit fails
('FOREIGN KEY constraint failed'; sqlite3 3.40 and the check's D1 both say so). ``PRAGMA
defer_foreign_keys = OFF`` after the DROP, before the transaction ends, clears the count
(Cloudflare's rebuild recipe turns it off at the end). A DROP run in autocommit commits at
once, with the count in place (Platformatic's statements, each run by itself).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.lint_pairs import lines_of, second_file

HISTORY = """
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id));
CREATE INDEX notes_user ON notes(user_id);
"""

REBUILD = """CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
INSERT INTO users_new (id, name) SELECT id, coalesce(name, '') FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
"""

ON = "PRAGMA defer_foreign_keys = ON;\n"
OFF = "PRAGMA defer_foreign_keys = OFF;\n"


def _refused(tmp_path: Path, up: str, target: str) -> list[int | None]:
    # Platformatic runs each statement by itself, outside any transaction, keys on
    names = ("001.do.start.sql", "002.do.change.sql") if target == "platformatic" else None
    found = second_file(tmp_path, HISTORY, up, target, *([names] if names else []))
    return lines_of(found, "MH327")


def _applies(up: str) -> bool:
    """Whether sqlite3 itself applies ``up`` (keys on, autocommit) over a child row."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.executescript(HISTORY + "INSERT INTO users VALUES (1, NULL);")
    db.executescript("INSERT INTO notes VALUES (1, 1);")
    try:
        db.executescript(up)
    except sqlite3.IntegrityError:
        return False
    finally:
        db.close()
    return True


@pytest.mark.parametrize(
    ("up", "target", "refused"),
    [
        (ON + REBUILD + OFF, "sqlx", False),
        (ON + REBUILD, "sqlx", True),
        (OFF + ON + REBUILD, "sqlx", True),
        (ON + "BEGIN;\n" + REBUILD + OFF + "COMMIT;\n", "sqlite", False),
        (ON + "BEGIN;\n" + REBUILD + "COMMIT;\n" + OFF, "sqlite", True),
        (ON + REBUILD + OFF, "platformatic", True),
    ],
    ids=["off-after", "on-only", "off-before", "own-tx", "off-after-commit", "autocommit"],
)
def test_a_deferred_rebuild_passes_only_when_turned_off_before_the_commit(
    tmp_path: Path, up: str, target: str, refused: bool
) -> None:
    assert bool(_refused(tmp_path, up, target)) is refused
    # sqlx wraps the file; a file holding its own BEGIN, and Platformatic's, run as written
    wrapped = "BEGIN;\n" + up + "COMMIT;\n" if target == "sqlx" else up
    assert _applies(wrapped) is not refused
