"""One profile meaning: the plugin's items run exactly the CLI's budget for a profile name."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import settings

from migration_harness.checks import run
from migration_harness.checks.engine import Engine
from migration_harness.cli import cli

pytest_plugins = ["pytester"]

# What decides how many examples run and whether a failure is remembered.
FIELDS = (
    "max_examples",
    "stateful_step_count",
    "derandomize",
    "deadline",
    "phases",
    "suppress_health_check",
    "print_blob",
)
BUDGET_TEST = """
import json


def test_budget(migration_engine):
    s = migration_engine.settings
    budget = {name: repr(getattr(s, name)) for name in %r}
    budget["database"] = "on" if s.database is not None else "off"
    budget["seed"] = migration_engine.seed
    with open("budget.json", "w") as f:
        json.dump(budget, f)
"""


class _Recorded(Exception):
    """Stops the CLI once its Engine is built: only its settings are wanted."""


def budget_of(engine_settings: settings, seed: int | None) -> dict[str, Any]:
    """The fields of a run's settings that decide its examples, as the plugin test writes."""
    found: dict[str, Any] = {name: repr(getattr(engine_settings, name)) for name in FIELDS}
    # on or off: where it lives differs by design (check keeps it in its cache folder,
    # pytest in Hypothesis's .hypothesis/)
    found["database"] = "on" if engine_settings.database is not None else "off"
    found["seed"] = seed
    return found


def cli_budget(monkeypatch: pytest.MonkeyPatch, project: Path, profile: str | None) -> Any:
    """The settings ``migration-harness check`` builds its Engine with."""
    seen: dict[str, Any] = {}

    class Recording(Engine):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            seen["budget"] = budget_of(kwargs["settings"], kwargs["seed"])
            raise _Recorded

    monkeypatch.setattr(run, "Engine", Recording)
    args = ["check", str(project / "db"), *(["--profile", profile] if profile else [])]
    CliRunner().invoke(cli, args)
    return seen["budget"]


@pytest.mark.parametrize(
    ("profile", "ci"),
    [("dev", False), ("ci", False), ("thorough", False), (None, True)],
)
def test_plugin_and_cli_run_the_same_budget(
    pytester: pytest.Pytester,
    example: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    keep_profile: None,
    profile: str | None,
    ci: bool,
) -> None:
    project = example()
    pytester.makepyprojecttoml('[tool.migration-harness]\nmigrations = "db"\n')
    if ci:
        # What a CI runner has: $CI set, so Hypothesis loaded its own `ci` profile
        # (derandomized, no example database) when it was imported.
        monkeypatch.setenv("CI", "true")
        settings.load_profile("ci")
    else:
        monkeypatch.delenv("CI", raising=False)
    pytester.makepyfile(test_budget=BUDGET_TEST % (FIELDS,))
    option = ["--migration-profile", profile] if profile else []
    result = pytester.runpytest("-p", "no:randomly", "test_budget.py", *option)
    result.assert_outcomes(passed=1)
    plugin = json.loads((project / "budget.json").read_text())
    assert plugin == cli_budget(monkeypatch, project, profile)
    assert plugin["database"] == "on"  # the example database is on
    assert plugin["derandomize"] == "False"
    if profile is None:
        assert plugin["max_examples"] == "25"  # the harness's ci, not Hypothesis's 100
        assert plugin["seed"] == 0
