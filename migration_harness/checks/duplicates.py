"""Seeded examples for the UNIQUE keys a step adds over rows that already exist.

A ``CREATE UNIQUE INDEX`` (or a rebuild whose new table has a UNIQUE or PRIMARY KEY the
old one lacked) fails in production on the first two rows that share the new key. Random
draws rarely produce such a pair: text ids are kept apart on purpose
(:mod:`~migration_harness.data.keyspace`), wide schemas get one row per table
(:data:`~migration_harness.data.strategies.CELL_BUDGET`), and a file adding eleven keys needs
eleven lucky draws. So for each new key one example is built on purpose: a valid dataset
drawn with a fixed random source, plus a copy of one of its rows that keeps the new key's
values and varies the columns the old schema already keeps unique. It runs through the
property's own body, so its finding, code and minimal example are the normal ones.

The new keys come from SQLite's introspection of the versions before and after the step
(``PRAGMA index_list``/``index_xinfo``, see :mod:`~migration_harness.schema.model`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from migration_harness.checks.draws import first_draw
from migration_harness.data.dataset import Dataset, Row, Value
from migration_harness.data.probe import accepted
from migration_harness.schema.model import Schema, Table, quote
from migration_harness.schema.records import Column
from migration_harness.sets.functions import register_known

# Draws tried per key before giving up on a pair (a row whose key columns are all set).
_TRIES: Final = 40
_SEED: Final = 0x0DD5


@dataclass(frozen=True, slots=True)
class NewKey:
    """A UNIQUE set of plain columns table ``table`` has after a step and not before.

    ``where``: a partial index's predicate (rows outside it may repeat the key).
    ``collations``: per column, the key's collation where one is not ``BINARY`` (empty
    when all are): under ``NOCASE`` 'Ann' and 'ann' are one key value.
    """

    table: str
    columns: tuple[str, ...]
    where: str | None = None
    collations: tuple[str, ...] = ()

    def collation(self, position: int) -> str:
        """The collation of the key's ``position``-th column."""
        return self.collations[position] if self.collations else _BINARY


_BINARY: Final = "BINARY"

# A key: its columns as (lower-cased name, collation), and its predicate.
_Key = tuple[tuple[tuple[str, str], ...], str | None]


def _keys(table: Table) -> list[_Key]:
    """``table``'s unique keys on plain columns, with collations and predicate.

    Read from SQLite's own index records, so a key declared inline, as a table
    constraint, as a PRIMARY KEY or by ``CREATE UNIQUE INDEX`` is the same key; a DESC
    order changes nothing about uniqueness and is ignored.
    """
    names = {c.name.lower() for c in table.columns}
    keys: list[_Key] = []
    if table.primary_key:
        keys.append((tuple((c.lower(), _BINARY) for c in table.primary_key), None))
    for index in table.indexes:
        if not index.unique or len(index.names) != len(index.columns):
            continue
        plain = [n.lower() for n in index.names if n is not None]
        if len(plain) == len(index.names) and all(c in names for c in plain):
            keys.append((tuple(zip(plain, index.collations, strict=True)), index.where))
    return keys


def _implies(held: _Key, key: _Key) -> bool:
    """Whether no two rows the ``held`` key admits can share ``key``.

    True when each held column is in ``key`` under the same collation, or under
    ``BINARY`` (values equal byte for byte are equal under every collation, so
    uniqueness under ``NOCASE`` or ``RTRIM`` implies it under ``BINARY``), and the held
    key covers every row ``key`` covers (no predicate, or the same one).
    """
    (columns, where), (wanted, wanted_where) = held, key
    if where not in (None, wanted_where):
        return False
    collations = dict(wanted)
    return all(c in collations and collations[c] in (coll, _BINARY) for c, coll in columns)


def new_unique_keys(before: Schema, after: Schema) -> list[NewKey]:
    """The unique keys ``after`` holds over tables of ``before`` that ``before`` did not imply.

    A key is implied when the old table already kept a subset of its columns unique
    (see :func:`_implies`): two old rows can then never share it. Keys over a column the
    old table lacks hold no old values and are left out.
    """
    old = before.by_lower_name
    found: list[NewKey] = []
    for table in after.tables.values():
        previous = old.get(table.name.lower())
        # The same record holds the same keys, each implied by itself: only tables the
        # step redefined are read (a scan of every table's keys grew with the history).
        if previous is None or previous is table or table.virtual or previous.virtual:
            continue
        columns = {c.name.lower(): c.name for c in previous.columns}
        held = _keys(previous)
        for key in _keys(table):
            wanted, where = key
            if not all(c in columns for c, _ in wanted):
                continue
            if any(_implies(k, key) for k in held):
                continue
            collations = tuple(coll for _, coll in wanted)
            new = NewKey(
                previous.name,
                tuple(columns[c] for c, _ in wanted),
                where,
                collations if any(c != _BINARY for c in collations) else (),
            )
            if new not in found:
                found.append(new)
    return found


