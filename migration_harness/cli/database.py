"""Commands that work on a real database: ``migrate``, ``status``, ``rollback``."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import click

from migration_harness.cli.common import (
    db_options,
    load,
    open_database,
    set_options,
    shell,
    statement_timeout_option,
)
from migration_harness.sets import recovery, runner
from migration_harness.sets.discovery import MigrationSet
from migration_harness.sets.integrity import IntegrityFailedError, intents
from migration_harness.sets.lock import runner_lock
from migration_harness.sets.targets import Target

T = TypeVar("T")


@click.command()
@set_options
@db_options
@click.option(
    "--to",
    "to",
    default=None,
    help="Stop after this version: its name (20240101120000_users) or number.",
)
@click.option(
    "--allow-changed", is_flag=True, help="Accept applied migrations whose file changed since."
)
@click.option(
    "--resolve",
    type=click.Choice(recovery.OUTCOMES),
    default=None,
    help="Settle a self-managed file interrupted before its tracking row, when the schema "
    "cannot tell: done (it finished: record it) or undone (it did not); then stop.",
)
@statement_timeout_option
@shell
def migrate(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    db_path: Path | None,
    persist_to: Path | None,
    to: str | None,
    allow_changed: bool,
    resolve: str | None,
) -> None:
    """Apply pending migrations to a database, each file atomically."""
    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    version_to = None if to is None else runner.version_named(mset, to)
    with open_database(engine, tgt, mset, db_path, persist_to, create=True) as (conn, tgt, name):
        if resolve is not None:
            with runner_lock(conn):
                notes = recovery.resolve(conn, mset, tgt, name, resolve)
            for note in notes or [f"{name}: nothing was interrupted; nothing to resolve"]:
                click.echo(note)
            return
        done = _stepping(
            conn,
            mset,
            tgt,
            name,
            lambda: runner.migrate(
                conn,
                mset,
                tgt,
                to=version_to,
                allow_changed=allow_changed,
                on_applied=lambda m: _said(f"applied {m.id}"),
            ),
        )
        version = runner.status(conn, mset, tgt).version
    click.echo(
        f"{len(done)} migration(s) applied; {name} is at version {version} "
        f"(target {tgt.name}, foreign keys {'on' if tgt.foreign_keys else 'off'})"
    )


@click.command()
@set_options
@db_options
@shell
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
    opened = open_database(engine, tgt, mset, db_path, persist_to, create=False, read_only=True)
    with opened as (conn, _, name):
        rows = {r.name: r for r in runner.applied_rows(conn, mset, tgt)}
        current = runner.status(conn, mset, tgt)
        interrupted = intents(conn)
    for step in interrupted:
        click.echo(f"{step.name:<50} interrupted ({step.direction}); run migrate to recover it")
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


@click.command()
@set_options
@db_options
@click.option(
    "--to",
    "to",
    default=None,
    help="Roll back to this version: its name or number; base: before the first migration "
    "(0 is version 0 where the set has one, as drizzle's 0000_…).",
)
@click.option(
    "--steps", type=click.IntRange(min=1), default=None, help="Roll back this many migrations."
)
@statement_timeout_option
@shell
def rollback(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    db_path: Path | None,
    persist_to: Path | None,
    to: str | None,
    steps: int | None,
) -> None:
    """Roll back applied migrations, newest first, each file atomically."""
    if (to is None) == (steps is None):
        message = "rollback: give exactly one of --to VERSION or --steps N"
        raise click.UsageError(message)
    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    version_to = None if to is None else runner.version_named(mset, to)
    with open_database(engine, tgt, mset, db_path, persist_to, create=False) as (conn, tgt, name):
        undone = _stepping(
            conn,
            mset,
            tgt,
            name,
            lambda: runner.rollback_to(
                conn,
                mset,
                tgt,
                to=version_to,
                steps=steps,
                on_undone=lambda m: _said(f"rolled back {m.id}"),
            ),
        )
        version = runner.status(conn, mset, tgt).version
    click.echo(f"{len(undone)} migration(s) rolled back; {name} is at version {version}")


def _said(line: str) -> None:
    """Print one step as it is committed, flushed: a killed run shows how far it got.

    The lines used to be printed once every file had run, so a run killed (or failing)
    at file 40 of 50 said nothing of the 39 it had applied; stdout is block-buffered when
    it is a pipe or a log, hence the flush.
    """
    click.echo(line)
    sys.stdout.flush()


def _stepping(
    conn: sqlite3.Connection,
    mset: MigrationSet,
    tgt: Target,
    name: str,
    steps: Callable[[], T],
) -> T:
    """Run ``steps`` under the runner lock, after settling what a killed run left.

    A step that fails its integrity check exits 1: the set or the database is at fault
    (as a failed check), and the step never reads as a success.
    """
    with _integrity_exits(), runner_lock(conn):
        if tgt.executor is None:
            for note in recovery.recover(conn, mset, tgt, name):
                click.echo(note)
        return steps()


@contextmanager
def _integrity_exits() -> Iterator[None]:
    """``IntegrityFailedError`` becomes one line on stderr and exit 1."""
    try:
        yield
    except IntegrityFailedError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
