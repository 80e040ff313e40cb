"""``check``'s lint pass reads whether the set is tracked as the checks (and ``lint``) do.

It used to lint every set as tracked, so for a plain sqlite set (files run by hand) the
lint pass never raised MH412 for a bare CREATE while the checks reported the re-run
failure it predicts: ``check`` said lint had found nothing that data confirmed.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from migration_harness.cli import cli

CREATE = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
CONFIRMED = "confirmed: MH412 create-without-guard in 0001_users"


def plain_set(root: Path, applied: str | None = None) -> Path:
    """A plain sqlite set (harness layout), applied as ``applied`` says (default: untracked)."""
    (root / "migrations").mkdir(parents=True)
    (root / "rollbacks").mkdir()
    (root / "migrations" / "0001_users.sql").write_text(CREATE)
    (root / "rollbacks" / "0001_rollback.sql").write_text("DROP TABLE users;\n")
    if applied is not None:
        (root / "pyproject.toml").write_text(f'[tool.migration-harness]\napplied = "{applied}"\n')
    return root


def check(root: Path, *args: str) -> Result:
    argv = ["check", str(root), "--profile", "dev", "--no-cache", "--no-regressions", "--verbose"]
    return CliRunner().invoke(cli, [*argv, *args])


def test_an_untracked_sets_bare_create_is_mh412_confirmed_by_the_rerun(tmp_path: Path) -> None:
    result = check(plain_set(tmp_path / "app"))
    assert result.exit_code == 1, result.output
    assert "not_idempotent" in result.output
    assert "lint: 1 finding before the checks; check confirmed 1 with data" in result.output
    assert CONFIRMED in result.output


def test_applied_untracked_on_the_command_line_lints_untracked_too(tmp_path: Path) -> None:
    result = check(plain_set(tmp_path / "app", applied="tracked"), "--applied", "untracked")
    assert CONFIRMED in result.output


def test_a_tracked_set_gets_no_mh412_from_checks_lint_pass(tmp_path: Path) -> None:
    """The clean twin: a runner with a tracking table never runs the file twice."""
    result = check(plain_set(tmp_path / "app", applied="tracked"))
    assert result.exit_code == 0, result.output
    assert "MH412" not in result.output
    assert "lint: 0 findings before the checks" in result.output
