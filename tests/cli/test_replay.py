"""End to end: check writes a regression for a history bug; replay fails, then passes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from migration_harness.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FIXED_ROLES = (
    "CREATE TABLE IF NOT EXISTS roles(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
    "INSERT OR IGNORE INTO roles(name) VALUES ('admin'), ('member');\n"
)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "set"
    shutil.copytree(
        EXAMPLES / "history_seed_rerun", target, ignore=shutil.ignore_patterns("regressions")
    )
    return target


def _check(root: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["check", str(root), "--checks", "stateful", "--target", "sqlite", *extra]
    )
    return result.exit_code, result.output


def test_check_writes_a_regression_named_for_kind_and_migration(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    code, output = _check(root)
    assert code == 1
    files = sorted((root / "regressions").glob("*.json"))
    assert [f.name.rsplit("-", 1)[0] for f in files] == ["not_idempotent-0002_roles"]
    data = json.loads(files[0].read_text())
    assert data["finding"]["kind"] == "not_idempotent"
    assert [s["op"] for s in data["history"]][-1] == "rerun"
    assert len(data["history"]) <= 4
    assert f"replay: migration-harness replay {files[0]}" in output


def test_no_regressions_flag_writes_nothing(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    code, _ = _check(root, "--no-regressions")
    assert code == 1
    assert not (root / "regressions").exists()


def test_replay_fails_while_the_bug_exists_and_passes_once_fixed(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _check(root)
    regression = next((root / "regressions").glob("*.json"))
    runner = CliRunner()
    broken = runner.invoke(cli, ["replay", str(regression)])
    assert broken.exit_code == 1
    assert "not_idempotent in 0002_roles" in broken.output
    (root / "migrations" / "0002_roles.sql").write_text(FIXED_ROLES)
    fixed = runner.invoke(cli, ["replay", str(regression)])
    assert fixed.exit_code == 0
    assert fixed.output.startswith("fixed: not_idempotent in 0002_roles no longer occurs")


def test_replay_refuses_a_file_that_is_not_a_regression(tmp_path: Path) -> None:
    bogus = tmp_path / "regressions" / "x.json"
    bogus.parent.mkdir()
    bogus.write_text("[1, 2]")
    result = CliRunner().invoke(cli, ["replay", str(bogus)])
    assert result.exit_code == 2
    assert str(bogus) in result.stderr
