"""The plugin reads ``production_rollbacks`` as the CLI does (option, ini key, config key).

``examples/unused_rollbacks``: 0002's rollback always fails. Its rollback item fails by
default and passes with a warning in the summary when the application never runs downs.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TABLE = (
    '[tool.migration-harness]\nmigrations = "."\napplied = "tracked"\n'
    'checks = ["rollback"]\nprofile = "dev"\n'
)


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run in process under a user's default warning filters, not this suite's "error"."""
    with warnings.catch_warnings():
        warnings.resetwarnings()
        return pytester.runpytest("-p", "no:randomly", *args)


def project(pytester: pytest.Pytester, extra: str = "") -> None:
    shutil.copytree(EXAMPLES / "unused_rollbacks", pytester.path, dirs_exist_ok=True)
    (pytester.path / "pyproject.toml").write_text(TABLE + extra)


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_the_broken_rollback_fails_its_item_by_default(pytester: pytest.Pytester) -> None:
    project(pytester)
    result = run(pytester)
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*MH131 error: rollback_error in 0002_orders*"])


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_the_config_key_passes_it_with_a_warning(pytester: pytest.Pytester) -> None:
    project(pytester, 'production_rollbacks = "unused"\n')
    result = run(pytester)
    result.assert_outcomes(passed=3, warnings=1)
    result.stdout.fnmatch_lines(["*MH136 warning: rollback_error in 0002_orders*"])


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_the_option_does_the_same(pytester: pytest.Pytester) -> None:
    project(pytester)
    result = run(pytester, "--migration-production-rollbacks=unused")
    result.assert_outcomes(passed=3, warnings=1)


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_a_bound_at_the_migration_keeps_it_failing(pytester: pytest.Pytester) -> None:
    project(pytester, 'production_rollbacks_from = "0002_orders"\n')
    run(pytester).assert_outcomes(passed=2, failed=1)
    (pytester.path / "pyproject.toml").write_text(
        TABLE + 'production_rollbacks_from = "0003_code_numeric"\n'
    )
    run(pytester).assert_outcomes(passed=3, warnings=1)


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_an_unknown_value_is_a_usage_error(pytester: pytest.Pytester) -> None:
    project(pytester)
    result = pytester.runpytest("--migration-production-rollbacks=never")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--migration-production-rollbacks*never*"])


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_a_bound_naming_no_migration_is_a_collection_error(pytester: pytest.Pytester) -> None:
    project(pytester, 'production_rollbacks_from = "0009_nothing"\n')
    result = pytester.runpytest()
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*production_rollbacks_from = '0009_nothing'*"])
