"""Code the application runs before a migration file, named in the config.

Some applications run their own code on the database just before a SQL file: stash's
migrator calls the ``RegisterPreMigration`` hook of a version (``48_premigrate.go`` renames
duplicate studio names and fills NULL ones) before golang-migrate runs
``48_cleanup.up.sql``. No SQL check can run that code, so a failure or loss the file shows
on generated rows may be one the hook prevents in production. Naming the hook makes those
findings warnings that say so, instead of errors nobody can act on::

    [tool.migration-harness.pre_migration_hooks]
    "48_cleanup" = "pkg/sqlite/migrations/48_premigrate.go"

A key is a migration's label or its file name; the value says where the hook is (shown in
the findings). Only the findings the file shows *on data* change; a file that fails on
the empty database fails whatever the hook does to rows.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Final

from migration_harness.sets.config import ConfigError, table_of
from migration_harness.sets.records import Migration, MigrationSet

KEY: Final = "pre_migration_hooks"


def with_hooks(mset: MigrationSet, pyproject: Path | None) -> MigrationSet:
    """``mset`` with each migration's ``pre_hook`` from ``pyproject``'s table.

    Raises:
        ConfigError: the table is not a table of strings, or names no migration of the
            set (one line, with the closest name).

    """
    table = table_of(pyproject).get(KEY, {})
    where = f"{pyproject}: [tool.migration-harness.{KEY}]"
    if not isinstance(table, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in table.items()
    ):
        message = f'{where} must map migration names to hooks ("48_cleanup" = "48_premigrate.go")'
        raise ConfigError(message)
    if not table:
        return mset
    names = {name: m for m in mset.migrations for name in _names(m)}
    for name in table:
        if name not in names:
            close = difflib.get_close_matches(name, list(names), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "name a migration's label or file"
            message = f"{where} names {name!r}, which is no migration of the set ({hint})"
            raise ConfigError(message)
    hooks = {names[name].version: hook.strip() for name, hook in table.items()}
    migrations = tuple(
        replace(m, pre_hook=hooks[m.version]) if m.version in hooks else m for m in mset.migrations
    )
    return replace(mset, migrations=migrations)


def _names(migration: Migration) -> tuple[str, ...]:
    """What a key may call a migration: its label, its id and its file's name."""
    return tuple(dict.fromkeys((migration.label, migration.id, migration.path.name)))
