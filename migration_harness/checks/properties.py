"""The built-in properties, one ``check_*`` function each, run per migration.

Every check is a plain function ``check_<property>(engine, k) -> list[Finding]`` that users
can import and call (like ``pytest_alembic.tests``); :data:`CHECKS` lists them by name for
the CLI and the pytest plugin. They run on in-memory copies restored from one snapshot per
version (:class:`Engine`), never on the user's files, and each file runs under its target's
rules through the same runner the CLI uses.

Checks that need data draw it with Hypothesis, so a failure shrinks to the smallest dataset
that shows it. Datasets cover only the tables the migration's SQL can affect: the tables it
names, the child tables a DROP/DELETE/UPDATE/ALTER of them can cascade into, and the parents
those rows need. Rows elsewhere cannot change, and leaving them out keeps examples small and
fast.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from migration_harness.checks.engine import Engine, example_of, failure_kind
from migration_harness.checks.intent import REWRITE, judge_loss
from migration_harness.checks.loss import (
    count_loss,
    loss_by_table,
    record_apply_loss,
    record_rollback_loss,
)
from migration_harness.checks.scope import (
    affected_tables,
    fk_orphans,
    integrity_problems,
    integrity_scope,
    relevant_tables,
    rerun_sql,
    row_changes,
    unguardable_statements,
)
from migration_harness.checks.verify import check_verify
from migration_harness.data.rows import Loss, compare, read_all, renames_in, written_tables
from migration_harness.data.strategies import (
    Dataset,
)
from migration_harness.errors import MigrationError
from migration_harness.report.findings import Finding
from migration_harness.schema.audit import audit_foreign_keys, uncovered
from migration_harness.schema.diff import diff_schemas
from migration_harness.schema.model import Schema, introspect
from migration_harness.sets import runner
from migration_harness.sets.discovery import Migration, MigrationSet
from migration_harness.sets.sql import Statement, is_blank, split_statements
from migration_harness.sets.targets import Target

if TYPE_CHECKING:
    pass


# --- the checks ------------------------------------------------------------------------


def check_apply(engine: Engine, k: int) -> list[Finding]:
    """``apply_error``: migration k applies on top of 1..k-1 (on an empty database).

    ``runner_conflict``: k's files contradict how the target runs them (``BEGIN`` or
    ``PRAGMA foreign_keys`` inside a file the runner wraps in a transaction, a per-file
    opt-out the runner does not have).
    """
    migration = engine.migrations[k - 1]
    if migration.program is not None:
        return []  # code, not SQL: the run's note names it
    findings = runner_conflicts(engine.target, migration)
    failure = engine.apply_failure
    if failure is None or failure[0] != k:
        # A version past where the build stopped: only the file itself can be judged.
        unreached = not engine.available(k)
        return findings + (_unreachable_failure(engine, k, "apply") if unreached else [])
    if engine.holds_real(k - 1):
        from migration_harness.checks.real import real_apply_error

        exc = failure[1]
        return [*findings, real_apply_error(engine, k, exc, _statement_detail(exc), _located(exc))]
    return [
        *findings,
        Finding(
            failure_kind(failure[1], "apply_error"),
            migration.label,
            f"does not apply on top of {engine.name_of(k - 1)}: {failure[1].reason}",
            _statement_detail(failure[1]),
            {"steps": [engine.migrate_step(k - 1), f"apply {migration.id}"]},
            check="apply",
            **_located(failure[1]),
        ),
    ]


def runner_conflicts(target: Target, migration: Migration) -> list[Finding]:
    """``runner_conflict`` findings for both files of ``migration`` under ``target``.

    Found from the file and the target's plan alone: a ``PRAGMA foreign_keys = OFF`` that
    SQLite silently ignores leaves no trace in the data unless a cascade fires, so the
    data checks alone would miss it on most datasets.
    """
    sides = [("apply", migration.up_sql, migration.up_options, migration.path)]
    if migration.down_sql is not None:
        down_path = migration.down_path or migration.path
        sides.append(("rollback", migration.down_sql, migration.down_options, down_path))
    findings = []
    for direction, sql, options, path in sides:
        conflicts = target.conflicts(sql, options)
        if conflicts:
            findings.append(
                Finding(
                    "runner_conflict",
                    migration.label,
                    f"{path.name} contradicts how {target.name} runs it: {conflicts[0]}",
                    (f"file: {path}", *conflicts),
                    {"steps": [f"{direction} {migration.id} under {target.label}"]},
                    direction,
                    "apply",
                )
            )
    return findings


class Property(NamedTuple):
    """A data property of one migration: what to draw and what one example checks.

    Kept apart from running it, so a regression file replays exactly one example through
    the same ``body`` (:mod:`~migration_harness.checks.replay`).
    """

    strategy: Any
    body: Callable[[Dataset], list[Finding]]
    share: float = 1.0


def check_apply_keeps_data(engine: Engine, k: int) -> list[Finding]:
    """``data_loss`` (apply), ``apply_error`` on data, ``fk_violation``, ``integrity_error``.

    With a generated dataset at k-1, applying k must keep every row and value of the tables
    and columns that survive k.
    """
    return _run("apply_keeps_data", engine, k, apply_keeps_data_property(engine, k))


def _run(name: str, engine: Engine, k: int, prop: Property | None) -> list[Finding]:
    """Run ``prop`` under Hypothesis (nothing to check: no finding)."""
    if prop is None:
        return []
    migration = engine.migrations[k - 1]
    return engine.run_property(name, migration, prop.strategy, prop.body, share=prop.share)


def apply_keeps_data_property(engine: Engine, k: int) -> Property | None:
    """The ``apply_keeps_data`` property of migration k (``None``: nothing to check)."""
    migration = engine.migrations[k - 1]
    if k < 2 or not engine.available(k - 1):
        return None
    before_schema = engine.versions[k - 1].schema
    statements = split_statements(migration.up_sql)
    tables = relevant_tables(before_schema, statements, engine.populated(k - 1))
    if not tables:
        return None
    intended = written_tables(statements)
    renames = renames_in(statements)

    def body(dataset: Dataset) -> list[Finding]:
        conn = engine.restore(k - 1)
        try:
            engine.insert(conn, dataset)
            before = read_all(conn, before_schema, tables)
            orphans = fk_orphans(conn)
            example = example_of(
                dataset, [engine.migrate_step(k - 1), "insert the rows", f"apply {migration.id}"]
            )
            try:
                runner.apply(conn, migration, engine.target)
            except MigrationError as exc:
                return [
                    Finding(
                        failure_kind(exc, "apply_error"),
                        migration.label,
                        f"fails on data valid at {engine.name_of(k - 1)}: {exc.reason}",
                        _statement_detail(exc),
                        example,
                        check="apply_keeps_data",
                        **_located(exc),
                    )
                ]
            after_schema = introspect(conn, exclude=runner.BOOKKEEPING_TABLES)
            after = read_all(conn, after_schema, renames.reach(tables))

            def compare_one(table: str | None = None) -> Loss:
                rows = before if table is None else {table: before[table]}
                return compare(
                    rows, before_schema, after, after_schema, intended=intended, renames=renames
                )

            loss = compare_one()
            record_apply_loss(
                engine.infos[migration.version], loss.expected_rows, loss.expected_cells
            )
            scope = integrity_scope(tables, statements, before_schema, after_schema)
            findings = _integrity(conn, migration, example, "apply_keeps_data", scope, orphans)
            file = (statements, before_schema, after_schema)
            losses = [
                _loss_finding(migration, part, file, f"of {table}", example)
                for table, part in loss_by_table(loss, before, before_schema, compare_one)
            ]
            return losses + findings
        finally:
            conn.close()

    return Property(engine.datasets(k - 1, tables), body)


def check_idempotent(engine: Engine, k: int) -> list[Finding]:
    """``not_idempotent``: executing k's file again, right after it ran, changes nothing.

    That is ``f(f(x)) == f(x)`` for generated data ``x`` valid before k. Statements
    SQLite cannot guard (``ALTER TABLE … ADD/DROP/RENAME``, a table rebuild) are recorded as
    making the file not re-runnable by nature and left out of the re-run; every other
    statement must be safe to run again. The data is inserted before the first run, not
    between the runs: a guarded backfill (``UPDATE … WHERE x IS NULL``) rightly touches
    rows the application writes later, which is no fault of the file.
    """
    return _run("idempotent", engine, k, idempotent_property(engine, k))


def idempotent_property(engine: Engine, k: int) -> Property | None:
    """The ``idempotent`` property of migration k (``None``: nothing to check)."""
    migration = engine.migrations[k - 1]
    if not engine.available(k):
        return None
    statements = split_statements(migration.up_sql)
    unguarded = unguardable_statements(statements)
    info = engine.infos[migration.version]
    info.rerunnable = not unguarded
    info.unguarded = [" ".join(s.sql.split())[:200] for s in unguarded]
    rerun = rerun_sql(statements, engine.target.statement_separator)
    if not rerun:
        return None
    drawn = relevant_tables(engine.versions[k - 1].schema, statements, engine.populated(k - 1))
    tables = relevant_tables(engine.versions[k].schema, statements, engine.populated(k))

    def body(dataset: Dataset) -> list[Finding]:
        conn = engine.restore(k - 1)
        try:
            engine.insert(conn, dataset)
            try:
                runner.apply(conn, migration, engine.target)
            except MigrationError:
                return []  # apply_keeps_data reports a file that fails on valid data
            schema = introspect(conn, exclude=runner.BOOKKEEPING_TABLES)
            before = read_all(conn, schema, tables)
            example = example_of(
                dataset,
                [
                    engine.migrate_step(k - 1),
                    "insert the rows",
                    f"apply {migration.id}",
                    f"execute {migration.path.name} again",
                ],
            )
            try:
                runner.execute(conn, rerun, migration.path, engine.target, migration.up_options)
            except MigrationError as exc:
                return [
                    Finding(
                        failure_kind(exc, "not_idempotent"),
                        migration.label,
                        f"running the file a second time fails: {exc.reason}",
                        _statement_detail(exc),
                        example,
                        check="idempotent",
                        **_located(exc),
                    )
                ]
            after_schema = introspect(conn, exclude=runner.BOOKKEEPING_TABLES)
            drift = diff_schemas(schema, after_schema)
            if drift:
                return [
                    Finding(
                        "not_idempotent",
                        migration.label,
                        "running the file a second time changes the schema",
                        drift.differences,
                        example,
                        check="idempotent",
                    )
                ]
            changes = row_changes(before, read_all(conn, after_schema, tables))
            if changes:
                return [
                    Finding(
                        "not_idempotent",
                        migration.label,
                        "running the file a second time changes the data",
                        tuple(changes),
                        example,
                        check="idempotent",
                    )
                ]
            return []
        finally:
            conn.close()

    return Property(engine.datasets(k - 1, drawn), body, share=0.2)


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
    if migration.down_sql is None and is_blank(migration.up_sql):
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
    conn = engine.restore(k)
    try:
        return _round_trip(engine, conn, k, Dataset(), "rollback", tables, reapplied)
    finally:
        conn.close()


def _unreachable_failure(engine: Engine, k: int, direction: str) -> list[Finding]:
    """``apply_error``/``rollback_error`` for a file of a version that cannot be built.

    An earlier migration fails, so version k never exists here; what can still be
    judged without it is whether the file fails whatever the database holds (its runner
    refuses it, or SQLite cannot parse it). Several broken files are then all reported
    in one run instead of one per run.
    """
    migration = engine.migrations[k - 1]
    if direction == "apply":
        sql, path, options = migration.up_sql, migration.path, migration.up_options
    elif migration.down_sql is not None:
        sql, path = migration.down_sql, migration.down_path or migration.path
        options = migration.down_options
    else:
        return []
    exc = runner.parse_failure(sql, path, engine.target, options)
    if exc is None:
        return []
    blocker = engine.stop[1] if engine.stop else "an earlier migration does not apply"
    verb = "apply" if direction == "apply" else "roll back"
    kind = "apply_error" if direction == "apply" else "rollback_error"
    return [
        Finding(
            kind,
            migration.label,
            f"{'does not apply' if direction == 'apply' else 'rollback fails'} whatever the "
            f"database holds: {exc.reason}",
            (*_statement_detail(exc), f"checked alone: {blocker}"),
            {"steps": [f"{verb} {path.name}"]},
            check=direction,
            **_located(exc),
        )
    ]


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
    if not tables:
        return None

    def body(dataset: Dataset) -> list[Finding]:
        conn = engine.restore(k)
        try:
            engine.insert(conn, dataset)
            return _round_trip(engine, conn, k, dataset, "rollback_keeps_data", tables, reapplied)
        finally:
            conn.close()

    return Property(engine.datasets(k, tables), body)


def _round_trip_tables(engine: Engine, k: int) -> tuple[list[str], set[str]]:
    """The tables rolling back k can affect, and those the rollback and re-applying k can.

    Re-applying writes what the up file names, which the rollback may not.
    """
    migration = engine.migrations[k - 1]
    down = split_statements(migration.down_sql or "")
    tables = relevant_tables(engine.versions[k].schema, down, engine.populated(k))
    up = split_statements(migration.up_sql)
    return tables, {*tables, *affected_tables(engine.versions[k - 1].schema, up)}


def check_fk_index(engine: Engine, tables: Collection[str] | None = None) -> list[Finding]:
    """``missing_fk_index``: at the last version, every foreign key has a covering index.

    ``tables`` limits the audit to foreign keys of those (child) tables (``--since``).
    """
    last = len(engine.versions) - 1
    conn = engine.restore(last)
    try:
        coverages = audit_foreign_keys(conn, engine.versions[last].schema)
    finally:
        conn.close()
    label = engine.migrations[last - 1].label if last else None
    return [
        Finding(
            "missing_fk_index",
            label,
            f"foreign key {c.foreign_key.describe()} has no covering index",
            (
                f"query plan: {c.plan}",
                f"fix: CREATE INDEX IF NOT EXISTS idx_{c.foreign_key.table}_"
                f"{'_'.join(c.foreign_key.columns)} ON {c.foreign_key.table}"
                f"({', '.join(c.foreign_key.columns)});",
            ),
            check="fk_index",
        )
        for c in uncovered(coverages)
        if tables is None or c.foreign_key.table in tables
    ]


PER_MIGRATION: Final[dict[str, Callable[[Engine, int], list[Finding]]]] = {
    "apply": check_apply,
    "idempotent": check_idempotent,
    "apply_keeps_data": check_apply_keeps_data,
    "rollback": check_rollback,
    "rollback_keeps_data": check_rollback_keeps_data,
    "verify": check_verify,
}
CHECKS: Final = (*PER_MIGRATION, "fk_index", "stateful")
# The checks that draw data, by name: a regression file replays one example of them.
PROPERTIES: Final[dict[str, Callable[[Engine, int], Property | None]]] = {
    "apply_keeps_data": apply_keeps_data_property,
    "idempotent": idempotent_property,
    "rollback_keeps_data": rollback_keeps_data_property,
}


# --- shared steps ----------------------------------------------------------------------


def _round_trip(
    engine: Engine,
    conn: sqlite3.Connection,
    k: int,
    dataset: Dataset,
    check: str,
    tables: Sequence[str] | None = None,
    reapplied: Collection[str] | None = None,
) -> list[Finding]:
    """Roll back k, compare with k-1, apply k again, compare with k.

    ``tables``: the tables the rollback can affect; only their rows are read and compared.
    ``reapplied``: the tables the rollback and the re-application can affect (``None``:
    any), whose integrity is checked.
    """
    migration = engine.migrations[k - 1]
    before_schema = engine.versions[k].schema
    expected = engine.versions[k - 1].schema
    # Real rows (``--data``) are data too: the schema-only round trip compares them as well.
    holds = bool(dataset.rows) or engine.holds_real(k)
    before = read_all(conn, before_schema, tables) if holds else {}
    data_note = " on a database holding data" if holds else ""
    orphans = fk_orphans(conn)
    steps = [engine.migrate_step(k)] + (["insert the rows"] if dataset.rows else [])
    example = example_of(dataset, [*steps, f"roll back {migration.id}"])
    try:
        runner.rollback(conn, migration, engine.target)
    except MigrationError as exc:
        return [
            Finding(
                failure_kind(exc, "rollback_error"),
                migration.label,
                f"rollback fails{data_note}: {exc.reason}",
                _statement_detail(exc),
                example,
                check=check,
                **_located(exc),
            )
        ]
    after_schema = introspect(conn, exclude=runner.BOOKKEEPING_TABLES)
    findings: list[Finding] = []
    down = split_statements(migration.down_sql or "")
    if holds:
        # A table or column k renamed existed before k: the rollback must bring its data back.
        renames = renames_in(down) + renames_in(split_statements(migration.up_sql)).inverse()
        after = read_all(conn, after_schema, renames.reach(tables))

        def compare_one(table: str | None = None) -> Loss:
            rows = before if table is None else {table: before[table]}
            return compare(
                rows,
                before_schema,
                after,
                after_schema,
                intended=written_tables(down),
                renames=renames,
            )

        loss = compare_one()
        record_rollback_loss(engine.infos[migration.version], loss)
        findings += [
            _loss_finding(
                migration,
                part,
                (down, before_schema, after_schema),
                f"of {table}, which existed before it",
                example,
                check,
            )
            for table, part in loss_by_table(loss, before, before_schema, compare_one)
        ]
    # After the loss: an example's first finding names its cause, and a drift that every
    # example shows (a rebuild that reorders columns) was raised first and shrunk to an
    # empty dataset, hiding the values the same rollback emptied (issue 12).
    drift = diff_schemas(expected, after_schema)
    if drift:
        findings.append(
            Finding(
                "rollback_schema_drift",
                migration.label,
                f"after rollback the schema differs from {engine.name_of(k - 1)}",
                drift.differences,
                example,
                check=check,
            )
        )
    scope = integrity_scope(tables, down, before_schema, after_schema)
    findings += _integrity(conn, migration, example, check, scope, orphans)
    example = example_of(dataset, [*example["steps"], f"apply {migration.id} again"])
    try:
        runner.apply(conn, migration, engine.target)
    except MigrationError as exc:
        return [
            *findings,
            Finding(
                failure_kind(exc, "reapply_error"),
                migration.label,
                f"does not apply again after its rollback{data_note}: {exc.reason}",
                _statement_detail(exc),
                example,
                check=check,
                **_located(exc),
            ),
        ]
    redo_schema = introspect(conn, exclude=runner.BOOKKEEPING_TABLES)
    redo = diff_schemas(before_schema, redo_schema)
    if redo:
        findings.append(
            Finding(
                "reapply_schema_drift",
                migration.label,
                "after rollback and re-apply the schema differs from the first application",
                redo.differences,
                example,
                check=check,
            )
        )
    up = split_statements(migration.up_sql)
    scope = integrity_scope(reapplied, up, after_schema, redo_schema, before_schema)
    return findings + _integrity(conn, migration, example, check, scope, orphans)


def _integrity(
    conn: sqlite3.Connection,
    migration: Migration,
    example: dict[str, Any],
    check: str,
    scope: Collection[str] | None,
    orphans: frozenset[tuple[str, int, str]] = frozenset(),
) -> list[Finding]:
    """Report ``fk_violation`` and ``integrity_error`` after a step with valid data.

    ``PRAGMA foreign_key_check`` and ``PRAGMA integrity_check`` (of ``scope``, see
    ``integrity_scope``) must both be clean; ``orphans`` broke their foreign key before
    the step (keys off), so only the step's new ones count.
    """
    findings = []
    count, details, broken = integrity_problems(conn, scope, orphans)
    if count:
        findings.append(
            Finding(
                "fk_violation",
                migration.label,
                f"{count} row(s) break a foreign key after {example['steps'][-1]}",
                details,
                example,
                check=check,
            )
        )
    if broken:
        findings.append(
            Finding(
                "integrity_error",
                migration.label,
                f"integrity_check fails after {example['steps'][-1]}",
                broken,
                example,
                check=check,
            )
        )
    return findings


def _loss_finding(
    migration: Migration,
    loss: Loss,
    file: tuple[Sequence[Statement], Schema, Schema],
    where: str,
    example: dict[str, Any],
    check: str = "apply_keeps_data",
) -> Finding:
    """A ``data_loss`` finding: MH141, or MH142 naming what the file declares it rewrites.

    ``file`` is the step's statements and the schemas around it; ``check`` decides the
    direction (``apply_keeps_data`` is the only check of the forward step).
    """
    direction = "apply" if check == "apply_keeps_data" else "rollback"
    doing = "applying it" if direction == "apply" else "rolling it back"
    verdict = judge_loss(loss, *file)
    message = f"{doing} loses or changes {count_loss(loss)} {where}"
    if verdict.code == REWRITE:
        message = f"{doing} rewrites {count_loss(loss)} {where}, as the file says: " + "; ".join(
            verdict.declared
        )
    return Finding(
        "data_loss", migration.label, message, loss.problems, example, direction, check,
        code=verdict.code,
    )  # fmt: skip


def _located(exc: MigrationError) -> dict[str, Any]:
    """A finding's ``file``, ``line`` and ``statement`` for the failure it reports."""
    return {"file": exc.file, "line": exc.line, "statement": exc.statement}


def _statement_detail(exc: MigrationError) -> tuple[str, ...]:
    """The failing statement and where it is, for the finding's details."""
    if exc.statement is None:
        return (f"file: {exc.path}",)
    return (f"file: {exc.path}", f"statement: {' '.join(exc.statement.split())[:300]}")
