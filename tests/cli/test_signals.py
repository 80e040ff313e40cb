"""SIGINT, SIGTERM and SIGKILL in the middle of a run: one line, 128 + signal, no leftovers.

Each run is a real process. The set calls an application function (``pause()``) that writes
a file saying where it is and then waits, so every signal lands inside a migration
statement at a known point: the test waits on that file, never on the clock. The function
is Python code running inside SQLite, where sqlite3 swallows what a signal handler raises,
which is how a Ctrl-C turned into a failing file (exit 2) or a finding (exit 1).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migration_harness.checks import parallel

PAUSE = """\
import multiprocessing, os, pathlib, time
HERE = pathlib.Path(__file__).parent
def pause():
    if (HERE / "go").exists():
        return 1
    if os.environ.get("PAUSE_IN") == "worker" and multiprocessing.parent_process() is None:
        return 1
    (HERE / f"paused-{os.getpid()}").write_text("")
    end = time.monotonic() + 30
    while time.monotonic() < end:
        time.sleep(0.01)
    return 1
"""


def paused_set(root: Path) -> Path:
    """Three files; the second inserts a row through ``pause()``."""
    (root / "migrations").mkdir(parents=True)
    (root / "rollbacks").mkdir()
    (root / "migrations" / "0001_a.sql").write_text("CREATE TABLE a(x);\n")
    (root / "migrations" / "0002_b.sql").write_text(
        "CREATE TABLE b(x);\nINSERT INTO b VALUES (pause());\n"
    )
    (root / "migrations" / "0003_c.sql").write_text("CREATE TABLE c(x);\n")
    for name, table in (("0001", "a"), ("0002", "b"), ("0003", "c")):
        (root / "rollbacks" / f"{name}_rollback.sql").write_text(f"DROP TABLE {table};\n")
    (root / "pausing.py").write_text(PAUSE)
    (root / "pyproject.toml").write_text(
        '[tool.migration-harness.functions]\npause = "pausing:pause"\n'
    )
    return root


def start(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "migration_harness", *args],
        cwd=root,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(root: Path, pattern: str, proc: subprocess.Popen[str]) -> list[Path]:
    """The files matching ``pattern`` once one exists (the process must still run)."""
    end = time.monotonic() + 60
    while time.monotonic() < end:
        found = sorted(root.glob(pattern))
        if found:
            return found
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    pytest.fail(f"{pattern} never appeared")


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "migration_harness", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_migrate_stopped_inside_a_file_is_one_line_and_the_file_is_undone(
    tmp_path: Path, signum: signal.Signals
) -> None:
    root = paused_set(tmp_path / "app")
    proc = start(root, "migrate", ".", "--db", "app.db")
    wait_for(root, "paused-*", proc)
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    (line,) = err.strip().splitlines()
    assert line.startswith(f"migrate: stopped by {signum.name} (`status` says where")
    tables = sqlite3.connect(root / "app.db").execute("SELECT name FROM sqlite_master")
    assert "b" not in {name for (name,) in tables}
    status = run(root, "status", ".", "--db", "app.db")
    assert status.stdout.strip().splitlines()[-1] == "1 applied, 2 pending; version 1"
    (root / "go").write_text("")
    again = run(root, "migrate", ".", "--db", "app.db")
    assert again.returncode == 0, again.stderr
    assert "app.db is at version 3" in again.stdout


def test_check_stopped_by_ctrl_c_in_its_workers_ends_in_130_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    root = paused_set(tmp_path / "app")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {"PAUSE_IN": "worker", "TMPDIR": str(scratch)}
    proc = start(root, "check", ".", "-j", "2", "--no-cache", "--profile", "dev", env=env)
    workers = wait_for(root, "paused-*", proc)
    os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert err.strip().splitlines()[-1] == "check: stopped by SIGINT"
    assert "Traceback" not in err
    assert "Aborted" not in err
    for paused in workers:
        assert gone(int(paused.name.split("-")[1]))
    assert list(scratch.iterdir()) == []
    assert not (root / "regressions").exists()


def gone(pid: int) -> bool:
    """Whether ``pid`` has exited within a few seconds (a zombie nobody reaps counts)."""
    end = time.monotonic() + 5
    while time.monotonic() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.01)
    return False


WORKERS = """\
import dataclasses, os, pathlib, sys, time, types
from migration_harness.checks import parallel
HERE = pathlib.Path(sys.argv[1])
@dataclasses.dataclass
class Counters:
    examples: int = 0
engine = types.SimpleNamespace(stats=Counters(), generation=Counters())
def unit(engine, unit):
    (HERE / f"worker-{os.getpid()}").write_text("")
    time.sleep(30)
    return [], False
parallel._forked(engine, [parallel.STATEFUL, parallel.STATEFUL], unit, 2, None)
"""


@pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked on Linux only")
def test_workers_die_with_a_parent_killed_by_sigkill(tmp_path: Path) -> None:
    script = tmp_path / "pool.py"
    script.write_text(WORKERS)
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path)])
    end = time.monotonic() + 60
    while len(list(tmp_path.glob("worker-*"))) < 2 and time.monotonic() < end:
        assert proc.poll() is None
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    for worker in tmp_path.glob("worker-*"):
        assert gone(int(worker.name.split("-")[1])), "a worker outlived its killed parent"
