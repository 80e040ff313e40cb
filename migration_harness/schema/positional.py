"""Which tables the set's own SQL reads or writes by column position.

A rollback that rebuilds a table with its columns in another order leaves a schema that
behaves the same for every statement that names its columns. It does not for a statement
that relies on the order: ``INSERT INTO t VALUES (…)`` or ``INSERT INTO t SELECT …``
without a column list fills t's columns in declaration order, and ``SELECT *`` (or
``t.*``) copied into another table reads them in that order. A column-order drift is
cosmetic only where no statement that can still run does either (checks/drift.py).

The statements are parsed with sqlglot (``REPLACE INTO`` and trigger bodies, which it
reads as bare commands, through its tokenizer). A statement it cannot read that could
copy rows (its tokens hold ``INSERT``, ``REPLACE`` or ``SELECT``) counts as relying on the
order of every table it names: not knowing is no proof the drift is harmless, so it stays
an error. One the tokenizer cannot read either relies on every table (:data:`ANY`). A
table renamed in the files (``ALTER TABLE t RENAME TO t_old``, the rebuild
recipe) shares its marks with its other name, so ``INSERT INTO t SELECT * FROM t_old``
marks t.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from sqlglot import Token, TokenType, exp
from sqlglot.dialects.sqlite import SQLite
from sqlglot.errors import SqlglotError

from migration_harness.sets import parsing
from migration_harness.sets.sql import split_statements

_TOKENIZER: Final = SQLite().tokenizer()
# The mark of a statement not even the tokenizer reads: it may rely on any table's order.
ANY: Final = "*"
# Tokens of a statement that can copy rows (an unreadable one without them copies nothing).
_COPYING: Final = frozenset({TokenType.INSERT, TokenType.REPLACE, TokenType.SELECT})
# Tokens that name no table.
_LITERALS: Final = frozenset({TokenType.STRING, TokenType.NUMBER})


@dataclass(frozen=True, slots=True)
class _Unread:
    """A statement sqlglot cannot read that may copy rows, and the names it holds."""

    sql: str
    names: frozenset[str]


# How long a statement is quoted in a reason.
_SHOWN: Final = 80


def positional_uses(sources: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Lower-cased table name -> where a statement relies on its column order.

    Args:
        sources: ``(where, sql)`` pairs: a file's name and its text, or a trigger's
            name and its CREATE TRIGGER statement; read in order, so a rename in an
            earlier source links the names of later ones.

    """
    found: dict[str, str] = {}
    renamed: list[tuple[str, str]] = []
    for where, sql in sources:
        for statement in _statements(sql):
            if isinstance(statement, _Unread):
                said = f"{where}: {_short(statement.sql)} (unreadable: may copy by position)"
                for table in statement.names:
                    found.setdefault(table, said)
                continue
            for table in _relied_on(statement, renamed):
                found.setdefault(table, f"{where}: {_short(statement.sql(dialect='sqlite'))}")
    # Close the marks under the renames: each name of a table's storage shares them.
    changed = True
    while changed:
        changed = False
        for old, new in renamed:
            for a, b in ((old, new), (new, old)):
                if a in found and b not in found:
                    found[b] = found[a]
                    changed = True
    return found


def _statements(sql: str) -> Iterator[exp.Expr | _Unread]:
    """Every statement of ``sql``, trigger bodies' statements included, read or not."""
    for statement in split_statements(sql):
        yield from _parsed(statement.sql)


@functools.lru_cache(maxsize=4096)
def _parsed(sql: str) -> tuple[exp.Expr | _Unread, ...]:
    """One statement's trees: itself, or the statements of a trigger's body."""
    try:
        tokens = _TOKENIZER.tokenize(sql)
    except SqlglotError:
        return (_Unread(sql, frozenset({ANY})),)
    if not tokens:
        return ()
    if tokens[0].token_type == TokenType.CREATE and any(
        t.token_type == TokenType.TRIGGER for t in tokens[1:3]
    ):
        return _trigger_body(sql, tokens)
    text = sql
    if tokens[0].token_type == TokenType.REPLACE:
        # REPLACE INTO … is INSERT OR REPLACE INTO …, which sqlglot reads.
        text = "INSERT OR REPLACE" + sql[tokens[0].end + 1 :]
    try:
        trees = parsing.parse(text)
    except SqlglotError:
        return _unread(sql, tokens)
    if any(isinstance(t, exp.Command) for t in trees):
        return _unread(sql, tokens)
    return tuple(t for t in trees if t is not None)


