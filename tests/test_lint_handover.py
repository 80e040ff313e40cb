"""A wrapped file that commits the runner's transaction and begins a new one (the hand-over).

drizzle-kit users write ``COMMIT; PRAGMA foreign_keys=OFF; BEGIN; <rebuild> COMMIT; PRAGMA
foreign_keys=ON; BEGIN;`` (homarr 0001/0023) so the pragma runs outside any transaction,
where SQLite honours it: the file runs, and the rebuild cascades nowhere. lint and check
must both read it so; a file that commits and never begins again, or begins inside the
runner's transaction, fails under the runner and stays an error.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.lint import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

# golang-migrate's mattn driver with _foreign_keys=1 (pocket-id's connection): keys on.
KEYS_ON = replace(get_target("golang-migrate"), foreign_keys=True)

INIT = (
    "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
    "CREATE TABLE posts (id INTEGER PRIMARY KEY, "
    "user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE);\n"
    "CREATE INDEX posts_user ON posts(user_id);\n"
)
REBUILD = (
    "CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT, nick TEXT);\n"
    "INSERT INTO users_new (id, name) SELECT id, name FROM users;\n"
    "DROP TABLE users;\n"
    "ALTER TABLE users_new RENAME TO users;\n"
)
HANDOVER = (
    "COMMIT;\nPRAGMA foreign_keys=OFF;\nBEGIN;\n"
    + REBUILD
    + "COMMIT;\nPRAGMA foreign_keys=ON;\nBEGIN;\n"
)
INSIDE = "PRAGMA foreign_keys=OFF;\n" + REBUILD + "PRAGMA foreign_keys=ON;\n"
NO_REBEGIN = "COMMIT;\nPRAGMA foreign_keys=OFF;\n" + REBUILD + "PRAGMA foreign_keys=ON;\n"


def _set(root: Path, second: str) -> Path:
    folder = root / "migrations"
    folder.mkdir(parents=True)
    (folder / "1_init.up.sql").write_text(INIT)
    (folder / "1_init.down.sql").write_text("DROP TABLE posts;\nDROP TABLE users;\n")
    (folder / "2_nick.up.sql").write_text(second)
    (folder / "2_nick.down.sql").write_text("ALTER TABLE users DROP COLUMN nick;\n")
    return root


def _lint_codes(root: Path) -> set[str]:
    mset = discover(root)
    return {f.code for f in lint_set(mset, KEYS_ON) if f.severity == "error"}


def _check_errors(root: Path) -> set[str]:
    run = check_set(discover(root), KEYS_ON, profile="dev", checks=["apply_keeps_data"])
    return {f.code for f in run.findings if f.severity == "error"}


def test_a_hand_over_file_runs_and_its_pragma_counts(tmp_path: Path) -> None:
    root = _set(tmp_path, HANDOVER)
    assert _lint_codes(root) == set()
    assert _check_errors(root) == set()


def test_the_pragma_inside_the_runners_transaction_cascades(tmp_path: Path) -> None:
    root = _set(tmp_path, INSIDE)
    assert "MH302" in _lint_codes(root)  # rebuild-cascade
    assert "MH141" in _check_errors(root)  # posts lost through ON DELETE CASCADE


@pytest.mark.parametrize(
    ("second", "line"),
    [(NO_REBEGIN, 1), ("BEGIN;\n" + REBUILD + "COMMIT;\n", 1), ("ROLLBACK;\n" + REBUILD, 1)],
    ids=["commit-without-begin", "begin-inside", "rollback"],
)
def test_transaction_statements_that_break_the_wrap_are_errors(
    tmp_path: Path, second: str, line: int
) -> None:
    root = _set(tmp_path, second)
    findings = lint_set(discover(root), KEYS_ON)
    hits = [f for f in findings if f.code == "MH303"]
    assert [f.line for f in hits] == [line]
