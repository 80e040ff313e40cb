"""The checks of applying a migration: it applies, keeps data, and is safe to re-run.

Split out of :mod:`migration_harness.checks.properties` (which still lists every check in
:data:`~migration_harness.checks.properties.CHECKS` and re-exports these names).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from migration_harness.checks.dangling import check_dangling
from migration_harness.checks.deploys import orphaned
from migration_harness.checks.dropcascade import cascaded, drop_reach, read_keyed
from migration_harness.checks.dropped_moves import lost_in_moves
from migration_harness.checks.duplicates import duplicate_seeds, new_unique_keys
from migration_harness.checks.engine import Engine
from migration_harness.checks.fkscope import fk_scope, orphan_scope
from migration_harness.checks.fractions import (
    computed_columns,
    fraction_finding,
    integer_columns,
    stored_fractions,
)
from migration_harness.checks.leadin import Start, forward_start, run_lead, worth_drawing
from migration_harness.checks.links import dropped_links, linked_seeds
from migration_harness.checks.loss import (
    cut_values,
    loss_by_table,
    own_update_loss,
    record_apply_loss,
    self_derived,
)
from migration_harness.checks.nulled import nulled_findings, nulled_values, subquery_columns
from migration_harness.checks.outcomes import example_later, failure_kind, rendering
from migration_harness.checks.recreated import recreated_empty
from migration_harness.checks.refills import derive, refilled_tables
from migration_harness.checks.refused import check_refused_writes
from migration_harness.checks.scope import (
    fk_orphans,
    integrity_scope,
    relevant_tables,
    rerun_sql,
    row_changes,
    unguardable_statements,
)
from migration_harness.checks.shared import (
    Property,
    _integrity,
    _located,
    _loss_finding,
    _run,
    _statement_detail,
    _unreachable_failure,
    forbids_after,
)
from migration_harness.checks.stamped import (
    backfilled,
    stamped_findings,
    stamped_over,
    updated_only,
)
from migration_harness.checks.tightening import TIGHTENED, tightened
from migration_harness.data.rows import Change, Loss, compare, read_all, renames_in, written_tables
from migration_harness.data.strategies import Dataset
from migration_harness.errors import MigrationError
from migration_harness.report.findings import Finding
from migration_harness.schema import cookie
from migration_harness.schema.diff import diff_schemas
from migration_harness.schema.keygraph import key_graph
from migration_harness.schema.model import Schema, introspect
from migration_harness.sets import runner
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import Statement, split_statements
from migration_harness.sets.targets import Target


def check_apply(engine: Engine, k: int) -> list[Finding]:
    """``apply_error``: migration k applies on top of 1..k-1 (on an empty database).

    ``runner_conflict``: k's files contradict how the target runs them (``BEGIN`` or
    ``PRAGMA foreign_keys`` inside a file the runner wraps in a transaction, a per-file
    opt-out the runner does not have). ``dangling_reference`` / ``fk_violation``: k
    applies, but leaves a view, trigger or foreign key naming what does not exist
    (:func:`~migration_harness.checks.dangling.check_dangling`). ``write_refused``: k
    leaves a trigger that refuses every ordinary INSERT into its table
    (:func:`~migration_harness.checks.refused.check_refused_writes`).
    """
    migration = engine.migrations[k - 1]
    if migration.program is not None:
        return []  # code, not SQL: the run's note names it
    findings = runner_conflicts(engine.target, migration, *schemas_around(engine, k))
    failure = engine.apply_failure
    if failure is None or failure[0] != k:
        # A version past where the build stopped: only the file itself can be judged.
        unreached = not engine.available(k)
        if unreached:
            return findings + _unreachable_failure(engine, k, "apply")
        return findings + check_dangling(engine, k) + check_refused_writes(engine, k)
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


def runner_conflicts(
    target: Target,
    migration: Migration,
    before: Schema | None = None,
    after: Schema | None = None,
) -> list[Finding]:
    """``runner_conflict`` findings for both files of ``migration`` under ``target``.

    Found from the file and the target's plan alone: a ``PRAGMA foreign_keys = OFF`` that
    SQLite silently ignores leaves no trace in the data unless a cascade fires, so the
    data checks alone would miss it on most datasets. ``before`` and ``after``: the
    schemas the forward file and the rollback run on, where built; an ignored ``OFF``
    that nothing in that schema makes matter (a rebuild of a table no key references) is
    no conflict (:func:`~migration_harness.sets.fkpragmas.ignored_pragmas`).
    """
    sides = [("apply", migration.up_sql, migration.up_options, migration.path, before)]
    if migration.down_sql is not None:
        down_path = migration.down_path or migration.path
        sides.append(("rollback", migration.down_sql, migration.down_options, down_path, after))
    findings = []
    for direction, sql, options, path, schema in sides:
        graph = key_graph(schema) if schema is not None else None
        conflicts = target.conflicts(sql, options, graph)
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


def schemas_around(engine: Engine, k: int) -> tuple[Schema | None, Schema | None]:
    """The schemas migration k's forward file and rollback run on, where built."""
    before = engine.versions[k - 1].schema if engine.available(k - 1) else None
    after = engine.versions[k].schema if engine.available(k) else None
    return before, after


