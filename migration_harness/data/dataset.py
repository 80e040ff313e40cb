"""Generated rows as records: insert them, read rows back, render them as SQL and JSON.

Kept apart from the strategies so that reading, comparing and rendering rows never
imports Hypothesis.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from migration_harness.data.values import (
    RawText,
    fetch,
    jsonable_real,
    real_literal,
    text_literal,
)
from migration_harness.schema.model import Schema, quote

Value = None | int | float | str | bytes


@dataclass(frozen=True, slots=True)
class Row:
    """One generated row: the columns given (omitted ones take their DEFAULT)."""

    table: str
    values: tuple[tuple[str, Value], ...]

    def as_dict(self) -> dict[str, Value]:
        """Column name -> value."""
        return dict(self.values)

    def insert_sql(self) -> tuple[str, list[Value]]:
        """The parameterised INSERT for this row (its text built once per column list)."""
        return _insert_text(self.table, tuple(c for c, _ in self.values)), [
            v for _, v in self.values
        ]

    def render(self) -> str:
        """A replayable INSERT statement with literal values.

        Built from the literals directly: substituting them for the ``?`` marks one at a
        time put later values inside an earlier text value that contained a ``?``.
        """
        if not self.values:
            return f"INSERT INTO {quote(self.table)} DEFAULT VALUES;"
        cols = ", ".join(quote(c) for c, _ in self.values)
        literals = ", ".join(sql_literal(v) for _, v in self.values)
        return f"INSERT INTO {quote(self.table)} ({cols}) VALUES ({literals});"


@functools.lru_cache(maxsize=1024)
def _insert_text(table: str, columns: tuple[str, ...]) -> str:
    """``INSERT INTO table (columns) VALUES (?, ...)``.

    Remembered: every candidate row is inserted twice (probed, then inserted), and the
    rows of a table share a few column lists, so building the text per row quoted the
    same names ~100,000 times on ``db/``.
    """
    if not columns:
        return f"INSERT INTO {quote(table)} DEFAULT VALUES"
    cols = ", ".join(quote(c) for c in columns)
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {quote(table)} ({cols}) VALUES ({marks})"


@dataclass(frozen=True, slots=True)
class Dataset:
    """Rows in insertion order (parents before children)."""

    rows: tuple[Row, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    def render(self) -> str:
        """The dataset as SQL a person can paste into ``sqlite3``."""
        return "\n".join(row.render() for row in self.rows) or "-- (no rows)"

    def to_json(self) -> list[dict[str, Any]]:
        """JSON-friendly rows (bytes as hex)."""
        return [
            {"table": r.table, "values": {c: _jsonable(v) for c, v in r.values}} for r in self.rows
        ]

    @classmethod
    def from_json(cls, rows: Iterable[Mapping[str, Any]]) -> Dataset:
        """Inverse of :meth:`to_json`: the rows a regression file recorded."""
        return cls(
            tuple(
                Row(str(r["table"]), tuple((c, _from_jsonable(v)) for c, v in r["values"].items()))
                for r in rows
            )
        )


@dataclass(frozen=True, slots=True)
class InsertResult:
    """What happened when a dataset was inserted."""

    inserted: int
    failed: tuple[tuple[Row, str], ...] = ()


# What the database answers when it refuses a write: a constraint, or a trigger (RAISE, a
# json_extract of text that is not JSON is an OperationalError).
REFUSED: Final = (sqlite3.IntegrityError, sqlite3.OperationalError)


def insert(conn: sqlite3.Connection, dataset: Dataset) -> InsertResult:
    """Insert ``dataset`` row by row; a row the database refuses is recorded, not raised.

    Constraints refuse rows, and so do the schema's triggers: ``RAISE(ABORT)`` checks, or
    a ``json_extract`` on text that is not JSON ("malformed JSON" is an OperationalError).
    Rows are drawn against each table alone, without its triggers; a refused row is
    undone by SQLite (the statement is atomic) and the example goes on without it.
    """
    failed: list[tuple[Row, str]] = []
    inserted = 0
    for row in dataset.rows:
        sql, params = row.insert_sql()
        try:
            conn.execute(sql, params)
            inserted += 1
        except REFUSED as exc:
            failed.append((row, str(exc)))
    return InsertResult(inserted, tuple(failed))


def read_rows(
    conn: sqlite3.Connection, schema: Schema, *, skip: Collection[str] = ()
) -> dict[str, list[dict[str, Value]]]:
    """Every row of every table but ``skip`` (rows present are referenced and avoided)."""
    result: dict[str, list[dict[str, Value]]] = {}
    for name, table in schema.tables.items():
        if table.virtual or name in skip:
            continue
        cols, rows = fetch(conn, f"SELECT * FROM {quote(name)}")
        result[name] = [dict(zip(cols, r, strict=True)) for r in rows]
    return result


def sql_literal(value: Value) -> str:
    """A value as an SQL literal (text that is not UTF-8 and infinities included)."""
    if value is None:
        return "NULL"
    if isinstance(value, RawText):
        return text_literal(value)
    if isinstance(value, bytes):
        return f"X'{value.hex()}'"
    if isinstance(value, float):
        return real_literal(value)
    if isinstance(value, int):
        return repr(value)
    return "'" + value.replace("'", "''") + "'"


def _jsonable(value: Value) -> Any:
    """Values as JSON: bytes become ``{"hex": …}``, everything else is JSON already.

    TEXT that is not UTF-8 becomes ``{"text_hex": …}`` and an infinite REAL
    ``{"real": "inf"}``: JSON has neither.
    """
    if isinstance(value, RawText):
        return {"text_hex": value.hex()}
    if isinstance(value, bytes):
        return {"hex": value.hex()}
    return jsonable_real(value) if isinstance(value, float) else value


def _from_jsonable(value: Any) -> Value:
    """Inverse of :func:`_jsonable`."""
    if isinstance(value, dict):
        return bytes.fromhex(str(value["hex"]))
    return value  # type: ignore[no-any-return]


__all__ = [
    "REFUSED",
    "Dataset",
    "InsertResult",
    "Row",
    "Value",
    "insert",
    "read_rows",
    "sql_literal",
]
