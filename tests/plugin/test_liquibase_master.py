"""The plugin on a Liquibase project whose master changelog orders the set."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "liquibase_master"
# The master includes b_users.sql before a_user_email.sql: by name the ALTER would run
# before the table exists.
FIRST, SECOND = "b_users::users", "a_user_email::email"


@pytest.fixture(autouse=True)
def _no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default profile depends on $CI; the example pins its own."""
    monkeypatch.delenv("CI", raising=False)


def test_master_driven_set_collects_and_passes_in_the_masters_order(
    pytester: pytest.Pytester,
) -> None:
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True)
    listing = pytester.runpytest("--collect-only", "-q")
    applies = [line for line in listing.outlines if line.endswith("::apply")]
    assert applies == [
        f"pyproject.toml::changelog::{FIRST}::apply",
        f"pyproject.toml::changelog::{SECOND}::apply",
    ]
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.OK
    assert result.parseoutcomes().get("failed", 0) == 0


def test_header_shows_the_sets_notes(pytester: pytest.Pytester) -> None:
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True)
    result = pytester.runpytest("--collect-only")
    header = "migration-harness: note: changesets run in the order of the master changelog"
    assert header in result.stdout.str()
