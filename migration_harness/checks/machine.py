"""Stateful fuzzing of migration histories.

Per-migration checks see one step at a time; real databases live through histories:
deploy, write data, roll back, hot-fix data, redeploy. :func:`machine_for` builds a
Hypothesis ``RuleBasedStateMachine`` for any set whose rules apply the next migration, roll
back the last, re-run the current file, and insert, update and delete generated rows. After
every step it checks what production must guarantee: the schema equals the reference
snapshot of the current version, the tracking table agrees with the version, foreign keys
and integrity hold, and no row the history wrote was lost by a migration step.

Every step is logged in a replayable form (:class:`Step`), so the shrunk failing history
can be written to a regression file and replayed later by ``migration-harness replay``.
"""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
from typing import Any

from hypothesis import Phase
from hypothesis import settings as Settings
from hypothesis import strategies as st
from hypothesis.reporting import with_reporter
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test

from migration_harness.checks.engine import Engine

# History and Step live in checks.history and checks.steps; re-exported so old imports
# keep working.
from migration_harness.checks.history import History as History
from migration_harness.checks.scope import rerun_sql
from migration_harness.checks.steps import Step as Step
from migration_harness.data.provider import source_blind
from migration_harness.data.strategies import datasets_for, read_rows, values_for
from migration_harness.data.values import fetch
from migration_harness.report.findings import Finding
from migration_harness.schema.model import quote
from migration_harness.sets.sql import split_statements


class StatefulFailure(AssertionError):
    """A history broke a guarantee; carries the findings of the shrunk history."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__("\n\n".join(f.render() for f in findings))

    def __reduce__(self) -> tuple[type[StatefulFailure], tuple[list[Finding]]]:
        """Pickle by the findings: the default (the message as the one argument) fails."""
        return (type(self), (self.findings,))


def machine_for(engine: Engine) -> type[RuleBasedStateMachine]:
    """A state machine class fuzzing histories of ``engine``'s set."""
    top = len(engine.versions) - 1
    has_rollbacks = engine.mset.has_rollbacks
    rerunnable = [bool(rerun_sql(split_statements(m.up_sql))) for m in engine.migrations]

    class MigrationMachine(RuleBasedStateMachine):
        """Histories of one migration set: version moves and data writes."""

        def __init__(self) -> None:
            super().__init__()
            self.history = History(engine)

        def teardown(self) -> None:
            self.history.close()

        def _do(self, step: Step) -> None:
            findings = self.history.run(step)
            if findings:
                raise StatefulFailure(findings)

        @precondition(lambda self: self.history.version < top)
        @rule()
        def apply_next(self) -> None:
            migration = engine.migrations[self.history.version]
            self._do(Step("apply", migration.id))

        @precondition(
            lambda self: (
                has_rollbacks
                and self.history.version > 0
                and engine.migrations[self.history.version - 1].down_sql is not None
            )
        )
        @rule()
        def rollback_last(self) -> None:
            self._do(Step("rollback", engine.migrations[self.history.version - 1].id))

        @precondition(
            lambda self: self.history.version > 0 and rerunnable[self.history.version - 1]
        )
        @rule()
        def rerun_current(self) -> None:
            self._do(Step("rerun", engine.migrations[self.history.version - 1].id))

        @precondition(lambda self: bool(self.history.schema.tables))
        @rule(data=st.data())
        def insert_rows(self, data: st.DataObject) -> None:
            schema = self.history.schema
            # Rows the application can write here: none in a table an earlier file of the
            # next migration's ship group created (production applies the group at once).
            following = self.history.version + 1
            allowed = sorted(engine.drawable(following, schema.tables))
            if not allowed:
                return
            table = data.draw(st.sampled_from(allowed), label="table")
            existing = read_rows(self.history.conn, schema)
            tables = engine.drawable(following, schema.with_parents([table]))
            dataset = data.draw(
                datasets_for(
                    schema,
                    existing=existing,
                    max_rows=2,
                    tables=tables,
                    links=engine.key_links.at(self.history.version),
                )
            )
            if dataset.rows:
                self._do(
                    Step(
                        "insert",
                        rows=tuple(
                            {"table": r.table, "values": dict(r.values)} for r in dataset.rows
                        ),
                    )
                )

        @precondition(lambda self: bool(self.history.schema.tables))
        @rule(data=st.data())
        def update_row(self, data: st.DataObject) -> None:
            target = _pick_row(self.history, data)
            if target is None:
                return
            table, key = target
            spec = self.history.schema.tables[table]
            columns = [
                c
                for c in spec.columns
                if not c.pk
                and not c.is_generated
                and c.name not in {x for fk in spec.foreign_keys for x in fk.columns}
            ]
            if not columns:
                return
            column = data.draw(st.sampled_from(columns), label="column")
            value = data.draw(values_for(column, spec), label="value")
            self._do(Step("update", table=table, where=key, values={column.name: value}))

        @precondition(lambda self: bool(self.history.schema.tables))
        @rule(data=st.data())
        def delete_row(self, data: st.DataObject) -> None:
            target = _pick_row(self.history, data)
            if target is not None:
                self._do(Step("delete", table=target[0], where=target[1]))

        @precondition(lambda self: _newest_counted_row(self.history) is not None)
        @rule()
        def delete_newest_counted_row(self) -> None:
            # A rule of its own: an AUTOINCREMENT promise (ids never reused) is broken only
            # by a rebuild after the newest row was deleted, a pair of steps random picks
            # among six rules reach too rarely.
            target = _newest_counted_row(self.history)
            if target is not None:
                self._do(Step("delete", table=target[0], where=target[1]))

    digest = hashlib.sha256(str(engine.mset.migrations_dir).encode()).hexdigest()[:8]
    MigrationMachine.__name__ = MigrationMachine.__qualname__ = f"MigrationMachine_{digest}"
    return MigrationMachine


