"""Loading a ``--data`` source into memory once, never writing it.

A database file is opened ``mode=ro`` and copied with the backup API (or sampled through
an ``ATTACH`` of the same read-only URI); a dump is executed into memory as the shell
would restore it. The user's file is only ever read.
"""

from __future__ import annotations

import sqlite3
import tempfile
import urllib.parse
from pathlib import Path
from typing import Final

from migration_harness.data.sources.locate import Source, open_read_only
from migration_harness.data.sources.sample import copy_sample
from migration_harness.errors import DataSourceError
from migration_harness.sets.runner import BOOKKEEPING_TABLES

# Above this a whole copy in memory (and one image per version) is refused: --sample.
SIZE_LIMIT: Final = 200 * 1024 * 1024


def load(
    source: Source, *, sample: int | None = None, seed: int = 0, limit: int = SIZE_LIMIT
) -> sqlite3.Connection:
    """An in-memory copy of ``source`` (``sample`` rows per table when given).

    Raises:
        DataSourceError: the file is above ``limit`` without ``sample``, or cannot be read.
    """
    if sample is None and source.size > limit:
        message = (
            f"--data {source.spec}: {source.size // (1024 * 1024)} MB is above the "
            f"{limit // (1024 * 1024)} MB a whole copy may take (pass --sample N rows per table)"
        )
        raise DataSourceError(message)
    if source.kind == "dump":
        return _load_dump(source, sample, seed)
    if sample is not None:
        return _sampled(source.path, sample, seed)
    src = open_read_only(source.path)
    dst = sqlite3.connect(":memory:", isolation_level=None)
    try:
        src.backup(dst)
    except sqlite3.Error as exc:
        message = f"--data {source.spec}: cannot copy the database ({exc})"
        raise DataSourceError(message) from exc
    finally:
        src.close()
    return dst


def _load_dump(source: Source, sample: int | None, seed: int) -> sqlite3.Connection:
    """Execute a dump (``wrangler d1 export``, ``sqlite3 .dump``) into memory.

    The dump's own ``PRAGMA defer_foreign_keys``/``foreign_keys = OFF`` and its
    ``BEGIN TRANSACTION``/``COMMIT`` run as written: they are how it restores rows in an
    order that ignores foreign keys. With a sample, it is restored into a scratch file
    first and sampled from there.
    """
    try:
        text = source.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        message = f"--data {source.spec}: not a SQLite database nor a readable SQL dump ({exc})"
        raise DataSourceError(message) from exc
    if sample is None:
        return _restore(sqlite3.connect(":memory:", isolation_level=None), source, text)
    with tempfile.TemporaryDirectory(prefix="mh-data-") as scratch:
        path = Path(scratch) / "restored.db"
        _restore(sqlite3.connect(path, isolation_level=None), source, text).close()
        return _sampled(path, sample, seed)


def _restore(conn: sqlite3.Connection, source: Source, text: str) -> sqlite3.Connection:
    try:
        conn.executescript(text)
    except sqlite3.Error as exc:
        conn.close()
        message = f"--data {source.spec}: the SQL dump does not restore ({exc})"
        raise DataSourceError(message) from exc
    if conn.in_transaction:  # a dump cut short: keep what it restored
        conn.execute("COMMIT")
    conn.execute("PRAGMA foreign_keys = OFF")
    return conn


def _sampled(path: Path, per_table: int, seed: int) -> sqlite3.Connection:
    """The schema of ``path`` with a foreign-key-closed sample of its rows, in memory."""
    dst = sqlite3.connect("file:mh-sample?mode=memory", uri=True, isolation_level=None)
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    try:
        dst.execute("ATTACH DATABASE ? AS src", (uri,))
        objects = dst.execute(
            "SELECT type, name, sql FROM src.sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
        ).fetchall()
        for kind, name, sql in objects:
            if kind == "table" and not name.startswith("sqlite_"):
                _create(dst, sql)
        copy_sample(dst, "src", per_table, seed, whole=BOOKKEEPING_TABLES)
        if dst.execute(
            "SELECT 1 FROM main.sqlite_master WHERE name = 'sqlite_sequence'"
        ).fetchone():
            dst.execute("INSERT INTO main.sqlite_sequence SELECT * FROM src.sqlite_sequence")
        for kind, _name, sql in objects:  # indexes and triggers once the rows are in
            if kind in ("index", "trigger", "view"):
                _create(dst, sql)
        dst.execute("DETACH DATABASE src")
    except sqlite3.Error as exc:
        dst.close()
        message = f"--data {path}: cannot sample the database ({exc})"
        raise DataSourceError(message) from exc
    return dst


def _create(conn: sqlite3.Connection, sql: str) -> None:
    """Create one object; a virtual table's shadow tables already exist once it does."""
    try:
        conn.execute(sql)
    except sqlite3.OperationalError as exc:
        if "already exists" not in str(exc):
            raise
