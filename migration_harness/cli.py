"""The ``migration-harness`` command line: parse arguments, call the library, print.

Every command is a thin shell over the library. Errors the library raises on bad input
(:class:`~migration_harness.errors.HarnessError`) become one line on stderr and exit status 2; a
check that finds problems exits 1; a clean run exits 0.
"""

from __future__ import annotations

import dataclasses
import functools
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click

from migration_harness.errors import DatabaseError, HarnessError
from migration_harness.schema.audit import audit_foreign_keys, uncovered
from migration_harness.schema.model import introspect
from migration_harness.sets import runner
from migration_harness.sets.discovery import MigrationSet, discover, read_wrangler_config
from migration_harness.sets.functions import find_config, load_functions
from migration_harness.sets.targets import TARGETS, Target, get_target, with_foreign_keys

F = TypeVar("F", bound=Callable[..., Any])
ENGINES = ("sqlite3", "miniflare")


def _db_options(func: F) -> F:
    """Where the database is: a SQLite file, or a persisted local D1 (``--engine miniflare``)."""
    decorators = [
        click.option(
            "--db",
            "db_path",
            type=click.Path(path_type=Path),
            default=None,
            help="SQLite database file (engine sqlite3).",
        ),
        click.option(
            "--persist-to",
            type=click.Path(path_type=Path, file_okay=False),
            default=None,
            help="Local D1 folder, as `wrangler d1 ... --local --persist-to DIR` "
            "(engine miniflare).",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def default_path() -> Path:
    """``./db`` when the working folder has one, else the embedded Umbrella set."""
    local = Path("db")
    if (local / "migrations").is_dir():
        return local
    packaged = Path(__file__).parent / "_embedded" / "db"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "db"


def _set_options(func: F) -> F:
    """The options every command shares: where the set is and which target runs it."""
    decorators = [
        click.argument("path", required=False, type=click.Path(path_type=Path)),
        click.option(
            "--migrations",
            type=click.Path(path_type=Path),
            help="Folder of forward migrations (overrides detection).",
        ),
        click.option(
            "--rollbacks",
            type=click.Path(path_type=Path),
            help="Folder of rollback files, paired by version.",
        ),
        click.option(
            "--target",
            type=click.Choice(sorted(TARGETS)),
            default=None,
            help="Runner rules: how that tool runs a file on SQLite (transaction, splitting, "
            "foreign keys, tracking table); see docs/RUNNERS.md. Default: d1 for a wrangler "
            "D1 project, else the runner the layout is written for (sqlite for plain files).",
        ),
        click.option(
            "--foreign-keys",
            "foreign_keys",
            type=click.Choice(["on", "off"]),
            default=None,
            help="Override the target's foreign-keys default (e.g. a DSN with _fk=1).",
        ),
        click.option(
            "--engine",
            type=click.Choice(ENGINES),
            default="sqlite3",
            show_default=True,
            help="What executes the files: Python's sqlite3, or a real local D1 "
            "(Miniflare; implies --target d1; needs Node and `npm ci`).",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _shell(func: F) -> F:
    """Translate library errors into one line on stderr and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except HarnessError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def load(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None = None,
    engine: str = "sqlite3",
) -> tuple[MigrationSet, Target]:
    """Discover the set and resolve the target the user asked for (or the layout's).

    ``foreign_keys`` overrides the target's default, as a DSN parameter does for the real
    runner (``_foreign_keys=1`` for mattn, ``.foreign_keys(false)`` for sqlx).
    """
    root = path if path is not None else (migrations.parent if migrations else default_path())
    mset = discover(root, migrations=migrations, rollbacks=rollbacks)
    if engine == "miniflare":
        from migration_harness.d1.mirror import miniflare_conflict

        conflict = miniflare_conflict(target, foreign_keys)
        if conflict is not None:
            message = f"--engine miniflare: {conflict}"
            raise HarnessError(message)
        return mset, get_target("d1")
    functions = load_functions(find_config(mset.root))
    target_ = dataclasses.replace(get_target(target or mset.default_target), functions=functions)
    return mset, with_foreign_keys(target_, foreign_keys)


def database_id(mset: MigrationSet) -> str:
    """The D1 binding's ``database_id`` in the wrangler config: it names wrangler's local file."""
    from migration_harness.d1.miniflare import DEFAULT_DATABASE_ID

    if mset.wrangler_config is None:
        return DEFAULT_DATABASE_ID
    data = read_wrangler_config(mset.wrangler_config)
    bindings = data.get("d1_databases", [])
    for binding in bindings:
        folder = mset.wrangler_config.parent / binding.get("migrations_dir", "migrations")
        if folder.resolve() == mset.migrations_dir.resolve() and binding.get("database_id"):
            return str(binding["database_id"])
    return DEFAULT_DATABASE_ID


@contextmanager
def open_database(
    engine: str,
    tgt: Target,
    mset: MigrationSet,
    db_path: Path | None,
    persist_to: Path | None,
    *,
    create: bool,
) -> Iterator[tuple[sqlite3.Connection, Target, str]]:
    """``(connection, target, name)`` for the database a command works on.

    With ``--engine miniflare`` the database is the local D1 that wrangler keeps under
    ``--persist-to``; the connection is an in-memory mirror of it and every file runs on D1
    (never the other way round), and the Node process stops when the block ends.
    """
    if engine == "sqlite3":
        if db_path is None:
            message = "Missing option '--db' (or use --engine miniflare --persist-to DIR)."
            raise click.UsageError(message)
        conn = runner.connect(db_path, create=create)
        try:
            yield conn, tgt, str(db_path)
        finally:
            conn.close()
        return
    from migration_harness.d1.miniflare import persisted
    from migration_harness.d1.mirror import MirrorExecutor

    if persist_to is None or db_path is not None:
        message = "--engine miniflare: give --persist-to DIR instead of --db (wrangler's folder)"
        raise HarnessError(message)
    if not create and not (persist_to / "v3" / "d1").is_dir():
        message = f"{persist_to}: no local D1 database here (run migrate --engine miniflare first)"
        raise DatabaseError(message)
    _exit_on_sigterm()
    with persisted(persist_to, database_id(mset)) as d1:
        mirror = MirrorExecutor(d1, may_reset=False)
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            mirror.attach(conn, create_tracking=create)
            yield conn, replace(tgt, executor=mirror), f"{persist_to} (local D1)"
        finally:
            conn.close()


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so the local D1 is shut down like on Ctrl-C."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


@click.group()
@click.version_option(package_name="migration-harness")
def cli() -> None:
    """Prove that a SQLite or Cloudflare D1 migration set and its rollbacks are safe."""


@cli.command()
@_set_options
@_db_options
@click.option("--to", "to", type=int, default=None, help="Stop after this version.")
@click.option(
    "--allow-changed", is_flag=True, help="Accept applied migrations whose file changed since."
)
@_shell
def migrate(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    db_path: Path | None,
    persist_to: Path | None,
    to: int | None,
    allow_changed: bool,
) -> None:
    """Apply pending migrations to a database, each file atomically."""
    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    with open_database(engine, tgt, mset, db_path, persist_to, create=True) as (conn, tgt, name):
        done = runner.migrate(conn, mset, tgt, to=to, allow_changed=allow_changed)
        version = runner.status(conn, mset, tgt).version
    for migration in done:
        click.echo(f"applied {migration.id}")
    click.echo(
        f"{len(done)} migration(s) applied; {name} is at version {version} "
        f"(target {tgt.name}, foreign keys {'on' if tgt.foreign_keys else 'off'})"
    )


@cli.command()
@_set_options
@_db_options
@_shell
def status(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    db_path: Path | None,
    persist_to: Path | None,
) -> None:
    """List applied and pending migrations (read-only)."""
    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    with open_database(engine, tgt, mset, db_path, persist_to, create=False) as (conn, _, _):
        rows = {r.name: r for r in runner.applied_rows(conn, mset, tgt)}
        current = runner.status(conn, mset, tgt)
    changed = {m.id for m in current.changed}
    for migration in mset.migrations:
        row = rows.get(migration.id)
        state = f"applied {row.applied_at}".rstrip() if row else "pending"
        if migration.id in changed:
            state += " (file changed since it was applied)"
        click.echo(f"{migration.id:<50} {state}")
    for name in current.unknown:
        click.echo(f"{name:<50} applied, but not in this set")
    click.echo(
        f"{len(current.applied)} applied, {len(current.pending)} pending; version {current.version}"
    )


@cli.command()
@_set_options
@_db_options
@click.option("--to", "to", type=int, default=None, help="Roll back to this version (0: all).")
@click.option(
    "--steps", type=click.IntRange(min=1), default=None, help="Roll back this many migrations."
)
@_shell
def rollback(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    db_path: Path | None,
    persist_to: Path | None,
    to: int | None,
    steps: int | None,
) -> None:
    """Roll back applied migrations, newest first, each file atomically."""
    if (to is None) == (steps is None):
        message = "rollback: give exactly one of --to VERSION or --steps N"
        raise click.UsageError(message)
    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    with open_database(engine, tgt, mset, db_path, persist_to, create=False) as (conn, tgt, name):
        undone = runner.rollback_to(conn, mset, tgt, to=to, steps=steps)
        version = runner.status(conn, mset, tgt).version
    for migration in undone:
        click.echo(f"rolled back {migration.id}")
    click.echo(f"{len(undone)} migration(s) rolled back; {name} is at version {version}")


@cli.command()
@_set_options
@click.option(
    "--version",
    "version",
    type=int,
    default=None,
    help="Audit the schema at this version (default: the last).",
)
@_shell
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


@cli.command()
@_set_options
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
@_shell
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
    from migration_harness.report.render import render, write_json, write_regression

    names = _check_names(check_names, CHECKS)
    engine = "miniflare" if differential else engine
    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    console = Console(stderr=True)
    total = len(mset.migrations) * (len(CHECKS) - 1)
    if engine == "miniflare":
        _exit_on_sigterm()
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


@cli.command()
@_set_options
@click.option(
    "--docs",
    "docs_dir",
    type=click.Path(path_type=Path),
    default=Path("docs"),
    show_default=True,
    help="Folder for MIGRATION_ROLLBACK.md.",
)
@click.option(
    "--profile",
    type=click.Choice(["dev", "ci", "thorough"]),
    default="ci",
    show_default=True,
    help="Hypothesis budget for the rollback measurements.",
)
@_shell
def report(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    docs_dir: Path,
    profile: str,
) -> None:
    """Write MIGRATION_STATUS.md beside the set and docs/MIGRATION_ROLLBACK.md.

    Both are generated from in-memory runs: the set's files are only read.
    """
    from migration_harness.checks.run import check_set
    from migration_harness.report.render import rollback_markdown, status_markdown
    from migration_harness.report.status import gather

    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    if engine != "sqlite3":
        message = "report: --engine miniflare is not supported (run check --engine miniflare)"
        raise HarnessError(message)
    name = str(path) if path is not None else "db"
    status_file = mset.migrations_dir.parent if mset.layout == "harness" else mset.root
    status_path = status_file / "MIGRATION_STATUS.md"
    status_path.write_text(status_markdown(gather(mset, tgt, set_name=name)), encoding="utf-8")
    click.echo(f"wrote {status_path}")
    run = check_set(mset, tgt, profile=profile)
    run.set_path = name
    docs_dir.mkdir(parents=True, exist_ok=True)
    rollback_path = docs_dir / "MIGRATION_ROLLBACK.md"
    rollback_path.write_text(rollback_markdown(run), encoding="utf-8")
    click.echo(f"wrote {rollback_path}")


@cli.command()
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
@_shell
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
