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

import functools
import hashlib
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from migration_harness.sets.records import Migration
from migration_harness.sets.rowshapes import Row
from migration_harness.sets.sql import Statement, split_statements, strip_leading_comments

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


# How postgrator hands a file to the application's functions, by release (docs/RUNNERS.md
# section 20, "How the file reaches SQLite"):
# - before 7.3.0, lib/Sqlite3Client.js ``runQuery`` cut every query at each ``;`` (a plain
#   ``query.split(";")``: inside strings, comments and trigger bodies too), trimmed each
#   piece, skipped empty ones and sent each to ``execQuery`` (``postgrator-split``);
# - from 7.3.0 (d3c98aa, #167) lib/Client.js ``runSqlScript`` sends the whole file to
#   ``execSqlScript``, or to ``execQuery`` when the application gives none: node-sqlite3's
#   ``all``/``run``/``get`` (and the npm ``sqlite`` wrapper's) prepare the text with no tail
#   pointer and run its first statement only (``postgrator-query``).


@functools.lru_cache(maxsize=1024)
def split_at_every_semicolon(text: str) -> tuple[Statement, ...]:
    """The pieces postgrator before 7.3.0 sends to ``execQuery``, one statement each.

    ``query.split(";")`` knows no quotes: a ``;`` in a string, a comment or a trigger body
    cuts there too, and SQLite refuses the cut piece when it runs, as under postgrator. A
    piece holding only comments runs nothing. Each piece runs by itself (no ``;`` is left
    in it, so it is at most one statement).
    """
    pieces: list[Statement] = []
    start = 0
    for chunk in text.split(";"):
        body = strip_leading_comments(chunk).strip()
        if body:
            at = start + len(chunk) - len(strip_leading_comments(chunk))
            pieces.append(Statement(body, text.count("\n", 0, at) + 1, complete=_complete(body)))
        start += len(chunk) + 1
    return tuple(pieces)


def _complete(piece: str) -> bool:
    """Whether SQLite reads ``piece`` (no ``;`` in it) as one whole statement."""
    return sqlite3.complete_statement(piece + ";")


@dataclass(frozen=True, slots=True)
class FirstOnly:
    """What one prepare of a whole file runs: its first statement; the rest is never read."""

    statements: tuple[Statement, ...]
    dropped: tuple[Statement, ...]


@functools.lru_cache(maxsize=1024)
def first_statement_only(text: str) -> FirstOnly:
    """The file as ``execQuery`` on node-sqlite3 runs it: the first statement, nothing after."""
    statements = tuple(split_statements(text))
    return FirstOnly(statements[:1], statements[1:])


def query_skipped(text: str) -> str | None:
    """What ``execQuery`` leaves out of a file without failing, in words; ``None``: nothing."""
    dropped = first_statement_only(text).dropped
    if not dropped:
        return None
    shown = " ".join(dropped[0].sql.split())[:60]
    more = f" and {len(dropped) - 1} more" if len(dropped) > 1 else ""
    return (
        f"line {dropped[0].line}: postgrator (7.3.0 and later) sends the whole file to "
        "execQuery when the application gives no execSqlScript, and node-sqlite3 runs only "
        f"the first statement of what it prepares: {shown!r}{more} never runs (give "
        "postgrator an execSqlScript that runs db.exec, or one statement per file)"
    )
