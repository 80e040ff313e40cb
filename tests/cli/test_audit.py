"""``migration-harness audit``: foreign keys without a covering index exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from tests.cli.runs_db import RUNS_DB

DB = Path(__file__).resolve().parents[2] / "db"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("target", RUNS_DB)
def test_audit_at_version_11_exits_1_naming_reviews_reviewer(target: str) -> None:
    result = invoke("audit", DB, "--version", "11", "--target", target)
    lines = result.stdout.splitlines()
    assert (result.exit_code, lines[0]) == (1, "29 foreign key(s) at version 11; 1 without index")
    assert len(lines) == 2
    assert lines[1].startswith("  unindexed: reviews(reviewer_user_id) -> users(id): no index (")


@pytest.mark.parametrize("target", RUNS_DB)
def test_audit_at_version_12_exits_0(target: str) -> None:
    result = invoke("audit", DB, "--version", "12", "--target", target)
    assert (result.exit_code, result.stdout) == (
        0,
        "29 foreign key(s) at version 12; 0 without index\n",
    )


def test_audit_defaults_to_the_last_version() -> None:
    result = invoke("audit", DB)
    assert (result.exit_code, result.stdout) == (
        0,
        "29 foreign key(s) at version 12; 0 without index\n",
    )


def test_audit_of_an_unknown_version_exits_2() -> None:
    result = invoke("audit", DB, "--version", "13")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {DB / 'migrations'}: no migration has version 13")
