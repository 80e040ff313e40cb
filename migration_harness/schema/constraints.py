"""What a column's CHECK constraints allow, derived from their parsed expressions.

Generating a value and throwing it away when a CHECK rejects it works for rare rejections
only: ``status IN ('open', 'filled')`` rejects every random string. So the common shapes
are read from sqlglot's tree and turned into bounds the strategies draw from directly:
``IN (…)``, ``BETWEEN``, comparisons with a literal, ``length(x)`` bounds, ``json_valid(x)``,
``x <> ''``, ``x IS NULL OR …`` and ``AND`` of those. Anything else is left to the exact
fallback in :mod:`~migration_harness.data.strategies`, which asks SQLite itself and counts
rejections.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import sqlglot
from sqlglot import exp

from migration_harness.schema.model import Check, Table
from migration_harness.sets import parsing


@dataclass(frozen=True, slots=True)
class ColumnRule:
    """Everything the CHECKs of one table say about one column.

    Attributes:
        choices: the only values allowed (``IN (…)``), when known.
        low / high: inclusive numeric bounds; ``low_open``/``high_open`` make them strict.
        min_length / max_length: bounds on ``length(x)``.
        json: the value must be valid JSON text.
        json_members: and each of its members is JSON itself (an object or an array).
        not_empty: ``x <> ''``.
        nullable_by_check: a ``x IS NULL OR …`` shape allows NULL even where it restricts.
        no_null: ``x IS NOT NULL`` in a CHECK.
    """

    choices: tuple[object, ...] | None = None
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    min_length: int | None = None
    max_length: int | None = None
    json: bool = False
    json_members: bool = False
    not_empty: bool = False
    no_null: bool = False

    def integer_bounds(self) -> tuple[int | None, int | None]:
        """Bounds as integers, strict bounds tightened by one."""
        low = (
            None
            if self.low is None
            else math.ceil(self.low) + (1 if self.low_open and float(self.low).is_integer() else 0)
        )
        high = (
            None
            if self.high is None
            else math.floor(self.high)
            - (1 if self.high_open and float(self.high).is_integer() else 0)
        )
        return low, high


def rules_for(table: Table) -> dict[str, ColumnRule]:
    """Column rules (keyed by lower-cased column name): every CHECK, and the JSON hints."""
    rules: dict[str, ColumnRule] = {}
    for check in table.checks:
        for column, rule in _rules_of(check).items():
            rules[column] = _merge(rules.get(column, ColumnRule()), rule)
    for column in table.json_columns:  # read as JSON by the set's own SQL
        rules[column] = _merge(rules.get(column, ColumnRule()), ColumnRule(json=True))
    for column in table.json_member_columns:  # and its members too
        rule = ColumnRule(json=True, json_members=True)
        rules[column] = _merge(rules.get(column, ColumnRule()), rule)
    for column in table.filled_columns:  # the application always fills it
        rules[column] = _merge(rules.get(column, ColumnRule()), ColumnRule(no_null=True))
    for column, values in table.column_pools:  # the only values the application writes
        pooled = _merge(rules.get(column, ColumnRule()), ColumnRule(choices=values))
        if pooled.choices:  # a pool the CHECKs leave nothing of says nothing
            rules[column] = pooled
    return rules


def _rules_of(check: Check) -> dict[str, ColumnRule]:
    """Rules one CHECK implies, per column."""
    tree = parse_check(check.expression)
    if tree is None:
        return {}
    found: dict[str, ColumnRule] = {}
    for part in _conjuncts(tree):
        result = _shape(part)
        if result is not None:
            column, rule = result
            found[column] = _merge(found.get(column, ColumnRule()), rule)
    return found


@functools.lru_cache(maxsize=4096)
def parse_check(expression: str) -> exp.Expr | None:
    """Parse a CHECK (or DEFAULT) expression once; ``None`` when sqlglot cannot read it."""
    try:
        return parsing.parse_one(expression)
    except sqlglot.errors.SqlglotError:
        return None


def _conjuncts(tree: exp.Expr) -> list[exp.Expr]:
    """``a AND b AND c`` -> ``[a, b, c]``; parentheses unwrapped."""
    while isinstance(tree, exp.Paren):
        tree = tree.this
    if isinstance(tree, exp.And):
        return _conjuncts(tree.this) + _conjuncts(tree.expression)
    return [tree]


def _shape(node: exp.Expr) -> tuple[str, ColumnRule] | None:
    """Recognise one conjunct; ``None`` for shapes left to the fallback."""
    if isinstance(node, exp.Or):
        return _nullable_or(node)
    if isinstance(node, exp.In) and isinstance(node.this, exp.Column):
        values = [_literal(v) for v in node.expressions]
        if values and all(v is not _NOT_LITERAL for v in values):
            return node.this.name.lower(), ColumnRule(choices=tuple(values))
        return None
    if isinstance(node, exp.Between):
        return _between(node)
    if isinstance(node, (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.EQ, exp.NEQ)):
        return _comparison(node)
    if isinstance(node, exp.Not) and isinstance(node.this, exp.Is):
        target = node.this.this
        if isinstance(target, exp.Column) and isinstance(node.this.expression, exp.Null):
            return target.name.lower(), ColumnRule(no_null=True)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "json_valid":
        args = node.expressions
        if len(args) == 1 and isinstance(args[0], exp.Column):
            return args[0].name.lower(), ColumnRule(json=True)
    return None


def _nullable_or(node: exp.Or) -> tuple[str, ColumnRule] | None:
    """``x IS NULL OR <rule on x>``: the rule applies to non-NULL values."""
    left, right = node.this, node.expression
    for null_side, other in ((left, right), (right, left)):
        if (
            isinstance(null_side, exp.Is)
            and isinstance(null_side.this, exp.Column)
            and isinstance(null_side.expression, exp.Null)
        ):
            column = null_side.this.name.lower()
            rules = [_shape(p) for p in _conjuncts(other)]
            merged = ColumnRule()
            for r in rules:
                if r is None or r[0] != column:
                    return None
                merged = _merge(merged, r[1])
            return column, merged
    return None


def _between(node: exp.Between) -> tuple[str, ColumnRule] | None:
    """``x BETWEEN a AND b`` and ``length(x) BETWEEN a AND b``."""
    low, high = _literal(node.args["low"]), _literal(node.args["high"])
    if not (_is_number(low) and _is_number(high)):
        return None
    subject = node.this
    if isinstance(subject, exp.Column):
        return subject.name.lower(), ColumnRule(low=float(low), high=float(high))  # type: ignore[arg-type]
    column = _length_of(subject)
    if column:
        return column, ColumnRule(min_length=int(low), max_length=int(high))  # type: ignore[call-overload]
    return None


def _comparison(node: exp.Expr) -> tuple[str, ColumnRule] | None:
    """``x op literal``, ``literal op x`` and ``length(x) op literal``."""
    left, right = node.this, node.expression
    flipped = False
    if _literal(left) is not _NOT_LITERAL and _literal(right) is _NOT_LITERAL:
        left, right, flipped = right, left, True
    value = _literal(right)
    if value is _NOT_LITERAL:
        return None
    op: type[exp.Expr] = type(node)
    if flipped:
        mirror: dict[type[exp.Expr], type[exp.Expr]] = {
            exp.GT: exp.LT,
            exp.LT: exp.GT,
            exp.GTE: exp.LTE,
            exp.LTE: exp.GTE,
        }
        op = mirror.get(op, op)
    column = left.name.lower() if isinstance(left, exp.Column) else None
    length_column = _length_of(left)
    if op is exp.NEQ and value == "" and column:
        return column, ColumnRule(not_empty=True)
    if not _is_number(value):
        if op is exp.EQ and column:
            return column, ColumnRule(choices=(value,))
        return None
    number = float(value)  # type: ignore[arg-type]
    if length_column:
        return length_column, _length_rule(op, number)
    if column is None:
        return None
    rules: dict[type[exp.Expr], ColumnRule] = {
        exp.GT: ColumnRule(low=number, low_open=True),
        exp.GTE: ColumnRule(low=number),
        exp.LT: ColumnRule(high=number, high_open=True),
        exp.LTE: ColumnRule(high=number),
        exp.EQ: ColumnRule(choices=(value,)),
        exp.NEQ: ColumnRule(),
    }
    return column, rules[op]


def _length_rule(op: type[exp.Expr], number: float) -> ColumnRule:
    """Bounds on ``length(x)`` from one comparison."""
    n = int(number)
    rules: dict[type[exp.Expr], ColumnRule] = {
        exp.GT: ColumnRule(min_length=n + 1),
        exp.GTE: ColumnRule(min_length=n),
        exp.LT: ColumnRule(max_length=n - 1),
        exp.LTE: ColumnRule(max_length=n),
        exp.EQ: ColumnRule(min_length=n, max_length=n),
    }
    return rules.get(op, ColumnRule())


def _length_of(node: exp.Expr) -> str | None:
    """The column inside ``length(x)``, if that is what ``node`` is."""
    if isinstance(node, exp.Length) and isinstance(node.this, exp.Column):
        return node.this.name.lower()
    if isinstance(node, exp.Anonymous) and node.name.lower() == "length":
        args = node.expressions
        if len(args) == 1 and isinstance(args[0], exp.Column):
            return args[0].name.lower()
    return None


_NOT_LITERAL = object()


def _literal(node: exp.Expr) -> object:
    """A Python value for a literal (negative numbers included), else a sentinel."""
    if isinstance(node, exp.Paren):
        return _literal(node.this)
    if isinstance(node, exp.Neg):
        inner = _literal(node.this)
        return -inner if isinstance(inner, (int, float)) else _NOT_LITERAL
    if isinstance(node, exp.Boolean):
        return int(node.this)
    if isinstance(node, exp.Literal):
        if node.is_string:
            return node.this
        text = node.this
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return _NOT_LITERAL
    return _NOT_LITERAL


def _is_number(value: object) -> bool:
    """True for ints and floats (bools count: SQLite has no boolean type)."""
    return isinstance(value, (int, float))


def _merge(a: ColumnRule, b: ColumnRule) -> ColumnRule:
    """The conjunction of two rules: intersect choices, tighten bounds."""
    choices = a.choices
    if b.choices is not None:
        choices = b.choices if choices is None else tuple(c for c in choices if c in b.choices)
    low, low_open = _tighter(a.low, a.low_open, b.low, b.low_open, max)
    high, high_open = _tighter(a.high, a.high_open, b.high, b.high_open, min)
    return replace(
        a,
        choices=choices,
        low=low,
        low_open=low_open,
        high=high,
        high_open=high_open,
        min_length=_pick(a.min_length, b.min_length, max),
        max_length=_pick(a.max_length, b.max_length, min),
        json=a.json or b.json,
        json_members=a.json_members or b.json_members,
        not_empty=a.not_empty or b.not_empty,
        no_null=a.no_null or b.no_null,
    )


def _tighter(
    x: float | None,
    x_open: bool,
    y: float | None,
    y_open: bool,
    pick: Callable[[float, float], float],
) -> tuple[float | None, bool]:
    """The tighter of two bounds (``pick`` is max for lower bounds, min for upper)."""
    if x is None:
        return y, y_open
    if y is None or x == y:
        return x, x_open or (y_open if x == y else False)
    chosen = pick(x, y)
    return chosen, x_open if chosen == x else y_open


def _pick(x: int | None, y: int | None, pick: Callable[[int, int], int]) -> int | None:
    """Combine two optional integer bounds."""
    if x is None:
        return y
    return x if y is None else pick(x, y)
