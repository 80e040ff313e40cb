"""SIGINT and SIGTERM while SQL runs: the stop is remembered, so no error can hide it.

Python runs a signal handler between bytecodes of the main thread. During a long statement
the only Python code running is SQLite's progress handler (the statement clock of
:mod:`~migration_harness.sets.sandbox`) or its authorizer, and sqlite3 swallows what a
callback raises: the ``KeyboardInterrupt`` of a Ctrl-C became ``OperationalError:
interrupted``, and ``migrate`` reported the file as failing (exit 2), ``check`` could report
it as a finding. :func:`handled` installs handlers that write the signal down before raising;
a statement's failure asks :func:`reraise` first, and the CLI turns any end of a stopped run
into one line and exit ``128 + signal``.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Final

SIGNALS: Final = (signal.SIGINT, signal.SIGTERM)

_received: list[int] = []


def received() -> int | None:
    """The signal that asked the run to stop (``None`` while none did)."""
    return _received[0] if _received else None


def reraise() -> None:
    """Raise the stop again when a signal asked for one (its first raise may be lost)."""
    signum = received()
    if signum is not None:
        _raise(signum)


@contextmanager
def handled() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM are written down, then raised.

    SIGINT raises ``KeyboardInterrupt``, as by default; SIGTERM raises ``SystemExit(143)``
    so ``finally`` blocks run (a local D1 shut down, a pool's workers terminated) where the
    default action killed the process on the spot. Outside the main thread (a library
    caller's worker thread) nothing is installed: only the main thread may set handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    _received.clear()
    for signum in SIGNALS:
        signal.signal(signum, _on_signal)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if not _received:
        _received.append(signum)
    _raise(signum)


def _raise(signum: int) -> None:
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    sys.exit(128 + signum)
