"""Running migration files on the real local D1 while the checks keep their sqlite3 copies.

The property engine works on in-memory sqlite3 connections: snapshots, generated rows,
reads and introspection are all local and cheap. Only the files themselves must run on the
engine under test. :class:`MirrorExecutor` does that for each file in one request: make D1
hold exactly the connection's state (skipped when it already does), run the file's
statements and tracking rows as one atomic batch — as ``wrangler d1 migrations apply``
does — and load D1's resulting state back into the connection. Every existing check then
works unchanged on what real D1 did, orphans included (``foreign_key_check`` finds them).

Values cross as SQL literals (``quote()``), never as bound parameters: D1 allows 100 bound
parameters a statement and JavaScript numbers lose integers beyond 2^53.

:class:`DifferentialExecutor` runs each file on the ``d1`` emulation too and records every
divergence — an error on one side only, another schema, other rows — for ``check
--differential`` to report as ``engine_divergence``.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from migration_harness.d1.miniflare import EngineFailedError, LocalD1

# What D1 holds lives in d1.state; re-exported (`X as X`) so old imports keep working.
from migration_harness.d1.state import DbObject as DbObject
from migration_harness.d1.state import Sendable as Sendable
from migration_harness.d1.state import State as State
from migration_harness.d1.state import TableRows as TableRows
from migration_harness.d1.state import Value as Value
from migration_harness.d1.state import _show
from migration_harness.d1.state import fingerprint as fingerprint
from migration_harness.d1.state import image as image
from migration_harness.d1.state import load as load
from migration_harness.errors import MigrationError
from migration_harness.schema.diff import diff_schemas
from migration_harness.schema.model import introspect
from migration_harness.sets import runner
from migration_harness.sets.d1rules import wrangler_text
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import Target, TrackingStatements

_DEFER_ON: Final = "PRAGMA defer_foreign_keys = ON"
# Switching deferral off at the end of a batch forgives what is still violated (measured on
# D1, and SQLite's own rule): a state holding orphans is restored as it is.
_DEFER_OFF: Final = "PRAGMA defer_foreign_keys = OFF"


@dataclass(frozen=True, slots=True)
class _Wire:
    """A statement as sent to D1, and where it came from for error messages."""

    sql: str
    line: int | None  # the file's line; None for the runner's tracking statements


class MirrorExecutor:
    """Runs every file on a local D1 and mirrors D1's resulting state into the connection.

    Args:
        d1: the local D1 to run on.
        may_reset: whether D1 may be reset to the connection's state. False for a persisted
            database (``migrate --persist-to``): there the connection mirrors D1, never the
            other way round, and a mismatch is an error instead of a silent overwrite.

    """

    def __init__(self, d1: LocalD1, *, may_reset: bool = True) -> None:
        self.d1 = d1
        self.may_reset = may_reset

    def attach(self, conn: sqlite3.Connection, *, create_tracking: bool = False) -> None:
        """Load D1's current state into ``conn`` (a persisted database).

        ``create_tracking`` makes wrangler's tracking table on D1 first (``migrate``), so
        the runner finds it in the mirror and never writes it locally only.
        """
        statements = list(runner.TRACKING_DDL) if create_tracking else []
        answer = self.d1.request({"statements": statements, "pull": True})
        if not answer["ok"]:
            message = f"local D1: cannot read the database: {answer['error']}"
            raise EngineFailedError(message)
        self._load(conn, State.from_json(answer["state"]))

    def run_file(
        self,
        conn: sqlite3.Connection,
        sql: str,
        path: Path,
        target: Target,
        tracking: TrackingStatements | None,
        *,
        unless_applied: Migration | None = None,
    ) -> bool:
        """Push the state if D1 lacks it, run the file as one batch, pull the result."""
        if unless_applied is not None and unless_applied.id in {
            r.name for r in runner.applied_rows(conn)
        }:
            return False
        wire = _wire_statements(sql, tracking)
        digest = fingerprint(conn)
        body: dict[str, Any] = {"statements": [w.sql for w in wire], "pull": True, "probe": True}
        if digest != self.d1.fingerprint:
            if not self.may_reset:
                message = f"{path}: the local copy no longer matches the persisted D1 database"
                raise EngineFailedError(message)
            body["reset"] = True
            body["push"] = [_DEFER_ON, *State.read(conn).creation_sql(), _DEFER_OFF]
        answer = self.d1.request(body)
        if not answer["ok"]:
            if answer["stage"] != "run":
                self.d1.fingerprint = None
                message = (
                    f"{path}: local D1 could not {answer['stage']} the state: {answer['error']}"
                )
                raise EngineFailedError(message)
            self.d1.fingerprint = digest  # the batch rolled back: D1 holds the pushed state
            raise _error(path, wire, answer)
        self._load(conn, State.from_json(answer["state"]))
        runner.prepare(conn, target)
        return True

    def _load(self, conn: sqlite3.Connection, state: State) -> None:
        load(conn, state)
        self.d1.fingerprint = fingerprint(conn)


def _wire_statements(sql: str, tracking: TrackingStatements | None) -> list[_Wire]:
    """The batch wrangler would send: the file's text rules, then the tracking rows.

    wrangler appends its tracking INSERT to the file's text, so a last statement without
    ``;`` swallows it and D1 reports the syntax error itself.
    """
    statements = split_statements(wrangler_text(sql))
    wire = [_Wire(s.sql, s.line) for s in statements]
    if tracking is None:
        return wire
    rows = [_inline(text, params) for text, params in tracking]
    if statements and not statements[-1].terminated and rows:
        wire[-1] = _Wire(f"{wire[-1].sql}\n{rows.pop(0)}", wire[-1].line)
    return [
        *(_Wire(ddl, None) for ddl in runner.TRACKING_DDL),
        *wire,
        *(_Wire(r, None) for r in rows),
    ]


def _error(path: Path, wire: Sequence[_Wire], answer: dict[str, Any]) -> MigrationError:
    """The sqlite3 path's MigrationError, worded with D1's own message."""
    index = answer.get("index")
    reason = str(answer["error"])
    if index is None or index >= len(wire):
        return MigrationError(str(path), reason, "COMMIT")
    failed = wire[index]
    return MigrationError(str(path), reason, failed.sql, line=failed.line)


def _inline(sql: str, params: tuple[object, ...]) -> str:
    """Replace each ``?`` with its parameter as an SQL literal (tracking rows: text, ints)."""
    parts = sql.split("?")
    out = [parts[0]]
    for param, rest in zip(params, parts[1:], strict=True):
        out += [_literal(param), rest]
    return "".join(out)


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text.replace("'", "''") + "'"


# --- differential ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Divergence:
    """One file the ``d1`` emulation and the local D1 ran differently."""

    path: str
    summary: str
    details: tuple[str, ...]
    state_before: str
    emulation: str
    d1: str


@dataclass(slots=True)
class DifferentialExecutor:
    """Runs each file on the emulation and on the local D1; D1's outcome carries on."""

    mirror: MirrorExecutor
    divergences: list[Divergence] = field(default_factory=list)

    def take(self) -> list[Divergence]:
        """The divergences recorded since the last call."""
        taken, self.divergences = self.divergences, []
        return taken

    def run_file(
        self,
        conn: sqlite3.Connection,
        sql: str,
        path: Path,
        target: Target,
        tracking: TrackingStatements | None,
        *,
        unless_applied: Migration | None = None,
    ) -> bool:
        """Run the file both ways, record any divergence, leave D1's result in ``conn``."""
        before = image(conn)
        emulated = sqlite3.connect(":memory:", isolation_level=None)
        try:
            if before:
                emulated.deserialize(before)
            rules = replace(target, executor=None)
            runner.prepare(emulated, rules)
            emulation_error: MigrationError | None = None
            try:
                runner._run_file(  # the sqlite3 path itself is the reference
                    emulated, sql, path, rules, tracking, unless_applied=unless_applied
                )
            except MigrationError as exc:
                emulation_error = exc
            d1_error: MigrationError | None = None
            ran = False
            try:
                ran = self.mirror.run_file(
                    conn, sql, path, target, tracking, unless_applied=unless_applied
                )
            except MigrationError as exc:
                d1_error = exc
            found = _divergence(path, before, emulated, emulation_error, conn, d1_error, target)
        finally:
            emulated.close()
        if found is not None:
            self.divergences.append(found)
        if d1_error is not None:
            raise d1_error
        return ran


