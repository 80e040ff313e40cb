"""The checks of rolling a migration back: the schema and the data come back as they were.

Split out of :mod:`migration_harness.checks.properties` (which still lists every check in
:data:`~migration_harness.checks.properties.CHECKS` and re-exports these names).
"""

from __future__ import annotations

from migration_harness.checks.engine import Engine
from migration_harness.checks.reach import Scope
from migration_harness.checks.scope import affected_tables, relevant_tables
from migration_harness.checks.shared import Property, _round_trip, _run, _unreachable_failure
from migration_harness.data.strategies import Dataset
from migration_harness.report.findings import Finding
from migration_harness.sets.discovery import Migration, MigrationSet
from migration_harness.sets.sql import runs_nothing, split_statements


def check_rollback(engine: Engine, k: int) -> list[Finding]:
    """Rollback round trip on the schema alone.

    ``missing_rollback``, ``misnamed_rollback`` (the pair's names differ beyond the
    version), ``rollback_error``, ``rollback_schema_drift`` (schema after the rollback
    differs from k-1), ``reapply_error`` and ``reapply_schema_drift`` (schema after
    applying again differs from k).
    """
    return _misnamed(engine.migrations[k - 1]) + _round_trip_schema(engine, k)


def _misnamed(migration: Migration) -> list[Finding]:
    """``misnamed_rollback`` when ``0097_artiface.up.sql`` pairs with ``0097_artifact.down.sql``.

    golang-migrate and sqlx pair the files by version alone and run them; names that
    differ beyond the version are usually a typo, or a file copied from another step.
    """
    up, down = migration.path.name, migration.down_path.name if migration.down_path else ""
    if not (up.endswith(".up.sql") and down.endswith(".down.sql")):
        return []
    if up.removesuffix(".up.sql") == down.removesuffix(".down.sql"):
        return []
    return [
        Finding(
            "misnamed_rollback",
            migration.label,
            f"its down file is named {down}, not {up.removesuffix('.up.sql')}.down.sql: "
            "paired by version alone",
            (f"up: {migration.path}", f"down: {migration.down_path}"),
            check="rollback",
            file=str(migration.down_path),
        )
    ]


def _round_trip_schema(engine: Engine, k: int) -> list[Finding]:
    """The schema-only round trip of :func:`check_rollback`."""
    migration = engine.migrations[k - 1]
    if migration.down_sql is None and migration.runner_data.get("repeatable"):
        return []  # Flyway's R__ files have no undo by design: not a missing rollback
    if migration.program is not None:
        return []
    if migration.down_sql is None and runs_nothing(migration.up_sql):
        return []  # an empty migration (goose, golang-migrate): nothing to undo
    if migration.down_sql is None:
        # An empty down file says "someone meant to write this": reported even when no
        # migration of the set has a rollback; a set with no down files is forward-only.
        if engine.mset.has_rollbacks or migration.down_path is not None:
            why = (
                "has no rollback while the set has rollbacks"
                if engine.mset.has_rollbacks
                else "has an empty rollback (no migration of the set has one written yet)"
            )
            return [
                Finding(
                    "missing_rollback",
                    migration.label,
                    f"{why} ({_rollback_hint(engine.mset, migration)})",
                    check="rollback",
                )
            ]
        return []
    if not engine.available(k):
        return _unreachable_failure(engine, k, "rollback")
    tables, reapplied = _round_trip_tables(engine, k)
    start = _round_trip_scope(engine, k, [*tables, *reapplied])
    conn = engine.start(start)
    try:
        return _round_trip(engine, conn, k, Dataset(), "rollback", tables, reapplied, start)
    finally:
        conn.close()


def _rollback_hint(mset: MigrationSet, migration: Migration) -> str:
    """The fix for a missing rollback, naming the file to write.

    The message used to say "add its rollback file", or "add <path>" for a rollback file
    that exists but holds no statement.
    """
    if migration.down_path is not None:
        return f"write its statements in {migration.down_path}"
    if mset.layout == "harness" and mset.rollbacks_dir is not None:
        return f"add {mset.rollbacks_dir / f'{migration.version:04d}_rollback.sql'}"
    if mset.layout == "updown":
        return f"add {migration.path.with_name(migration.name + '.down.sql')}"
    return "add its rollback"


def check_rollback_keeps_data(engine: Engine, k: int) -> list[Finding]:
    """``data_loss`` (rollback) and the round trip again, with a generated dataset at k.

    Rolling back k must keep every row and value of tables and columns that existed at
    k-1; data that lived only in objects k created is expected loss, measured instead.
    """
    return _run("rollback_keeps_data", engine, k, rollback_keeps_data_property(engine, k))


def rollback_keeps_data_property(engine: Engine, k: int) -> Property | None:
    """The ``rollback_keeps_data`` property of migration k (``None``: nothing to check)."""
    migration = engine.migrations[k - 1]
    if migration.down_sql is None or not engine.available(k):
        return None
    tables, reapplied = _round_trip_tables(engine, k)
    # Rows a rollback of k meets come from the deployed version above it, through the
    # later rollbacks: a table one of them re-creates is empty then (ship groups).
    drawn = engine.held(k, tables)
    if not drawn and not set(tables) & set(engine.populated(k)):
        return None

    start = _round_trip_scope(engine, k, [*tables, *reapplied, *drawn])

    def body(dataset: Dataset) -> list[Finding]:
        conn = engine.start(start)
        try:
            engine.insert(conn, dataset)
            return _round_trip(
                engine, conn, k, dataset, "rollback_keeps_data", tables, reapplied, start
            )
        finally:
            conn.close()

    return Property(engine.datasets(k, drawn), body)


def _round_trip_tables(engine: Engine, k: int) -> tuple[list[str], set[str]]:
    """The tables rolling back k can affect, and those the rollback and re-applying k can.

    Re-applying writes what the up file names, which the rollback may not.
    """
    migration = engine.migrations[k - 1]
    down = split_statements(migration.down_sql or "")
    tables = relevant_tables(engine.versions[k].schema, down, engine.populated(k))
    up = split_statements(migration.up_sql)
    return tables, {*tables, *affected_tables(engine.versions[k - 1].schema, up)}


def _round_trip_scope(engine: Engine, k: int, tables: list[str]) -> Scope:
    """Where a round trip of k starts: version k, limited to what its two files reach."""
    migration = engine.migrations[k - 1]
    statements = [
        *split_statements(migration.down_sql or ""),
        *split_statements(migration.up_sql),
    ]
    return engine.scope(k, statements, tables)
