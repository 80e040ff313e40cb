"""Commands that judge a set in memory: ``check``, ``audit`` and ``replay``."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from migration_harness.cli.accept import (
    accept,
    accept_options,
    judged_since,
    load_accepted,
    refuse_package_path,
)
from migration_harness.cli.common import (
    F,
    load,
    output_path,
    refuse_set_file,
    rollback_use_options,
    rollbacks_run,
    set_options,
    set_renames,
    set_ship_groups,
    shell,
    ship_groups_option,
    stacked,
    statement_timeout_option,
)
from migration_harness.cli.data import data_options, describe_real, load_real
from migration_harness.cli.progress import frozen_heap, jobs_or_default, speed_options
from migration_harness.errors import HarnessError
from migration_harness.report.findings import CheckRun
from migration_harness.schema.audit import audit_foreign_keys, uncovered
from migration_harness.schema.model import introspect
from migration_harness.sets import runner
from migration_harness.sets.build import build_target
from migration_harness.sets.config import (
    APPLIED,
    FAIL_LEVELS,
    ROLLBACK_POLICIES,
    SetConfig,
)
from migration_harness.sets.discovery import MigrationSet, discover
from migration_harness.sets.equivalents import with_equivalents
from migration_harness.sets.functions import config_of, set_config
from migration_harness.sets.hooks import with_hooks
from migration_harness.sets.locate import inside_package
from migration_harness.sets.overrides import with_applied
from migration_harness.sets.registry import TARGETS
from migration_harness.sets.rollbackuse import rollback_use
from migration_harness.sets.targets import Target

if TYPE_CHECKING:
    from migration_harness.data.sources import RealData
    from migration_harness.report.findings import Finding
    from migration_harness.sets.shipgroups import ShipGroup


def run_options(func: F) -> F:
    """The budget of a check run, the same for ``check`` and ``baseline``.

    A baseline must be recorded with the budget CI checks with, so both commands take
    the same options with the same defaults.
    """
    decorators = [
        click.option(
            "--profile",
            type=click.Choice(["dev", "ci", "thorough"]),
            default="ci",
            show_default=True,
            help="Hypothesis budget (a baseline: the one your CI checks with).",
        ),
        click.option(
            "--seed",
            type=int,
            default=None,
            help="Seed Hypothesis (default: the profile's; ci uses 0).",
        ),
        click.option(
            "--checks", "check_names", default=None, help="Comma-separated subset of checks to run."
        ),
        click.option(
            "--max-rows",
            type=click.IntRange(1, 50),
            default=3,
            show_default=True,
            help="Most rows generated per table per example.",
        ),
    ]
    return stacked(func, decorators)


@click.command()
@set_options
@click.option(
    "--version",
    "version",
    default=None,
    help="Audit the schema at this version, by name or number (default: the last).",
)
@shell
def audit(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    version: str | None,
) -> None:
    """Check that every foreign key is served by an index (in memory).

    Exits 1 when a foreign key has no covering index.
    """
    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine, example=True)
    if engine != "sqlite3":
        message = "audit: --engine miniflare is not supported (the audit reads query plans)"
        raise HarnessError(message)
    chosen = None if version is None else runner.version_named(mset, version)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        runner.migrate(conn, mset, tgt, to=chosen)
        schema = introspect(conn, exclude=runner.bookkeeping_tables(tgt))
        coverages = audit_foreign_keys(conn, schema)
    finally:
        conn.close()
    missing = uncovered(coverages)
    at = chosen if chosen is not None else (mset.versions[-1] if mset.versions else 0)
    click.echo(f"{len(coverages)} foreign key(s) at version {at}; {len(missing)} without index")
    for coverage in missing:
        click.echo(f"  unindexed: {coverage.describe()}")
    if missing:
        sys.exit(1)


@click.command()
@set_options
@click.option(
    "--json",
    "json_path",
    type=click.Path(path_type=Path, allow_dash=True),
    default=None,
    help="Write findings, per-migration facts and stats to this file ('-': stdout, the "
    "report then goes to stderr). Schema: migration_harness/report/check.schema.json.",
)
@click.option(
    "--sarif",
    "sarif_path",
    type=click.Path(path_type=Path, allow_dash=True),
    default=None,
    help="Write the findings as SARIF 2.1.0 (code-scanning annotations at the statement; "
    "'-': stdout).",
)
@click.option(
    "--applied",
    type=click.Choice(APPLIED),
    default=None,
    help="How production applies the set: tracked (a tool records each file; every runner "
    "target's default) or untracked (files executed by hand or script, as `wrangler d1 "
    "execute --file`; the sqlite target's default). Decides not_idempotent's severity.",
)
@click.option(
    "--rollback-policy",
    type=click.Choice(ROLLBACK_POLICIES),
    default=None,
    help="required: a missing rollback is an error; optional: a note (default: required "
    "when at least half the migrations have a rollback).",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_LEVELS),
    default=None,
    help="Lowest severity that makes the exit status 1 (default: fail_on in the config, "
    "else error).",
)
@ship_groups_option
@rollback_use_options
@run_options
@speed_options
@click.option(
    "--no-regressions",
    is_flag=True,
    help="Do not write failing histories to <set>/regressions/.",
)
@click.option(
    "--differential",
    is_flag=True,
    help="Run every file on the d1 emulation and on a real local D1 and report each "
    "divergence as engine_divergence (implies --engine miniflare).",
)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Print notes and suppressed findings with their details too (default: one line "
    "each; errors and warnings are always printed whole).",
)
@accept_options
@statement_timeout_option
@data_options
@shell
def check(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    json_path: Path | None,
    sarif_path: Path | None,
    applied: str | None,
    rollback_policy: str | None,
    fail_on: str | None,
    ship_groups: str | None,
    production_rollbacks: str | None,
    production_rollbacks_from: str | None,
    profile: str,
    seed: int | None,
    check_names: str | None,
    max_rows: int,
    jobs: int | None,
    no_cache: bool,
    no_regressions: bool,
    differential: bool,
    since: str | None,
    baseline_path: Path | None,
    no_baseline: bool,
    data: str | None,
    sample: int | None,
    allow_drift: bool,
    show_values: bool,
    data_persist: Path | None,
    verbose: bool,
) -> None:
    """Prove every migration and rollback safe with generated data (in memory).

    Exits 0 when no finding reaches the fail level (--fail-on, default error), 1 when one
    does, 2 on bad input, 3 on an internal error. Warnings and notes are shown either way;
    suppressed findings (inline, config, baseline) are listed and never fail the run.
    Never touches the database or the files checked: it writes only its cache
    (``.migration-harness/``, off with --no-cache) and ``regressions/`` (off with
    --no-regressions). With ``--engine miniflare`` every file runs on a real local D1 (the
    checks read and compare local mirrors of its state), in this process. With ``--data``
    the migrations after the real database's version are judged on its rows as well (the
    file is only read; its values stay out of the report; no cache is used).
    """
    from rich.console import Console

    from migration_harness.checks.properties import CHECKS
    from migration_harness.report.render import render, write_json
    from migration_harness.report.sarif import write_sarif

    output_path("--json", json_path)
    output_path("--sarif", sarif_path)
    to_stdout = "-" in (str(json_path), str(sarif_path))
    if str(json_path) == str(sarif_path) == "-":
        message = "--json - and --sarif -: only one of them can go to stdout"
        raise click.UsageError(message)
    from migration_harness.lint import lint_set, lints_tracked
    from migration_harness.report.agreement import agree, describe

    names = _check_names(check_names, CHECKS)
    engine = "miniflare" if differential else engine
    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine, example=True)
    refuse_set_file("--json", json_path, mset)
    refuse_set_file("--sarif", sarif_path, mset)
    config = set_config(
        mset,
        applied=applied,
        rollback_policy=rollback_policy,
        fail_on=fail_on,
        ship_groups=ship_groups,
        production_rollbacks=production_rollbacks,
        production_rollbacks_from=production_rollbacks_from,
    )
    # A bound that names no migration is bad input: stop before any work.
    downs_run = rollbacks_run(mset, config, production_rollbacks, production_rollbacks_from)
    tgt = with_applied(tgt, applied)
    judged = judged_since(mset, since)
    accepted = load_accepted(mset, baseline_path, no_baseline)
    real = load_real(
        mset, tgt, data, sample=sample, seed=seed, allow_drift=allow_drift,
        show_values=show_values, persist_to=data_persist, engine=engine,
    )  # fmt: skip
    groups = set_ship_groups(mset, config, tgt)
    # The static rules first, on the set as tracked (or not) as the checks run it.
    tracked = lints_tracked(tgt)
    renames = set_renames(mset, config, tgt) if tracked else ()
    linted = lint_set(
        mset, tgt, tracked=tracked, rollbacks=downs_run, groups=groups, renames=renames
    )
    speed = _Speed(jobs_or_default(jobs), not no_cache)
    budget = (profile, seed, names, max_rows)
    run = _run(mset, tgt, engine, differential, *budget, judged, config, real, speed, groups)
    for line in describe_real(run.context):
        click.echo(line, err=True)
    notes = accept(run, accepted, mset, names, judged)
    if since is not None:
        run.context["since"]["revision"] = since
    render(run, Console(stderr=to_stdout), verbose=verbose)  # the terminal's width (COLUMNS)
    for note in notes:
        click.echo(note, err=to_stdout)
    for line in describe(agree(linted, run.findings), verbose=verbose):
        click.echo(line, err=to_stdout)
    if not no_regressions:
        _write_regressions(run.findings, mset, tgt, err=to_stdout)
    try:
        if json_path is not None:
            write_json(run, json_path)
        if sarif_path is not None:
            write_sarif(run, sarif_path)
    except OSError as exc:
        # output_path checked the folder; a file system can still refuse (/proc, a full disk).
        message = f"{exc.filename or json_path or sarif_path}: cannot be written ({exc.strerror})"
        raise HarnessError(message) from exc
    sys.exit(run.exit_code)


@click.command()
@set_options
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Baseline file to write (default: .migration-harness-baseline.json beside "
    "pyproject.toml, else in the set).",
)
@run_options
@speed_options
@shell
def baseline(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    output: Path | None,
    profile: str,
    seed: int | None,
    check_names: str | None,
    max_rows: int,
    jobs: int | None,
    no_cache: bool,
) -> None:
    """Record today's findings so that later checks fail only on new ones.

    Runs every check and writes the findings no inline or config suppression accepts to
    the baseline file, which ``check`` then reads by itself. Writes nothing else.
    """
    from migration_harness.checks.properties import CHECKS
    from migration_harness.report.baseline import default_baseline, write_baseline

    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    pyproject = config_of(mset)
    destination = output or default_baseline(mset, pyproject)
    refuse_package_path(destination)
    refuse_set_file("baseline", destination, mset)
    output_path("baseline", destination)  # before the run, not after minutes of checks
    names = _check_names(check_names, CHECKS)
    accepted = load_accepted(mset, None, no_baseline=True)
    speed = _Speed(jobs_or_default(jobs), not no_cache)
    config = set_config(mset)
    run = _run(mset, tgt, engine, False, profile, seed, names, max_rows, None, config, speed=speed)
    accept(run, accepted, mset, names, None)
    count = write_baseline(run.findings, destination)
    suppressed = len(run.findings) - len(run.standing)
    also = f"; {suppressed} already suppressed inline or in the config" if suppressed else ""
    click.echo(f"baseline: {count} finding(s) recorded in {destination}{also}")


@dataclasses.dataclass(frozen=True, slots=True)
class _Speed:
    """``--jobs`` (resolved) and whether the version cache is used."""

    jobs: int = 1
    cache: bool = False


def _run(
    mset: MigrationSet,
    tgt: Target,
    engine: str,
    differential: bool,
    profile: str,
    seed: int | None,
    names: list[str],
    max_rows: int,
    judged: frozenset[str] | None,
    config: SetConfig | None = None,
    real: RealData | None = None,
    speed: _Speed = _Speed(),
    groups: tuple[ShipGroup, ...] | None = None,
) -> CheckRun:
    """Run the checks with progress on stderr (and the local D1 when asked)."""
    from migration_harness.checks.cache import cache_folder
    from migration_harness.checks.run import check_set
    from migration_harness.cli.progress import progress

    with frozen_heap(), contextlib.ExitStack() as stack, progress() as on_step:
        if engine == "miniflare":
            # Imported here only: the local D1's client (http.client, the mirror) is
            # ~15 ms of imports a check on the in-process engine never uses (issue 17).
            from migration_harness.d1.miniflare import LocalD1
            from migration_harness.d1.mirror import engine_target

            d1 = stack.enter_context(LocalD1(near=mset.migrations_dir))
            tgt = engine_target(tgt, d1, differential=differential)
        return check_set(
            mset,
            tgt,
            profile=profile,
            seed=seed,
            checks=names,
            max_rows=max_rows,
            on_step=on_step,
            judged=judged,
            config=config,
            real=real,
            jobs=speed.jobs,
            cache=cache_folder(mset) if speed.cache else None,
            groups=groups,
        )


def _write_regressions(
    findings: list[Finding], mset: MigrationSet, tgt: Target, *, err: bool = False
) -> None:
    """Write each error-level finding's example to ``<set>/regressions/``, and say where.

    Suppressed findings are accepted by the team, so they are no regression.

    A history (the state machine's) or a per-migration check's example; engine
    divergences and set-wide findings have no example a replay could run. A folder that
    cannot take the files (read-only, or ``regressions`` is not a directory) is warned
    about once, and the report stands.
    """
    from migration_harness.checks.minimal import cause_of
    from migration_harness.checks.properties import PER_MIGRATION
    from migration_harness.report.regression import write_regression

    folder = mset.root / "regressions"
    by_label = {m.label: m for m in mset.migrations}
    for finding in findings:
        if finding.severity != "error" or finding.suppressed:
            continue
        migration = by_label.get(finding.migration or "")
        history = bool(finding.example.get("history"))
        if not history and (migration is None or finding.check not in PER_MIGRATION):
            continue
        if folder.exists() and not folder.is_dir():
            click.echo(f"warning: regressions not written: {folder} is not a directory", err=True)
            return
        if inside_package(folder):  # the embedded example: check stays read-only there
            click.echo(f"note: regressions not written: {folder} is inside the package", err=True)
            return
        try:
            written = write_regression(
                finding,
                mset.root,
                tgt.name,
                tgt.foreign_keys,
                migration=None if history else migration,
                cause=() if history else cause_of(finding),
                application_foreign_keys=tgt.application_foreign_keys,
                dialect=tgt.dialect,
            )
        except OSError as exc:
            click.echo(f"warning: regressions not written to {folder}: {exc}", err=True)
            return
        click.echo(
            f"regression written: {written} (replay: migration-harness replay {written})",
            err=err,
        )


def _check_names(given: str | None, known: tuple[str, ...]) -> list[str]:
    """Parse ``--checks`` (every check when not given), refusing an unknown name."""
    from migration_harness.checks.properties import checks_named

    if not given:
        return list(known)
    return checks_named(given, option="--checks")


@click.command()
@click.argument("regression", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--target",
    type=click.Choice(sorted(TARGETS)),
    default=None,
    help="Override the target recorded in the file.",
)
@click.option(
    "--foreign-keys",
    "foreign_keys",
    type=click.Choice(["on", "off"]),
    default=None,
    help="Override the foreign-keys setting recorded in the file.",
)
@shell
def replay(regression: Path, target: str | None, foreign_keys: str | None) -> None:
    """Replay a regression file: exit 1 while its bug exists, 0 once it is fixed.

    The file's set is the folder above its ``regressions/`` folder. A history runs
    through the same state machine code that found it; a per-migration check's example
    restores the version the check started from, inserts the recorded rows, runs the
    steps and compares as the check does, in memory.
    """
    from migration_harness.checks.applying import schema_before
    from migration_harness.checks.counterfactual import counterfactual_for
    from migration_harness.checks.engine import Engine
    from migration_harness.checks.replay import replay_regression, still_failing
    from migration_harness.checks.severity import classify
    from migration_harness.report.catalogue import at_least, severity_named
    from migration_harness.report.regression import read_regression, regression_set_root

    root = regression_set_root(regression)  # where it is, before what it holds
    data = read_regression(regression)
    mset = discover(root, target=target or data["target"])
    mset = with_hooks(with_equivalents(mset, config_of(mset)), config_of(mset))
    recorded = data.get("foreign_keys")
    if foreign_keys is None and isinstance(recorded, bool):
        foreign_keys = "on" if recorded else "off"
    served = data.get("application_foreign_keys")  # what the run that wrote it used
    recorded_dialect = data.get("dialect")  # what the run that wrote it ran on
    config = set_config(mset).merged(
        application_foreign_keys=("on" if served else "off") if isinstance(served, bool) else None,
        dialect=None if recorded_dialect is None else str(recorded_dialect),
    )
    tgt = build_target(mset, config, target or data["target"], foreign_keys=foreign_keys)
    engine = Engine(mset, tgt)
    findings = replay_regression(engine, data, regression)
    findings = classify(
        findings,
        mset,
        tgt,
        rollback_policy=config.rollback_policy,
        counterfactual=counterfactual_for(engine),
        rollbacks=rollback_use(mset, config.production_rollbacks, config.production_rollbacks_from),
        schema_before=schema_before(engine),
    )
    expected = data["finding"]
    what = f"{len(data['history'])} steps" if "history" in data else "its example"
    level = severity_named(config.fail_on)
    bug = still_failing(data, findings, engine)
    failing = [f for f in bug if at_least(f.severity, level)]
    below = [f for f in bug if f not in failing]
    for finding in failing:
        click.echo(finding.render())
    others = [f for f in findings if f not in failing]
    if others:
        click.echo(f"\nalso found ({len(others)} other finding(s), not this file's bug):")
        for finding in others:
            click.echo(finding.render())
    if below and not failing:
        click.echo(
            f"below the fail level ({config.fail_on}) under this set's rules now: "
            + ", ".join(f"{f.code} {f.severity}" for f in below)
        )
        return
    if not failing:
        click.echo(
            f"fixed: {expected['kind']} in {expected['migration']} no longer occurs "
            f"({what} replayed)"
        )
        return
    same = any(f.kind == expected["kind"] for f in failing)
    click.echo("" if same else f"note: {what} now fails differently")
    sys.exit(1)
