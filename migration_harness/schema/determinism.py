"""Whether SQLite refuses to evaluate an expression where the schema stores it (the clock).

SQLite lets an index expression, a partial index's ``WHERE``, a ``CHECK`` or a generated
column call the date and time functions, but refuses each evaluation whose answer depends
on the clock (``'now'``): 'non-deterministic use of julianday() in an index'. Nothing is
evaluated on an empty table, so such a schema is created cleanly; the first row written
(or the ``CREATE INDEX`` over a table with rows) fails. ``lint`` (MH328) and ``check``
(MH159) ask SQLite the same question here.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from typing import Final

from migration_harness.schema.sqltext import quote

INDEX: Final = "an index"
PARTIAL: Final = "a partial index's WHERE"
CHECK: Final = "a CHECK constraint"
GENERATED: Final = "a generated column"

# How each kind of expression is stored over the scratch table ``mh_probe`` (one row there).
_STORED: Final = {
    INDEX: "CREATE INDEX mh_probe_index ON mh_probe (({}))",
    PARTIAL: "CREATE INDEX mh_probe_index ON mh_probe ({first}) WHERE {}",
    CHECK: "CREATE TABLE mh_checked ({columns}, CHECK ({}))",
    GENERATED: "CREATE TABLE mh_checked ({columns}, mh_generated AS ({}))",
}


def clock_refusal(columns: Sequence[str], kind: str, expression: str) -> str | None:
    """SQLite's 'non-deterministic …' refusal of ``expression`` stored as ``kind``; else None.

    Asked on a scratch table of the same column names holding one row of NULLs. An
    expression calling a function the application registers, or refused for any other
    reason, is not judged (None). Kept per question: ``lint`` and ``check`` ask the same
    ones (71 each on ``db/``, a scratch connection each).
    """
    return _clock_refusal(tuple(columns), kind, expression)


@functools.lru_cache(maxsize=1024)
def _clock_refusal(columns: tuple[str, ...], kind: str, expression: str) -> str | None:
    """:func:`clock_refusal`, asked of SQLite."""
    if not columns:
        return None
    names = ", ".join(quote(c) for c in columns)
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE TABLE mh_probe ({names})")
        conn.execute("INSERT INTO mh_probe DEFAULT VALUES")
        stored = _STORED[kind].format(expression, columns=names, first=quote(columns[0]))
        conn.execute(stored)
        if stored.startswith("CREATE TABLE"):
            conn.execute("INSERT INTO mh_checked DEFAULT VALUES")
    except sqlite3.Error as exc:
        return str(exc) if "non-deterministic" in str(exc) else None
    finally:
        conn.close()
    return None
