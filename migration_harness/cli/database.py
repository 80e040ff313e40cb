"""Commands that work on a real database: ``migrate``, ``status``, ``rollback``."""

from __future__ import annotations

from pathlib import Path

import click

from migration_harness.cli.common import (
    db_options,
    load,
    open_database,
    set_options,
    shell,
    statement_timeout_option,
)
from migration_harness.sets import runner


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
) -> None:
    """Apply pending migrations to a database, each file atomically."""
    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    version_to = None if to is None else runner.version_named(mset, to)
    with open_database(engine, tgt, mset, db_path, persist_to, create=True) as (conn, tgt, name):
        done = runner.migrate(conn, mset, tgt, to=version_to, allow_changed=allow_changed)
        version = runner.status(conn, mset, tgt).version
    for migration in done:
        click.echo(f"applied {migration.id}")
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


@click.command()
@set_options
@db_options
@click.option(
    "--to",
    "to",
    default=None,
    help="Roll back to this version: its name or number (0: all).",
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
        undone = runner.rollback_to(conn, mset, tgt, to=version_to, steps=steps)
        version = runner.status(conn, mset, tgt).version
    for migration in undone:
        click.echo(f"rolled back {migration.id}")
    click.echo(f"{len(undone)} migration(s) rolled back; {name} is at version {version}")
