"""How failed items read: each finding once, one summary line each, SQL lines whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ARGS = ("-p", "no:randomly", "--migration-checks", "lint,rollback_keeps_data")
FAILED = (
    "pyproject.toml::db::0002_tags::lint",
    "pyproject.toml::db::0002_tags::rollback_keeps_data",
)


def summary(result: pytest.RunResult) -> list[str]:
    """The lines of pytest's short test summary section."""
    lines = result.outlines
    start = next(i for i, line in enumerate(lines) if "short test summary info" in line)
    return [line for line in lines[start + 1 :] if not line.startswith("=")]


@pytest.mark.parametrize("xdist", [False, True])
def test_under_ci_each_failure_is_shown_once_and_summarised_in_one_line(
    pytester: pytest.Pytester,
    example: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    keep_profile: None,
    xdist: bool,
) -> None:
    example("plugin_lossy_rollback")
    monkeypatch.setenv("CI", "true")  # pytest prints summary messages untrimmed under CI
    result = pytester.runpytest(*ARGS, *(("-n", "1") if xdist else ()))
    result.assert_outcomes(passed=2, failed=2)
    text = result.stdout.str()
    assert text.count("Minimal example (rows inserted first):") == 1
    assert text.count("Replay: migration-harness check db") == 1
    # In run order, which xdist changes (longest items first): sorted, lint comes first.
    lines = sorted(summary(result))
    assert [line.split(" - ")[0] for line in lines] == [f"FAILED {i}" for i in FAILED]
    assert lines[1].endswith(
        "MH141 error: data_loss in 0002_tags: rolling it back loses or changes 1 row(s) of "
        "users held while it was applied (users existed before it, so rolling it back must "
        "keep them)"
    )
    assert "MH204 error" in lines[0]


def test_sql_examples_stay_whole_lines_on_a_narrow_terminal(
    pytester: pytest.Pytester,
    example: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    no_ci: None,
) -> None:
    example("plugin_lossy_rollback")
    monkeypatch.setenv("COLUMNS", "50")
    result = pytester.runpytest(*ARGS)
    inserts = [line for line in result.outlines if 'INSERT INTO "' in line]
    assert inserts, "the failure shows its minimal example"
    for line in inserts:
        assert line.startswith('  INSERT INTO "users" ("id", "email", "name") VALUES (')
        assert line.endswith(");")
    # pytest's own lines follow the terminal's width: summary messages are trimmed to 50
    # columns (a node id alone may be longer: it is never cut).
    assert all(len(line) <= 50 for line in summary(result) if " - " in line)
    separators = [line for line in result.outlines if line.startswith("===")]
    assert separators
    assert all(len(line) <= 50 for line in separators)
