"""Steps the built-in properties share: running one drawn example, round trips, findings.

Split out of :mod:`migration_harness.checks.properties` so the per-theme check modules
(:mod:`~migration_harness.checks.applying`, :mod:`~migration_harness.checks.rolling_back`)
can use them without importing each other.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Callable, Collection, Sequence
from typing import Any, NamedTuple

from migration_harness.checks.deploys import GROUP_CREATED
from migration_harness.checks.drift import drift_finding, positional_sources
from migration_harness.checks.dropcascade import cascaded, drop_reach
from migration_harness.checks.engine import Engine
from migration_harness.checks.fkscope import fk_scope, orphan_scope
from migration_harness.checks.forbidden import FORBIDDEN, forbidden_by
from migration_harness.checks.intent import LOSS, REWRITE, judge_loss
from migration_harness.checks.loss import count_loss, loss_by_table, record_rollback_loss
from migration_harness.checks.moved import lost_moves
from migration_harness.checks.outcomes import example_later, failure_kind, rendered
from migration_harness.checks.reach import Scope
from migration_harness.checks.repeatables import reference
from migration_harness.checks.scope import fk_orphans, integrity_problems, integrity_scope
from migration_harness.data.rows import Loss, Rows, compare, read_all, renames_in, written_tables
from migration_harness.data.strategies import Dataset
from migration_harness.errors import HarnessError, MigrationError
from migration_harness.report.findings import Finding
from migration_harness.schema.diff import diff_schemas
from migration_harness.schema.model import Schema, introspect
from migration_harness.sets import runner
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import Statement, split_statements


class Property(NamedTuple):
    """A data property of one migration: what to draw and what one example checks.

    Kept apart from running it, so a regression file replays exactly one example through
    the same ``body`` (:mod:`~migration_harness.checks.replay`).
    """

    strategy: Any
    body: Callable[[Dataset], list[Finding]]
    share: float = 1.0
    # Examples tried besides the random ones, built only when the property runs
    # (:mod:`~migration_harness.checks.duplicates`); a replay needs none.
    seeds: Callable[[], tuple[Dataset, ...]] | None = None


def _run(name: str, engine: Engine, k: int, prop: Property | None) -> list[Finding]:
    """Run ``prop`` under Hypothesis (nothing to check: no finding)."""
    if prop is None:
        return []
    migration = engine.migrations[k - 1]
    return engine.run_property(
        name, migration, prop.strategy, prop.body, share=prop.share, seeds=prop.seeds
    )


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


def _round_trip(
    engine: Engine,
    conn: sqlite3.Connection,
    k: int,
    dataset: Dataset,
    check: str,
    tables: Sequence[str] | None = None,
    reapplied: Collection[str] | None = None,
    start: Scope | None = None,
) -> list[Finding]:
    """Roll back k, compare with k-1, apply k again, compare with k (:func:`_round_trips`).

    The examples are rendered only for the findings returned.
    """
    found = _round_trips(engine, conn, k, dataset, check, tables, reapplied, start)
    return rendered(found, dataset)


def _round_trips(
    engine: Engine,
    conn: sqlite3.Connection,
    k: int,
    dataset: Dataset,
    check: str,
    tables: Sequence[str] | None = None,
    reapplied: Collection[str] | None = None,
    start: Scope | None = None,
) -> list[Finding]:
    """Roll back k, compare with k-1, apply k again, compare with k.

    ``tables``: the tables the rollback can affect; only their rows are read and compared.
    ``reapplied``: the tables the rollback and the re-application can affect (``None``:
    any), whose integrity is checked. ``start``: the scope ``conn`` was started from
    (:meth:`Engine.start`; ``None``: a whole copy of version k).
    """

    def read_schema() -> Schema:
        schema = introspect(conn, exclude=runner.bookkeeping_tables(engine.target))
        return schema if start is None else engine.widen(start, schema)

    migration = engine.migrations[k - 1]
    before_schema = engine.versions[k].schema
    # Real rows (``--data``) are data too: the schema-only round trip compares them as well.
    holds = bool(dataset.rows) or engine.holds_real(k)
    before = read_all(conn, before_schema, tables) if holds else {}
    data_note = " on a database holding data" if holds else ""
    down = split_statements(migration.down_sql or "")
    up = split_statements(migration.up_sql)
    # Orphans of the tables either step can touch (and their children); see fkscope.
    read_scope = orphan_scope([*down, *up], before_schema)
    orphans = fk_orphans(conn, read_scope)
    steps = [engine.migrate_step(k)] + (["insert the rows"] if dataset.rows else [])
    example = example_later([*steps, f"roll back {migration.id}"])
    # A DROP of the down file whose cascade reaches a table the file also writes: compare
    # skips that table, so the same rollback is run with keys off to tell them apart.
    reached = drop_reach(down, before_schema, written_tables(down)) if holds else {}
    image = conn.serialize() if reached else None
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
    after_schema = read_schema()
    findings: list[Finding] = []
    if holds:
        # A table or column k renamed existed before k: the rollback must bring its data back.
        renames = renames_in(down).then_undoing(renames_in(split_statements(migration.up_sql)))
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
            _deploy_loss(
                engine,
                k,
                _loss_finding(
                    migration,
                    part,
                    (down, engine.hinted(k), after_schema),
                    # The rows were written once it was applied; it is the table that is older.
                    f"of {table} held while it was applied ({table} existed before it, so "
                    "rolling it back must keep them)",
                    example,
                    check,
                    forbids_after(engine, conn, before, (before_schema, after_schema), down),
                    table=table,
                ),
                table,
            )
            for table, part in loss_by_table(loss, before, before_schema, compare_one)
        ]
        findings += lost_moves(engine, k, before, after, example, check)
        if image is not None:
            step = functools.partial(runner.rollback, migration=migration, target=engine.target)
            state = (conn, image, after_schema)
            findings += cascaded(engine, migration, state, reached, step, example, check)
    # After the loss: an example's first finding names its cause, and a drift that every
    # example shows (a rebuild that reorders columns) was raised first and shrunk to an
    # empty dataset, hiding the values the same rollback emptied (issue 12).
    drift = diff_schemas(reference(engine, k - 1, after_schema), after_schema)
    skipped = _skipped_rollback(engine, migration)
    if drift:
        cause = f": {skipped[0]}" if skipped else ""
        findings.append(
            drift_finding(
                "rollback_schema_drift",
                migration.label,
                f"after rollback the schema differs from {engine.name_of(k - 1)}{cause}",
                drift,
                positional_sources(engine, k, after_schema),
                example,
                check,
                lead=skipped[1:],
            )
        )
    scope = integrity_scope(tables, down, before_schema, after_schema)
    fk_tables = None if read_scope is None else fk_scope(down, before_schema, after_schema)
    findings += _integrity(conn, migration, example, check, scope, orphans, fk_tables)
    example = example_later([*example["steps"], f"apply {migration.id} again"])
    try:
        runner.apply(conn, migration, engine.target)
    except MigrationError as exc:
        details = _statement_detail(exc)
        reason = exc.reason
        if skipped and drift:
            # One defect, as production meets it: the rollback "succeeds" without its
            # skipped statement, and the next deploy fails on what it left behind.
            findings = [f for f in findings if f.kind != "rollback_schema_drift"]
            reason = f"{reason} ({skipped[0]})"
            left = tuple(f"left by the rollback: {d}" for d in drift.differences)
            details = (*details, *skipped[1:], *left)
        return [
            *findings,
            Finding(
                failure_kind(exc, "reapply_error"),
                migration.label,
                f"does not apply again after its rollback{data_note}: {reason}",
                details,
                example,
                check=check,
                **_located(exc),
            ),
        ]
    redo_schema = read_schema()
    redo = diff_schemas(before_schema, redo_schema)
    if redo:
        findings.append(
            drift_finding(
                "reapply_schema_drift",
                migration.label,
                "after rollback and re-apply the schema differs from the first application",
                redo,
                positional_sources(engine, k, redo_schema),
                example,
                check,
            )
        )
    scope = integrity_scope(reapplied, up, after_schema, redo_schema, before_schema)
    if fk_tables is not None:
        # The orphans were read before the rollback: what it broke counts again here.
        fk_tables = _union_in(redo_schema, fk_tables, fk_scope(up, after_schema, redo_schema))
    return findings + _integrity(conn, migration, example, check, scope, orphans, fk_tables)


def _union_in(schema: Schema, *scopes: frozenset[str] | None) -> frozenset[str] | None:
    """The tables of ``schema`` in any of ``scopes`` (``None``: every table)."""
    if any(scope is None for scope in scopes):
        return None
    wanted = {name.lower() for scope in scopes if scope is not None for name in scope}
    lower = schema.by_lower_name
    return frozenset(lower[name].name for name in wanted if name in lower)


def _deploy_loss(engine: Engine, k: int, finding: Finding, table: str) -> Finding:
    """MH145 for a rollback's loss in a table k's own deploy created (ship groups).

    Every file of a ship group runs in one go, so no release runs at the versions inside
    it: a way back ends at the version before the group, where the table does not exist,
    and its rows are gone whatever this rollback does to them. Only a rollback that stops
    inside the group, at a schema no release ran, keeps what this one loses: a warning,
    not an error (not provable from the set: it is how the set is rolled back).
    """
    if finding.code != LOSS or table.lower() not in engine.deploys.created(k):
        return finding
    group = engine.deploys.group_of[k]
    first = engine.name_of(group.start)
    before = engine.name_of(group.start - 1)
    commit = f" (commit {group.commit[:8]})" if group.commit else ""
    message = (
        f"{finding.message.split(' held while', 1)[0]}, a table its own deploy created: "
        f"it ships with {first}{commit}, so rolling that deploy back to {before} removes "
        f"{table} anyway; only a rollback that stops inside the deploy, at a version no "
        "release ran, keeps these rows"
    )
    return dataclasses.replace(finding, code=GROUP_CREATED, message=message)


def _skipped_rollback(engine: Engine, migration: Migration) -> tuple[str, ...]:
    """What the runner leaves out of k's rollback: a cause in words, then the runner's note.

    Empty when it runs the whole rollback. liamstask goose drops a Down section's
    unterminated text and reports success, so what the round trip then finds (the schema
    left as it was, the re-apply failing on it) is that one defect.
    """
    note = engine.target.skipped(migration.down_sql or "", migration.down_options)
    if note is None:
        return ()
    try:
        plan = engine.target.plan(migration.down_sql or "", "", migration.down_options)
        runs = "runs nothing" if not plan.statements else "runs only what comes before it"
    except HarnessError:
        runs = "stops"  # refused: the rollback fails first, and says so itself
    cause = (
        f"{engine.target.name} skips the rollback's unterminated statement and reports "
        f"success, so the rollback {runs}"
    )
    return (cause, note)


def _integrity(
    conn: sqlite3.Connection,
    migration: Migration,
    example: dict[str, Any],
    check: str,
    scope: Collection[str] | None,
    orphans: frozenset[tuple[str, int, str]] = frozenset(),
    fk_tables: Collection[str] | None = None,
) -> list[Finding]:
    """Report ``fk_violation`` and ``integrity_error`` after a step with valid data.

    ``PRAGMA foreign_key_check`` and ``PRAGMA integrity_check`` (of ``scope``, see
    ``integrity_scope``) must both be clean; ``orphans`` broke their foreign key before
    the step (keys off), so only the step's new ones count; ``fk_tables``: the tables
    whose foreign keys the steps since ``orphans`` was read can break (``None``: all).
    """
    findings = []
    count, details, broken = integrity_problems(conn, scope, orphans, fk_tables)
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


def forbids_after(
    engine: Engine,
    conn: sqlite3.Connection,
    before: Rows,
    schemas: tuple[Schema, Schema],
    statements: Sequence[Statement] = (),
) -> Callable[[Loss], str | None]:
    """The ``forbids`` test of :func:`_loss_finding` for the database ``conn`` after a step.

    ``statements``: the step's file (what its copies compute from the old rows).
    """
    keys = engine.target.d1 or engine.target.foreign_keys
    return lambda loss: forbidden_by(conn, loss, before, schemas, keys, statements)


def _loss_finding(
    migration: Migration,
    loss: Loss,
    file: tuple[Sequence[Statement], Schema, Schema],
    where: str,
    example: dict[str, Any],
    check: str = "apply_keeps_data",
    forbids: Callable[[Loss], str | None] | None = None,
    *,
    table: str | None = None,
) -> Finding:
    """A ``data_loss`` finding: MH141, MH142 (a declared rewrite) or MH143 (forbidden rows).

    MH142 names what the file declares it rewrites, MH143 the new constraints that refuse
    every lost row. ``file`` is the step's statements and the schemas around it;
    ``check`` decides the direction (``apply_keeps_data`` is the only check of the
    forward step); ``forbids`` asks the database after the step which new constraint
    refuses the lost rows (:func:`~migration_harness.checks.forbidden.forbidden_by`);
    ``table`` is the one table ``loss`` is about.
    """
    direction = "apply" if check == "apply_keeps_data" else "rollback"
    doing = "applying it" if direction == "apply" else "rolling it back"
    forward = direction == "apply"
    text = migration.up_sql if forward else ""
    verdict = judge_loss(loss, *file, table=table, forward=forward, text=text)
    code = verdict.code
    message = f"{doing} loses or changes {count_loss(loss)} {where}"
    if verdict.reason:
        message += f": {verdict.reason}"
    refused = forbids(loss) if forbids is not None and code == LOSS else None
    if refused is not None:
        code = FORBIDDEN
        message = (
            f"{doing} drops {count_loss(loss)} {where}, which the new schema forbids "
            f"({refused}): those rows are dropped by design of the new schema"
        )
    elif verdict.code == REWRITE:
        changes = {(True, False): "removes", (True, True): "removes and rewrites"}.get(
            (bool(loss.rows_lost), bool(loss.cells_changed)), "rewrites"
        )
        message = f"{doing} {changes} {count_loss(loss)} {where}, as the file says: " + "; ".join(
            verdict.declared
        )
    return Finding(
        "data_loss", migration.label, message, loss.problems, example, direction, check,
        code=code,
    )  # fmt: skip


def _located(exc: MigrationError) -> dict[str, Any]:
    """A finding's ``file``, ``line`` and ``statement`` for the failure it reports."""
    return {"file": exc.file, "line": exc.line, "statement": exc.statement}


def _statement_detail(exc: MigrationError) -> tuple[str, ...]:
    """The failing statement and where it is, for the finding's details."""
    if exc.statement is None:
        return (f"file: {exc.path}",)
    return (f"file: {exc.path}", f"statement: {' '.join(exc.statement.split())[:300]}")
