"""Rows a ``DROP TABLE`` takes from a table the same file writes on purpose.

A table the file writes with ``UPDATE``/``DELETE`` is a data migration, so ``compare``
leaves its changes alone (its ``intended``). A rebuild's ``DROP TABLE artists`` under keys
on still deletes every artist first, and ``ON DELETE CASCADE`` deletes every track with
it (``SET NULL`` unlinks them) — whether or not the file also ran ``UPDATE tracks SET
plays = 0 WHERE plays < 0``. That ``UPDATE`` names the rows and columns it changes; the
cascade's rows are none of them, and lint's MH302 says so statically. Here the run shows
it: the same file is run a second time on the same rows with the connection's keys off,
so no ``DROP`` fires an action, and each row of such a table that the production run
lost (matched by its key), or whose key column it nulled, where the second run kept it,
went through the cascade, not through the file's own word. The production run alone is
judged: the second run only tells the file's own writes (the same in both) from the
cascade's. A ``DROP`` of a table the file re-creates empty on purpose says its children
go too (:func:`~migration_harness.checks.cascade.cascade_of_delete`): not counted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from migration_harness.checks.cascade import dropped_tables, reach
from migration_harness.checks.engine import Engine
from migration_harness.checks.intent import LOSS
from migration_harness.checks.loss import own_update_loss
from migration_harness.checks.statements import parse
from migration_harness.errors import HarnessError
from migration_harness.report.findings import Finding
from migration_harness.schema.model import Schema, Table, table_map
from migration_harness.schema.sqltext import quote
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import Statement

_NULLING = frozenset({"SET NULL", "SET DEFAULT"})


@dataclass(frozen=True, slots=True)
class DropReach:
    """What a file's ``DROP TABLE`` can do to one table the file also writes.

    Attributes:
        table: the written table (lower-cased).
        drop: the ``DROP`` (one line, as the file wrote it).
        removes: its rows can go (``ON DELETE CASCADE``, directly or through other tables).
        nulls: its columns (lower-cased) the drop can unlink (``SET NULL``/``SET DEFAULT``).
    """

    table: str
    drop: str
    removes: bool
    nulls: frozenset[str]


_Key = tuple[tuple[str, ...], int, frozenset[str], frozenset[str]]
# Answers by (statements, schema record, written, emptied): every example of a rollback
# property asks again for its file's (``checks.shared``), and each asking parsed every
# statement of the file. The record is kept in the value, so an id reused by a later
# record is never taken for it. Bounded: emptied when full.
_REACHED: dict[_Key, tuple[Schema, Mapping[str, DropReach]]] = {}
_REACHED_MAX = 1_024


def drop_reach(
    statements: Iterable[Statement],
    before: Schema,
    written: Collection[str],
    emptied: Collection[str] = (),
) -> Mapping[str, DropReach]:
    """The tables of ``written`` a ``DROP TABLE`` of the file can remove rows of or unlink.

    ``emptied``: tables (lower-cased) the file re-creates empty on purpose; their drop is
    a declared ``DELETE`` of every row (:mod:`~migration_harness.checks.cascade`). The
    answer depends on these alone, so it is remembered and shared: callers only read it.
    """
    listed = tuple(statements)
    key = (tuple(s.sql for s in listed), id(before), frozenset(written), frozenset(emptied))
    cached = _REACHED.get(key)
    if cached is not None and cached[0] is before:
        return cached[1]
    found = _drop_reach(listed, before, written, emptied)
    if len(_REACHED) >= _REACHED_MAX:
        _REACHED.clear()
    _REACHED[key] = (before, found)
    return found


def _drop_reach(
    statements: Iterable[Statement],
    before: Schema,
    written: Collection[str],
    emptied: Collection[str],
) -> dict[str, DropReach]:
    """:func:`drop_reach`, computed."""
    tables = table_map(before)
    found: dict[str, DropReach] = {}
    for statement in statements:
        parsed = parse(statement.sql)
        if not isinstance(parsed, exp.Drop) or parsed.kind != "TABLE":
            continue
        for gone in (t.name.lower() for t in dropped_tables(parsed)):
            if gone in emptied or gone not in tables:
                continue
            removed = reach({gone}, tables, cascade_only=True)
            for table in (t.lower() for t in written):
                if table == gone or table in found:
                    continue
                removes = table in removed
                nulls = _nulled(tables.get(table), removed)
                if removes or nulls:
                    found[table] = DropReach(table, _one_line(statement.sql), removes, nulls)
    return found


def _one_line(sql: str) -> str:
    """A statement on one line, without its closing ``;``."""
    return " ".join(sql.split()).rstrip(";").rstrip()


def _nulled(table: Table | None, removed: set[str]) -> frozenset[str]:
    """Columns of ``table`` whose ``ON DELETE SET NULL/DEFAULT`` points into ``removed``."""
    if table is None:
        return frozenset()
    return frozenset(
        column.lower()
        for fk in table.foreign_keys
        if fk.on_delete.upper() in _NULLING and fk.other_table.lower() in removed
        for column in fk.columns
    )


Keyed = dict[tuple[Any, ...], dict[str, Any]]


def read_keyed(conn: sqlite3.Connection, schema: Schema, names: Iterable[str]) -> dict[str, Keyed]:
    """Each table's rows by key (its PRIMARY KEY, else its rowid), columns lower-cased.

    A table without either (gone, or WITHOUT ROWID with no key) is left out.
    """
    tables = table_map(schema)
    found: dict[str, Keyed] = {}
    for name in names:
        table = tables.get(name.lower())
        if table is None:
            continue
        key = list(table.primary_key)
        if not key and table.without_rowid:
            continue
        keys = ", ".join(quote(c) for c in key) if key else "rowid"
        cursor = conn.execute(f"SELECT {keys}, * FROM {quote(table.name)}")
        width = len(key) or 1
        columns = [d[0].lower() for d in cursor.description][width:]
        found[name.lower()] = {
            row[:width]: dict(zip(columns, row[width:], strict=True)) for row in cursor
        }
    return found


def cascade_findings(
    migration: Migration,
    reached: Mapping[str, DropReach],
    actual: Mapping[str, Keyed],
    untouched: Mapping[str, Keyed],
    example: dict[str, Any],
    check: str = "apply_keeps_data",
) -> list[Finding]:
    """MH141 per table for rows or links the production run lost and the keys-off run kept.

    ``actual``: the rows after the file as the runner runs it; ``untouched``: after the
    same file with no foreign-key action (keys off). ``check``: ``apply_keeps_data`` for
    the forward file, else the rollback check whose down file ran.
    """
    findings = []
    for name in sorted(reached):
        hit = reached[name]
        mine, kept = actual.get(name), untouched.get(name)
        if mine is None or kept is None:
            continue
        details = _lost(name, hit, mine, kept)
        if not details:
            continue
        doing = "applying it" if check == "apply_keeps_data" else "rolling it back"
        message = (
            f"{doing} removes or unlinks {len(details)} row(s) of {name}, which its own "
            f"statements write but never for these rows: {hit.drop} fires the table's "
            "foreign-key action"
        )
        if check == "apply_keeps_data":
            findings.append(own_update_loss(migration, message, tuple(details), example))
        else:
            findings.append(
                Finding(
                    "data_loss",
                    migration.label,
                    message,
                    tuple(details),
                    example,
                    "rollback",
                    check,
                    code=LOSS,
                )
            )
    return findings


def without_actions(
    engine: Engine, image: bytes, step: Callable[[sqlite3.Connection], None]
) -> sqlite3.Connection | None:
    """``image`` after ``step`` run with foreign keys off: no ``DROP`` fires an action.

    Only to tell a file's own writes from a cascade's; ``None`` where the step fails there
    (the production run's outcome is judged on its own).
    """
    conn = engine.open(image)
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        step(conn)
    except (HarnessError, sqlite3.Error):
        conn.close()
        return None
    return conn


def cascaded(
    engine: Engine,
    migration: Migration,
    state: tuple[sqlite3.Connection, bytes, Schema],
    reached: Mapping[str, DropReach],
    step: Callable[[sqlite3.Connection], None],
    example: dict[str, Any],
    check: str = "apply_keeps_data",
) -> list[Finding]:
    """MH141 for the rows ``step``'s ``DROP`` cascaded out of tables the file writes.

    ``state``: the connection after the production run, the image it started from and
    the schema after it. ``step`` runs the file (forward or its rollback) once more on that
    image with keys off (:func:`without_actions`); what only the production run lost is
    the cascade's (:func:`cascade_findings`).
    """
    conn, image, after_schema = state
    kept = without_actions(engine, image, step)
    if kept is None:
        return []
    try:
        untouched = read_keyed(kept, after_schema, reached)
    finally:
        kept.close()
    actual = read_keyed(conn, after_schema, reached)
    return cascade_findings(migration, reached, actual, untouched, example, check)


def _lost(name: str, hit: DropReach, mine: Keyed, kept: Keyed) -> list[str]:
    """One line per row ``kept`` holds that ``mine`` lost or unlinked."""
    found: list[str] = []
    for key, row in kept.items():
        now, shown = mine.get(key), show_key(key)
        if now is None:
            if hit.removes:
                found.append(f"{name}: row {shown} deleted by the cascade")
            continue
        for column in sorted(hit.nulls):
            if row.get(column) is not None and now.get(column) != row.get(column):
                found.append(
                    f"{name}: row {shown} {column} {row.get(column)!r} -> {now.get(column)!r}"
                )
    return found


def show_key(key: tuple[Any, ...]) -> str:
    """A row's key as the report prints it (a one-column key bare)."""
    return repr(key[0]) if len(key) == 1 else repr(key)
