"""migration_harness.schema.constraints: the CHECK shapes strategies draw from directly."""

from __future__ import annotations

import pytest

from migration_harness.schema.constraints import ColumnRule, rules_for
from migration_harness.schema.model import schema_from_sql


def rules(*checks: str, columns: str = "a INTEGER, b TEXT") -> dict[str, ColumnRule]:
    constraints = "".join(f", CHECK ({c})" for c in checks)
    schema = schema_from_sql(f"CREATE TABLE t (id INTEGER PRIMARY KEY, {columns}{constraints})")
    return rules_for(schema.tables["t"])


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        ("b IN ('open', 'filled')", ColumnRule(choices=("open", "filled"))),
        ("a IN (1, 2, 3)", ColumnRule(choices=(1, 2, 3))),
        ("a BETWEEN 1 AND 5", ColumnRule(low=1, high=5)),
        ("a BETWEEN -5 AND -1", ColumnRule(low=-5, high=-1)),
        ("a > 0", ColumnRule(low=0, low_open=True)),
        ("a >= 0", ColumnRule(low=0)),
        ("a < 10", ColumnRule(high=10, high_open=True)),
        ("a <= 10", ColumnRule(high=10)),
        ("0 < a", ColumnRule(low=0, low_open=True)),
        ("10 >= a", ColumnRule(high=10)),
        ("a = 3", ColumnRule(choices=(3,))),
        ("b = 'x'", ColumnRule(choices=("x",))),
        ("a <> 3", ColumnRule()),
        ("b <> ''", ColumnRule(not_empty=True)),
        ("b IS NOT NULL", ColumnRule(no_null=True)),
        ("length(b) <= 8", ColumnRule(max_length=8)),
        ("length(b) < 8", ColumnRule(max_length=7)),
        ("length(b) > 2", ColumnRule(min_length=3)),
        ("length(b) >= 2", ColumnRule(min_length=2)),
        ("length(b) = 3", ColumnRule(min_length=3, max_length=3)),
        ("length(b) BETWEEN 2 AND 4", ColumnRule(min_length=2, max_length=4)),
        ("json_valid(b)", ColumnRule(json=True)),
    ],
)
def test_single_shape(check: str, expected: ColumnRule) -> None:
    column = "b" if "b" in check.replace("BETWEEN", "") else "a"
    assert rules(check) == {column: expected}


def test_and_of_shapes_on_one_column_tightens_bounds() -> None:
    assert rules("a > 0 AND a < 10") == {
        "a": ColumnRule(low=0, low_open=True, high=10, high_open=True)
    }


def test_and_of_shapes_on_two_columns_gives_each_its_rule() -> None:
    assert rules("a >= 1 AND length(b) <= 5") == {
        "a": ColumnRule(low=1),
        "b": ColumnRule(max_length=5),
    }


def test_separate_checks_on_one_column_merge() -> None:
    assert rules("a >= 0", "a <= 100", "a BETWEEN 10 AND 1000") == {
        "a": ColumnRule(low=10, high=100),
    }


def test_two_in_lists_intersect() -> None:
    assert rules("b IN ('x', 'y', 'z')", "b IN ('y', 'z', 'w')") == {
        "b": ColumnRule(choices=("y", "z")),
    }


def test_is_null_or_applies_the_rule_to_non_null_values() -> None:
    assert rules("b IS NULL OR length(b) BETWEEN 3 AND 20") == {
        "b": ColumnRule(min_length=3, max_length=20),
    }


def test_null_check_on_the_right_of_or_is_recognised() -> None:
    assert rules("(a >= 0 AND a <= 9) OR a IS NULL") == {"a": ColumnRule(low=0, high=9)}


def test_column_check_is_read_like_a_table_check() -> None:
    schema = schema_from_sql(
        "CREATE TABLE t (stars INTEGER NOT NULL CHECK (stars BETWEEN 0 AND 10))"
    )
    assert rules_for(schema.tables["t"]) == {"stars": ColumnRule(low=0, high=10)}


@pytest.mark.parametrize(
    "check",
    [
        "a % 2 = 1",
        "a IS NULL OR b > 0",
        "a > 0 OR a < -10",
        "b IN ('x', upper(b))",
        "a < b",
        "lower(b) = b",
    ],
)
def test_shapes_left_to_the_exact_fallback_give_no_rule(check: str) -> None:
    assert rules(check) == {}


@pytest.mark.parametrize(
    ("rule", "bounds"),
    [
        (ColumnRule(low=0, low_open=True, high=10, high_open=True), (1, 9)),
        (ColumnRule(low=0.5, high=9.5), (1, 9)),
        (ColumnRule(low=0.5, low_open=True), (1, None)),
        (ColumnRule(), (None, None)),
    ],
)
def test_integer_bounds_tighten_strict_and_fractional_bounds(
    rule: ColumnRule, bounds: tuple[int | None, int | None]
) -> None:
    assert rule.integer_bounds() == bounds
