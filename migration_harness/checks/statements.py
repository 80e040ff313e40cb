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
_INERT: tuple[type[exp.Expr], ...] = (
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Pragma,
    exp.Select,
    exp.SetOperation,
)


def parse(sql: str) -> exp.Expr | None:
    """One statement parsed as SQLite; ``None`` for what sqlglot cannot read.

    The tree is shared (:func:`~migration_harness.sets.parsing.parse_shared`): every
    caller only reads it, and must not change it.
    """
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)  # "falling back to parsing as a Command" is not news
    try:
        return parsing.parse_shared(sql)
    except sqlglot.errors.SqlglotError:
        return None
    finally:
        logger.setLevel(level)


def is_data_only(statements: Iterable[Statement]) -> bool:
    """Whether the file only changes rows (at least one statement does), never the schema.

    Such a file leaves the schema as it found it: an absent rollback leaves nothing of the
    schema behind (goose runs it as a no-op), unlike a ``CREATE TABLE`` without its ``DROP``.
    Beside INSERT, UPDATE, DELETE and REPLACE it may hold what leaves the database's schema
    alone: a PRAGMA, a SELECT, and scratch objects (a ``CREATE TEMP TABLE`` of names to
    insert, or a table it creates and drops again, with their indexes), which were read as
    schema changes and made a seed file with an empty rollback MH121.
    """
    found = False
    made: set[str] = set()  # tables the file creates (TEMP or not)
    kept: set[str] = set()  # ... those of the main database it has not dropped yet
    for statement in statements:
        if statement.is_transaction_control:
            continue
        parsed = parse(statement.sql)
        if isinstance(parsed, exp.Command) and str(parsed.this).upper() == "REPLACE":
            found = True  # REPLACE INTO: sqlglot reads it as a bare command
        elif isinstance(parsed, _DATA):
            found = True
        elif isinstance(parsed, exp.Create | exp.Drop):
            if not _scratch(parsed, made, kept):
                return False
        elif not isinstance(parsed, _INERT):
            return False
    return found and not kept


def _scratch(tree: exp.Create | exp.Drop, made: set[str], kept: set[str]) -> bool:
    """Whether a CREATE or DROP only makes or removes the file's scratch tables.

    A TEMP table or view, a table the file creates (``kept`` until dropped), an index on
    one of those, and the DROP of one: nothing of them outlives the file in the schema.
    """
    kind = str(tree.args.get("kind") or "").upper()
    if kind == "INDEX":
        index = tree.this
        table = index.args.get("table") if isinstance(index, exp.Index) else None
        return isinstance(tree, exp.Create) and _name(table) in made
    if kind not in ("TABLE", "VIEW"):
        return False
    tables = tree.args.get("tables") if isinstance(tree, exp.Drop) else None
    target = tables[0] if tables else tree.this  # DROP keeps its tables in a list
    name = _name(target.this if isinstance(target, exp.Schema) else target)
    if isinstance(tree, exp.Drop):
        kept.discard(name)
        return name in made or _schema_of(target) == "temp"
    made.add(name)
    temp = tree.find(exp.TemporaryProperty) is not None or _schema_of(target) == "temp"
    if not temp:
        kept.add(name)
    return True


def _name(node: exp.Expr | None) -> str:
    """A table node's lower-cased name (``""`` for none)."""
    return str(node.name).lower() if isinstance(node, exp.Table) else ""


def _schema_of(node: exp.Expr | None) -> str:
    """The schema a table node names (``temp`` in ``temp.names``), lower-cased."""
    table = node.this if isinstance(node, exp.Schema) else node
    return str(table.args.get("db") or "").lower() if isinstance(table, exp.Table) else ""


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
