"""No "missing foreign-key index" warning where no connection enforces the key.

``missing_fk_index`` (MH153, ``check``) and ``fk-without-index`` (MH413, ``lint``) say that
every delete or key update of the parent scans the child table. SQLite does that scan only
to enforce the key: with ``PRAGMA foreign_keys`` off on the migration connection *and* on
the application's own connections (``application_foreign_keys``, by default as the
migration connection), it never looks at the child, and the warning is false
(ozangulle/plauna, Flyway keys off, got four). Either connection enforcing keys, or D1
(always), keeps it.

The planted set: 0002 makes ``posts.user_id REFERENCES users`` with no index on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.lint import lint_set
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.overrides import with_application_foreign_keys, with_foreign_keys
from migration_harness.sets.targets import TARGETS, Target

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
POSTS = "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));\n"
INDEXED = POSTS + "CREATE INDEX posts_user ON posts (user_id);\n"


def _set(tmp_path: Path, posts: str = POSTS) -> Path:
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_users.sql").write_text(USERS, encoding="utf-8")
    (root / "migrations" / "0002_posts.sql").write_text(posts, encoding="utf-8")
    return root


def _target(name: str, keys: str | None, application: str | None) -> Target:
    """``name`` with ``--foreign-keys`` and ``--application-foreign-keys`` applied."""
    return with_application_foreign_keys(with_foreign_keys(TARGETS[name], keys), application)


def _checked(root: Path, target: Target) -> list[str | None]:
    """The migrations ``check`` names a ``missing_fk_index`` at."""
    run = check_set(discover(root), target, checks=["fk_index"], config=SetConfig())
    return [f.migration for f in run.findings if f.kind == "missing_fk_index"]


def _linted(root: Path, target: Target) -> list[str]:
    """The codes of ``lint``'s ``fk-without-index`` hits."""
    return [f.code for f in lint_set(discover(root), target) if f.kind == "fk-without-index"]


# goose: keys off on the migration connection by default; the application as it.
QUIET = [("goose", None, None), ("goose", "off", "off"), ("flyway", None, None)]
LOUD = [
    ("goose", None, "on"),  # migrates with keys off, serves with them on (Plume)
    ("goose", "on", None),
    ("goose", "on", "off"),  # the migration connection's own deletes scan the child
    ("sqlite", None, None),
    ("d1", None, None),
]


@pytest.mark.parametrize(("name", "keys", "application"), QUIET)
def test_check_is_quiet_where_no_connection_enforces_keys(
    tmp_path: Path, name: str, keys: str | None, application: str | None
) -> None:
    target = _target(name, keys, application)
    assert not target.keys_enforced
    assert _checked(_set(tmp_path), target) == []


@pytest.mark.parametrize(("name", "keys", "application"), LOUD)
def test_check_warns_where_a_connection_enforces_keys(
    tmp_path: Path, name: str, keys: str | None, application: str | None
) -> None:
    assert _checked(_set(tmp_path), _target(name, keys, application)) == ["0002_posts"]


@pytest.mark.parametrize(("name", "keys", "application"), QUIET)
def test_lint_is_quiet_where_no_connection_enforces_keys(
    tmp_path: Path, name: str, keys: str | None, application: str | None
) -> None:
    assert _linted(_set(tmp_path), _target(name, keys, application)) == []


@pytest.mark.parametrize(("name", "keys", "application"), LOUD)
def test_lint_warns_where_a_connection_enforces_keys(
    tmp_path: Path, name: str, keys: str | None, application: str | None
) -> None:
    assert _linted(_set(tmp_path), _target(name, keys, application)) == ["MH413"]


@pytest.mark.parametrize("name", ["goose", "d1"])
def test_an_indexed_key_stays_quiet_everywhere(tmp_path: Path, name: str) -> None:
    root = _set(tmp_path, INDEXED)
    target = _target(name, None, "on")
    assert _checked(root, target) == []
    assert _linted(root, target) == []


@pytest.mark.parametrize(
    ("options", "config", "expected"),
    [
        ([], "", False),
        (["--application-foreign-keys", "on"], "", True),
        ([], 'application_foreign_keys = "on"\n', True),
        (["--foreign-keys", "on"], "", True),
    ],
)
def test_the_cli_reads_both_settings(
    tmp_path: Path, options: list[str], config: str, expected: bool
) -> None:
    """``lint`` and ``check`` take the serving connections' keys from flag or config."""
    root = _set(tmp_path)
    if config:
        (root / "pyproject.toml").write_text(f"[tool.migration-harness]\n{config}")
    base = [str(root), "--target", "goose", *options]
    linted = CliRunner().invoke(cli, ["lint", *base])
    checked = CliRunner().invoke(cli, ["check", *base, "--checks", "fk_index"])
    assert linted.exit_code == 0, linted.output
    assert checked.exit_code == 0, checked.output
    assert ("MH413" in linted.output) is expected
    assert ("MH153" in checked.output) is expected
