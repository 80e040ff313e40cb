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

from migration_harness.sets import parsing
from migration_harness.sets.sql import Statement
from migration_harness.sets.tokens import mentions

# Statements that change rows and nothing else, and those that change nothing.
_DATA: tuple[type[exp.Expr], ...] = (exp.Insert, exp.Update, exp.Delete)
_INERT: tuple[type[exp.Expr], ...] = (exp.Transaction, exp.Commit, exp.Rollback)


def parse(sql: str) -> exp.Expr | None:
    """One statement parsed as SQLite; ``None`` for what sqlglot cannot read."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # "falling back to parsing as a Command" is not news
    try:
        return parsing.parse_one(sql)
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


def is_guard(statement: str | None, statements: Iterable[Statement]) -> bool:
    """Whether ``statement`` is a guard: an insert into a scratch table, there to abort.

    ``CREATE TEMP TABLE guard (ok INTEGER CHECK (ok = 1)); INSERT INTO guard SELECT 0 WHERE
    EXISTS (…un-backfilled rows…)`` (kentcdodds drop-call-base64) or a table the file creates
    and drops again around the insert (arcane 073's Down): the insert has no effect but to
    fail when the data is not ready, so its CHECK or NOT NULL failing is the file refusing
    the data on purpose. A top-level ``SELECT RAISE(…)`` is no guard: SQLite refuses
    ``RAISE`` outside a trigger whatever the data, so that file can never run.
    """
    if not statement:
        return False
    scratch = _scratch_tables(statements)
    if not scratch and not mentions(statement, "TEMP"):
        return False  # no table it could be a guard of: the insert is not parsed
    parsed = parse(statement)
    if not isinstance(parsed, exp.Insert):
        return False
    target = parsed.this.this if isinstance(parsed.this, exp.Schema) else parsed.this
    if not isinstance(target, exp.Table):
        return False
    return target.db.lower() == "temp" or target.name.lower() in scratch


def _scratch_tables(statements: Iterable[Statement]) -> set[str]:
    """Tables (lower-cased) the file creates TEMP, or creates and drops again."""
    temporary: set[str] = set()
    created: set[str] = set()
    dropped: set[str] = set()
    for statement in statements:
        if not (mentions(statement.sql, "CREATE") or mentions(statement.sql, "DROP")):
            continue  # no exp.Create or exp.Drop can come of it: not parsed
        parsed = parse(statement.sql)
        table = parsed.find(exp.Table) if isinstance(parsed, exp.Create | exp.Drop) else None
        if table is None or parsed is None or parsed.args.get("kind") != "TABLE":
            continue
        name = table.name.lower()
        if isinstance(parsed, exp.Drop):
            dropped.add(name)
            continue
        created.add(name)
        properties = parsed.args.get("properties")
        if table.db.lower() == "temp" or (
            properties is not None and properties.find(exp.TemporaryProperty) is not None
        ):
            temporary.add(name)
    return temporary | (created & dropped)
