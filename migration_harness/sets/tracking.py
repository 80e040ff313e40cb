"""Each runner's own tracking table: what it writes when a file runs, and how to read it.

A database migrated by goose, dbmate, golang-migrate, sqlx or diesel records its state in
that tool's table, keyed the way the tool keys it (a version number, the file name's digits,
a diesel folder prefix). The runner writes the same rows in the same transaction as the tool,
so a database migrated here is understood by the real tool and the other way round. Sources
for every table and key are in ``docs/RUNNERS.md``.

This module holds the class that reads and writes a table; each runner's table is defined in
:mod:`~migration_harness.sets.trackers`, its key in :mod:`~migration_harness.sets.trackkeys`,
and the rows of its own shape in :mod:`~migration_harness.sets.ownrows` and
:mod:`~migration_harness.sets.rowshapes`.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from migration_harness.errors import BadFileError, DatabaseError
from migration_harness.sets import ownrows, userversion
from migration_harness.sets.lock import database_file
from migration_harness.sets.records import Migration
from migration_harness.sets.rowshapes import Row, yoyo_forget
from migration_harness.sets.trackkeys import key_of, liquibase_identity

Sql = Sequence[tuple[str, tuple[object, ...]]]


@dataclass(frozen=True, slots=True)
class Tracking:
    """How one runner records applied migrations.

    Attributes:
        runner: the tool's name, for messages.
        table: its tracking table.
        ddl: the statements that create it (``IF NOT EXISTS``), as the tool writes them.
        key_style: how a migration maps to the key column (see :func:`key_of`).
        down_row: a rollback is recorded by a new row (liamstask goose inserts
            ``is_applied = 0``; the newest row per version decides) instead of deleting
            the version's row. Not part of equality: the table is the same.
        zero_row: goose's table starts with a version-0 row (micrate's, the same shape,
            does not).
        stamped: the tool writes goose-shaped rows' ``tstamp`` itself (micrate's table has
            no default for it, and micrate reads the newest row by it).

    """

    runner: str
    table: str
    ddl: tuple[str, ...]
    key_style: str
    down_row: bool = field(default=False, compare=False)
    zero_row: bool = field(default=True, compare=False)
    stamped: bool = field(default=False, compare=False)

    def key(self, migration: Migration) -> str:
        """The value this runner stores for ``migration``."""
        return key_of(migration, self.key_style)

    def record(self, migration: Migration) -> Sql:
        """The statements that mark ``migration`` applied."""
        key = self.key(migration)
        self._refuse_huge(migration, key)
        if self.key_style == userversion.STYLE:
            return userversion.write(int(key))
        if self.key_style == "golang-migrate":
            # golang-migrate keeps one row: the current version (SetVersion: DELETE + INSERT).
            return ((f"DELETE FROM {self.table}", ()), (_GOLANG_INSERT, (int(key),)))
        if self.key_style == "goose":
            return ((self._goose_insert(), (int(key), 1)),)
        if self.key_style == "sqlx":
            sql = (
                f"INSERT INTO {self.table} (version, description, success, checksum, "
                "execution_time) VALUES (?, ?, TRUE, ?, -1)"
            )
            digest = hashlib.sha384(migration.up_sql.encode("utf-8")).digest()
            return ((sql, (int(key), _sqlx_description(migration), digest)),)
        if self.key_style in ownrows.WRITERS:
            return ownrows.WRITERS[self.key_style](self.table, migration)
        column = "name" if self.key_style == "name" else "version"
        return ((f"INSERT INTO {self.table} ({column}) VALUES (?)", (key,)),)

    def forget(self, migration: Migration) -> Sql:
        """The statements that mark ``migration`` rolled back."""
        key = self.key(migration)
        self._refuse_huge(migration, key)
        if self.key_style == "golang-migrate":
            # Down moves the version to the previous file of the source (source.Prev); from
            # the first file it goes to NilVersion, which leaves the table empty.
            back: Sql = ((_GOLANG_INSERT, (migration.previous,)),) if migration.previous else ()
            return ((f"DELETE FROM {self.table}", ()), *back)
        if self.key_style == userversion.STYLE:
            # Keys run 1..N without gaps (rusqlite_migration's ids; SQLDelight's N.sqm
            # takes N to N+1): going down one step is the key before.
            return userversion.write(int(key) - 1)
        if self.down_row:
            return ((self._goose_insert(), (int(key), 0)),)
        if self.key_style == "yoyo":
            return yoyo_forget(self.table, migration)
        if self.key_style == "liquibase":
            sql = f"DELETE FROM {self.table} WHERE ID = ? AND AUTHOR = ? AND FILENAME = ?"
            return ((sql, liquibase_identity(migration)),)
        if self.key_style == "flyway" and migration.runner_data.get("repeatable"):
            return ((f'DELETE FROM {self.table} WHERE "script" = ?', (key,)),)
        column = _KEY_COLUMNS.get(self.key_style, "version")
        integer = ("goose", "sqlx", "drizzle", "node-sqlite", "postgrator")
        value: object = int(key) if self.key_style in integer else key
        return ((f"DELETE FROM {self.table} WHERE {column} = ?", (value,)),)

    def _goose_insert(self) -> str:
        """A goose-shaped row; micrate's carries the time (``Time.local``, to the millisecond)."""
        if self.stamped:
            return (
                f"INSERT INTO {self.table} (version_id, is_applied, tstamp) "
                "VALUES (?, ?, strftime('%Y-%m-%d %H:%M:%f', 'now', 'localtime'))"
            )
        return f"INSERT INTO {self.table} (version_id, is_applied) VALUES (?, ?)"

    def _refuse_huge(self, migration: Migration, key: str) -> None:
        """A version the runner keeps in a 64-bit integer must fit one, as the tool requires.

        goose and sqlx parse versions as ``int64``; golang-migrate's ``uint64`` cannot reach
        SQLite with its high bit set (mattn/go-sqlite3 refuses it). The tool refuses such a
        file, so the harness does too, by name, before anything runs.
        """
        if self.key_style not in _INTEGER_KEYS or not key.lstrip("-").isdigit():
            return
        if not -(2**63) <= int(key) < 2**63:
            message = (
                f"{migration.path}: version {key} does not fit {self.runner}'s 64-bit integer "
                "version column (renumber the file below 9223372036854775808)"
            )
            raise BadFileError(message)

    def is_applied(
        self, conn: sqlite3.Connection, migration: Migration, keys: frozenset[str] | None = None
    ) -> bool:
        """Whether the table records ``migration`` as applied, as the tool decides it.

        ``keys``: what :meth:`keys` just read from ``conn``, where the caller has them (a
        step's verification reads them anyway). Where a key's presence decides, it is
        looked up there: building a :class:`Row` per applied file made every step cost
        time in the length of the history.
        """
        if self.key_style in ("golang-migrate", userversion.STYLE):
            rows = self.rows(conn)
            return bool(rows) and int(rows[0].key) >= int(self.key(migration))
        if self.key_style == "postgrator":
            # getDatabaseVersion: the highest version; migrate runs only the do files above it.
            rows = self.rows(conn)
            return bool(rows) and max(int(r.key) for r in rows) >= int(self.key(migration))
        if self.key_style == "drizzle":
            # drizzle runs a file only when its `when` is newer than the newest row's.
            rows = self.rows(conn)
            return bool(rows) and int(rows[-1].key) >= int(self.key(migration))
        return self.key(migration) in (self.keys(conn) if keys is None else keys)

    def rows(self, conn: sqlite3.Connection) -> list[Row]:
        """The applied entries, oldest first; empty when the table does not exist.

        Raises:
            DatabaseError: the table is not the shape the tool writes (a column missing),
                so neither the tool nor the harness can read it.

        """
        if not self._shaped(conn):  # none, or a view or an index of that name
            return []
        try:
            found = self._rows(conn)
        except (sqlite3.OperationalError, ValueError, TypeError) as exc:
            raise self._misshapen(conn, str(exc)) from exc
        if self.key_style in _INTEGER_KEYS:
            for row in found:
                if not row.key.lstrip("-").isdigit():
                    raise self._misshapen(conn, f"version {row.key!r} is not an integer")
        return found

    def keys(self, conn: sqlite3.Connection) -> frozenset[str]:
        """The keys of :meth:`rows`, read as :meth:`rows` reads them, without the rows.

        The checks compare the keys before and after every step of every example, and the
        table holds a row per applied file: building a :class:`Row` per entry made each
        step cost time in the length of the history. Where a key is one column read as is
        (:data:`PLAIN_KEY_COLUMNS`: ``name`` and plain ``version`` tables, refinery's version,
        yoyo's migration id) only that column is read; the other styles (dirty flags,
        newest-row-wins, integer validation) go through :meth:`rows`.
        """
        column = PLAIN_KEY_COLUMNS.get(self.key_style)
        if column is None:
            return frozenset(r.key for r in self.rows(conn))
        if not self._shaped(conn):  # none, or a view or an index of that name
            return frozenset()
        try:
            joined = conn.execute(_JOINED.format(column=column, table=self.table)).fetchone()
            if joined[1]:  # a key that is not plain text or an integer: one by one
                found = conn.execute(f"SELECT {column} FROM {self.table}").fetchall()
                return frozenset([str(key) for (key,) in found])
        except sqlite3.OperationalError as exc:
            raise self._misshapen(conn, str(exc)) from exc
        return frozenset(joined[0].split("\0")) if joined[0] is not None else frozenset()

    def check_shape(self, conn: sqlite3.Connection) -> None:
        """Refuse a table of this name that lacks the tool's columns, or is not a table.

        Raises:
            DatabaseError: naming the database, the table and what is wrong with it.

        """
        self._shaped(conn)

    def _shaped(self, conn: sqlite3.Connection) -> bool:
        """:meth:`check_shape`, then whether the table exists as :func:`has_table` says.

        One read of ``sqlite_master`` for both: every read of the keys asked it twice
        (issue 17). The first object of that name, in any case, is the one checked (as a
        lone ``fetchone`` read it); existence wants a table of exactly that name.

        Raises:
            DatabaseError: as :meth:`check_shape`.

        """
        if self.key_style == userversion.STYLE:
            return True  # the header always holds one
        objects = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE name = ? COLLATE NOCASE", (self.table,)
        ).fetchall()
        if not objects:
            return False
        kind = objects[0][0]
        if kind != "table":
            raise self._misshapen(conn, f"it is a {kind}")
        present = {str(r[1]).lower() for r in conn.execute(f'PRAGMA table_info("{self.table}")')}
        missing = sorted(set(_columns(self.ddl)) - present)
        if missing:
            raise self._misshapen(conn, f"no column {', '.join(missing)}")
        return any(kind == "table" and name == self.table for kind, name in objects)

    def _misshapen(self, conn: sqlite3.Connection, problem: str) -> DatabaseError:
        """The error for a tracking table neither the tool nor the harness can read."""
        where = database_file(conn) or "database"
        message = (
            f"{where}: {self.table} is not the tracking table {self.runner} writes "
            f"({problem}); repair it or use another database"
        )
        return DatabaseError(message)

    def _rows(self, conn: sqlite3.Connection) -> list[Row]:
        """:meth:`rows`, unguarded."""
        if self.key_style == userversion.STYLE:
            version = userversion.read(conn)
            return [Row(str(version), "", False)] if version else []
        if self.key_style == "golang-migrate":
            found = conn.execute(f"SELECT version, dirty FROM {self.table}").fetchall()
            return [Row(str(v), "", bool(d)) for v, d in found]
        if self.key_style == "goose":
            # Legacy goose wrote is_applied=0 rows on down; the newest row per version wins.
            found = conn.execute(
                f"SELECT version_id, is_applied, tstamp FROM {self.table} "
                f"WHERE id IN (SELECT max(id) FROM {self.table} GROUP BY version_id) "
                "AND version_id > 0 ORDER BY id"
            ).fetchall()
            # to the second, as every table's time shows (micrate stores milliseconds)
            return [Row(str(v), str(t or "")[:19], False) for v, a, t in found if a]
        if self.key_style == "sqlx":
            found = conn.execute(
                f"SELECT version, installed_on, success FROM {self.table} ORDER BY version"
            ).fetchall()
            return [Row(str(v), str(t), not s) for v, t, s in found]
        if self.key_style in ownrows.READERS:
            return ownrows.READERS[self.key_style](conn, self.table)
        if self.key_style == "name":
            found = conn.execute(
                f"SELECT name, applied_at FROM {self.table} ORDER BY id"
            ).fetchall()
        else:
            time = "run_on" if self.key_style == "diesel" else "''"
            found = conn.execute(
                f"SELECT version, {time} FROM {self.table} ORDER BY version"
            ).fetchall()
        return [Row(str(k), str(t), False) for k, t in found]

    def create(self, conn: sqlite3.Connection) -> None:
        """Create the table as the tool does (goose and postgrator insert a version-0 row)."""
        fresh = (
            not self._shaped(conn) and self.key_style in ("goose", "postgrator") and self.zero_row
        )
        for ddl in self.ddl:
            conn.execute(ddl)
        if fresh and self.key_style == "postgrator":
            conn.execute(f"INSERT INTO {self.table} (version) VALUES (0)")
        elif fresh:
            conn.execute(f"INSERT INTO {self.table} (version_id, is_applied) VALUES (0, 1)")


