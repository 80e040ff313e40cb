"""Rows a file empties on purpose: a rebuild whose copy is commented out, and the children
a table re-created empty takes with it.

A rebuild that renames its new table into place without copying is a forgotten copy as
often as a choice, so it stays MH141 (lint MH204) — unless the file shows the copy written
and commented out (stump's and spacedrive's Prisma files: "the sessions data will be
lost"); then the loss is the file's word (MH142, lint MH207). A table dropped and re-created
empty by name takes its ``ON DELETE CASCADE`` children with it: under keys on that is the
file's word too (tabby 0027), unless the file switched keys off first (it asked for no
cascade) or puts rows back into the parent (the children's parents are new rows).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.lint.run import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]

SESSIONS = """CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE sessions (
    id TEXT NOT NULL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    data BLOB NOT NULL
);
"""
REBUILD = """CREATE TABLE new_sessions (
    id TEXT NOT NULL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    data BLOB NOT NULL,
    expiry_time TEXT NOT NULL
);
{copy}
DROP TABLE sessions;
ALTER TABLE new_sessions RENAME TO sessions;
"""
COMMENTED = REBUILD.format(
    copy="-- The old session blobs do not decode any more: users log in again.\n"
    '-- INSERT INTO "new_sessions" ("id", "user_id", "data") SELECT "id", "user_id", "data"\n'
    '-- FROM "sessions";'
)
FORGOTTEN = REBUILD.format(copy="-- a new expiry column")

PROVIDERS = """CREATE TABLE providers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, secret TEXT);
CREATE TABLE repositories (
    id INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    name TEXT NOT NULL
);
"""
RECREATE = """DROP TABLE providers;
CREATE TABLE providers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, token TEXT);
"""


def _losses(root: Path, target: str = "sqlx") -> list[str]:
    """``"<code> <table>"`` of each loss; the table is the first name its details give."""
    run = check_set(discover(root), TARGETS[target], profile="ci", checks=["apply_keeps_data"])
    return sorted(f"{f.code} {f.details[0].split(':')[0]}" for f in run.findings)


def _lint(root: Path) -> set[str]:
    return {f.code for f in lint_set(discover(root), TARGETS["sqlx"])}


def test_a_rebuild_whose_copy_is_commented_out_declares_the_loss(
    migration_set: MigrationSetFactory,
) -> None:
    root = migration_set({1: (SESSIONS, None), 2: (COMMENTED, None)}, layout="wrangler")
    run = check_set(discover(root), TARGETS["sqlx"], profile="ci", checks=["apply_keeps_data"])
    assert [f.code for f in run.findings] == ["MH142"]
    assert "ALTER TABLE new_sessions RENAME TO sessions" in run.findings[0].message
    assert "commented out" in run.findings[0].message
    lint = _lint(root)
    assert "MH207" in lint
    assert "MH204" not in lint


def test_a_rebuild_that_forgets_its_copy_stays_a_loss(
    migration_set: MigrationSetFactory,
) -> None:
    root = migration_set({1: (SESSIONS, None), 2: (FORGOTTEN, None)}, layout="wrangler")
    assert _losses(root) == ["MH141 sessions"]
    lint = _lint(root)
    assert "MH204" in lint
    assert "MH207" not in lint


def test_a_commented_copy_into_another_table_declares_nothing(
    migration_set: MigrationSetFactory,
) -> None:
    other = REBUILD.format(copy='-- INSERT INTO "archive" ("id") SELECT "id" FROM "sessions";')
    root = migration_set({1: (SESSIONS, None), 2: (other, None)}, layout="wrangler")
    assert _losses(root) == ["MH141 sessions"]


def test_children_of_a_table_re_created_empty_go_with_it(
    migration_set: MigrationSetFactory,
) -> None:
    root = migration_set({1: (PROVIDERS, None), 2: (RECREATE, None)}, layout="wrangler")
    assert _losses(root) == ["MH142 providers", "MH142 repositories"]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param("PRAGMA foreign_keys = OFF;\n" + RECREATE, id="keys-asked-off"),
        pytest.param(
            RECREATE + "INSERT INTO providers (id, name) VALUES (1, 'github');\n", id="refilled"
        ),
    ],
)
def test_children_stay_a_loss_where_the_file_did_not_ask_for_the_cascade(
    migration_set: MigrationSetFactory, change: str
) -> None:
    root = migration_set({1: (PROVIDERS, None), 2: (change, None)}, layout="wrangler")
    assert "MH141 repositories" in _losses(root)
