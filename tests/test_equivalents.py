"""A Go migration's SQL stand-in, named in the config, lets the check go past it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import DiscoveryError
from migration_harness.sets.discovery import discover
from migration_harness.sets.equivalents import with_equivalents
from migration_harness.sets.targets import TARGETS

USERS = (
    "-- +goose Up\nCREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY, slug TEXT);\n"
    "-- +goose Down\nDROP TABLE IF EXISTS users;\n"
)
POSTS = (
    "-- +goose Up\nCREATE TABLE IF NOT EXISTS posts(id INTEGER PRIMARY KEY, "
    "user_id INTEGER REFERENCES users(id));\n-- +goose Down\nDROP TABLE IF EXISTS posts;\n"
)
BACKFILL = (
    "-- +goose Up\nUPDATE users SET slug = lower(slug) WHERE slug <> lower(slug);\n"
    "-- +goose Down\nSELECT 1;\n"
)


def project(tmp_path: Path, equivalents: str) -> Path:
    folder = tmp_path / "db" / "migrations"
    folder.mkdir(parents=True)
    (folder / "001_users.sql").write_text(USERS)
    (folder / "002_backfill.go").write_text("package migrations\n")
    (folder / "003_posts.sql").write_text(POSTS)
    (tmp_path / "db" / "equivalents").mkdir()
    (tmp_path / "db" / "equivalents" / "002_backfill.sql").write_text(BACKFILL)
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.migration-harness]\nmigrations = "db/migrations"\n\n'
        f"[tool.migration-harness.equivalents]\n{equivalents}\n"
    )
    return tmp_path


def test_the_stand_in_runs_in_place_of_the_go_migration(tmp_path: Path) -> None:
    root = project(tmp_path, '"002_backfill.go" = "db/equivalents/002_backfill.sql"')
    mset = with_equivalents(discover(root / "db"), root / "pyproject.toml")
    backfill = mset.migrations[1]
    assert (backfill.program, backfill.id, backfill.path.name) == (
        None,
        "002_backfill.go",
        "002_backfill.sql",
    )
    found = check_set(mset, TARGETS["goose"], profile="dev", checks=["apply", "rollback"])
    assert found.findings == []
    assert all(info.reached for info in found.migrations)


def test_check_uses_the_config_from_the_command_line(tmp_path: Path) -> None:
    root = project(tmp_path, '"002_backfill.go" = "db/equivalents/002_backfill.sql"')
    result = CliRunner().invoke(cli, ["check", str(root / "db"), "--checks", "apply"])
    assert result.exit_code == 0, result.output
    assert "not reached" not in result.stdout


def test_a_name_that_is_no_go_migration_is_one_line_naming_the_known(tmp_path: Path) -> None:
    root = project(tmp_path, '"002_backfil.go" = "db/equivalents/002_backfill.sql"')
    with pytest.raises(DiscoveryError, match=r"names 002_backfil\.go, .*known: 002_backfill\.go"):
        with_equivalents(discover(root / "db"), root / "pyproject.toml")


def test_a_missing_equivalent_is_one_line(tmp_path: Path) -> None:
    root = project(tmp_path, '"002_backfill.go" = "db/equivalents/nope.sql"')
    with pytest.raises(DiscoveryError, match=r"nope\.sql, which does not exist"):
        with_equivalents(discover(root / "db"), root / "pyproject.toml")
