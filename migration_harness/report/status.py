"""Facts for ``MIGRATION_STATUS.md``: apply the set in memory and look at every version.

The seeds' task asked for a status document proving each migration applied, each table
accepts and returns a row, and every foreign key is indexed. This module gathers those
facts with the same runner and introspection the checks use; :mod:`migration_harness.report.render`
renders them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, find
from hypothesis import settings as Settings
from hypothesis.errors import NoSuchExample

from migration_harness.checks.engine import Engine
from migration_harness.checks.properties import check_rollback
from migration_harness.data.provider import source_blind
from migration_harness.data.strategies import Dataset, datasets_for, insert
from migration_harness.schema.audit import Coverage, audit_foreign_keys, uncovered
from migration_harness.schema.model import Schema, quote
from migration_harness.sets.discovery import MigrationSet
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import Target


@dataclass(frozen=True, slots=True)
class MigrationRow:
    """One migration's line in the status table, named as the set names it.

    ``name`` is the migration's label (``20240101120000_users``), never its position: with
    timestamp or gapped versions a position is meaningless and ``migrate --to`` misreads it.
    """

    name: str
    file: str
    result: str
    statements: int
    round_trip: str


@dataclass(frozen=True, slots=True)
class TableRow:
    """One table's line: its shape and whether a sample row went in and came back."""

    name: str
    columns: int
    foreign_keys: int
    indexes: int
    rows: int
    smoke: str


@dataclass(slots=True)
class StatusFacts:
    """Everything ``MIGRATION_STATUS.md`` shows."""

    set_name: str
    layout: str
    target: str
    version: str = "the empty database"
    foreign_keys: bool = True
    migrations: list[MigrationRow] = field(default_factory=list)
    tables: list[TableRow] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    unindexed_by_version: list[tuple[str, list[str]]] = field(default_factory=list)
    indexes: list[tuple[str, list[str]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def gather(mset: MigrationSet, target: Target, *, set_name: str) -> StatusFacts:
    """Apply, audit and smoke-test the set in memory (the user's files are only read)."""
    engine = Engine(mset, target)
    facts = StatusFacts(
        set_name,
        mset.layout,
        target.name,
        version=engine.name_of(len(engine.versions) - 1),
        foreign_keys=target.foreign_keys,
    )
    for k, migration in enumerate(mset.migrations, start=1):
        statements = len(split_statements(migration.up_sql))
        if not engine.available(k):
            failure = engine.apply_failure
            reason = failure[1].reason if failure and failure[0] == k else "not reached"
            if migration.program is not None and engine.stop and engine.stop[0] == k:
                reason = engine.stop[1]
            facts.migrations.append(
                MigrationRow(
                    migration.label, migration.path.name, f"**failed**: {reason}", statements, "-"
                )
            )
            facts.errors.append(f"`{migration.path.name}`: {reason}")
            continue
        trip = check_rollback(engine, k)
        round_trip = (
            "no rollback"
            if migration.down_sql is None
            else ("ok" if not trip else "**" + ", ".join(sorted({f.kind for f in trip})) + "**")
        )
        facts.errors += [f"`{migration.label}`: {f.kind}: {f.message}" for f in trip]
        facts.migrations.append(
            MigrationRow(migration.label, migration.path.name, "applied", statements, round_trip)
        )
        conn = engine.restore(k)
        missing = uncovered(audit_foreign_keys(conn, engine.versions[k].schema))
        conn.close()
        facts.unindexed_by_version.append(
            (migration.label, [m.foreign_key.describe() for m in missing])
        )
    last = len(engine.versions) - 1
    conn = engine.restore(last)
    try:
        schema = engine.versions[last].schema
        facts.coverage = audit_foreign_keys(conn, schema)
        for name, table in sorted(schema.tables.items()):
            rows = conn.execute(f"SELECT count(*) FROM {quote(name)}").fetchone()[0]
            facts.tables.append(
                TableRow(
                    name,
                    len(table.columns),
                    len(table.foreign_keys),
                    len(table.indexes),
                    rows,
                    _smoke(engine, last, schema, name),
                )
            )
            facts.indexes.append((name, sorted(i.name for i in table.indexes)))
    finally:
        conn.close()
    return facts


def _smoke(engine: Engine, k: int, schema: Schema, table: str) -> str:
    """Insert the simplest valid row (and its parents), select it back, compare."""
    strategy = datasets_for(
        schema, existing=engine.versions[k].rows, max_rows=1, tables=schema.with_parents([table])
    )
    settings = Settings(
        database=None,
        derandomize=True,
        max_examples=200,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    try:
        with source_blind():
            dataset = find(
                strategy, lambda d: any(r.table == table for r in d.rows), settings=settings
            )
    except NoSuchExample:
        return "**no valid row could be generated**"
    conn = engine.restore(k)
    try:
        result = insert(conn, dataset)
        if result.failed:
            return f"**insert failed**: {result.failed[0][1]}"
        return "ok" if _selected_back(conn, dataset, table) else "**row not found**"
    finally:
        conn.close()


def _selected_back(conn: sqlite3.Connection, dataset: Dataset, table: str) -> bool:
    """The row inserted into ``table`` is found again by all its given values."""
    row = next(r for r in dataset.rows if r.table == table)
    where = " AND ".join(f"{quote(c)} IS ?" for c, _ in row.values) or "1"
    sql = f"SELECT count(*) FROM {quote(table)} WHERE {where}"
    return bool(conn.execute(sql, [v for _, v in row.values]).fetchone()[0])


__all__ = ["StatusFacts", "gather"]
