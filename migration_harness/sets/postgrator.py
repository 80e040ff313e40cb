r"""postgrator (npm ``postgrator``, ``driver: "sqlite3"``): names, tracking table and rows.

``getMigrations`` (postgrator.js) globs the folder, keeps ``.sql``/``.js``/``.mjs``/``.cjs``
files and reads each name as ``[version].[action].[optional-description].<ext>``
(``basenameNoExt.split(".")``): the version is ``Number(...)`` of the first part (a file
whose version is no number is dropped without a word), the action is ``do`` (forward) or
``undo`` (its rollback). ``migrate()`` runs the ``do`` files whose version is above the
database's, lowest first, each as one ``execSqlScript`` (``db.exec`` of node-sqlite3 in
postgrator's own sqlite3 setup), then its ``INSERT`` into the schema table; it opens no
transaction. Platformatic DB runs its ``migrations`` folder through postgrator too. The
folder is read by :mod:`~migration_harness.sets.layouts.postgrator`; sources in
``docs/RUNNERS.md``.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

from migration_harness.sets.records import Migration
from migration_harness.sets.rowshapes import Row

Sql = Sequence[tuple[str, tuple[object, ...]]]
# A name postgrator runs: a number, the action, an optional description (no further dot
# is read: ``split(".")`` keeps the third part only), an extension it loads.
NAME: Final = re.compile(r"^(\d+)\.(do|undo)(?:\.([^.]*))?(?:\.[^.]*)*\.(sql|js|mjs|cjs)$")
TABLE: Final = "schemaversion"


def postgrator_ddl(table: str) -> tuple[str, ...]:
    """The table postgrator leaves, named ``table``, in one statement.

    lib/Client.js ``ensureTable`` (INTEGER for sqlite3), then lib/Sqlite3Client.js's added
    columns; postgrator reads the columns by name, so one statement is the same table.
    """
    return (
        f"CREATE TABLE IF NOT EXISTS {table} (\n"
        "  version INTEGER PRIMARY KEY,\n"
        "  name    TEXT,\n"
        "  md5     TEXT,\n"
        "  run_at  TIMESTAMP WITH TIME ZONE\n"
        ")",
    )


POSTGRATOR_DDL: Final = postgrator_ddl(TABLE)


def md5_of(text: str) -> str:
    """``checksum(content)`` of lib/utils.js: the MD5 of the file's UTF-8 text, in hex."""
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def postgrator_rows(table: str, migration: Migration) -> Sql:
    """``persistActionSql`` for ``do``: version, description, MD5 and the time, after the file."""
    data = migration.runner_data
    stamp = datetime.now(UTC).isoformat(sep=" ", timespec="milliseconds").removesuffix("+00:00")
    sql = f"INSERT INTO {table} (version, name, md5, run_at) VALUES (?, ?, ?, ?)"
    md5 = str(data.get("md5", md5_of(migration.up_sql)))
    return ((sql, (migration.version, str(data.get("name", "")), md5, stamp)),)


def postgrator_read(conn: sqlite3.Connection, table: str) -> list[Row]:
    """The recorded versions above postgrator's version-0 row, lowest first.

    ``run_at`` is shown to the second, as the other runners' times are (postgrator keeps
    the milliseconds of ``toISOString()``).
    """
    found = conn.execute(
        f"SELECT version, run_at FROM {table} WHERE version > 0 ORDER BY version"
    ).fetchall()
    return [Row(str(v), str(t or "")[:19]) for v, t in found]
