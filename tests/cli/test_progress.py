"""``check``'s progress: dated lines on stderr in a log, stdout left to ``--json -``."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import Step
from migration_harness.cli import cli
from migration_harness.cli.progress import LogLines

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_a_log_gets_progress_lines_on_stderr_and_stdout_stays_json(tmp_path: Path) -> None:
    root = Path(shutil.copytree(EXAMPLES / "rollback_leaves_column", tmp_path / "s"))
    args = ["check", str(root), "--json", "-", "--no-cache", "--no-regressions", "-j", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["findings"]
    lines = [line for line in result.stderr.splitlines() if line.startswith("progress: ")]
    assert lines
    assert "elapsed)" in lines[0]
    total = len(json.loads(result.stdout)["migrations"]) * 6 + 1  # six properties, the fuzzer
    assert f"{total}/{total} checks" in lines[-1]


def test_lines_are_rate_limited_but_the_first_and_last_always_show() -> None:
    lines: list[str] = []
    log = LogLines(lines.append, interval=3600)
    log(Step("0001_a::apply", 1, 4, migration="0001_a"))
    log(Step("0002_b::apply", 2, 4, migration="0002_b"))
    log(Step("0003_c::apply", 3, 4))  # not the end of a migration: never a line
    log(Step("stateful", 4, 4))
    assert [line.split(" (")[0] for line in lines] == [
        "progress: 0001_a checked",
        "progress: stateful done",
    ]
    assert "2 migration(s), 4/4 checks" in lines[-1]


def test_the_heap_loaded_before_the_checks_is_frozen_while_they_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Full collections skip the long-lived heap during the checks (issue 17), and the
    objects are handed back to the collector afterwards (a test process goes on)."""
    from migration_harness.checks import run

    counts: list[int] = []
    real = run.check_set

    def counting(*args: Any, **kwargs: Any) -> Any:
        counts.append(gc.get_freeze_count())
        return real(*args, **kwargs)

    monkeypatch.setattr(run, "check_set", counting)
    root = Path(shutil.copytree(EXAMPLES / "rollback_leaves_column", tmp_path / "s"))
    args = ["check", str(root), "--checks", "rollback", "--no-cache", "--no-regressions"]
    result = CliRunner().invoke(cli, [*args, "-j", "1"])
    assert result.exit_code in (0, 1), result.output
    assert len(counts) == 1
    assert counts[0] > 1000
    assert gc.get_freeze_count() == 0


def test_the_young_generation_is_collected_less_often_while_the_checks_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fewer young and full collections during the checks (issue 17); put back after."""
    from migration_harness.checks import run

    seen: list[tuple[int, int, int]] = []
    real = run.check_set

    def noting(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)

    monkeypatch.setattr(run, "check_set", noting)
    before = gc.get_threshold()
    root = Path(shutil.copytree(EXAMPLES / "rollback_leaves_column", tmp_path / "s"))
    args = ["check", str(root), "--checks", "rollback", "--no-cache", "--no-regressions"]
    result = CliRunner().invoke(cli, [*args, "-j", "1"])
    assert result.exit_code in (0, 1), result.output
    assert seen == [(max(before[0], 5_000), *before[1:])]
    assert gc.get_threshold() == before
