"""How ``check`` shows it is alive: a bar on a terminal, dated lines in a CI log.

Everything goes to stderr, so ``--json -`` keeps stdout to the JSON document. A log
gets one line per migration whose checks are all done, with the time since the start,
at most one every :data:`INTERVAL` seconds (the first and last always): a 48-minute run
that printed nothing looked hung, and a line per property would drown the report.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Final

import click

from migration_harness.cli.common import stacked

if TYPE_CHECKING:
    from migration_harness.checks.run import Step
    from migration_harness.cli.common import F

INTERVAL: Final = 2.0


class LogLines:
    """Progress as plain lines (stderr is not a terminal)."""

    def __init__(self, echo: Callable[[str], None], interval: float = INTERVAL) -> None:
        """Lines go to ``echo``, at most one per ``interval`` seconds but the last."""
        self.echo = echo
        self.interval = interval
        self.started = time.monotonic()
        self.last: float | None = None
        self.migrations = 0

    def __call__(self, step: Step) -> None:
        """Report ``step`` when it ends a migration (or the run) and the log is due one."""
        if step.migration is not None:
            self.migrations += 1
        final = step.done == step.total
        if step.migration is None and not final:
            return
        now = time.monotonic()
        if not final and self.last is not None and now - self.last < self.interval:
            return
        self.last = now
        what = f"{step.migration} checked" if step.migration else f"{step.unit} done"
        self.echo(
            f"progress: {what} ({self.migrations} migration(s), {step.done}/{step.total} "
            f"checks, {now - self.started:.1f}s elapsed)"
        )


@contextmanager
def progress(total_hint: str = "checking") -> Iterator[Callable[[Step], None]]:
    """The step reporter for this stderr: a transient rich bar, else :class:`LogLines`."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield LogLines(lambda line: click.echo(line, err=True))
        return
    # Only a terminal gets the bar: rich.progress (rich.live, spinners...) is not imported
    # for the log lines of CI and scripts.
    from rich.progress import Progress

    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(total_hint, total=None)

        def advance(step: Step) -> None:
            bar.update(task, completed=step.done, total=step.total, description=step.unit)

        yield advance


def speed_options(func: F) -> F:
    """``-j/--jobs`` and ``--no-cache``: how a run spends the machine, never what it finds."""
    decorators = [
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            default=None,
            help="Worker processes (default: the cores; 1 runs in this process). The "
            "findings are the same for every value.",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            help="Build every version afresh and store nothing. By default, version images "
            "are kept in .migration-harness/ beside the harness's pyproject.toml (else in "
            "the set), the only thing a check writes besides regressions/.",
        ),
    ]
    return stacked(func, decorators)


def jobs_or_default(jobs: int | None) -> int:
    """``--jobs``, else the cores this process may use."""
    from migration_harness.checks.parallel import default_jobs

    return jobs if jobs is not None else default_jobs()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """The objects loaded so far kept out of the cyclic collector while the checks run.

    What is loaded by then (the harness, Hypothesis, sqlglot, click, rich) lives as long
    as the process: frozen, the full collections the examples set off stop walking it
    (their CPU on ``db/`` went from 0.28 to 0.17 s, issue 17), and forked workers (``-j``) do
    not copy its pages when a collection touches them. Unfrozen afterwards (unless the
    caller had frozen objects already), so a process that goes on, a test run, collects
    them again.

    The youngest generation is collected every 5,000 net allocations instead of 700
    meanwhile: most of what an example allocates (rows, choices, trees) is freed by its
    reference count, and collected every 700 the survivors of each example were walked
    over and over and pushed on into full collections (593 young, 53 middle and 5 full
    collections on ``db/``, ~0.3 s of CPU; 80, 6 and 1 now, ~0.23 s). Only when the
    collector runs changes, not what it frees; the thresholds are put back afterwards.
    """
    thresholds = gc.get_threshold()
    if thresholds[0]:  # 0: automatic collection off, left so
        gc.set_threshold(max(thresholds[0], _YOUNG_THRESHOLD), *thresholds[1:])
    try:
        if gc.get_freeze_count():
            yield
            return
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
    finally:
        gc.set_threshold(*thresholds)


# Net allocations between collections of the youngest generation while the checks run
# (CPython's default is 700): see frozen_heap.
_YOUNG_THRESHOLD: Final = 5_000
