"""Which real data a run uses, and loading it: shared by ``check --data`` and the plugin.

The CLI takes ``--data`` (else ``data`` in ``[tool.migration-harness]``), the pytest
plugin ``--migration-data`` (else its ini key, else the same table key); both must read
the key and load the source identically, so a pytest run and ``check`` judge the same
rows. Nothing here knows about click or pytest: each shell maps the errors its own way.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from migration_harness.data.sources.locate import D1_PREFIX, resolve
from migration_harness.data.sources.version import RealData, real_data
from migration_harness.errors import DataSourceError
from migration_harness.sets.config import TABLE, table_of
from migration_harness.sets.discovery import MigrationSet
from migration_harness.sets.targets import Target


def configured_data(pyproject: Path | None) -> str | None:
    """``data`` of ``[tool.migration-harness]``, a path made relative to that pyproject.

    ``d1:local:BINDING`` is kept as written (it names a binding, not a path).

    Raises:
        DataSourceError: the key is not a string.
    """
    configured = table_of(pyproject).get("data")
    if configured is None:
        return None
    if not isinstance(configured, str):
        message = f"{pyproject}: [tool.{TABLE}] data must be a path or {D1_PREFIX}BINDING"
        raise DataSourceError(message)
    if pyproject is not None and not configured.startswith(D1_PREFIX):
        return str(pyproject.parent / configured)
    return configured


def load_source(
    mset: MigrationSet,
    target: Target,
    data: str,
    *,
    sample: int | None,
    seed: int | None,
    allow_drift: bool,
    show_values: bool,
    persist_to: Path | None = None,
    engine: str = "sqlite3",
    name: str | None = None,
) -> RealData:
    """The source ``data`` names, loaded read-only and placed in ``mset``.

    ``name`` is how messages and reports call it (default: ``data`` as given): the
    plugin reads ``data`` relative to its config file but names it as the user sees it.

    Only the in-process engine takes it: the local D1 engine would need the copy pushed
    into workerd per example, which nobody has measured yet.

    Raises:
        DataSourceError: another engine, no such file, an unreadable source, or one the
            set cannot place (no tracking table, applied out of order).
    """
    if engine != "sqlite3":
        message = f"--data {name or data}: works with --engine sqlite3 only (not {engine})"
        raise DataSourceError(message)
    source = resolve(data, mset.root, persist_to)
    if name is not None and name != data:
        source = dataclasses.replace(source, spec=name)
    return real_data(
        source,
        mset,
        target,
        sample=sample,
        seed=seed or 0,
        allow_drift=allow_drift,
        show_values=show_values,
    )
