"""The raw-SQLite floor of ``check``: the same SQL work, replayed with ``sqlite3`` alone.

A recorded run of ``migration-harness check DIR --profile ci`` logs every statement SQLite
executes (a trace callback on every connection), with the harness function that issued
it, and every in-memory image restored. The floor replays, in the same order on raw
connections, the work any tester of the same examples must do:

* each restore of a version image (``deserialize``) and each connection's close;
* each generated row's INSERT, exactly as executed (one statement per row);
* each migration step the runner executed (apply, rollback, re-run, tracking rows);
* each read of rows (``SELECT`` the harness ran to compare data).

It leaves out what only the harness's own method needs: the scratch connections that
probe candidate rows against CHECKs (and the CREATE and ``json_valid`` calls of
data.admits, which decides most of them in Python), ``PRAGMA integrity_check``/
``foreign_key_check``, schema introspection (``PRAGMA``/``sqlite_master``), and the lint
pass.

The harness figure is the CPU time (user + sys) of a whole ``migration-harness check``
child process, imports included, run in a fresh copy with no example database; the floor
is the CPU time of the replay alone. Both runs use the profile's fixed seed, so they do
the same examples, and both run with ``-j 1 --no-cache --no-regressions`` (``CHECK_ARGS``):
with ``check``'s default of one worker per core the examples run in forked workers,
whose statements the in-process recorder never sees (the floor was then a fraction of
the work and the ratio meaningless, ~1480x), and a version cache would let the harness
skip builds the floor still replays.

The harness runs from bytecode, as an installed package does (pip compiles it at install):
where ``PYTHONDONTWRITEBYTECODE`` is set (this machine sets it) an editable checkout has no
``__pycache__`` and every run compiled its ~150 modules from source, 0.1-0.15 s of CPU
that no installed harness pays. The timed children import a copy of ``migration_harness``
compiled once in a temporary folder put first on ``PYTHONPATH`` (``--from-source``: the
checkout itself, as before). Not ``PYTHONPYCACHEPREFIX``: that moves every module's
bytecode, the standard library's and the dependencies' too, and they were then all
compiled from source.

    .venv/bin/python bench/floor.py [DIR] [--profile ci]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Functions whose SQL is the harness's own method, not the work being tested.
_METHOD = frozenset({"_scratch", "_accepted", "integrity_problems", "introspect", "_read_table"})
# data.admits and data.verdicts decide in Python what the probe asked SQLite: the CREATE
# each checks once per table, and json_valid() once per value, are the probe's kind of work.
_METHOD_MODULES = (
    "migration_harness.lint",
    "migration_harness.schema",
    "migration_harness.data.admits",
    "migration_harness.data.verdicts",
)
# Both sides do the same work in one process: no workers, no version cache, no files written.
CHECK_ARGS = ("-j", "1", "--no-cache", "--no-regressions")


@dataclass
class Recording:
    """The events of one run, in order: (kind, connection id, payload)."""

    events: list[tuple[str, int, Any]] = field(default_factory=list)
    images: list[bytes] = field(default_factory=list)
    skipped: int = 0


def _origin() -> tuple[str, str]:
    """(module, function) of the innermost harness frame on the stack."""
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("migration_harness"):
            return module, frame.f_code.co_name
        frame = frame.f_back  # type: ignore[assignment]
    return "", ""


def _is_method(module: str, function: str, sql: str) -> bool:
    head = sql.lstrip()[:16].upper()
    return (
        function in _METHOD
        or module.startswith(_METHOD_MODULES)
        or head.startswith("--")  # a trigger's body, run by its statement anyway
        or (head.startswith("PRAGMA") and not module.endswith("runner"))
        or "sqlite_master" in sql
        or "sqlite_schema" in sql
    )


@contextmanager
def recording() -> Iterator[Recording]:
    """Record every connection the harness opens while inside."""
    rec = Recording()
    real_connect = sqlite3.connect
    ids = iter(range(1, 1 << 30))

    class Recorded(sqlite3.Connection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.cid = next(ids)
            module, function = _origin()
            self.method = module.startswith(_METHOD_MODULES) or function in _METHOD
            if not self.method:
                rec.events.append(("open", self.cid, None))
            self.set_trace_callback(self._trace)

        def _trace(self, sql: str) -> None:
            module, function = _origin()
            if self.method or _is_method(module, function, sql):
                rec.skipped += 1
            else:
                rec.events.append(("sql", self.cid, sql))

        def deserialize(self, data: Any, *args: Any, **kwargs: Any) -> None:
            if not self.method:
                rec.images.append(bytes(data))
                rec.events.append(("deserialize", self.cid, len(rec.images) - 1))
            super().deserialize(data, *args, **kwargs)

        def close(self) -> None:
            if not self.method:
                rec.events.append(("close", self.cid, None))
            super().close()

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", Recorded)
        return real_connect(*args, **kwargs)

    sqlite3.connect = connect  # type: ignore[assignment]
    try:
        yield rec
    finally:
        sqlite3.connect = real_connect


def record(path: Path, profile: str) -> Recording:
    """Run ``check`` in this process on a copy of ``path`` and record its SQL work."""
    from hypothesis.configuration import set_hypothesis_home_dir

    from migration_harness.cli import cli

    with tempfile.TemporaryDirectory(prefix="mh-floor-") as tmp:
        set_hypothesis_home_dir(Path(tmp) / ".hypothesis")
        # SystemExit: the command's exit status; findings are not the floor's concern.
        quiet = contextlib.redirect_stdout(io.StringIO())
        with recording() as rec, quiet, contextlib.suppress(SystemExit):
            args = ["check", str(path), "--profile", profile, *CHECK_ARGS]
            cli.main(args, standalone_mode=False)
        set_hypothesis_home_dir(None)
    return rec


def replay(rec: Recording) -> tuple[float, int]:
    """CPU seconds to replay the recording on raw connections; statements executed."""
    conns: dict[int, sqlite3.Connection] = {}
    count = 0
    start = time.process_time()
    for kind, cid, payload in rec.events:
        if kind == "open":
            conns[cid] = sqlite3.connect(":memory:", isolation_level=None)
        elif kind == "deserialize":
            conns[cid].deserialize(rec.images[payload])
        elif kind == "close":
            conns.pop(cid).close()
        else:
            count += 1
            # Not contextlib.suppress: its cost per statement would inflate the floor.
            try:  # noqa: SIM105
                conns[cid].execute(payload).fetchall()
            except sqlite3.Error:
                pass  # it failed in the recorded run too (a refused row, a failing step)
    for conn in conns.values():
        conn.close()
    return time.process_time() - start, count


def compiled(folder: Path) -> dict[str, str]:
    """An environment whose children import a byte-compiled copy of ``migration_harness``.

    The copy is made in ``folder`` and compiled there (``compileall`` writes whatever
    ``PYTHONDONTWRITEBYTECODE`` says): nothing is written in the checkout.
    """
    package = Path(__file__).resolve().parent.parent / "migration_harness"
    copy = folder / "migration_harness"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    command = [sys.executable, "-m", "compileall", "-q", str(copy)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def harness_cpu(path: Path, profile: str, env: dict[str, str] | None = None) -> float:
    """CPU seconds (user + sys) of a whole ``migration-harness check`` child process."""
    with tempfile.TemporaryDirectory(prefix="mh-floor-cli-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copytree(path, copy)
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "migration_harness",
                "check",
                path.name,
                "--profile",
                profile,
                *CHECK_ARGS,
            ],
            cwd=tmp,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, _, usage = os.wait4(child.pid, 0)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="db", type=Path)
    parser.add_argument("--profile", default="ci")
    parser.add_argument("--runs", type=int, default=3, help="rounds: a replay and a harness run")
    parser.add_argument(
        "--from-source", action="store_true", help="no bytecode cache for the harness child"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mh-floor-pyc-") as prefix:
        env = None if args.from_source else compiled(Path(prefix))
        _measure(args, env)


def _measure(args: argparse.Namespace, env: dict[str, str] | None) -> None:
    """Record, replay and time the rounds; print the figures."""
    rec = record(args.path, args.profile)
    _, statements = replay(rec)  # warm-up, and the count
    # Each round times a replay and a harness run back to back, and the ratio is taken
    # per round: on a shared machine the load drifts between rounds, not within one.
    pairs = [(replay(rec)[0], harness_cpu(args.path, args.profile, env)) for _ in range(args.runs)]
    floors = sorted(f for f, _ in pairs)
    runs = sorted(h for _, h in pairs)
    ratios = sorted(h / f for f, h in pairs)
    middle = args.runs // 2
    opens = sum(1 for e in rec.events if e[0] == "open")
    print(f"set {args.path}, profile {args.profile}")
    print(f"harness child: {'compiled from source' if env is None else 'from bytecode'}")
    print(f"recorded: {statements} statements on {opens} connections replayed, ")
    print(f"          {rec.skipped} statements of the harness's own method left out")
    print(f"floor   (raw sqlite3 replay, CPU s, median of {args.runs}): {floors[middle]:.2f}")
    print(f"harness (whole `check` process, CPU s, median of {args.runs}): {runs[middle]:.2f}")
    spread = f"{ratios[0]:.1f}-{ratios[-1]:.1f}"
    print(f"ratio: {ratios[middle]:.1f}x the floor (median of {args.runs} rounds; {spread})")
    if statements < 1000:
        print("! under 1000 statements recorded: the examples did not run in this process")


if __name__ == "__main__":
    main()
