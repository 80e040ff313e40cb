"""Check names: a name no check has is refused in one line, never run as nothing.

``check_set(checks=("idempotency",))`` used to select no check at all and return a clean
run: a user who misspelt ``idempotent`` was told the set passed a check that never ran.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.properties import CHECKS
from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import HarnessError
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]  # the migration_set fixture
FILES = {1: ("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);", "DROP TABLE notes;")}


def test_check_set_refuses_an_unknown_check_naming_the_known_ones(
    migration_set: MigrationSetFactory,
) -> None:
    mset = discover(migration_set(FILES))
    with pytest.raises(HarnessError) as caught:
        check_set(mset, TARGETS["sqlite"], profile="dev", checks=("idempotency",))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("checks idempotency: unknown check (did you mean 'idempotent'?")
    assert all(name in message for name in CHECKS)


def test_check_set_runs_a_known_check_it_is_given(migration_set: MigrationSetFactory) -> None:
    """The right name runs the check: an untracked CREATE TABLE fails a second run."""
    mset = discover(migration_set(FILES))
    run = check_set(mset, TARGETS["sqlite"], profile="dev", checks=("idempotent",))
    assert [f.kind for f in run.findings] == ["not_idempotent"]


def test_cli_checks_option_refuses_an_unknown_check_with_exit_2(
    migration_set: MigrationSetFactory, tmp_path: Path
) -> None:
    root = migration_set(FILES)
    result = CliRunner().invoke(cli, ["check", str(root), "--checks", "apply,idempotency"])
    assert result.exit_code == 2
    known = ", ".join(CHECKS)
    assert result.stderr == (
        "error: --checks idempotency: unknown check (did you mean 'idempotent'? "
        f"choose from {known})\n"
    )
