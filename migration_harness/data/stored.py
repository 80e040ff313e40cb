"""What a value becomes when a column of another affinity stores it, as SQLite does it.

A rebuild that changes a column's type copies each value into the new column, and SQLite
applies the new column's affinity (datatype3, section 3.4): integer 1000 into a TEXT key
is stored as '1000', text '007' into an INTEGER column as 7. The first is the same value
spelled as the schema now declares it (it converts back exactly, and ``WHERE id = 1000``
still finds the row); the second destroys what the row held ('007' and '7' both read 7).
Comparing rows across such a step must tell the two apart, so the conversion is asked of
SQLite itself rather than modelled: one scratch table with a column of each affinity.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from typing import Final

from migration_harness.data.dataset import Value

_COLUMNS: Final = {"TEXT": "t", "NUMERIC": "n", "INTEGER": "i", "REAL": "r", "BLOB": "b"}
_local = threading.local()


def _scratch() -> sqlite3.Connection:
    """This thread's scratch connection (``sqlite3`` objects stay in their thread)."""
    conn: sqlite3.Connection | None = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.execute("CREATE TABLE a (t TEXT, n NUMERIC, i INTEGER, r REAL, b BLOB)")
        _local.conn = conn
    return conn


def as_stored(value: Value, affinity: str) -> Value:
    """``value`` as a column of ``affinity`` stores it."""
    column = _COLUMNS.get(affinity, "b")
    conn = _scratch()
    conn.execute(f"INSERT INTO a ({column}) VALUES (?)", (value,))
    try:
        row = conn.execute(f"SELECT {column} FROM a").fetchone()
    finally:
        conn.execute("DELETE FROM a")
    stored: Value = row[0]
    return stored


@functools.lru_cache(maxsize=4096, typed=True)
def respelled(value: Value, was: str, now: str) -> tuple[bool, Value]:
    """``(True, stored)`` where a column of affinity ``now`` keeps ``value`` losslessly.

    Lossless: storing the result back under the old affinity ``was`` gives the value
    again (type and all), so the step only changed how the value is spelled. Asked for
    every value of a retyped column, each answer costing six statements: remembered
    (``typed``, so 1 and 1.0 are asked apart).
    """
    if not isinstance(value, (int, float, str)) or type(value) not in (int, float, str):
        return False, value  # NULL, BLOB and undecodable text pass through every affinity
    stored = as_stored(value, now)
    back = as_stored(stored, was)
    same = type(back) is type(value) and back == value
    return same, stored
