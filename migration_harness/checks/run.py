"""Running the checks over a whole set: every property per migration, then the set-wide ones."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migration_harness.checks.applying import schema_before
from migration_harness.checks.counterfactual import counterfactual_for
from migration_harness.checks.engine import Engine
from migration_harness.checks.matrix import settle
from migration_harness.checks.parallel import STATEFUL, Unit, run_units
from migration_harness.checks.properties import (
    CHECKS,
    PER_MIGRATION,
    check_fk_index,
    checks_named,
)
from migration_harness.checks.real import annotate, pending_judged, real_context
from migration_harness.checks.scope import (
    affected_tables,
    irreversible_operations,
    redefined_tables,
)
from migration_harness.checks.severity import classify
from migration_harness.data.privacy import values_hidden
from migration_harness.data.sources import RealData
from migration_harness.report.catalogue import severity_named
from migration_harness.report.findings import CheckRun, Finding
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import MigrationSet
from migration_harness.sets.rollbackuse import ALWAYS, RollbackUse, rollback_use
from migration_harness.sets.shipgroups import ShipGroup, ship_groups
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import Target


def check_stateful(engine: Engine) -> list[Finding]:
    """Histories: the state machine's findings (same kinds), on the shrunk history."""
    from migration_harness.checks.machine import run_machine

    return run_machine(engine)


@dataclass(frozen=True, slots=True)
class Step:
    """Progress: a unit of the run finished.

    Attributes:
        unit: ``0003_posts::rollback``, or ``stateful`` (the history fuzzer).
        done: units finished so far, of ``total``.
        total: units the run has.
        migration: the label of the migration this unit was the last one of (its checks
            are all done), else ``None``.
    """

    unit: str
    done: int
    total: int
    migration: str | None = None


def run_checks(
    engine: Engine,
    *,
    checks: Iterable[str] = CHECKS,
    on_step: Callable[[Step], None] | None = None,
    rollback_policy: str | None = None,
    judged: Collection[str] | None = None,
    jobs: int = 1,
    rollbacks: RollbackUse = ALWAYS,
) -> list[Finding]:
    """Run the named checks over every migration; findings in migration order.

    Each finding's code (and so its severity) is decided at the end, once every check has
    run: a runner conflict is an error only where another check saw its effect and that
    effect ends otherwise with the conflicting file honoured.

    ``judged`` (labels; ``None``: all) limits the findings to those migrations, as
    ``--since`` asks: every migration is still applied to build the versions, but the
    per-migration checks run only on the judged ones, the index audit reports only foreign
    keys of tables they add or change, and the history fuzzer only histories that apply,
    roll back or re-run one of them.

    ``jobs`` > 1 runs the units (a property on a migration, the history fuzzer) on that
    many forked workers sharing the engine's images; the findings are the same, in the
    same order (see :mod:`~migration_harness.checks.parallel`).

    Raises:
        HarnessError: a name in ``checks`` that no check has (:func:`checks_named`).

    """
    wanted = checks_named(checks)
    started = time.perf_counter()
    _describe_files(engine)
    units = _units(engine, wanted, judged)
    on_done = _progress(engine, units, on_step)
    outcomes = run_units(engine, units, _run_unit, jobs=jobs, on_done=on_done)
    findings: list[Finding] = []
    for (k, name), outcome in zip(units, outcomes, strict=True):
        if (k, name) == STATEFUL:
            continue
        findings += outcome.findings
        # A version an earlier failure keeps from being built had only its files
        # judged: its data and round-trip checks did not run.
        idle = "ok" if engine.available(k) else "not reached"
        info = engine.infos[engine.migrations[k - 1].version]
        info.results[name] = "fail" if outcome.failed else idle
    if "fk_index" in wanted and len(engine.versions) > 1:
        findings += check_fk_index(engine, tables=touched_tables(engine, judged))
    if STATEFUL in units:
        stateful = outcomes[units.index(STATEFUL)].findings
        findings += [f for f in stateful if touches(f, engine, judged)]
    findings += engine.divergences()
    engine.stats.seconds += time.perf_counter() - started
    engine.stats.rows_generated = engine.generation.rows_generated
    engine.stats.rows_rejected = engine.generation.rows_rejected
    unique = _absorb_stated_conflicts(_dedupe(findings))
    return classify(
        unique,
        engine.mset,
        engine.target,
        rollback_policy=rollback_policy,
        counterfactual=counterfactual_for(engine),
        rollbacks=rollbacks,
        schema_before=schema_before(engine),
    )