def duplicate_seeds(
    strategy: Any, before: Schema, keys: Iterable[NewKey], existing: Mapping[str, list[Any]]
) -> tuple[Dataset, ...]:
    """One dataset per key in ``keys`` holding two rows that share it, valid at ``before``.

    A key no draw could pair (its table never got a row with the key set, or every copy
    is refused) yields nothing: the random search still runs.
    """
    keys = list(keys)
    seeds = []
    for key in keys:
        table = before.by_lower_name[key.table.lower()]
        # The other keys this step adds to the table: the copy keeps them apart, so the
        # step fails on ``key`` and its message names the key this example is for.
        others = {c.lower() for k in keys if k.table == key.table for c in k.columns}
        paired = _Pairing(table, key, existing.get(table.name, []), others)
        try:
            seed = _paired_draw(strategy, paired)
        finally:
            paired.conn.close()
        if seed is not None:
            seeds.append(seed)
    return tuple(seeds)


def _paired_draw(strategy: Any, paired: _Pairing) -> Dataset | None:
    """The first dataset ``strategy`` draws that ``paired`` can complete, completed.

    Drawn with a fixed random source, so the example does not depend on the run's seed.

    A row as drawn is tried first; only when no draw holds one whose key is all set are
    NULL columns filled in (see :meth:`_Pairing._filled`), so a filled row never takes the
    place of a drawn one the step's own filters would keep (stash 35 copies only rows
    ``WHERE … stash_id IS NOT NULL``).
    """
    for fill in (False, True):
        base = first_draw(strategy, partial(_completes, paired, fill), _TRIES, _SEED)
        if base is not None:
            return paired(base, fill)
    return None


def _completes(paired: _Pairing, fill: bool, dataset: Dataset) -> bool:
    """Whether ``paired`` can complete ``dataset`` (``find``'s condition)."""
    return paired(dataset, fill) is not None


