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
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from hypothesis import strategies as st

from migration_harness.data.choices import Chooser, Draw
from migration_harness.data.columns import (
    EDGE_INTEGERS,
    EDGE_TEXT,
    NUMERIC_LOOKING_TEXT,
    Draws,
    Pick,
    as_strategy,
    column_draws,
)
from migration_harness.data.dataset import (
    REFUSED,
    Dataset,
    InsertResult,
    Row,
    Value,
    insert,
    read_rows,
    sql_literal,
)
from migration_harness.data.keyspace import (
    KeySpace,
    Link,
    id_columns,
    key_groups,
    key_values,
    text_keys,
)
from migration_harness.data.probe import accepted
from migration_harness.data.references import (
    Reference,
    draw_references,
    references_of,
    widest_shared_first,
)
from migration_harness.data.seeded import SEEDED, Seeded
from migration_harness.schema.constraints import ColumnRule, rules_for
from migration_harness.schema.model import Column, ForeignKey, Schema, Table

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


def datasets_for(
    schema: Schema,
    *,
    existing: Mapping[str, list[dict[str, Value]]] | None = None,
    max_rows: int = 3,
    tables: Iterable[str] | None = None,
    stats: GenerationStats | None = None,
    links: Iterable[Link] = (),
    pending: Iterable[Link] = (),
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
        links: pairs of (table, column) the set's SQL compares or copies
            (:func:`~migration_harness.schema.keylinks.key_links`): text keys of tables
            neither these nor a foreign key join never share a value
            (:mod:`~migration_harness.data.keyspace`).
        pending: copies later migrations make: a plain column they put into a text key
            holds ids, kept apart from other tables' keys too.

    Shrinks towards one row per table with NULLs, small numbers and first pool entries.
    """
    wanted = set(tables) if tables is not None else None
    order = tuple(t for t in schema.insert_order() if wanted is None or t in wanted)
    plans = _plans(schema, order)
    counters = stats if stats is not None else GenerationStats()
    cells = sum(len(plans[t].table.columns) for t in order if not plans[t].table.virtual)
    space = (key_groups(schema, plans, links), id_columns(schema, plans, pending))
    bounds = row_bounds(max_rows, cells)
    return _datasets(plans, order, existing or {}, bounds, counters, space)


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
    space: tuple[dict[str, str], dict[str, tuple[str, ...]]],
) -> Dataset:
    """Draw rows table by table in insertion order.

    Module level on purpose: Hypothesis inspects a composite's source when it is defined,
    so defining it inside ``datasets_for`` cost milliseconds per call.
    """
    state = _State(existing, plans, KeySpace(*space))
    choose = Chooser(draw)
    rows: list[Row] = []
    for name in order:
        plan = plans[name]
        if plan.table.virtual:
            continue
        for _ in range(choose.integer(bounds[0], bounds[1])):
            row = _draw_row(choose, plan, state, counters)
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
    return as_strategy(column_draws(column, rule, table, _is_key_column(table, column)))


# --- planning: per-table work done once per schema ------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """Everything needed to draw rows of one table, computed once per schema."""

    table: Table
    columns: tuple[tuple[Column, Draws, bool], ...]
    unique_sets: tuple[tuple[str, ...], ...]
    collations: dict[str, str | None]
    fks: tuple[ForeignKey, ...]
    nullable: frozenset[str]
    # Which defaulted columns to leave out: one choice in 0..omit_mask, a bit per column.
    omit_mask: int = 0
    triggers: tuple[str, ...] = ()
    # Text primary-key columns: all of them, and those drawn here (not taken from a parent).
    text_keys: tuple[str, ...] = ()
    drawn_text_keys: tuple[str, ...] = ()
    # The foreign keys as a row draws them, and the one-column UNIQUE sets (no foreign
    # key's) a row may give a near-duplicate of a value already used: per table, not
    # rebuilt for every row.
    references: tuple[Reference, ...] = ()
    near_duplicates: tuple[str, ...] = ()
    # ``columns`` as the row loop reads them: (name, draws, omission bit or 0), and every
    # column's name in table order. Worked out per table: the loop ran ~44,000 times on
    # ``db/`` (issue 17).
    drawn: tuple[tuple[str, Draws, int], ...] = ()
    names: tuple[str, ...] = ()
    # Per UNIQUE set, its columns lower-cased with their collations: a key is spelt per
    # row remembered and per candidate checked.
    unique_parts: dict[tuple[str, ...], tuple[tuple[str, str | None], ...]] = field(
        default_factory=dict
    )


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
    literals = dict(table.compared_literals)
    replaced = dict(table.replaced_literals)
    columns = []
    for column in table.columns:
        if column.is_generated or column.name.lower() in fk_columns:
            continue
        rule = rules.get(column.name.lower(), ColumnRule())
        compared = literals.get(column.name.lower(), ())
        keyed = replaced.get(column.name.lower(), ())
        draws = column_draws(column, rule, table, _is_key_column(table, column), compared, keyed)
        may_omit = column.default is not None and column.name.lower() not in in_unique
        columns.append((column, draws, may_omit))
    nullable = frozenset(c.name.lower() for c in table.columns if not c.notnull and not c.pk)
    keys = text_keys(table)
    fks = widest_shared_first(table.foreign_keys)
    return _Plan(
        table,
        tuple(columns),
        unique_sets,
        {c.name.lower(): c.collation for c in table.columns},
        fks,
        nullable,
        # One choice says which defaulted columns to leave out; 0 (none) is the simplest.
        2 ** len(columns) - 1 if any(may_omit for _, _, may_omit in columns) else 0,
        triggers,
        keys,
        tuple(c for c in keys if c.lower() not in fk_columns),
        references_of(fks, nullable, unique_sets),
        tuple(s[0] for s in unique_sets if len(s) == 1 and s[0].lower() not in fk_columns),
        tuple(
            (column.name, draws, 1 << i if may_omit else 0)
            for i, (column, draws, may_omit) in enumerate(columns)
        ),
        tuple(c.name for c in table.columns),
        _unique_parts(unique_sets, table),
    )


def _unique_parts(
    unique_sets: tuple[tuple[str, ...], ...], table: Table
) -> dict[tuple[str, ...], tuple[tuple[str, str | None], ...]]:
    """``_Plan.unique_parts``: each set's columns lower-cased, with their collations."""
    collations = {c.name.lower(): c.collation for c in table.columns}
    return {
        cols: tuple((c.lower(), collations.get(c.lower())) for c in cols) for cols in unique_sets
    }


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

    def __init__(
        self,
        existing: Mapping[str, list[dict[str, Value]]],
        plans: dict[str, _Plan],
        space: KeySpace | None = None,
    ):
        self.plans = plans
        self.space = space if space is not None else KeySpace({})
        self._rows: dict[str, list[dict[str, Value]]] = {}
        self.keys: dict[tuple[str, tuple[str, ...]], set[tuple[Value, ...]]] = {}
        self._names = {name.lower(): name for name in plans}
        self._pending: dict[str, list[dict[str, Value]]] = {}
        # Parent keys per (table, referenced columns): a list to index and a set to
        # dedupe, kept up to date as rows are added so a pick costs O(1), not a scan.
        self._parent_keys: dict[tuple[str, tuple[str, ...]], list[tuple[Value, ...]]] = {}
        self._parent_seen: dict[tuple[str, tuple[str, ...]], set[tuple[Value, ...]]] = {}
        # The same indexes by owning table: a remembered row updates its own table's only.
        self._indexes_of: dict[str, list[_ParentIndex]] = {}
        # Existing rows as a version holds them (shared by every example: never modified)
        # and what they contribute, worked out once (:mod:`~migration_harness.data.seeded`).
        self._shared: set[str] = set()
        self._seeded: dict[str, Seeded] = {}
        lowered: dict[str, list[dict[str, Value]]] | None = None
        for name in plans:  # the drawn tables only, not every table of the schema
            rows = existing.get(name)
            if rows:
                self._shared.add(name)
            if rows is None:  # a mapping keyed in another case (SQLite ignores case)
                if lowered is None:
                    lowered = {}
                    for key, found in existing.items():
                        lowered.setdefault(key.lower(), []).extend(found)
                rows = lowered.get(name.lower())
            if rows:
                self._pending[name] = rows

    def rows(self, table: str) -> list[dict[str, Value]]:
        """Rows of ``table`` so far (existing first), loading its existing rows once."""
        pending = self._pending.pop(table, None)
        if pending:
            self._load(table, pending)
        return self._rows.get(table, [])

    def _load(self, table: str, rows: list[dict[str, Value]]) -> None:
        """Remember the existing rows of ``table``: copied from what a version shares.

        Nothing of the table is remembered before (``rows`` is asked first by every
        caller), so no parent index exists yet and the copy equals remembering each row.
        """
        plan = self.plans[table]
        if table not in self._shared or self._indexes_of.get(table):
            for values in rows:
                self._remember(table, values)
            return
        extra = self.space.extra.get(table, ())
        found = SEEDED.get((rows, plan), extra, lambda: _seeded(plan, rows, extra))
        self._seeded[table] = found
        self._rows[table] = list(found.rows)
        for cols, keys in found.keys.items():
            self.keys[table, cols] = set(keys)
        if found.owned:
            self.space.remember_values(table, found.owned)

    def add(self, row: Row) -> None:
        """Record a drawn row."""
        self.rows(row.table)
        self._remember(row.table, row.as_dict())

    def _remember(self, table: str, values: dict[str, Value]) -> None:
        self._rows.setdefault(table, []).append(values)
        plan = self.plans[table]
        indexes = self._indexes_of.get(table)
        lowered = _lowered(values) if plan.unique_sets or indexes else {}
        if indexes:
            for cols, keys, seen in indexes:
                _add_parent_key(keys, seen, cols, lowered)
        if plan.text_keys or table in self.space.extra:
            self.space.remember(table, plan.text_keys, values)
        for cols in plan.unique_sets:
            key = self.unique_key(plan, cols, lowered)
            if key is not None:
                self.keys.setdefault((table, cols), set()).add(key)

    def unique_key(
        self, plan: _Plan, cols: tuple[str, ...], lowered: Mapping[str, Value]
    ) -> tuple[Value, ...] | None:
        """:func:`_unique_key` (the key as SQLite compares it; ``None`` with a NULL)."""
        return _unique_key(plan, cols, lowered)

    def is_taken(self, plan: _Plan, values: Mapping[str, Value]) -> bool:
        """Whether ``values`` would break a UNIQUE set of the table."""
        self.rows(plan.table.name)
        lowered = _lowered(values) if plan.unique_sets else {}
        for cols in plan.unique_sets:
            key = self.unique_key(plan, cols, lowered)
            if key is not None and key in self.keys.get((plan.table.name, cols), _NO_KEYS):
                return True
        return False

    def completes_taken(self, plan: _Plan, values: Mapping[str, Value]) -> bool:
        """Whether ``values`` already fill a UNIQUE set of the table with a taken key.

        Used while choosing foreign keys: ``UNIQUE (artist_id, follower_id)`` would
        otherwise reject most rows of a join table whose parents are few.
        """
        self.rows(plan.table.name)
        lowered = _lowered(values)
        for cols in plan.unique_sets:
            if all(c.lower() in lowered for c in cols):
                key = self.unique_key(plan, cols, lowered)
                if key is not None and key in self.keys.get((plan.table.name, cols), _NO_KEYS):
                    return True
        return False

    def parents(self, fk: ForeignKey) -> list[tuple[Value, ...]]:
        """Key tuples of rows the foreign key can point at (a live list: do not modify)."""
        table = self._names.get(fk.other_table.lower())
        if table is None:
            return []
        rows = self.rows(table)
        cols = _lowered_names(fk.other_columns)
        keys = self._parent_keys.get((table, cols))
        if keys is None:
            keys, seen, start = self._seeded_parents(table, cols)
            self._parent_keys[table, cols] = keys
            self._parent_seen[table, cols] = seen
            self._indexes_of.setdefault(table, []).append((cols, keys, seen))
            for values in rows[start:]:
                _add_parent_key(keys, seen, cols, _lowered(values))
        return keys

    def _seeded_parents(
        self, table: str, cols: tuple[str, ...]
    ) -> tuple[list[tuple[Value, ...]], set[tuple[Value, ...]], int]:
        """The parent keys of the table's existing rows, copied, and how many rows gave them.

        The same keys in the same order as walking those rows here: drawn rows follow.
        """
        found = self._seeded.get(table)
        if found is None:
            return [], set(), 0
        if cols not in found.parents:
            keys: list[tuple[Value, ...]] = []
            seen: set[tuple[Value, ...]] = set()
            for values in found.rows:
                _add_parent_key(keys, seen, cols, _lowered(values))
            found.parents[cols] = (tuple(keys), frozenset(seen))
        ordered, known = found.parents[cols]
        return list(ordered), set(known), len(found.rows)


# An index of parent keys: the referenced columns (lower-cased), the keys in the order
# rows came, and the same keys as a set.
_ParentIndex = tuple[tuple[str, ...], list[tuple[Value, ...]], set[tuple[Value, ...]]]
_NO_KEYS: Final[frozenset[tuple[Value, ...]]] = frozenset()


def _add_parent_key(
    keys: list[tuple[Value, ...]],
    seen: set[tuple[Value, ...]],
    cols: tuple[str, ...],
    lowered: Mapping[str, Value],
) -> None:
    """Add the key a row holds under ``cols`` (unless partly NULL or already there).

    ``lowered``: the row's values by lower-cased column name (:func:`_lowered`).
    """
    key = tuple([lowered.get(c) for c in cols])
    if None not in key and key not in seen:
        seen.add(key)
        keys.append(key)


def _draw_row(choose: Chooser, plan: _Plan, state: _State, stats: GenerationStats) -> Row | None:
    """Draw one valid row, retrying a few times when a key or CHECK refuses it."""
    for _ in range(MAX_ATTEMPTS):
        values = draw_references(choose, plan, state)
        if values is None:
            stats.rows_unsatisfiable += 1
            return None
        omit = choose.integer(0, plan.omit_mask) if plan.omit_mask else 0
        for name, draws, bit in plan.drawn:
            if omit & bit:
                continue
            if isinstance(draws, Pick):
                values[name] = draws.value(choose.integer(0, draws.high))
            else:
                values[name] = choose.draw(draws)
        _vary_unique_text(choose, plan, state, values)
        if plan.drawn_text_keys or plan.table.name in state.space.extra:
            state.rows(plan.table.name)  # its existing keys are its own, not another's
            state.space.separate(plan.table.name, plan.drawn_text_keys, values)
        if state.is_taken(plan, values) or not accepted(plan.table, values, plan.triggers):
            stats.rows_rejected += 1
            continue
        ordered = tuple([(name, values[name]) for name in plan.names if name in values])
        return Row(plan.table.name, ordered)
    return None


def _vary_unique_text(
    choose: Chooser, plan: _Plan, state: _State, values: dict[str, Value]
) -> None:
    """Sometimes make a UNIQUE text value a near-duplicate of one already used.

    Values that differ only in letter case or trailing spaces are distinct under BINARY
    collation and break rollbacks that rebuild with NOCASE, or dedupe with ``lower()``.
    """
    for col in plan.near_duplicates:
        if not isinstance(values.get(col), str):
            continue
        texts = [p for r in state.rows(plan.table.name) if isinstance(p := r.get(col), str) and p]
        if not texts or not choose.boolean():
            continue
        base = texts[choose.integer(0, len(texts) - 1)]
        collation = plan.collations.get(col.lower())
        variants = []
        if collation != "NOCASE" and base.swapcase() != base:
            variants.append(base.swapcase())
        if collation != "RTRIM":
            variants.append(base + " ")
        if variants:
            values[col] = variants[choose.integer(0, len(variants) - 1)]


def _unique_key(
    plan: _Plan, cols: tuple[str, ...], lowered: Mapping[str, Value]
) -> tuple[Value, ...] | None:
    """The key as SQLite compares it (collation applied); ``None`` when any part is NULL.

    ``lowered``: the row's values by lower-cased column name (:func:`_lowered`), made
    once per row by the caller rather than once per UNIQUE set here.
    """
    parts = plan.unique_parts.get(cols)
    if parts is None:
        parts = tuple((c.lower(), plan.collations.get(c.lower())) for c in cols)
    key = []
    for col, collation in parts:
        value = lowered.get(col)
        if value is None:
            return None
        key.append(_collate(value, collation))
    return tuple(key)


def _seeded(plan: _Plan, rows: list[dict[str, Value]], extra: tuple[str, ...]) -> Seeded:
    """What remembering ``rows`` one by one gives (:meth:`_State._remember`), once."""
    keys: dict[tuple[str, ...], set[tuple[Value, ...]]] = {}
    owned: list[str] = []
    for values in rows:
        lowered = _lowered(values) if plan.unique_sets else {}
        owned += key_values(plan.text_keys + extra, values)
        for cols in plan.unique_sets:
            key = _unique_key(plan, cols, lowered)
            if key is not None:
                keys.setdefault(cols, set()).add(key)
    return Seeded(rows, {cols: frozenset(found) for cols, found in keys.items()}, tuple(owned))


@functools.lru_cache(maxsize=4096)
def _lowered_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """``names`` lower-cased, kept: a parent key's columns, asked per row drawn."""
    return tuple(name.lower() for name in names)


def _lowered(values: Mapping[str, Value]) -> dict[str, Value]:
    """``values`` keyed by lower-cased column name (SQLite ignores the case of names)."""
    return {k.lower(): v for k, v in values.items()}


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


__all__ = [
    "EDGE_INTEGERS",
    "EDGE_TEXT",
    "NUMERIC_LOOKING_TEXT",
    "REFUSED",
    "Dataset",
    "GenerationStats",
    "InsertResult",
    "Row",
    "Value",
    "datasets_for",
    "insert",
    "read_rows",
    "rows_for",
    "sql_literal",
    "values_for",
]
