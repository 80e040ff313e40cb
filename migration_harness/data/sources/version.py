"""Where a real database stands in the set: its runner's tracking table, then its schema.

The pending migrations are judged from the version the database records, so the
database must be at a version the set can name (a prefix of the set applied) and hold
the schema the set has there; drift between them is itself a finding worth a stop.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from migration_harness.data.sources.load import load
from migration_harness.data.sources.locate import Source
from migration_harness.errors import DataSourceError, SchemaDriftError
from migration_harness.schema.diff import diff_schemas
from migration_harness.schema.model import Schema
from migration_harness.sets import runner, userversion
from migration_harness.sets.discovery import MigrationSet
from migration_harness.sets.targets import Target
from migration_harness.sets.trackers import present


@dataclass(frozen=True, slots=True)
class RealData:
    """A real database loaded in memory, and where it stands in the set.

    Attributes:
        source: the file it came from (its digest names the exact copy).
        image: the in-memory copy, serialised (restored per example, never the file).
        position: how many of the set's migrations it records as applied (a prefix).
        sample: rows per table when sampled (``None``: every row).
        allow_drift: go on when its schema differs from the set's at ``position``.
        show_values: findings may print its values (``--show-values``).
    """

    source: Source
    image: bytes
    position: int
    sample: int | None = None
    allow_drift: bool = False
    show_values: bool = False

    @property
    def label(self) -> str:
        """How reports name it: the spec and the head of its digest."""
        return f"{self.source.spec} (sha256 {self.source.digest[:12]})"


def real_data(
    source: Source,
    mset: MigrationSet,
    target: Target,
    *,
    sample: int | None = None,
    seed: int = 0,
    allow_drift: bool = False,
    show_values: bool = False,
) -> RealData:
    """Load ``source`` and find its version in ``mset`` (see :func:`position_in`)."""
    conn = load(source, sample=sample, seed=seed)
    try:
        position = position_in(conn, mset, target, source.spec)
        image = rollback_journal(conn.serialize())
    finally:
        conn.close()
    return RealData(source, image, position, sample, allow_drift, show_values)


def rollback_journal(image: bytes) -> bytes:
    """``image`` with its header saying rollback journal (format versions 1), not WAL.

    The backup API copies a WAL database's header as it is (bytes 18 and 19 are 2), and
    an in-memory database deserialized from it cannot open a write-ahead log: its first
    read failed with "unable to open database file" (exit 3 for ``check --data`` on any
    WAL database, as ``wrangler d1`` local files and most application databases are).
    The two bytes are all ``PRAGMA journal_mode = DELETE`` changes in a file's header
    (https://www.sqlite.org/fileformat2.html#file_format_version_numbers); a VACUUM
    would do the same at the cost of rewriting every page.
    """
    if image[18:20] != b"\x02\x02":
        return image
    return b"%b\x01\x01%b" % (image[:18], image[20:])


def position_in(conn: sqlite3.Connection, mset: MigrationSet, target: Target, spec: str) -> int:
    """How many migrations of ``mset`` the database's tracking table records (read-only).

    Raises:
        DataSourceError: no tracking table, another runner's, a failed (dirty) entry,
            entries for files the set lacks, or applied files with a gap.
    """
    found = present(conn)
    where = f"--data {spec}"
    # rusqlite_migration and SQLDelight keep no table: a user version above 0 is theirs.
    by_header = target.tracking.key_style == userversion.STYLE and userversion.read(conn) > 0
    if not found and not by_header:
        message = (
            f"{where}: no tracking table of any runner, so its version is unknown "
            f"(expected {target.tracking.table} for --target {target.name})"
        )
        raise DataSourceError(message)
    if found and target.tracking not in found:
        others = ", ".join(f"{t.runner} ({t.table})" for t in found)
        message = f"{where}: tracked by {others}, not by {target.name}; pass the matching --target"
        raise DataSourceError(message)
    dirty = runner.dirty_rows(conn, target)
    if dirty:
        message = f"{where}: {target.tracking.table} marks version {dirty[0]} failed (dirty)"
        raise DataSourceError(message)
    status = runner.status(conn, mset, target)
    if status.unknown:
        message = (
            f"{where}: {target.tracking.table} records {status.unknown[0]}, which the set "
            "does not have (the database is ahead of these files)"
        )
        raise DataSourceError(message)
    position = len(status.applied)
    if tuple(mset.migrations[:position]) != status.applied:
        gap = next(m for m in mset.migrations[:position] if m not in status.applied)
        message = (
            f"{where}: {gap.label} is not recorded as applied but a later migration is "
            "(applied out of order; the check needs one version to start from)"
        )
        raise DataSourceError(message)
    return position


def refuse_drift(real: RealData, expected: Schema, actual: Schema, version: str) -> str:
    """The warning for a schema that differs from the set's at its version ('' when equal).

    Raises:
        SchemaDriftError: it differs and ``--allow-drift`` was not given.
    """
    drift = diff_schemas(expected, actual)
    if not drift:
        return ""
    more = f" (and {len(drift.differences) - 1} more)" if len(drift.differences) > 1 else ""
    words = f"{drift.differences[0]}{more}"
    if not real.allow_drift:
        message = (
            f"--data {real.source.spec}: its schema is not the set's at {version}: {words} "
            "(pass --allow-drift to check the pending migrations on it anyway)"
        )
        raise SchemaDriftError(message)
    return f"warning: --data {real.source.spec}: schema drift from {version}: {words}"


def refuse_orphans(real: RealData, conn: sqlite3.Connection) -> str:
    """The warning for real rows that already break a foreign key ('' when none).

    Every step's foreign key check would blame them on the migration it follows, so
    they stop the run like drift does, unless ``--allow-drift``.

    Raises:
        SchemaDriftError: there are some and ``--allow-drift`` was not given.
    """
    orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
    if not orphans:
        return ""
    table, rowid, parent, _ = orphans[0]
    words = (
        f"{len(orphans)} row(s) already break a foreign key ({table} rowid {rowid} "
        f"references a missing {parent} row)"
    )
    if not real.allow_drift:
        message = (
            f"--data {real.source.spec}: {words}; every step would be blamed for them "
            "(repair the copy, or pass --allow-drift to go on)"
        )
        raise SchemaDriftError(message)
    return f"warning: --data {real.source.spec}: {words}"
