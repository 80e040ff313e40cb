r"""node-sqlite's ``db.migrate()`` (npm ``sqlite``, kriasoft/node-sqlite): sections and rows.

``readMigrations`` (src/utils/migrate.ts) cuts each file at its first ``-- Down`` line
(``/^--\s+?down\b/im``): the text before is the up migration, with every line that starts
with ``-- `` removed, the text after it the down migration. ``migrate`` stores both texts
in its ``migrations`` table, and when it undoes a migration it runs the *stored* down text,
not the file's. The folder is read by :mod:`~migration_harness.sets.layouts.nodesqlite`.
Sources in ``docs/RUNNERS.md``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from migration_harness.sets.records import Migration
from migration_harness.sets.rowshapes import Row

Sql = Sequence[tuple[str, tuple[object, ...]]]
# migrate.ts: the file name (any one character after the digits, then anything) and the cut.
NAME: Final = re.compile(r"^(\d+).(.*?)\.sql$")
DOWN: Final = re.compile(r"^--\s+?down\b", re.IGNORECASE | re.MULTILINE)
_COMMENT_LINE: Final = re.compile(r"^-- .*?$", re.MULTILINE)
# The markers people write (the README's `-- Up` / `-- Down` lines), each a whole line: the
# layout is recognised by both, so a comment that merely starts with "Down" never is.
UP_LINE: Final = re.compile(r"^--[ \t]+up[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
DOWN_LINE: Final = re.compile(r"^--[ \t]+down[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
TABLE: Final = "migrations"
NODE_SQLITE_DDL: Final = (
    f'CREATE TABLE IF NOT EXISTS "{TABLE}" (\n'
    "  id   INTEGER PRIMARY KEY,\n"
    "  name TEXT    NOT NULL,\n"
    "  up   TEXT    NOT NULL,\n"
    "  down TEXT    NOT NULL\n"
    ")",
)


@dataclass(frozen=True, slots=True)
class Sections:
    """A file as ``readMigrations`` reads it.

    Attributes:
        up: what ``db.exec`` runs, with the ``-- `` lines emptied in place (the lines keep
            their numbers; node-sqlite's ``trim()`` changes no statement).
        down: the text after the cut, untrimmed, after as many blank lines as the file has
            before the cut's line, so its lines keep the file's numbers (a finding in the
            down section names the file's line, as for dbmate's sections).
        stored_up / stored_down: the trimmed texts the ``migrations`` row keeps.

    """

    up: str
    down: str
    stored_up: str
    stored_down: str


def sections(text: str) -> Sections:
    """The up and down texts; only the first two pieces count, as ``[up, down] = split``."""
    pieces = DOWN.split(text)
    up = _COMMENT_LINE.sub("", pieces[0])
    down = pieces[1] if len(pieces) > 1 else ""
    placed = "\n" * pieces[0].count("\n") + down if down else down
    return Sections(up, placed, up.strip(), down.strip())


def is_marked(text: str) -> bool:
    """A ``-- Up`` line, then a ``-- Down`` line: the layout node-sqlite's README writes."""
    up = UP_LINE.search(text)
    return up is not None and DOWN_LINE.search(text, up.end()) is not None


def node_sqlite_rows(table: str, migration: Migration) -> Sql:
    """``INSERT INTO "migrations" (id, name, up, down)``, in the file's transaction."""
    data = migration.runner_data
    sql = f'INSERT INTO "{table}" (id, name, up, down) VALUES (?, ?, ?, ?)'
    params = (
        migration.version,
        str(data.get("name", migration.name)),
        str(data.get("up", "")),
        str(data.get("down", "")),
    )
    return ((sql, params),)


def node_sqlite_read(conn: sqlite3.Connection, table: str) -> list[Row]:
    """The applied ids, in ``ORDER BY id ASC`` as ``migrate`` reads them."""
    found = conn.execute(f'SELECT id FROM "{table}" ORDER BY id ASC').fetchall()
    return [Row(str(i)) for (i,) in found]