def trigger_statements(sql: str) -> tuple[exp.Expr, ...]:
    """The statements of a ``CREATE TRIGGER``'s body sqlglot reads (sqlglot reads no trigger)."""
    return tuple(t for t in _parsed(sql) if isinstance(t, exp.Expr))


def _unread(sql: str, tokens: list[Token]) -> tuple[_Unread, ...]:
    """A statement sqlglot cannot read: every name it holds, if it can copy rows at all."""
    if not any(t.token_type in _COPYING for t in tokens):
        return ()  # a PRAGMA, a CREATE TABLE sqlglot cannot parse: no rows move
    return (_Unread(sql, frozenset(_names(tokens))),)


def _names(tokens: list[Token]) -> Iterator[str]:
    """Every token that may name a table: identifiers, quoted or not, and bare words.

    Keywords are kept too (``key``, ``action`` are table names SQLite accepts); an extra
    name only marks a table no drift may be about.
    """
    for token in tokens:
        named = token.token_type in (TokenType.VAR, TokenType.IDENTIFIER)
        word = token.token_type not in _LITERALS and token.text.replace("_", "").isalnum()
        if named or word:
            yield token.text.lower()


def _trigger_body(sql: str, tokens: list[Token]) -> tuple[exp.Expr | _Unread, ...]:
    """The statements between a trigger's BEGIN and its last END."""
    begin = next((t for t in tokens if t.token_type == TokenType.BEGIN), None)
    end = next((t for t in reversed(tokens) if t.token_type == TokenType.END), None)
    if begin is None or end is None or end.start <= begin.end:
        return _unread(sql, tokens)
    trees: list[exp.Expr | _Unread] = []
    for statement in split_statements(sql[begin.end + 1 : end.start]):
        trees.extend(_parsed(statement.sql))
    return tuple(trees)


def _relied_on(tree: exp.Expr, renamed: list[tuple[str, str]]) -> set[str]:
    """Tables ``tree`` relies on the column order of (and renames it records)."""
    if isinstance(tree, exp.Alter):
        for action in tree.args.get("actions") or ():
            if isinstance(action, exp.AlterRename):
                renamed.append((_name(tree.this), _name(action.this)))
        return set()
    found: set[str] = set()
    if isinstance(tree, exp.Insert):
        if not isinstance(tree.this, exp.Schema) and tree.expression is not None:
            found.add(_name(tree.this))  # no column list: VALUES or SELECT fill by position
    elif not (isinstance(tree, exp.Create) and isinstance(tree.expression, exp.Query)):
        return found  # only a copy (INSERT, CREATE TABLE … AS) keeps what it reads
    # Every SELECT of the copy, its CTEs' and subqueries' too: a star among them reads
    # its tables in their order (over-counting keeps the drift an error, never a warning).
    for select in tree.find_all(exp.Select):
        found |= _starred(select)
    found.discard("")
    return found


def _starred(select: exp.Select) -> set[str]:
    """Tables whose columns ``select`` reads with ``*`` or ``t.*``, in their order."""
    tables: dict[str, str] = {}
    start = select.args.get("from_") or select.args.get("from")
    sources = [start, *(select.args.get("joins") or ())]
    for source in sources:
        if isinstance(source, exp.Expr):
            for table in source.find_all(exp.Table):
                tables[(table.alias_or_name or "").lower()] = _name(table)
    found: set[str] = set()
    for column in select.expressions:
        if isinstance(column, exp.Star):
            found |= set(tables.values())
        elif isinstance(column, exp.Column) and isinstance(column.this, exp.Star):
            alias = column.table.lower()
            found.add(tables.get(alias, alias))
    return found


def _name(node: exp.Expr | None) -> str:
    """A table node's name, lower-cased (SQLite resolves names case-insensitively)."""
    if isinstance(node, exp.Schema):
        node = node.this
    return str(node.name).lower() if isinstance(node, exp.Expr) else ""


def _short(sql: str) -> str:
    """A statement in one line, cut for a message."""
    flat = " ".join(sql.split())
    return flat if len(flat) <= _SHOWN else f"{flat[: _SHOWN - 1]}…"
