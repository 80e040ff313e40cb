"""Hypothesis strategies for valid rows, derived from an introspected schema.

``datasets_for(schema)`` draws rows for every table in foreign-key order: parents first,
children referencing rows drawn earlier (or already in the database), self references and
cycles through nullable columns included. Values honour affinity and STRICT types, NOT NULL,
defaults (sometimes omitted so the default applies), primary keys and UNIQUE sets (under the
column's collation), and CHECKs: common shapes are drawn directly
(:mod:`~migration_harness.schema.constraints`), and every row is then tried on a scratch
copy of the table so that no CHECK is guessed.

Shrinking: every value comes from a Hypothesis draw. Realistic text is picked from pools of
Faker values built once from a fixed seed, by a drawn index, so a failing dataset shrinks to
few rows, ``NULL``s, small numbers and the first pool entries, and replays exactly.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, cast

from hypothesis import strategies as st

from migration_harness.data.values import (
    RawText,
    fetch,
    jsonable_real,
    real_literal,
    text_literal,
)
from migration_harness.schema.constraints import ColumnRule, rules_for
from migration_harness.schema.model import Column, ForeignKey, Schema, Table, quote
from migration_harness.sets.functions import register_known

Value = None | int | float | str | bytes
Draw = Callable[[st.SearchStrategy[Any]], Any]

EDGE_INTEGERS: Final = (0, -1, 1, 2**31 - 1, 2**53 + 1, 2**63 - 1, -(2**63))
# Text that looks like a number: a column rebuilt with INTEGER, REAL or NUMERIC affinity
# turns "007" into 7 and "1.50" into 1.5 (zip codes and prices losing digits). Several, so
# that a few dozen draws among ~170 texts meet one.
NUMERIC_LOOKING_TEXT: Final = (
    "007",
    "1.50",
    "0042",
    "10.0",
    "1e3",
    "-0",
    "+5",
    "00",
    "0.10",
    "3.0",
    " 7",
    "12345678901234567890",
)
EDGE_TEXT: Final = (
    "",
    " ",
    "a ",
    "Ünïcødé ♫ 😀",
    "O'Brien; DROP",
    "x" * 300,
    "\t\n",
    *NUMERIC_LOOKING_TEXT,
)
_EPOCH_LOW: Final = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp())
_EPOCH_HIGH: Final = int(datetime(2030, 12, 31, tzinfo=UTC).timestamp())
_POOL_SIZE: Final = 128
MAX_ATTEMPTS: Final = 6


@dataclass(slots=True)
class GenerationStats:
    """Counts that tell whether generation is healthy (reported in ``check --json``).

    Attributes:
        rows_generated: rows the strategies produced.
        rows_rejected: candidate rows thrown away because a constraint the strategies do not
            model (an unusual CHECK, an expression index) rejected them.
        rows_unsatisfiable: rows not drawn because a required parent had no rows.
    """

    rows_generated: int = 0
    rows_rejected: int = 0
    rows_unsatisfiable: int = 0


@dataclass(frozen=True, slots=True)
class Row:
    """One generated row: the columns given (omitted ones take their DEFAULT)."""

    table: str
    values: tuple[tuple[str, Value], ...]

    def as_dict(self) -> dict[str, Value]:
        """Column name -> value."""
        return dict(self.values)

    def insert_sql(self) -> tuple[str, list[Value]]:
        """The parameterised INSERT for this row."""
        if not self.values:
            return f"INSERT INTO {quote(self.table)} DEFAULT VALUES", []
        cols = ", ".join(quote(c) for c, _ in self.values)
        marks = ", ".join("?" for _ in self.values)
        return f"INSERT INTO {quote(self.table)} ({cols}) VALUES ({marks})", [
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


def datasets_for(
    schema: Schema,
    *,
    existing: Mapping[str, list[dict[str, Value]]] | None = None,
    max_rows: int = 3,
    tables: Iterable[str] | None = None,
    stats: GenerationStats | None = None,
) -> st.SearchStrategy[Dataset]:
    """A strategy for valid datasets of ``schema``.

    Args:
        schema: the introspected schema of the version the rows are for.
        existing: rows already in the database (seed rows): their keys are avoided and they
            may be referenced by foreign keys.
        max_rows: at most this many rows per table (at least one is attempted); fewer
            on schemas too wide for :data:`CELL_BUDGET` (:func:`row_bounds`).
        tables: restrict to these tables (parents they need are not added automatically).
        stats: counters updated as rows are drawn.

    Shrinks towards one row per table with NULLs, small numbers and first pool entries.
    """
    wanted = set(tables) if tables is not None else None
    order = tuple(t for t in schema.insert_order() if wanted is None or t in wanted)
    plans = _plans(schema, order)
    counters = stats if stats is not None else GenerationStats()
    cells = sum(len(plans[t].table.columns) for t in order if not plans[t].table.virtual)
    return _datasets(plans, order, existing or {}, row_bounds(max_rows, cells), counters)


# Values (rows times columns) one example may hold across all its tables. Hypothesis gives
# an example a few thousand choices: a 300-table migration with one row per table made
# even the smallest example too large, and check died with FailedHealthCheck and no report
# (issue 15). About 1,500 values at one row per table was where it began.
CELL_BUDGET: Final = 1000


def row_bounds(max_rows: int, cells: int) -> tuple[int, int]:
    """``(least, most)`` rows drawn per table when one row of every table holds ``cells``.

    ``max_rows`` per table while the example fits in :data:`CELL_BUDGET`; fewer as the
    schema widens; past the budget a table may get no row at all, so an example's size
    stays bounded whatever the width of the schema.
    """
    per_table = CELL_BUDGET // max(1, cells)
    return (1 if per_table else 0), max(1, min(max_rows, per_table))


@st.composite
def _datasets(
    draw: Draw,
    plans: dict[str, _Plan],
    order: tuple[str, ...],
    existing: Mapping[str, list[dict[str, Value]]],
    bounds: tuple[int, int],
    counters: GenerationStats,
) -> Dataset:
    """Draw rows table by table in insertion order.

    Module level on purpose: Hypothesis inspects a composite's source when it is defined,
    so defining it inside ``datasets_for`` cost milliseconds per call.
    """
    state = _State(existing, plans)
    rows: list[Row] = []
    for name in order:
        plan = plans[name]
        if plan.table.virtual:
            continue
        for _ in range(draw(st.integers(min_value=bounds[0], max_value=bounds[1]))):
            row = _draw_row(draw, plan, state, counters)
            if row is not None:
                rows.append(row)
                state.add(row)
                counters.rows_generated += 1
    return Dataset(tuple(rows))


def rows_for(table: Table, schema: Schema) -> st.SearchStrategy[Dataset]:
    """Rows for one table alone (its foreign keys NULL or unsatisfiable): for user tests."""
    return datasets_for(schema, tables=[table.name])


def values_for(column: Column, table: Table) -> st.SearchStrategy[Value]:
    """Values one column accepts, ignoring keys and uniqueness (CHECK shapes honoured)."""
    rule = rules_for(table).get(column.name.lower(), ColumnRule())
    return _as_strategy(_column_draws(column, rule, table, _is_key_column(table, column)))


# --- planning: per-table work done once per schema ------------------------------------


_NO_OMISSIONS: Final[st.SearchStrategy[int]] = st.just(0)


@dataclass(frozen=True, slots=True)
class _Pick:
    """One integer choice and the value each index stands for.

    Drawn as ``value(draw(index))`` rather than through ``index.map(value)``: a mapped
    strategy adds a layer (a draw, a span) per value, which cost almost as much as the
    choice itself. The choices, and so generation and shrinking, are the same.
    """

    index: st.SearchStrategy[int]
    value: Callable[[int], Value]

    def strategy(self) -> st.SearchStrategy[Value]:
        """The same values as a strategy (for callers outside the row drawer)."""
        return self.index.map(self.value)


_Draws = _Pick | st.SearchStrategy[Value]


def _as_strategy(draws: _Draws) -> st.SearchStrategy[Value]:
    """A strategy for what ``draws`` draws."""
    return draws.strategy() if isinstance(draws, _Pick) else draws


@dataclass(frozen=True, slots=True)
class _Plan:
    """Everything needed to draw rows of one table, computed once per schema."""

    table: Table
    columns: tuple[tuple[Column, _Draws, bool], ...]
    unique_sets: tuple[tuple[str, ...], ...]
    collations: dict[str, str | None]
    fks: tuple[ForeignKey, ...]
    nullable: frozenset[str]
    omittable: bool = False
    omit_mask: st.SearchStrategy[int] = _NO_OMISSIONS
    triggers: tuple[str, ...] = ()


def _plans(schema: Schema, order: Iterable[str]) -> dict[str, _Plan]:
    """Plans for the tables drawn and the parents their foreign keys point at.

    Cached per table record; only these tables, as a dataset draws a handful of a schema
    that may hold hundreds (hashing every record for the cache cost more than drawing).
    """
    lower = {name.lower(): name for name in schema.tables}
    names = set(order)
    for name in order:
        for fk in schema.tables[name].foreign_keys:
            parent = lower.get(fk.other_table.lower())
            if parent is not None:
                names.add(parent)
    return {name: _plan(schema.tables[name], _insert_triggers(schema, name)) for name in names}


def _insert_triggers(schema: Schema, table: str) -> tuple[str, ...]:
    """The SQL of ``table``'s INSERT triggers: they refuse rows too (``RAISE(ABORT)``)."""
    return tuple(
        t.source
        for t in schema.triggers
        if t.table.lower() == table.lower() and t.source and _INSERT_TRIGGER.search(t.sql)
    )


