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

import functools
import itertools
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from hypothesis import Phase, given
from hypothesis import seed as hypothesis_seed
from hypothesis import settings as Settings

from harness import runner
from harness.audit import audit_foreign_keys, uncovered
from harness.data import Rows, compare, read_all, renames_in, written_tables
from harness.diff import diff_schemas
from harness.discovery import Migration, MigrationSet
from harness.errors import BadFileError, MigrationError
from harness.findings import CheckRun, Finding, MigrationInfo, Stats
from harness.functions import MissingFunctionError, missing_function_hint
from harness.schema import Schema, introspect, quote
from harness.sql import QUOTED_NAME, Statement, split_statements, unquote
from harness.strategies import Dataset, GenerationStats, datasets_for, insert, read_rows
from harness.targets import Target

if TYPE_CHECKING:
    from harness.mirror import Divergence

_SYNTAX: Final = ("syntax error", "incomplete input", "unrecognized token")
_UNGUARDABLE: Final = re.compile(
    r"^ALTER\s+TABLE\s+.+?\s+(ADD|DROP|RENAME)\b", re.IGNORECASE | re.DOTALL
)


class _Found(AssertionError):
    """Raised inside a property so Hypothesis shrinks the dataset that produced it.

    One subclass per finding kind (``_found``): Hypothesis tells bugs apart by exception
    type, so an example that fails to apply and one that loses a value are two bugs, each
    shrunk and reported; with one type the first found hid the other (a data_loss hid the
    apply_error a narrowed CHECK caused on other rows).
    """

    findings: list[Finding]


@functools.lru_cache(maxsize=64)
def _found(kind: str) -> type[_Found]:
    """The exception type for examples whose first finding is of ``kind``."""
    return type(f"_Found_{kind}", (_Found,), {"__module__": __name__})


@dataclass(frozen=True, slots=True)
class Version:
    """A snapshot of the database right after migration ``k`` (0: before any)."""

    image: bytes
    schema: Schema
    rows: dict[str, list[dict[str, Any]]]


