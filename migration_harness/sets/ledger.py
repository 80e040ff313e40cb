"""What a database says it has applied: the tracking and checksum tables, read as a Status.

Split out of :mod:`migration_harness.sets.runner` so reading the bookkeeping (which the
status command, the checks and the runner all need) does not pull in the code that applies
and rolls back files.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Final

from migration_harness.errors import DatabaseError
from migration_harness.sets.discovery import Migration, MigrationSet
from migration_harness.sets.functions import register
from migration_harness.sets.integrity import INTENT_TABLE
from migration_harness.sets.rowshapes import YOYO_OTHER_TABLES
from migration_harness.sets.targets import Target
from migration_harness.sets.trackers import SQITCH, WRANGLER, YOYO, has_table, present
from migration_harness.sets.trackers import TABLES as RUNNER_TABLES
from migration_harness.sets.tracking import Tracking

TRACKING_TABLE: Final = WRANGLER.table
CHECKSUM_TABLE: Final = "migration_harness_checksums"
# Tables the harness itself (or SQLite) creates, whatever the target: never a user's.
HARNESS_TABLES: Final = frozenset({CHECKSUM_TABLE, INTENT_TABLE, SQITCH.table, "sqlite_sequence"})
# Every runner's tables too: for a database whose runner is unknown (a real database
# sampled whole). A check knows its target and asks :func:`bookkeeping_tables`.
BOOKKEEPING_TABLES: Final = RUNNER_TABLES | HARNESS_TABLES
_CHECKSUM_DDL: Final = (
    f"CREATE TABLE IF NOT EXISTS {CHECKSUM_TABLE}(name TEXT PRIMARY KEY, checksum TEXT NOT NULL)"
)
# What the local D1 engine creates: wrangler's table and our checksum table.
TRACKING_DDL: Final = (*WRANGLER.ddl, _CHECKSUM_DDL)


@dataclass(frozen=True, slots=True)
class Applied:
    """One row of the tracking table."""

    name: str
    applied_at: str
    checksum: str | None


@dataclass(frozen=True, slots=True)
class Status:
    """Where a database stands against a migration set.

    Attributes:
        applied: migrations of the set recorded as applied, in set order.
        pending: migrations not yet applied, in set order.
        unknown: tracking rows naming no file of the set (applied from elsewhere).
        changed: applied migrations whose file changed since (checksum differs).

    """

    applied: tuple[Migration, ...]
    pending: tuple[Migration, ...]
    unknown: tuple[str, ...]
    changed: tuple[Migration, ...]

    @property
    def version(self) -> int:
        """The highest applied version, 0 when nothing is applied."""
        return self.applied[-1].version if self.applied else 0


def prepare(conn: sqlite3.Connection, target: Target) -> None:
    """Set the connection up as the target's production connection would be."""
    conn.isolation_level = None
    conn.execute(f"PRAGMA foreign_keys = {'ON' if target.foreign_keys else 'OFF'}")
    register(conn, target.functions)


def bookkeeping_tables(target: Target | None = None) -> frozenset[str]:
    """The tables that are no part of the user's schema when ``target`` runs the set.

    The target runner's own tracking tables and the harness's: another runner's table name
    is the user's table there (node-sqlite's ``migrations``, golang-migrate's
    ``schema_migrations`` in a goose set are generated, compared and checked like any
    other). Without a target, wrangler's ``d1_migrations``, as :func:`ensure_tracking`.
    """
    tracking = target.tracking if target is not None else WRANGLER
    own = YOYO_OTHER_TABLES if tracking.table == YOYO.table else frozenset()
    return HARNESS_TABLES | {tracking.table} | own


def ensure_tracking(conn: sqlite3.Connection, target: Target | None = None) -> None:
    """Create the target runner's tracking table (and our checksum table beside it).

    Without a target, wrangler's ``d1_migrations``: the table of the ``sqlite`` and ``d1``
    targets.
    """
    (target.tracking if target else WRANGLER).create(conn)
    conn.execute(_CHECKSUM_DDL)


def _tracking_for(conn: sqlite3.Connection, target: Target | None) -> Tracking:
    """The target's tracking, or (no target) the one this database holds."""
    if target is not None:
        return target.tracking
    found = present(conn)
    return WRANGLER if not found or WRANGLER in found else found[0]


def applied_rows(
    conn: sqlite3.Connection, mset: MigrationSet | None = None, target: Target | None = None
) -> list[Applied]:
    """The tracking table's rows in application order; empty when it does not exist.

    Rows are named by migration id. Runners that record only a version (goose, sqlx …) are
    mapped to ids through ``mset``; without it, the names come from the checksum table the
    harness writes in the same transaction as the runner's row.
    """
    tracking = _tracking_for(conn, target)
    checksums = _checksums(conn)
    rows = tracking.rows(conn)
    if tracking.key_style != "name":
        if mset is None:
            return [Applied(str(n), "", str(c)) for n, c in checksums.items()] if rows else []
        ids = {tracking.key(m): m.id for m in mset.migrations}
        if tracking.key_style == "golang-migrate":
            # One row holds the current version: every file up to it counts as applied.
            top = int(rows[0].key) if rows else 0
            return [
                Applied(m.id, "", checksums.get(m.id)) for m in mset.migrations if m.version <= top
            ]
        if tracking.key_style in ("drizzle", "user-version"):
            # drizzle compares with the newest created_at, user_version holds the last
            # applied key: older files count as applied.
            top = max(int(r.key) for r in rows) if rows else 0
            return [
                Applied(m.id, "", checksums.get(m.id))
                for m in mset.migrations
                if int(tracking.key(m)) <= top
            ]
        named = [(ids.get(r.key, f"{tracking.table} version {r.key}"), r) for r in rows]
        return [Applied(n, r.applied_at, checksums.get(n)) for n, r in named]
    return [Applied(r.key, r.applied_at, checksums.get(r.key)) for r in rows]


def _checksums(conn: sqlite3.Connection) -> dict[str, str]:
    """The checksum table's rows; refuses a table of that name the harness did not write."""
    if not has_table(conn, CHECKSUM_TABLE):
        return {}
    try:
        return dict(conn.execute(f"SELECT name, checksum FROM {CHECKSUM_TABLE}").fetchall())
    except sqlite3.OperationalError as exc:
        message = f"{CHECKSUM_TABLE}: not the table migration-harness writes ({exc}); drop it"
        raise DatabaseError(message) from exc


def dirty_rows(conn: sqlite3.Connection, target: Target) -> list[str]:
    """Entries the runner marked failed; the real tool refuses to run until they are fixed."""
    return [r.key for r in target.tracking.rows(conn) if r.dirty]


def status(conn: sqlite3.Connection, mset: MigrationSet, target: Target | None = None) -> Status:
    """Compare the tracking table with the set (read-only)."""
    rows = {r.name: r for r in applied_rows(conn, mset, target)}
    by_id = {m.id: m for m in mset.migrations}
    applied = tuple(m for m in mset.migrations if m.id in rows)
    pending = tuple(m for m in mset.migrations if m.id not in rows)
    unknown = tuple(name for name in rows if name not in by_id)
    changed = tuple(m for m in applied if rows[m.id].checksum not in (None, m.checksum))
    return Status(applied, pending, unknown, changed)
