"""schema.literals: the literals a set's SQL compares each column with, and their draws."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from migration_harness.data.columns import LITERAL_SHARE, Pick, column_draws, with_literals
from migration_harness.schema.constraints import ColumnRule
from migration_harness.schema.literals import compared_literals, statement_literals
from migration_harness.schema.model import schema_from_sql
from migration_harness.sets.discovery import discover

EXAMPLES = Path(__file__).parent / "examples"


def test_a_copy_filter_names_its_column_and_literal() -> None:
    sql = "INSERT INTO n (id) SELECT id FROM subscriptions WHERE status != 'archived'"
    assert list(statement_literals(sql)) == [(("subscriptions", "status"), "archived")]


def test_a_trigger_when_clause_belongs_to_the_trigger_table() -> None:
    sql = (
        "CREATE TRIGGER frozen BEFORE UPDATE ON main.orders "
        "WHEN OLD.status = 'shipped' OR NEW.qty IN (1, -2) "
        "BEGIN SELECT RAISE(ABORT, 'frozen'); UPDATE logs SET n = 1 WHERE kind = 'a'; END"
    )
    assert list(statement_literals(sql)) == [
        (("orders", "status"), "shipped"),
        (("orders", "qty"), 1),
        (("orders", "qty"), -2),
        (("logs", "kind"), "a"),  # the body's WHERE; its SET n = 1 is no comparison
    ]


def test_case_partial_index_and_wrapped_columns_are_read() -> None:
    case = "SELECT CASE lower(s.kind) WHEN 'x' THEN 1 END FROM subs s WHERE s.b = 3"
    assert sorted(statement_literals(case)) == [(("subs", "b"), 3), (("subs", "kind"), "x")]
    index = "CREATE INDEX i ON subscriptions(email) WHERE status = 'active'"
    assert list(statement_literals(index)) == [(("subscriptions", "status"), "active")]


def test_create_table_checks_and_assignments_give_nothing() -> None:
    assert list(statement_literals("CREATE TABLE t (a TEXT CHECK (a IN ('x', 'y')))")) == []
    assert list(statement_literals("UPDATE t SET a = 'x'")) == []


def test_a_set_collects_each_columns_literals_once() -> None:
    found = compared_literals(discover(EXAMPLES / "rebuild_filters_literal"))
    assert found == {("subscriptions", "status"): ("archived",)}


_TABLE = schema_from_sql(
    "CREATE TABLE s (id INTEGER PRIMARY KEY, status TEXT NOT NULL, n INTEGER, note TEXT)"
).tables["s"]


def test_text_columns_draw_the_literal_about_one_time_in_share() -> None:
    status = next(c for c in _TABLE.columns if c.name == "status")
    plain = column_draws(status, ColumnRule(), _TABLE, False)
    drawn = column_draws(status, ColumnRule(), _TABLE, False, ("archived", 7))
    assert isinstance(plain, Pick)
    assert isinstance(drawn, Pick)
    values = [drawn.value(i) for i in range(drawn.high + 1)]
    share = (values.count("archived") + values.count("7")) / len(values)
    assert 1 / (LITERAL_SHARE + 2) < share < 1 / (LITERAL_SHARE - 2)
    # Every value drawn before is still drawn, in the same order after the block.
    assert [v for v in values if v not in ("archived", "7")] == [
        plain.value(i) for i in range(plain.high + 1)
    ]


def test_nullable_columns_keep_null_first_and_numbers_take_only_integers() -> None:
    n = next(c for c in _TABLE.columns if c.name == "n")
    drawn = column_draws(n, ColumnRule(), _TABLE, False, ("archived", 7))
    assert isinstance(drawn, Pick)
    assert (drawn.value(0), drawn.value(1)) == (None, 7)
    assert "archived" not in {drawn.value(i) for i in range(50)}


def test_a_check_in_list_or_a_key_draws_no_extra_literal() -> None:
    note = next(c for c in _TABLE.columns if c.name == "note")
    rule = ColumnRule(choices=("a", "b"))
    drawn = column_draws(note, rule, _TABLE, False, ("archived",))
    assert isinstance(drawn, Pick)
    assert {drawn.value(i) for i in range(drawn.high + 1)} == {None, "a", "b"}
    key = next(c for c in _TABLE.columns if c.name == "id")
    picked = column_draws(key, ColumnRule(), _TABLE, True, (5,))
    plain = column_draws(key, ColumnRule(), _TABLE, True)
    assert isinstance(picked, Pick)
    assert isinstance(plain, Pick)
    assert picked.high == plain.high  # keys are minted: no literal block


@settings(max_examples=30, database=None, derandomize=True)
@given(st.data())
def test_other_strategies_sample_the_literals_too(data: st.DataObject) -> None:
    drawn = with_literals(st.floats(allow_nan=False), ("x",), 1)
    assert not isinstance(drawn, Pick)
    value = data.draw(drawn)
    assert value is None or value == "x" or isinstance(value, float)
