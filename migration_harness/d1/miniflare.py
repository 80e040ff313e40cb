"""A real local Cloudflare D1: one long-lived Node process hosting Miniflare (workerd).

The ``d1`` target emulates D1's rules on Python's sqlite3; this module runs the real thing.
``harness/d1/server.mjs`` starts Miniflare with one D1 binding and a small Worker
(``harness/d1/worker.mjs``) that does "make D1 hold this state, run this batch, read the
state back" in one HTTP request on loopback, so a migration file costs one round trip.

One process serves a whole run (one per xdist worker, since each is a process): it starts
on first use, survives between examples (they reset D1 by dropping objects), and is always
shut down — by the context manager, at interpreter exit, or by Node itself when our stdin
closes (a killed Python). Node and Miniflare write temp folders (``miniflare-*``) under
``TMPDIR``; we point it at a folder of our own and remove it at shutdown.
"""

from __future__ import annotations

import atexit
import http.client
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from migration_harness.d1.npm import EngineUnavailableError, find_node_modules, install_hint
from migration_harness.errors import HarnessError

DEFAULT_DATABASE_ID: Final = "00000000-0000-0000-0000-000000000000"
_HERE: Final = Path(__file__).resolve().parent
_START_TIMEOUT_SECONDS: Final = 60.0
_STOP_TIMEOUT_SECONDS: Final = 10.0
_IDLE_RECONNECT_SECONDS: Final = 1.0
# Offline and quiet: no metrics, no update checks against the registry.
_QUIET_ENV: Final = {
    "WRANGLER_SEND_METRICS": "false",
    "WRANGLER_SEND_ERROR_REPORTS": "false",
    "WRANGLER_HIDE_BANNER": "true",
    "MINIFLARE_DISABLE_TELEMETRY": "true",
}


class EngineFailedError(HarnessError):
    """The local D1 process died or answered something the harness cannot read."""


def find_node() -> str:
    """The ``node`` executable, or a one-line error with the install hint."""
    node = shutil.which("node")
    if node is None:
        message = f"--engine miniflare: `node` not found on PATH ({install_hint()})"
        raise EngineUnavailableError(message)
    return node


def tool_env(tmpdir: Path) -> dict[str, str]:
    """The environment for Node tools: offline, quiet, temp files under ``tmpdir``."""
    return {**os.environ, **_QUIET_ENV, "CI": "1", "TMPDIR": str(tmpdir)}