_INSERT_TRIGGER: Final = re.compile(r"\binsert\s+on\b", re.IGNORECASE)


@functools.lru_cache(maxsize=2048)
def _plan(table: Table, triggers: tuple[str, ...] = ()) -> _Plan:
    """Column strategies and constraint bookkeeping for one table (and its INSERT triggers)."""
    rules = rules_for(table)
    unique_sets = table.unique_sets
    in_unique = {c.lower() for s in unique_sets for c in s}
    fk_columns = {c.lower() for fk in table.foreign_keys for c in fk.columns}
    columns = []
    for column in table.columns:
        if column.is_generated or column.name.lower() in fk_columns:
            continue
        rule = rules.get(column.name.lower(), ColumnRule())
        draws = _column_draws(column, rule, table, _is_key_column(table, column))
        may_omit = column.default is not None and column.name.lower() not in in_unique
        columns.append((column, draws, may_omit))
    nullable = frozenset(c.name.lower() for c in table.columns if not c.notnull and not c.pk)
    omittable = any(may_omit for _, _, may_omit in columns)
    return _Plan(
        table,
        tuple(columns),
        unique_sets,
        {c.name.lower(): c.collation for c in table.columns},
        table.foreign_keys,
        nullable,
        omittable,
        # One choice says which defaulted columns to leave out; 0 (none) is the simplest.
        st.integers(min_value=0, max_value=2 ** len(columns) - 1),
        triggers,
    )


