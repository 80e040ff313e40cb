"""``check --data``: the options that bring a real database, and loading it.

Kept out of ``check.py`` so the command only gains one decorator and one call: the
source is resolved (option, else ``data`` in ``[tool.migration-harness]``), loaded into
memory read-only and placed in the set before any check runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from migration_harness.cli.common import F, stacked
from migration_harness.sets.functions import config_of

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
    return stacked(func, decorators)


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

    The loading itself is :mod:`migration_harness.data.sources.configured`, shared with
    the pytest plugin; only the option checks are the command's.
    """
    from migration_harness.data.sources.configured import configured_data, load_source

    if data is None:
        data = configured_data(config_of(mset))
        if data is None:
            if sample is not None or allow_drift or show_values:
                message = "--sample, --allow-drift and --show-values need --data SOURCE"
                raise click.UsageError(message)
            return None
    return load_source(
        mset,
        tgt,
        data,
        sample=sample,
        seed=seed,
        allow_drift=allow_drift,
        show_values=show_values,
        persist_to=persist_to,
        engine=engine,
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
