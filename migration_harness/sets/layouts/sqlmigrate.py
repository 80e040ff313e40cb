"""rubenv/sql-migrate: one ``*.sql`` file per migration, ``-- +migrate Up`` / ``Down``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError
from migration_harness.sets import sqlmigrate
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration

# migrate.go numberPrefixRegex: an id is "numeric" when it starts with digits.
_NUMBER: Final = re.compile(r"^(\d+)")


def find_sql_migrate(texts: Mapping[Path, str]) -> list[Migration]:
    """Every ``.sql`` file of the folder, read as sql-migrate's ``FindMigrations`` reads it.

    sql-migrate parses every file before it runs any, so a file it refuses (no
    annotation, a statement left without ``;``) stops the whole set here, as it stops
    ``sql-migrate up``. Its id (what ``gorp_migrations`` records) is the file name;
    ``Migration.Less`` orders numbered ids by number, then unnumbered ones, ties by id.
    So two files may share a number (go-ssb-room's ``03-config.sql`` and
    ``03-siwssb-tokens.sql``) and both run: the set's versions are then the files'
    positions in that order (1, 2, ...), as for wrangler's shared numbers, and names
    still identify the files. ``notransaction`` is per direction.
    """
    ordered = sorted(texts, key=_less)
    numbers = [_less(p)[1] for p in ordered]
    by_number = all(_less(p)[0] == 0 for p in ordered) and len(set(numbers)) == len(numbers)
    return [
        sql_migrate_migration(numbers[i] if by_number else i + 1, path, texts[path])
        for i, path in enumerate(ordered)
    ]


def _less(path: Path) -> tuple[int, int, str]:
    """``Migration.Less`` as a sort key: numbered first, by number, then by id."""
    match = _NUMBER.match(path.name)
    return (0, int(match.group(1)), path.name) if match else (1, 0, path.name)


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
