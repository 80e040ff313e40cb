"""Running the checks over a whole set: every property per migration, then the set-wide ones."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING

from migration_harness.checks.engine import Engine
from migration_harness.checks.matrix import settle
from migration_harness.checks.properties import CHECKS, PER_MIGRATION, check_fk_index
from migration_harness.checks.real import annotate, pending_judged, real_context
from migration_harness.checks.scope import irreversible_operations, redefined_tables
from migration_harness.checks.severity import classify
from migration_harness.data.privacy import values_hidden
from migration_harness.data.sources import RealData
from migration_harness.report.catalogue import severity_named
from migration_harness.report.findings import CheckRun, Finding
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import MigrationSet
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import Target

if TYPE_CHECKING:
    pass


def check_stateful(engine: Engine) -> list[Finding]:
    """Histories: the state machine's findings (same kinds), on the shrunk history."""
    from migration_harness.checks.machine import run_machine

    return run_machine(engine)


def run_checks(
    engine: Engine,
    *,
    checks: Iterable[str] = CHECKS,
    on_step: Callable[[str], None] | None = None,
    rollback_policy: str | None = None,
    judged: Collection[str] | None = None,
) -> list[Finding]:
    """Run the named checks over every migration; findings in migration order.

    Each finding's code (and so its severity) is decided at the end, once every check has
    run: a runner conflict is an error only where another check saw its effect.

    ``judged`` (labels; ``None``: all) limits the findings to those migrations, as
    ``--since`` asks: every migration is still applied to build the versions, but the
    per-migration checks run only on the judged ones, the index audit reports only foreign
    keys of tables they add or change, and the history fuzzer only histories that apply,
    roll back or re-run one of them.
    """
    wanted = list(checks)
    started = time.perf_counter()
    findings: list[Finding] = []
    for k, migration in enumerate(engine.migrations, start=1):
        info = engine.infos[migration.version]
        info.operations = irreversible_operations(split_statements(migration.up_sql))
        for name, check in PER_MIGRATION.items():
            if name in wanted and (judged is None or migration.label in judged):
                found = check(engine, k)
                findings += found + engine.divergences()
                # A version an earlier failure keeps from being built had only its files
                # judged: its data and round-trip checks did not run.
                idle = "ok" if engine.available(k) else "not reached"
                info.results[name] = "fail" if found else idle
            if on_step:
                on_step(f"{migration.label}::{name}")
    if "fk_index" in wanted and len(engine.versions) > 1:
        findings += check_fk_index(engine, tables=touched_tables(engine, judged))
    if "stateful" in wanted and len(engine.versions) > 1 and (judged is None or judged):
        findings += [f for f in check_stateful(engine) if touches(f, engine, judged)]
    findings += engine.divergences()
    engine.stats.seconds += time.perf_counter() - started
    engine.stats.rows_generated = engine.generation.rows_generated
    engine.stats.rows_rejected = engine.generation.rows_rejected
    unique = _dedupe(findings)
    return classify(unique, engine.mset, engine.target, rollback_policy=rollback_policy)


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


def check_set(
    mset: MigrationSet,
    target: Target,
    *,
    profile: str = "ci",
    seed: int | None = None,
    checks: Iterable[str] = CHECKS,
    max_rows: int = 3,
    on_step: Callable[[str], None] | None = None,
    config: SetConfig | None = None,
    judged: Collection[str] | None = None,
    real: RealData | None = None,
) -> CheckRun:
    """Run every check on a set under a Hypothesis profile: the library's ``check``.

    ``config`` holds how production applies the set (its ``applied`` must already be in
    ``target.tracked``), the rollback policy and the fail level. ``judged``: the labels of
    the migrations to report on (``--since``); ``None``: all. ``real``: a real database
    (``--data``): the migrations after its version are judged on its rows, the others
    not at all, and its values stay out of the findings unless it says to show them.
    """
    from migration_harness.checks.profiles import profile_seed, profile_settings

    settings = profile_settings(profile)
    started = time.perf_counter()
    config = config or SetConfig()
    real_seed = profile_seed(profile, seed)
    with values_hidden(real is not None and not real.show_values):
        engine = Engine(
            mset, target, settings=settings, seed=real_seed, max_rows=max_rows, real=real
        )
        judged = pending_judged(engine, judged)
        findings = run_checks(
            engine,
            checks=checks,
            on_step=on_step,
            rollback_policy=config.rollback_policy,
            judged=judged,
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
        context=real_context(engine),
    )
