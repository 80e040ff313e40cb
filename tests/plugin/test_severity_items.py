"""The plugin and severities: an error fails its item; a warning or note passes it and is
listed in pytest's warnings summary as a ``FindingWarning``; ``fail_on`` moves the line."""

from __future__ import annotations

import warnings

import pytest

pytest_plugins = ["pytester"]

SET = {
    "db/migrations/0001_users.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
    "db/migrations/0002_posts.sql": (
        "CREATE TABLE IF NOT EXISTS posts (id INTEGER PRIMARY KEY, "
        "user_id INTEGER REFERENCES users(id));\n"
    ),
}
ITEMS = "pyproject.toml::db::"


def make(pytester: pytest.Pytester, table: str) -> None:
    for name, sql in SET.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql)
    pytester.makepyprojecttoml(
        f'[tool.migration-harness]\nmigrations = "db"\nprofile = "ci"\n'
        f'checks = ["idempotent", "fk_index"]\n{table}\n'
    )


@pytest.fixture(autouse=True)
def _no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run in process under a user's default warning filters, not this suite's "error"."""
    with warnings.catch_warnings():
        warnings.resetwarnings()
        return pytester.runpytest(*args)


def test_notes_and_warnings_pass_and_show_in_the_warnings_summary(
    pytester: pytest.Pytester,
) -> None:
    make(pytester, 'target = "d1"')  # tracked by wrangler: a re-run failure is a note
    result = run(pytester, "-rA")
    result.assert_outcomes(passed=3)
    text = result.stdout.str()
    assert "warnings summary" in text
    assert "FindingWarning: MH112 note: not_idempotent in 0001_users" in text
    assert "FindingWarning: MH153 warning: missing_fk_index" in text


def test_an_untracked_set_fails_the_item(pytester: pytest.Pytester) -> None:
    make(pytester, 'target = "d1"\napplied = "untracked"')
    result = run(pytester, "-v")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([f"*{ITEMS}0001_users::idempotent FAILED*"])
    assert "MH111 error: not_idempotent in 0001_users" in result.stdout.str()


def test_fail_on_warning_fails_the_index_item(pytester: pytest.Pytester) -> None:
    make(pytester, 'target = "d1"')
    result = run(pytester, "-v", "--migration-fail-on", "warning")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([f"*{ITEMS}fk_index FAILED*"])


def test_an_unknown_applied_value_is_a_usage_error(pytester: pytest.Pytester) -> None:
    make(pytester, 'applied = "trakced"')
    result = run(
        pytester,
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: *applied = 'trakced' is not allowed (did you mean 'tracked'?)"]
    )


def goose_rebuild(pytester: pytest.Pytester, foreign_keys: str) -> None:
    """runner_goose without its NO TRANSACTION: PRAGMA foreign_keys=OFF is dead code."""
    import shutil
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "runner_goose"
    shutil.copytree(example, pytester.path / "set")
    rebuild = pytester.path / "set" / "migrations" / "00002_artist_name_check.sql"
    rebuild.write_text(rebuild.read_text().replace("-- +goose NO TRANSACTION\n", ""))
    pytester.makepyprojecttoml(
        '[tool.migration-harness]\nmigrations = "set"\ntarget = "goose"\nprofile = "ci"\n'
        f'checks = ["apply"]\nforeign_keys = "{foreign_keys}"\n'
    )


def test_a_runner_conflict_whose_effect_the_data_checks_see_fails_its_apply_item(
    pytester: pytest.Pytester,
) -> None:
    goose_rebuild(pytester, "on")  # the DROP TABLE cascades: rows are lost (MH102)
    result = run(pytester, "-v")
    result.stdout.fnmatch_lines(["*set::00002_artist_name_check::apply FAILED*"])
    assert "MH102 error: runner_conflict" in result.stdout.str()


def test_a_trailing_pragma_nothing_depends_on_passes_with_a_note(
    pytester: pytest.Pytester,
) -> None:
    goose_rebuild(pytester, "off")  # goose's usual driver: nothing cascades
    result = run(pytester, "-v")
    result.assert_outcomes(passed=2)
    # the OFF asks for the keys-off in effect; the trailing ON is a no-op (MH108, a note)
    assert "FindingWarning: MH108 note: runner_conflict" in result.stdout.str()
