"""SQL stand-ins for migrations written as code (goose's Go migrations), named in the config.

A Go migration is part of the history, and a check of SQL files cannot run it: the check
stops before it. A team that knows what it does can write the same change as a goose SQL
file and name it in ``pyproject.toml``; the check then runs that file in its place (and
says so in the migration's path), and goes on past it::

    [tool.migration-harness.equivalents]
    "00005_backfill_slugs.go" = "db/equivalents/00005_backfill_slugs.sql"
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Final

from migration_harness.errors import DiscoveryError
from migration_harness.sets.config import harness_table
from migration_harness.sets.layouts.goose import goose_migration
from migration_harness.sets.records import Migration, MigrationSet

CONFIG_TABLE: Final = "[tool.migration-harness.equivalents]"


def with_equivalents(mset: MigrationSet, pyproject: Path | None) -> MigrationSet:
    """``mset`` with each Go migration the config maps replaced by its SQL file.

    Raises:
        DiscoveryError: the table names a file that is no Go migration of the set, or an
            equivalent that does not exist (one line naming both ways to fix it).

    """
    table = _table(pyproject)
    if not table or pyproject is None:
        return mset
    code = {m.path.name: m for m in mset.migrations if m.program is not None}
    for name in table:
        if name not in code:
            known = ", ".join(sorted(code)) or "none"
            message = (
                f"{pyproject}: {CONFIG_TABLE} names {name}, which is no Go migration of "
                f"{mset.migrations_dir} (known: {known})"
            )
            raise DiscoveryError(message)
    return replace(
        mset,
        migrations=tuple(_stand_in(m, table, pyproject) for m in mset.migrations),
    )


def _stand_in(migration: Migration, table: dict[str, str], pyproject: Path) -> Migration:
    """The SQL migration standing in for ``migration``, or ``migration`` itself."""
    equivalent = table.get(migration.path.name) if migration.program is not None else None
    if equivalent is None:
        return migration
    path = pyproject.parent / equivalent
    if not path.is_file():
        message = (
            f"{pyproject}: {CONFIG_TABLE} maps {migration.path.name} to {path}, which does "
            "not exist (write it, or remove the entry)"
        )
        raise DiscoveryError(message)
    stand_in = goose_migration(migration.version, path)
    # Tracked under the Go file's name, as goose tracks the version it stands for.
    return replace(
        stand_in, name=migration.name, key=migration.path.name, previous=migration.previous
    )


def _table(pyproject: Path | None) -> dict[str, str]:
    """The equivalents table of ``pyproject`` (empty when there is none)."""
    if pyproject is None:
        return {}
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        message = f"{pyproject}: not a valid TOML file ({exc})"
        raise DiscoveryError(message) from exc
    table = harness_table(data, pyproject).get("equivalents", {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        message = f"{pyproject}: {CONFIG_TABLE} maps Go file names to SQL file paths (strings)"
        raise DiscoveryError(message)
    return {str(k): str(v) for k, v in table.items()}