class Engine:
    """Snapshots of every version of a set, and the shared state of one check run.

    Built once per run: migrations 1..n are applied in order on an in-memory database and
    each version is serialised, so every example restores its starting point in
    microseconds instead of re-applying 1..k-1.
    """

    def __init__(
        self,
        mset: MigrationSet,
        target: Target,
        *,
        settings: Settings | None = None,
        seed: int | None = None,
        max_rows: int = 3,
    ) -> None:
        self.mset = mset
        self.target = target
        self.settings = settings or Settings()
        self.seed = seed
        self.max_rows = max_rows
        self.stats = Stats()
        self.generation = GenerationStats()
        self.versions: list[Version] = []
        self.apply_failure: tuple[int, MigrationError] | None = None
        self.infos = {m.version: MigrationInfo(m.version, m.label) for m in mset.migrations}
        self._build()

    @property
    def migrations(self) -> tuple[Migration, ...]:
        """The set's migrations, in order."""
        return self.mset.migrations

    def available(self, k: int) -> bool:
        """Whether version ``k`` could be built (every migration up to it applied)."""
        return k < len(self.versions)

    def restore(self, k: int) -> sqlite3.Connection:
        """A fresh in-memory copy of version ``k``, set up as the target's connection."""
        return self.open(self.versions[k].image)

    def open(self, image: bytes) -> sqlite3.Connection:
        """A fresh in-memory database holding ``image``, set up as the target's connection."""
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.deserialize(image)
        runner.prepare(conn, self.target)
        return conn

    def populated(self, k: int) -> list[str]:
        """Tables holding rows at version ``k`` (seeds): they can serve as parents."""
        return [name for name, rows in self.versions[k].rows.items() if rows]

    def datasets(self, k: int, tables: Iterable[str]) -> Any:
        """The dataset strategy for version ``k`` limited to ``tables``."""
        version = self.versions[k]
        return datasets_for(
            version.schema,
            existing=version.rows,
            max_rows=self.max_rows,
            tables=list(tables),
            stats=self.generation,
        )

    def insert(self, conn: sqlite3.Connection, dataset: Dataset) -> None:
        """Insert a dataset and count the outcome (yield)."""
        result = insert(conn, dataset)
        self.stats.rows_inserted += result.inserted
        self.stats.rows_failed += len(result.failed)

    def run_property(
        self,
        name: str,
        migration: Migration,
        strategy: Any,
        body: Callable[[Dataset], list[Finding]],
        *,
        share: float = 1.0,
    ) -> list[Finding]:
        """Run ``body`` over generated datasets; return the findings of the shrunk example.

        Args:
            name: the check's name (part of the example database key).
            migration: the migration checked (part of the key, and of the test's name).
            strategy: the dataset strategy.
            body: one example: returns its findings (empty: the property holds).
            share: fraction of the profile's ``max_examples`` this property needs (the
                re-run check depends little on data).
        """

        def prop(dataset: Dataset) -> None:
            self.stats.examples += 1
            findings = body(dataset) + self.divergences(dataset)
            if findings:
                error = _found(findings[0].kind)(findings[0].message)
                error.findings = findings
                raise error

        # Hypothesis needs an identifier: diesel folders hold '-', odd names hold '.'.
        prop.__name__ = prop.__qualname__ = re.sub(r"\W", "_", f"{name}_{migration.label}")
        test = given(strategy)(prop)  # type: ignore[no-untyped-call]
        digest = f"{self.mset.migrations_dir}:{name}:{migration.id}".encode()
        test._hypothesis_internal_add_digest = digest
        examples = max(3, int(self.settings.max_examples * share))
        # Hypothesis's explain phase replays ~100 variants of the shrunk example only to
        # annotate the exception, which this engine discards (the finding is what counts):
        # it took most of the time of every check that found something.
        phases = tuple(p for p in self.settings.phases if p is not Phase.explain)
        test = Settings(self.settings, max_examples=examples, phases=phases)(test)
        if self.seed is not None:
            test = hypothesis_seed(self.seed)(test)
        try:
            test()
        except _Found as error:  # the shrunk example, replayed last
            return error.findings
        except BaseExceptionGroup as group:  # one shrunk example per kind of failure
            found, other = group.split(_Found)
            if found is None or other is not None:
                raise
            return [f for error in _leaves(found) for f in error.findings]
        return []

    def divergences(self, dataset: Dataset | None = None) -> list[Finding]:
        """``engine_divergence`` findings for what ``--differential`` recorded since last asked.

        Called after each example (the example is then the dataset, and Hypothesis shrinks
        it) and after each check (divergences outside examples: the build, the state
        machine).
        """
        from harness.mirror import DifferentialExecutor

        executor = self.target.executor
        if not isinstance(executor, DifferentialExecutor):
            return []
        return [divergence_finding(self.mset, d, dataset) for d in executor.take()]

    def _build(self) -> None:
        """Apply every migration once, snapshotting each version."""
        conn = sqlite3.connect(":memory:", isolation_level=None)
        runner.prepare(conn, self.target)
        runner.ensure_tracking(conn, self.target)
        self._snapshot(conn)
        for k, migration in enumerate(self.migrations, start=1):
            try:
                runner.apply(conn, migration, self.target)
            except MigrationError as exc:
                _refuse_malformed(exc, self.target)
                self.apply_failure = (k, exc)
                break
            self._snapshot(conn, migration)
        conn.close()

    def _snapshot(self, conn: sqlite3.Connection, migration: Migration | None = None) -> None:
        """Keep version k: its image, schema and rows.

        Rows are read again only for tables file k can have changed (named, cascaded into,
        redefined; all of them under triggers); the others are the previous version's.
        Reading every table at every version cost time in the square of a long history.
        """
        schema = introspect(conn, exclude=runner.BOOKKEEPING_TABLES)
        if migration is None or not self.versions:
            rows = read_rows(conn, schema)
        else:
            previous = self.versions[-1]
            changed = affected_tables(previous.schema, split_statements(migration.up_sql))
            kept = {
                name
                for name, table in schema.tables.items()
                if name in previous.rows
                and name not in changed
                and previous.schema.tables.get(name) is table
            }
            rows = read_rows(conn, schema, skip=kept)
            rows.update({name: previous.rows[name] for name in kept})
            _refuse_unknown_defaults(conn, migration, previous.schema, schema)
        self.versions.append(Version(conn.serialize(), schema, rows))


def _leaves(group: BaseExceptionGroup[_Found]) -> list[_Found]:
    """The exceptions of a (nested) group, in order."""
    out: list[_Found] = []
    for error in group.exceptions:
        if isinstance(error, BaseExceptionGroup):
            out += _leaves(error)
        else:
            out.append(error)
    return out


