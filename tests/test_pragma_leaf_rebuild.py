"""An ignored ``PRAGMA foreign_keys = OFF`` around a rebuild nothing references is no conflict.

drizzle-kit writes ``PRAGMA foreign_keys=OFF`` around every table rebuild, and drizzle (D1,
sqlx, every wrapping runner) ignores it: keys stay on. For a table no foreign key points
at, that changes nothing (dropping it fires no action and is refused by none; the copy into
the new table is at worst refused, loudly), so ``check`` (MH103) and ``lint`` (MH301) stay
quiet, reading the schema the file starts on (sets/fkpragmas.py, :class:`KeyGraph`). The
same rebuild of a table a child references, a write to a table with a trigger, and a file
read without its schema are still reported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.lint import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.fkpragmas import KeyGraph, ignored_pragmas
from migration_harness.sets.sql import open_before, split_statements
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]

AUTHORS_POSTS = """CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    title TEXT
);
"""
# drizzle-kit's shape: posts gets NOT NULL on title, keys "off" around the rebuild
LEAF_REBUILD = """UPDATE posts SET title = '' WHERE title IS NULL;
PRAGMA foreign_keys=OFF;
CREATE TABLE __new_posts (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors(id) ON DELETE CASCADE,
    title TEXT NOT NULL
);
INSERT INTO __new_posts (id, author_id, title) SELECT id, author_id, title FROM posts;
DROP TABLE posts;
ALTER TABLE __new_posts RENAME TO posts;
PRAGMA foreign_keys=ON;
CREATE INDEX posts_author_idx ON posts (author_id);
"""
# the defective twin: a child cascades from posts, and keys on make the DROP delete its rows
COMMENTS = """CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE
);
"""
# a trigger on posts deletes from authors: deleting posts may cascade through it
TRIGGER = """CREATE TRIGGER posts_last AFTER DELETE ON posts BEGIN
    DELETE FROM authors WHERE id = old.author_id;
END;
"""
PRUNE_POSTS = """PRAGMA foreign_keys=OFF;
DELETE FROM posts WHERE title = '';
PRAGMA foreign_keys=ON;
"""


def _conflicts(root: Path, target: str) -> list[str]:
    run = check_set(discover(root), TARGETS[target], checks=["apply"])
    return [f.code for f in run.findings if f.kind == "runner_conflict"]


def _mh301(root: Path, target: str) -> list[int | None]:
    return [f.line for f in lint_set(discover(root), TARGETS[target]) if f.code == "MH301"]


@pytest.mark.parametrize("target", ["d1", "sqlx"])
def test_keys_off_around_a_rebuild_nothing_references_is_quiet(
    migration_set: MigrationSetFactory, target: str
) -> None:
    root = migration_set({1: (AUTHORS_POSTS, None), 2: (LEAF_REBUILD, None)}, layout="wrangler")
    assert _conflicts(root, target) == []
    assert _mh301(root, target) == []


@pytest.mark.parametrize("target", ["d1", "sqlx"])
def test_the_same_rebuild_of_a_parent_is_still_reported(
    migration_set: MigrationSetFactory, target: str
) -> None:
    files = {1: (AUTHORS_POSTS, None), 2: (COMMENTS, None), 3: (LEAF_REBUILD, None)}
    root = migration_set(files, layout="wrangler")
    assert _conflicts(root, target) != []
    assert _mh301(root, target) == [2]


def test_a_child_the_file_creates_before_the_drop_counts(
    migration_set: MigrationSetFactory,
) -> None:
    up = LEAF_REBUILD.replace("PRAGMA foreign_keys=OFF;\n", "PRAGMA foreign_keys=OFF;\n" + COMMENTS)
    root = migration_set({1: (AUTHORS_POSTS, None), 2: (up, None)}, layout="wrangler")
    assert _mh301(root, "d1") == [2]


def test_a_write_to_a_table_with_a_trigger_is_still_reported(
    migration_set: MigrationSetFactory,
) -> None:
    files = {1: (AUTHORS_POSTS, None), 2: (TRIGGER, None), 3: (PRUNE_POSTS, None)}
    root = migration_set(files, layout="wrangler")
    assert _mh301(root, "sqlx") == [1]
    # the twin without the trigger: deleting rows nothing references checks no key
    plain = migration_set({1: (AUTHORS_POSTS, None), 2: (PRUNE_POSTS, None)}, name="plain")
    assert _mh301(plain, "sqlx") == []


def test_an_update_of_an_existing_child_is_still_reported(
    migration_set: MigrationSetFactory,
) -> None:
    # keys on check the UPDATE's new author_id: the pragma has a say
    up = "PRAGMA foreign_keys=OFF;\nUPDATE posts SET author_id = 0 WHERE title = '';\n"
    root = migration_set({1: (AUTHORS_POSTS, None), 2: (up, None)}, layout="wrangler")
    assert _mh301(root, "sqlx") == [1]


def test_without_the_schema_every_ignored_off_is_reported() -> None:
    statements = split_statements(LEAF_REBUILD)
    open_at = open_before(statements, wrapped=True)[:-1]
    assert len(ignored_pragmas(statements, open_at, True, always_on=False)) == 1
    key = ("posts", ("author_id",), "authors")
    leaf = KeyGraph(frozenset({"authors"}), frozenset({"posts"}), frozenset(), frozenset({key}))
    assert ignored_pragmas(statements, open_at, True, always_on=False, graph=leaf) == ()
    # the old posts had no key: the copy into __new_posts is checked with keys on only
    keyless = KeyGraph(frozenset(), frozenset(), frozenset())
    assert len(ignored_pragmas(statements, open_at, True, always_on=False, graph=keyless)) == 1
    parent = KeyGraph(
        frozenset({"authors", "posts"}), frozenset({"posts", "comments"}), leaf.triggered
    )
    assert len(ignored_pragmas(statements, open_at, True, always_on=False, graph=parent)) == 1


# programmerbar 0005 on D1: the rebuild adds REFERENCES authors to posts, which had none
KEYLESS_POSTS = """CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL, title TEXT);
"""


@pytest.mark.parametrize("target", ["d1", "sqlx"])
def test_a_rebuild_that_adds_a_key_over_old_rows_is_still_reported(
    migration_set: MigrationSetFactory, target: str
) -> None:
    """Keys on refuse the copied posts whose author is gone; keys off would copy them."""
    root = migration_set({1: (KEYLESS_POSTS, None), 2: (LEAF_REBUILD, None)}, layout="wrangler")
    assert _mh301(root, target) == [2]
    assert _conflicts(root, target) != []
