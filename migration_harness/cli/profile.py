"""``profile --data``: column hints learnt from real rows, as TOML for the set's config."""

from __future__ import annotations

from pathlib import Path

import click

from migration_harness.cli.common import load, output_path, set_options, shell
from migration_harness.errors import DataSourceError
from migration_harness.report.outputs import replace_text


@click.command()
@set_options
@click.option("--data", "data", required=True, metavar="SOURCE", help="As for check --data.")
@click.option("--sample", type=click.IntRange(1), default=None, metavar="N", help="As for check.")
@click.option("--show-values", is_flag=True, help="List enum-like columns' values too.")
@click.option(
    "--write",
    is_flag=True,
    help="Append the table to the set's pyproject.toml (refused when it already has one).",
)
@shell
def profile(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    data: str,
    sample: int | None,
    show_values: bool,
    write: bool,
) -> None:
    """Learn column hints from real rows (read-only) and print them as TOML.

    JSON-only text columns (the generator then draws JSON there), nullable columns never
    NULL, one-row tables and enum-like columns (values only with --show-values).
    """
    from migration_harness.data.sources import load as load_source
    from migration_harness.data.sources import resolve
    from migration_harness.data.sources.profile import COLUMNS_KEY, profile, render_toml
    from migration_harness.schema.model import introspect
    from migration_harness.sets import runner
    from migration_harness.sets.config import TABLE, table_of
    from migration_harness.sets.functions import config_of

    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    pyproject = config_of(mset) or mset.root / "pyproject.toml"
    if write:
        output_path("profile --write", pyproject)
    conn = load_source(resolve(data, mset.root), sample=sample)
    try:
        schema = introspect(conn, exclude=runner.bookkeeping_tables(tgt))
        text = render_toml(profile(conn, schema), show_values=show_values)
    finally:
        conn.close()
    if not write:
        click.echo(text, nl=False)
        return
    if COLUMNS_KEY in table_of(pyproject if pyproject.exists() else None):
        message = f"{pyproject}: [tool.{TABLE}.{COLUMNS_KEY}] exists already; edit it by hand"
        raise DataSourceError(message)
    old = pyproject.read_text(encoding="utf-8") if pyproject.exists() else ""
    replace_text(pyproject, old + ("\n" if old and not old.endswith("\n\n") else "") + text)
    click.echo(f"column hints written to {pyproject}")