def divergence_finding(
    mset: MigrationSet, divergence: Divergence, dataset: Dataset | None
) -> Finding:
    """An ``engine_divergence`` finding: the file, the state before and both outcomes."""
    path = divergence.path
    migration = next(
        (m for m in mset.migrations if str(m.path) == path or str(m.down_path) == path), None
    )
    name = path.rsplit("/", 1)[-1]
    example = _example(dataset or Dataset(), ["restore the state before", f"run {name}"])
    example.update(
        state_before=divergence.state_before, emulation=divergence.emulation, d1=divergence.d1
    )
    return Finding(
        "engine_divergence",
        migration.label if migration else None,
        f"the d1 emulation and the local D1 disagree on {name}: {divergence.summary}",
        (
            f"emulation: {divergence.emulation}",
            f"local D1: {divergence.d1}",
            *divergence.details,
        ),
        example,
        check="differential",
    )


def _refuse_malformed(exc: MigrationError, target: Target) -> None:
    """A file SQLite cannot parse is bad input (exit 2), not a property failure.

    So is a call to a function this engine lacks: a newer SQLite's built-in or one the
    application registers; the migration is not what is wrong. Under a runner that cuts
    files itself (goose), SQLite's "incomplete input" means the runner cut a statement
    discovery saw whole: the runner's defect, reported as a finding.
    """
    if target.splitter != "sqlite" and "incomplete input" in exc.reason:
        return
    if any(marker in exc.reason for marker in _SYNTAX):
        raise BadFileError(str(exc)) from exc
    if missing_function_hint(exc.reason) is not None:
        raise MissingFunctionError(str(exc)) from exc


def _refuse_unknown_defaults(
    conn: sqlite3.Connection, migration: Migration, before: Schema, after: Schema
) -> None:
    """A column DEFAULT calling a function nobody registered is bad input (exit 2).

    SQLite accepts ``DEFAULT (uuid_v4())`` when the table is created and fails only when
    a row omits the column: every generated row that did so was refused, unexplained.
    """
    redefined = _redefined(before, after) & set(after.tables)
    calls = {name for table in redefined for name in _DEFAULT_CALL.findall(after.tables[table].sql)}
    if not calls:
        return
    try:
        known = {row[0].lower() for row in conn.execute("PRAGMA function_list")}
    except sqlite3.Error:  # SQLite before 3.30 cannot list them: nothing to judge by
        return
    for name in sorted(calls):
        if name.lower() not in known:
            reason = f"unknown function: {name}()"
            hint = missing_function_hint(reason)
            message = f"{migration.path}: a column DEFAULT calls {name}() ({hint})"
            raise MissingFunctionError(message)


_DEFAULT_CALL: Final = re.compile(r"\bDEFAULT\s*\(\s*([A-Za-z_][\w$]*)\s*\(", re.IGNORECASE)


# --- the checks ------------------------------------------------------------------------


