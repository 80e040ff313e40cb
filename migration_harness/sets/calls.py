"""Function calls and operators in a statement, read from sqlglot's tokens.

Tokens keep the name as written and its offset, which the tree loses (``unhex`` and
``->>`` become generic nodes), and counting a call's arguments on tokens works for every
function, known to sqlglot or not.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from sqlglot import Dialect, TokenType
from sqlglot.errors import SqlglotError
from sqlglot.tokenizer_core import Token

from migration_harness.sets import parsing

# Words before a name followed by "(" that make it an object, not a call.
_OBJECT_BEFORE: Final = frozenset(
    {
        TokenType.TABLE,
        TokenType.INTO,
        TokenType.INDEX,
        TokenType.ON,
        TokenType.EXISTS,
        TokenType.VIEW,
        TokenType.REFERENCES,
        TokenType.UPDATE,
        TokenType.JOIN,
        TokenType.FROM,
        TokenType.USING,
        TokenType.DOT,
    }
)
# Function names sqlglot tokenizes as keywords rather than plain names.
_KEYWORD_FUNCTIONS: Final = frozenset({"format", "if", "replace", "left", "right", "coalesce"})


@dataclass(frozen=True, slots=True)
class Call:
    """``name(args…)`` at ``offset`` of the statement; operators have ``arguments`` -1."""

    name: str
    offset: int
    arguments: int


@functools.lru_cache(maxsize=4096)
def calls(sql: str) -> tuple[Call, ...]:
    """Every function call and JSON arrow operator in ``sql``, in order.

    Tokenizing costs about a millisecond a statement: callers look for their names in
    the text first (:func:`mentions`).
    """
    try:
        tokens = Dialect.get_or_raise("sqlite").tokenize(sql)
    except SqlglotError:
        return ()
    found: list[Call] = []
    for i, token in enumerate(tokens):
        if token.token_type in (TokenType.ARROW, TokenType.DARROW):
            found.append(Call(token.text, token.start, -1))
            continue
        follows = tokens[i + 1].token_type if i + 1 < len(tokens) else None
        before = tokens[i - 1].token_type if i else None
        is_name = token.token_type == TokenType.VAR or token.text.lower() in _KEYWORD_FUNCTIONS
        if follows == TokenType.L_PAREN and is_name and before not in _OBJECT_BEFORE:
            found.append(Call(token.text.lower(), token.start, _arguments(tokens, i + 1)))
    return tuple(found)


def _arguments(tokens: list[Token], open_at: int) -> int:
    """How many arguments the parenthesis at ``open_at`` holds (commas at its depth)."""
    depth = 0
    count = 0
    empty = True
    for token in tokens[open_at:]:
        kind = token.token_type
        if kind == TokenType.L_PAREN:
            depth += 1
            if depth == 1:
                continue
        elif kind == TokenType.R_PAREN:
            depth -= 1
            if depth == 0:
                break
        elif kind == TokenType.COMMA and depth == 1:
            count += 1
        empty = False
    return 0 if empty else count + 1


def create_table_columns(sql: str) -> int:
    """How many columns a CREATE TABLE declares (0 when sqlglot cannot read it)."""
    from sqlglot import exp

    try:
        tree = parsing.parse_one(sql)
    except SqlglotError:
        return 0
    if not isinstance(tree, exp.Create) or not isinstance(tree.this, exp.Schema):
        return 0
    return sum(isinstance(e, exp.ColumnDef | exp.Identifier) for e in tree.this.expressions)


def mentions(sql: str, names: Iterable[str]) -> bool:
    """Whether ``sql`` contains any of ``names`` (lower-case) at all: a cheap pre-filter."""
    lower = sql.lower()
    return any(name in lower for name in names)
