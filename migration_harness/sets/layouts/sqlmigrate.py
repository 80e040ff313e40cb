"""rubenv/sql-migrate: one ``*.sql`` file per migration, ``-- +migrate Up`` / ``Down``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from migration_harness.errors import BadFileError
from migration_harness.sets import sqlmigrate
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration


def find_sql_migrate(texts: Mapping[Path, str]) -> list[Migration]:
    """Every ``.sql`` file of the folder, read as sql-migrate's ``FindMigrations`` reads it.

    sql-migrate parses every file before it runs any, so a file it refuses (no
    annotation, a statement left without ``;``) stops the whole set here, as it stops
    ``sql-migrate up``. Its id (what ``gorp_migrations`` records) is the file name; the
    number it starts with orders the set. ``notransaction`` is per direction.
    """
    by_version: dict[int, Migration] = {}
    for path, text in texts.items():
        version, _ = files.parse_name(path, ".sql")
        files.claim(by_version, version, path)
        by_version[version] = sql_migrate_migration(version, path, text)
    return list(by_version.values())


def sql_migrate_migration(version: int, path: Path, text: str) -> Migration:
    """One sql-migrate file as a :class:`Migration`; an empty Up section runs nothing.

    Raises:
        BadFileError: sql-migrate refuses the file (its own wording, with the line).

    """
    try:
        parsed = sqlmigrate.read_file(text)
    except sqlmigrate.SqlMigrateParseError as exc:
        message = f"{path}:{exc.line}: {exc} (sql-migrate layout)"
        raise BadFileError(message) from exc
    up_options = files.NO_TRANSACTION if parsed.up_no_tx else files.NO_OPTIONS
    down_options = files.NO_TRANSACTION if parsed.down_no_tx else files.NO_OPTIONS
    return Migration(
        version,
        path.stem,
        parsed.up,
        parsed.down,
        path,
        files.checksum(text),
        path,
        up_options,
        down_options,
    )
