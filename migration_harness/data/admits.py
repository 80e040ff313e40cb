"""Whether SQLite accepts a candidate row, decided in Python where that is exact.

Every generated row is tried on a scratch copy of its table (:mod:`~migration_harness.
data.probe`): two statements per candidate, ~10,000 on ``db/`` (issue 17). Where every
constraint of the table is a shape modelled here, and the row's values are ones whose
storage SQLite leaves as they are, the answer is worked out instead, following SQLite's
own rules (``datatype3``: affinity applied before the CHECKs run; comparisons with a
literal under the column's affinity; storage classes ordered NULL < numbers < text <
BLOB; ``length()`` counting characters before the first NUL; ``IN`` as ``=`` against
each value; NULL making a CHECK pass).

Only acceptance is decided. Anything else (a CHECK of another shape, a trigger, a
generated column, a STRICT table, a value SQLite would convert, a NULL in a NOT NULL or
key column, text under a collation other than BINARY) returns ``None``, and the probe
asks SQLite. So a row counts as rejected exactly when it did before, and the rejected
counts, which steer Hypothesis through the retries, do not change. ``json_valid`` is
asked of SQLite once per distinct value (NULL too: it answers 0): the JSON pool is small.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Final

from sqlglot import exp

from migration_harness.data.dataset import Value
from migration_harness.schema.constraints import parse_check
from migration_harness.schema.model import Column, Table
from migration_harness.sets.functions import register_known

# What cannot be decided here: the probe decides.
_UNKNOWN: Final = object()
# Not NULL, and nothing more known: what SQLite makes of a value it converts (text into a
# number column, say), or an omitted column's ``DEFAULT CURRENT_TIMESTAMP``.
_SOME: Final = object()
# An omitted column's DEFAULT expression that may fail or be NULL when SQLite runs it.
_RISKY: Final = object()
Verdict = bool | None | object  # True, False, NULL (None) or _UNKNOWN
# SQLite's integers are 64-bit; a larger Python int is not bound as one.
_LOW, _HIGH = -(2**63), 2**63 - 1
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
        key = name.lower()
        column = shape.columns.get(key)
        if column is None or key in given:
            return None  # no such column, or named twice: SQLite refuses it
        given.add(key)
        stored[key] = _stored(value, column.affinity)
    for key, held in stored.items():
        if held is _RISKY:
            return None
        if held is None and key in shape.not_null:
            return None
        if held is _SOME and key in shape.read:
            return None
    if shape.alias is not None and type(stored[shape.alias]) not in (int, type(None)):
        return None  # the rowid takes integers only
    for check in shape.checks:
        if _truth(check, stored, shape) not in (True, None):
            return None  # refused, or not decided here: the probe says which
    return True


@dataclass(frozen=True, slots=True)
class _Shape:
    """What :func:`admits` needs of a table whose every constraint is modelled."""

    columns: dict[str, Column]  # by lower-cased name
    defaults: dict[str, object]  # what each column stores when the row omits it
    not_null: frozenset[str]  # NOT NULL columns, and the key of a WITHOUT ROWID table
    read: frozenset[str]  # columns a CHECK reads
    alias: str | None  # the INTEGER PRIMARY KEY that is the rowid
    checks: tuple[exp.Expr, ...]


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
    checks = []
    for check in table.checks:
        tree = parse_check(check.expression)
        if tree is None:
            return None
        checks.append(tree)
    columns = {c.name.lower(): c for c in table.columns}
    read = {col.name.lower() for tree in checks for col in tree.find_all(exp.Column)}
    if not read <= columns.keys():
        return None  # a CHECK naming something else (a string in double quotes, rowid)
    alias = table.rowid_alias
    return _Shape(
        columns,
        {name: _default(column) for name, column in columns.items()},
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
    value = _literal(tree)
    return _RISKY if value is _UNKNOWN else _stored(value, column.affinity)


_NOW_FUNCTIONS: Final = frozenset({"datetime", "date", "time", "julianday"})


def _stored(value: object, affinity: str) -> object:
    """``value`` as SQLite stores it under ``affinity``: :data:`_SOME` when converted.

    :data:`_RISKY` for what is not bound as it is (a NaN becomes NULL, an integer past 64
    bits or text that is not UTF-8 fails to bind): the probe meets it as before.
    """
    if value is None or type(value) is bytes:  # exactly: RawText and bool are not these
        return value
    if type(value) is int:
        if not _LOW <= value <= _HIGH:
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


def _truth(node: exp.Expr, row: Mapping[str, object], shape: _Shape) -> Verdict:
    """A boolean expression's value: True, False, None (NULL) or unknown."""
    if isinstance(node, exp.Paren):
        return _truth(node.this, row, shape)
    if isinstance(node, (exp.And, exp.Or)):
        return _logic(node, row, shape)
    if isinstance(node, exp.Not):
        inner = _truth(node.this, row, shape)
        return inner if inner is None or inner is _UNKNOWN else not inner
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        value = _operand(node.this, row, shape)[0]
        return value if value is _UNKNOWN else value is None
    if isinstance(node, exp.Between) and not node.args.get("symmetric"):
        low = _compare(exp.GTE, node.this, node.args["low"], row, shape)
        high = _compare(exp.LTE, node.this, node.args["high"], row, shape)
        return _and(low, high)
    if isinstance(node, exp.In):
        return _in(node, row, shape)
    if type(node) in _ORDER:
        return _compare(type(node), node.this, node.expression, row, shape)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "json_valid":
        args = node.expressions
        if len(args) == 1 and isinstance(args[0], exp.Column):
            value = _operand(args[0], row, shape)[0]
            return value if value is _UNKNOWN else _json_valid(value)
    return _UNKNOWN


