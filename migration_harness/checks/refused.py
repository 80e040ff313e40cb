"""Writes a migration leaves no way to make: every ordinary INSERT into a table refused.

Part of the ``apply`` check. A ``BEFORE INSERT`` (or ``UPDATE``) trigger whose ``WHEN``
(or whose ``WHERE`` or ``CASE`` around its ``RAISE``) was meant to refuse some rows but is
true for every row
(``WHEN NEW.qty >= 0`` for "no negative quantities") applies cleanly on every database,
and so does every later file; the generator then draws rows against the table's triggers
and quietly throws every candidate away, so no data check sees it either. In production
the application's next INSERT into the table fails, and every one after it.

The probe: rows drawn against the table *without* the trigger (valid for every other
constraint, keys and seeds of the version included), each inserted on a copy of the
version in a savepoint. A row the trigger lets through ends the probe with no finding;
a finding needs every row tried refused with one of the trigger's own ``RAISE`` messages
(a row refused for any other reason proves nothing). A trigger whose ``RAISE`` is
unconditional (no ``WHEN``, no ``WHERE`` or ``CASE`` in its body: a table made read-only
on purpose) says so itself and is not judged.

A table the migration creates with a CHECK, a generated column or an index expression
that reads the clock (``CHECK (expires_at > datetime('now'))``) is refused the same way
by SQLite itself on its first row ('non-deterministic use of datetime() in a CHECK
constraint'), asked on a scratch table (:mod:`migration_harness.schema.determinism`). On
a table that already existed the file fails on the rows there instead (``apply_error``).
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from dataclasses import dataclass
from typing import Final

from migration_harness.checks.dangling import first_statement_after
from migration_harness.checks.draws import first_draw
from migration_harness.checks.engine import Engine
from migration_harness.checks.outcomes import example_of
from migration_harness.data.dataset import Dataset, Row, sql_literal
from migration_harness.data.strategies import datasets_for
from migration_harness.report.findings import Finding
from migration_harness.schema import determinism
from migration_harness.schema.literals import statement_literals
from migration_harness.schema.model import quote
from migration_harness.schema.records import Schema, Table, Trigger
from migration_harness.sets import tokens

# Datasets drawn per trigger, and the fewest rows of its table that must all be refused.
_TRIES: Final = 30
_LEAST_REFUSED: Final = 10
_SEED: Final = 20261206
_RAISING: Final = frozenset({"ABORT", "FAIL", "ROLLBACK"})
# What a write the trigger's RAISE(IGNORE) skipped says: nothing, the row is just not there.
_IGNORED: Final = "RAISE(IGNORE): the row is silently not written, and no error is raised"


@dataclass(frozen=True, slots=True)
class _Guard:
    """A trigger that may refuse a write: its table, event and the messages its RAISEs give."""

    trigger: Trigger
    table: str
    messages: frozenset[str]
    event: str = "INSERT"
    ignores: bool = False


def check_refused_writes(engine: Engine, k: int) -> list[Finding]:
    """``write_refused`` findings: triggers new at ``k`` that refuse every INSERT tried.

    Only triggers new or changed at ``k`` that still stand at the version deployed with
    it (the last file of its ship group) are judged, once.
    """
    if k < 1 or not engine.available(k):
        return []
    top = k
    while not engine.deploys.is_deployed(top):
        top += 1
    before = {t.name.lower(): t for t in engine.versions[k - 1].schema.triggers}
    standing = set(engine.versions[top].schema.triggers) if engine.available(top) else set()
    findings = _clock_refusals(engine, k, top)
    for trigger in engine.versions[k].schema.triggers:
        if before.get(trigger.name.lower()) == trigger or trigger not in standing:
            continue
        guard = _guard(trigger)
        if guard is not None:
            findings += _judge(engine, k, guard)
    return findings


def _clock_refusals(engine: Engine, k: int, top: int) -> list[Finding]:
    """Tables new at ``k`` (and standing at ``top``) whose every row SQLite refuses."""
    old = engine.versions[k - 1].schema.by_lower_name
    standing = engine.versions[top].schema.by_lower_name if engine.available(top) else {}
    migration = engine.migrations[k - 1]
    findings = []
    for table in engine.versions[k].schema.tables.values():
        name = table.name.lower()
        if name in old or name not in standing or table.virtual:
            continue
        columns = [c.name for c in table.columns if not c.is_generated]
        for kind, expression in _stored_expressions(table):
            refused = determinism.clock_refusal(columns, kind, expression)
            if refused is None:
                continue
            findings.append(
                Finding(
                    "write_refused",
                    migration.label,
                    f"every INSERT into {table.name} fails after {migration.id}: SQLite "
                    f"refuses '{refused}' on each row (an empty table applies the file)",
                    (
                        *first_statement_after(
                            engine, k, functools.partial(_has_table, name=table.name)
                        ),
                        f"{kind}: {expression}",
                    ),
                    {"steps": [engine.migrate_step(k - 1), f"apply {migration.id}"]},
                    "apply",
                    "apply",
                )
            )
            break
    return findings


def _stored_expressions(table: Table) -> list[tuple[str, str]]:
    """``(kind, expression)`` of each CHECK, generated column and index expression."""
    found = [(determinism.CHECK, c.expression) for c in table.checks]
    found += [(determinism.GENERATED, c.expression) for c in table.columns if c.expression]
    for index in table.indexes:
        names = index.names if len(index.names) == len(index.columns) else ()
        found += [
            (determinism.INDEX, column.rsplit(" ", 1)[0] if " DESC" in column else column)
            for column, name in zip(index.columns, names, strict=True)
            if name is None
        ]
        if index.where is not None:
            found.append((determinism.PARTIAL, index.where))
    return found


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether ``conn``'s schema holds table ``name``."""
    rows = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND lower(name) = lower(?)", (name,)
    )
    return rows.fetchone() is not None


