"""drizzle-kit: ``<out>/NNNN_<tag>.sql`` listed, in order, by ``<out>/meta/_journal.json``.

(drizzle-kit v1's folder-per-migration layout, with no journal, is read by
:mod:`~migration_harness.sets.layouts.drizzle_v1`.)

drizzle's migrator reads the journal, not the folder: each entry names a file
(``<tag>.sql``), and the entry's ``when`` (milliseconds) is what ``__drizzle_migrations``
records as ``created_at``. A ``.sql`` file the journal does not list never runs, and an entry
whose file is missing stops the migrator. drizzle-orm ``src/migrator.ts``
(``readMigrationFiles``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from migration_harness.errors import BadFileError, UnknownLayoutError
from migration_harness.sets.layouts import files
from migration_harness.sets.layouts.drizzle_v1 import (
    SQLITE_DIALECTS,
    find_drizzle_v1,
    is_drizzle_v1,
)
from migration_harness.sets.records import Migration

JOURNAL: Final = Path("meta") / "_journal.json"
BREAKPOINT: Final = "--> statement-breakpoint"


def is_drizzle(mig_dir: Path) -> bool:
    """A drizzle-kit output folder: ``meta/_journal.json``, or v1's migration folders."""
    return has_journal(mig_dir) or is_drizzle_v1(mig_dir)


def has_journal(mig_dir: Path) -> bool:
    """drizzle-kit before 1.0: the journal lists the files (v1's migrator refuses it)."""
    return (mig_dir / JOURNAL).is_file()


def find_drizzle(mig_dir: Path) -> list[Migration]:
    """The set as the migrator for its format reads it: the journal's, else v1's folders."""
    return find_journal(mig_dir) if has_journal(mig_dir) else find_drizzle_v1(mig_dir)


def find_journal(mig_dir: Path) -> list[Migration]:
    """The journal's entries, in journal order; versions are their positions (1, 2, ...).

    Positions, not ``idx``: drizzle numbers files from ``0000`` and version 0 means "before
    the first migration" everywhere in the harness.

    Raises:
        BadFileError: the journal is unreadable, names a dialect other than SQLite, or lists
            a file that does not exist.

    """
    journal = mig_dir / JOURNAL
    entries = _entries(journal)
    result = []
    for position, entry in enumerate(entries, start=1):
        tag, when = entry.get("tag"), entry.get("when")
        if not isinstance(tag, str) or not isinstance(when, int):
            message = f"{journal}: entry {position} lacks a text 'tag' or a number 'when'"
            raise BadFileError(message)
        path = mig_dir / f"{tag}.sql"
        if not path.is_file():
            # drizzle's own wording (readMigrationFiles).
            message = f"{journal}: No file {path} found in {mig_dir} folder (journal entry {tag})"
            raise BadFileError(message)
        text = files.read(path)
        files.check_sql(path, text, what="migration")
        result.append(
            Migration(
                position,
                tag,
                text,
                None,
                path,
                files.checksum(text),
                runner_data={"created_at": when},
            )
        )
    return result


def _entries(journal: Path) -> list[dict[str, Any]]:
    """The journal's ``entries``, after checking it is a SQLite journal."""
    try:
        data = json.loads(files.read(journal))
    except ValueError as exc:
        message = f"{journal}: not valid JSON ({exc})"
        raise BadFileError(message) from exc
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        message = f"{journal}: not a drizzle journal (no 'entries' list)"
        raise BadFileError(message)
    dialect = data.get("dialect", "sqlite")
    if dialect not in SQLITE_DIALECTS:
        message = (
            f"{journal}: drizzle journal for dialect {dialect!r}; migration-harness checks "
            "SQLite and D1 sets only (drizzle-kit dialect 'sqlite' or 'turso')"
        )
        raise UnknownLayoutError(message)
    return [e for e in data["entries"] if isinstance(e, dict)]