def _logic(node: exp.And | exp.Or, row: Mapping[str, object], shape: _Shape) -> Verdict:
    left = _truth(node.this, row, shape)
    right = _truth(node.expression, row, shape)
    if isinstance(node, exp.And):
        return _and(left, right)
    if left is _UNKNOWN or right is _UNKNOWN:
        return _UNKNOWN
    if left is True or right is True:
        return True
    return None if left is None or right is None else False


def _and(left: Verdict, right: Verdict) -> Verdict:
    """SQL's three-valued AND."""
    if left is _UNKNOWN or right is _UNKNOWN:
        return _UNKNOWN
    if left is False or right is False:
        return False
    return None if left is None or right is None else True


def _in(node: exp.In, row: Mapping[str, object], shape: _Shape) -> Verdict:
    """``x IN (a, b)`` is ``x = a OR x = b`` (the list values have no affinity)."""
    if node.args.get("query") is not None or node.args.get("field") is not None:
        return _UNKNOWN
    found: Verdict = False
    for item in node.expressions:
        verdict = _compare(exp.EQ, node.this, item, row, shape)
        if verdict is _UNKNOWN:
            return _UNKNOWN
        if verdict is True:
            return True
        if verdict is None:
            found = None
    return found


_ORDER: Final[dict[type[exp.Expr], Callable[[int], bool]]] = {
    exp.EQ: lambda c: c == 0,
    exp.NEQ: lambda c: c != 0,
    exp.GT: lambda c: c > 0,
    exp.GTE: lambda c: c >= 0,
    exp.LT: lambda c: c < 0,
    exp.LTE: lambda c: c <= 0,
}


def _compare(
    op: type[exp.Expr], left: exp.Expr, right: exp.Expr, row: Mapping[str, object], shape: _Shape
) -> Verdict:
    """A comparison of a column (or ``length()`` of one) with a literal, either way round."""
    flipped = False
    if _literal(left) is not _UNKNOWN:
        left, right, flipped = right, left, True
    value, column = _operand(left, row, shape)
    literal = _literal(right)
    if value is _UNKNOWN or literal is _UNKNOWN:
        return _UNKNOWN
    if column is not None:  # the literal takes the column's affinity
        literal = _with_affinity(literal, column.affinity)
        if literal is _UNKNOWN:
            return _UNKNOWN
    if value is None or literal is None:
        return None
    both_text = isinstance(value, str) and isinstance(literal, str)
    if both_text and column is not None and column.collation is not None:
        return _UNKNOWN  # NOCASE, RTRIM or the application's own: SQLite compares
    order = _order(value, literal)
    return _ORDER[op](-order if flipped else order)