def _is_key_column(table: Table, column: Column) -> bool:
    """Primary key columns never get NULL (NULL keys are a legacy SQLite quirk)."""
    return column.pk > 0


# --- drawing rows ----------------------------------------------------------------------


class _State:
    """Rows so far (existing and drawn): parents to reference, keys already taken.

    Existing rows are remembered per table on first use: a dataset draws a handful of the
    schema's tables, and remembering the seed rows of all of them cost time in proportion
    to the schema's size for every example.
    """

    def __init__(self, existing: Mapping[str, list[dict[str, Value]]], plans: dict[str, _Plan]):
        self.plans = plans
        self._rows: dict[str, list[dict[str, Value]]] = {}
        self.keys: dict[tuple[str, tuple[str, ...]], set[tuple[Value, ...]]] = {}
        self._names = {name.lower(): name for name in plans}
        self._pending: dict[str, list[dict[str, Value]]] = {}
        lowered: dict[str, list[dict[str, Value]]] | None = None
        for name in plans:  # the drawn tables only, not every table of the schema
            rows = existing.get(name)
            if rows is None:  # a mapping keyed in another case (SQLite ignores case)
                if lowered is None:
                    lowered = {}
                    for key, found in existing.items():
                        lowered.setdefault(key.lower(), []).extend(found)
                rows = lowered.get(name.lower())
            if rows:
                self._pending[name] = list(rows)

    def rows(self, table: str) -> list[dict[str, Value]]:
        """Rows of ``table`` so far (existing first), loading its existing rows once."""
        pending = self._pending.pop(table, None)
        if pending:
            for values in pending:
                self._remember(table, values)
        return self._rows.get(table, [])

    def add(self, row: Row) -> None:
        """Record a drawn row."""
        self.rows(row.table)
        self._remember(row.table, row.as_dict())

    def _remember(self, table: str, values: dict[str, Value]) -> None:
        self._rows.setdefault(table, []).append(values)
        plan = self.plans[table]
        for cols in plan.unique_sets:
            key = self.unique_key(plan, cols, values)
            if key is not None:
                self.keys.setdefault((table, cols), set()).add(key)

    def unique_key(
        self, plan: _Plan, cols: tuple[str, ...], values: Mapping[str, Value]
    ) -> tuple[Value, ...] | None:
        """The key as SQLite compares it (collation applied); ``None`` when any part is NULL."""
        lowered = {k.lower(): v for k, v in values.items()}
        key = []
        for col in cols:
            value = lowered.get(col.lower())
            if value is None:
                return None
            key.append(_collate(value, plan.collations.get(col.lower())))
        return tuple(key)

    def is_taken(self, plan: _Plan, values: Mapping[str, Value]) -> bool:
        """Whether ``values`` would break a UNIQUE set of the table."""
        self.rows(plan.table.name)
        for cols in plan.unique_sets:
            key = self.unique_key(plan, cols, values)
            if key is not None and key in self.keys.get((plan.table.name, cols), set()):
                return True
        return False

    def completes_taken(self, plan: _Plan, values: Mapping[str, Value]) -> bool:
        """Whether ``values`` already fill a UNIQUE set of the table with a taken key.

        Used while choosing foreign keys: ``UNIQUE (artist_id, follower_id)`` would
        otherwise reject most rows of a join table whose parents are few.
        """
        self.rows(plan.table.name)
        given = {k.lower() for k in values}
        for cols in plan.unique_sets:
            if all(c.lower() in given for c in cols):
                key = self.unique_key(plan, cols, values)
                if key is not None and key in self.keys.get((plan.table.name, cols), set()):
                    return True
        return False

    def parents(self, fk: ForeignKey) -> list[tuple[Value, ...]]:
        """Key tuples of rows the foreign key can point at."""
        table = self._names.get(fk.other_table.lower())
        if table is None:
            return []
        found = []
        for values in self.rows(table):
            lowered = {k.lower(): v for k, v in values.items()}
            key = tuple(lowered.get(c.lower()) for c in fk.other_columns)
            if all(v is not None for v in key):
                found.append(key)
        return list(dict.fromkeys(found))


