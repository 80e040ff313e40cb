"""Values as SQLite stores them, read without ever failing on them.

SQLite keeps whatever bytes a statement writes: ``CAST(blob AS TEXT)`` stores bytes that
are not UTF-8 in a TEXT column, and Python's sqlite3 then refuses the whole read ("Could
not decode to UTF-8 column"). A real history crashed after twelve minutes on such a
rollback, with no report. Such values are read as :class:`RawText` (their bytes, still
TEXT), compared as bytes and shown as the SQL that stores them again.
"""

from __future__ import annotations

import math
import sqlite3
from typing import Any, Final

_DECODE_ERROR: Final = "Could not decode to UTF-8"


class RawText(bytes):
    """A TEXT value whose bytes are not valid UTF-8: kept as bytes, still text to SQLite.

    A subclass of ``bytes`` so every path that handles BLOBs handles it, and a type of its
    own so it never compares equal to a BLOB with the same bytes (SQLite keeps the two
    apart: ``typeof()`` says text, and ``=`` between them is false).
    """

    def __repr__(self) -> str:
        return text_literal(self)


def text_literal(value: RawText) -> str:
    """``CAST(X'ff' AS TEXT)``: the SQL that stores exactly these bytes as TEXT."""
    return f"CAST(X'{value.hex()}' AS TEXT)"


def real_literal(value: float) -> str:
    """A REAL as SQL: infinities as SQLite writes them (``9e999``), NaN as the NULL it stores."""
    if math.isnan(value):
        return "NULL"
    if math.isinf(value):
        return "9e999" if value > 0 else "-9e999"
    return repr(value)


def jsonable_real(value: float) -> Any:
    """A REAL for JSON, which has no infinity or NaN: those become ``{"real": "inf"}``."""
    return value if math.isfinite(value) else {"real": repr(value)}


def _decode(data: bytes) -> str | RawText:
    """sqlite3's text factory, tolerant: UTF-8 text as ``str``, anything else as RawText."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return RawText(data)


def fetch(conn: sqlite3.Connection, sql: str) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """``(column names, rows)`` of a query, reading TEXT that is not UTF-8 as RawText.

    The plain read runs first (C decoding, no Python call per value): only a table that
    holds such bytes pays for the tolerant one.
    """
    try:
        cursor = conn.execute(sql)
        return tuple([d[0] for d in cursor.description]), cursor.fetchall()
    except sqlite3.OperationalError as exc:
        if _DECODE_ERROR not in str(exc):
            raise
    previous = conn.text_factory
    conn.text_factory = _decode
    try:
        cursor = conn.execute(sql)
        return tuple(d[0] for d in cursor.description), cursor.fetchall()
    finally:
        conn.text_factory = previous
