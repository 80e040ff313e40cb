"""The rows refinery and yoyo write to their tracking tables, and how they are read back.

They live beside :mod:`~migration_harness.sets.ownrows` (the other runners' own row shapes)
so that module stays readable: refinery's row carries a SipHash-1-3 checksum the tool
recomputes and compares on every run, and yoyo writes two tables, a keyed
``_yoyo_migration`` and an append-only ``_yoyo_log``. A database migrated by the harness must
read as migrated to the real tool, so both are written exactly as the tools write them
(sources in ``docs/RUNNERS.md``).
"""

from __future__ import annotations

import hashlib
import sqlite3
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from migration_harness.sets.records import Migration

Sql = Sequence[tuple[str, tuple[object, ...]]]
_MASK: Final = (1 << 64) - 1


@dataclass(frozen=True, slots=True)
class Row:
    """One applied entry of a tracking table.

    Attributes:
        key: what the table records (a file name, a version, a version string).
        applied_at: when, when the table says (golang-migrate does not).
        dirty: the tool marked this entry failed (golang-migrate ``dirty``, sqlx
            ``success = false``); the tool refuses to run until someone fixes it.

    """

    key: str
    applied_at: str = ""
    dirty: bool = False


def refinery_checksum(name: str, version: int, sql: str) -> int:
    """Refinery's checksum: SipHash-1-3 (keys 0, 0) of ``name``, ``version`` and ``sql``.

    ``Migration::unapplied`` (refinery_core/src/runner.rs) hashes the three with Rust's
    ``Hash``: a ``str`` is its bytes then ``0xff``, an ``i64`` its eight little-endian bytes.
    refinery compares it with the stored one (``abort_divergent``, on by default), so a
    wrong value would make the real tool refuse a database the harness migrated.
    """
    data = name.encode() + b"\xff" + struct.pack("<q", version) + sql.encode() + b"\xff"
    return _siphash13(data)


def _siphash13(data: bytes) -> int:
    """SipHash-1-3 with a zero key, as Rust's ``SipHasher13::new()`` computes it."""
    v = [0x736F6D6570736575, 0x646F72616E646F6D, 0x6C7967656E657261, 0x7465646279746573]
    end = len(data) - len(data) % 8
    words = [struct.unpack_from("<Q", data, i)[0] for i in range(0, end, 8)]
    words.append(((len(data) & 0xFF) << 56) | int.from_bytes(data[end:], "little"))
    for word in words:
        v[3] ^= word
        _sip_round(v)
        v[0] ^= word
    v[2] ^= 0xFF
    for _ in range(3):
        _sip_round(v)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def _sip_round(v: list[int]) -> None:
    """One SipRound over the four state words, in place."""
    v[0] = (v[0] + v[1]) & _MASK
    v[1] = _rotl(v[1], 13) ^ v[0]
    v[0] = _rotl(v[0], 32)
    v[2] = (v[2] + v[3]) & _MASK
    v[3] = _rotl(v[3], 16) ^ v[2]
    v[0] = (v[0] + v[3]) & _MASK
    v[3] = _rotl(v[3], 21) ^ v[0]
    v[2] = (v[2] + v[1]) & _MASK
    v[1] = _rotl(v[1], 17) ^ v[2]
    v[2] = _rotl(v[2], 32)


def _rotl(x: int, bits: int) -> int:
    """``x`` rotated left by ``bits`` in 64 bits."""
    return ((x << bits) | (x >> (64 - bits))) & _MASK


def refinery_rows(table: str, migration: Migration) -> Sql:
    """Refinery's history row: version, name, RFC 3339 time and checksum (as text).

    ``insert_migration_query`` (refinery_core/src/traits/mod.rs); the name is the part of
    the file name after ``__``, as ``parse_migration_name`` captures it.
    """
    name = str(migration.runner_data.get("name", migration.name))
    checksum = refinery_checksum(name, migration.version, migration.up_sql)
    sql = (
        f"INSERT INTO {table} (version, name, applied_on, checksum) "
        "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)"
    )
    return ((sql, (migration.version, name, str(checksum))),)


