"""Folders named like migrations in a flat set: what each runner does with them, in one line.

A folder ``0003_add_users.sql/`` (a migration unpacked by mistake, an editor's backup) or
``0003_x/`` in a folder of flat files was skipped without a word, so the report covered a
history that production may not have. The runners differ (docs/RUNNERS.md, "Folders named
like migrations"): wrangler lists every entry whose name ends in ``.sql`` and fails reading
the folder (``EISDIR``) once the migrations before it are applied; goose's ``fs.Glob("*.sql")``
lists it too and fails opening it as a file; golang-migrate, dbmate and sqlx skip folders
(``IsDir``/``is_file`` tests). The harness reads no folder of a flat set: each such folder
is named on stderr with what its runner does, so nothing is skipped silently. Flyway is
not flat: it descends into every sub-folder, and so does its reader
(:func:`~migration_harness.sets.layouts.flyway.flyway_files`), so the migrations inside
one are checked as the production run meets them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from migration_harness.sets.layouts.files import looks_versioned
from migration_harness.sets.records import MigrationSet

# Layouts whose migrations are files directly in one folder.
FLAT: Final = frozenset(
    {"harness", "wrangler", "updown", "sqlx", "dbmate", "goose", "sql-migrate", "bun"}
)
_FAILS: Final = "lists it as a migration and fails reading it (is a directory)"
_SKIPS: Final = "skips folders"
# What each runner does with a folder whose name ends in ".sql", and with any other.
_RUNNERS: Final[dict[str, tuple[str, str]]] = {
    "d1": (
        f"wrangler d1 migrations apply {_FAILS}, after applying the files before it",
        f"wrangler {_SKIPS} not named *.sql",
    ),
    "goose": (f"goose {_FAILS}", "goose skips it (it lists *.sql and *.go only)"),
    "golang-migrate": (f"golang-migrate {_SKIPS}", f"golang-migrate {_SKIPS}"),
    "dbmate": (f"dbmate {_SKIPS}", f"dbmate {_SKIPS}"),
    "sqlx": (f"sqlx {_SKIPS}", f"sqlx {_SKIPS}"),
    # migrate.go findMigrations: Readdir, every name ending in .sql is opened and parsed.
    "sql-migrate": (f"sql-migrate {_FAILS}", "sql-migrate skips it (it lists *.sql only)"),
}
# migrate/migrations.go Discover: fs.WalkDir descends into every folder.
_BUN: Final = "bun walks into sub-folders: the migrations inside it run in production"
_BY_HAND: Final = "a script that runs every *.sql entry fails on it"


def folder_notes(mset: MigrationSet, target: str) -> tuple[str, ...]:
    """One line per folder of a flat set named like a migration, for the shells' stderr."""
    if mset.layout not in FLAT:
        return ()
    return tuple(
        _note(entry, mset.migrations_dir, target)
        for entry in _entries(mset.migrations_dir)
        if entry.is_dir() and looks_versioned(entry.name)
    )


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []  # the folder's own errors are discovery's


def _note(entry: Path, folder: Path, target: str) -> str:
    """``<folder>/<name>/ is a folder named like a migration: <runner's rule>; not checked``."""
    sql_named = entry.name.endswith(".sql")
    if target == "bun":
        rule = _BUN
    elif target in _RUNNERS:
        rule = _RUNNERS[target][0 if sql_named else 1]
    elif target == "sqlite":
        rule = _BY_HAND if sql_named else "a script that runs every *.sql entry does not see it"
    else:
        rule = f"{target} does not read it"
    shown = f"{folder.name}/{entry.name}/"
    return f"{shown} is a folder named like a migration: {rule}; the harness does not check it"
