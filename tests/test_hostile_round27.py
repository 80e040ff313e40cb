"""Hostile inputs of round 27: plugin start-up, odd databases, kills and shared caches.

Each test pins one input that ended in an internal error, a traceback, a silent default
or a lost file before its fix; the clean twin beside it shows the fix refuses nothing real.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

import migration_harness
from migration_harness.cli import cli
from tests.test_hostile import plain

ROOT = Path(migration_harness.__file__).resolve().parents[1]


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line(result: Result) -> str:
    """The single stderr line of an exit-2 run."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    (line,) = result.stderr.strip().splitlines()
    return line


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in its own process, as a user runs it, with the plugin loaded from here."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args]
    return subprocess.run(
        command, cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False
    )


# -- the pytest plugin starting up ---------------------------------------------------------


def test_the_plugin_evaluates_no_strategy_while_pytest_loads_it(tmp_path: Path) -> None:
    """Reading a strategy's label at import warned (an INTERNALERROR under ``-W error``)."""
    folder = plain(tmp_path)
    warning = "error::hypothesis.errors.HypothesisSideeffectWarning"
    done = run_pytest(folder, "--migrations", ".", "--migration-checks", "apply", "-W", warning)
    assert "INTERNALERROR" not in done.stdout + done.stderr, done.stdout + done.stderr
    assert "HypothesisSideeffectWarning" not in done.stdout + done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def _usage_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 4, done.stdout + done.stderr
    (line,) = [text for text in done.stderr.splitlines() if text.startswith("ERROR:")]
    return line


def test_an_ini_key_given_with_o_and_no_ini_file_is_named_as_o(tmp_path: Path) -> None:
    """Without an ini file the message named the key's file ``None``."""
    folder = plain(tmp_path)
    done = run_pytest(folder, "--migrations", ".", "-o", "migrations_fail_on=bogus")
    line = _usage_line(done)
    assert line.startswith("ERROR: -o migrations_fail_on = 'bogus': unknown fail_on 'bogus'")
    assert "None" not in line


def test_an_ini_key_in_the_ini_file_is_named_by_the_file(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    (folder / "pytest.ini").write_text("[pytest]\nmigrations_fail_on = bogus\n")
    line = _usage_line(run_pytest(folder, "--migrations", "."))
    assert line.startswith(f"ERROR: {folder / 'pytest.ini'} migrations_fail_on = 'bogus'")
