"""The rows a file made, so that a re-run putting its seeds back is told from a duplicate.

Split out of :mod:`migration_harness.checks.history`: idempotency means "the file twice in a
row changes nothing", but once the application has written a table, a guarded seed that a
re-run puts back is no defect. The history remembers, per version, the keys (and, for a
rowid table, the contents) every table held right after the file ran (:func:`made_by`);
:func:`unexplained_rows` then names the rows a re-run adds that the file never made.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, TypeAlias

from migration_harness.checks.guards import fresh_under_guards, guarded_columns
from migration_harness.data.rows import Rows
from migration_harness.schema.model import Schema, Table

__all__ = [
    "Contents",
    "Made",
    "made_by",
    "unexplained_rows",
]

# A key's positions in a reading, and whether it is the primary key (NULL counts there).
_Key: TypeAlias = tuple[list[int], bool]

# Per table, each key's number and value in the rows a file left: ``(key number, value)``.
Made: TypeAlias = dict[str, set[tuple[int, tuple[Any, ...]]]]
# Per rowid table, its rows without the rowid alias, counted.
Contents: TypeAlias = dict[str, Counter[tuple[Any, ...]]]


def unexplained_rows(
    schema: Schema,
    up_sql: str,
    remembered: tuple[Made, Contents],
    excused: set[str],
    before: Rows,
    after: Rows,
) -> list[str]:
    """Rows a re-run adds to tables the application wrote, that the file never made.

    Putting back a keyed seed row the application deleted is what a guarded seed is
    for; a row under a key the file's last run never produced is a duplicate. A row
    whose key was there before the re-run was changed, not added: a guarded backfill
    (``UPDATE … WHERE x IS NULL``) fills the application's new rows too. Every key of
    the table counts, the primary key and each full UNIQUE one: a seed put back under
    its UNIQUE ``code`` gets a new surrogate id (AUTOINCREMENT never reuses one, a
    plain rowid takes the largest plus one) and is the same seed, not a duplicate. So
    is a row whose every column but that id equals a row the file's last run left
    and no row before the re-run holds (a seed guarded by ``WHERE NOT EXISTS`` on a
    column without UNIQUE); one equal to a row still there is a duplicate. And a row
    a guarded ``INSERT … SELECT`` adds under guard values no row held (a setting for
    a user created since: :mod:`~migration_harness.checks.guards`) is the guard's.

    ``schema`` is the version's reference, ``up_sql`` the file's text, ``remembered``
    what :func:`made_by` read after its last run, ``excused`` the tables the
    application wrote since.
    """
    made, contents = remembered
    guards = guarded_columns(up_sql)
    found = []
    for table in sorted(excused & set(after)):
        columns, new_rows = after[table]
        keys_at = _key_positions(schema, table, columns)
        if not keys_at:
            continue
        old = Counter(before.get(table, ((), []))[1])
        added = fresh_under_guards(
            Counter(new_rows) - old, old, columns, guards.get(table.lower(), [])
        )
        keys = made.get(table, set()) | {k for row in old for k in _keys(row, keys_at)}
        alias = _alias_position(schema, table, columns)
        gone = Counter[tuple[Any, ...]]()
        if alias is not None:
            gone = contents.get(table, Counter()) - Counter(
                _content(row, alias) for row in old.elements()
            )
        strange = 0
        for row, n in added.items():
            if keys & _keys(row, keys_at):
                continue
            if alias is not None:
                back = min(n, gone[_content(row, alias)])
                gone[_content(row, alias)] -= back
                n -= back
            strange += n
        if strange:
            found.append(f"{table}: {strange} row(s) added under keys the file never made")
    return found


def made_by(schema: Schema, rows: Rows) -> tuple[Made, Contents]:
    """The keys every table holds right after file k ran (its seed rows).

    And, for a table whose id is the rowid, each row without that id (what a seed put
    back under a new id still holds).
    """
    made: Made = {}
    contents: Contents = {}
    for table, (columns, values) in rows.items():
        keys_at = _key_positions(schema, table, columns)
        if keys_at:
            made[table] = {k for v in values for k in _keys(v, keys_at)}
        alias = _alias_position(schema, table, columns)
        if alias is not None:
            contents[table] = Counter(_content(v, alias) for v in values)
    return made, contents


def _alias_position(schema: Schema, table: str, columns: tuple[str, ...]) -> int | None:
    """Where ``table``'s rowid alias (``INTEGER PRIMARY KEY``) sits in a reading."""
    spec = schema.tables.get(table)
    alias = spec.rowid_alias if spec is not None else None
    return columns.index(alias) if alias is not None and alias in columns else None


def _key_positions(schema: Schema, table: str, columns: tuple[str, ...]) -> list[_Key]:
    """Where each of ``table``'s keys sits in a reading, and whether it is the primary key.

    The primary key and every full UNIQUE index on columns (``Table.unique_sets``)
    the reading holds; empty for a rowid-only table without one.
    """
    spec = schema.tables.get(table)
    if spec is None:
        return []
    cached = _POSITIONS.get((id(spec), columns))
    if cached is not None and cached[0] is spec:
        return cached[1]
    primary = spec.primary_key
    found = [
        ([columns.index(c) for c in key], key == primary)
        for key in spec.unique_sets
        if all(c in columns for c in key)
    ]
    if len(_POSITIONS) >= 4_096:
        _POSITIONS.clear()
    _POSITIONS[id(spec), columns] = (spec, found)
    return found


# Key positions by (table record, columns read): the history fuzzer asks for every table
# after every version move and re-run, of the few records a set's versions share. The
# record is kept in the value, so an id reused by a later record is never taken for it.
# Callers only read the lists.
_POSITIONS: dict[tuple[int, tuple[str, ...]], tuple[Table, list[_Key]]] = {}


def _keys(row: tuple[Any, ...], keys_at: list[_Key]) -> set[tuple[int, tuple[Any, ...]]]:
    """The row's value under each key (numbered by its place in ``keys_at``).

    A UNIQUE key holding NULL names no row (SQLite lets NULLs repeat): left out.
    """
    found = set()
    for number, (positions, primary) in enumerate(keys_at):
        value = tuple(row[p] for p in positions)
        if primary or None not in value:
            found.add((number, value))
    return found


def _content(row: tuple[Any, ...], alias: int) -> tuple[Any, ...]:
    """The row without its rowid alias: what a seed put back under a new id still holds."""
    return row[:alias] + row[alias + 1 :]
