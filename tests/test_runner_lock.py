"""Issue 15: the runner lock keeps two ``migrate`` runs off one self-managed file.

Files with their own ``BEGIN`` … ``COMMIT`` (goose's ``NO TRANSACTION``) cannot commit with
their tracking row, so before the lock two real processes racing ``migrate`` both ran the
seed (an ``IntegrityError`` traceback under the sqlite target, a silent double seed under
goose). The long version, with many trials, is ``python -m bench.reliability.race``.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from pathlib import Path

import pytest

from bench.reliability.race import trial
from bench.reliability.sets import TARGETS, seeded, self_managed_set
from migration_harness.sets import lock, runner
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS as RUNNER_TARGETS


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("attempt", range(2))
def test_two_processes_racing_migrate_apply_each_self_managed_file_once(
    tmp_path: Path, target: str, attempt: int
) -> None:
    codes, seeds = trial(tmp_path, target)
    assert codes == [0, 0]
    assert seeds == 2  # each of the two seeding files ran exactly once


def test_a_runner_lock_held_past_the_timeout_names_its_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = self_managed_set(tmp_path, "sqlite")
    db = tmp_path / "app.db"
    conn = runner.connect(db, create=True)
    holder = os.open(lock.lock_path(db), os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    os.write(holder, b"4242\n")
    monkeypatch.setattr(lock, "LOCK_TIMEOUT_SECONDS", 0.1)
    try:
        with pytest.raises(lock.LockedError, match=r"locked by another process \(pid 4242\)"):
            runner.migrate(conn, discover(folder), RUNNER_TARGETS["sqlite"])
    finally:
        os.close(holder)
        conn.close()
    assert seeded(db) == -1  # nothing ran


def test_the_lock_file_is_removed_once_migrate_ends(tmp_path: Path) -> None:
    folder = self_managed_set(tmp_path, "sqlite")
    db = tmp_path / "app.db"
    conn = runner.connect(db, create=True)
    try:
        runner.migrate(conn, discover(folder), RUNNER_TARGETS["sqlite"])
    finally:
        conn.close()
    assert not lock.lock_path(db).exists()
    assert seeded(db) == 2


def test_the_lock_is_reentrant_in_one_thread(tmp_path: Path) -> None:
    conn = runner.connect(tmp_path / "app.db", create=True)
    try:
        with lock.runner_lock(conn, timeout=0.1), lock.runner_lock(conn, timeout=0.1):
            assert lock.lock_path(tmp_path / "app.db").exists()
    finally:
        conn.close()


def test_an_in_memory_database_needs_no_lock() -> None:
    conn = sqlite3.connect(":memory:")
    with lock.runner_lock(conn, timeout=0.1):
        assert lock.database_file(conn) is None
