"""Commands that judge a set in memory: ``check``, ``audit`` and ``replay``."""

from __future__ import annotations

import dataclasses
import sqlite3
import sys
from pathlib import Path

import click

from migration_harness.cli.common import (
    exit_on_sigterm,
    load,
    set_options,
    shell,
)
from migration_harness.errors import HarnessError
from migration_harness.schema.audit import audit_foreign_keys, uncovered
from migration_harness.schema.model import introspect
from migration_harness.sets import runner
from migration_harness.sets.discovery import discover
from migration_harness.sets.functions import find_config, load_functions
from migration_harness.sets.targets import TARGETS, get_target, with_foreign_keys


@click.command()
@set_options
@click.option(
    "--version",
    "version",
    type=int,
    default=None,
    help="Audit the schema at this version (default: the last).",
)
@shell
def audit(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    version: int | None,
) -> None:
    """Check that every foreign key is served by an index (in memory).

    Exits 1 when a foreign key has no covering index.
    """
    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    if engine != "sqlite3":
        message = "audit: --engine miniflare is not supported (the audit reads query plans)"
        raise HarnessError(message)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        runner.migrate(conn, mset, tgt, to=version)
        schema = introspect(conn, exclude=runner.BOOKKEEPING_TABLES)
        coverages = audit_foreign_keys(conn, schema)
    finally:
        conn.close()
    missing = uncovered(coverages)
    at = version if version is not None else (mset.versions[-1] if mset.versions else 0)
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
    type=click.Path(path_type=Path),
    default=None,
    help="Write findings, per-migration facts and stats to this file.",
)
@click.option(
    "--profile",
    type=click.Choice(["dev", "ci", "thorough"]),
    default="ci",
    show_default=True,
    help="Hypothesis budget.",
)
@click.option(
    "--seed", type=int, default=None, help="Seed Hypothesis (default: the profile's; ci uses 0)."
)
@click.option(
    "--checks", "check_names", default=None, help="Comma-separated subset of checks to run."
)
@click.option(
    "--max-rows",
    type=click.IntRange(1, 50),
    default=3,
    show_default=True,
    help="Most rows generated per table per example.",
)
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
@shell
def check(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    json_path: Path | None,
    profile: str,
    seed: int | None,
    check_names: str | None,
    max_rows: int,
    no_regressions: bool,
    differential: bool,
) -> None:
    """Prove every migration and rollback safe with generated data (in memory).

    Exits 0 with no findings, 1 with findings, 2 on bad input. Never touches the
    database or the files checked. With ``--engine miniflare`` every file runs on a real
    local D1 (the checks read and compare local mirrors of its state).
    """
    from rich.console import Console
    from rich.progress import Progress

    from migration_harness.checks.properties import CHECKS
    from migration_harness.checks.run import check_set
    from migration_harness.d1.miniflare import LocalD1
    from migration_harness.d1.mirror import engine_target
    from migration_harness.lint import lint_set
    from migration_harness.report.agreement import agree, describe
    from migration_harness.report.render import render, write_json, write_regression

    names = _check_names(check_names, CHECKS)
    engine = "miniflare" if differential else engine
    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    linted = lint_set(mset, tgt)  # milliseconds: the static rules first
    console = Console(stderr=True)
    total = len(mset.migrations) * (len(CHECKS) - 1)
    if engine == "miniflare":
        exit_on_sigterm()
    with (
        LocalD1() as d1,
        Progress(console=console, transient=True, disable=not console.is_terminal) as bar,
    ):
        if engine == "miniflare":
            tgt = engine_target(tgt, d1, differential=differential)
        task = bar.add_task("checking", total=total)
        run = check_set(
            mset,
            tgt,
            profile=profile,
            seed=seed,
            checks=names,
            max_rows=max_rows,
            on_step=lambda step: bar.update(task, advance=1, description=step),
        )
    render(run, Console(width=120))
    for line in describe(agree(linted, run.findings)):
        click.echo(line)
    if not no_regressions:
        for finding in run.findings:
            if finding.example.get("history"):
                written = write_regression(finding, mset.root, tgt.name, tgt.foreign_keys)
                click.echo(
                    f"regression written: {written} (replay: migration-harness replay {written})"
                )
    if json_path is not None:
        write_json(run, json_path)
    sys.exit(run.exit_code)


def _check_names(given: str | None, known: tuple[str, ...]) -> list[str]:
    """Parse ``--checks``, suggesting a close name on a typo."""
    if not given:
        return list(known)
    names = [n.strip() for n in given.split(",") if n.strip()]
    import difflib

    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
            message = f"--checks {name}: unknown check ({hint})"
            raise HarnessError(message)
    return names


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

    The file's set is the folder above its ``regressions/`` folder; the history runs
    through the same state machine code that found it, in memory.
    """
    from migration_harness.checks.engine import Engine
    from migration_harness.checks.machine import Step
    from migration_harness.checks.machine import replay as replay_history
    from migration_harness.report.render import read_regression, regression_set_root

    data = read_regression(regression)
    mset = discover(regression_set_root(regression))
    recorded = data.get("foreign_keys")
    if foreign_keys is None and isinstance(recorded, bool):
        foreign_keys = "on" if recorded else "off"
    functions = load_functions(find_config(mset.root))
    tgt = dataclasses.replace(get_target(target or data["target"]), functions=functions)
    tgt = with_foreign_keys(tgt, foreign_keys)
    steps = [Step.from_json(s) for s in data["history"]]
    known = {m.id for m in mset.migrations}
    for step in steps:
        if step.migration and step.migration not in known:
            message = f"{regression}: step names {step.migration}, which the set no longer has"
            raise HarnessError(message)
    findings = replay_history(Engine(mset, tgt), steps)
    expected = data["finding"]
    if not findings:
        click.echo(
            f"fixed: {expected['kind']} in {expected['migration']} no longer occurs "
            f"({len(steps)} steps replayed)"
        )
        return
    for finding in findings:
        click.echo(finding.render())
    same = any(
        f.kind == expected["kind"] and f.migration == expected["migration"] for f in findings
    )
    click.echo("" if same else "note: the history now fails differently")
    sys.exit(1)