def _draw_row(draw: Draw, plan: _Plan, state: _State, stats: GenerationStats) -> Row | None:
    """Draw one valid row, retrying a few times when a key or CHECK refuses it."""
    for _ in range(MAX_ATTEMPTS):
        values = _draw_references(draw, plan, state)
        if values is None:
            stats.rows_unsatisfiable += 1
            return None
        omit = draw(plan.omit_mask) if plan.omittable else 0
        for i, (column, draws, may_omit) in enumerate(plan.columns):
            if may_omit and omit >> i & 1:
                continue
            if isinstance(draws, _Pick):
                values[column.name] = draws.value(draw(draws.index))
            else:
                values[column.name] = draw(draws)
        _vary_unique_text(draw, plan, state, values)
        if state.is_taken(plan, values) or not _accepted(plan.table, values, plan.triggers):
            stats.rows_rejected += 1
            continue
        ordered = tuple((c.name, values[c.name]) for c in plan.table.columns if c.name in values)
        return Row(plan.table.name, ordered)
    return None


def _draw_references(draw: Draw, plan: _Plan, state: _State) -> dict[str, Value] | None:
    """Point each foreign key at an existing parent, or at NULL where allowed."""
    values: dict[str, Value] = {}
    for fk in plan.fks:
        if any(c in values for c in fk.columns):
            continue
        nullable = all(c.lower() in plan.nullable for c in fk.columns)
        candidates = [
            key
            for key in state.parents(fk)
            if not state.completes_taken(
                plan, {**values, **dict(zip(fk.columns, key, strict=True))}
            )
        ]
        if candidates and not (nullable and draw(st.booleans())):
            index = draw(st.integers(min_value=0, max_value=len(candidates) - 1))
            values.update(zip(fk.columns, candidates[index], strict=True))
        elif nullable:
            values.update(dict.fromkeys(fk.columns))
        else:
            return None
    return values


