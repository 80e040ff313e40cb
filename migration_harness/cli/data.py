"""``check --data``: the options that bring a real database, and loading it.

Kept out of ``check.py`` so the command only gains one decorator and one call: the
source is resolved (option, else ``data`` in ``[tool.migration-harness]``), loaded into
memory read-only and placed in the set before any check runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from migration_harness.cli.common import F
from migration_harness.errors import DataSourceError
from migration_harness.sets.config import TABLE, table_of
from migration_harness.sets.functions import find_config

if TYPE_CHECKING:
    from migration_harness.data.sources import RealData
    from migration_harness.sets.discovery import MigrationSet
    from migration_harness.sets.targets import Target


def data_options(func: F) -> F:
    """``--data``, ``--sample``, ``--allow-drift``, ``--show-values``, ``--persist-to``."""
    decorators = [
        click.option(
            "--data",
            "data",
            default=None,
            metavar="SOURCE",
            help="Judge the pending migrations on real rows: a SQLite copy of production, "
            "a SQL dump (`wrangler d1 export`, `sqlite3 .dump`) or d1:local:BINDING. Read "
            "only, never written (default: data in [tool.migration-harness]).",
        ),
        click.option(
            "--sample",
            type=click.IntRange(1),
            default=None,
            metavar="N",
            help="Use N rows per table of --data (parents of sampled rows come along; the "
            "same rows for the same --seed). Needed above 200 MB.",
        ),
        click.option(
            "--allow-drift",
            is_flag=True,
            help="Go on (with a warning) when --data's schema is not the set's at its version.",
        ),
        click.option(
            "--show-values",
            is_flag=True,
            help="Let findings print --data's values (default: rows are named by key only).",
        ),
        click.option(
            "--persist-to",
            "data_persist",
            type=click.Path(path_type=Path, file_okay=False),
            default=None,
            help="Wrangler's --persist-to folder, for --data d1:local:BINDING.",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def load_real(
    mset: MigrationSet,
    tgt: Target,
    data: str | None,
    *,
    sample: int | None,
    seed: int | None,
    allow_drift: bool,
    show_values: bool,
    persist_to: Path | None,
    engine: str = "sqlite3",
) -> RealData | None:
    """The real data asked for (option, else config), loaded and placed; ``None``: none.

    Only the in-process engine takes it: the local D1 engine would need the copy pushed
    into workerd per example, which nobody has measured yet.
    """
    from migration_harness.data.sources import D1_PREFIX, real_data, resolve

    pyproject = find_config(mset.root)
    if data is None:
        configured = table_of(pyproject).get("data")
        if configured is None:
            if sample is not None or allow_drift or show_values:
                message = "--sample, --allow-drift and --show-values need --data SOURCE"
                raise click.UsageError(message)
            return None
        if not isinstance(configured, str):
            message = f"{pyproject}: [tool.{TABLE}] data must be a path or d1:local:BINDING"
            raise DataSourceError(message)
        data = configured
        if pyproject is not None and not data.startswith(D1_PREFIX):
            data = str(pyproject.parent / data)
    if engine != "sqlite3":
        message = f"--data {data}: works with --engine sqlite3 only (not {engine})"
        raise DataSourceError(message)
    source = resolve(data, mset.root, persist_to)
    return real_data(
        source,
        mset,
        tgt,
        sample=sample,
        seed=seed or 0,
        allow_drift=allow_drift,
        show_values=show_values,
    )


def describe_real(context: dict[str, object]) -> list[str]:
    """The lines that tell what real data the run judged (and the drift warning)."""
    data = context.get("data")
    if not isinstance(data, dict):
        return []
    pending = data.get("pending") or []
    sample = f", {data['sample']} row(s) per table sampled" if data.get("sample") else ""
    lines = [str(data["warning"])] if data.get("warning") else []
    if data.get("version") is not None:
        lines.append(
            f"real data: {data['source']} is at {data['version']}{sample}; "
            f"{len(pending)} pending migration(s) judged on its rows"
            + ("" if data.get("values_shown") else " (values hidden; rows named by key)")
        )
    return lines
