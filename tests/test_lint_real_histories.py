"""Lint warnings that real histories showed false, each beside the defect it must still name.

Flipt (golang-migrate), Flamenco (goose), ncps (dbmate) and emdashcms-org (D1), read in
session 13: a UNIQUE key containing one the table already enforced, or a column the file
added NULL, a ``ROW_NUMBER()`` key, ``DEFAULT ""``, a NUMERIC column rebuilt as INTEGER, a
column moved to another table before a rebuild.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.lint import lint_set
from migration_harness.report.findings import Finding
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

ITEMS = "CREATE TABLE items (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, owner TEXT);"


def _lint(root: Path, *files: str) -> list[Finding]:
    """Lint a harness set of forward files ``NNNN_step.sql``, in order, on sqlite."""
    (root / "migrations").mkdir()
    for i, sql in enumerate(files, start=1):
        (root / "migrations" / f"{i:04d}_step.sql").write_text(sql, encoding="utf-8")
    return lint_set(discover(root), get_target("sqlite"))


def _kinds(findings: list[Finding]) -> set[str]:
    return {f.kind for f in findings}


def _rebuild_items(key: str, select: str = "SELECT id, key, owner FROM items") -> str:
    return (
        f"CREATE TABLE items_new (id INTEGER PRIMARY KEY, key TEXT NOT NULL, owner TEXT, {key});\n"
        f"INSERT INTO items_new (id, key, owner) {select};\n"
        "DROP TABLE items;\nALTER TABLE items_new RENAME TO items;"
    )


@pytest.mark.parametrize(
    ("index", "warned"),
    [
        ("CREATE UNIQUE INDEX i ON items (owner, key);", False),  # contains UNIQUE key
        ("CREATE UNIQUE INDEX i ON items (id);", False),  # the rowid
        ("CREATE UNIQUE INDEX i ON items (owner);", True),
        # NOCASE counts 'A' and 'a' equal; the old BINARY key let both in
        ("CREATE UNIQUE INDEX i ON items (key COLLATE NOCASE, owner);", True),
    ],
)
def test_a_unique_index_containing_an_enforced_key_cannot_meet_duplicates(
    tmp_path: Path, index: str, warned: bool
) -> None:
    findings = _lint(tmp_path, ITEMS, index)
    assert ("unique-on-existing-table" in _kinds(findings)) is warned


@pytest.mark.parametrize(
    ("key", "select", "warned"),
    [
        ("UNIQUE (owner, key)", "SELECT id, key, owner FROM items", False),
        ("UNIQUE (owner)", "SELECT id, key, owner FROM items", True),
        # the copy changes the key's values: lower() can make two of them equal
        ("UNIQUE (owner, key)", "SELECT id, lower(key), owner FROM items", True),
        # a join can repeat a row of items
        (
            "UNIQUE (owner, key)",
            "SELECT items.id, items.key, items.owner FROM items JOIN items AS b ON b.id = items.id",
            True,
        ),
    ],
)
def test_a_rebuilt_key_containing_a_copied_enforced_key_is_quiet(
    tmp_path: Path, key: str, select: str, warned: bool
) -> None:
    findings = _lint(tmp_path, ITEMS, _rebuild_items(key, select))
    assert ("unique-on-existing-table" in _kinds(findings)) is warned


@pytest.mark.parametrize(
    ("partition", "warned"), [("PARTITION BY job_id ", False), ("PARTITION BY note ", True)]
)
def test_a_row_number_within_the_keys_partition_is_unique(
    tmp_path: Path, partition: str, warned: bool
) -> None:
    findings = _lint(
        tmp_path,
        "CREATE TABLE tasks (id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL, note TEXT);",
        "CREATE TABLE tasks_new (id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL, note TEXT,"
        " n INTEGER NOT NULL, UNIQUE (job_id, n));\n"
        "INSERT INTO tasks_new SELECT id, job_id, note,"
        f" ROW_NUMBER() OVER ({partition}ORDER BY id) FROM tasks;\n"
        "DROP TABLE tasks;\nALTER TABLE tasks_new RENAME TO tasks;",
    )
    assert ("unique-on-existing-table" in _kinds(findings)) is warned


@pytest.mark.parametrize(
    ("default", "warned"), [('""', False), ('"none"', False), ('("none")', True)]
)
def test_a_double_quoted_default_value_is_a_string_on_every_build(
    tmp_path: Path, default: str, warned: bool
) -> None:
    # parse.y: `ccons ::= DEFAULT scantok id` makes the name a string token; in
    # parentheses it is an expression, which a build without the legacy refuses
    findings = _lint(
        tmp_path,
        f"CREATE TABLE jobs (id INTEGER PRIMARY KEY, name TEXT DEFAULT {default} NOT NULL);",
    )
    assert ("double-quoted-string" in _kinds(findings)) is warned


@pytest.mark.parametrize(("was", "warned"), [("boolean", False), ("text", True)])
def test_rebuilding_a_numeric_column_as_integer_changes_no_value(
    tmp_path: Path, was: str, warned: bool
) -> None:
    findings = _lint(
        tmp_path,
        f"CREATE TABLE w (id INTEGER PRIMARY KEY, flag {was} NOT NULL DEFAULT 0);",
        "CREATE TABLE w_new (id INTEGER PRIMARY KEY, flag smallint NOT NULL DEFAULT 0);\n"
        "INSERT INTO w_new SELECT id, flag FROM w;\n"
        "DROP TABLE w;\nALTER TABLE w_new RENAME TO w;",
    )
    assert ("cast-narrowing" in _kinds(findings)) is warned


@pytest.mark.parametrize(("moved", "warned"), [("segment_key", False), ("NULL", True)])
def test_a_column_copied_to_another_table_before_a_rebuild_is_moved(
    tmp_path: Path, moved: str, warned: bool
) -> None:
    findings = _lint(
        tmp_path,
        "CREATE TABLE rules (id TEXT PRIMARY KEY, flag TEXT NOT NULL, segment_key TEXT);",
        "CREATE TABLE rules_new (id TEXT PRIMARY KEY, flag TEXT NOT NULL);\n"
        "INSERT INTO rules_new (id, flag) SELECT id, flag FROM rules;\n"
        "CREATE TABLE rule_segments (rule_id TEXT, segment_key TEXT);\n"
        f"INSERT INTO rule_segments (rule_id, segment_key) SELECT id, {moved} FROM rules;\n"
        "DROP TABLE rules;\nALTER TABLE rules_new RENAME TO rules;",
    )
    assert ("rebuild-drops-column" in _kinds(findings)) is warned


@pytest.mark.parametrize(
    ("between", "warned"),
    [
        ("", False),
        ("UPDATE items SET site = 'x';\n", True),
        # the probe rows show 'x' || id distinct in every row: no two keys can clash
        ("UPDATE items SET site = 'x' || id;\n", False),
    ],
)
def test_a_unique_index_over_a_column_the_file_added_null_cannot_clash(
    tmp_path: Path, between: str, warned: bool
) -> None:
    # emdashcms-org 0005: every existing row holds NULL in the new column, and two rows
    # clash only where every column of the key is non-NULL; a backfill changes that
    findings = _lint(
        tmp_path,
        "CREATE TABLE items (id INTEGER PRIMARY KEY, owner TEXT NOT NULL);",
        f"ALTER TABLE items ADD COLUMN site TEXT;\n{between}"
        "CREATE UNIQUE INDEX i ON items (owner, site);",
    )
    assert ("unique-on-existing-table" in _kinds(findings)) is warned


@pytest.mark.parametrize(("key", "warned"), [("TEXT", False), ("INTEGER", True)])
def test_a_rebuild_to_a_text_key_resets_no_counter(tmp_path: Path, key: str, warned: bool) -> None:
    # zerobyte 0029: users moved to text ids; SQLite hands out no ids for them any more
    findings = _lint(
        tmp_path,
        "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);",
        f"CREATE TABLE users_new (id {key} PRIMARY KEY NOT NULL, name TEXT);\n"
        "INSERT INTO users_new (id, name) SELECT id, name FROM users;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;",
    )
    assert ("rebuild-resets-autoincrement" in _kinds(findings)) is warned


@pytest.mark.parametrize(("size", "warned"), [(16, False), (4, True)])
def test_a_key_filled_with_random_uuids_cannot_meet_duplicates(
    tmp_path: Path, size: int, warned: bool
) -> None:
    # modrinth 20260724120000: groups renamed away, re-made with randomblob(16) ids
    findings = _lint(
        tmp_path,
        "CREATE TABLE groups (member TEXT NOT NULL, group_name TEXT NOT NULL);",
        "ALTER TABLE groups RENAME TO legacy;\n"
        "CREATE TABLE groups (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL);\n"
        f"INSERT INTO groups (id, name) SELECT lower(hex(randomblob({size}))), group_name"
        " FROM (SELECT DISTINCT group_name FROM legacy);\n"
        "DROP TABLE legacy;",
    )
    assert ("unique-on-existing-table" in _kinds(findings)) is warned


@pytest.mark.parametrize(
    ("key", "source", "warned"),
    [
        # komf V6: the old key (series_id) plus a column every copied row fills alike
        ("PRIMARY KEY (series_id, server_type)", "ALTER TABLE series RENAME TO series_old", False),
        ("PRIMARY KEY (thumb, server_type)", "ALTER TABLE series RENAME TO series_old", True),
        # a backup made with AS SELECT is another storage: a join there could repeat rows
        (
            "PRIMARY KEY (series_id, server_type)",
            "CREATE TABLE series_old AS SELECT a.* FROM series AS a JOIN series AS b;\n"
            "DROP TABLE series",
            True,
        ),
    ],
)
def test_a_table_renamed_away_before_its_rebuild_keeps_its_key(
    tmp_path: Path, key: str, source: str, warned: bool
) -> None:
    findings = _lint(
        tmp_path,
        "CREATE TABLE series (series_id TEXT NOT NULL PRIMARY KEY, thumb TEXT);",
        f"{source};\n"
        "CREATE TABLE series (series_id TEXT NOT NULL, server_type TEXT NOT NULL,"
        f" thumb TEXT, {key});\n"
        "INSERT INTO series (series_id, thumb, server_type)"
        " SELECT series_id, thumb, 'KOMGA' FROM series_old;\n"
        "DROP TABLE series_old;",
    )
    assert ("unique-on-existing-table" in _kinds(findings)) is warned


@pytest.mark.parametrize(
    ("columns", "select", "warned"),
    [
        # trip2g 20250515071315: SQLite gives every copied row a new rowid
        ("path_id, version", "path_id, version", False),
        # the copy writes the key itself, from a column that may repeat
        ("id, path_id, version", "version, path_id, version", True),
    ],
)
def test_a_new_integer_primary_key_the_copy_leaves_out_is_unique(
    tmp_path: Path, columns: str, select: str, warned: bool
) -> None:
    findings = _lint(
        tmp_path,
        "CREATE TABLE versions (path_id INTEGER NOT NULL, version INTEGER NOT NULL,"
        " PRIMARY KEY (path_id, version));",
        "CREATE TABLE versions_new (id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " path_id INTEGER NOT NULL, version INTEGER NOT NULL, UNIQUE (path_id, version));\n"
        f"INSERT INTO versions_new ({columns}) SELECT {select} FROM versions;\n"
        "DROP TABLE versions;\nALTER TABLE versions_new RENAME TO versions;",
    )
    assert ("unique-on-existing-table" in _kinds(findings)) is warned