def _vary_unique_text(draw: Draw, plan: _Plan, state: _State, values: dict[str, Value]) -> None:
    """Sometimes make a UNIQUE text value a near-duplicate of one already used.

    Values that differ only in letter case or trailing spaces are distinct under BINARY
    collation and break rollbacks that rebuild with NOCASE, or dedupe with ``lower()``.
    """
    fk_columns = {c.lower() for fk in plan.fks for c in fk.columns}
    singles = [s[0] for s in plan.unique_sets if len(s) == 1 and s[0].lower() not in fk_columns]
    for col in singles:
        previous = [r.get(col) for r in state.rows(plan.table.name)]
        texts = [p for p in previous if isinstance(p, str) and p]
        if not texts or not isinstance(values.get(col), str) or not draw(st.booleans()):
            continue
        base = texts[draw(st.integers(min_value=0, max_value=len(texts) - 1))]
        collation = plan.collations.get(col.lower())
        variants = []
        if collation != "NOCASE" and base.swapcase() != base:
            variants.append(base.swapcase())
        if collation != "RTRIM":
            variants.append(base + " ")
        if variants:
            values[col] = variants[draw(st.integers(min_value=0, max_value=len(variants) - 1))]


def _collate(value: Value, collation: str | None) -> Value:
    """Fold a value the way a collation compares it (NOCASE folds ASCII only)."""
    if isinstance(value, str):
        if collation == "NOCASE":
            return value.translate(_ASCII_LOWER)
        if collation == "RTRIM":
            return value.rstrip(" ")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_ASCII_LOWER: Final = str.maketrans({chr(c): chr(c + 32) for c in range(65, 91)})


# --- exact validation on a scratch copy of the table ----------------------------------


@functools.lru_cache(maxsize=512)
def _scratch(table: Table, triggers: tuple[str, ...] = ()) -> sqlite3.Connection:
    """An in-memory database holding only ``table`` and its INSERT triggers.

    No foreign keys. A trigger that cannot run alone (its body reaches another table,
    which SQLite resolves when it compiles the INSERT) is left out: it would make every
    probe fail before the validations run.
    """
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    register_known(conn)  # a CHECK or generated column may call the application's function
    conn.execute(table.sql)
    probe = f"EXPLAIN INSERT INTO {quote(table.name)} DEFAULT VALUES"
    for trigger in triggers:
        known = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        try:
            conn.execute(trigger)
            conn.execute(probe)  # compiles every trigger: one reaching another table fails
        except sqlite3.Error:
            added = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for name in [n for (n,) in added.fetchall() if n not in known]:
                conn.execute(f"DROP TRIGGER {quote(name)}")
    conn.execute("BEGIN")
    return conn