def schema_before(engine: Engine) -> Callable[[Migration], Schema | None]:
    """The schema each migration's forward file starts on, where the engine built it."""
    positions = {m.label: k for k, m in enumerate(engine.migrations, start=1)}

    def before(migration: Migration) -> Schema | None:
        k = positions.get(migration.label)
        return engine.versions[k - 1].schema if k is not None and engine.available(k - 1) else None

    return before


def check_apply_keeps_data(engine: Engine, k: int) -> list[Finding]:
    """``data_loss`` (apply), ``apply_error`` on data, ``fk_violation``, ``integrity_error``.

    With a generated dataset at k-1, applying k must keep every row and value of the tables
    and columns that survive k.
    """
    return _run("apply_keeps_data", engine, k, apply_keeps_data_property(engine, k))


def apply_keeps_data_property(engine: Engine, k: int) -> Property | None:
    """The ``apply_keeps_data`` property of migration k (``None``: nothing to check)."""
    migration = engine.migrations[k - 1]
    if k < 2 or not engine.available(k - 1):
        return None
    before_schema = engine.versions[k - 1].schema
    statements = split_statements(migration.up_sql)
    tables = relevant_tables(before_schema, statements, engine.populated(k - 1))
    # Tables an earlier file of k's ship group created hold no application rows yet:
    # a later file of a group starts from the deployed version (see checks.leadin).
    start = forward_start(engine, k, statements, tables)
    if not worth_drawing(engine, k, start, tables):
        return None
    intended = written_tables(statements)
    renames = renames_in(statements)
    # A column moved by hand (ADD new, SET new = old, DROP old) is compared under its old
    # name: its new values are computed from it, so a cut there is the move's.
    derived = self_derived(statements) | {(t.lower(), old.lower()) for t, old, _ in renames.columns}
    updated = updated_only(statements) or {}
    subqueried = subquery_columns(statements)
    read_scope = orphan_scope(statements, before_schema)
    after_k = engine.versions[k].schema if engine.available(k) else None
    refilled = refilled_tables(statements, before_schema, after_k) if after_k else {}
    emptied = set(recreated_empty(statements, migration.up_sql).values())
    reached = drop_reach(statements, before_schema, intended, emptied)
    whole = integer_columns(computed_columns(statements), after_k) if after_k else {}

    def body(dataset: Dataset) -> list[Finding]:
        conn = engine.start(start.scope)
        try:
            engine.insert(conn, dataset)
            if orphaned(conn, start.keys):
                return []  # rows production cannot hold (see Engine.datasets)
            if not run_lead(engine, conn, start):
                return []  # the earlier file's own example reports it
            derive(conn, refilled, before_schema)  # derived rows are what their sources say
            before = read_all(conn, before_schema, tables)
            orphans = fk_orphans(conn, read_scope)
            example = example_later([*start.steps, f"apply {migration.id}"])
            held = read_keyed(conn, before_schema, whole) if whole else {}
            image = conn.serialize() if reached else None  # for the keys-off re-run
            try:
                runner.apply(conn, migration, engine.target)
            except MigrationError as exc:
                return [_data_failure(engine, k, exc, example)]
            after_schema = engine.widen(
                start.scope, introspect(conn, exclude=runner.bookkeeping_tables(engine.target))
            )
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
            fk = None if read_scope is None else fk_scope(statements, before_schema, after_schema)
            findings = _integrity(conn, migration, example, "apply_keeps_data", scope, orphans, fk)
            file = (statements, engine.hinted(k - 1), after_schema)
            schemas = (before_schema, after_schema)
            forbids = forbids_after(engine, conn, before, schemas, statements)
            losses = [
                _loss_finding(
                    migration, part, file, f"of {table}", example, forbids=forbids, table=table
                )
                for table, part in loss_by_table(loss, before, before_schema, compare_one)
            ]
            losses.extend(lost_in_moves(migration, statements, schemas, conn, before, example))
            own = {t: before[t] for t in intended if t in before}
            if own and derived:
                changed = compare(own, before_schema, after, after_schema, renames=renames)
                cut = cut_values(changed, derived)
                losses.extend(_cut_finding(migration, cut, example))
            touched = {t: c for t, c in backfilled(updated, before_schema).items() if t in before}
            if touched:
                rows = {t: before[t] for t in touched}
                changed = compare(rows, before_schema, after, after_schema, renames=renames)
                stamped = stamped_over(changed, touched, before_schema, after_schema)
                losses.extend(stamped_findings(migration, stamped, example))
            rewritten = {t: before[t] for t, _ in subqueried if t in before}
            if rewritten:
                changed = compare(rewritten, before_schema, after, after_schema, renames=renames)
                nulled = nulled_values(changed, subqueried)
                losses.extend(nulled_findings(migration, nulled, example))
            if whole:
                fractions = stored_fractions(whole, held, read_keyed(conn, after_schema, whole))
                losses.extend(fraction_finding(migration, fractions, example))
            if image is not None:
                step = functools.partial(runner.apply, migration=migration, target=engine.target)
                state = (conn, image, after_schema)
                losses.extend(cascaded(engine, migration, state, reached, step, example))
            return losses + findings
        finally:
            conn.close()

    seeds = _seeds(_duplicates(engine, k, start), _links(engine, k, start, statements))
    return Property(start.strategy, rendering(body), seeds=seeds)