class _Pairing:
    """Builds the duplicate of a dataset's row of one table for one new key."""

    def __init__(
        self, table: Table, key: NewKey, existing: list[Any], others: Iterable[str] = ()
    ) -> None:
        self.table, self.key, self.existing = table, key, existing
        self.rowid = (table.rowid_alias or "").lower()
        wanted = {c.lower() for c in key.columns}
        # Columns the old schema keeps unique that the copy must vary: one set at a
        # time would do, but varying every column outside the new key is simpler and as
        # valid (each old key has one, or the new key would be implied). The columns of
        # the step's other new keys vary too (``others``).
        self.vary = ({c for k, _ in _keys(table) for c, _ in k} | set(others)) - wanted
        # Columns a NULL may be filled in: no foreign key (any value stays valid), not
        # generated, not the rowid.
        linked = {c.lower() for fk in table.foreign_keys for c in fk.columns}
        self.fillable = {
            c.name.lower(): c
            for c in table.columns
            if c.name.lower() not in linked and not c.hidden and c.name.lower() != self.rowid
        }
        # Key columns under a collation the copy shows off: equal for the new key, apart
        # for an old BINARY key on the same column ('Ann' beside 'ann').
        self.collated = {
            c.lower(): key.collation(i)
            for i, c in enumerate(key.columns)
            if key.collation(i) != _BINARY
        }
        self.conn = _scratch(table)

    def __call__(self, dataset: Dataset, fill: bool = False) -> Dataset | None:
        """``dataset`` with a duplicate of one of its rows inserted after it, or ``None``.

        ``fill``: a row whose key has a NULL may be completed (see :meth:`_filled`).
        """
        rows = [r for r in dataset.rows if r.table == self.table.name]
        for row in rows:
            # The filled row first; the row as drawn when filling took it out of the key's
            # WHERE (stash 62: ``(name) WHERE disambiguation IS NULL``).
            for base in dict.fromkeys((self._filled(row, dataset, fill), row)):
                if base is None:
                    continue
                copy = self._copy(base, dataset)
                if copy is not None and self._collides(base, copy):
                    at = dataset.rows.index(row)
                    return Dataset((*dataset.rows[:at], base, copy, *dataset.rows[at + 1 :]))
        return None

    def _filled(self, row: Row, dataset: Dataset, fill: bool) -> Row | None:
        """``row`` with a value in its NULL columns where that stays valid, else as drawn.

        A copy ``WHERE c IS NOT NULL`` (stash 35) drops a pair whose ``c`` is NULL, and a
        NULL key column pairs with nothing; whether a key was tried at all then depended
        on the few draws :func:`_paired_draw` makes. NULL key columns are filled only with
        ``fill`` (its second round); ``None`` when the key cannot be set. Foreign-key
        columns are left alone.
        """
        values = row.as_dict()
        complete = all(values.get(c) is not None for c in self.key.columns)
        if not complete and (
            not fill
            or any(
                values.get(c) is None and c.lower() not in self.fillable for c in self.key.columns
            )
        ):
            return None
        missing = [c for c in self.fillable.values() if values.get(c.name) is None]
        if not missing:
            return row
        taken = self._taken(dataset)
        for column in missing:
            values[column.name] = _fresh(_filler(column), [t.get(column.name) for t in taken])
        if not accepted(self.table, values):
            return row if complete else None
        return Row(self.table.name, tuple(values.items()))

    def _taken(self, dataset: Dataset) -> list[dict[str, Any]]:
        """The rows of the table the dataset and the database already hold."""
        rows = [r.as_dict() for r in dataset.rows if r.table == self.table.name]
        return rows + list(self.existing)

    def _copy(self, row: Row, dataset: Dataset) -> Row | None:
        values = row.as_dict()
        given = {c.lower() for c in values}
        if not all(c.lower() in given and values[c] is not None for c in self.key.columns):
            return None  # a NULL (or defaulted) key value is no duplicate
        taken = self._taken(dataset)
        copied: dict[str, Value] = {}
        for name, value in values.items():
            if name.lower() == self.rowid:
                continue  # SQLite assigns a fresh rowid
            if name.lower() in self.vary:
                value = _fresh(value, [t.get(name) for t in taken])
            elif name.lower() in self.collated:
                value = _collated_twin(value, self.collated[name.lower()])
            copied[name] = value
        if not accepted(self.table, copied):
            return None
        return Row(self.table.name, tuple(copied.items()))

    def _collides(self, row: Row, copy: Row) -> bool:
        """Whether the old table holds both rows and the new key refuses them (its WHERE)."""
        self.conn.execute("SAVEPOINT pair")
        try:
            try:
                for one in (row, copy):
                    self.conn.execute(*one.insert_sql())
            except sqlite3.Error:
                return False  # the old schema refuses the pair: no database holds it
            columns = ", ".join(
                quote(c) + ("" if coll == _BINARY else f" COLLATE {coll}")
                for c, coll in ((c, self.key.collation(i)) for i, c in enumerate(self.key.columns))
            )
            where = f" WHERE {self.key.where}" if self.key.where else ""
            self.conn.execute(
                f"CREATE UNIQUE INDEX pair_probe ON {quote(self.table.name)} ({columns}){where}"
            )
        except sqlite3.IntegrityError as exc:
            return "UNIQUE" in str(exc)
        except sqlite3.Error:
            return False
        finally:
            self.conn.execute("ROLLBACK TO pair")
            self.conn.execute("RELEASE pair")
        return False


def _scratch(table: Table) -> sqlite3.Connection:
    """An in-memory database holding ``table`` only (no foreign keys, no triggers)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    register_known(conn)
    conn.execute(table.sql)
    return conn


def _filler(column: Column) -> Value:
    """A plain value of ``column``'s affinity, for a key column a draw left NULL."""
    affinity = column.affinity
    if affinity in ("INTEGER", "NUMERIC"):
        return 1
    if affinity == "REAL":
        return 1.5
    if affinity == "BLOB" and column.type:
        return b"\x01"
    return "key"


def _collated_twin(value: Value, collation: str) -> Value:
    """A value ``collation`` counts equal to ``value`` that differs byte for byte, if any.

    ``NOCASE`` folds ASCII letters, ``RTRIM`` ignores trailing spaces; other values (and
    text without an ASCII letter under ``NOCASE``) are kept as they are.
    """
    if not isinstance(value, str):
        return value
    if collation == "NOCASE":
        return "".join(ch.swapcase() if ch.isascii() else ch for ch in value)
    if collation == "RTRIM":
        return value + " "
    return value


def _fresh(value: Value, taken: Iterable[Value]) -> Value:
    """A value of ``value``'s type that none of ``taken`` holds (``None`` stays ``None``)."""
    if value is None:
        return value
    used = set(taken)
    n = 1
    while _variant(value, n) in used:
        n += 1
    return _variant(value, n)


def _variant(value: int | float | str | bytes, n: int) -> Value:
    """The ``n``-th variant of ``value``, of the same type."""
    if isinstance(value, int | float):
        return value + n
    if isinstance(value, bytes):
        return value + n.to_bytes(2, "big")
    return f"{value}-{n}"