class LocalD1:
    """One Miniflare process with one D1 database, driven over HTTP on loopback.

    Args:
        persist: Miniflare's D1 persistence folder (``<persist-to>/v3/d1``, where wrangler
            keeps it); ``None`` keeps the database in memory for the process's life. A
            relative folder is the caller's: Node runs in a temp folder, so it is made
            absolute here (a relative one once persisted into that temp folder and vanished).
        database_id: the binding's ``database_id``: with ``persist`` it selects the file,
            so it must be wrangler.toml's for wrangler to see the same database.
        near: the migrations folder, where the project's own ``node_modules`` is looked
            for first (:func:`~migration_harness.d1.npm.find_node_modules`).

    """

    def __init__(
        self,
        *,
        persist: Path | None = None,
        database_id: str = DEFAULT_DATABASE_ID,
        near: Path | None = None,
    ) -> None:
        self.persist = persist.absolute() if persist is not None else None
        self.database_id = database_id
        self.near = near
        self._process: subprocess.Popen[bytes] | None = None
        self._http: http.client.HTTPConnection | None = None
        self._tmpdir: Path | None = None
        self._lock = threading.Lock()
        self.requests = 0
        self._last_used = 0.0
        # Digest of the state D1 holds (as a local image), so a file run on a connection
        # D1 already mirrors skips the reset and push; None when unknown.
        self.fingerprint: bytes | None = None

    def __enter__(self) -> LocalD1:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def running(self) -> bool:
        """Whether the Node process is up."""
        return self._process is not None and self._process.poll() is None

    def request(self, body: dict[str, Any]) -> dict[str, Any]:
        """Send one request to the Worker (starting the process on first use)."""
        with self._lock:
            if not self.running:
                self._start()
            assert self._http is not None
            if time.monotonic() - self._last_used > _IDLE_RECONNECT_SECONDS:
                # workerd drops idle keep-alive connections after a few seconds: a request
                # sent on one would fail half-way, so start a fresh connection instead.
                self._http.close()
            payload = json.dumps(body)
            try:
                self._http.request("POST", "/", payload, {"content-type": "application/json"})
                answer = self._http.getresponse().read()
            except (OSError, http.client.HTTPException) as exc:
                self.close()
                message = f"local D1: lost the Miniflare process ({exc}); it was shut down"
                raise EngineFailedError(message) from exc
            self.requests += 1
            self._last_used = time.monotonic()
        try:
            result: dict[str, Any] = json.loads(answer)
        except ValueError as exc:
            message = f"local D1: unreadable answer from the Worker: {answer[:200]!r}"
            raise EngineFailedError(message) from exc
        return result

    def close(self) -> None:
        """Stop Miniflare and remove its temp folder; safe to call twice."""
        process, self._process = self._process, None
        self.fingerprint = None
        if self._http is not None:
            self._http.close()
            self._http = None
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()  # server.mjs disposes Miniflare when stdin closes
            try:
                process.wait(_STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    @property
    def workdir(self) -> Path | None:
        """The temporary folder of the running engine (``None`` when stopped)."""
        return self._tmpdir

    def _start(self) -> None:
        node = find_node()
        modules = find_node_modules(self.near)
        self._tmpdir = Path(tempfile.mkdtemp(prefix="migration-harness-d1-"))
        argv = [
            node,
            str(_HERE / "server.mjs"),
            str(modules),
            str(_HERE / "worker.mjs"),
            self.database_id,
            str(self.persist) if self.persist is not None else "",
        ]
        self._process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=tool_env(self._tmpdir),
            cwd=self._tmpdir,
        )
        line = self._first_line()
        try:
            ready = json.loads(line)
        except ValueError:
            ready = {"error": line.decode(errors="replace").strip() or "no output"}
        if "url" not in ready:
            self.close()
            message = f"local D1: Miniflare did not start ({ready.get('error')}; {install_hint()})"
            raise EngineFailedError(message)
        url = urllib.parse.urlsplit(ready["url"])
        self._http = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port)

    def _first_line(self) -> bytes:
        """Read the ready line, giving up after a timeout instead of hanging forever."""
        assert self._process is not None
        assert self._process.stdout is not None
        stdout = self._process.stdout
        lines: list[bytes] = []
        reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(_START_TIMEOUT_SECONDS)
        if not lines:
            self.close()
            message = f"local D1: Miniflare did not start within {_START_TIMEOUT_SECONDS:.0f} s"
            raise EngineFailedError(message)
        return lines[0]


_shared: LocalD1 | None = None


def shared() -> LocalD1:
    """The process's in-memory local D1, started lazily and stopped at exit.

    Every ``check --engine miniflare`` of one process (one pytest-xdist worker) reuses it:
    starting workerd costs about a second, resetting the database a few milliseconds.
    """
    global _shared
    if _shared is None:
        _shared = LocalD1()
        atexit.register(shutdown_shared)
    return _shared


def shared_workdir() -> Path | None:
    """The shared engine's temporary folder, if it runs (tests check it is removed)."""
    return _shared.workdir if _shared is not None else None


def shutdown_shared() -> None:
    """Stop the shared local D1 if it runs (atexit, test-session teardown)."""
    if _shared is not None:
        _shared.close()


@contextmanager
def persisted(persist_to: Path, database_id: str, near: Path | None = None) -> Iterator[LocalD1]:
    """A local D1 stored where ``wrangler … --local --persist-to persist_to`` keeps it."""
    with LocalD1(persist=persist_to / "v3" / "d1", database_id=database_id, near=near) as d1:
        yield d1
