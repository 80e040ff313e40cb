"""Running the checks over a whole set: every property per migration, then the set-wide ones."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from migration_harness.checks.engine import Engine
from migration_harness.checks.properties import CHECKS, PER_MIGRATION, check_fk_index
from migration_harness.checks.scope import irreversible_operations
from migration_harness.report.findings import CheckRun, Finding
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
) -> list[Finding]:
    """Run the named checks over every migration; findings in migration order."""
    wanted = list(checks)
    started = time.perf_counter()
    findings: list[Finding] = []
    for k, migration in enumerate(engine.migrations, start=1):
        info = engine.infos[migration.version]
        info.operations = irreversible_operations(split_statements(migration.up_sql))
        if migration.down_sql is None:
            info.reversibility = "irreversible"
        for name, check in PER_MIGRATION.items():
            if name in wanted:
                found = check(engine, k)
                findings += found + engine.divergences()
                # A version an earlier failure keeps from being built had only its files
                # judged: its data and round-trip checks did not run.
                idle = "ok" if engine.available(k) else "not reached"
                info.results[name] = "fail" if found else idle
            if on_step:
                on_step(f"{migration.label}::{name}")
    if "fk_index" in wanted and len(engine.versions) > 1:
        findings += check_fk_index(engine)
    if "stateful" in wanted and len(engine.versions) > 1:
        findings += check_stateful(engine)
    findings += engine.divergences()
    engine.stats.seconds += time.perf_counter() - started
    engine.stats.rows_generated = engine.generation.rows_generated
    engine.stats.rows_rejected = engine.generation.rows_rejected
    return _dedupe(findings)


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
) -> CheckRun:
    """Run every check on a set under a Hypothesis profile: the library's ``check``."""
    from migration_harness.checks.profiles import profile_seed, profile_settings

    settings = profile_settings(profile)
    started = time.perf_counter()
    engine = Engine(
        mset, target, settings=settings, seed=profile_seed(profile, seed), max_rows=max_rows
    )
    findings = run_checks(engine, checks=checks, on_step=on_step)
    engine.stats.seconds = time.perf_counter() - started
    return CheckRun(
        set_path=str(mset.root),
        layout=mset.layout,
        target=target.name,
        profile=profile,
        seed=seed,
        findings=findings,
        migrations=list(engine.infos.values()),
        stats=engine.stats,
        forward_only=not mset.has_rollbacks,
        foreign_keys=target.foreign_keys,
        stopped=engine.stop[1] if engine.stop else "",
    )