def _accepted(table: Table, values: Mapping[str, Value], triggers: tuple[str, ...] = ()) -> bool:
    """Whether SQLite accepts the row: NOT NULL, type and CHECK constraints, INSERT triggers.

    Triggers refuse rows with ``RAISE(ABORT)`` validations; those reaching other tables
    are not in the scratch copy (see ``_scratch``), so they let rows through.
    """
    if not table.sql or table.virtual:
        return True
    conn = _scratch(table, triggers)
    row = Row(table.name, tuple(values.items()))
    sql, params = row.insert_sql()
    conn.execute("SAVEPOINT probe")
    try:
        conn.execute(sql, params)
        return True
    except sqlite3.OperationalError as exc:
        return triggers != () and str(exc).startswith(("no such table", "no such column"))
    except sqlite3.Error:
        return False
    finally:
        conn.execute("ROLLBACK TO probe")
        conn.execute("RELEASE probe")


# --- values ----------------------------------------------------------------------------


def _column_draws(column: Column, rule: ColumnRule, table: Table, is_key: bool) -> _Draws:
    """NULL (where allowed) first, so examples shrink to it; then typed values.

    Most values cost one Hypothesis choice: an index into a table of NULL, edge values and
    a pool of realistic values (or into a numeric range behind the edges). One choice per
    value keeps wide schemas fast, and small indexes are the simple values, so shrinking
    still reaches NULL, then edges, then the first realistic values.
    """
    nullable = not (column.notnull or is_key or rule.no_null)
    specials: tuple[Value, ...] = (None,) if nullable else ()
    if rule.choices:
        return _indexed(specials + cast(tuple[Value, ...], rule.choices))
    kind = _strict_kind(column.type) if table.strict else column.affinity
    name = column.name.lower()
    if is_key and kind == "INTEGER" and rule.low is None and rule.high is None:
        # Seed rows take small ids: start well above them, and keep the extreme rowids.
        # Not the largest under AUTOINCREMENT: every later insert there fails with
        # SQLITE_FULL, which no real table reaches (without it SQLite picks a free rowid).
        extremes = (2**53 + 1,) if _AUTOINCREMENT.search(table.sql) else (2**63 - 1, 2**53 + 1)
        return _ranged(extremes, 1000, 2**31, last=True)
    if kind == "INTEGER":
        return _integers(rule, name, specials)
    if kind == "TEXT":
        return _texts(rule, name, specials)
    if kind == "NUMERIC" and (rule.low is not None or rule.high is not None):
        return _integers(rule, name, specials)
    base = _other_values(column, rule, kind, name)
    return st.one_of(st.none(), base) if nullable else base


def _other_values(
    column: Column, rule: ColumnRule, kind: str, name: str
) -> st.SearchStrategy[Value]:
    """REAL, NUMERIC, BLOB and untyped columns: rarer, so plain one_of is fine."""
    if kind == "REAL":
        return _reals(rule)
    if kind == "NUMERIC":
        return st.one_of(_as_strategy(_integers(rule, name, ())), _reals(rule))
    if kind == "BLOB" and column.type:
        return st.binary(max_size=16)
    if rule.json or rule.min_length is not None or rule.max_length is not None:
        return _as_strategy(_texts(rule, name, ()))
    if rule.low is not None or rule.high is not None:
        return _as_strategy(_integers(rule, name, ()))
    return st.one_of(
        _as_strategy(_integers(rule, name, ())),
        _as_strategy(_texts(rule, name, ())),
        _reals(rule),
        st.binary(max_size=8),
    )


_AUTOINCREMENT: Final = re.compile(r"\bAUTOINCREMENT\b", re.IGNORECASE)


def _strict_kind(declared: str) -> str:
    """STRICT tables accept exactly INT, INTEGER, REAL, TEXT, BLOB or ANY."""
    kind = declared.upper()
    return "INTEGER" if kind == "INT" else kind


