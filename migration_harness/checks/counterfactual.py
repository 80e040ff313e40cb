"""Did an ignored statement matter? Re-running a step as the file asks, on the same data.

A ``runner_conflict`` (``PRAGMA foreign_keys`` or ``BEGIN`` inside a file its runner wraps
in a transaction, or under D1, which keeps keys on whatever the file says) is an error only
where the ignored statement changed what happened. That another check failed on the same
step proves nothing: a trailing ``PRAGMA foreign_keys = ON`` is a no-op nothing after it
depends on, and a failure elsewhere in the file is a bug of its own. So the step is run
twice on the example of the other finding: once as the runner runs it, once with the file's
pragmas honoured (the connection's ``foreign_keys`` set as the file asks at that point, its
own ``BEGIN`` obeyed), which is what would happen outside the runner's transaction. Only a
different outcome (it fails in one run only, other rows survive, other keys break) shows
the conflict's consequence.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from migration_harness.checks.engine import Engine
from migration_harness.checks.severity import Counterfactual
from migration_harness.data.dataset import Dataset, insert
from migration_harness.errors import HarnessError, MigrationError
from migration_harness.report.findings import Finding
from migration_harness.sets import runner
from migration_harness.sets.atomic import run_as_asked
from migration_harness.sets.discovery import Migration
from migration_harness.sets.targets import MigrationRefusedError, Target

# The checks whose examples start from a version and run one step on it: where each starts.
_STARTS: Final = {"apply": -1, "apply_keeps_data": -1, "rollback": 0, "rollback_keeps_data": 0}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one run of a step left: its error, every table's rows, the broken keys."""

    error: str | None
    rows: dict[str, Counter[tuple[object, ...]]]
    violations: Counter[tuple[str, str]]


def counterfactual_for(engine: Engine) -> Counterfactual:
    """The function :func:`~migration_harness.checks.severity.classify` asks per effect."""

    def ask(conflict: Finding, effect: Finding) -> str | None:
        return pragma_difference(engine, conflict, effect)

    return ask


def pragma_difference(engine: Engine, conflict: Finding, effect: Finding) -> str | None:
    """What honouring the conflicting file changes on ``effect``'s example, in words.

    ``None`` when the outcome is the same either way, or when the example cannot be
    replayed (a history of the state machine, a version that was never built): the
    ignored statement is then not shown to matter.
    """
    k = _position(engine, conflict.migration)
    start = _STARTS.get(effect.check)
    if k is None or start is None or not engine.available(k + start):
        return None
    migration = engine.migrations[k - 1]
    rollback = (conflict.direction or "apply") == "rollback"
    if rollback and migration.down_sql is None:
        return None
    dataset = Dataset.from_json(effect.example.get("rows", []))
    target = dataclasses.replace(engine.target, executor=None)
    actual = _outcome(
        engine, k + start, dataset, lambda c: _as_runner(c, migration, target, rollback)
    )
    honoured = _outcome(
        engine, k + start, dataset, lambda c: _as_asked(c, migration, target, rollback)
    )
    return differences(actual, honoured)


def _position(engine: Engine, label: str | None) -> int | None:
    """The 1-based position of the migration labelled ``label``."""
    for k, migration in enumerate(engine.migrations, start=1):
        if migration.label == label:
            return k
    return None


def _outcome(
    engine: Engine, version: int, dataset: Dataset, step: Callable[[sqlite3.Connection], None]
) -> Outcome:
    """Run ``step`` on version ``version`` holding ``dataset``; what it left."""
    conn = engine.restore(version)
    try:
        insert(conn, dataset)  # not engine.insert: no run statistics for a re-run
        try:
            step(conn)
        except (MigrationError, MigrationRefusedError) as exc:
            return Outcome(_reason(exc), {}, Counter())
        except HarnessError as exc:
            return Outcome(str(exc), {}, Counter())
        return Outcome(None, _rows(conn, engine.target), _violations(conn))
    finally:
        conn.close()


def _as_runner(conn: sqlite3.Connection, migration: Migration, target: Target, back: bool) -> None:
    """The step as the runner runs it (its transaction swallowing the pragmas)."""
    if back:
        runner.rollback(conn, migration, target)
    else:
        runner.apply(conn, migration, target)


def _as_asked(conn: sqlite3.Connection, migration: Migration, target: Target, back: bool) -> None:
    """The step with the file's pragmas and transaction control honoured."""
    if back:
        path = migration.down_path or migration.path
        run_as_asked(conn, migration.down_sql or "", path, target, migration.down_options)
    else:
        run_as_asked(conn, migration.up_sql, migration.path, target, migration.up_options)


def _reason(exc: MigrationError | MigrationRefusedError) -> str:
    """The failure as a user reads it: the engine's message and where."""
    if isinstance(exc, MigrationError):
        where = f" at line {exc.line}" if exc.line is not None else ""
        return f"{exc.reason}{where}"
    return exc.reason


def _rows(conn: sqlite3.Connection, target: Target) -> dict[str, Counter[tuple[object, ...]]]:
    """Every user table's rows, as a multiset (the order rows come back in is no outcome)."""
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        if name not in runner.bookkeeping_tables(target)
    ]
    quoted = {name: '"' + name.replace('"', '""') + '"' for name in names}
    return {name: Counter(conn.execute(f"SELECT * FROM {quoted[name]}")) for name in names}


def _violations(conn: sqlite3.Connection) -> Counter[tuple[str, str]]:
    """The broken foreign keys, as (child table, parent table) counts."""
    return Counter((row[0], row[2]) for row in conn.execute("PRAGMA foreign_key_check"))


def differences(actual: Outcome, honoured: Outcome) -> str | None:
    """How the run with the pragmas honoured differs from the runner's, in words.

    When both fail, only the failures are compared: the honoured run commits at each
    pragma, so what it leaves behind after a failure is no outcome of the file.
    """
    if actual.error != honoured.error:
        if honoured.error is None:
            return f"honoured, the step succeeds; under the runner it fails: {actual.error}"
        if actual.error is None:
            return f"honoured, the step fails: {honoured.error}"
        return f"honoured, the step fails otherwise: {honoured.error}"
    if actual.error is not None:
        return None
    changed = [
        _table_difference(table, actual.rows.get(table), honoured.rows.get(table))
        for table in sorted(set(actual.rows) | set(honoured.rows))
        if actual.rows.get(table) != honoured.rows.get(table)
    ]
    if changed:
        return "honoured, " + "; ".join(changed)
    if actual.violations != honoured.violations:
        broken = sum(actual.violations.values())
        return f"honoured, other foreign keys break ({broken} broken under the runner)"
    return None


def _table_difference(
    table: str,
    actual: Counter[tuple[object, ...]] | None,
    honoured: Counter[tuple[object, ...]] | None,
) -> str:
    """One table's difference: its row counts, or that the same number of rows differ."""
    if actual is None or honoured is None:
        return f"{table} {'exists' if actual is None else 'is gone'}"
    kept, left = sum(honoured.values()), sum(actual.values())
    if kept != left:
        return f"{table} keeps {kept} rows ({left} under the runner)"
    return f"{table} holds other values"
