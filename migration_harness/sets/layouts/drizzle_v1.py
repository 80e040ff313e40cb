"""drizzle-kit v1: ``<out>/<YYYYMMDDHHMMSS>_<name>/migration.sql`` + ``snapshot.json``.

drizzle-kit 1.0 dropped the journal: every migration is a folder holding ``migration.sql``
and the schema ``snapshot.json`` after it. drizzle-orm v1's migrator
(``src/migrator.ts`` ``readMigrationFiles`` on the ``beta`` line) lists the folder's
entries, keeps those holding a ``migration.sql``, sorts them by name (``localeCompare``),
and records each in ``__drizzle_migrations`` by *name* (``getMigrationsToRun`` in
``src/migrator.utils.ts``): a folder older than the newest applied one still runs, unlike
v0's ``created_at`` comparison. It refuses a folder that still has ``meta/_journal.json``
("run drizzle-kit up"), so a journal always means the v0 migrator. ``created_at`` is the
folder name's first 14 digits read as a UTC time (``formatToMillis``).
"""

from __future__ import annotations

import calendar
import json
import time
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError, UnknownLayoutError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration

SCRIPT: Final = "migration.sql"
SNAPSHOT: Final = "snapshot.json"
# drizzle-kit writes "sqlite" for SQLite and D1, "turso" for libSQL.
SQLITE_DIALECTS: Final = frozenset({"sqlite", "turso"})


def is_drizzle_v1(mig_dir: Path) -> bool:
    """Folders holding both ``migration.sql`` and drizzle-kit's ``snapshot.json``.

    The snapshot tells it from Prisma, whose folders hold ``migration.sql`` alone.
    """
    return any(
        p.is_dir() and (p / SCRIPT).is_file() and (p / SNAPSHOT).is_file()
        for p in mig_dir.iterdir()
    )


def find_drizzle_v1(mig_dir: Path) -> list[Migration]:
    """Every folder holding ``migration.sql``, in name order; versions are positions.

    The folder name is the migration's id, as ``__drizzle_migrations.name`` records it.

    Raises:
        UnknownLayoutError: a snapshot names a dialect other than SQLite.
        BadFileError: a snapshot is not JSON, or a ``migration.sql`` is unreadable.

    """
    folders = sorted(p for p in mig_dir.iterdir() if p.is_dir() and (p / SCRIPT).is_file())
    result = []
    for position, folder in enumerate(folders, start=1):
        _check_dialect(folder / SNAPSHOT)
        script = folder / SCRIPT
        text = files.read(script)
        files.check_sql(script, text, what="migration")
        result.append(
            Migration(
                position,
                folder.name,
                text,
                None,
                script,
                files.checksum(text),
                key=folder.name,
                runner_data={"created_at": created_at(folder.name)},
            )
        )
    return result


def created_at(name: str) -> int:
    """The milliseconds drizzle records for a folder: its first 14 digits as a UTC time.

    drizzle's ``formatToMillis`` gives ``NaN`` for a name without them (stored as NULL);
    0 stands for it here, since the key is the name and nothing orders by this value.
    """
    stamp = name[:14]
    if not stamp.isdigit():
        return 0
    try:
        parsed = time.strptime(stamp, "%Y%m%d%H%M%S")
    except ValueError:
        return 0
    return calendar.timegm(parsed) * 1000


def _check_dialect(snapshot: Path) -> None:
    """Refuse a folder generated for another database (its snapshot says which)."""
    if not snapshot.is_file():
        return
    try:
        data = json.loads(files.read(snapshot))
    except ValueError as exc:
        message = f"{snapshot}: not valid JSON ({exc})"
        raise BadFileError(message) from exc
    dialect = data.get("dialect", "sqlite") if isinstance(data, dict) else "sqlite"
    if dialect not in SQLITE_DIALECTS:
        message = (
            f"{snapshot}: drizzle snapshot for dialect {dialect!r}; migration-harness checks "
            "SQLite and D1 sets only (drizzle-kit dialect 'sqlite' or 'turso')"
        )
        raise UnknownLayoutError(message)
