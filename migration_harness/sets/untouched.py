"""Proving a step cannot touch the tracking table's earlier rows, so they need no re-reading.

After every checked step the runner proves the tracking table still holds every earlier
key (a trigger may wipe it, issue 15). Read in full, that is a row per applied file before
and after each step of each example: time in the length of the history (issue 17). The
full comparison is skipped only where SQLite itself cannot change those rows but through
the runner's own write, which is what the comparison would find:

- the table is the runner's own: exactly the ``CREATE TABLE`` it writes (so no foreign key
  whose action could delete or rewrite its rows), and its keys are one plain column (name,
  dbmate, diesel, refinery and yoyo styles,
  :data:`~migration_harness.sets.tracking.PLAIN_KEY_COLUMNS`; the others read validated or
  newest-row-wins rows);
- no statement of the step names the table (read by SQLite's tokenizer rules,
  :func:`~migration_harness.sets.tokens.names_in`; a statement that cannot be tokenized may
  name anything), nor ``writable_schema`` or ``schema_version`` (``sqlite_master`` edited by
  hand);
- no trigger of the database, in ``main`` or ``temp``, names it: a trigger fired by the
  step's writes, or by the runner's own row, is the only other way to its rows (a trigger the
  step creates is named by the step's own ``CREATE TRIGGER``);
- nothing else writes in between: the step and both reads share one transaction, or the
  database is in memory (only this connection reaches it; the runner lock is a no-op there).

Otherwise the runner reads every key before and after, as it always did. The step's own key
is then checked with a point query (:func:`has_key`).
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Sequence
from typing import Final

from migration_harness.sets.sql import Statement
from migration_harness.sets.tokens import names_in, readable
from migration_harness.sets.tracking import PLAIN_KEY_COLUMNS, Tracking

# Key columns of numeric affinity (refinery's ``version int4``): a text key is compared as
# a number there, so only a key spelt as an integer is looked up (see has_key).
_NUMERIC: Final = frozenset({"refinery"})
_INTEGER: Final = re.compile(r"-?[0-9]+")
# Pragmas that change the schema (or the file) behind SQLite's own bookkeeping.
_BY_HAND: Final = frozenset({"writable_schema", "schema_version"})
# main's triggers and objects named as the table, and everything in temp (usually nothing).
_OBJECTS: Final = (
    "SELECT 0, type, name, sql FROM sqlite_master "
    "WHERE type = 'trigger' OR name = ? COLLATE NOCASE "
    "UNION ALL SELECT 1, type, name, sql FROM sqlite_temp_master"
)


def untouched(
    conn: sqlite3.Connection, tracking: Tracking, statements: Sequence[Statement]
) -> bool:
    """Whether ``statements`` and the runner's write provably leave the earlier rows alone.

    Read before the step, on the database it starts from; see the module doc for the
    conditions. ``False`` means "read every key", never "tampered with".
    """
    if tracking.key_style not in PLAIN_KEY_COLUMNS:
        return False
    table = tracking.table.lower()
    return not any(_may_name(s.sql, table) for s in statements) and _own_table_alone(conn, tracking)


def _may_name(sql: str, table: str) -> bool:
    """Whether ``sql`` may name ``table`` or a by-hand pragma (as its tokens read).

    A name token's lower-cased text is spelled in the lower-cased statement, quotes aside:
    where none of the words is, only the tokenizing (cached per statement) must succeed,
    and the set of every name (built on each call) is not needed.
    """
    if not readable(sql):
        return True
    lowered = sql.lower()
    if table not in lowered and not any(word in lowered for word in _BY_HAND):
        return False
    names = names_in(sql)
    return names is None or table in names or bool(names & _BY_HAND)


def has_key(conn: sqlite3.Connection, tracking: Tracking, key: str) -> bool:
    """Whether ``key`` is among :meth:`Tracking.keys`, by one indexed lookup.

    The runner's own table has a text column: SQLite stores every number written to it as
    text, so a stored value's ``str()`` equals ``key`` exactly when the value equals it as
    text, except NULL (``"None"``) and a BLOB (``"b'…'"``), which only a full read spells.
    refinery's ``version int4`` converts the key to a number instead: ``'07'`` would find
    ``7`` and ``'1e+20'`` a REAL that Python spells otherwise, so there the stored value's
    own text must be the key too, and a key that is no integer (never refinery's) takes
    the full read. yoyo's ``migration_id`` has no index of its own: SQLite scans it, but no
    row reaches Python. Only for a table :func:`untouched` accepted (the runner's own).
    """
    numeric = tracking.key_style in _NUMERIC
    if key == "None" or key.startswith(("b'", 'b"')) or (numeric and not _INTEGER.fullmatch(key)):
        return key in tracking.keys(conn)
    column = PLAIN_KEY_COLUMNS[tracking.key_style]
    sql = f'SELECT 1 FROM "{tracking.table}" WHERE "{column}" = ? COLLATE BINARY'
    if numeric:
        sql += f' AND CAST("{column}" AS TEXT) = ?'
    params = (key, key) if numeric else (key,)
    return conn.execute(sql + " LIMIT 1", params).fetchone() is not None


def _own_table_alone(conn: sqlite3.Connection, tracking: Tracking) -> bool:
    """The table (if any) is the runner's own, and no trigger names it.

    One pass over ``sqlite_master`` (no index on it: a scoped image holds a few rows), and
    over ``temp``'s, where a trigger may reach any database and a table may shadow it.
    """
    table = tracking.table.lower()
    rows = conn.execute(_OBJECTS, (tracking.table,)).fetchall()
    for temp, kind, name, sql in rows:
        if temp or kind == "trigger":
            if _may_name(str(sql), table):
                return False
        elif kind != "table" or sql != _stored(tracking.ddl, name) or name != tracking.table:
            return False
    return True


@functools.cache
def _stored(ddl: tuple[str, ...], table: str) -> str:
    """The ``sql`` SQLite stores for the runner's ``CREATE TABLE`` (read from SQLite itself).

    By name: yoyo's statements create its log and version tables too.
    """
    scratch = sqlite3.connect(":memory:")
    try:
        for statement in ddl:
            scratch.execute(statement)
        sql = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?"
        row = scratch.execute(sql, (table,)).fetchone()
        return "" if row is None else str(row[0])
    finally:
        scratch.close()
