"""The plugin's lint items read whether the set is tracked as ``check`` and ``lint`` do.

Its lint pass used to call every set tracked: a plain sqlite set (files run by hand) got
no MH412 for a bare CREATE that its own ``idempotent`` item then failed on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CREATE = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"


def plain_project(root: Path, applied: str | None) -> None:
    """A plain sqlite set in ``db/`` and the pyproject.toml that points the plugin at it."""
    (root / "db" / "migrations").mkdir(parents=True)
    (root / "db" / "rollbacks").mkdir()
    (root / "db" / "migrations" / "0001_users.sql").write_text(CREATE)
    (root / "db" / "rollbacks" / "0001_rollback.sql").write_text("DROP TABLE users;\n")
    config = ["[tool.migration-harness]", 'migrations = "db"', 'target = "sqlite"']
    config += ['profile = "dev"'] + ([f'applied = "{applied}"'] if applied else [])
    (root / "pyproject.toml").write_text("\n".join(config) + "\n")


@pytest.mark.usefixtures("no_ci", "keep_profile")
def test_an_untracked_sets_lint_item_warns_of_a_bare_create(pytester: pytest.Pytester) -> None:
    plain_project(pytester.path, applied=None)
    result = pytester.runpytest("-k", "lint", "-rP")
    result.assert_outcomes(passed=1)  # MH412 is a warning: listed, not failing
    result.stdout.fnmatch_lines(["*MH412 warning*"])


@pytest.mark.usefixtures("no_ci", "keep_profile")
def test_a_tracked_sets_lint_item_stays_quiet(pytester: pytest.Pytester) -> None:
    """The clean twin: ``applied = "tracked"``, a runner never runs the file twice."""
    plain_project(pytester.path, applied="tracked")
    result = pytester.runpytest("-k", "lint", "-rP")
    result.assert_outcomes(passed=1)
    assert "MH412" not in result.stdout.str()
