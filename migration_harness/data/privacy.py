"""Keeping real values out of every output of a ``--data`` run.

A production copy holds people's data: findings name its rows by table and key and say
which columns changed, never what they held, unless ``--show-values``. Two guards:

- :func:`values_hidden` switches the loss messages to keys and column names (the only
  place that words values);
- :func:`scrub_rows` replaces, in a finding's generated example, every value derived from
  a real one (the generator varies existing UNIQUE text by case or a trailing space).

The switch is process-wide, not a context variable: a worker thread started by a parallel
run must see it too, and a leak is the failure that matters.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

HIDDEN: Final = "<hidden>"


class _Switch:
    hidden = False


@contextmanager
def values_hidden(hidden: bool = True) -> Iterator[None]:
    """Within the block, loss messages name keys and columns only."""
    before = _Switch.hidden
    _Switch.hidden = hidden
    try:
        yield
    finally:
        _Switch.hidden = before


def are_hidden() -> bool:
    """Whether values must stay out of messages now."""
    return _Switch.hidden


def real_texts(conn: sqlite3.Connection) -> frozenset[str]:
    """Every text value of the real database, folded as near-duplicates would be (read-only)."""
    found: set[str] = set()
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        for row in conn.execute(f"SELECT * FROM {quoted}"):
            found.update(_fold(v) for v in row if isinstance(v, str))
    return frozenset(found)


def _fold(text: str) -> str:
    return text.strip().casefold()


def scrub_rows(
    rows: list[dict[str, Any]], texts: frozenset[str]
) -> tuple[list[dict[str, Any]], int]:
    """``rows`` (a dataset's JSON) with values derived from real text hidden; how many were."""
    hidden = 0
    out = []
    for row in rows:
        values = {}
        for column, value in row.get("values", {}).items():
            if isinstance(value, str) and value and _fold(value) in texts:
                values[column] = HIDDEN
                hidden += 1
            else:
                values[column] = value
        out.append({**row, "values": values})
    return out, hidden