def _indexed(values: tuple[Value, ...]) -> _Draws:
    """One of ``values`` by a drawn index: shrinks towards the first."""
    if not values:
        return st.nothing()
    return _Pick(st.integers(min_value=0, max_value=len(values) - 1), values.__getitem__)


def _ranged(
    specials: tuple[Value, ...],
    low: int,
    high: int,
    convert: Callable[[int], Value] | None = None,
    *,
    last: bool = False,
) -> _Pick:
    """Draw ``specials`` then ``convert(low..high)`` with one integer choice.

    With ``last`` the range comes first and the specials after it.
    """
    count = len(specials)
    span = high - low

    def pick(i: int) -> Value:
        if last:
            return low + i if i <= span else specials[i - span - 1]
        if i < count:
            return specials[i]
        number = low + (i - count)
        return convert(number) if convert else number

    return _Pick(st.integers(min_value=0, max_value=count + (high - low)), pick)


def _integers(rule: ColumnRule, name: str, specials: tuple[Value, ...]) -> _Draws:
    """Small realistic integers, the CHECK's bounds themselves, and extreme values."""
    low, high = rule.integer_bounds()
    if low is not None and high is not None and low > high:
        return st.nothing()
    if any(word in name for word in ("cents", "amount", "price", "fee", "budget")):
        low = 0 if low is None else low
        high = 10_000_000 if high is None else high
    edges = [v for v in (low, high) if v is not None]
    edges += [v for v in EDGE_INTEGERS if _within(v, low, high)]
    start = low if low is not None else -1000
    stop = high if high is not None else max(1000, start + 1000)
    return _ranged(specials + tuple(dict.fromkeys(edges)), start, stop)


def _reals(rule: ColumnRule) -> st.SearchStrategy[Value]:
    """Finite floats in the CHECK's bounds (NaN would be stored as NULL)."""
    return st.floats(
        min_value=rule.low,
        max_value=rule.high,
        allow_nan=False,
        allow_infinity=False,
        exclude_min=rule.low_open and rule.low is not None,
        exclude_max=rule.high_open and rule.high is not None,
    )


def _within(value: int, low: int | None, high: int | None) -> bool:
    """``low <= value <= high`` with open ends."""
    return (low is None or value >= low) and (high is None or value <= high)


def _texts(rule: ColumnRule, name: str, specials: tuple[Value, ...]) -> _Draws:
    """Realistic text by column name, edge text on purpose, fitted to the CHECK's lengths."""
    low = max(rule.min_length or 0, 1 if rule.not_empty else 0)
    high = rule.max_length
    if high is not None and high < low:
        return st.nothing()
    if rule.json:
        base = _json_texts()
        return st.one_of(st.none(), base) if specials else base
    if _is_timestamp(name):
        date_only = "date" in name and not name.endswith(("_at", "time", "timestamp"))
        return _ranged(
            specials,
            _EPOCH_LOW,
            _EPOCH_HIGH,
            functools.partial(_timestamp, date_only=date_only, low=low, high=high),
        )
    pool = _pool(_provider_for(name)) + _weird_pool()
    fitted = tuple(_fit(t, low, high) for t in EDGE_TEXT + pool)
    return _indexed(specials + fitted)


def _is_timestamp(name: str) -> bool:
    """Whether the name reads as a time: ``created_at``, ``published_on``, ``metric_date``."""
    return name.endswith(("_at", "_on", "timestamp", "_time", "date")) or name in (
        "created",
        "updated",
    )


def _timestamp(seconds: int, *, date_only: bool, low: int, high: int | None) -> str:
    """SQLite's ``YYYY-MM-DD HH:MM:SS`` for even seconds, JavaScript's ISO form for odd."""
    moment = datetime.fromtimestamp(seconds, UTC)
    if date_only:
        text = moment.strftime("%Y-%m-%d")
    elif seconds % 2:
        text = moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    else:
        text = moment.strftime("%Y-%m-%d %H:%M:%S")
    return _fit(text, low, high)


