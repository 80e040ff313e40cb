"""The plugin under pytest-xdist: the same work as ``-n 0`` and the CLI, handed out well."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.cli import cli

pytest_plugins = ["pytester"]

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
STATEFUL = "pyproject.toml::db::stateful"
# Each process that ran items writes what its Engine counted: a worker, or the only process.
COUNTING_CONFTEST = """
import json
import os

from migration_harness.plugin.state import state_of


def pytest_sessionfinish(session):
    state = state_of(session.config)
    engine = state._engine if state is not None else None
    if engine is None:  # the xdist controller runs no item
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(f"counts-{worker}.json", "w") as out:
        json.dump(engine.stats.examples, out)
"""


@pytest.fixture(autouse=True)
def _no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default profile depends on $CI; these runs name theirs."""
    monkeypatch.delenv("CI", raising=False)


def clean_project(pytester: pytest.Pytester) -> Path:
    """A clean two-migration set and a conftest that records each process's counts."""
    shutil.copytree(EXAMPLES / "plugin_clean", pytester.path, dirs_exist_ok=True)
    pytester.makeconftest(COUNTING_CONFTEST)
    return pytester.path


def counted(folder: Path) -> int:
    """The examples every process that ran items counted, summed; the files then go.

    Examples only: how many rows they held varies from run to run even without xdist
    (75, 81 and the CLI's 78 in three runs of the same set), not how many ran.
    """
    total = 0
    for path in sorted(folder.glob("counts-*.json")):
        total += json.loads(path.read_text())
        path.unlink()
    return total


def test_a_worker_runs_the_longest_items_first(pytester: pytest.Pytester) -> None:
    """The fuzzer, then the data checks, then idempotent, then the quick items."""
    clean_project(pytester)
    serial = pytester.runpytest("--collect-only", "-q", "-p", "no:cacheprovider")
    ids = [line for line in serial.outlines if "::" in line]
    assert ids[-1] == STATEFUL  # -n 0 keeps the report order
    result = pytester.runpytest_subprocess("-v", "-n", "1", "-p", "no:cacheprovider")
    ran = [line.split()[-1] for line in result.outlines if line.startswith("[gw0]")]
    ranks = {"stateful": 0, "apply_keeps_data": 1, "rollback_keeps_data": 1, "idempotent": 2}
    assert ran == sorted(ids, key=lambda i: ranks.get(i.rsplit("::", 1)[1], 3))
    assert ran[:3] == [
        STATEFUL,
        "pyproject.toml::db::0001_users::apply_keeps_data",
        "pyproject.toml::db::0001_users::rollback_keeps_data",
    ]


def test_plugin_runs_the_cli_examples_with_and_without_xdist(
    pytester: pytest.Pytester,
) -> None:
    """Same profile, same examples: the CLI, the plugin, and the plugin on two workers."""
    folder = clean_project(pytester)
    profile = ["--migration-profile", "dev", "-p", "no:cacheprovider"]
    pytester.runpytest(*profile).assert_outcomes(passed=14)
    serial = counted(folder)
    result = pytester.runpytest_subprocess(*profile, "-n", "2")
    result.assert_outcomes(passed=14)
    assert len(list(folder.glob("counts-gw*.json"))) == 2  # both workers ran items
    assert counted(folder) == serial
    report = folder / "run.json"
    args = ["check", str(folder / "db"), "--profile", "dev", "-j", "1", "--json", str(report)]
    CliRunner().invoke(cli, [*args, "--no-cache"])
    stats = json.loads(report.read_text())["stats"]
    assert serial > 0
    assert serial == stats["examples"]
