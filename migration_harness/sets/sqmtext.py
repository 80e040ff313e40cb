"""SQLDelight's files as SQLite runs them: ``import`` lines and Kotlin column types removed.

SQLDelight's ``.sq`` and ``.sqm`` files are SQL with two additions its compiler takes out
before a statement reaches the driver (``rawSqlText``, sqldelight-compiler
core/lang/util/TreeUtil.kt): ``import com.example.Kind;`` lines, a Kotlin type after a
column's SQL type (``is_done INTEGER AS Boolean NOT NULL``), and the type and constraints
of an FTS5 table's columns (``CREATE VIRTUAL TABLE t USING fts5(body TEXT NOT NULL)``
reaches SQLite as ``fts5(body)``; ``UNINDEXED`` stays). The harness runs the text
SQLite receives, so it removes the same parts, read from sqlglot's tokens (never a pattern
over the text), keeping every line where it was so findings point at the right line.
A ``.sq`` file also holds labelled queries (``selectAll:``); only its unlabelled
statements build the schema (``forInitializationStatements``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

import sqlglot
from sqlglot.errors import TokenError
from sqlglot.tokenizer_core import Token, TokenType

_SQLITE: Final = sqlglot.Dialect.get_or_raise("sqlite")
# Words that end a Kotlin type: the column's constraints go on after it.
_CONSTRAINTS: Final = frozenset(
    {
        "NOT",
        "NULL",
        "DEFAULT",
        "PRIMARY",
        "REFERENCES",
        "UNIQUE",
        "CHECK",
        "COLLATE",
        "CONSTRAINT",
        "GENERATED",
    }
)


def runnable(text: str) -> str:
    """``text`` as the driver receives it: imports and ``AS <Kotlin type>`` blanked out.

    Text sqlglot cannot tokenize is returned as it is (SQLite then judges it).
    """
    tokens = _tokens(text)
    if tokens is None:
        return text
    cuts: list[tuple[int, int]] = []
    for statement in _statements(tokens):
        cuts.extend(_cuts(statement))
    chars = list(text)
    for start, end in cuts:
        for at in range(start, end + 1):
            if chars[at] != "\n":
                chars[at] = " "
    return "".join(chars)


def schema_statements(text: str) -> list[str]:
    """A ``.sq`` file's unlabelled ``CREATE`` statements (what ``Schema.create`` runs)."""
    tokens = _tokens(text)
    if tokens is None:
        return []
    found = []
    for statement in _statements(tokens):
        if statement and statement[0].token_type == TokenType.CREATE:
            found.append(runnable(text[statement[0].start : statement[-1].end + 1]))
    return found


def _tokens(text: str) -> list[Token] | None:
    """The SQLite tokens sqlglot reads in ``text``; ``None`` when it cannot read them."""
    try:
        return list(_SQLITE.tokenize(text))
    except TokenError:
        return None


def _statements(tokens: Sequence[Token]) -> Iterator[list[Token]]:
    """The tokens between semicolons (a trigger's body falls into pieces: none is touched)."""
    current: list[Token] = []
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if current:
                yield [*current, token]
            current = []
        else:
            current.append(token)
    if current:
        yield current


def _cuts(statement: Sequence[Token]) -> list[tuple[int, int]]:
    """The character ranges SQLDelight takes out of one statement."""
    if statement[0].token_type == TokenType.VAR and statement[0].text.lower() == "import":
        return [(statement[0].start, statement[-1].end)]
    words = [t.text.upper() for t in statement[:4]]
    if words[:2] == ["CREATE", "TABLE"] or words[:3] in (
        ["CREATE", "TEMP", "TABLE"],
        ["CREATE", "TEMPORARY", "TABLE"],
    ):
        return _type_cuts(statement, depth=1)
    if words[:2] == ["ALTER", "TABLE"] and "ADD" in (t.text.upper() for t in statement):
        return _type_cuts(statement, depth=0)
    if words[:3] == ["CREATE", "VIRTUAL", "TABLE"]:
        return _fts5_cuts(statement)
    return []


def _fts5_cuts(statement: Sequence[Token]) -> list[tuple[int, int]]:
    """An FTS5 table's column definitions cut to their names (``UNINDEXED`` kept).

    ``key=value`` options (``prefix='2 3'``, ``tokenize=…``) stay whole; other modules'
    arguments are not touched (SQLDelight only rewrites ``fts5``'s).
    """
    texts = [t.text.upper() for t in statement]
    if "USING" not in texts:
        return []
    at = texts.index("USING") + 1
    if at + 1 >= len(statement) or texts[at] != "FTS5" or texts[at + 1] != "(":
        return []
    arguments: list[list[Token]] = [[]]
    level = 0
    for token in statement[at + 2 :]:
        level += _paren(token)
        if level < 0:
            break
        if level == 0 and token.token_type == TokenType.COMMA:
            arguments.append([])
        else:
            arguments[-1].append(token)
    cuts = []
    for argument in arguments:
        if any(t.token_type == TokenType.EQ for t in argument):
            continue
        cuts += [(t.start, t.end) for t in argument[1:] if t.text.upper() != "UNINDEXED"]
    return cuts


def _type_cuts(statement: Sequence[Token], depth: int) -> list[tuple[int, int]]:
    """``AS <type>`` after a column's type at ``depth`` parentheses (not ``AS (expr)``)."""
    cuts = []
    level = 0
    at = 0
    while at < len(statement):
        token = statement[at]
        level += _paren(token)
        following = statement[at + 1] if at + 1 < len(statement) else None
        if (
            token.token_type == TokenType.ALIAS
            and level == depth
            and following is not None
            and following.token_type not in (TokenType.L_PAREN, TokenType.SELECT, TokenType.WITH)
        ):
            end = _type_end(statement, at + 1)
            cuts.append((token.start, statement[end].end))
            at = end + 1
            continue
        at += 1
    return cuts


def _type_end(statement: Sequence[Token], start: int) -> int:
    """The last token of the Kotlin type starting at ``start`` (``List<Map<A, B>>`` whole)."""
    angle = 0
    at = start
    last = start
    while at < len(statement):
        token = statement[at]
        kind = token.token_type
        angle += (kind == TokenType.LT) - (kind == TokenType.GT)
        if angle <= 0 and at > start:
            stops = (TokenType.COMMA, TokenType.R_PAREN, TokenType.L_PAREN, TokenType.SEMICOLON)
            if kind in stops or token.text.upper() in _CONSTRAINTS:
                return last
        if kind == TokenType.GT and angle < 0:
            angle = 0
        last = at
        at += 1
    return last


def _paren(token: Token) -> int:
    """+1 for ``(``, -1 for ``)``, else 0."""
    if token.token_type == TokenType.L_PAREN:
        return 1
    return -1 if token.token_type == TokenType.R_PAREN else 0
