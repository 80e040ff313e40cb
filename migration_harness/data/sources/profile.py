"""What real rows say about columns that the schema does not (``profile --data``).

The generator knows declarations only; false alarms on real histories came from what the
application guarantees without declaring it: TEXT columns that only ever hold JSON,
nullable columns it always fills, settings tables of one row, enum-like columns with a
few values. Read from a real copy, these become hints in
``[tool.migration-harness.columns]`` (a team can write them by hand too); the generator
honours ``json`` (as it does for JSON the set's own SQL reads), ``filled`` (no NULL
drawn) and ``pools`` (only those values drawn); ``single_row`` is recorded for readers.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from migration_harness.schema.model import Schema, quote
from migration_harness.sets.config import TABLE, ConfigError, table_of

# Fewer rows than this say nothing about a column's habits.
MIN_ROWS: Final = 5
# An enum-like column: at most this many distinct texts, each used twice on average.
MAX_POOL: Final = 8
COLUMNS_KEY: Final = "columns"


@dataclass(frozen=True, slots=True)
class Profile:
    """Column habits of a real database (``table.column`` names, lower-cased)."""

    json: tuple[str, ...] = ()
    filled: tuple[str, ...] = ()
    single_row: tuple[str, ...] = ()
    pools: dict[str, tuple[str, ...]] = field(default_factory=dict)


def profile(conn: sqlite3.Connection, schema: Schema) -> Profile:
    """Read the habits of every ordinary table's columns (read-only)."""
    json_only: list[str] = []
    filled: list[str] = []
    single: list[str] = []
    pools: dict[str, tuple[str, ...]] = {}
    for name, table in sorted(schema.tables.items()):
        if table.virtual:
            continue
        rows = conn.execute(f"SELECT count(*) FROM {quote(name)}").fetchone()[0]
        if rows == 1:
            single.append(name.lower())
        if rows < MIN_ROWS:
            continue
        for column in table.columns:
            key = f"{name.lower()}.{column.name.lower()}"
            stats = _column(conn, name, column.name)
            if not column.notnull and not column.pk and stats["nulls"] == 0:
                filled.append(key)
            if stats["texts"] and stats["texts"] == stats["json"]:
                json_only.append(key)
            elif 0 < stats["distinct"] <= MAX_POOL and stats["texts"] >= 2 * stats["distinct"]:
                values = conn.execute(
                    f"SELECT DISTINCT {quote(column.name)} FROM {quote(name)} "
                    f"WHERE typeof({quote(column.name)}) = 'text' ORDER BY 1"
                )
                pools[key] = tuple(str(v[0]) for v in values)
    return Profile(tuple(json_only), tuple(filled), tuple(single), pools)


def _column(conn: sqlite3.Connection, table: str, column: str) -> dict[str, int]:
    """Counts of NULLs, texts, JSON container texts and distinct texts of one column."""
    c = quote(column)
    row = conn.execute(
        f"SELECT sum({c} IS NULL), sum(typeof({c}) = 'text'), "
        f"sum(typeof({c}) = 'text' AND CASE WHEN json_valid({c}) THEN json_type({c}) END "
        "IN ('object', 'array')), "
        f"count(DISTINCT CASE WHEN typeof({c}) = 'text' THEN {c} END) FROM {quote(table)}"
    ).fetchone()
    return {
        "nulls": row[0] or 0,
        "texts": row[1] or 0,
        "json": row[2] or 0,
        "distinct": row[3] or 0,
    }


def render_toml(found: Profile, *, show_values: bool) -> str:
    """The ``[tool.migration-harness.columns]`` table for ``found``.

    Value pools are real values: without ``show_values`` only their columns are listed
    (in a comment), so nothing of the copy leaves it unasked.
    """
    lines = [f"[tool.{TABLE}.{COLUMNS_KEY}]", "# written by `migration-harness profile --data`"]
    lines.append(f"json = {json.dumps(list(found.json))}  # honoured: JSON text is drawn")
    lines.append(f"filled = {json.dumps(list(found.filled))}  # honoured: no NULL is drawn")
    lines.append(f"single_row = {json.dumps(list(found.single_row))}")
    if show_values:
        pools = ", ".join(
            f"{json.dumps(k)} = {json.dumps(list(v))}" for k, v in found.pools.items()
        )
        lines.append(f"pools = {{ {pools} }}" if pools else "pools = {}")
    else:
        names = ", ".join(found.pools) or "none"
        lines.append(f"# enum-like columns (values hidden; --show-values to list): {names}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class ColumnHints:
    """``[tool.migration-harness.columns]``: ``(table, column)`` pairs, lower-cased."""

    json: frozenset[tuple[str, str]] = frozenset()
    filled: frozenset[tuple[str, str]] = frozenset()
    pools: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)


def column_hints(pyproject: Path | None) -> ColumnHints:
    """The hints the generator honours (``json``, ``filled``, ``pools``), read once.

    Raises:
        ConfigError: the table or one of its entries is not of the shape ``profile``
            writes. A hint of the wrong type (``json = "users.meta"``, a name without its
            table) was dropped without a word, and the check drew what the team had ruled
            out, its findings then blamed on the set.

    """
    table = table_of(pyproject).get(COLUMNS_KEY)
    if table is None:
        return ColumnHints()
    where = f"{pyproject} [tool.{TABLE}.{COLUMNS_KEY}]"
    if not isinstance(table, Mapping):
        message = (
            f'{where}: must be a table (json = ["table.column"], filled = [...], pools = {{}})'
        )
        raise ConfigError(message)
    _names(table.get("single_row", []), f"{where} single_row", qualified=False)
    pools = table.get("pools", {})
    if not isinstance(pools, Mapping):
        message = f'{where} pools: must be a table of "table.column" = ["value", ...]'
        raise ConfigError(message)
    return ColumnHints(
        json=_names(table.get("json", []), f"{where} json"),
        filled=_names(table.get("filled", []), f"{where} filled"),
        pools={
            _column_named(name, f"{where} pools"): _pool(values, f"{where} pools {name!r}")
            for name, values in pools.items()
        },
    )


def _names(names: object, where: str, *, qualified: bool = True) -> frozenset[tuple[str, str]]:
    """A list of ``"table.column"`` names (table names for ``single_row``) as pairs."""
    if not isinstance(names, list):
        shape = '"table.column"' if qualified else '"table"'
        message = f"{where}: expected a list of {shape} names, got {names!r}"
        raise ConfigError(message)
    if not qualified:
        for name in names:
            if not isinstance(name, str) or not name:
                message = f"{where}: {name!r} is not a table name"
                raise ConfigError(message)
        return frozenset()
    return frozenset(_column_named(name, where) for name in names)


def _column_named(name: object, where: str) -> tuple[str, str]:
    """``name`` as a column pair, or the one-line error naming it."""
    column = _hint_name(name)
    if column is None:
        message = f'{where}: {name!r} is not a "table.column" name'
        raise ConfigError(message)
    return column


def _pool(values: object, where: str) -> tuple[str, ...]:
    """A pool's values: a non-empty list (each drawn as text)."""
    if not isinstance(values, list) or not values:
        message = f"{where}: expected a non-empty list of values, got {values!r}"
        raise ConfigError(message)
    return tuple(str(v) for v in values)


def _hint_name(name: object) -> tuple[str, str] | None:
    """``"Table.Column"`` as ``("table", "column")``; ``None`` for anything else."""
    if not isinstance(name, str) or "." not in name.strip(".") or not name.strip():
        return None
    owner, column = name.lower().rsplit(".", 1)
    return owner, column