def check_apply(engine: Engine, k: int) -> list[Finding]:
    """``apply_error``: migration k applies on top of 1..k-1 (on an empty database).

    ``runner_conflict``: k's files contradict how the target runs them (``BEGIN`` or
    ``PRAGMA foreign_keys`` inside a file the runner wraps in a transaction, a per-file
    opt-out the runner does not have).
    """
    migration = engine.migrations[k - 1]
    findings = runner_conflicts(engine.target, migration)
    failure = engine.apply_failure
    if failure is None or failure[0] != k:
        return findings
    return [
        *findings,
        Finding(
            "apply_error",
            migration.label,
            f"does not apply on top of version {k - 1}: {failure[1].reason}",
            _statement_detail(failure[1]),
            {"steps": [f"migrate to version {k - 1}", f"apply {migration.id}"]},
            check="apply",
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


def check_apply_keeps_data(engine: Engine, k: int) -> list[Finding]:
    """``data_loss`` (apply), ``apply_error`` on data, ``fk_violation``, ``integrity_error``.

    With a generated dataset at k-1, applying k must keep every row and value of the tables
    and columns that survive k.
    """
    migration = engine.migrations[k - 1]
    if k < 2 or not engine.available(k - 1):
        return []
    before_schema = engine.versions[k - 1].schema
    statements = split_statements(migration.up_sql)
    tables = relevant_tables(before_schema, statements, engine.populated(k - 1))
    if not tables:
        return []
    intended = written_tables(statements)
    renames = renames_in(statements)

    def body(dataset: Dataset) -> list[Finding]:
        conn = engine.restore(k - 1)
        try:
            engine.insert(conn, dataset)
            before = read_all(conn, before_schema, tables)
            example = _example(
                dataset, [f"migrate to version {k - 1}", "insert the rows", f"apply {migration.id}"]
            )
            try:
                runner.apply(conn, migration, engine.target)
            except MigrationError as exc:
                return [
                    Finding(
                        "apply_error",
                        migration.label,
                        f"fails on data valid at version {k - 1}: {exc.reason}",
                        _statement_detail(exc),
                        example,
                        check="apply_keeps_data",
                    )
                ]
            after_schema = introspect(conn, exclude=runner.BOOKKEEPING_TABLES)
            loss = compare(
                before,
                before_schema,
                read_all(conn, after_schema, renames.reach(tables)),
                after_schema,
                intended=intended,
                renames=renames,
            )
            _record_apply_loss(
                engine.infos[migration.version], loss.expected_rows, loss.expected_cells
            )
            scope = integrity_scope(tables, statements, before_schema, after_schema)
            findings = _integrity(conn, migration, example, "apply_keeps_data", scope)
            if loss.problems:
                findings.insert(
                    0,
                    Finding(
                        "data_loss",
                        migration.label,
                        f"applying it loses or changes {_count(loss)} of tables that survive it",
                        loss.problems,
                        example,
                        "apply",
                        "apply_keeps_data",
                    ),
                )
            return findings
        finally:
            conn.close()

    return engine.run_property("apply_keeps_data", migration, engine.datasets(k - 1, tables), body)


def check_idempotent(engine: Engine, k: int) -> list[Finding]:
    """``not_idempotent``: executing k's file again, right after it ran, changes nothing.

    That is ``f(f(x)) == f(x)`` for generated data ``x`` valid before k. Statements
    SQLite cannot guard (``ALTER TABLE … ADD/DROP/RENAME``, a table rebuild) are recorded as
    making the file not re-runnable by nature and left out of the re-run; every other
    statement must be safe to run again. The data is inserted before the first run, not
    between the runs: a guarded backfill (``UPDATE … WHERE x IS NULL``) rightly touches
    rows the application writes later, which is no fault of the file.
    """
    migration = engine.migrations[k - 1]
    if not engine.available(k):
        return []
    statements = split_statements(migration.up_sql)
    unguarded = unguardable_statements(statements)
    info = engine.infos[migration.version]
    info.rerunnable = not unguarded
    info.unguarded = [" ".join(s.sql.split())[:200] for s in unguarded]
    rerun = rerun_sql(statements)
    if not rerun:
        return []
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
            example = _example(
                dataset,
                [
                    f"migrate to version {k - 1}",
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
                        "not_idempotent",
                        migration.label,
                        f"running the file a second time fails: {exc.reason}",
                        _statement_detail(exc),
                        example,
                        check="idempotent",
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

    return engine.run_property(
        "idempotent", migration, engine.datasets(k - 1, drawn), body, share=0.2
    )


def check_rollback(engine: Engine, k: int) -> list[Finding]:
    """Rollback round trip on the schema alone.

    ``missing_rollback``, ``rollback_error``, ``rollback_schema_drift`` (schema after the
    rollback differs from k-1), ``reapply_error`` and ``reapply_schema_drift`` (schema after
    applying again differs from k).
    """
    migration = engine.migrations[k - 1]
    if migration.down_sql is None:
        # An empty down file says "someone meant to write this": reported even when no
        # migration of the set has a rollback; a set with no down files is forward-only.
        if engine.mset.has_rollbacks or migration.down_path is not None:
            engine.infos[migration.version].reversibility = "irreversible"
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
        return []
    tables, reapplied = _round_trip_tables(engine, k)
    conn = engine.restore(k)
    try:
        return _round_trip(engine, conn, k, Dataset(), "rollback", tables, reapplied)
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
    migration = engine.migrations[k - 1]
    if migration.down_sql is None or not engine.available(k):
        return []
    tables, reapplied = _round_trip_tables(engine, k)
    if not tables:
        return []

    def body(dataset: Dataset) -> list[Finding]:
        conn = engine.restore(k)
        try:
            engine.insert(conn, dataset)
            return _round_trip(engine, conn, k, dataset, "rollback_keeps_data", tables, reapplied)
        finally:
            conn.close()

    return engine.run_property("rollback_keeps_data", migration, engine.datasets(k, tables), body)


def _round_trip_tables(engine: Engine, k: int) -> tuple[list[str], set[str]]:
    """The tables rolling back k can affect, and those the rollback and re-applying k can.

    Re-applying writes what the up file names, which the rollback may not.
    """
    migration = engine.migrations[k - 1]
    down = split_statements(migration.down_sql or "")
    tables = relevant_tables(engine.versions[k].schema, down, engine.populated(k))
    up = split_statements(migration.up_sql)
    return tables, {*tables, *affected_tables(engine.versions[k - 1].schema, up)}


def check_fk_index(engine: Engine) -> list[Finding]:
    """``missing_fk_index``: at the last version, every foreign key has a covering index."""
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
    ]


def check_stateful(engine: Engine) -> list[Finding]:
    """Histories: the state machine's findings (same kinds), on the shrunk history."""
    from harness.machine import run_machine

    return run_machine(engine)


PER_MIGRATION: Final[dict[str, Callable[[Engine, int], list[Finding]]]] = {
    "apply": check_apply,
    "idempotent": check_idempotent,
    "apply_keeps_data": check_apply_keeps_data,
    "rollback": check_rollback,
    "rollback_keeps_data": check_rollback_keeps_data,
}
CHECKS: Final = (*PER_MIGRATION, "fk_index", "stateful")


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
    before = read_all(conn, before_schema, tables) if dataset.rows else {}
    data_note = " on a database holding data" if dataset.rows else ""
    steps = [f"migrate to version {k}"] + (["insert the rows"] if dataset.rows else [])
    example = _example(dataset, [*steps, f"roll back {migration.id}"])
    try:
        runner.rollback(conn, migration, engine.target)
    except MigrationError as exc:
        engine.infos[migration.version].reversibility = "irreversible"
        return [
            Finding(
                "rollback_error",
                migration.label,
                f"rollback fails{data_note}: {exc.reason}",
                _statement_detail(exc),
                example,
                check=check,
            )
        ]
    after_schema = introspect(conn, exclude=runner.BOOKKEEPING_TABLES)
    findings: list[Finding] = []
    drift = diff_schemas(expected, after_schema)
    if drift:
        findings.append(
            Finding(
                "rollback_schema_drift",
                migration.label,
                f"after rollback the schema differs from version {k - 1}",
                drift.differences,
                example,
                check=check,
            )
        )
    down = split_statements(migration.down_sql or "")
    if dataset.rows:
        # A table or column k renamed existed before k: the rollback must bring its data back.
        renames = renames_in(down) + renames_in(split_statements(migration.up_sql)).inverse()
        loss = compare(
            before,
            before_schema,
            read_all(conn, after_schema, renames.reach(tables)),
            after_schema,
            intended=written_tables(down),
            renames=renames,
        )
        _record_rollback_loss(
            engine.infos[migration.version], loss.expected_rows, loss.expected_cells
        )
        if loss.problems:
            findings.append(
                Finding(
                    "data_loss",
                    migration.label,
                    f"rolling it back loses or changes {_count(loss)} of tables that existed "
                    f"before it",
                    loss.problems,
                    example,
                    "rollback",
                    check,
                )
            )
    scope = integrity_scope(tables, down, before_schema, after_schema)
    findings += _integrity(conn, migration, example, check, scope)
    example = _example(dataset, [*example["steps"], f"apply {migration.id} again"])
    try:
        runner.apply(conn, migration, engine.target)
    except MigrationError as exc:
        return [
            *findings,
            Finding(
                "reapply_error",
                migration.label,
                f"does not apply again after its rollback{data_note}: {exc.reason}",
                _statement_detail(exc),
                example,
                check=check,
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
    return findings + _integrity(conn, migration, example, check, scope)


def _integrity(
    conn: sqlite3.Connection,
    migration: Migration,
    example: dict[str, Any],
    check: str,
    scope: Collection[str] | None,
) -> list[Finding]:
    """Report ``fk_violation`` and ``integrity_error`` after a step with valid data.

    ``PRAGMA foreign_key_check`` and ``PRAGMA integrity_check`` (of ``scope``, see
    ``integrity_scope``) must both be clean.
    """
    findings = []
    count, details, broken = integrity_problems(conn, scope)
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


def relevant_tables(
    schema: Schema, statements: Sequence[Statement], populated: Iterable[str] = ()
) -> list[str]:
    """Tables whose rows a file can affect, plus the parents those rows need.

    Named tables; for statements that can cascade (DROP, DELETE, UPDATE, REPLACE, ALTER),
    the child tables of what they name, transitively. With triggers in the schema any
    write can reach anywhere, so every table counts.
    """
    return schema.with_parents(affected_tables(schema, statements), populated=populated)


def affected_tables(schema: Schema, statements: Sequence[Statement]) -> set[str]:
    """Tables whose rows a file can change.

    The ones it names and, for statements that can cascade, their child tables,
    transitively (every table when the schema has triggers).
    """
    if schema.triggers:
        return set(schema.tables)
    lower = schema.by_lower_name
    named: set[str] = set()
    cascading: set[str] = set()
    for statement in statements:
        words = {w.lower() for w in _IDENTIFIER.findall(statement.sql)}
        hits = {lower[w].name for w in words if w in lower}
        named |= hits
        if _can_cascade(statement):
            cascading |= hits
    return named | schema.with_children(cascading)


_IDENTIFIER: Final = re.compile(r"[A-Za-z_][\w$]*")
_CASCADING: Final = frozenset({"DROP", "DELETE", "UPDATE", "REPLACE", "ALTER"})


def _can_cascade(statement: Statement) -> bool:
    """Statements that remove or re-key rows, firing ON DELETE/UPDATE actions."""
    words = statement.keywords
    return bool(words) and (words[0] in _CASCADING or words[:2] == ("INSERT", "OR"))


def irreversible_operations(statements: Sequence[Statement]) -> list[str]:
    """The operations of a file that destroy data for good (for the rollback guide)."""
    found = []
    for statement in statements:
        flat = " ".join(statement.sql.split())
        if statement.keywords[:2] == ("DROP", "TABLE") or re.match(
            r"ALTER\s+TABLE\s+\S+\s+DROP\b", flat, re.IGNORECASE
        ):
            found.append(flat[:120])
    if any(
        s.keywords[:1] == ("ALTER",) and " RENAME TO " in s.sql.upper() for s in statements
    ) and any(s.keywords[:2] == ("DROP", "TABLE") for s in statements):
        found.append("table rebuild (create, copy, drop, rename)")
    return found


def unguardable_statements(statements: Sequence[Statement]) -> list[Statement]:
    """Statements SQLite offers no ``IF [NOT] EXISTS`` for: ALTER TABLE and rebuilds.

    A rebuild (create new table, copy, drop old, rename new to old) is unguardable as a
    whole: every statement that names the new table or drops the old one belongs to it,
    and so do the indexes and triggers it creates on the table after the rename: the
    DROP TABLE removed them, so they exist only because the rebuild ran (SQLite's own
    twelve-step procedure recreates them last).
    """
    found = [s for s in statements if _UNGUARDABLE.match(s.sql)]
    renames = [
        (
            at,
            re.match(
                r"ALTER\s+TABLE\s+[\"`\[]?([\w$]+)[\"`\]]?\s+RENAME\s+TO\s+"
                r"[\"`\[]?([\w$]+)",
                s.sql,
                re.IGNORECASE,
            ),
        )
        for at, s in enumerate(statements)
        if s in found
    ]
    for at, match in renames:
        if match is None:
            continue
        new, old = match.group(1).lower(), match.group(2).lower()
        for position, statement in enumerate(statements):
            words = {w.lower() for w in _IDENTIFIER.findall(statement.sql)}
            drops_old = statement.keywords[:2] == ("DROP", "TABLE") and old in words
            recreates = (
                position > at
                and old in words
                and statement.keywords[:1] == ("CREATE",)
                and bool({"INDEX", "TRIGGER"} & set(statement.keywords[1:3]))
            )
            if (new in words or drops_old or recreates) and statement not in found:
                found.append(statement)
    # A guarded DROP of an index or trigger a left-out statement creates again belongs with
    # it: re-run alone, it removes what nothing then puts back.
    created = {_object_named(_CREATES, s) for s in found} - {None}
    for statement in statements:
        if statement not in found and _object_named(_DROPS, statement) in created:
            found.append(statement)
    return [s for s in statements if s in found]


_CREATES: Final = re.compile(
    r"^\s*CREATE\s+(?:UNIQUE\s+|TEMP\s+|TEMPORARY\s+)?(INDEX|TRIGGER)\s+"
    rf"(?:IF\s+NOT\s+EXISTS\s+)?(?:(?:{QUOTED_NAME})\s*\.\s*)?({QUOTED_NAME})",
    re.IGNORECASE,
)
_DROPS: Final = re.compile(
    r"^\s*DROP\s+(INDEX|TRIGGER)\s+(?:IF\s+EXISTS\s+)?"
    rf"(?:(?:{QUOTED_NAME})\s*\.\s*)?({QUOTED_NAME})",
    re.IGNORECASE,
)


def _object_named(pattern: re.Pattern[str], statement: Statement) -> tuple[str, str] | None:
    """``("INDEX", name)`` when ``pattern`` (``_CREATES``/``_DROPS``) matches, lower-cased."""
    match = pattern.match(statement.sql)
    return (match.group(1).upper(), unquote(match.group(2)).lower()) if match else None


def rerun_sql(statements: Sequence[Statement]) -> str:
    """The part of a file a re-run executes: every statement SQLite can guard.

    Each statement stays on its line of the file (blank lines stand for what is left
    out), so a failure in the re-run names the file's line; empty when nothing is left.
    """
    unguarded = unguardable_statements(statements)
    parts: list[str] = []
    line = 1
    for statement in statements:
        if statement in unguarded:
            continue
        text = statement.sql if statement.sql.endswith(";") else statement.sql + ";"
        gap = max(statement.line - line, 0)
        parts.append("\n" * gap + text)
        line += gap + text.count("\n")
    return "".join(parts)


def integrity_problems(
    conn: sqlite3.Connection, tables: Collection[str] | None = None
) -> tuple[int, tuple[str, ...], tuple[str, ...]]:
    """``(FK violations, their first lines, integrity_check lines)``; ``(0, (), ())`` if clean.

    One probe for the per-migration checks and the state machine, so both word the same
    defect the same way. ``tables``: the only tables whose rows or definition the step can
    have changed (``None``: any). ``integrity_check`` then reads just those tables and
    their indexes: on the whole database it cost milliseconds per example on a schema of
    hundreds of tables, more than the example's own SQL. Foreign keys are always checked
    whole (cheap, and a dropped parent breaks tables the step never named).
    """
    violations = conn.execute("PRAGMA foreign_key_check").fetchall()
    details = tuple(
        f"{table} row {rowid} references missing {parent} (foreign key #{fk})"
        for table, rowid, parent, fk in violations[:5]
    )
    if tables is None or any(t.isdigit() for t in tables):  # a number is a max-errors count
        result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        result = [] if result == ["ok"] else result
    else:
        result = []
        for table in sorted(tables):
            lines = [r[0] for r in conn.execute(f"PRAGMA integrity_check({quote(table)})")]
            result += [] if lines == ["ok"] else lines
    return len(violations), details, tuple(result[:5])


def integrity_scope(
    tables: Collection[str] | None, statements: Sequence[Statement], *schemas: Schema
) -> set[str] | None:
    """Tables a step can have left inconsistent, for ``integrity_problems``.

    ``tables`` (whose rows it can change) and every table whose definition or indexes
    differ between ``schemas``; ``None`` (all) when the rows it can change are unknown or
    the step edits the schema table by hand.
    """
    if tables is None or any("writable_schema" in s.sql.lower() for s in statements):
        return None
    scope = set(tables)
    for before, after in itertools.pairwise(schemas):
        scope |= _redefined(before, after)
    last = schemas[-1].tables if schemas else {}
    return {name for name in scope if name in last}


def _redefined(before: Schema, after: Schema) -> frozenset[str]:
    """Tables added, dropped or changed (columns, indexes, ...) between two schemas.

    Remembered per pair of schema records (introspection shares one record per distinct
    schema, so a check meets the same few pairs in every example of every migration).
    """
    if before is after:
        return frozenset()
    key = (id(before), id(after))
    cached = _REDEFINED.get(key)
    if cached is not None and cached[0] is before and cached[1] is after:
        return cached[2]
    old, new = before.tables, after.tables
    names = frozenset(
        name
        for name in old.keys() | new.keys()
        if old.get(name) is not new.get(name) and old.get(name) != new.get(name)
    )
    if len(_REDEFINED) > 4_096:
        _REDEFINED.clear()
    _REDEFINED[key] = (before, after, names)  # the records keep their ids from being reused
    return names


_REDEFINED: dict[tuple[int, int], tuple[Schema, Schema, frozenset[str]]] = {}


def row_changes(before: Rows, after: Rows) -> list[str]:
    """Rows added or removed between two readings (any change counts for a re-run)."""
    changes: list[str] = []
    for table in sorted(set(before) | set(after)):
        old = Counter(before.get(table, ((), []))[1])
        new = Counter(after.get(table, ((), []))[1])
        added, removed = sum((new - old).values()), sum((old - new).values())
        if added:
            changes.append(f"{table}: {added} row(s) added")
        if removed:
            changes.append(f"{table}: {removed} row(s) removed or changed")
    return changes


def _example(dataset: Dataset, steps: list[str]) -> dict[str, Any]:
    """The example attached to a finding: rows as SQL and JSON, and the steps."""
    return {
        "sql": dataset.render() if dataset.rows else "",
        "rows": dataset.to_json(),
        "steps": steps,
    }


def _statement_detail(exc: MigrationError) -> tuple[str, ...]:
    """The failing statement and where it is, for the finding's details."""
    if exc.statement is None:
        return (f"file: {exc.path}",)
    return (f"file: {exc.path}", f"statement: {' '.join(exc.statement.split())[:300]}")


def _count(loss: Any) -> str:
    """``2 row(s) and 1 value(s)``."""
    parts = []
    if loss.rows_lost:
        parts.append(f"{loss.rows_lost} row(s)")
    if loss.cells_changed:
        parts.append(f"{loss.cells_changed} value(s)")
    return " and ".join(parts) or "data"


def _record_apply_loss(info: MigrationInfo, rows: int, cells: int) -> None:
    """Data the migration drops on purpose makes it irreversible (the seeds' DROP COLUMN)."""
    info.apply_loss["rows"] = max(info.apply_loss["rows"], rows)
    info.apply_loss["cells"] = max(info.apply_loss["cells"], cells)
    if rows or cells:
        info.reversibility = "irreversible"


def _record_rollback_loss(info: MigrationInfo, rows: int, cells: int) -> None:
    """Rows of tables k created are expected loss; cells of columns k added make it lossy."""
    info.expected_loss["rows"] = max(info.expected_loss["rows"], rows)
    info.expected_loss["cells"] = max(info.expected_loss["cells"], cells)
    if cells and info.reversibility == "reversible":
        info.reversibility = "lossy"


def run_checks(
    engine: Engine,
    *,
    checks: Iterable[str] = CHECKS,
    on_step: Callable[[str], None] | None = None,
) -> list[Finding]:
    """Run the named checks over every migration; findings in migration order."""
    wanted = list(checks)
    started = time.perf_counter()
    findings: list[Finding] = []
    for k, migration in enumerate(engine.migrations, start=1):
        info = engine.infos[migration.version]
        info.operations = irreversible_operations(split_statements(migration.up_sql))
        if migration.down_sql is None:
            info.reversibility = "irreversible"
        for name, check in PER_MIGRATION.items():
            if name in wanted:
                found = check(engine, k)
                findings += found + engine.divergences()
                engine.infos[migration.version].results[name] = "fail" if found else "ok"
            if on_step:
                on_step(f"{migration.label}::{name}")
        if not engine.available(k):
            break
    if "fk_index" in wanted and len(engine.versions) > 1:
        findings += check_fk_index(engine)
    if "stateful" in wanted and len(engine.versions) > 1:
        findings += check_stateful(engine)
    findings += engine.divergences()
    engine.stats.seconds += time.perf_counter() - started
    engine.stats.rows_generated = engine.generation.rows_generated
    engine.stats.rows_rejected = engine.generation.rows_rejected
    return _dedupe(findings)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per kind, migration, direction and message."""
    seen: set[tuple[str, str | None, str | None, str]] = set()
    unique = []
    for finding in findings:
        key = (finding.kind, finding.migration, finding.direction, finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique


def check_set(
    mset: MigrationSet,
    target: Target,
    *,
    profile: str = "ci",
    seed: int | None = None,
    checks: Iterable[str] = CHECKS,
    max_rows: int = 3,
    on_step: Callable[[str], None] | None = None,
) -> CheckRun:
    """Run every check on a set under a Hypothesis profile: the library's ``check``."""
    from harness.profiles import profile_seed, profile_settings

    settings = profile_settings(profile)
    started = time.perf_counter()
    engine = Engine(
        mset, target, settings=settings, seed=profile_seed(profile, seed), max_rows=max_rows
    )
    findings = run_checks(engine, checks=checks, on_step=on_step)
    engine.stats.seconds = time.perf_counter() - started
    return CheckRun(
        set_path=str(mset.root),
        layout=mset.layout,
        target=target.name,
        profile=profile,
        seed=seed,
        findings=findings,
        migrations=list(engine.infos.values()),
        stats=engine.stats,
        forward_only=not mset.has_rollbacks,
        foreign_keys=target.foreign_keys,
    )
