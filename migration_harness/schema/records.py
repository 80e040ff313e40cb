"""The schema records: frozen dataclasses that compare equal when two structures are the same.

Split out of :mod:`migration_harness.schema.model` (which reads a connection into these
records and still re-exports them): the records are the vocabulary every stage shares, the
introspection is one way of producing them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Final

from migration_harness.schema.memo import Memo


@dataclass(frozen=True, slots=True)
class Column:
    """One column as ``PRAGMA table_xinfo`` and the CREATE statement describe it.

    Attributes:
        type: declared type, upper-cased with single spaces (``VARCHAR(255)``).
        default: the DEFAULT expression, normalised SQL; ``None`` when there is none.
        pk: 1-based position in the primary key, 0 when not part of it.
        hidden: 0 ordinary, 2 generated VIRTUAL, 3 generated STORED (SQLite's codes).
        collation: the column's COLLATE, upper-cased, ``None`` for the default BINARY.
        expression: a generated column's expression, one spelling per expression
            (``price_cents * qty``); ``None`` for an ordinary column. A rollback that
            re-types it from memory (``price_cents + qty``) changes every value the
            application reads from the column, with the column's name and type unchanged.

    """

    name: str
    type: str = ""
    notnull: bool = False
    default: str | None = None
    pk: int = 0
    hidden: int = 0
    collation: str | None = None
    expression: str | None = None

    @property
    def affinity(self) -> str:
        """SQLite's type affinity for the declared type (section 3.1 of datatype3)."""
        return _affinity(self.type)

    @property
    def is_generated(self) -> bool:
        """Generated columns cannot be written to."""
        return self.hidden in (2, 3)


@functools.lru_cache(maxsize=1024)
def _affinity(declared_type: str) -> str:
    """:attr:`Column.affinity`, worked out once per declared type (asked per row and cell)."""
    declared = declared_type.upper()
    if "INT" in declared:
        return "INTEGER"
    if any(word in declared for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if not declared or "BLOB" in declared:
        return "BLOB"
    if any(word in declared for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A foreign key, normalised so two introspections compare equal."""

    table: str
    columns: tuple[str, ...]
    other_table: str
    other_columns: tuple[str, ...]
    on_delete: str = "NO ACTION"
    on_update: str = "NO ACTION"

    def describe(self) -> str:
        """``reviews(reviewer_user_id) -> users(id)``."""
        return (
            f"{self.table}({', '.join(self.columns)}) -> "
            f"{self.other_table}({', '.join(self.other_columns)})"
        )


@dataclass(frozen=True, slots=True)
class Index:
    """An index: explicit (``origin='c'``) or made by a UNIQUE/PRIMARY KEY constraint.

    Constraint indexes get SQLite's generated names (``sqlite_autoindex_t_1``), which depend
    on declaration order, so their name is left out of equality.

    Attributes:
        columns: column names, or normalised expressions for expression indexes; a
            non-default order or collation is appended (``name DESC``).
        where: the partial index predicate, normalised; ``None`` for a full index.
        names: per key column, the table column it reads (``None`` for an expression),
            so a reader need not take ``columns``' text apart.
        collations: per key column, its collation upper-cased (``BINARY`` by default):
            which values a UNIQUE index counts as equal (``NOCASE``: 'A' = 'a').

    """

    name: str = field(compare=False)
    table: str
    columns: tuple[str, ...]
    unique: bool = False
    origin: str = "c"
    where: str | None = None
    key: str = field(default="", repr=False)
    names: tuple[str | None, ...] = field(default=(), compare=False, repr=False)
    collations: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def is_partial(self) -> bool:
        """A partial index only covers rows matching its WHERE."""
        return self.where is not None

    @property
    def plain_columns(self) -> tuple[str, ...]:
        """Per key column, the table column it reads (an expression's text otherwise).

        Taken from ``names`` where introspection filled it: splitting ``columns`` at the
        first space (to drop ``DESC`` or ``COLLATE``) cut a quoted name holding a space
        (``"user id"``) to ``user``, and an index on it counted for nothing.
        """
        if len(self.names) == len(self.columns):
            return tuple(
                n if n is not None else c for n, c in zip(self.names, self.columns, strict=True)
            )
        return tuple(c.split(" ")[0] for c in self.columns)


@dataclass(frozen=True, slots=True)
class Check:
    """A CHECK constraint, its expression normalised by sqlglot.

    Two CHECKs with one expression are equal wherever they were declared: SQLite tests a
    column's CHECK and a table's alike, on every write of the row, so a table rebuilt with
    ``age INTEGER CHECK (age >= 0)`` written as ``CHECK (age >= 0)`` at table level
    accepts and refuses the same rows (only the constraint's name in SQLite's error
    message differs).

    Attributes:
        column: the column it was declared on; ``None`` for a table constraint. Not
            compared.

    """

    expression: str
    column: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger; its SQL is normalised (case, whitespace, quoting) for comparison.

    ``source`` is the SQL as stored, to run again (the normalised form is for comparing
    only: it spaces out operators such as ``<>``).
    """

    name: str
    table: str
    sql: str
    source: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class View:
    """A view; its SQL is normalised for comparison."""

    name: str
    sql: str


@dataclass(frozen=True, slots=True)
class Table:
    """One table with everything that constrains its rows."""

    name: str
    columns: tuple[Column, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[Index, ...] = ()
    checks: tuple[Check, ...] = ()
    strict: bool = False
    without_rowid: bool = False
    virtual: bool = False
    # ``INTEGER PRIMARY KEY AUTOINCREMENT``: ids are never handed out twice (sqlite_sequence).
    # A rollback that re-creates the table without it changes which ids the application
    # gets next, so it is part of the definition a round trip must restore.
    autoincrement: bool = False
    sql: str = field(default="", compare=False, repr=False)
    # Columns the set's own SQL (schema/usage.py) or the real data's profile says hold JSON:
    # a hint for the generator, set only on the copies the engine draws rows for. Compared,
    # so the generator's per-table caches never serve a hinted table an unhinted plan.
    json_columns: frozenset[str] = field(default=frozenset(), repr=False)
    # JSON columns whose members (``json_each``'s ``value``) the set's SQL parses as JSON
    # again (``json_extract(value, '$.name')``, yaak's header lists): each member is an
    # object or an array, never a bare string (schema/usage.py).
    json_member_columns: frozenset[str] = field(default=frozenset(), repr=False)
    # Nullable columns the application always fills (``columns.filled`` in the config,
    # learnt by ``profile --data``): the generator draws no NULL there.
    filled_columns: frozenset[str] = field(default=frozenset(), repr=False)
    # Date/time columns the set's SQL converted to unix seconds by this version
    # (schema/unixtime.py): the generator draws seconds there, not ISO-8601 text.
    unix_columns: frozenset[str] = field(default=frozenset(), repr=False)
    # Enum-like columns' values (``columns.pools``, learnt by ``profile --data
    # --show-values``): the generator draws only these there.
    column_pools: tuple[tuple[str, tuple[str, ...]], ...] = field(default=(), repr=False)
    # Literals the set's SQL compares a column with (``WHERE status != 'archived'``, a
    # trigger's ``WHEN OLD.status = 'shipped'``; schema/literals.py): the generator draws
    # them there too, so a filter or guard that singles them out meets a row it acts on.
    compared_literals: tuple[tuple[str, tuple[str | int, ...]], ...] = field(default=(), repr=False)
    # Literals a REPLACE or an upsert of the set's writes into a column (``REPLACE INTO
    # authors (id, …) VALUES (1, …)``; schema/literals.py): drawn there, key columns too
    # (otherwise minted above the seeds' ids), so a row the REPLACE deletes (and its
    # children's cascade) is met.
    replaced_literals: tuple[tuple[str, tuple[str | int, ...]], ...] = field(default=(), repr=False)

    @property
    def primary_key(self) -> tuple[str, ...]:
        """Primary key column names in key order; empty for a rowid-only table.

        Kept per ``columns`` tuple (:func:`_primary_key`): a history step asks it per
        table read and per comparison, ~25,000 times on ``db/`` (issue 17).
        """
        return _primary_key(self.columns)

    @property
    def rowid_alias(self) -> str | None:
        """The ``INTEGER PRIMARY KEY`` column that aliases the rowid, if any."""
        pk = [c for c in self.columns if c.pk]
        if len(pk) == 1 and pk[0].type == "INTEGER" and not self.without_rowid:
            return pk[0].name
        return None

    @property
    def unique_sets(self) -> tuple[tuple[str, ...], ...]:
        """Column sets that must be unique: primary key and full unique indexes on columns.

        Kept per ``columns`` and ``indexes`` tuples (:func:`_unique_sets`): the history
        fuzzer asks it per table of every reading it remembers keys of (issue 17).
        """
        return _unique_sets(self.columns, self.indexes)

    def column(self, name: str) -> Column:
        """The column called ``name`` (case-insensitive, as SQLite resolves it)."""
        for column in self.columns:
            if column.name.lower() == name.lower():
                return column
        raise KeyError(name)


def _primary_key(columns: tuple[Column, ...]) -> tuple[str, ...]:
    """The primary key's column names in key order, worked out once per ``columns``.

    Kept by identity (the tuple itself is held, so its id is not reused while kept):
    hashing the columns for a cache key cost about as much as sorting them.
    """
    kept = _PRIMARY_KEYS.get(id(columns))
    if kept is not None and kept[0] is columns:
        return kept[1]
    if len(_PRIMARY_KEYS) >= _PRIMARY_KEYS_KEPT:
        _PRIMARY_KEYS.clear()
    pk = sorted((c.pk, c.name) for c in columns if c.pk)
    names = tuple(name for _, name in pk)
    _PRIMARY_KEYS[id(columns)] = (columns, names)
    return names


_PRIMARY_KEYS: Final[dict[int, tuple[tuple[Column, ...], tuple[str, ...]]]] = {}
_PRIMARY_KEYS_KEPT: Final = 4_096


def _unique_sets(
    columns: tuple[Column, ...], indexes: tuple[Index, ...]
) -> tuple[tuple[str, ...], ...]:
    """:attr:`Table.unique_sets` of a table with ``columns`` and ``indexes``, kept.

    Kept by identity as :func:`_primary_key` is (both tuples held, so neither id is
    reused while kept); each call rebuilt every unique index's plain columns.
    """
    key = (id(columns), id(indexes))
    kept = _UNIQUE_SETS.get(key)
    if kept is not None and kept[0] is columns and kept[1] is indexes:
        return kept[2]
    if len(_UNIQUE_SETS) >= _PRIMARY_KEYS_KEPT:
        _UNIQUE_SETS.clear()
    primary = _primary_key(columns)
    sets = [primary] if primary else []
    names = {c.name for c in columns}
    for index in indexes:
        plain = index.plain_columns
        if index.unique and not index.is_partial and all(c in names for c in plain):
            sets.append(plain)
    found = tuple(dict.fromkeys(sets))
    _UNIQUE_SETS[key] = (columns, indexes, found)
    return found


_UNIQUE_SETS: Final[
    dict[tuple[int, int], tuple[tuple[Column, ...], tuple[Index, ...], tuple[tuple[str, ...], ...]]]
] = {}


def _lower(name: str) -> str:
    """``name`` lower-cased, one shared string per name.

    Every version of a history has its own :class:`Schema` and its own name maps: a
    fresh lower-cased string per table per version made them grow with the square of
    the history's length.
    """
    return sys.intern(name.lower())


@dataclass(frozen=True)
class Schema:
    """A whole database's structure; bookkeeping tables are left out.

    ``tables`` is keyed by table name; triggers and views are sorted by name.
    """

    tables: dict[str, Table] = field(default_factory=dict)
    triggers: tuple[Trigger, ...] = ()
    views: tuple[View, ...] = ()

    def told(self, tables: dict[str, Table]) -> Schema:
        """This schema with ``tables``: the same names and keys, other column hints.

        The name map and insert order depend on names and keys only, so the copy shares
        those already computed (each is a pass over every table).
        """
        copy = Schema(tables, self.triggers, self.views)
        for computed in ("_names", "_insert_order"):
            if computed in vars(self):
                vars(copy)[computed] = vars(self)[computed]
        return copy

    def replaced(
        self,
        lowered: frozenset[str],
        fresh: dict[str, Table],
        triggers: tuple[Trigger, ...],
        views: tuple[View, ...],
    ) -> Schema:
        """This schema with the tables named ``lowered`` (lower-cased) replaced by ``fresh``.

        ``fresh`` holds the tables of those names still there, read again. The copy and
        its name map are made from this schema's in C-speed dict copies: a comprehension
        lower-casing every name of the schema, after each statement of a long history,
        cost quadratic time (lint, 4 of 28 s at 2,000 tables).
        """
        names = self._names
        if len(names) != len(self.tables):  # names one lower-casing folds: as before
            merged = {n: t for n, t in self.tables.items() if n.lower() not in lowered}
            merged.update(fresh)
            return Schema(merged, triggers, views)
        merged = dict(self.tables)
        kept = dict(names)
        for low in lowered:
            name = kept.pop(low, None)
            if name is not None:
                del merged[name]
        merged.update(fresh)
        kept.update({_lower(n): n for n in fresh})
        schema = Schema(merged, triggers, views)
        if len(kept) == len(merged):
            vars(schema)["_names"] = kept
        return schema

    @property
    def foreign_keys(self) -> tuple[ForeignKey, ...]:
        """Every foreign key of every table."""
        return tuple(fk for t in self.tables.values() for fk in t.foreign_keys)

    @property
    def indexes(self) -> tuple[Index, ...]:
        """Every index of every table."""
        return tuple(i for t in self.tables.values() for i in t.indexes)

    def with_parents(self, tables: Iterable[str], *, populated: Iterable[str] = ()) -> list[str]:
        """``tables`` and the tables their rows need as parents, parents first.

        Generated rows need their foreign keys' targets: a dataset for ``tables`` draws
        their direct parents (so a foreign key is sometimes set, not always NULL), and
        above those only the ancestors a NOT NULL foreign key requires: a nullable one
        may be NULL. Ancestors in ``populated`` are never drawn: rows already there
        (seeds) serve as parents. Drawing the whole chain above a table made every
        example of a long history cost rows in proportion to its length.
        """
        lower = self._names
        wanted = {lower[t.lower()] for t in tables if t.lower() in lower}
        skip = {t.lower() for t in populated}
        stack = [(name, True) for name in wanted]
        while stack:
            name, direct = stack.pop()
            table = self.tables[name]
            required = {c.name.lower() for c in table.columns if c.notnull}
            for fk in table.foreign_keys:
                parent = lower.get(fk.other_table.lower())
                needed = direct or any(c.lower() in required for c in fk.columns)
                if parent and needed and parent not in wanted and parent.lower() not in skip:
                    wanted.add(parent)
                    stack.append((parent, False))
        # In insert order, by position: filtering the whole order cost every call time
        # in the number of tables (issue 17).
        return sorted(wanted, key=_POSITIONS(self).__getitem__)

    def with_children(self, tables: Iterable[str]) -> set[str]:
        """``tables`` and every table whose foreign keys reach them, transitively.

        ON DELETE/UPDATE actions travel from a parent to its children: a write or a DROP
        on ``tables`` can change the rows of all of these.
        """
        lower, referrers = self._names, referrers_of(self)
        found = {lower.get(t.lower(), t) for t in tables}
        stack = list(found)
        while stack:
            name = stack.pop()
            key = name.lower()
            # Only a table of the schema has children (a key naming no table is dangling).
            children = referrers.get(key, ()) if name and lower.get(key) == name else ()
            for child in children:
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found

    def with_ancestors(self, tables: Iterable[str]) -> set[str]:
        """``tables`` and every table their foreign keys reach, transitively.

        The other direction of :meth:`with_children`. SQLite resolves ``REFERENCES users``
        (no column) to the parent's key only where the parent exists, so a replay of some
        tables needs all of these beside them to read their keys as they are.
        """
        lower = self._names
        found = {lower.get(t.lower(), t) for t in tables}
        stack = [name for name in found if name in self.tables]
        while stack:
            for fk in self.tables[stack.pop()].foreign_keys:
                parent = lower.get(fk.other_table.lower())
                if parent is not None and parent not in found:
                    found.add(parent)
                    stack.append(parent)
        return found

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        """Table names by lower-cased name (SQLite resolves names case-insensitively)."""
        return {_lower(name): name for name in self.tables}

    @functools.cached_property
    def by_lower_name(self) -> Mapping[str, Table]:
        """Tables keyed by lower-cased name, built once per schema record (read-only).

        A view over the name map and ``tables``: a dict of its own per version was
        13.5 MiB at 1,000 migrations.
        """
        return _ByLowerName(self._names, self.tables)

    def insert_order(self) -> list[str]:
        """Tables with parents before children (cycles broken arbitrarily but stably)."""
        return list(self._insert_order)

    @functools.cached_property
    def _insert_order(self) -> tuple[str, ...]:
        """``insert_order``, computed once per schema record (records are shared)."""
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(name: str) -> None:
            if state.get(name):
                return
            state[name] = 1
            for fk in self.tables[name].foreign_keys:
                if fk.other_table in self.tables and fk.other_table != name:
                    visit(fk.other_table)
            state[name] = 2
            order.append(name)

        for name in sorted(self.tables):
            visit(name)
        return tuple(order)


class _ByLowerName(Mapping[str, Table]):
    """:attr:`Schema.by_lower_name`: a read-only view, lower-cased name -> table."""

    __slots__ = ("_names", "_tables")

    def __init__(self, names: dict[str, str], tables: dict[str, Table]) -> None:
        self._names, self._tables = names, tables

    def __getitem__(self, key: str) -> Table:
        return self._tables[self._names[key]]

    def __contains__(self, key: object) -> bool:
        return key in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


# The children maps of the schemas asked last, by ``id`` (the weak reference tells a
# reused id from the same record): a check run asks about a few versions at a time.


def table_changes(
    schema: Schema, other: Schema, limit: int = 8
) -> tuple[list[Table], list[Table]] | None:
    """The tables ``other`` holds that ``schema`` does not, and those ``schema`` adds.

    A record counts as the same only when it is the very object (introspection shares one
    record per distinct table, so version k of a history shares all but a few of k - 1's);
    a table redefined is in both lists, old and new. ``None`` when more than ``limit``
    records (or an eighth of the tables) differ: a map is then as cheap to build again.
    """
    mine, theirs = schema.tables, other.tables
    gone = [t for name, t in theirs.items() if mine.get(name) is not t]
    came = [t for name, t in mine.items() if theirs.get(name) is not t]
    if len(gone) + len(came) > max(limit, len(mine) // 8):
        return None
    return gone, came


def referrers_of(schema: Schema) -> Mapping[str, frozenset[str]]:
    """By lower-cased name, the tables with a foreign key to it (it may name no table).

    Kept for the last few schemas asked (:data:`_REFERRERS`), not on the record: one map
    per version held ~115 MiB at 1,000 migrations; derived from the map of the schema
    asked before where only a few tables differ (:func:`table_changes`).
    """
    return _REFERRERS(schema)


def _referrers_scanned(schema: Schema) -> dict[str, frozenset[str]]:
    """:func:`referrers_of`, by one pass over every table's keys."""
    found: dict[str, set[str]] = {}
    for table in schema.tables.values():
        for fk in table.foreign_keys:
            found.setdefault(fk.other_table.lower(), set()).add(table.name)
    return {name: frozenset(tables) for name, tables in found.items()}


def _referrers_derived(
    schema: Schema, other: Schema, known: dict[str, frozenset[str]]
) -> dict[str, frozenset[str]] | None:
    """:func:`referrers_of` from ``other``'s (``known``): only the differing tables' keys."""
    changes = table_changes(schema, other)
    if changes is None:
        return None
    gone, came = changes
    referrers = dict(known)
    for name in {fk.other_table.lower() for t in (*gone, *came) for fk in t.foreign_keys}:
        found = set(referrers.get(name, ())) - {t.name for t in gone if _refers(t, name)}
        found |= {t.name for t in came if _refers(t, name)}
        if found:
            referrers[name] = frozenset(found)
        else:
            referrers.pop(name, None)
    return referrers


def _refers(table: Table, name: str) -> bool:
    """Whether ``table`` has a foreign key to ``name`` (lower-cased)."""
    return any(fk.other_table.lower() == name for fk in table.foreign_keys)


def _positions_of(schema: Schema) -> dict[str, int]:
    """Each table's place in :meth:`Schema.insert_order`."""
    return {name: at for at, name in enumerate(schema._insert_order)}


# Kept for a few schemas, not on the record: one dict per version held for the whole run
# grew with the square of the history's length.
_POSITIONS: Final = Memo(_positions_of, kept=8)
_REFERRERS_KEPT: Final = 16
_REFERRERS: Final = Memo(_referrers_scanned, kept=_REFERRERS_KEPT, derive=_referrers_derived)
