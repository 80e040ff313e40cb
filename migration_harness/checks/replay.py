"""Replaying a regression file: a history through the machine, an example through its check.

One entry point for ``migration-harness replay`` and the plugin's regression items, so
both judge a file the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from migration_harness.checks.engine import Engine
from migration_harness.checks.properties import PER_MIGRATION, PROPERTIES, check_apply
from migration_harness.data.strategies import Dataset
from migration_harness.errors import HarnessError
from migration_harness.report.findings import Finding


def replay_regression(engine: Engine, data: dict[str, Any], source: Path) -> list[Finding]:
    """The findings the recorded history or example shows on the set as it is now."""
    if "history" in data:
        return _replay_history(engine, data, source)
    return replay_example(engine, data, source)


def still_failing(
    data: dict[str, Any], findings: list[Finding], engine: Engine | None = None
) -> list[Finding]:
    """The findings that mean the regression's bug is still there.

    A history fails on any finding (it stops at its first failing step). An example is
    about one bug: the same kind and direction in the same migration (the statement or
    the table may move with a fix, so they are not compared), or an earlier migration
    that no longer applies, so the example cannot even start. Other findings of the
    example are other bugs, with regressions of their own.

    With ``engine``, "the same migration" is the one the example was replayed on: a file
    found by its version (renamed, or the regression copied from another set) had its
    findings compared with the old label, matched none, and replay said "fixed", exit 0.
    """
    if "history" in data:
        return findings
    recorded = data.get("finding", {})
    label = data["migration"].get("label")
    if engine is not None:  # the migration replayed: found by its version after a rename
        label = engine.migrations[_position(engine, data, Path("-")) - 1].label
    return [
        f
        for f in findings
        if (
            f.migration == label
            and f.kind == recorded.get("kind")
            and f.direction == recorded.get("direction")
        )
        or (f.kind == "apply_error" and f.migration != label)
    ]


def replay_example(engine: Engine, data: dict[str, Any], source: Path) -> list[Finding]:
    """Run one recorded example of a per-migration check, as the check ran it.

    A check that draws data runs its own ``body`` once on the recorded rows (restore the
    version it starts from, insert, run the steps, compare); a check without data runs
    as it is. A migration before it that no longer applies is reported instead: the
    example cannot start.
    """
    k = _position(engine, data, source)
    check = str(data.get("check", ""))
    failure = engine.apply_failure
    starts_before = check in ("apply", "apply_keeps_data")  # from version k-1, not k
    if failure is not None and (failure[0] < k or (failure[0] == k and not starts_before)):
        return check_apply(engine, failure[0])
    make = PROPERTIES.get(check)
    if make is not None:
        prop = make(engine, k)
        if prop is None:  # the migration no longer touches what the example wrote
            return []
        return prop.body(Dataset.from_json(data.get("rows", [])))
    run = PER_MIGRATION.get(check)
    if run is None:
        message = f"{source}: unknown check {check!r} (known: {', '.join(PER_MIGRATION)})"
        raise HarnessError(message)
    return run(engine, k)


def _position(engine: Engine, data: dict[str, Any], source: Path) -> int:
    """The 1-based position of the recorded migration: by tracking id, else version."""
    recorded = data["migration"]
    for k, migration in enumerate(engine.migrations, start=1):
        if migration.id == recorded.get("id"):
            return k
    for k, migration in enumerate(engine.migrations, start=1):
        if migration.version == recorded.get("version"):
            return k
    message = f"{source}: the example is about {recorded.get('id')}, which the set no longer has"
    raise HarnessError(message)


def _replay_history(engine: Engine, data: dict[str, Any], source: Path) -> list[Finding]:
    """A state machine history, step by step, after checking every file it names exists."""
    from migration_harness.checks.machine import Step, replay

    steps = [Step.from_json(s) for s in data["history"]]
    known = {m.id for m in engine.migrations}
    for step in steps:
        if step.migration and step.migration not in known:
            message = f"{source}: step names {step.migration}, which the set no longer has"
            raise HarnessError(message)
    return replay(engine, steps)
