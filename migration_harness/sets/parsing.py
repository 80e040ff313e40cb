"""sqlglot's SQLite reader, with nesting too deep for it reported as a parse error.

sqlglot parses by recursion, a dozen Python frames per parenthesis, so it runs out of
Python's stack near 50 nested parentheses, where SQLite's own parser goes on to about 100
(then "parser stack overflow", which is the file failing under its runner: a finding).
Every caller already treats a statement sqlglot cannot read as opaque (``SqlglotError``);
a ``RecursionError`` escaped them all and ended ``check`` in an internal error (exit 3) on
a file SQLite runs. Reading through here turns it into the ``ParseError`` they expect.

A ``check`` reads the same statement many times: the lint pass, the severity and guard
readers of the checks and each introspection (a table's ``CREATE``, a column's default
such as ``datetime('now')``) parse the same texts again (658 parses of 228 texts on
``db/``, issue 17). A text seen a second time keeps its tree, and every later read gets a
copy of it (sqlglot's ``copy``, several times cheaper than parsing): callers may change
the tree they get, as they could a fresh one. A text seen once is parsed and handed out
as before, with no copy, so a long file of distinct statements pays nothing more.
Readers that never change a tree (the checks' per-file questions) take the kept tree
itself through :func:`parse_shared`, with no copy at all.
"""

from __future__ import annotations

from typing import Final

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

# Texts parsed once (value None) or more (their tree, never handed out itself). Emptied
# when full: a bound on memory, not on correctness (a dropped text is parsed again).
_HELD: Final[dict[str, exp.Expr | None]] = {}
_HELD_MAX: Final = 4096


def parse_one(sql: str) -> exp.Expr:
    """One statement as SQLite reads it (``sqlglot.parse_one(sql, read="sqlite")``).

    Raises:
        ParseError: sqlglot cannot read it, its nesting too deep for sqlglot included.
    """
    held = _HELD.get(sql)
    if held is not None:
        return held.copy()
    tree = _parse_one(sql)
    if sql in _HELD:  # the second time: keep it, hand out a copy
        _HELD[sql] = tree
        return tree.copy()
    if len(_HELD) >= _HELD_MAX:
        _HELD.clear()
    _HELD[sql] = None
    return tree


def parse_shared(sql: str) -> exp.Expr:
    """:func:`parse_one`'s tree, the same object for every caller: never change it.

    For readers that only look (``isinstance``, ``find_all``, ``args``): the checks'
    per-file questions (``checks.statements.parse``) read each statement of a file once
    per property and asked, and a copy for each (~600 on ``db/``) cost more than the
    reading. The tree is the one :func:`parse_one` copies from, which it never hands out
    itself, so a caller of :func:`parse_one` that edits its tree cannot reach it.

    Raises:
        ParseError: as :func:`parse_one`.
    """
    held = _HELD.get(sql)
    if held is not None:
        return held
    tree = _parse_one(sql)
    if sql not in _HELD and len(_HELD) >= _HELD_MAX:
        _HELD.clear()
    _HELD[sql] = tree
    return tree


def _parse_one(sql: str) -> exp.Expr:
    try:
        return sqlglot.parse_one(sql, read="sqlite")
    except RecursionError as exc:
        raise _too_deep() from exc


def parse(sql: str) -> list[exp.Expr | None]:
    """Every statement of ``sql`` (``sqlglot.parse(sql, read="sqlite")``).

    Raises:
        ParseError: as :func:`parse_one`.
    """
    try:
        return sqlglot.parse(sql, read="sqlite")
    except RecursionError as exc:
        raise _too_deep() from exc


def _too_deep() -> ParseError:
    message = "nested too deeply for sqlglot's parser"
    return ParseError(message)
