"""Rows a step drops because its new schema forbids them (``data_loss`` MH143, a warning).

A rebuild that tightens a table (``scene_id integer NOT NULL``, a new primary key over a
join table, a new foreign key) cannot copy the rows the new definition refuses, so it
filters them (``WHERE scene_id IS NOT NULL``, ``ON CONFLICT DO NOTHING``, an inner join on
the parent). Those rows are dropped by design of the new schema, not by accident; on the
judged corpus they were most of the false ``data_loss`` errors.

Whether a lost row is such a row is asked of SQLite, not guessed from the file: the row is
inserted, columns matched by name (the ones it lacks take their defaults), into the table
its data went to, in the database after the step, inside a savepoint that is rolled back,
with the set's foreign-keys setting. Only a refusal by a constraint the *step added* (not in
the table before it) on a column the row itself carried counts:

- ``NOT NULL`` on a key column (primary or foreign key) the row held NULL in;
- ``UNIQUE``/``PRIMARY KEY`` over columns the row carried, where another row held exactly
  the same values before the step (an exact duplicate of a kept row);
- a ``CHECK`` over columns the row carried, on columns that had no CHECK before;
- a new ``FOREIGN KEY`` whose columns the row filled, with no parent row (a column the
  file's copy computes from the row's own columns, ``channel_id = SUBSTR(scope_key, …)``,
  counts as filled by the row: alook's 0070 keeps only counters of live channels);
- an ``INTEGER PRIMARY KEY`` the row held NULL in: SQLite takes the row but gives it a new
  rowid, so the new table cannot hold what the row said;
- a column of a composite ``PRIMARY KEY`` new in this step the row held NULL in: SQLite
  takes it only by a legacy quirk, and the key declares that such a row identifies nothing.

A row the new table takes as it is (Plume's ``WHERE is_admin = 't'`` over 0/1 values, the
children a ``DROP TABLE`` cascaded away) stays a loss: MH141. So does a row refused for
what it held rather than for lacking an identity: NULL in a data column (a contact without
a phone), a distinct row sharing a new unique value, a value an existing CHECK allowed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Final

import sqlglot
from sqlglot import exp

from migration_harness.checks.intent import Rewrite, declared_rewrites
from migration_harness.data.dataset import Value
from migration_harness.data.rows import Loss, LostRow, Rows
from migration_harness.schema.model import Schema, Table, quote
from migration_harness.schema.records import ForeignKey
from migration_harness.sets import parsing
from migration_harness.sets.sql import Statement

FORBIDDEN: Final = "MH143"
_SAVEPOINT: Final = "migration_harness_forbidden"


def forbidden_by(
    conn: sqlite3.Connection,
    loss: Loss,
    before: Rows,
    schemas: tuple[Schema, Schema],
    foreign_keys: bool,
    statements: Sequence[Statement] = (),
) -> str | None:
    """The new constraints that refuse every row ``loss`` lost; ``None`` if one is accepted.

    Args:
        conn: the database after the step (left as it was).
        loss: what the step lost (one table's part).
        before: the rows before the step, keyed by lower-cased table name.
        schemas: the schema before and after the step.
        foreign_keys: the set's ``PRAGMA foreign_keys`` while its files run.
        statements: the step's file: a column of the new table its copy fills with an
            expression of the old row's columns (``channel_id = SUBSTR(scope_key, …)``)
            gets the value that expression gives for the lost row.

    """
    if not loss.rows_lost or loss.changes or len(loss.lost) < loss.rows_lost:
        return None
    rewrites = declared_rewrites(statements, schemas[1]) if statements else {}
    reasons: set[str] = set()
    for row in loss.lost:
        mapped = _mapped(conn, row, before, rewrites)
        reason = _refusal(conn, row, before, schemas, foreign_keys, mapped)
        if reason is None:
            return None
        reasons.add(reason)
    return "; ".join(sorted(reasons))


def _refusal(
    conn: sqlite3.Connection,
    row: LostRow,
    before: Rows,
    schemas: tuple[Schema, Schema],
    foreign_keys: bool,
    mapped: dict[str, Value] | None = None,
) -> str | None:
    """The new constraint that refuses ``row`` in its target table, if one does.

    ``mapped``: values of new columns the step's copy computes from the row (lower-cased
    names), beside the columns it carries by name.
    """
    old = schemas[0].by_lower_name.get(row.table.lower())
    new = schemas[1].by_lower_name.get(row.target.lower())
    if old is None or new is None:
        return None
    carried = dict(zip((c.lower() for c in row.columns), row.values, strict=True))
    carried = {**(mapped or {}), **carried}
    columns = [c.name for c in new.columns if c.name.lower() in carried and not c.is_generated]
    if not columns:
        return None
    message = _try_insert(conn, new, columns, [carried[c.lower()] for c in columns], foreign_keys)
    if message is None:
        return _null_rowid(old, new, carried) or _null_key_part(old, new, carried)
    if message.startswith("NOT NULL constraint failed: "):
        return _not_null(old, new, carried, message)
    if message.startswith("UNIQUE constraint failed: "):
        return _unique(old, new, row, before, message)
    if message.startswith("CHECK constraint failed"):
        return _check(old, new, carried)
    if message.startswith("FOREIGN KEY constraint failed"):
        return _foreign_key(conn, old, new, carried)
    return None


def _mapped(
    conn: sqlite3.Connection,
    row: LostRow,
    before: Rows,
    rewrites: dict[tuple[str, str], Rewrite],
) -> dict[str, Value]:
    """New columns the copy fills from ``row`` by an expression, with the values it gives.

    The whole old row is looked up in ``before`` (a row matched as a multiset is known by
    its kept columns only): exactly one candidate, or nothing is mapped. An expression
    that reads other tables (a subquery) is not evaluated.
    """
    wanted = {c: r for (t, c), r in rewrites.items() if t == row.target.lower()}
    known = {c.lower() for c in row.columns}
    wanted = {c: r for c, r in wanted.items() if c not in known}
    names, rows = before.get(row.table.lower(), ((), []))
    if not wanted or not names:
        return {}
    positions = {n.lower(): i for i, n in enumerate(names)}
    if any(c.lower() not in positions for c in row.columns):
        return {}
    at = [positions[c.lower()] for c in row.columns]
    candidates = [r for r in rows if tuple(r[i] for i in at) == row.values]
    if len(candidates) != 1:
        return {}
    source = ", ".join(f"? AS {quote(n)}" for n in names)
    out: dict[str, Value] = {}
    for column, rewrite in wanted.items():
        expression = rewrite.expression
        if expression.find(exp.Select) is not None:
            continue
        unqualified = expression.copy()
        for reference in unqualified.find_all(exp.Column):
            reference.set("table", None)
        sql = f"SELECT {unqualified.sql('sqlite')} FROM (SELECT {source})"
        try:
            out[column] = conn.execute(sql, tuple(candidates[0])).fetchone()[0]
        except (sqlite3.Error, OverflowError):
            continue
    return out


def _try_insert(
    conn: sqlite3.Connection,
    table: Table,
    columns: Sequence[str],
    values: Sequence[Value],
    foreign_keys: bool,
) -> str | None:
    """SQLite's refusal of the row, or ``None`` if it takes it; nothing is kept either way."""
    switch = not conn.in_transaction
    was = bool(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    if switch:  # a no-op inside a transaction; outside, the set's own setting
        conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join("?" for _ in columns)
    conn.execute(f"SAVEPOINT {_SAVEPOINT}")
    try:
        conn.execute(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", tuple(values))
    except sqlite3.IntegrityError as exc:
        return str(exc)
    except (sqlite3.Error, OverflowError):
        # Refused, but not by a constraint (a value SQLite cannot bind, such as an integer
        # past 64 bits that a function's Python stand-in returned): not the new schema's.
        return ""
    finally:
        conn.execute(f"ROLLBACK TO {_SAVEPOINT}")
        conn.execute(f"RELEASE {_SAVEPOINT}")
        if switch:
            conn.execute(f"PRAGMA foreign_keys = {'ON' if was else 'OFF'}")
    return None


def _null_rowid(old: Table, new: Table, carried: dict[str, Value]) -> str | None:
    """A NULL the new table's ``INTEGER PRIMARY KEY`` turns into a fresh rowid."""
    alias = new.rowid_alias
    if alias is None or alias.lower() not in carried or carried[alias.lower()] is not None:
        return None
    if old.rowid_alias is not None and old.rowid_alias.lower() == alias.lower():
        return None
    return f"INTEGER PRIMARY KEY {new.name}.{alias} (cannot hold NULL)"


def _null_key_part(old: Table, new: Table, carried: dict[str, Value]) -> str | None:
    """NULL in a column of a PRIMARY KEY the step gave the table (stash's join tables).

    The SQL standard makes every PRIMARY KEY column NOT NULL; SQLite takes NULL there in
    a rowid table only "due to a bug in some early versions", kept for compatibility
    (https://www.sqlite.org/lang_createtable.html#the_primary_key). A step that declares
    ``PRIMARY KEY(scene_id, tag_id)`` declares that a row without one of them identifies
    nothing, which is why such rebuilds copy ``WHERE scene_id IS NOT NULL``: the row is
    refused by the new key's meaning, as a ``NOT NULL`` would refuse it.
    """
    key = new.primary_key
    if len(key) < 2 or {c.lower() for c in key} == {c.lower() for c in old.primary_key}:
        return None
    empty = [c for c in key if c.lower() in carried and carried[c.lower()] is None]
    if not empty:
        return None
    return (
        f"PRIMARY KEY ({', '.join(key)}) on {new.name}, new in this step: "
        f"{new.name}.{empty[0]} held NULL (SQLite takes NULL in a key column only as a legacy "
        "quirk)"
    )


def _not_null(old: Table, new: Table, carried: dict[str, Value], message: str) -> str | None:
    """NOT NULL, new in this step, on a key column the row held NULL in.

    Only a key (the new primary key, a foreign key): a join row without one of its ids
    says nothing. NULL in a data column (a contact without a phone) is what the row held:
    dropping the row loses the rest of it, MH141.
    """
    column = _failed_columns(message)[0]
    if column.lower() not in carried or carried[column.lower()] is not None:
        return None
    if _nullable(old, column) is False or column.lower() not in _keys(new):
        return None
    return f"NOT NULL on key column {new.name}.{column}"


def _unique(old: Table, new: Table, row: LostRow, before: Rows, message: str) -> str | None:
    """A new UNIQUE/PRIMARY KEY collapsing the row into an exact duplicate of another.

    Only an exact duplicate (every value the row carried equal): a row that shares an
    email with another but has its own id is its own row, and dropping it is a loss.
    """
    columns = [c.lower() for c in _failed_columns(message)]
    known = [c.lower() for c in row.columns]
    if not columns or any(c not in known for c in columns):
        return None
    if any([c.lower() for c in s] == columns for s in old.unique_sets):
        return None
    names, rows = before.get(row.table.lower(), ((), []))
    positions = [{n.lower(): i for i, n in enumerate(names)}.get(c) for c in known]
    if any(p is None for p in positions):
        return None
    twins = sum(tuple(r[p] for p in positions if p is not None) == row.values for r in rows)
    if twins < 2:  # the row itself, and the kept row it duplicates
        return None
    return f"UNIQUE ({', '.join(_failed_columns(message))}) on {new.name}, an exact duplicate"


def _check(old: Table, new: Table, carried: dict[str, Value]) -> str | None:
    """A CHECK over columns the row carried that had no CHECK before this step.

    A CHECK that narrows one the table had (``stars BETWEEN 0 AND 10`` to ``1 AND 10``)
    refuses values the earlier schema declared valid: those rows are a loss, MH141.
    """
    checked = {c for check in old.checks for c in _columns_of(check.expression)}
    for check in new.checks:
        used = _columns_of(check.expression)
        if check in old.checks or not used or used & checked:
            continue
        if used <= set(carried):
            return f"CHECK ({check.expression}) on {new.name}"
    return None


def _foreign_key(
    conn: sqlite3.Connection, old: Table, new: Table, carried: dict[str, Value]
) -> str | None:
    """A new foreign key the row filled in, whose parent row does not exist."""
    before = {
        (tuple(c.lower() for c in fk.columns), fk.other_table.lower()) for fk in old.foreign_keys
    }
    for fk in new.foreign_keys:
        key = (tuple(c.lower() for c in fk.columns), fk.other_table.lower())
        values = [carried.get(c.lower()) for c in fk.columns]
        if key in before or any(v is None for v in values) or not fk.other_columns:
            continue
        where = " AND ".join(f"{quote(c)} = ?" for c in fk.other_columns)
        found = conn.execute(
            f"SELECT 1 FROM {quote(fk.other_table)} WHERE {where} LIMIT 1", values
        ).fetchone()
        if found is None:
            return f"FOREIGN KEY {fk.describe()}"
    return None


def _fk_key(fk: ForeignKey) -> tuple[tuple[str, ...], str]:
    """A foreign key's columns and parent, lower-cased: the same key before and after."""
    return tuple(c.lower() for c in fk.columns), fk.other_table.lower()


def _keys(table: Table) -> set[str]:
    """The columns that make a row what it is: primary key and foreign-key columns."""
    keys = {c.lower() for c in table.primary_key}
    return keys | {c.lower() for fk in table.foreign_keys for c in fk.columns}


def _nullable(table: Table, column: str) -> bool | None:
    """Whether ``column`` of ``table`` takes NULL; ``None`` if the table has no such column."""
    try:
        found = table.column(column)
    except KeyError:
        return None
    return not found.notnull and found.name != table.rowid_alias


def _failed_columns(message: str) -> list[str]:
    """``UNIQUE constraint failed: t.a, t.b`` -> ``['a', 'b']`` (SQLite names them so)."""
    listed = message.split(": ", 1)[1].split(": SQLITE_")[0]
    return [part.strip().split(".", 1)[-1] for part in listed.split(",")]


def _columns_of(expression: str) -> set[str]:
    """The columns a CHECK expression reads (lower-cased)."""
    try:
        parsed = parsing.parse_one(expression)
    except sqlglot.errors.SqlglotError:
        return set()
    return {column.name.lower() for column in parsed.find_all(exp.Column)}
