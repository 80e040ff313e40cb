"""Prisma Migrate: ``migrations/<timestamp>_<name>/migration.sql`` + ``migration_lock.toml``.

Prisma runs forward only; the folder name is the migration's name in ``_prisma_migrations``
and folders run in name order. ``migration_lock.toml`` records the provider the folder was
generated for: the harness checks SQLite, so another provider is refused up front.
prisma-engines ``schema-engine/connectors/schema-connector/src/migrations_directory.rs``.
A Prisma-on-D1 project has no such folders: its files are generated for wrangler
(``migrations/0001_x.sql``) and are read as a wrangler set.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError, DuplicateVersionError, UnknownLayoutError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration

LOCK: Final = "migration_lock.toml"
SCRIPT: Final = "migration.sql"


def is_prisma(mig_dir: Path) -> bool:
    """A Prisma migrations folder: its lock file, or folders holding ``migration.sql``."""
    if (mig_dir / LOCK).is_file():
        return True
    return any(
        p.is_dir() and (p / SCRIPT).is_file() and not (p / "up.sql").is_file()
        for p in mig_dir.iterdir()
    )


def find_prisma(mig_dir: Path) -> list[Migration]:
    """Every migration folder in name order; the version is the name's leading digits.

    Raises:
        UnknownLayoutError: the lock file names another provider than SQLite.
        BadFileError: a migration folder has no ``migration.sql``, or the lock is not TOML.
        DuplicateVersionError: two folders start with the same timestamp.

    """
    _check_provider(mig_dir / LOCK)
    folders = sorted(p for p in mig_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    result: list[Migration] = []
    seen: dict[int, Path] = {}
    for folder in folders:
        script = folder / SCRIPT
        if not script.is_file():
            message = f"{folder}: no {SCRIPT} in this migration folder (Prisma requires one)"
            raise BadFileError(message)
        prefix = folder.name.split("_", 1)[0]
        if not prefix.isdigit():
            message = (
                f"{folder}: folder name does not start with a timestamp (e.g. 20240101120000_init)"
            )
            raise UnknownLayoutError(message)
        version = int(prefix)
        if version in seen:
            message = f"{folder}: version {prefix} also used by {seen[version].name}; rename one"
            raise DuplicateVersionError(message)
        seen[version] = folder
        text = files.read(script)
        files.check_sql(script, text, what="migration")
        result.append(
            Migration(
                version, folder.name, text, None, script, files.checksum(text), key=folder.name
            )
        )
    return result


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