def refinery_read(conn: sqlite3.Connection, table: str) -> list[Row]:
    """Refinery's rows by version (``GET_APPLIED_MIGRATIONS_QUERY``), RFC 3339 shown plainly."""
    found = conn.execute(f"SELECT version, applied_on FROM {table} ORDER BY version").fetchall()
    return [Row(str(v), str(t or "").replace("T", " ")[:19]) for v, t in found]


def yoyo_hash(migration_id: str) -> str:
    """Yoyo's key: SHA-256 of the migration id (``get_migration_hash``, yoyo/migrations.py)."""
    return hashlib.sha256(migration_id.encode("utf-8")).hexdigest()


def yoyo_rows(table: str, migration: Migration) -> Sql:
    """Yoyo's ``apply`` log row, then its ``_yoyo_migration`` row (``apply_one``)."""
    ident = migration.id
    mark = (
        f'INSERT INTO "{table}" ("migration_hash", "migration_id", "applied_at_utc") '
        "VALUES (?, ?, strftime('%Y-%m-%d %H:%M:%f', 'now'))"
    )
    return (_yoyo_log(ident, "apply"), (mark, (yoyo_hash(ident), ident)))


def yoyo_forget(table: str, migration: Migration) -> Sql:
    """Yoyo's ``rollback`` log row, then the delete by hash (``rollback_one``)."""
    ident = migration.id
    unmark = f'DELETE FROM "{table}" WHERE "migration_hash" = ?'
    return (_yoyo_log(ident, "rollback"), (unmark, (yoyo_hash(ident),)))


def _yoyo_log(ident: str, operation: str) -> tuple[str, tuple[object, ...]]:
    """One ``_yoyo_log`` row; its id a fresh UUID, as yoyo's ``uuid1()`` (the primary key)."""
    sql = (
        'INSERT INTO "_yoyo_log" ("id", "migration_hash", "migration_id", "operation", '
        '"username", "hostname", "created_at_utc") '
        "VALUES (?, ?, ?, ?, 'migration-harness', 'localhost', "
        "strftime('%Y-%m-%d %H:%M:%f', 'now'))"
    )
    row_id = str(uuid.uuid4())
    return sql, (row_id, yoyo_hash(ident), ident, operation)


# yoyo's other tables (yoyo/internalmigrations/v2.py): the log, and its schema version, which
# yoyo reads first; without version 2 there, yoyo would try to create _yoyo_migration again.
YOYO_LOG_DDL: Final = (
    'CREATE TABLE IF NOT EXISTS "_yoyo_log" (\n'
    '    "id" VARCHAR(36),\n'
    '    "migration_hash" VARCHAR(64),\n'
    '    "migration_id" VARCHAR(255),\n'
    '    "operation" VARCHAR(10),\n'
    '    "username" VARCHAR(255),\n'
    '    "hostname" VARCHAR(255),\n'
    '    "comment" VARCHAR(255),\n'
    '    "created_at_utc" TIMESTAMP,\n'
    '    PRIMARY KEY ("id")\n'
    ")",
    'CREATE TABLE IF NOT EXISTS "_yoyo_version" (\n'
    '    "version" INT NOT NULL PRIMARY KEY,\n'
    '    "installed_at_utc" TIMESTAMP\n'
    ")",
    'INSERT OR IGNORE INTO "_yoyo_version" ("version", "installed_at_utc") '
    "VALUES (2, strftime('%Y-%m-%d %H:%M:%f', 'now'))",
)
YOYO_OTHER_TABLES: Final = frozenset({"_yoyo_log", "_yoyo_version"})


def yoyo_read(conn: sqlite3.Connection, table: str) -> list[Row]:
    """Yoyo's applied migrations by id, in the order applied (``applied_migrations_sql``)."""
    found = conn.execute(
        f'SELECT "migration_id", "applied_at_utc" FROM "{table}" ORDER BY "applied_at_utc"'
    ).fetchall()
    return [Row(str(i), str(t or "")[:19]) for i, t in found]
