"""Hostile inputs of round 27: plugin start-up, odd databases, kills and shared caches.

Each test pins one input that ended in an internal error, a traceback, a silent default
or a lost file before its fix; the clean twin beside it shows the fix refuses nothing real.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
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


# -- standard output that cannot take the output -------------------------------------------


def _harness(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "migration_harness", *map(str, args)]


def test_a_reader_that_closed_the_pipe_ends_the_run_quietly(tmp_path: Path) -> None:
    """``lint | head -0``: the closed pipe was "internal error: BrokenPipeError", exit 3."""
    folder = plain(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = _harness("lint", folder)
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        process.stdout.close()  # the only read end: the run writes into a pipe nobody reads
        _, stderr = process.communicate(timeout=300)
    assert process.returncode == 141, stderr
    assert "internal error" not in stderr
    assert "Exception ignored" not in stderr


def test_a_full_disk_under_the_output_is_one_line_exit_2(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    folder = plain(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            _harness("lint", folder),
            env=env,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line == "error: writing the output failed (No space left on device; free some space)"


def test_output_to_a_reader_that_reads_is_whole(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        _harness("lint", folder), env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith(")")  # the closing "(N ms)" line
    assert "lint findings" in done.stdout


# -- a written file's reason and hint --------------------------------------------------


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (28, "No space left on device; free some space"),
        (13, "Permission denied; check the permissions of its folder"),
        (30, "Read-only file system; write it on another file system"),
        (2, "No such file or directory"),
    ],
    ids=["full", "denied", "read-only", "missing"],
)
def test_a_file_that_cannot_be_written_gets_the_hint_of_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, number: int, reason: str
) -> None:
    """A full disk said "check the permissions of its folder"."""
    from migration_harness.errors import HarnessError
    from migration_harness.report.outputs import replace_text

    def refused(fd: int) -> None:
        raise OSError(number, os.strerror(number))

    monkeypatch.setattr(os, "fsync", refused)
    out = tmp_path / "out.json"
    with pytest.raises(HarnessError) as raised:
        replace_text(out, "{}\n")
    assert str(raised.value) == f"{out}: cannot be written ({reason})"


# -- the version cache -------------------------------------------------------------------


@pytest.mark.parametrize("fails", [False, True], ids=["written", "disk-full"])
def test_a_cache_entry_that_cannot_be_stored_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: bool
) -> None:
    """A failing write kept its ``.tmp-`` file, as big as what fitted, forever."""
    from migration_harness.checks import cache
    from migration_harness.checks.engine import Engine
    from migration_harness.sets.discovery import discover
    from migration_harness.sets.targets import TARGETS

    mset = discover(plain(tmp_path))
    replace = os.replace

    def disk_full(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    if fails:
        monkeypatch.setattr(cache.os, "replace", disk_full)
    store = cache.VersionCache.for_set(tmp_path / "cache", mset, TARGETS["sqlite"])
    assert store is not None
    Engine(mset, TARGETS["sqlite"], store=store)
    monkeypatch.setattr(cache.os, "replace", replace)
    names = sorted(p.name for p in (tmp_path / "cache" / "versions").iterdir())
    assert not [name for name in names if name.startswith(".tmp-")]
    assert store.writable is not fails
    assert len(names) == (0 if fails else 2)
