"""Running a check's units on forked workers that share the engine's version images.

A unit is one property on one migration, or the history fuzzer. Each runs under its own
Hypothesis seed and example-database key, so its findings do not depend on which process
runs it or on what ran before; what a unit changes in the shared state (the migration's
facts, the counters) travels back with its findings and is merged in unit order, so
``-j 2`` reports exactly what ``-j 1`` reports.

Workers are forked after the engine is built: the version images (and everything else the
build computed) are inherited copy-on-write, not rebuilt or pickled. Outside Linux (no
``fork`` on Windows; macOS's system libraries are not fork-safe, hence its default
``spawn``, which would rebuild or pickle the images) and whenever the target runs files on
another engine (a local D1 is one process nobody may share), units run in this process.
"""

from __future__ import annotations

import copy
import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Final

from migration_harness.report.findings import Finding, MigrationInfo

if TYPE_CHECKING:
    from migration_harness.checks.engine import Engine

STATEFUL: Final = (0, "stateful")
"""The history fuzzer's unit: it belongs to no migration."""

Unit = tuple[int, str]
"""``(k, check)``: property ``check`` on migration ``k`` (1-based), or :data:`STATEFUL`."""

_REVERSIBILITY: Final = ("reversible", "lossy", "irreversible")


@dataclass(slots=True)
class Outcome:
    """What one unit found and changed.

    Attributes:
        findings: the unit's findings, then the divergences it caused.
        failed: whether the property itself found something (divergences aside).
        changes: the migration's facts the unit changed (name: new value).
        counts: the run counters the unit added (``Stats`` and ``GenerationStats``).
    """

    findings: list[Finding]
    failed: bool
    changes: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


Runner = Callable[["Engine", Unit], tuple[list[Finding], bool]]
"""Runs one unit in whichever process holds the engine: its findings, and whether it failed."""


def default_jobs() -> int:
    """The cores this process may use: what ``check -j`` defaults to."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether workers can be forked safely (and so share the images without copying them)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def run_units(
    engine: Engine,
    units: Sequence[Unit],
    run: Runner,
    *,
    jobs: int = 1,
    on_done: Callable[[Unit], None] | None = None,
) -> list[Outcome]:
    """Every unit's outcome, in the order of ``units`` whatever order they finished in.

    With one job the units change the engine's facts and counters in place, as they
    always did; forked units change their worker's copy, and what they changed is merged
    into this process's engine in unit order. ``on_done`` is called in this process as
    each unit finishes (progress).
    """
    workers = min(jobs, len(units))
    if workers <= 1 or not can_fork() or engine.target.executor is not None:
        outcomes = []
        for unit in units:
            findings, failed = run(engine, unit)
            outcomes.append(Outcome(findings, failed))
            if on_done:
                on_done(unit)
        return outcomes
    outcomes = _forked(engine, units, run, workers, on_done)
    for unit, outcome in zip(units, outcomes, strict=True):
        if unit != STATEFUL:
            merge_info(engine.infos[engine.migrations[unit[0] - 1].version], outcome.changes)
        for counter, added in outcome.counts.items():
            where, name = counter.split(".")
            holder = engine.stats if where == "stats" else engine.generation
            setattr(holder, name, getattr(holder, name) + added)
    return outcomes


# What a forked worker inherits: set just before the fork, read in the worker.
_SHARED: list[tuple[Engine, Runner, Sequence[Unit]]] = []
_PARENT: list[int] = []  # the forking process's id, for a worker to see it gone
_PR_SET_PDEATHSIG: Final = 1  # <linux/prctl.h>


def _forked(
    engine: Engine,
    units: Sequence[Unit],
    run: Runner,
    workers: int,
    on_done: Callable[[Unit], None] | None,
) -> list[Outcome]:
    """Run the units on ``workers`` forked processes, the longest (the fuzzer) first."""
    order = sorted(range(len(units)), key=lambda i: units[i] != STATEFUL)
    results: dict[int, Outcome] = {}
    _SHARED[:] = [(engine, run, units)]
    _PARENT[:] = [os.getpid()]
    # Objects that exist at the fork are never collected in a worker, so the collector
    # does not touch (and copy) their pages.
    gc.freeze()
    try:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_signals)
        try:
            for i, outcome in pool.imap_unordered(_run_shared, order, chunksize=1):
                if isinstance(outcome, WorkerCrashedError):
                    raise outcome
                results[i] = outcome
                if on_done:
                    on_done(units[i])
            # Let the idle workers take their sentinels and leave: terminating them is for
            # failures only (a worker signalled while it held the task queue's lock would
            # leave the others, and the join, waiting on that lock for good).
            pool.close()
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()
    finally:
        gc.unfreeze()
        _SHARED.clear()
    return [results[i] for i in range(len(units))]


def _worker_signals() -> None:
    """In a new worker: leave stopping to the parent, and never outlive it.

    SIGTERM kills it again, as it kills any process by default: the CLI turns SIGTERM into
    ``SystemExit`` (:mod:`~migration_harness.sets.stopping`), a forked worker inherits that
    handler, and ``Pool.terminate`` then depends on the exception unwinding whatever the
    worker was doing. SIGINT is ignored: a Ctrl-C reaches the whole process group, and
    the parent alone decides (it terminates the pool and says so in one line); workers
    raising ``KeyboardInterrupt`` printed their tracebacks. The kernel kills a worker
    whose parent dies (``PR_SET_PDEATHSIG``): a parent killed by SIGKILL left workers
    waiting on the task queue for good, and one writing its result hit a broken pipe.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent ends; leave if it already has."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: fork is refused there anyway
        return
    if _PARENT and os.getppid() != _PARENT[0]:  # it died before prctl took effect
        os._exit(1)