def _newest_counted_row(history: History) -> tuple[str, dict[str, Any]] | None:
    """The newest row of the first AUTOINCREMENT table (by name) that holds rows."""
    conn, schema = history.conn, history.schema
    try:
        counted = {str(n) for (n,) in conn.execute("SELECT name FROM sqlite_sequence")}
    except sqlite3.OperationalError:  # no AUTOINCREMENT table yet
        return None
    for name in sorted(counted):
        spec = schema.tables.get(name)
        if spec is None or spec.rowid_alias is None:
            continue
        row = conn.execute(f"SELECT max(rowid) FROM {quote(name)}").fetchone()
        if row is not None and row[0] is not None:
            return name, {spec.rowid_alias: row[0]}
    return None


def _pick_row(history: History, data: st.DataObject) -> tuple[str, dict[str, Any]] | None:
    """A table with rows and one row's address (primary key, else rowid)."""
    conn, schema = history.conn, history.schema
    tables = [
        n
        for n, t in sorted(schema.tables.items())
        if not t.virtual and conn.execute(f"SELECT 1 FROM {quote(n)} LIMIT 1").fetchone()
    ]
    if not tables:
        return None
    table = data.draw(st.sampled_from(tables), label="table")
    spec = schema.tables[table]
    key_columns = list(spec.primary_key) if spec.primary_key else ["rowid"]
    select = ", ".join(quote(c) if c != "rowid" else "rowid" for c in key_columns)
    # Newest first: index 0 is the draw Hypothesis favours, and deleting the newest row is
    # what exposes counters and "latest row" logic.
    _, keys = fetch(conn, f"SELECT {select} FROM {quote(table)} ORDER BY 1 DESC")
    index = data.draw(st.integers(min_value=0, max_value=len(keys) - 1), label="row")
    return table, dict(zip(key_columns, keys[index], strict=True))


def run_machine(engine: Engine) -> list[Finding]:
    """Fuzz histories under the engine's settings; return the minimal history's findings.

    Hypothesis finds a failing history; instead of its general-purpose shrinker (tens of
    seconds on histories, and it keeps no-op steps), the logged concrete steps are then
    minimised directly by :func:`minimise`, which replays candidates through the same code.
    """
    machine = machine_for(engine)
    if engine.seed is not None:
        machine._hypothesis_internal_use_seed = engine.seed
    phases = [p for p in engine.settings.phases if p is not Phase.shrink]
    try:
        with with_reporter(lambda _: None), source_blind():
            run_state_machine_as_test(machine, settings=Settings(engine.settings, phases=phases))
    except (StatefulFailure, BaseExceptionGroup) as raised:
        failure = _first_failure(raised)
        first = failure.findings[0]
        steps = [Step.from_json(s) for s in first.example["history"]]
        return replay(engine, minimise(engine, steps, first))
    return []


