"""``lint`` reads whether a set is tracked from where ``check`` reads it.

It used to call every set tracked unless ``--untracked`` was given, so a plain sqlite set
(files run by hand: ``check`` calls it untracked) got no MH412 for a bare CREATE that
``check`` then reported as a re-run failure, and ``applied`` in the config did nothing.
Now: ``--untracked``, else ``applied`` in ``[tool.migration-harness]``, else the target's
default (untracked for plain sqlite, tracked for every runner).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli

CREATE = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["lint", *(str(a) for a in args)])


def plain_set(root: Path, applied: str | None = None) -> Path:
    """A plain sqlite set (harness layout: ``migrations/`` + ``rollbacks/``)."""
    (root / "migrations").mkdir(parents=True)
    (root / "rollbacks").mkdir()
    (root / "migrations" / "0001_users.sql").write_text(CREATE)
    (root / "rollbacks" / "0001_rollback.sql").write_text("DROP TABLE users;\n")
    if applied is not None:
        (root / "pyproject.toml").write_text(f'[tool.migration-harness]\napplied = "{applied}"\n')
    return root


def updown_set(root: Path, applied: str | None = None) -> Path:
    """A golang-migrate set (tracked by its runner)."""
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_users.up.sql").write_text(CREATE)
    (root / "migrations" / "0001_users.down.sql").write_text("DROP TABLE users;\n")
    if applied is not None:
        (root / "pyproject.toml").write_text(f'[tool.migration-harness]\napplied = "{applied}"\n')
    return root


def guard_warned(result: Result) -> bool:
    assert result.exit_code == 0, result.output
    return "MH412 warning" in result.output


def test_a_plain_sqlite_set_is_untracked_by_default_as_check_reads_it(tmp_path: Path) -> None:
    assert guard_warned(invoke(plain_set(tmp_path / "app")))


def test_applied_tracked_in_the_config_keeps_a_plain_set_quiet(tmp_path: Path) -> None:
    """The clean twin: the config says a runner with a tracking table applies it."""
    assert not guard_warned(invoke(plain_set(tmp_path / "app", applied="tracked")))


def test_a_runners_set_stays_tracked_by_default(tmp_path: Path) -> None:
    assert not guard_warned(invoke(updown_set(tmp_path / "app")))


@pytest.mark.parametrize(
    ("applied", "args"),
    [("untracked", []), (None, ["--untracked"]), ("tracked", ["--untracked"])],
)
def test_applied_untracked_or_the_flag_makes_a_runners_set_untracked(
    tmp_path: Path, applied: str | None, args: list[str]
) -> None:
    assert guard_warned(invoke(updown_set(tmp_path / "app", applied=applied), *args))


def test_a_rebuilds_scratch_table_is_no_guard_warning(tmp_path: Path) -> None:
    """The clean twin of MH412 on an untracked set: ``users_new`` is renamed away.

    Applying the file again creates it afresh, so "a second time fails" would be false.
    """
    root = plain_set(tmp_path / "app")
    (root / "migrations" / "0001_users.sql").write_text(
        "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT);\n"
    )
    (root / "migrations" / "0002_users_check.sql").write_text(
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT CHECK (name <> ''));\n"
        "INSERT INTO users_new (id, name) SELECT id, name FROM users;\n"
        "DROP TABLE users;\n"
        "ALTER TABLE users_new RENAME TO users;\n"
        "CREATE TEMP TABLE scratch (id INTEGER);\n"
    )
    (root / "rollbacks" / "0002_rollback.sql").write_text("SELECT 1;\n")
    assert not guard_warned(invoke(root))
    # the same file creating a table it keeps still warns
    (root / "migrations" / "0003_tags.sql").write_text("CREATE TABLE tags (id INTEGER);\n")
    (root / "rollbacks" / "0003_rollback.sql").write_text("DROP TABLE tags;\n")
    result = invoke(root)
    assert guard_warned(result)
    assert result.output.count("MH412") == 1
    assert "0003_tags.sql:1:8: MH412" in result.output
