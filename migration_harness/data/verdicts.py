"""CHECK expressions of the modelled shapes, compiled once into Python predicates.

Used by :mod:`~migration_harness.data.admits`, which hands a predicate the row's values
as SQLite stores them (column affinity already applied), by lower-cased column name.
A predicate returns ``True``, ``False``, ``None`` (SQL NULL: the CHECK passes) or
:data:`UNKNOWN` (a value whose comparison SQLite makes in a way not modelled here: text
under a collation other than BINARY, the text of a REAL). An expression of any other
shape does not compile (:func:`compile_check` returns ``None``).

The rules followed are SQLite's (``datatype3``): a literal compared with a column takes
the column's affinity first (text in a number column's comparison may become a number,
so that is left out; a number compared with a TEXT column becomes text); values of
different storage classes order NULL < numbers < text < BLOB; ``BETWEEN`` is two
comparisons; ``IN (…)`` is ``=`` against each value (a NULL among them makes a miss
NULL); ``length()`` counts characters before the first NUL, bytes of a BLOB, digits of
an integer; ``json_valid`` is asked of SQLite itself, once per distinct value.
Compiled per table once: walking sqlglot's tree for every candidate row cost more than
the probe it spared.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Hashable, Mapping
from typing import Final

from sqlglot import exp

from migration_harness.schema.model import Column

UNKNOWN: Final = object()
Verdict = object  # True, False, None (NULL) or UNKNOWN
Row = Mapping[str, object]
Predicate = Callable[[Row], Verdict]
# SQLite's integers are 64-bit; a larger literal is read as a REAL.
LOW, HIGH = -(2**63), 2**63 - 1


class _Unmodelled(Exception):
    """An expression of a shape not compiled here."""


def compile_check(tree: exp.Expr, columns: Mapping[str, Column]) -> Predicate | None:
    """A predicate for the CHECK ``tree`` over ``columns`` (by lower-cased name)."""
    try:
        return _boolean(tree, columns)
    except _Unmodelled:
        return None


def _boolean(node: exp.Expr, columns: Mapping[str, Column]) -> Predicate:
    """A node in a truth position."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, (exp.And, exp.Or)):
        left, right = _boolean(node.this, columns), _boolean(node.expression, columns)
        both = _and if isinstance(node, exp.And) else _or
        return lambda row: both(left(row), right(row))
    if isinstance(node, exp.Not):
        inner = _boolean(node.this, columns)
        return lambda row: _not(inner(row))
    if isinstance(node, exp.Is) and isinstance(node.expression, exp.Null):
        value = _operand(node.this, columns)[0]
        return lambda row: _is_null(value(row))
    if isinstance(node, exp.Between) and not node.args.get("symmetric"):
        low = _comparison(exp.GTE, node.this, node.args["low"], columns)
        high = _comparison(exp.LTE, node.this, node.args["high"], columns)
        return lambda row: _and(low(row), high(row))
    if isinstance(node, exp.In) and not (node.args.get("query") or node.args.get("field")):
        return _membership(node, columns)
    if type(node) in _TESTS:
        return _comparison(type(node), node.this, node.expression, columns)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "json_valid":
        key = _column_key(node.expressions[0], columns) if len(node.expressions) == 1 else None
        if key is not None:
            return lambda row: _json_valid(row[key])
    raise _Unmodelled


def _joined(left: Verdict, right: Verdict, decisive: bool) -> Verdict:
    """SQL's three-valued AND (``decisive`` False) or OR (``decisive`` True)."""
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if left is decisive or right is decisive:
        return decisive
    return None if left is None or right is None else not decisive


def _and(left: Verdict, right: Verdict) -> Verdict:
    return _joined(left, right, False)


def _or(left: Verdict, right: Verdict) -> Verdict:
    return _joined(left, right, True)


def _not(value: Verdict) -> Verdict:
    return value if value is None or value is UNKNOWN else not value


def _is_null(value: object) -> Verdict:
    return value if value is UNKNOWN else value is None


def _membership(node: exp.In, columns: Mapping[str, Column]) -> Predicate:
    """``x IN (a, b)``: ``x = a OR x = b``, true on a match, NULL if one was NULL.

    The values, converted as each ``=`` converts them, are held in a set: Python's
    ``==`` between the stored values agrees with SQLite's (1 = 1.0, never 1 = '1' or
    'a' = b'a'); text under a collation other than BINARY is left to SQLite.
    """
    value, column = _operand(node.this, columns)
    constants = [literal(item) for item in node.expressions]
    if column is not None:
        constants = [c if c is None else _with_affinity(c, column.affinity) for c in constants]
    if any(c is UNKNOWN for c in constants):
        raise _Unmodelled
    allowed = frozenset(c for c in constants if c is not None)
    missed: Verdict = None if None in constants else False
    collated = column is not None and column.collation is not None

    def member(row: Row) -> Verdict:
        found = value(row)
        if found is None:
            return None
        if found is UNKNOWN or (collated and isinstance(found, str)):
            return UNKNOWN
        return True if found in allowed else missed

    return member


