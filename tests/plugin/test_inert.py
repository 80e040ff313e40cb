"""The plugin in projects that never asked for it, and the marker on the items it makes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

# What loading the plugin must not import: the heavy dependencies and the engine's stages.
HEAVY = ("hypothesis", "sqlglot", "faker", "rich", "click", "sqlite_utils")
STAGES = (
    "migration_harness.checks",
    "migration_harness.data",
    "migration_harness.schema",
    "migration_harness.sets.discovery",
    "migration_harness.lint",
    "migration_harness.report",
)


def test_loading_the_plugin_imports_no_heavy_module() -> None:
    # pytest is imported first: a pytest run has it, and only the plugin's cost counts.
    code = (
        "import sys, pytest; before = set(sys.modules); import migration_harness.plugin; "
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout.split()
    assert "migration_harness.plugin.hooks" in loaded  # the probe sees the plugin's modules
    heavy = [m for m in loaded if m.split(".")[0] in HEAVY or m.startswith(STAGES)]
    assert heavy == []


def test_the_package_api_still_imports_on_first_use() -> None:
    code = "import migration_harness as m; print(m.discover.__module__, m.HarnessError.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["migration_harness.sets.discovery", "HarnessError"]


def test_not_migrations_runs_only_the_projects_own_tests(
    pytester: pytest.Pytester, example: Callable[..., Path], no_ci: None
) -> None:
    example()
    pytester.makepyfile(test_own="def test_own():\n    pass\n")
    own = pytester.runpytest("--strict-markers", "-m", "not migrations", "--collect-only", "-q")
    assert [line for line in own.outlines if "::" in line] == ["test_own.py::test_own"]
    theirs = pytester.runpytest("--strict-markers", "-m", "migrations", "--collect-only", "-q")
    ids = [line for line in theirs.outlines if "::" in line]
    assert len(ids) == 14
    assert all(i.startswith("pyproject.toml::db::") for i in ids)


def test_help_lists_every_option_and_ini_key(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    text = result.stdout.str()
    for name in (
        "--migrations=PATH",
        "--migration-profile=NAME",
        "--migration-layout=NAME",
        "--migration-placeholder=NAME=VALUE",
        "migrations_path (string)",
        "migrations_target (string)",
        "migrations_profile (string)",
        "migrations_placeholders (linelist)",
    ):
        assert name in text, name


def test_a_project_with_its_own_harness_package_runs_unharmed(
    pytester: pytest.Pytester, no_ci: None
) -> None:
    # The import name was `harness` once: such a project's pytest could not load the plugin.
    pytester.mkpydir("harness").joinpath("plugin.py").write_text("NAME = 'theirs'\n")
    pytester.makepyfile(
        test_own="from harness.plugin import NAME\n\ndef test_own():\n    assert NAME == 'theirs'\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "migration-harness:" not in result.stdout.str()


def test_the_harness_profiles_can_be_loaded_by_name_without_a_set(
    pytester: pytest.Pytester, no_ci: None
) -> None:
    pytester.makepyfile(
        test_own="from hypothesis import settings\n\n"
        "def test_own():\n    assert settings().max_examples == 25\n"
    )
    result = pytester.runpytest_subprocess("--hypothesis-profile", "migration-harness-ci")
    result.assert_outcomes(passed=1)


def test_plugin_modules_import_each_other_without_cycles() -> None:
    # Imports inside functions count: a deferred import still ties the two modules together.
    import ast
    import graphlib

    folder = Path(__file__).resolve().parents[2] / "migration_harness" / "plugin"
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        if path.stem == "__init__":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[path.stem] = {
            node.module.rsplit(".", 1)[1]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            and node.module is not None
            and node.module.startswith("migration_harness.plugin.")
        }
    assert graph["collect"]
    assert "hooks" not in graph["collect"]
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError on a cycle