def _guard(trigger: Trigger) -> _Guard | None:
    """``trigger`` as a conditional INSERT or UPDATE guard; ``None`` if unconditional."""
    found = tokens.tokens(trigger.source)
    if found is None:
        return None
    words = [t.word for t in found]
    if "BEGIN" not in words:
        return None
    head, body = words[: words.index("BEGIN")], words[words.index("BEGIN") :]
    event = next((w for w in head if w in ("INSERT", "UPDATE", "DELETE")), "")
    if event not in ("INSERT", "UPDATE"):
        return None
    conditional = "WHEN" in head or "WHERE" in body or "CASE" in body
    messages = {
        found[at + 4].text
        for at, word in enumerate(words[:-4])
        if word == "RAISE" and words[at + 2] in _RAISING and found[at + 4].quoted
    }
    ignores = any(
        word == "RAISE" and words[at + 2] == "IGNORE" for at, word in enumerate(words[:-2])
    )
    if not conditional or not (messages or ignores):
        return None
    return _Guard(trigger, trigger.table, frozenset(messages), event, ignores)


def _judge(engine: Engine, k: int, guard: _Guard) -> list[Finding]:
    """The finding when every row of ``guard``'s table drawn without it is refused by it."""
    schema = engine.hinted(k)
    table = schema.by_lower_name.get(guard.table.lower())
    if table is None or table.virtual:
        return []
    # Drawn without the literals the set compares columns with: the values the guard
    # itself singles out are its exceptions (WHEN OLD.status = 'closed' OR NEW.status <>
    # 'closed' lets the closing UPDATE through), and the probe asks about ordinary writes.
    without = Schema(
        {n: dataclasses.replace(t, compared_literals=()) for n, t in schema.tables.items()},
        tuple(t for t in schema.triggers if t != guard.trigger),
        schema.views,
    )
    strategy = datasets_for(
        without,
        existing=engine.versions[k].rows,
        max_rows=engine.max_rows,
        tables=_with_parents(without, table.name),
    )
    probe = _Probe(engine.restore(k), table, guard)
    try:
        first_draw(strategy, probe.passes, _TRIES, _SEED)
    finally:
        probe.conn.close()
    if probe.let_through or probe.refused < _LEAST_REFUSED or probe.example is None:
        return []
    migration = engine.migrations[k - 1]
    steps = [engine.migrate_step(k - 1), f"apply {migration.id}", "insert the rows"]
    writes = "INSERT into" if guard.event == "INSERT" else "UPDATE of"
    if guard.event == "UPDATE":
        steps.append(f"update each {table.name} row to the values of the next one")
    fails = "is silently dropped" if probe.message == _IGNORED else "fails"
    return [
        Finding(
            "write_refused",
            migration.label,
            f"every {writes} {table.name} {fails} after {migration.id}: trigger "
            f"{guard.trigger.name} refused each of the {probe.refused} writes tried "
            f"('{probe.message}'), rows every other constraint of {table.name} accepts",
            (
                *first_statement_after(engine, k, lambda c: _has_trigger(c, guard.trigger)),
                f"trigger: {guard.trigger.source}",
                "its condition holds for every row tried: the application's next "
                f"{writes} {table.name} {fails}, and so does every one after it",
                *_exceptions(guard),
            ),
            example_of(probe.example, steps),
            "apply",
            "apply",
        )
    ]


