"""The runner lock: one ``migrate`` or ``rollback`` at a time on a database file.

SQLite's own write lock cannot span a self-managed file (one with its own ``BEGIN`` …
``COMMIT``, goose's ``-- +goose NO TRANSACTION``): between the file's ``COMMIT`` and its
tracking row a second runner could take the lock, see the file pending and run it again
(issue 15: a seed applied twice in 100/100 races). Liquibase and Flyway lock their history
table for the same reason. Here the lock is an OS lock (``flock``) on
``<db>.migration-harness.lock`` beside the database, held from before the tracking table is
read until the last tracking row is written, for every target. The file holds the owner's
pid so a runner that waits can say who holds it; it is removed when the lock is released.

The lock is re-entrant within a thread (the CLI takes it for crash recovery and then calls
the runner, which takes it again), and a database without a file (``:memory:``, the checks'
copies) needs none.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from migration_harness.errors import DatabaseError

LOCK_SUFFIX: Final = ".migration-harness.lock"
# How long a second runner waits for the first: long enough for a real migration, bounded
# so a stuck process is reported instead of hanging a deploy.
LOCK_TIMEOUT_SECONDS: Final = 60.0
_POLL_SECONDS: Final = 0.05

_held: dict[tuple[str, int], int] = {}
_held_guard = threading.Lock()


class LockedError(DatabaseError):
    """Another process holds the runner lock (or SQLite's write lock) past the timeout."""


def database_file(conn: sqlite3.Connection) -> Path | None:
    """The file behind ``conn``'s main database; ``None`` for an in-memory one.

    SQLite names a real file by its absolute path. A database ``deserialize``d into memory
    (the checks' snapshots) is listed under a made-up relative name (``x``): no file.
    """
    for _, name, file in conn.execute("PRAGMA database_list").fetchall():
        if name == "main":
            path = Path(file) if file else None
            return path if path is not None and path.is_absolute() and path.exists() else None
    return None


def lock_path(database: Path) -> Path:
    """Where the runner lock of ``database`` lives."""
    return database.with_name(database.name + LOCK_SUFFIX)


@contextmanager
def runner_lock(conn: sqlite3.Connection, timeout: float | None = None) -> Iterator[None]:
    """Hold the runner lock of ``conn``'s database for the block (no-op in memory).

    Raises:
        LockedError: another process held it for ``timeout`` seconds (its pid named).
        DatabaseError: the lock file cannot be created beside the database.

    """
    database = database_file(conn)
    if database is None:
        yield
        return
    path = lock_path(database)
    # Re-entrant per thread: two threads of one process are two runners (flock tells
    # their descriptors apart), one thread taking it twice is the CLI around the runner.
    key = (str(path.resolve()), threading.get_ident())
    with _held_guard:
        if key in _held:
            _held[key] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    fd = _acquire(path, LOCK_TIMEOUT_SECONDS if timeout is None else timeout)
    with _held_guard:
        _held[key] = 1
    try:
        yield
    finally:
        with _held_guard:
            del _held[key]
        _release(path, fd)


def _acquire(path: Path, timeout: float) -> int:
    """Open and ``flock`` the lock file, retrying until ``timeout``; the locked descriptor.

    The file is removed on release, so a waiter may lock a file already unlinked: it checks
    that the path still names the inode it locked, and starts over when it does not.
    """
    deadline = time.monotonic() + timeout
    while True:
        fd = _open(path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                message = (
                    f"{path.parent / path.name.removesuffix(LOCK_SUFFIX)}: locked by another "
                    f"process ({_owner(path)}) for {timeout:g} s; try again when it has finished"
                )
                raise LockedError(message) from None
            time.sleep(_POLL_SECONDS)
            continue
        if _same_file(fd, path):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)


def _open(path: Path) -> int:
    """The lock file's descriptor, created if missing."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        message = f"{path}: cannot create the runner lock beside the database ({exc.strerror})"
        raise DatabaseError(message) from exc


def _same_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd`` (not unlinked meanwhile)."""
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def _owner(path: Path) -> str:
    """``pid N`` of the lock's holder, as it wrote it."""
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        text = ""
    return f"pid {text}" if text.isdigit() else "pid unknown"


def _release(path: Path, fd: int) -> None:
    """Remove the lock file, then unlock: the next runner finds the path free or relocks."""
    try:
        path.unlink()
    except OSError:
        pass  # a read-only folder or a file already gone: the flock is what counts
    finally:
        os.close(fd)
