"""The plugin reads ``[tool.migration-harness.pre_migration_hooks]`` as the CLI does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import settings

pytest_plugins = ["pytester"]

TABLE = '[tool.migration-harness]\nmigrations = "db"\nchecks = ["rollback"]\nprofile = "dev"\n'
FILES = {
    "db/migrations/0001_users.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
    "db/rollbacks/0001_rollback.sql": "DROP TABLE IF EXISTS users;\n",
    "db/migrations/0002_sessions.sql": "CREATE TABLE sessions (token TEXT PRIMARY KEY);\n",
    "db/rollbacks/0002_rollback.sql": "DROP INDEX IF EXISTS nothing_here;\n",
}


@pytest.fixture(autouse=True)
def _keep_hypothesis_profile() -> Iterator[None]:
    name = settings.get_current_profile_name()
    yield
    settings.load_profile(name)


def project(pytester: pytest.Pytester, extra: str) -> None:
    for name, text in {"pyproject.toml": TABLE + extra, **FILES}.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


HOOKS = '[tool.migration-harness.pre_migration_hooks]\n"{name}" = "hooks/pre2.go"\n'


def test_a_hooks_table_is_a_known_key(pytester: pytest.Pytester) -> None:
    # A hook changes only what a file does on rows: the rollback item still fails.
    project(pytester, extra=HOOKS.format(name="0002_sessions"))
    pytester.runpytest().assert_outcomes(passed=1, failed=1)


def test_a_hook_for_no_migration_is_named(pytester: pytest.Pytester) -> None:
    project(pytester, extra=HOOKS.format(name="0002_sesions"))
    result = pytester.runpytest()
    result.stdout.fnmatch_lines(["*names '0002_sesions', which is no migration*"])
    assert result.ret != 0