Seeds = Callable[[], tuple[Dataset, ...]]


def _seeds(*makers: Seeds | None) -> Seeds | None:
    """The seeded datasets of every maker given (``None``: no maker)."""
    present = [m for m in makers if m is not None]
    if not present:
        return None
    return lambda: tuple(d for make in present for d in make())


def _links(engine: Engine, k: int, start: Start, statements: Sequence[Statement]) -> Seeds | None:
    """Datasets linking rows through each nullable key a DROP TABLE of k fires (links.py).

    Only where the rows are drawn at k-1 itself (no ship-group lead-in in between).
    """
    if start.lead or not engine.available(k - 1):
        return None
    before = engine.versions[k - 1].schema
    links = dropped_links(statements, before, start.drawn)
    if not links:
        return None
    return lambda: linked_seeds(start.strategy, before, links)


def _cut_finding(
    migration: Migration, cut: Sequence[Change], example: dict[str, Any]
) -> list[Finding]:
    """MH141 for values the file's own UPDATE cut short (see :func:`cut_values`), per table."""
    findings = []
    for table in sorted({change.table for change in cut}):
        mine = [change for change in cut if change.table == table]
        first = mine[0]
        message = (
            f"applying it cuts {len(mine)} value(s) of {table} its own UPDATE rewrites: "
            f"{first.column} {first.old!r} becomes {first.new!r}"
        )
        details = tuple(f"{c.table}.{c.column}: {c.old!r} -> {c.new!r}" for c in mine)
        findings.append(own_update_loss(migration, message, details, example))
    return findings


