"""sqlglot's SQLite reader, with nesting too deep for it reported as a parse error.

sqlglot parses by recursion, a dozen Python frames per parenthesis, so it runs out of
Python's stack near 50 nested parentheses, where SQLite's own parser goes on to about 100
(then "parser stack overflow", which is the file failing under its runner: a finding).
Every caller already treats a statement sqlglot cannot read as opaque (``SqlglotError``);
a ``RecursionError`` escaped them all and ended ``check`` in an internal error (exit 3) on
a file SQLite runs. Reading through here turns it into the ``ParseError`` they expect.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError


def parse_one(sql: str) -> exp.Expr:
    """One statement as SQLite reads it (``sqlglot.parse_one(sql, read="sqlite")``).

    Raises:
        ParseError: sqlglot cannot read it, its nesting too deep for sqlglot included.
    """
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
