"""Reading SQL text into the schema model's terms, without a database.

CREATE TABLE and CREATE INDEX trees, CHECK and COLLATE clauses, and one spelling per
expression, statement, type and name. Split from :mod:`migration_harness.schema.model`,
which reads a database. sqlglot parses what it can; triggers and views, which it does not
parse reliably, are compared by a token-level normal form.
"""

from __future__ import annotations

import functools
import re
from typing import Final

import sqlglot
from sqlglot import exp

from migration_harness.schema.records import Check
from migration_harness.sets import parsing


@functools.lru_cache(maxsize=4096)
def parse_create(sql: str) -> exp.Expr | None:
    """Sqlglot's tree for a CREATE TABLE; ``None`` when sqlglot cannot read it."""
    if not sql or sql.upper().lstrip().startswith("CREATE VIRTUAL"):
        return None
    try:
        return parsing.parse_one(sql)
    except sqlglot.errors.SqlglotError:
        return None


def checks_of(parsed: exp.Expr | None) -> tuple[Check, ...]:
    """Column and table CHECK constraints, in declaration order."""
    if parsed is None or not isinstance(parsed.this, exp.Schema):
        return ()
    found: list[Check] = []
    for item in parsed.this.expressions:
        column = item.name if isinstance(item, exp.ColumnDef) else None
        for check in item.find_all(exp.CheckColumnConstraint):
            found.append(Check(check.this.sql(dialect="sqlite"), column))
    return tuple(found)


def expressions_of(parsed: exp.Expr | None) -> dict[str, str]:
    """Each generated column's expression (lower-cased name), one spelling per expression.

    Outer parentheses are dropped and identifiers lower-cased (SQLite resolves names
    case-insensitively), so ``AS (P*q)`` and ``GENERATED ALWAYS AS (p * q)`` read alike.
    """
    if parsed is None or not isinstance(parsed.this, exp.Schema):
        return {}
    found: dict[str, str] = {}
    for item in parsed.this.expressions:
        if isinstance(item, exp.ColumnDef):
            for computed in item.find_all(exp.ComputedColumnConstraint):
                body = computed.this.unnest().copy()
                for name in body.find_all(exp.Identifier):
                    name.set("this", name.name.lower())
                    name.set("quoted", False)
                found[item.name.lower()] = body.sql(dialect="sqlite")
    return found


def collations_of(parsed: exp.Expr | None) -> dict[str, str]:
    """Declared COLLATE per column (lower-cased name), default BINARY left out."""
    if parsed is None or not isinstance(parsed.this, exp.Schema):
        return {}
    found: dict[str, str] = {}
    for item in parsed.this.expressions:
        if isinstance(item, exp.ColumnDef):
            for collate in item.find_all(exp.CollateColumnConstraint):
                name = collate.this.name.upper()
                if name != "BINARY":
                    found[item.name.lower()] = name
    return found


@functools.lru_cache(maxsize=4096)
def parse_index(sql: str) -> tuple[tuple[str, ...], str | None] | None:
    """``(column expressions, WHERE)`` of a CREATE INDEX, normalised."""
    try:
        parsed = parsing.parse_one(sql)
    except sqlglot.errors.SqlglotError:
        return None
    params = parsed.this.args.get("params") if isinstance(parsed.this, exp.Index) else None
    if params is None:
        return None
    columns = tuple(
        (o.this if isinstance(o, exp.Ordered) else o).sql(dialect="sqlite")
        for o in params.args.get("columns") or ()
    )
    where = params.args.get("where")
    if where is None:
        return columns, None
    predicate = where.this
    while isinstance(predicate, exp.Paren):
        predicate = predicate.this
    return columns, predicate.sql(dialect="sqlite")


@functools.lru_cache(maxsize=8192)
def normalise_expression(text: str) -> str:
    """One spelling per SQL expression (``datetime( 'now' )`` == ``DATETIME('now')``)."""
    try:
        return parsing.parse_one(text).sql(dialect="sqlite")
    except sqlglot.errors.SqlglotError:
        return normalise_sql(text)


@functools.lru_cache(maxsize=8192)
def normalise_default(text: str) -> str:
    """A column DEFAULT in one spelling: :func:`normalise_expression`, TRUE and FALSE as 1, 0.

    SQLite's TRUE and FALSE keywords are the integers 1 and 0 (lang_expr, "Boolean
    Expressions"): ``DEFAULT FALSE`` and ``DEFAULT 0`` store the same value, so a rollback
    re-typing one as the other restores the table as it was. Kept per text, as
    :func:`normalise_expression` is: each table read spells its defaults again (234
    spellings of a few texts on ``db/``, a parse and a generation each).
    """
    try:
        tree = parsing.parse_one(text)
    except sqlglot.errors.SqlglotError:
        return normalise_sql(text)
    inner = tree.unnest() if isinstance(tree, exp.Paren) else tree
    if isinstance(inner, exp.Boolean):
        return "1" if inner.this else "0"
    return tree.sql(dialect="sqlite")


_TOKEN: Final = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|--[^\n]*|/\*.*?\*/|\s+|[A-Za-z_][\w$]*"""
    r"""|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|.""",
    re.DOTALL,
)


@functools.lru_cache(maxsize=4096)
def normalise_sql(sql: str) -> str:
    """Case, whitespace, identifier quoting and ``IF NOT EXISTS`` folded away.

    Used for triggers and views, which sqlglot does not parse reliably; string literals keep
    their case.
    """
    out: list[str] = []
    for token in _TOKEN.findall(sql):
        if token.isspace() or token.startswith(("--", "/*")):
            continue
        if token[0] in '"`[':
            out.append(token[1:-1].lower())
        elif token[0] == "'":
            out.append(token)
        else:
            out.append(token.lower())
    text = " ".join(out).removesuffix(" ;")
    return re.sub(r"^create (temp |temporary )?(\w+) if not exists ", r"create \1\2 ", text)


def normalise_type(declared: str) -> str:
    """``varchar ( 255 )`` -> ``VARCHAR(255)``; ``decimal(10, 2)`` -> ``DECIMAL(10,2)``."""
    text = " ".join(declared.upper().split())
    return re.sub(r"\s*([(),])\s*", r"\1", text)


def quote(name: str) -> str:
    """Quote an identifier for SQL text (double quotes, doubled inside)."""
    return '"' + name.replace('"', '""') + '"'