def _duplicates(engine: Engine, k: int, start: Start) -> Callable[[], tuple[Dataset, ...]] | None:
    """Datasets sharing each UNIQUE key k adds over rows drawn before it (``None``: none).

    Random draws alone found such a key on some runs and not others (issue 13's alook 0040
    and Plume's eleven constraints, see :mod:`~migration_harness.checks.duplicates`). The
    rows are paired where they are drawn (the deployed version, for a later file of a
    ship group), on keys whose columns are there.
    """
    if not engine.available(k):
        return None
    at = start.scope.k
    drawn_at = engine.versions[at].schema
    tables = {name.lower() for name in start.drawn}
    keys = [
        key
        for key in new_unique_keys(engine.versions[k - 1].schema, engine.versions[k].schema)
        if key.table.lower() in tables and _has_columns(drawn_at, key.table, key.columns)
    ]
    if not keys:
        return None
    existing = engine.versions[at].rows
    return lambda: duplicate_seeds(start.strategy, engine.hinted(at), keys, existing)


def _has_columns(schema: Schema, table: str, columns: Sequence[str]) -> bool:
    """Whether ``table`` of ``schema`` has every one of ``columns``."""
    found = schema.by_lower_name.get(table.lower())
    have = {c.name.lower() for c in found.columns} if found is not None else set()
    return bool(have) and {c.lower() for c in columns} <= have


def _data_failure(engine: Engine, k: int, exc: MigrationError, example: dict[str, Any]) -> Finding:
    """``apply_error``: k fails on generated data valid at k-1.

    MH104 (a warning) when k only adds a NOT NULL/CHECK the rows' values break
    (:mod:`~migration_harness.checks.tightening`): the file applies to the empty database,
    and the rows are generated, not production's (``check --data`` keeps it MH101).
    """
    migration = engine.migrations[k - 1]
    message = f"fails on data valid at {engine.name_of(k - 1)}: {exc.reason}"
    code = ""
    kind = failure_kind(exc, "apply_error")
    if kind == "apply_error" and engine.available(k) and not engine.holds_real(k - 1):
        statements = split_statements(migration.up_sql)
        before, after = engine.versions[k - 1].schema, engine.versions[k].schema
        holding = tightened(exc.reason, exc.statement, statements, before, after)
        if holding is not None:
            code = TIGHTENED
            message = (
                f"data-dependent change: fails on rows holding {holding} "
                f"({exc.reason}); backfill or guard first"
            )
    return Finding(
        kind, migration.label, message, _statement_detail(exc), example,
        check="apply_keeps_data", code=code, **_located(exc),
    )  # fmt: skip


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
    rerun = rerun_sql(statements, engine.target.statement_separator, engine.target.statement_block)
    if not rerun:
        return None
    tables = relevant_tables(engine.versions[k].schema, statements, engine.populated(k))
    start = forward_start(engine, k, statements, tables)

    def body(dataset: Dataset) -> list[Finding]:
        conn = engine.start(start.scope)
        try:
            engine.insert(conn, dataset)
            if orphaned(conn, start.keys):
                return []  # rows production cannot hold (see Engine.datasets)
            if not run_lead(engine, conn, start):
                return []  # the earlier file's own example reports it
            try:
                runner.apply(conn, migration, engine.target)
            except MigrationError:
                return []  # apply_keeps_data reports a file that fails on valid data
            seen = cookie.read(conn, exclude=runner.bookkeeping_tables(engine.target))
            schema = engine.widen(start.scope, seen.schema)
            before = read_all(conn, schema, tables)
            example = example_later(
                [
                    *start.steps,
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
            # A guarded re-run usually changes no definition: the cookie says so.
            after_schema = engine.widen(
                start.scope, cookie.read_again(conn, seen, statements).schema
            )
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

    return Property(start.strategy, rendering(body), share=0.2)
