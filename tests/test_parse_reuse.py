"""``parsing.parse_one`` keeps the tree of a text read again, and hands out copies of it.

``parsing.parse_shared`` hands out that tree itself, to readers that never change it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from migration_harness.checks.properties import PER_MIGRATION
from migration_harness.checks.run import check_set
from migration_harness.sets import parsing
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"

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


def test_a_shared_tree_is_parsed_once_and_handed_out_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    stock = sqlglot.parse_one

    def counted(sql: str, **kwargs: object) -> exp.Expr:
        calls.append(sql)
        return stock(sql, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlglot, "parse_one", counted)
    trees = [parsing.parse_shared(CREATE) for _ in range(5)]
    assert len(calls) == 1
    assert len({id(tree) for tree in trees}) == 1
    assert trees[0] == stock(CREATE, read="sqlite")


@pytest.mark.parametrize("shared_first", [True, False])
def test_an_edited_parse_one_tree_never_reaches_the_shared_one(shared_first: bool) -> None:
    fresh = sqlglot.parse_one(CREATE, read="sqlite")
    shared = parsing.parse_shared(CREATE) if shared_first else None
    for _ in range(3):  # the first read (not kept) and copies of the kept tree
        tree = parsing.parse_one(CREATE)
        assert tree is not shared
        for identifier in tree.find_all(exp.Identifier):
            identifier.set("this", "changed")
    shared = parsing.parse_shared(CREATE)
    assert shared == fresh
    assert shared.sql("sqlite") == fresh.sql("sqlite")


@pytest.mark.parametrize("name", ["rollback_drop_cascades", "rebuild_cascades_child"])
def test_the_checks_leave_the_shared_trees_as_parsed(name: str) -> None:
    """Every reader of ``checks.statements.parse`` only reads: a check changes no tree."""
    check_set(
        discover(EXAMPLES / name),
        TARGETS["sqlite"],
        profile="dev",
        checks=[*PER_MIGRATION, "stateful"],
        config=SetConfig(ship_groups="off"),
    )
    held = {sql: tree for sql, tree in parsing._HELD.items() if tree is not None}
    assert len(held) > 5
    for sql, tree in held.items():
        fresh = sqlglot.parse_one(sql, read="sqlite")
        assert tree == fresh, sql
        assert tree.sql("sqlite") == fresh.sql("sqlite"), sql
