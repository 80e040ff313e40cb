"""``parsing.parse_one`` keeps the tree of a text read again, and hands out copies of it."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from migration_harness.sets import parsing

CREATE = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x')"


@pytest.fixture(autouse=True)
def _fresh() -> None:
    parsing._HELD.clear()


def test_a_text_read_again_is_parsed_twice_at_most(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    stock = sqlglot.parse_one

    def counted(sql: str, **kwargs: object) -> exp.Expr:
        calls.append(sql)
        return stock(sql, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlglot, "parse_one", counted)
    trees = [parsing.parse_one(CREATE) for _ in range(5)]
    assert len(calls) == 2  # the first read, and the second, which keeps the tree
    fresh = stock(CREATE, read="sqlite")
    assert all(tree == fresh and tree.sql("sqlite") == fresh.sql("sqlite") for tree in trees)
    assert len({id(tree) for tree in trees}) == 5


def test_a_caller_changing_its_tree_leaves_the_next_read_alone() -> None:
    for _ in range(3):
        tree = parsing.parse_one(CREATE)
        assert tree.sql("sqlite") == sqlglot.parse_one(CREATE, read="sqlite").sql("sqlite")
        for identifier in tree.find_all(exp.Identifier):
            identifier.set("this", "changed")
        tree.set("this", None)


def test_what_sqlglot_cannot_read_still_raises_each_time() -> None:
    for _ in range(3):
        with pytest.raises(sqlglot.errors.ParseError):
            parsing.parse_one("SELECT " + "(" * 80 + "1" + ")" * 80)
