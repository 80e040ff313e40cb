"""Whether SQLite accepts a candidate row, decided in Python where that is exact.

Every generated row is tried on a scratch copy of its table (:mod:`~migration_harness.
data.probe`): two statements per candidate, ~10,000 on ``db/`` (issue 17). Where every
constraint of the table is a shape modelled here, and the row's values are ones whose
storage SQLite leaves as they are, the answer is worked out instead, following SQLite's
own rules: the column's affinity applied to the row before the CHECKs run (as SQLite
does), NOT NULL, the rowid's integers, omitted columns' DEFAULTs, and each CHECK as
:mod:`~migration_harness.data.verdicts` compiles it.

Only acceptance is decided. Anything else (a CHECK of another shape, a trigger, a
generated column, a STRICT table, a value SQLite would convert, a NULL in a NOT NULL or
key column, text under a collation other than BINARY) returns ``None``, and the probe
asks SQLite. So a row counts as rejected exactly when it did before, and the rejected
counts, which steer Hypothesis through the retries, do not change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from sqlglot import exp

from migration_harness.data.dataset import Value
from migration_harness.data.verdicts import HIGH, LOW, UNKNOWN, Predicate, compile_check, literal
from migration_harness.schema.constraints import parse_check
from migration_harness.schema.model import Column, Table
from migration_harness.sets.functions import register_known

# Not NULL, and nothing more known: what SQLite makes of a value it converts (text into a
# number column, say), or an omitted column's ``DEFAULT CURRENT_TIMESTAMP``.
_SOME: Final = object()
# An omitted column's DEFAULT expression that may fail or be NULL when SQLite runs it.
_RISKY: Final = object()
_COLLATIONS: Final = frozenset({None, "BINARY", "NOCASE", "RTRIM"})


def admits(table: Table, values: Mapping[str, Value], triggers: tuple[str, ...]) -> bool | None:
    """``True`` when SQLite surely accepts ``values`` into ``table``; ``None``: ask SQLite."""
    if triggers:
        return None
    shape = _shape_of(table)
    if shape is None:
        return None
    stored = dict(shape.defaults)
    given = set()
    for name, value in values.items():
        key = shape.names.get(name) or name.lower()
        if key not in shape.columns or key in given:
            return None  # no such column, or named twice: SQLite refuses it
        given.add(key)
        held = _stored(value, shape.affinities[key])
        if held is _RISKY:
            return None
        stored[key] = held
    if not shape.risky <= given:
        return None  # an omitted column's DEFAULT is SQLite's to run
    if any(stored[key] is None for key in shape.not_null):
        return None
    if any(stored[key] is _SOME for key in shape.read):
        return None
    if shape.alias is not None and type(stored[shape.alias]) not in (int, type(None)):
        return None  # the rowid takes integers only
    for check in shape.checks:
        verdict = check(stored)
        if verdict is not True and verdict is not None:
            return None  # refused, or not decided here: the probe says which
    return True


@dataclass(frozen=True, slots=True)
class _Shape:
    """What :func:`admits` needs of a table whose every constraint is modelled."""

    columns: dict[str, Column]  # by lower-cased name
    names: dict[str, str]  # lower-cased name by the name as declared
    affinities: dict[str, str]  # by lower-cased name
    defaults: dict[str, object]  # what each column stores when the row omits it
    risky: frozenset[str]  # columns whose DEFAULT SQLite must run (it may fail)
    not_null: frozenset[str]  # NOT NULL columns, and the key of a WITHOUT ROWID table
    read: frozenset[str]  # columns a CHECK reads
    alias: str | None  # the INTEGER PRIMARY KEY that is the rowid
    checks: tuple[Predicate, ...]


def _shape_of(table: Table) -> _Shape | None:
    """The table's :class:`_Shape` (kept per record); ``None`` if anything is not modelled.

    Kept by identity: hashing the whole record for a cache on every candidate row cost
    about as much as the decision.
    """
    kept = _SHAPES.get(id(table))
    if kept is not None and kept[0] is table:
        return kept[1]
    if len(_SHAPES) >= _SHAPES_KEPT:
        _SHAPES.clear()
    shape = _shape_read(table)
    _SHAPES[id(table)] = (table, shape)
    return shape


_SHAPES: Final[dict[int, tuple[Table, _Shape | None]]] = {}
_SHAPES_KEPT: Final = 256


def _shape_read(table: Table) -> _Shape | None:
    """:func:`_shape_of`, worked out."""
    if table.strict or table.virtual or not table.sql:
        return None
    if any(c.is_generated or c.collation not in _COLLATIONS for c in table.columns):
        return None
    if not _creates(table.sql):
        return None  # the probe's scratch copy fails the same way, as it always has
    columns = {c.name.lower(): c for c in table.columns}
    checks, read = [], set()
    for check in table.checks:
        tree = parse_check(check.expression)
        predicate = None if tree is None else compile_check(tree, columns)
        if tree is None or predicate is None:
            return None  # a shape not modelled, or naming no column (rowid, "text")
        checks.append(predicate)
        read |= {col.name.lower() for col in tree.find_all(exp.Column)}
    alias = table.rowid_alias
    defaults = {name: _default(column) for name, column in columns.items()}
    return _Shape(
        columns,
        {c.name: name for name, c in columns.items()},
        {name: column.affinity for name, column in columns.items()},
        defaults,
        frozenset(name for name, value in defaults.items() if value is _RISKY),
        # A rowid table's key may be NULL (the rowid then picks a number; any other key
        # keeps SQLite's legacy NULL); a WITHOUT ROWID table's may not.
        frozenset(n for n, c in columns.items() if c.notnull or (c.pk and table.without_rowid)),
        frozenset(read),
        alias.lower() if alias is not None else None,
        tuple(checks),
    )


def _creates(sql: str) -> bool:
    """Whether the table's CREATE runs on a fresh connection, as the probe's copy is made."""
    conn = sqlite3.connect(":memory:")
    try:
        register_known(conn)
        conn.execute(sql)
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return True


def _default(column: Column) -> object:
    """What an omitted column stores: NULL, a literal, :data:`_SOME` or :data:`_RISKY`."""
    if column.default is None:
        return None
    tree = parse_check(column.default)
    if tree is None:
        return _RISKY
    while isinstance(tree, exp.Paren):
        tree = tree.this
    if isinstance(tree, (exp.CurrentTimestamp, exp.CurrentDate, exp.CurrentTime)):
        return _SOME
    if isinstance(tree, exp.Anonymous) and tree.name.lower() in _NOW_FUNCTIONS:
        args = tree.expressions or [None]
        now = isinstance(args[0], exp.Literal) and args[0].is_string and args[0].this == "now"
        if len(args) == 1 and now:
            return _SOME  # datetime('now') and its kin are never NULL, never fail
    value = literal(tree)
    return _RISKY if value is UNKNOWN else _stored(value, column.affinity)


_NOW_FUNCTIONS: Final = frozenset({"datetime", "date", "time", "julianday"})


def _stored(value: object, affinity: str) -> object:
    """``value`` as SQLite stores it under ``affinity``: :data:`_SOME` when converted.

    :data:`_RISKY` for what is not bound as it is (a NaN becomes NULL, an integer past 64
    bits or text that is not UTF-8 fails to bind): the probe meets it as before.
    """
    if value is None or type(value) is bytes:  # exactly: RawText and bool are not these
        return value
    if type(value) is int:
        if not LOW <= value <= HIGH:
            return _RISKY
        if affinity == "TEXT":
            return str(value)
        if affinity == "REAL":
            return float(value) if abs(value) <= 2**53 else _SOME
        return value
    if type(value) is str:
        if not (value.isascii() or _encodes(value)):
            return _RISKY
        return value if affinity in ("TEXT", "BLOB") else _SOME
    if type(value) is float:
        if value != value:  # NaN
            return _RISKY
        return value if affinity in ("REAL", "BLOB") else _SOME
    return _RISKY


def _encodes(text: str) -> bool:
    """Whether ``text`` is UTF-8-encodable (a lone surrogate is not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
