"""Folders named like migrations in a flat set are named on stderr with their runner's rule.

They were skipped without a word; wrangler and goose fail on a folder named ``*.sql``,
golang-migrate, dbmate and sqlx skip folders. Flyway runs the migrations inside one, and
its set holds them (tests/test_flyway_subfolders.py), so it names none.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli

CREATE = "CREATE TABLE a (id INTEGER PRIMARY KEY);\n"
GOOSE = "-- +goose Up\nCREATE TABLE a (id INTEGER PRIMARY KEY);\n-- +goose Down\nDROP TABLE a;\n"
WRANGLER = """name = "app"
[[d1_databases]]
binding = "DB"
database_name = "app"
database_id = "00000000-0000-0000-0000-000000000001"
"""


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def flat_set(root: Path, files: dict[str, str], folder: str) -> Path:
    """``migrations/`` with ``files`` and an empty folder named ``folder``."""
    (root / "migrations" / folder).mkdir(parents=True)
    for name, text in files.items():
        (root / "migrations" / name).write_text(text)
    return root


@pytest.mark.parametrize(
    ("files", "folder", "extra", "rule"),
    [
        (
            {"0001_a.sql": CREATE},
            "0002_b.sql",
            ["--target", "d1"],
            "wrangler d1 migrations apply lists it as a migration and fails reading it",
        ),
        (
            {"00001_a.sql": GOOSE},
            "00002_b.sql",
            [],
            "goose lists it as a migration and fails reading it (is a directory)",
        ),
        (
            {"0001_a.up.sql": CREATE, "0001_a.down.sql": "DROP TABLE a;\n"},
            "0002_b.up.sql",
            [],
            "golang-migrate skips folders",
        ),
        ({"0001_a.sql": CREATE}, "0002_b", ["--target", "sqlx"], "sqlx skips folders"),
        (
            {"0001_a.sql": CREATE},
            "0002_b.sql",
            [],
            "a script that runs every *.sql entry fails on it",
        ),
    ],
)
def test_a_folder_named_like_a_migration_is_named_with_its_runners_rule(
    tmp_path: Path, files: dict[str, str], folder: str, extra: list[str], rule: str
) -> None:
    root = flat_set(tmp_path / "app", files, folder)
    result = invoke("lint", root / "migrations", *extra)
    assert result.exit_code == 0, result.output
    line = f"note: migrations/{folder}/ is a folder named like a migration: {rule}" in result.stderr
    assert line, result.stderr
    assert result.stderr.count(f"migrations/{folder}/") == 1


def test_the_d1_project_names_the_folder_under_wrangler(tmp_path: Path) -> None:
    root = flat_set(tmp_path / "app", {"0001_a.sql": CREATE}, "0002_b.sql")
    (root / "wrangler.toml").write_text(WRANGLER)
    result = invoke("check", root, "--checks", "apply", "--profile", "dev", "--no-cache")
    assert "wrangler d1 migrations apply lists it as a migration" in result.stderr


@pytest.mark.parametrize("folder", ["archive", "meta", ".git", "seeds.sql"])
def test_a_folder_not_named_like_a_migration_says_nothing(tmp_path: Path, folder: str) -> None:
    """The clean twin: folders that are no migration by name stay quiet."""
    root = flat_set(tmp_path / "app", {"0001_a.sql": CREATE}, folder)
    result = invoke("lint", root / "migrations")
    assert result.exit_code == 0, result.output
    assert "named like a migration" not in result.stderr
