"""Replayable histories: the :class:`History` that runs a list of :class:`Step` records.

Split out of :mod:`migration_harness.checks.machine` so the database a history drives
(apply, roll back, re-run, write rows, then check the invariants) lives apart from the
Hypothesis state machine, shrinking and replay that generate the steps. The step record
itself is :mod:`~migration_harness.checks.steps`, the application's writes
:mod:`~migration_harness.checks.writes`, and the memory of the rows each file made (a
re-run's seeds against its duplicates) :mod:`~migration_harness.checks.seedrows`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Final

from migration_harness.checks.counters import COUNTER, autoincrement_counters, counter_drops
from migration_harness.checks.drift import (
    COSMETIC,
    drift_finding,
    is_cosmetic,
    positional_sources,
)
from migration_harness.checks.engine import Engine
from migration_harness.checks.loss import record_rollback_loss
from migration_harness.checks.outcomes import failure_kind
from migration_harness.checks.repeatables import reference
from migration_harness.checks.scope import (
    fk_orphans,
    fk_violations,
    integrity_problems,
    rerun_sql,
    row_changes,
)
from migration_harness.checks.seedrows import Contents, Made, made_by, unexplained_rows
from migration_harness.checks.steps import Step
from migration_harness.checks.verify import verify_failure
from migration_harness.checks.writes import write
from migration_harness.data.rows import Renames, Rows, compare, read_all, renames_in, written_tables
from migration_harness.errors import MigrationError
from migration_harness.report.findings import Finding
from migration_harness.schema.diff import diff_schemas
from migration_harness.schema.model import Schema, introspect
from migration_harness.sets import runner
from migration_harness.sets.sql import split_statements

__all__ = ["History", "Step"]

# Steps that are the application writing rows (the rest move the version or re-run it).
_WRITES: Final = frozenset({"insert", "update", "delete"})


class History:
    """A live database moved through a history, checked after every step.

    The same object drives the Hypothesis machine and ``replay``, so a regression file
    replays through exactly the code that found it.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # The target runner's tracking tables and the harness's: no user rows there.
        self._bookkeeping = runner.bookkeeping_tables(engine.target)
        # With real data (``--data``) histories start from the real rows, at their version.
        self.version = engine.real_at or 0
        self.conn = engine.restore(self.version)
        self.steps: list[Step] = []
        self.applied_before: set[int] = set()
        # Idempotency means "the file twice in a row changes nothing": once the
        # application has written a table since file k last ran, seed rows a re-run of k
        # puts back there are no defect. Per version, the tables the application wrote
        # since that file ran; every other table still shows what a re-run changes,
        # including changes later migrations left behind.
        self.written: dict[int, set[str]] = {}
        self.made: dict[int, Made] = {}
        self.made_contents: dict[int, Contents] = {}
        # The foreign-key orphans of the live database as the last step left it, read in
        # full by that step (after a write, or by ``_invariants`` after a move); ``None``
        # until a step has read them. Nothing writes between steps, so the next move and
        # the re-run probe's copy start from exactly these: one whole-database
        # ``foreign_key_check`` per step instead of three (issue 17).
        self._orphans: frozenset[tuple[str, int, str]] | None = None
        # The live database's rows and schema as the last version move read them (the
        # schema its drift check introspected); ``None`` once anything may have written.
        # The re-run probe's copy, and the next move, start from exactly this state.
        self._read: tuple[Rows, Schema] | None = None
        self._actual: Schema | None = None  # the schema ``_drift`` introspected last

    @property
    def schema(self) -> Schema:
        """The reference schema of the current version."""
        return self.engine.versions[self.version].schema

    def run(self, step: Step) -> list[Finding]:
        """Perform one step; return the findings it produced."""
        self.steps.append(step)
        handler = getattr(self, f"_{step.op}")
        moves = step.op in ("apply", "rollback", "rerun")
        orphans = self._orphans_now() if moves else frozenset()
        self._orphans = None
        if not moves:  # the application writes: the last reading no longer holds
            self._read = None
        findings: list[Finding] = handler(step)
        if not moves:  # rows the history wrote with keys off are its own, not a migration's
            orphans = self._orphans = fk_orphans(self.conn)
        if step.op in ("insert", "update", "delete"):
            tables = {r["table"] for r in step.rows} if step.op == "insert" else {step.table}
            affected = self._affected({t for t in tables if t is not None})
            for written in self.written.values():
                written |= affected
        elif step.op in ("apply", "rerun"):
            self.written[self.version] = set()
        elif step.op == "rollback":
            self.written.pop(self.version + 1, None)
        findings = findings or self._invariants(step, orphans)
        if not findings and step.op in ("apply", "rollback"):
            findings = self._probe_rerun()
        if findings:
            self._orphans = self._read = None
        return findings

    def _orphans_now(self) -> frozenset[tuple[str, int, str]]:
        """The live database's orphans: as the last step read them, else read now."""
        if self._orphans is None:
            self._orphans = fk_orphans(self.conn)
        return self._orphans

    def _probe_rerun(self) -> list[Finding]:
        """Re-run the current file right after every version move, on the same database.

        A person re-runs a file just after a deploy or a rollback; as a random rule, that
        re-run must land exactly there and is drawn too rarely. Here it is tried after
        every move and undone when it passes; when it fails, it stays in the history as an
        explicit ``rerun`` step, so the regression replays it like any other step.
        """
        k = self.version
        if k == 0:
            return []
        migration = self.engine.migrations[k - 1]
        if not rerun_sql(split_statements(migration.up_sql)):
            return []
        # The re-run runs on a copy: deserializing into the live connection would leave its
        # cached prepared statements pointing at freed pages (sqlite3 crashed on it).
        orphans = self._orphans_now()  # the copy's, as it is the live database's
        probe = self.engine.open(self.conn.serialize())
        live, self.conn = self.conn, probe
        read = self._read  # the copy's reading too, kept for the live one
        step = Step("rerun", migration.id)
        self.steps.append(step)
        findings = self._rerun(step) or self._invariants(step, orphans)
        if findings:
            live.close()  # the history ends here, in the re-run's state
            return findings
        self.steps.pop()
        self.conn = live
        self._orphans, self._read = orphans, read
        probe.close()
        return []

    def close(self) -> None:
        """Release the database."""
        self.conn.close()

    # -- version moves ------------------------------------------------------------------

    def _apply(self, step: Step) -> list[Finding]:
        k = self.version + 1
        migration = self.engine.migrations[k - 1]
        before, before_schema = self._contents()
        counters = autoincrement_counters(self.conn, self._bookkeeping)
        self._read = None
        try:
            runner.apply(self.conn, migration, self.engine.target)
        except MigrationError as exc:
            kind = "reapply_error" if k in self.applied_before else "apply_error"
            return [
                self._finding(
                    failure_kind(exc, kind), k, f"does not apply after this history: {exc.reason}"
                )
            ]
        self.version = k
        kind = "reapply_schema_drift" if k in self.applied_before else "apply_error"
        self.applied_before.add(k)
        drift = self._drift(kind) or self._verify()
        if drift:
            return drift
        renames = renames_in(split_statements(migration.up_sql))
        after = read_all(self.conn, self.schema)
        self._remember_made(after)
        self._read = self._reading(after)
        return self._loss(
            before, before_schema, after, migration.up_sql, "apply", k, renames, counters
        )

    def _rollback(self, step: Step) -> list[Finding]:
        k = self.version
        migration = self.engine.migrations[k - 1]
        before, before_schema = self._contents()
        counters = autoincrement_counters(self.conn, self._bookkeeping)
        self._read = None
        try:
            runner.rollback(self.conn, migration, self.engine.target)
        except MigrationError as exc:
            return [
                self._finding(
                    failure_kind(exc, "rollback_error"),
                    k,
                    f"rollback fails after this history: {exc.reason}",
                )
            ]
        self.version = k - 1
        drift = self._drift("rollback_schema_drift", migration_version=k) or self._verify()
        if drift:
            return drift
        down = migration.down_sql or ""
        # A table or column k renamed existed before k: the rollback brings its data back.
        renames = renames_in(split_statements(down)).then_undoing(
            renames_in(split_statements(migration.up_sql))
        )
        after = read_all(self.conn, self.schema)
        self._read = self._reading(after)
        return self._loss(before, before_schema, after, down, "rollback", k, renames, counters)

    def _rerun(self, step: Step) -> list[Finding]:
        k = self.version
        migration = self.engine.migrations[k - 1]
        sql = rerun_sql(
            split_statements(migration.up_sql),
            self.engine.target.statement_separator,
            self.engine.target.statement_block,
        )
        if not sql:
            return []
        # Compared with the schema before the re-run, not the version's reference: a
        # cosmetic round-trip drift the history went on past is no change the re-run made.
        before, before_schema = self._contents()
        self._read = None
        try:
            runner.execute(self.conn, sql, migration.path, self.engine.target, migration.up_options)
        except MigrationError as exc:
            return [
                self._finding(
                    failure_kind(exc, "not_idempotent"),
                    k,
                    f"running the file a second time fails: {exc.reason}",
                )
            ]
        after_schema = introspect(self.conn, exclude=self._bookkeeping)
        drift = diff_schemas(before_schema, after_schema)
        if drift:
            return [
                self._finding(
                    "not_idempotent",
                    k,
                    "running the file a second time changes the schema",
                    drift.differences,
                )
            ]
        after = read_all(self.conn, self.schema)
        excused = self.written.get(k, set())
        changes = row_changes(
            {t: r for t, r in before.items() if t not in excused},
            {t: r for t, r in after.items() if t not in excused},
        )
        remembered = (self.made.get(k, {}), self.made_contents.get(k, {}))
        changes += unexplained_rows(
            self.schema, migration.up_sql, remembered, excused, before, after
        )
        if changes:
            return [
                self._finding(
                    "not_idempotent",
                    k,
                    "running the file a second time changes the data",
                    tuple(changes),
                )
            ]
        self._remember_made(after, again=True)
        return []

    # -- data -----------------------------------------------------------------------------

    def _write(self, step: Step) -> list[Finding]:
        """The application's write (:mod:`~migration_harness.checks.writes`): no finding itself."""
        write(self.conn, step, foreign_keys=self.engine.target.foreign_keys)
        return []

    _insert = _update = _delete = _write

    def _remember_made(self, rows: Rows, *, again: bool = False) -> None:
        """The keys every table holds right after file k ran (its seed rows).

        And, for a table whose id is the rowid, each row without that id (what a seed put
        back under a new id still holds), kept across re-runs (``again``) since the file
        was applied: a seed the application edited since is still one the file made.
        """
        made, contents = made_by(self.schema, rows)
        self.made[self.version] = made
        if again:
            for table, counted in self.made_contents.get(self.version, {}).items():
                contents[table] = contents.get(table, Counter()) | counted
        self.made_contents[self.version] = contents

    def _affected(self, tables: set[str]) -> set[str]:
        """The tables a write to ``tables`` can change.

        ON DELETE/UPDATE actions reach the children, and a trigger can reach anything.
        """
        schema = self.schema
        return set(schema.tables) if schema.triggers else schema.with_children(tables)

    # -- checks -------------------------------------------------------------------------

    def _contents(self) -> tuple[Rows, Schema]:
        """The live database's rows and schema: as the last move read them, else read now."""
        if self._read is not None:
            return self._read
        schema = introspect(self.conn, exclude=self._bookkeeping)
        return read_all(self.conn, schema), schema

    def _reading(self, after: Rows) -> tuple[Rows, Schema] | None:
        """What :meth:`_contents` would read now, given ``after`` read under the reference.

        ``_drift`` has just introspected the database (``_actual``); ``read_all`` under it
        reads the same tables in the same order as under the reference schema unless a
        cosmetic drift was let pass, and then ``None`` (read again when asked).
        """
        actual = self._actual
        if actual is None or _read_order(actual) != _read_order(self.schema):
            return None
        return after, actual

    def _drift(self, kind: str, *, migration_version: int | None = None) -> list[Finding]:
        """The schema is the version's reference, or a finding says how it is not.

        A round-trip drift that changes no behaviour (columns reordered, a type spelt
        otherwise: checks/drift.py) lets the history go on: the rollback property reports
        it as a warning for the migration, and stopping here would hide what the rest of
        the history breaks.
        """
        actual = self._actual = introspect(self.conn, exclude=self._bookkeeping)
        drift = diff_schemas(reference(self.engine, self.version, actual), actual)
        if not drift:
            return []
        version = migration_version or self.version
        message = f"after this history the schema differs from {self.engine.name_of(self.version)}"
        uses = positional_sources(self.engine, version, actual)
        if is_cosmetic(drift, uses):
            # Only an earlier cosmetic round trip can leave one before a first apply too.
            return []
        base = self._finding(kind, version, message)
        if kind not in COSMETIC:
            return [dataclasses.replace(base, details=drift.differences)]
        label = base.migration or ""
        return [drift_finding(kind, label, message, drift, uses, base.example, base.check)]

    def _loss(
        self,
        before: Rows,
        before_schema: Schema,
        after: Rows,
        sql: str,
        direction: str,
        k: int,
        renames: Renames,
        counters: dict[str, int],
    ) -> list[Finding]:
        """Rows and AUTOINCREMENT counters a version move lost.

        Called once ``_drift`` found the schema equal to the version's reference, so the
        reference stands for the schema after the step.
        """
        loss = compare(
            before,
            before_schema,
            after,
            self.schema,
            intended=written_tables(split_statements(sql)),
            renames=renames,
        )
        drops = counter_drops(self.conn, counters, self.schema, self._bookkeeping)
        problems = [*loss.problems, *drops]
        if not problems:
            return []
        if direction == "rollback":  # the matrix counts what any rollback lost
            record_rollback_loss(self.engine.infos[self.engine.migrations[k - 1].version], loss)
        verb = "applying" if direction == "apply" else "rolling back"
        if not loss.problems:
            # Every row is kept; only ids of deleted rows come back (lint's MH219 warning):
            # Prisma and drizzle-kit rebuild every AUTOINCREMENT table this way.
            message = f"{verb} it after this history sets AUTOINCREMENT counters back"
            return [self._finding("data_loss", k, message, tuple(drops), direction, COUNTER)]
        return [
            self._finding(
                "data_loss",
                k,
                f"{verb} it after this history loses or "
                "changes rows of tables that survive the step",
                tuple(problems),
                direction,
            )
        ]

    def _invariants(
        self, step: Step, orphans: frozenset[tuple[str, int, str]] = frozenset()
    ) -> list[Finding]:
        k = self.version
        applied = [
            r.name for r in runner.applied_rows(self.conn, self.engine.mset, self.engine.target)
        ]
        expected = [m.id for m in self.engine.migrations[:k]]
        findings = []
        if sorted(applied) != sorted(expected):
            findings.append(
                self._finding(
                    "integrity_error",
                    max(k, 1),
                    "the tracking table disagrees with the version",
                    (f"recorded: {applied}", f"expected: {expected}"),
                )
            )
        # The application's own writes are held to the schema as SQLite writes them: they
        # cannot make integrity_check fail, so only a version move (or re-run) reads it.
        # Their orphans were read after the write (``run``), so every foreign-key
        # violation now is a known one: no second read either.
        scope = () if step.op in _WRITES else None
        found = fk_violations(self.conn, scope)
        if scope is None:  # the whole database's, kept for the next read of this state
            self._orphans = frozenset((t, r, p) for t, r, p, _ in found)
        count, details, broken = integrity_problems(
            self.conn, scope, orphans, scope, violations=found
        )
        if count:
            findings.append(
                self._finding(
                    "fk_violation",
                    max(k, 1),
                    f"{count} row(s) break a foreign key after {step.describe()}",
                    details,
                )
            )
        if broken:
            findings.append(
                self._finding("integrity_error", max(k, 1), "integrity_check fails", broken)
            )
        return findings

    def _verify(self) -> list[Finding]:
        """Sqitch's verify script of the newest deployed change, after every version move."""
        if self.version < 1:
            return []
        migration = self.engine.migrations[self.version - 1]
        if "verify_sql" in migration.runner_data:
            self._actual = None  # a script ran after the drift check read the schema
        failure = verify_failure(self.conn, migration, self.engine.target)
        if failure is None:
            return []
        message = f"its verify script fails after this history: {failure.reason}"
        return [self._finding("verify_error", self.version, message, (f"file: {failure.path}",))]

    def _finding(
        self,
        kind: str,
        k: int,
        message: str,
        details: tuple[str, ...] = (),
        direction: str | None = None,
        code: str = "",
    ) -> Finding:
        migration = self.engine.migrations[k - 1] if k >= 1 else None
        example = {
            "steps": [s.describe() for s in self.steps],
            "history": [s.to_json() for s in self.steps],
        }
        return Finding(
            kind,
            migration.label if migration else None,
            message,
            details,
            example,
            direction,
            "stateful",
            code,
        )


def _read_order(schema: Schema) -> list[str]:
    """The keys ``read_all`` gives a reading under ``schema``, in its order."""
    return [t.name.lower() for t in schema.tables.values() if not t.virtual]