def _operand(
    node: exp.Expr, row: Mapping[str, object], shape: _Shape
) -> tuple[object, Column | None]:
    """A column's stored value and the column, or ``length()`` of it (no affinity)."""
    if isinstance(node, exp.Column) and not node.table:
        return row.get(node.name.lower()), shape.columns[node.name.lower()]
    argument = None
    if isinstance(node, exp.Length):
        argument = node.this
    elif isinstance(node, exp.Anonymous) and node.name.lower() == "length":
        argument = node.expressions[0] if len(node.expressions) == 1 else None
    if isinstance(argument, exp.Column) and not argument.table:
        return _length(row.get(argument.name.lower())), None
    return _UNKNOWN, None


def _length(value: object) -> object:
    """SQLite's ``length()``: characters before the first NUL, bytes of a BLOB."""
    if value is None or value is _UNKNOWN:
        return value
    if isinstance(value, str):
        end = value.find("\0")
        return len(value) if end < 0 else end
    if isinstance(value, bytes):
        return len(value)
    if isinstance(value, int):
        return len(str(value))
    return _UNKNOWN  # a REAL's text is SQLite's own rendering


def _literal(node: exp.Expr) -> object:
    """A literal's value: text, a 64-bit integer or NULL; anything else unknown."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Null):
        return None
    negative = isinstance(node, exp.Neg)
    if negative:
        node = node.this
    if not isinstance(node, exp.Literal):
        return _UNKNOWN
    if node.is_string:
        return _UNKNOWN if negative else node.this
    text = node.this
    if not text.isdigit():  # REAL, hex and exponent spellings are SQLite's to read
        return _UNKNOWN
    number = -int(text) if negative else int(text)
    return number if _LOW <= number <= _HIGH else _UNKNOWN


def _with_affinity(literal: object, affinity: str) -> object:
    """A literal compared with a column of ``affinity``, as SQLite converts it first."""
    if literal is None:
        return None
    if affinity in ("INTEGER", "REAL", "NUMERIC"):
        return literal if isinstance(literal, int) else _UNKNOWN  # text may become a number
    if affinity == "TEXT" and isinstance(literal, int):
        return str(literal)
    return literal


def _order(a: object, b: object) -> int:
    """-1, 0 or 1 as SQLite orders two non-NULL values under BINARY."""
    rank_a, rank_b = _rank(a), _rank(b)
    if rank_a != rank_b:
        return -1 if rank_a < rank_b else 1
    return int((a > b) - (a < b))  # type: ignore[operator]


def _rank(value: object) -> int:
    """Storage class order: numbers, then text, then BLOBs."""
    if isinstance(value, (int, float)):
        return 1
    return 2 if isinstance(value, str) else 3


@functools.lru_cache(maxsize=4)
def _connection(pid: int) -> sqlite3.Connection:
    """A connection of this process (``check -j`` forks workers) to ask SQLite with."""
    return sqlite3.connect(":memory:", check_same_thread=False)


@functools.lru_cache(maxsize=4096)
def _json_valid_of(kind: type, value: Hashable) -> Verdict:
    """``json_valid`` of one value, by SQLite (``kind`` keeps 1 and 1.0 apart)."""
    found = _connection(os.getpid()).execute("SELECT json_valid(?)", (value,)).fetchone()
    return None if found[0] is None else bool(found[0])


def _json_valid(value: Hashable) -> Verdict:
    """SQLite's own ``json_valid`` of a stored value, asked once per value.

    NULL included: this SQLite says 0 for it (a CHECK of it alone refuses NULL), where
    most functions give NULL.
    """
    return _json_valid_of(type(value), value)
