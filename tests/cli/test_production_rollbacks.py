"""``check --production-rollbacks used|unused`` and the config keys, on the planted set.

``examples/unused_rollbacks``: 0002's rollback always fails (a typo in ``DROP TABLE``),
0003 loses every code on deploy. An application that never runs a down file gets a
warning and exit 0 for the first; the second stays an error.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from migration_harness.cli import cli

EXAMPLE = Path(__file__).parents[1] / "examples" / "unused_rollbacks"
ROLLBACK_ONLY = ("--checks", "apply,rollback")


def _set(tmp_path: Path, extra: str = "") -> Path:
    root = Path(shutil.copytree(EXAMPLE, tmp_path / "set"))
    if extra:
        config = root / "pyproject.toml"
        config.write_text(config.read_text() + extra + "\n")
    return root


def _check(root: Path, *extra: str) -> Result:
    return CliRunner().invoke(cli, ["check", str(root), "--profile", "dev", "-j", "1", *extra])


def test_by_default_the_broken_rollback_fails_the_run(tmp_path: Path) -> None:
    root = _set(tmp_path)
    result = _check(root, *ROLLBACK_ONLY)
    assert result.exit_code == 1, result.output
    assert "MH131 error: rollback_error in 0002_orders" in result.output
    assert list((root / "regressions").glob("*.json"))  # an error is a regression file


def test_unused_rollbacks_make_it_a_warning_and_exit_0(tmp_path: Path) -> None:
    root = _set(tmp_path)
    result = _check(root, *ROLLBACK_ONLY, "--production-rollbacks", "unused")
    assert result.exit_code == 0, result.output
    assert "MH136 warning: rollback_error in 0002_orders" in result.output
    assert "the application never runs this rollback" in result.output
    assert not (root / "regressions").exists()  # warnings write no regression file


def test_the_config_key_does_the_same_and_the_json_says_so(tmp_path: Path) -> None:
    root = _set(tmp_path, 'production_rollbacks = "unused"')
    report = tmp_path / "check.json"
    result = _check(root, *ROLLBACK_ONLY, "--no-regressions", "--json", str(report))
    assert result.exit_code == 0, result.output
    (finding,) = [
        f for f in json.loads(report.read_text())["findings"] if f["kind"] == "rollback_error"
    ]
    assert (finding["code"], finding["severity"]) == ("MH136", "warning")


def test_the_option_beats_the_config_key(tmp_path: Path) -> None:
    root = _set(tmp_path, 'production_rollbacks = "unused"')
    result = _check(root, *ROLLBACK_ONLY, "--no-regressions", "--production-rollbacks", "used")
    assert result.exit_code == 1, result.output
    assert "MH131 error" in result.output


def test_a_rollback_at_or_after_the_bound_fails_again(tmp_path: Path) -> None:
    root = _set(tmp_path, 'production_rollbacks_from = "0002_orders"')
    result = _check(root, *ROLLBACK_ONLY, "--no-regressions")
    assert result.exit_code == 1, result.output
    assert "MH131 error: rollback_error in 0002_orders" in result.output
    later = _check(root, *ROLLBACK_ONLY, "--no-regressions", "--production-rollbacks-from", "3")
    assert later.exit_code == 0, later.output
    assert "MH136 warning" in later.output


def test_a_forward_loss_stays_an_error(tmp_path: Path) -> None:
    root = _set(tmp_path)
    result = _check(
        root, "--checks", "apply_keeps_data", "--no-regressions", "--production-rollbacks", "unused"
    )
    assert result.exit_code == 1, result.output
    assert "MH141 error: data_loss in 0003_code_numeric" in result.output


def test_an_unknown_config_value_is_one_line_and_exit_2(tmp_path: Path) -> None:
    root = _set(tmp_path, 'production_rollbacks = "never"')
    result = _check(root, "--no-regressions")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "production_rollbacks = 'never' is not allowed" in lines[0]
    assert not (root / ".migration-harness").exists()  # nothing written


def test_an_unknown_option_value_is_exit_2(tmp_path: Path) -> None:
    result = _check(_set(tmp_path), "--production-rollbacks", "never")
    assert result.exit_code == 2
    assert "'never' is not one of 'used', 'unused'" in result.output


def test_a_bound_naming_no_migration_is_exit_2(tmp_path: Path) -> None:
    root = _set(tmp_path)
    result = _check(root, "--no-regressions", "--production-rollbacks-from", "0009_nothing")
    assert result.exit_code == 2
    assert "production_rollbacks_from = '0009_nothing'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_used_with_a_bound_is_a_usage_error(tmp_path: Path) -> None:
    result = _check(
        _set(tmp_path), "--production-rollbacks", "used", "--production-rollbacks-from", "2"
    )
    assert result.exit_code == 2
    assert "give one of them" in result.output