def _divergence(
    path: Path,
    image_before: bytes,
    emulated: sqlite3.Connection,
    emulation_error: MigrationError | None,
    real: sqlite3.Connection,
    d1_error: MigrationError | None,
    target: Target,
) -> Divergence | None:
    """Compare both outcomes; ``None`` when they agree (both errors count as agreeing)."""
    emulation = f"error: {emulation_error.reason}" if emulation_error else "applied"
    d1 = f"error: {d1_error.reason}" if d1_error else "applied"
    details: tuple[str, ...] = ()
    if (emulation_error is None) != (d1_error is None):
        summary = "an error on one side only"
        failed = emulation_error or d1_error
        details = (
            (f"statement: {' '.join((failed.statement or '').split())[:300]}",) if failed else ()
        )
    elif emulation_error is not None:
        return None
    else:
        exclude = runner.bookkeeping_tables(target)
        drift = diff_schemas(
            introspect(emulated, exclude=exclude), introspect(real, exclude=exclude)
        )
        ours, theirs = State.read(emulated), State.read(real)
        names = {(o.type, o.name) for o in ours.objects if not o.is_internal}
        d1_names = {(o.type, o.name) for o in theirs.objects if not o.is_internal}
        details = tuple(drift.differences) if drift else ()
        details += tuple(f"only in the emulation: {t} {n}" for t, n in sorted(names - d1_names))
        details += tuple(f"only on D1: {t} {n}" for t, n in sorted(d1_names - names))
        if details:
            summary = "a different schema"
        else:
            details = _row_differences(
                _clock_masked(ours.comparable()), _clock_masked(theirs.comparable())
            )
            if not details:
                return None
            summary = "different rows"
    before = sqlite3.connect(":memory:")
    try:
        if image_before:
            before.deserialize(image_before)
        state_before = State.read(before).describe()
    finally:
        before.close()
    return Divergence(str(path), summary, details, state_before, emulation, d1)