def _fit(text: str, low: int, high: int | None) -> str:
    """Pad or cut text to the allowed length (SQLite counts characters)."""
    if len(text) < low:
        text = text + "x" * (low - len(text))
    if high is not None and len(text) > high:
        text = text[:high]
    return text


def _json_texts() -> st.SearchStrategy[Value]:
    """Small JSON documents: objects mostly, arrays and scalars at the edges."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**31), 2**31), st.text(max_size=8))
    docs = st.one_of(
        st.dictionaries(
            st.text(alphabet="abcdefghij_", min_size=1, max_size=6), scalars, max_size=3
        ),
        st.lists(scalars, max_size=3),
        scalars,
    )
    return docs.map(lambda d: json.dumps(d, ensure_ascii=False))


_NAME_PROVIDERS: Final = (
    ("email", "email"),
    ("url", "url"),
    ("website", "url"),
    ("avatar", "image_url"),
    ("image", "image_url"),
    ("phone", "phone_number"),
    ("city", "city"),
    ("country", "country"),
    ("address", "address"),
    ("zip", "postcode"),
    ("postal", "postcode"),
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("username", "user_name"),
    ("slug", "slug"),
    ("title", "sentence"),
    ("name", "name"),
    ("bio", "paragraph"),
    ("description", "paragraph"),
    ("body", "paragraph"),
    ("comment", "paragraph"),
    ("content", "paragraph"),
    ("message", "sentence"),
    ("note", "sentence"),
    ("ip", "ipv4"),
    ("currency", "currency_code"),
    ("color", "color_name"),
    ("genre", "word"),
    ("key", "sha1"),
    ("token", "sha1"),
    ("hash", "sha256"),
    ("mime", "mime_type"),
    ("file", "file_name"),
    ("path", "file_path"),
    ("uuid", "uuid4"),
    ("id", "uuid4"),
    ("state", "state"),
    ("company", "company"),
)


def _provider_for(name: str) -> str:
    """The Faker provider whose values look like this column's."""
    for word, provider in _NAME_PROVIDERS:
        if word in name:
            return provider
    return "word"


@functools.lru_cache(maxsize=1)
def _weird_pool() -> tuple[str, ...]:
    """Text no Faker provider makes: combining marks, right-to-left, emoji, controls."""
    import random

    rng = random.Random(20261121)
    blocks = (
        (0x20, 0x7E),
        (0xA0, 0x24F),
        (0x300, 0x36F),
        (0x590, 0x6FF),
        (0x4E00, 0x4FFF),
        (0x1F300, 0x1F64F),
        (0x1, 0x1F),
    )
    out = []
    for _ in range(32):
        low, high = blocks[rng.randrange(len(blocks))]
        out.append("".join(chr(rng.randint(low, high)) for _ in range(rng.randint(1, 12))))
    return tuple(out)


@functools.lru_cache(maxsize=64)
def _pool(provider: str) -> tuple[str, ...]:
    """``_POOL_SIZE`` distinct-ish values of one Faker provider, always the same ones."""
    faker = _faker()
    faker.seed_instance(_stable_seed(provider))
    make = getattr(faker, provider)
    return tuple(str(make()) for _ in range(_POOL_SIZE))


@functools.lru_cache(maxsize=1)
def _faker() -> Any:
    """One Faker instance, created on first use (it takes ~0.2 s)."""
    from faker import Faker

    return Faker("en_US")


def _stable_seed(text: str) -> int:
    """A seed that does not change between processes (``hash`` is salted)."""
    return sum((i + 1) * ord(c) for i, c in enumerate(text))


# --- rendering ---------------------------------------------------------------------------


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
    "Dataset",
    "GenerationStats",
    "InsertResult",
    "Row",
    "datasets_for",
    "insert",
    "read_rows",
    "rows_for",
    "values_for",
]
