"""Prisma Migrate: ``migrations/<timestamp>_<name>/migration.sql`` + ``migration_lock.toml``.

Prisma runs forward only; the folder name is the migration's name in ``_prisma_migrations``
and folders run in name order. ``migration_lock.toml`` records the provider the folder was
generated for: the harness checks SQLite, so another provider is refused up front.
prisma-engines ``schema-engine/connectors/schema-connector/src/migrations_directory.rs``.
A Prisma-on-D1 project has no such folders: its files are generated for wrangler
(``migrations/0001_x.sql``) and are read as a wrangler set.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError, UnknownLayoutError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration

LOCK: Final = "migration_lock.toml"
SCRIPT: Final = "migration.sql"
# A folder's leading digits (a folder name, not SQL): its version when they order the set.
_LEADING_NUMBER: Final = re.compile(r"[0-9]+")


def is_prisma(mig_dir: Path) -> bool:
    """A Prisma migrations folder: its lock file, or folders holding ``migration.sql``.

    Folders that also hold ``snapshot.json`` are drizzle-kit v1's, not Prisma's.
    """
    if (mig_dir / LOCK).is_file():
        return True
    return any(
        p.is_dir()
        and (p / SCRIPT).is_file()
        and not (p / "up.sql").is_file()
        and not (p / "snapshot.json").is_file()
        for p in mig_dir.iterdir()
    )


def find_prisma(mig_dir: Path) -> list[Migration]:
    """Every migration folder in Prisma's order: by folder name, whatever the name holds.

    Prisma takes every folder of ``migrations/`` as a migration and orders them by name
    (prisma/prisma ``packages/migrate/src/utils/listMigrations.ts``); ``migrate dev``
    names them ``<timestamp>_<name>``, but hand-made or renamed folders
    (``20230101000000_add-users``, ``0_init``, two folders sharing a timestamp) run as well.
    Versions are the folders' leading numbers when those are distinct and follow the name
    order, else positions (1, 2, ...); either way the folder name is the migration's id, as
    ``_prisma_migrations`` records it, and reports name it.

    Raises:
        UnknownLayoutError: the lock file names another provider than SQLite.
        BadFileError: a migration folder has no ``migration.sql``, or the lock is not TOML.

    """
    _check_provider(mig_dir / LOCK)
    # Folders starting with "." are tool or editor state, not migrations.
    folders = sorted(p for p in mig_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    result: list[Migration] = []
    for version, folder in zip(_versions(folders), folders, strict=True):
        script = folder / SCRIPT
        if not script.is_file():
            message = f"{folder}: no {SCRIPT} in this migration folder (Prisma requires one)"
            raise BadFileError(message)
        # A comment-only script (``prisma migrate dev --create-only`` with nothing to do
        # writes ``-- This is an empty migration.``) runs as no statement in execute_batch.
        text = files.read(script)
        result.append(
            Migration(
                version, folder.name, text, None, script, files.checksum(text), key=folder.name
            )
        )
    return result


def _versions(folders: list[Path]) -> list[int]:
    """The folders' leading numbers when distinct and in name order, else positions."""
    numbers = [_LEADING_NUMBER.match(folder.name) for folder in folders]
    values = [int(match.group()) for match in numbers if match is not None]
    if len(values) == len(folders) and len(set(values)) == len(values) and values == sorted(values):
        return values
    return list(range(1, len(folders) + 1))


def _check_provider(lock: Path) -> None:
    """Refuse a set generated for another database (Prisma refuses it too: P3019)."""
    if not lock.is_file():
        return
    try:
        data = tomllib.loads(files.read(lock, allow_empty=True))
    except tomllib.TOMLDecodeError as exc:
        message = f"{lock}: not a valid TOML file ({exc})"
        raise BadFileError(message) from exc
    provider = data.get("provider", "sqlite")
    if provider != "sqlite":
        message = (
            f"{lock}: provider = {provider!r}; migration-harness checks SQLite sets only "
            '(Prisma\'s provider must be "sqlite")'
        )
        raise UnknownLayoutError(message)