class WorkerCrashedError(RuntimeError):
    """A unit raised in a worker: an internal error of the harness, with the worker's trace.

    It carries only text, so it always pickles back: an exception the pool had to send
    itself could fail to unpickle in the parent, and then the pool's result thread died
    and ``imap_unordered`` waited for good (a corpus run hung for twenty minutes).
    """


def _run_shared(i: int) -> tuple[int, Outcome | WorkerCrashedError]:
    """In a worker: unit ``i``'s outcome, or the error it raised, in a form that pickles.

    The outcome is pickled and read back here first: what the parent cannot unpickle
    becomes an error it can, instead of a hang.
    """
    try:
        found = _measured(i)
        pickle.loads(pickle.dumps(found))
    except Exception:
        unit = _SHARED[0][2][i]
        return i, WorkerCrashedError(f"unit {unit} failed in a worker:\n{traceback.format_exc()}")
    return i, found


def _measured(i: int) -> Outcome:
    """Run unit ``i`` and measure what it changed in the worker's engine."""
    engine, run, units = _SHARED[0]
    unit = units[i]
    info = None if unit == STATEFUL else engine.infos[engine.migrations[unit[0] - 1].version]
    before, counts = copy.deepcopy(info), _counters(engine)
    findings, failed = run(engine, unit)
    after = _counters(engine)
    outcome = Outcome(findings, failed, counts={k: after[k] - counts[k] for k in after})
    if info is not None and before is not None:
        outcome.changes = {
            spec.name: getattr(info, spec.name)
            for spec in fields(MigrationInfo)
            if getattr(info, spec.name) != getattr(before, spec.name)
        }
    return outcome


def _counters(engine: Engine) -> dict[str, int]:
    """The engine's integer counters, named ``stats.examples``, ``generation.rows_…``."""
    out = {}
    for where, holder in (("stats", engine.stats), ("generation", engine.generation)):
        for spec in fields(holder):
            value = getattr(holder, spec.name)
            if isinstance(value, int) and not isinstance(value, bool):
                out[f"{where}.{spec.name}"] = value
    return out


def merge_info(into: MigrationInfo, changes: dict[str, Any]) -> None:
    """Apply what one unit changed in a migration's facts to the run's copy.

    Every writer only ever raises reversibility (reversible < lossy < irreversible) and
    the losses (a maximum over examples), so merging them that way gives the sequential
    result whatever order the units ran in; the other facts have a single writer.
    """
    for name, new in changes.items():
        current = getattr(into, name)
        if name == "reversibility":
            new = max(current, new, key=_REVERSIBILITY.index)
        elif name.endswith("_loss"):
            new = {key: max(current.get(key, 0), value) for key, value in new.items()}
        setattr(into, name, copy.deepcopy(new))
