"""Names a migration leaves pointing at nothing: views, triggers, foreign keys.

Part of the ``apply`` check, on the schema alone (no rows): a defect of this kind shows
no trace in the data checks, because every row the generator draws for a table whose
trigger or foreign key names a missing table is refused, and is skipped as invalid. The
migration applies cleanly on every database; the application's first write (the trigger
fires, or SQLite looks for the key's parent) or read (the view) fails in production.

Only what is new at version k counts, so a view broken earlier in the history is reported
once, at the migration that broke it; and only what still stands at the version deployed
with it (the last file of its ship group): a trigger a later file of the same commit
gives its table has no moment in production without it.
"""

from __future__ import annotations

import functools
import sqlite3
import weakref
from collections.abc import Callable

from migration_harness.checks.engine import Engine
from migration_harness.report.findings import Finding
from migration_harness.schema.records import ForeignKey, Schema
from migration_harness.schema.resolve import Unresolved, new_unresolved, unresolved
from migration_harness.sets.sql import split_statements


def check_dangling(engine: Engine, k: int) -> list[Finding]:
    """``dangling_reference`` and ``fk_violation`` findings of applying migration ``k``.

    ``dangling_reference``: a view or trigger that SQLite cannot compile at version ``k``
    and could at ``k-1`` (or did not exist). ``fk_violation``: a foreign key whose parent
    table does not exist at ``k`` (the child's MH151, as a key SQLite cannot check is:
    every write to it fails while keys are on, 'no such table').
    """
    if k < 1 or not engine.available(k):
        return []
    migration = engine.migrations[k - 1]
    example = {"steps": [engine.migrate_step(k - 1), f"apply {migration.id}"]}
    top = k
    while not engine.deploys.is_deployed(top):
        top += 1
    broken = new_unresolved(_unresolved_at(engine, k - 1), _unresolved_at(engine, k))
    if broken and top != k:
        deployed = {u.key for u in _unresolved_at(engine, top)}
        broken = tuple(u for u in broken if u.key in deployed)
    findings = [
        Finding(
            "dangling_reference",
            migration.label,
            f"{item.describe()} after {migration.id} (applying it succeeds: SQLite checks "
            f"a {item.type}'s body only when it is used)",
            (
                *first_statement_after(engine, k, functools.partial(_still_broken, item=item)),
                f"{item.type}: {item.sql}",
                f"SQLite: {item.error}",
            ),
            example,
            "apply",
            "apply",
        )
        for item in broken
    ]
    before = _keys_to_missing_tables(engine.versions[k - 1].schema)
    standing = _keys_to_missing_tables(engine.versions[top].schema)
    for fk in _keys_to_missing_tables(engine.versions[k].schema):
        if fk not in before and fk in standing:
            findings.append(
                Finding(
                    "fk_violation",
                    migration.label,
                    f"every write to {fk.table} fails while foreign keys are on: "
                    f"no such table: {fk.other_table} (after {migration.id})",
                    (
                        *first_statement_after(engine, k, functools.partial(_key_dangles, fk=fk)),
                        f"{fk.describe()} points at a table that does not exist",
                    ),
                    example,
                    "apply",
                    "apply",
                )
            )
    return findings


_SEEN: weakref.WeakKeyDictionary[Engine, dict[int, tuple[Unresolved, ...]]] = (
    weakref.WeakKeyDictionary()
)


def _unresolved_at(engine: Engine, k: int) -> tuple[Unresolved, ...]:
    """The broken views and triggers of version ``k`` (none to look at: no copy made).

    Remembered per engine: migration ``k`` asks for ``k - 1`` and ``k``, ``k + 1`` for
    ``k`` again, and a copy of a version is what costs.
    """
    schema = engine.versions[k].schema
    if not schema.views and not schema.triggers:
        return ()
    seen = _SEEN.setdefault(engine, {})
    if k not in seen:
        conn = engine.restore(k)
        try:
            seen[k] = unresolved(conn)
        finally:
            conn.close()
    return seen[k]


def _keys_to_missing_tables(schema: Schema) -> list[ForeignKey]:
    """Foreign keys of ``schema`` whose parent table it does not have (any case)."""
    names = schema.by_lower_name
    return [
        fk
        for table in schema.tables.values()
        for fk in table.foreign_keys
        if fk.other_table.lower() not in names
    ]


def first_statement_after(
    engine: Engine, k: int, broken: Callable[[sqlite3.Connection], bool]
) -> tuple[str, ...]:
    """``("statement: …",)``: the first statement of ``k`` after which ``broken`` holds.

    The file is run statement by statement on a copy of version ``k - 1``, so the finding
    points at the line a reviewer must change (the ``CREATE TRIGGER``, the ``DROP TABLE``
    that took the view's table). Empty when the file does not run that way (a statement
    that needs the runner's own handling): the finding then names the file only.
    """
    conn = engine.restore(k - 1)
    try:
        for statement in split_statements(engine.migrations[k - 1].up_sql):
            conn.execute(statement.sql)
            if statement.keywords[:1] in (("CREATE",), ("DROP",), ("ALTER",)) and broken(conn):
                return (f"statement: {statement.sql}",)
    except sqlite3.Error:
        return ()
    finally:
        conn.close()
    return ()


def _still_broken(conn: sqlite3.Connection, item: Unresolved) -> bool:
    """Whether ``item`` (same type, name and definition) is among ``conn``'s broken ones."""
    return any(u.key == item.key for u in unresolved(conn))


def _key_dangles(conn: sqlite3.Connection, fk: ForeignKey) -> bool:
    """Whether ``fk``'s table has a key to ``fk``'s parent, and the parent is missing."""
    rows = conn.execute(
        'SELECT 1 FROM pragma_foreign_key_list(?) WHERE lower("table") = lower(?)',
        (fk.table, fk.other_table),
    ).fetchall()
    parent = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND lower(name) = lower(?)",
        (fk.other_table,),
    ).fetchall()
    return bool(rows) and not parent