def _first_failure(raised: BaseException) -> StatefulFailure:
    """The history failure ``raised`` is or holds; anything else goes on up.

    Hypothesis wraps a failure it could not reproduce on its final replay in a
    ``FlakyFailure`` (an exception group), and several distinct ones in a group. The
    replay of the minimised history below is what decides whether a finding stands, so a
    wrapped failure is handled as a bare one: if its history does not fail again, nothing
    is reported. A group that also holds another error is raised whole: that error is
    the harness's own and must not hide behind a finding.
    """
    if isinstance(raised, StatefulFailure):
        return raised
    if isinstance(raised, BaseExceptionGroup):
        held, rest = raised.split(StatefulFailure)
        if rest is not None:
            raise raised
        while isinstance(held, BaseExceptionGroup):
            first = held.exceptions[0]
            if isinstance(first, StatefulFailure):
                return first
            held = first
    raise raised


def minimise(engine: Engine, steps: list[Step], finding: Finding) -> list[Step]:
    """The shortest sub-history (removing steps, then rows) that still fails the same way.

    Greedy one-at-a-time removal, repeated until nothing more can go: the result is
    1-minimal, so every remaining step is needed to show the finding.
    """

    def same(candidate: list[Step]) -> bool:
        try:
            found = replay(engine, candidate)
        except sqlite3.OperationalError:
            # Dropping an apply/rollback pair can strand a write to a table only that
            # version had ("no such table"): not a history, so not a candidate.
            return False
        return any(f.kind == finding.kind and f.migration == finding.migration for f in found)

    current = _cut_after_failure(engine, steps)
    changed = True
    while changed:
        changed = False
        for width in (1, 2):  # pairs: an apply and the rollback that undoes it
            for i in range(len(current) - width, -1, -1):
                candidate = current[:i] + current[i + width :]
                if _moves_are_valid(engine, candidate) and same(candidate):
                    current, changed = candidate, True
        # A move and the next move that undoes it, with data steps between them.
        for i, j in reversed(_undo_pairs(current)):
            candidate = current[:i] + current[i + 1 : j] + current[j + 1 :]
            if _moves_are_valid(engine, candidate) and same(candidate):
                current, changed = candidate, True
                break
        for i in range(len(current)):
            step = current[i]
            for j in range(len(step.rows) - 1, -1, -1):
                if len(step.rows) <= 1:
                    break
                fewer = Step(step.op, rows=step.rows[:j] + step.rows[j + 1 :])
                candidate = [*current[:i], fewer, *current[i + 1 :]]
                if same(candidate):
                    current, step, changed = candidate, fewer, True
    return current


def _undo_pairs(steps: list[Step]) -> list[tuple[int, int]]:
    """``(i, j)``: step j is the next version move after i and undoes it (same file)."""
    moves = [i for i, s in enumerate(steps) if s.op in ("apply", "rollback")]
    pairs = []
    for a, b in itertools.pairwise(moves):
        first, second = steps[a], steps[b]
        if first.migration == second.migration and {first.op, second.op} == {"apply", "rollback"}:
            pairs.append((a, b))
    return pairs


def _cut_after_failure(engine: Engine, steps: list[Step]) -> list[Step]:
    """Drop whatever follows the step that failed (replay stops there too)."""
    history = History(engine)
    try:
        for i, step in enumerate(steps):
            if history.run(step):
                return steps[: i + 1]
        return steps
    finally:
        history.close()


def _moves_are_valid(engine: Engine, steps: list[Step]) -> bool:
    """Version moves stay in order: apply the next migration, roll back or re-run the last."""
    version = engine.real_at or 0
    for step in steps:
        if step.op == "apply":
            if version >= len(engine.migrations):
                return False
            if engine.migrations[version].id != step.migration:
                return False
            version += 1
        elif step.op in ("rollback", "rerun"):
            if version == 0 or engine.migrations[version - 1].id != step.migration:
                return False
            if step.op == "rollback":
                version -= 1
    return True


def replay(engine: Engine, steps: list[Step]) -> list[Finding]:
    """Run a recorded history step by step; the findings of the first failing step."""
    history = History(engine)
    try:
        for step in steps:
            findings = history.run(step)
            if findings:
                return findings
        return []
    finally:
        history.close()