_TESTS: Final[dict[type[exp.Expr], Callable[[int], bool]]] = {
    exp.EQ: lambda c: c == 0,
    exp.NEQ: lambda c: c != 0,
    exp.GT: lambda c: c > 0,
    exp.GTE: lambda c: c >= 0,
    exp.LT: lambda c: c < 0,
    exp.LTE: lambda c: c <= 0,
}
_MIRRORED: Final[dict[type[exp.Expr], type[exp.Expr]]] = {
    exp.GT: exp.LT,
    exp.LT: exp.GT,
    exp.GTE: exp.LTE,
    exp.LTE: exp.GTE,
}


def _comparison(
    op: type[exp.Expr], left: exp.Expr, right: exp.Expr, columns: Mapping[str, Column]
) -> Predicate:
    """A column (or ``length()`` of one) compared with a literal, either way round."""
    if literal(left) is not UNKNOWN:
        left, right, op = right, left, _MIRRORED.get(op, op)
    value, column = _operand(left, columns)
    constant = literal(right)
    if column is not None and constant is not None:
        constant = _with_affinity(constant, column.affinity)
    if constant is UNKNOWN:
        raise _Unmodelled
    test = _TESTS[op]
    # Text against text compares under the column's collation: BINARY alone is modelled.
    collated = column is not None and column.collation is not None and isinstance(constant, str)

    kind = type(constant)

    def compare(row: Row) -> Verdict:
        found = value(row)
        if found is None or constant is None:
            return None
        if type(found) is kind:  # the common case: no storage classes to order
            if collated:
                return UNKNOWN
            return test((found > constant) - (found < constant))  # type: ignore[operator]
        if found is UNKNOWN or (collated and isinstance(found, str)):
            return UNKNOWN
        return test(_order(found, constant))

    return compare


def _operand(node: exp.Expr, columns: Mapping[str, Column]) -> tuple[Predicate, Column | None]:
    """A reader of a column's value (and the column), or of ``length()`` of one."""
    key = _column_key(node, columns)
    if key is not None:
        return (lambda row: row[key]), columns[key]
    argument = None
    if isinstance(node, exp.Length):
        argument = node.this
    elif isinstance(node, exp.Anonymous) and node.name.lower() == "length":
        argument = node.expressions[0] if len(node.expressions) == 1 else None
    key = _column_key(argument, columns) if argument is not None else None
    if key is None:
        raise _Unmodelled
    return (lambda row: _length(row[key])), None


def _column_key(node: exp.Expr, columns: Mapping[str, Column]) -> str | None:
    """The lower-cased name of the table's column ``node`` names, unqualified."""
    if isinstance(node, exp.Column) and not node.table and node.name.lower() in columns:
        return node.name.lower()
    return None


def _length(value: object) -> object:
    """SQLite's ``length()``: characters before the first NUL, bytes of a BLOB."""
    if value is None:
        return None
    if isinstance(value, str):
        end = value.find("\0")
        return len(value) if end < 0 else end
    if isinstance(value, bytes):
        return len(value)
    if isinstance(value, int):
        return len(str(value))
    return UNKNOWN  # a REAL's text is SQLite's own rendering


def literal(node: exp.Expr) -> object:
    """A literal's value: text, a 64-bit integer or NULL; anything else :data:`UNKNOWN`."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Null):
        return None
    negative = isinstance(node, exp.Neg)
    if negative:
        node = node.this
    if not isinstance(node, exp.Literal):
        return UNKNOWN
    if node.is_string:
        return UNKNOWN if negative else node.this
    text = node.this
    if not text.isdigit():  # REAL, hex and exponent spellings are SQLite's to read
        return UNKNOWN
    number = -int(text) if negative else int(text)
    return number if LOW <= number <= HIGH else UNKNOWN


def _with_affinity(constant: object, affinity: str) -> object:
    """A literal compared with a column of ``affinity``, as SQLite converts it first."""
    if affinity in ("INTEGER", "REAL", "NUMERIC"):
        return constant if isinstance(constant, int) else UNKNOWN  # text may be a number
    if affinity == "TEXT" and isinstance(constant, int):
        return str(constant)
    return constant


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
