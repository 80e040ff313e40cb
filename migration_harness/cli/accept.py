"""Accepting findings on the command line: ``--since``, ``--baseline``, the ``baseline`` command.

The library reads and applies suppressions (:mod:`~migration_harness.report.suppress`,
:mod:`~migration_harness.report.baseline`) and finds the changed migrations
(:mod:`~migration_harness.sets.changes`); this module wires them to ``check``'s options and
prints what they did.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from migration_harness.cli.common import F, stacked
from migration_harness.errors import HarnessError
from migration_harness.report.baseline import Accepted, accepted_for, default_baseline
from migration_harness.report.findings import CheckRun
from migration_harness.sets.changes import changed_files, judged_migrations
from migration_harness.sets.discovery import MigrationSet
from migration_harness.sets.functions import config_of
from migration_harness.sets.locate import inside_package

SET_WIDE: tuple[str, ...] = ("fk_index", "stateful")


def accept_options(func: F) -> F:
    """``--since``, ``--baseline FILE`` and ``--no-baseline`` (``check`` only)."""
    decorators = [
        click.option(
            "--since",
            metavar="REV",
            default=None,
            help="Judge only migrations whose files were added or changed since this git "
            "revision (e.g. origin/main); every earlier file still builds the states.",
        ),
        click.option(
            "--baseline",
            "baseline_path",
            type=click.Path(path_type=Path, dir_okay=False),
            default=None,
            help="Baseline file to accept findings from (default: "
            ".migration-harness-baseline.json beside pyproject.toml, else in the set).",
        ),
        click.option("--no-baseline", is_flag=True, help="Ignore the baseline file."),
    ]
    return stacked(func, decorators)


def judged_since(mset: MigrationSet, since: str | None) -> frozenset[str] | None:
    """The labels ``--since`` judges (``None`` without it)."""
    if since is None:
        return None
    return judged_migrations(mset, changed_files(mset.migrations_dir, since))


def load_accepted(mset: MigrationSet, given: Path | None, no_baseline: bool) -> Accepted:
    """The set's suppressions and its baseline: ``--baseline FILE`` must exist."""
    if given is not None and not given.is_file():
        message = f"--baseline {given}: no such file (create it with migration-harness baseline)"
        raise HarnessError(message)
    pyproject = config_of(mset)
    baseline = None if no_baseline else (given or default_baseline(mset, pyproject))
    return accepted_for(mset, pyproject, baseline)


def accept(
    run: CheckRun,
    accepted: Accepted,
    mset: MigrationSet,
    checks: list[str],
    judged: frozenset[str] | None,
) -> list[str]:
    """Mark the run's suppressed findings; the note lines saying what was accepted."""
    ran: set[tuple[str, str | None]] = {
        (name, info.name) for info in run.migrations for name in info.results
    }
    if judged is None:
        ran |= {(name, None) for name in SET_WIDE if name in checks}
    result = accepted.apply(run.findings, mset, ran)
    run.findings = result.findings
    notes: list[str] = []
    if judged is not None:
        names = [m.label for m in mset.migrations if m.label in judged]
        shown = ", ".join(names) or "none"
        total = len(mset.migrations)
        notes.append(f"--since: judged {len(names)} of {total} migration(s): {shown}")
        run.context["since"] = {"judged": names}
    if accepted.baseline is not None:
        notes.append(f"baseline: {result.baselined} finding(s) baselined ({accepted.baseline})")
        stale = "note: stale baseline entry (no longer found):"
        notes += [f"{stale} {e.describe()}" for e in result.stale]
        run.context["baseline"] = {
            "file": str(accepted.baseline),
            "baselined": result.baselined,
            "stale": [dataclasses.asdict(e) for e in result.stale],
        }
    return notes


def refuse_package_path(path: Path) -> None:
    """``baseline`` never writes inside the installed package (the embedded set)."""
    if inside_package(path):
        message = (
            f"{path}: inside the installed migration-harness package; "
            "pass --output FILE to write the baseline elsewhere"
        )
        raise HarnessError(message)
