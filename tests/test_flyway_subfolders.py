"""Flyway reads its location's sub-folders, and refuses two files that claim one version.

Flyway's filesystem scanner descends into every sub-folder but hidden ones, so a set that
files its migrations by year or release runs all of them in production; the harness read
only the top level and checked part of the history (docs/RUNNERS.md §9). Sub-folders make
a duplicate version easy to miss, and Flyway refuses to start on one: the harness says so
in one line naming both files (exit 2).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.cli import cli
from migration_harness.errors import DuplicateVersionError
from migration_harness.sets import runner
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
POSTS = "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n"
VIEW = (
    "DROP VIEW IF EXISTS post_count;\nCREATE VIEW post_count AS SELECT count(*) AS n FROM posts;\n"
)


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_files_in_sub_folders_are_part_of_the_set_in_version_order(tmp_path: Path) -> None:
    root = write(
        tmp_path / "sql",
        {
            "V1__users.sql": USERS,
            "2025/V3__index.sql": "CREATE INDEX posts_user ON posts(user_id);\n",
            "2024/V2__posts.sql": POSTS,
            "views/R__post_count.sql": VIEW,
        },
    )
    mset = discover(root)
    assert mset.layout == "flyway"
    assert [m.path.relative_to(root).as_posix() for m in mset.migrations] == [
        "V1__users.sql",
        "2024/V2__posts.sql",
        "2025/V3__index.sql",
        "views/R__post_count.sql",
    ]


def test_the_history_row_names_the_script_by_its_path_below_the_location(
    tmp_path: Path,
) -> None:
    """``flyway_schema_history.script`` is the resource's relative path."""
    root = write(tmp_path / "sql", {"V1__users.sql": USERS, "2024/V2__posts.sql": POSTS})
    mset = discover(root)
    conn = sqlite3.connect(":memory:")
    for migration in mset.migrations:
        runner.apply(conn, migration, TARGETS["flyway"])
    scripts = [row[0] for row in conn.execute('SELECT "script" FROM flyway_schema_history')]
    assert scripts == ["V1__users.sql", "2024/V2__posts.sql"]


def test_hidden_sub_folders_are_skipped_as_flyway_skips_them(tmp_path: Path) -> None:
    root = write(tmp_path / "sql", {"V1__users.sql": USERS, ".backup/V2__posts.sql": POSTS})
    assert [m.path.name for m in discover(root).migrations] == ["V1__users.sql"]


def test_a_set_kept_only_in_sub_folders_is_found_as_flyway(tmp_path: Path) -> None:
    root = write(tmp_path / "sql", {"2024/V1__users.sql": USERS, "2024/V2__posts.sql": POSTS})
    mset = discover(root)
    assert (mset.layout, len(mset.migrations)) == ("flyway", 2)


def test_a_project_whose_flyway_folder_holds_only_sub_folders_is_located(
    tmp_path: Path,
) -> None:
    write(tmp_path / "app" / "db" / "migration", {"2024/V1__users.sql": USERS})
    mset = discover(tmp_path / "app")
    assert mset.migrations_dir == tmp_path / "app" / "db" / "migration"
    assert mset.layout == "flyway"


@pytest.mark.parametrize(
    ("files", "shown"),
    [
        ({"2024/V2__posts.sql": POSTS, "2025/V2__other.sql": POSTS}, "version 2 also used by"),
        ({"V2__posts.sql": POSTS, "2024/V2.0__again.sql": POSTS}, "version 2 also used by"),
        (
            {"a/R__post_count.sql": VIEW, "b/R__post_count.sql": VIEW},
            "repeatable description 'post count' also used by",
        ),
    ],
)
def test_two_files_with_one_version_are_one_line_naming_both_exit_2(
    tmp_path: Path, files: dict[str, str], shown: str
) -> None:
    root = write(tmp_path / "sql", {"V1__users.sql": USERS, **files})
    result = CliRunner().invoke(cli, ["check", str(root), "--checks", "apply"])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert shown in line
    for name in files:
        assert str(root / name) in line


def test_duplicate_in_sub_folders_raises_the_discovery_error(tmp_path: Path) -> None:
    root = write(tmp_path / "sql", {"x/V1__a.sql": USERS, "y/V1__b.sql": USERS})
    with pytest.raises(DuplicateVersionError, match="found more than one migration"):
        discover(root)