def _describe_files(engine: Engine) -> None:
    """The facts read from the files alone: the irreversible operations."""
    for migration in engine.migrations:
        info = engine.infos[migration.version]
        info.operations = irreversible_operations(split_statements(migration.up_sql))


def _units(engine: Engine, wanted: list[str], judged: Collection[str] | None) -> list[Unit]:
    """The run's units, in report order: each judged migration's properties, the fuzzer."""
    units = [
        (k, name)
        for k, migration in enumerate(engine.migrations, start=1)
        for name in PER_MIGRATION
        if name in wanted and (judged is None or migration.label in judged)
    ]
    if "stateful" in wanted and len(engine.versions) > 1 and (judged is None or judged):
        units.append(STATEFUL)
    return units


def _run_unit(engine: Engine, unit: Unit) -> tuple[list[Finding], bool]:
    """One unit's findings (then the divergences it caused), and whether it failed."""
    if unit == STATEFUL:  # its divergences are the run's last (see run_checks)
        return check_stateful(engine), False
    k, name = unit
    found = PER_MIGRATION[name](engine, k)
    return found + engine.divergences(), bool(found)


def _progress(
    engine: Engine, units: list[Unit], on_step: Callable[[Step], None] | None
) -> Callable[[Unit], None] | None:
    """The callback that turns finished units into :class:`Step` reports."""
    if on_step is None:
        return None
    left: dict[int, int] = {}
    for k, _ in units:
        left[k] = left.get(k, 0) + 1
    done = 0

    def finished(unit: Unit) -> None:
        nonlocal done
        done += 1
        k, name = unit
        left[k] -= 1
        if unit == STATEFUL:
            on_step(Step(name, done, len(units)))
            return
        label = engine.migrations[k - 1].label
        on_step(Step(f"{label}::{name}", done, len(units), label if not left[k] else None))

    return finished


def touched_tables(engine: Engine, judged: Collection[str] | None) -> frozenset[str] | None:
    """Tables the judged migrations add, drop or redefine (``None``: no limit)."""
    if judged is None:
        return None
    tables: set[str] = set()
    for k, migration in enumerate(engine.migrations, start=1):
        if migration.label in judged and engine.available(k):
            before, after = engine.versions[k - 1].schema, engine.versions[k].schema
            tables |= redefined_tables(before, after)
    return frozenset(tables)