def _exceptions(guard: _Guard) -> tuple[str, ...]:
    """What the rows tried did not aim at: the values the guard's own condition compares with."""
    table = guard.table.lower()
    values = dict.fromkeys(
        sql_literal(v) for (t, _), v in statement_literals(guard.trigger.source) if t == table
    )
    if not values:
        return ()
    return (
        f"the values the trigger itself compares with ({', '.join(values)}) were not drawn "
        "on purpose: a write holding one of them may be one it lets through",
    )


def _with_parents(schema: Schema, name: str) -> list[str]:
    """``name`` and the tables its foreign keys reach, transitively (rows need parents)."""
    found, queue = [name], [name]
    while queue:
        table = schema.by_lower_name.get(queue.pop().lower())
        for fk in table.foreign_keys if table is not None else ():
            parent = schema.by_lower_name.get(fk.other_table.lower())
            if parent is not None and parent.name not in found:
                found.append(parent.name)
                queue.append(parent.name)
    return found


def _has_trigger(conn: sqlite3.Connection, trigger: Trigger) -> bool:
    """Whether ``conn``'s schema holds a trigger named as ``trigger`` is."""
    rows = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND lower(name) = lower(?)",
        (trigger.name,),
    )
    return rows.fetchone() is not None


class _Probe:
    """Writes each drawn dataset on a copy of the version, in a savepoint it rolls back.

    An INSERT guard is tried by the inserts themselves; an UPDATE guard by updating each
    row of its table to the values of the next one drawn (keys and UNIQUE columns kept),
    as the application rewrites a row.
    """

    def __init__(self, conn: sqlite3.Connection, table: Table, guard: _Guard) -> None:
        self.conn, self.table, self.guard = conn, table, guard
        self.name = table.name.lower()
        self.kept = {c.name.lower() for c in table.columns if c.pk} | {
            c.lower() for s in table.unique_sets for c in s
        }
        self.refused = 0
        self.let_through = False
        self.message = ""
        self.example: Dataset | None = None

    def passes(self, dataset: Dataset) -> bool:
        """Whether a write of the table got through (``find``'s condition: ends the search)."""
        self.conn.execute("SAVEPOINT mh_refused")
        refused = 0
        try:
            written: list[tuple[int, Row]] = []
            for row in dataset.rows:
                sql, params = row.insert_sql()
                try:
                    cursor = self.conn.execute(sql, params)
                except sqlite3.Error as exc:
                    refused += row.table.lower() == self.name and self._refuses(exc)
                    if not self.conn.in_transaction:  # RAISE(ROLLBACK) ended the savepoint
                        break
                    continue
                if row.table.lower() == self.name:
                    if self._skipped(cursor):
                        refused += 1
                        continue
                    written.append((cursor.lastrowid or 0, row))
            if self.guard.event == "INSERT" and written:
                self.let_through = True
                return True
            if self.guard.event == "UPDATE":
                refused += self._updates(written)
                if self.let_through:
                    return True
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK TO mh_refused")
                self.conn.execute("RELEASE mh_refused")
        if refused:
            self.refused += refused
            if self.example is None or len(dataset.rows) < len(self.example.rows):
                self.example = dataset
        return False

    def _updates(self, written: list[tuple[int, Row]]) -> int:
        """Update each written row to the next one's values; how many the guard refused."""
        refused = 0
        if len(written) < 2 or self.table.without_rowid:
            return 0
        for at, (rowid, _) in enumerate(written):
            other = written[(at + 1) % len(written)][1]
            values = [(c, v) for c, v in other.values if c.lower() not in self.kept]
            if not values:
                return 0
            sets = ", ".join(f"{quote(c)} = ?" for c, _ in values)
            sql = f"UPDATE {quote(self.table.name)} SET {sets} WHERE rowid = ?"
            try:
                cursor = self.conn.execute(sql, [*(v for _, v in values), rowid])
            except sqlite3.Error as exc:
                refused += self._refuses(exc)
                if not self.conn.in_transaction:
                    return refused
                continue
            if self._skipped(cursor):
                refused += 1
                continue
            self.let_through = True
            return refused
        return refused

    def _skipped(self, cursor: sqlite3.Cursor) -> bool:
        """Whether the guard's ``RAISE(IGNORE)`` skipped the write (no row changed)."""
        if self.guard.ignores and cursor.rowcount == 0:
            self.message = _IGNORED
            return True
        return False

    def _refuses(self, exc: sqlite3.Error) -> bool:
        """Whether ``exc`` is one of the guard's own RAISE messages (remembered if so)."""
        if str(exc) in self.guard.messages:
            self.message = str(exc)
            return True
        return False
