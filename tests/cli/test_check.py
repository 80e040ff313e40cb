"""``migration-harness check``: exit 0 clean, 1 with findings, 2 on bad input; ``--json``."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli

TESTS = Path(__file__).resolve().parents[1]
DB = TESTS.parent / "db"
EXAMPLES = TESTS / "examples"
MigrationSetFactory = Callable[..., Path]  # the migration_set fixture


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["check", *(str(a) for a in args)])


def example(name: str, tmp_path: Path) -> Path:
    """A copy of a planted set: ``check`` may write regressions beside the set it checks."""
    return Path(shutil.copytree(EXAMPLES / name, tmp_path / name))


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


@pytest.fixture(scope="module")
def umbrella(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, dict[str, Any]]:
    out = tmp_path_factory.mktemp("json") / "check.json"
    # A copy: check keeps its version cache beside the set's pyproject.toml (db/).
    root = Path(shutil.copytree(DB, tmp_path_factory.mktemp("umbrella") / "db"))
    result = invoke(root, "--target", "sqlite", "--json", out)
    return result, read(out)


def test_umbrella_set_exits_0(umbrella: tuple[Result, dict[str, Any]]) -> None:
    result, _ = umbrella
    assert result.exit_code == 0, result.output
    assert "0 finding(s)" in result.stdout


def test_json_contract_on_the_umbrella_set(umbrella: tuple[Result, dict[str, Any]]) -> None:
    _, data = umbrella
    assert (data["findings"], data["target"], data["profile"]) == ([], "sqlite", "ci")
    assert {"examples", "rows_generated", "rows_rejected", "seconds"} <= data["stats"].keys()
    assert data["stats"]["examples"] > 0
    assert data["stats"]["rows_generated"] > 0
    by_version = {m["version"]: m for m in data["migrations"]}
    assert sorted(by_version) == list(range(1, 13))
    for entry in data["migrations"]:
        assert {"version", "name", "reversibility", "expected_loss"} <= entry.keys()
        assert entry["reversibility"] in ("reversible", "lossy", "irreversible")
        assert set(entry["expected_loss"]) == {"rows", "cells"}
    assert (by_version[1]["name"], by_version[1]["reversibility"]) == (
        "0001_users_artists",
        "reversible",
    )
    assert (by_version[7]["name"], by_version[7]["reversibility"]) == (
        "0007_clerk_integration",
        "irreversible",
    )


def test_planted_set_exits_1_and_prints_the_finding(tmp_path: Path) -> None:
    result = invoke(example("partial_rollbacks", tmp_path), "--checks", "rollback")
    assert result.exit_code == 1
    assert "missing_rollback in 0002_profiles: has no rollback" in result.stdout
    assert "1 finding(s)" in result.stdout


def test_json_finding_carries_kind_migration_message_and_example(tmp_path: Path) -> None:
    out = tmp_path / "check.json"
    result = invoke(
        example("rebuild_check_edge", tmp_path), "--checks", "apply_keeps_data", "--json", out
    )
    assert result.exit_code == 1
    (finding,) = read(out)["findings"]
    assert {"kind", "migration", "message", "example"} <= finding.keys()
    assert (finding["kind"], finding["migration"], finding["direction"]) == (
        "data_loss",
        "0002_no_zero_stars",
        "apply",
    )
    assert finding["example"]["rows"] == [{"table": "ratings", "values": {"id": 1000, "stars": 0}}]
    assert finding["example"]["steps"][-1] == "apply 0002_no_zero_stars.sql"


def test_json_marks_an_alter_file_not_rerunnable_naming_the_alter(tmp_path: Path) -> None:
    out = tmp_path / "check.json"
    result = invoke(
        example("alter_with_unguarded_index", tmp_path), "--checks", "idempotent", "--json", out
    )
    assert result.exit_code == 1
    data = read(out)
    assert [(f["kind"], f["migration"]) for f in data["findings"]] == [
        ("not_idempotent", "0002_nickname")
    ]
    second = data["migrations"][1]
    assert (second["version"], second["rerunnable"]) == (2, False)
    assert second["unguarded"] == ["ALTER TABLE users ADD COLUMN nickname TEXT;"]


def test_seed_replaces_derandomize_and_is_recorded(tmp_path: Path) -> None:
    out = tmp_path / "check.json"
    result = invoke(
        example("rebuild_filters_nulls", tmp_path),
        "--checks",
        "apply_keeps_data",
        "--seed",
        "3",
        "--json",
        out,
    )
    assert result.exit_code == 1
    data = read(out)
    assert data["seed"] == 3
    assert [f["kind"] for f in data["findings"]] == ["data_loss"]


def test_forward_only_set_exits_0_and_says_so(tmp_path: Path) -> None:
    result = invoke(example("forward_only", tmp_path), "--checks", "apply,rollback,fk_index")
    assert result.exit_code == 0, result.output
    assert "forward-only set" in result.stdout


def test_syntax_error_is_an_apply_error_finding(migration_set: MigrationSetFactory) -> None:
    # Production fails on the file too: a defect of the set, reported, not bad input.
    root = migration_set({1: ("CREATE TABL x;", None)}, layout="wrangler")
    result = invoke(root, "--checks", "apply")
    assert result.exit_code == 1, result.output
    # No error on stderr: only the progress lines a log gets.
    assert [x for x in result.stderr.splitlines() if not x.startswith("progress: ")] == []
    assert (
        'apply_error in 0001_m0001: does not apply on top of the empty database: near "TABL"'
        in (result.stdout)
    )


def test_missing_path_exits_2(tmp_path: Path) -> None:
    result = invoke(tmp_path / "nowhere")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {tmp_path / 'nowhere'}: path does not exist (give a folder holding migrations)\n"
    )


def test_unknown_check_exits_2_suggesting_the_closest(tmp_path: Path) -> None:
    result = invoke(example("forward_only", tmp_path), "--checks", "rollbak")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: --checks rollbak: unknown check (did you mean 'rollback'? "
    )