def touches(finding: Finding, engine: Engine, judged: Collection[str] | None) -> bool:
    """Whether a history finding is about, or moved through, a judged migration."""
    if judged is None or finding.migration in judged:
        return True
    ids = {m.id for m in engine.migrations if m.label in judged}
    steps = finding.example.get("history", [])
    return any(isinstance(s, dict) and s.get("migration") in ids | set(judged) for s in steps)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per kind, migration, direction and message."""
    seen: set[tuple[str, str | None, str | None, str]] = set()
    unique = []
    for finding in findings:
        key = (finding.kind, finding.migration, finding.direction, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def _absorb_stated_conflicts(findings: list[Finding]) -> list[Finding]:
    """Leave out a ``runner_conflict`` that another finding of its migration already states.

    A rollback liamstask goose runs without its unterminated statement is one defect:
    the round trip reports what it does in production (the re-apply fails on what the
    rollback left, or the schema stays), naming the skip word for word; the conflict
    alone would report the same line a second time.
    """
    stated = {
        (f.migration, detail)
        for f in findings
        if f.kind != "runner_conflict"
        for detail in f.details
    }
    kept = []
    for finding in findings:
        said = [d for d in finding.details if not d.startswith("file: ")]
        if (
            finding.kind == "runner_conflict"
            and said
            and all((finding.migration, d) in stated for d in said)
        ):
            continue
        kept.append(finding)
    return kept


def check_set(
    mset: MigrationSet,
    target: Target,
    *,
    profile: str = "ci",
    seed: int | None = None,
    checks: Iterable[str] = CHECKS,
    max_rows: int = 3,
    on_step: Callable[[Step], None] | None = None,
    config: SetConfig | None = None,
    judged: Collection[str] | None = None,
    jobs: int = 1,
    cache: Path | None = None,
    real: RealData | None = None,
    groups: Sequence[ShipGroup] | None = None,
) -> CheckRun:
    """Run every check on a set under a Hypothesis profile: the library's ``check``.

    ``config`` holds how production applies the set (its ``applied`` must already be in
    ``target.tracked``), the rollback policy and the fail level. ``judged``: the labels of
    the migrations to report on (``--since``); ``None``: all. ``real``: a real database
    (``--data``): the migrations after its version are judged on its rows, the others
    not at all, and its values stay out of the findings unless it says to show them.
    ``jobs``: worker processes (see :func:`run_checks`). ``cache``: a folder keeping
    version images across runs (:mod:`~migration_harness.checks.cache`); ``None``: build
    every version (and so with ``real``). ``groups``: the set's ship groups where the
    caller has read them already (the CLI, for its lint pass); ``None``: read here.

    Raises:
        HarnessError: a name in ``checks`` that no check has, before any work
            (:func:`~migration_harness.checks.properties.checks_named`).

    """
    from migration_harness.checks.cache import VersionCache

    checks = checks_named(checks)
    from migration_harness.checks.profiles import profile_seed, profile_settings

    settings = profile_settings(profile)
    if cache is not None and settings.database is not None:
        # Hypothesis's example database (failures found once are tried first next time)
        # lives in the same one folder check writes, not in a .hypothesis/ of the cwd.
        from hypothesis import settings as Settings
        from hypothesis.database import DirectoryBasedExampleDatabase

        examples = DirectoryBasedExampleDatabase(str(cache / "hypothesis"))
        settings = Settings(settings, database=examples)
    started = time.perf_counter()
    config = config or SetConfig()
    # Resolved first: a bound that names no migration stops the run before any work.
    rollbacks = rollback_use(mset, config.production_rollbacks, config.production_rollbacks_from)
    real_seed = profile_seed(profile, seed)
    store = VersionCache.for_set(cache, mset, target) if cache is not None else None
    with values_hidden(real is not None and not real.show_values):
        engine = Engine(
            mset,
            target,
            settings=settings,
            seed=real_seed,
            max_rows=max_rows,
            store=store,
            real=real,
            groups=(
                groups
                if groups is not None
                else ship_groups(
                    mset, config.ship_groups, tracked=target.tracked, tags=config.ship_tags
                )
            ),
        )
        if store is not None and engine.store is store:
            store.prune()
        judged = pending_judged(engine, judged)
        findings = run_checks(
            engine,
            checks=checks,
            on_step=on_step,
            rollback_policy=config.rollback_policy,
            judged=judged,
            jobs=jobs,
            rollbacks=rollbacks,
        )
        findings = annotate(engine, findings)
    engine.stats.seconds = time.perf_counter() - started
    settle(engine.infos.values(), findings, mset)
    return CheckRun(
        set_path=str(mset.root),
        layout=mset.layout,
        target=target.name,
        profile=profile,
        seed=real_seed,
        findings=findings,
        migrations=list(engine.infos.values()),
        stats=engine.stats,
        forward_only=not mset.has_rollbacks,
        foreign_keys=target.foreign_keys,
        fail_on=severity_named(config.fail_on),
        tracked=target.tracked,
        stopped=engine.stop[1] if engine.stop else "",
        context=real_context(engine) | shipped_together(engine) | _set_notes(mset),
    )


def _set_notes(mset: MigrationSet) -> dict[str, Any]:
    """``notes`` in the JSON: what discovery left out of the set on purpose, when anything."""
    return {"notes": list(mset.notes)} if mset.notes else {}


def shipped_together(engine: Engine) -> dict[str, Any]:
    """The ship groups that changed what was checked (``ship_groups`` in the JSON).

    A group matters where a later file of it works on tables an earlier one created:
    those started empty for it (no rows were generated there). Empty when none did.
    """
    together = []
    for group in engine.groups:
        empty: dict[str, list[str]] = {}
        for k in group.members[1:]:
            unwritten = engine.unwritten(k)
            if not unwritten:
                continue
            statements = split_statements(engine.migrations[k - 1].up_sql)
            schema = engine.versions[k - 1].schema
            named = sorted(t for t in affected_tables(schema, statements) if t.lower() in unwritten)
            if named:
                empty[engine.name_of(k)] = named
        if empty:
            together.append(
                {
                    "commit": group.commit or None,
                    **({"release": group.release} if group.release else {}),
                    "migrations": [engine.name_of(k) for k in group.members],
                    "empty": empty,
                }
            )
    return {"ship_groups": together} if together else {}