_GOLANG_INSERT: Final = "INSERT INTO schema_migrations (version, dirty) VALUES (?, 0)"
_INTEGER_KEYS: Final = (
    "golang-migrate",
    "goose",
    "sqlx",
    "drizzle",
    "node-sqlite",
    "postgrator",
    userversion.STYLE,
)
# Key styles whose key is one column's value as ``str()`` spells it, every row counting:
# what their readers make of a row's key (refinery_read, yoyo_read: ``str(v)``) without the
# row. The others validate, filter or pick the newest row.
PLAIN_KEY_COLUMNS: Final = {
    "name": "name",
    "dbmate": "version",
    "diesel": "version",
    "refinery": "version",
    "yoyo": "migration_id",
}


@functools.cache
def _columns(ddl: tuple[str, ...]) -> tuple[str, ...]:
    """The columns a tool's ``CREATE TABLE`` makes, lower-cased (read from SQLite itself)."""
    scratch = sqlite3.connect(":memory:")
    try:
        for statement in ddl:
            scratch.execute(statement)
        table = scratch.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchone()
        return tuple(str(r[1]).lower() for r in scratch.execute(f'PRAGMA table_info("{table[0]}")'))
    finally:
        scratch.close()


# Every key in one string, NUL-separated, when each is text without a NUL or an integer
# (SQLite writes an integer as Python's str() does); the second column counts the others,
# read one by one. A row per applied file: fetching a tuple per row on every step of every
# example cost time in the length of the history (issue 17).
_JOINED: Final = (
    "SELECT group_concat({column}, char(0)), "
    "coalesce(sum(typeof({column}) NOT IN ('integer', 'text') OR instr({column}, char(0)) > 0), 0) "
    "FROM {table}"
)
_KEY_COLUMNS: Final = {
    "name": "name",
    "goose": "version_id",
    "drizzle": "created_at",
    "drizzle-v1": "name",
    "prisma": "migration_name",
    "flyway": "version",
    "sql-migrate": "id",
    "bun": "name",
    "node-sqlite": "id",
    "postgrator": "version",
}


def _sqlx_description(migration: Migration) -> str:
    """Sqlx's description: the name after the version, ``_`` read as a space."""
    stem = migration.name.split("_", 1)[1] if "_" in migration.name else migration.name
    return stem.removesuffix(".up").replace("_", " ")