_NOW_TEXT: Final = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?Z?$")
_CLOCK_SLACK_SECONDS: Final = 600.0


def _clock_masked(
    tables: dict[str, Counter[tuple[Value, ...]]],
) -> dict[str, Counter[tuple[Value, ...]]]:
    """Rows with "now" (``CURRENT_TIMESTAMP``, ``datetime('now')``) replaced by a marker.

    The two engines run the same file moments apart: a default or a seed that reads the
    clock may land in different seconds, which is no divergence. Only timestamps within
    minutes of the present are masked; any other value still has to match exactly.
    """
    now = datetime.now(UTC)

    def mask(value: Value) -> Value:
        # States hold SQL literals: text is quoted ('2026-11-21 11:14:11').
        text = value[1:-1] if isinstance(value, str) and value[:1] == "'" else None
        if text is not None and _NOW_TEXT.match(text):
            try:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                return value
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            if abs((moment - now).total_seconds()) <= _CLOCK_SLACK_SECONDS:
                return "<now>"
        return value

    masked: dict[str, Counter[tuple[Value, ...]]] = {}
    for table, rows in tables.items():
        counts: Counter[tuple[Value, ...]] = Counter()
        for row, n in rows.items():
            counts[tuple(mask(v) for v in row)] += n
        masked[table] = counts
    return masked


def _row_differences(
    ours: dict[str, Counter[tuple[Value, ...]]], theirs: dict[str, Counter[tuple[Value, ...]]]
) -> tuple[str, ...]:
    lines: list[str] = []
    for table in sorted(set(ours) | set(theirs)):
        mine, real = ours.get(table, Counter()), theirs.get(table, Counter())
        for row in sorted(map(_show, (mine - real).elements()))[:3]:
            lines.append(f"{table}: only in the emulation: ({row})")
        for row in sorted(map(_show, (real - mine).elements()))[:3]:
            lines.append(f"{table}: only on D1: ({row})")
    return tuple(lines)


def miniflare_conflict(target: str | None, foreign_keys: str | None) -> str | None:
    """Why a target or foreign-key setting cannot run on the local D1, if it cannot.

    The engine runs D1's own rules: any other runner's target, or keys off (D1 enforces
    them always), would be a check of something nobody deploys.
    """
    if target not in (None, "d1"):
        return f"the local D1 runs D1's rules only: drop the target {target} (or use d1)"
    if foreign_keys == "off":
        return "D1 always enforces foreign keys: drop foreign keys off"
    return None


def engine_target(target: Target, d1: LocalD1, *, differential: bool = False) -> Target:
    """``target`` (which must follow D1's rules) with its files run on ``d1``."""
    mirror = MirrorExecutor(d1)
    return replace(target, executor=DifferentialExecutor(mirror) if differential else mirror)
