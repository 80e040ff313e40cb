"""What a file's statements do, read with sqlglot: enough to decide a finding's severity.

Each question here is about the file's own words (does it only touch rows? does this
statement exist only to abort?), never about the example that exposed a finding, so the
answer is the same for every dataset.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import sqlglot
from sqlglot import exp

from migration_harness.sets.sql import Statement

# Statements that change rows and nothing else, and those that change nothing.
_DATA: tuple[type[exp.Expr], ...] = (exp.Insert, exp.Update, exp.Delete)
_INERT: tuple[type[exp.Expr], ...] = (exp.Transaction, exp.Commit, exp.Rollback)


def parse(sql: str) -> exp.Expr | None:
    """One statement parsed as SQLite; ``None`` for what sqlglot cannot read."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # "falling back to parsing as a Command" is not news
    try:
        return sqlglot.parse_one(sql, read="sqlite")
    except sqlglot.errors.SqlglotError:
        return None
    finally:
        logger.setLevel(level)


def is_data_only(statements: Iterable[Statement]) -> bool:
    """Whether the file only inserts, updates or deletes rows (and has at least one such).

    Such a file leaves the schema as it found it: an absent rollback leaves nothing of the
    schema behind (goose runs it as a no-op), unlike a ``CREATE TABLE`` without its ``DROP``.
    """
    found = False
    for statement in statements:
        if statement.is_transaction_control:
            continue
        parsed = parse(statement.sql)
        if isinstance(parsed, exp.Command) and str(parsed.this).upper() == "REPLACE":
            found = True  # REPLACE INTO: sqlglot reads it as a bare command
        elif isinstance(parsed, _DATA):
            found = True
        elif not isinstance(parsed, _INERT):
            return False
    return found
