r"""Names in SQL as SQLite reads them: every quoting, any letters, through sqlglot's tokenizer.

Regular expressions over identifiers (``[A-Za-z_][\w$]*``, ``"?([\w$]+)"?``) cut
``"order items"`` in two and stopped at the first letter outside ASCII: such a table got
no generated rows, and a doubling ``UPDATE "order items"`` went unseen (issue 14, item 11).
sqlglot's SQLite tokenizer knows SQLite's quotes (``"…"`` with ``""`` inside, ```…```,
``[…]``) and gives each name unquoted; the few statement shapes the checks need (a rename,
the target of a write, the object a CREATE or DROP names) are read from its tokens.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import ClassVar, Final

from sqlglot.dialects.sqlite import SQLite
from sqlglot.errors import TokenError
from sqlglot.tokenizer_core import Token as RawToken
from sqlglot.tokenizer_core import TokenType


class _Tokenizer(SQLite.Tokenizer):
    """SQLite's tokenizer without sqlglot's "commands".

    sqlglot reads the rest of a statement that starts with ``REPLACE`` or ``EXPLAIN`` as
    one string, which hid the names in it.
    """

    COMMANDS: ClassVar[set[TokenType]] = set()


_NAME_TYPES: Final = frozenset({TokenType.VAR, TokenType.IDENTIFIER})
_SKIPPED: Final = frozenset({TokenType.NUMBER, TokenType.SEMICOLON})


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its text as SQLite reads it (quotes removed) and what it is.

    Attributes:
        text: the name unquoted (``order items``), the word as written, the string's
            content.
        word: the upper-cased text of an unquoted token, so keywords compare; empty for a
            quoted name or a string (``"TO"`` is a name, never the keyword).
        quoted: a quoted name or a string literal.
    """

    text: str
    word: str
    quoted: bool

    @property
    def is_name(self) -> bool:
        """Whether SQLite could read this token as a name (bare or quoted word, string)."""
        return self.quoted or (bool(self.word) and (self.word[0].isalpha() or self.word[0] == "_"))


# Statements longer than this are tokenized each time they are asked about, never cached:
# the cache held the tokens of every statement of a seed file (a 1,000,000-row seed in
# 1,000-row INSERTs kept millions of Token objects alive for the whole run, issue 15).
CACHED_CHARS: Final = 20_000


def tokens(sql: str) -> tuple[Token, ...] | None:
    """The tokens of one statement; ``None`` when it cannot be tokenized (never closed).

    Cached per statement text: the checks ask about the same files thousands of times.
    A statement longer than :data:`CACHED_CHARS` (a seed's bulk INSERT) is not kept.
    """
    return _tokenize(sql) if len(sql) > CACHED_CHARS else _cached(sql)


@functools.lru_cache(maxsize=8192)
def _cached(sql: str) -> tuple[Token, ...] | None:
    """:func:`tokens`, kept for the next question about the same statement."""
    return _tokenize(sql)


def _tokenize(sql: str) -> tuple[Token, ...] | None:
    """Run sqlglot's SQLite tokenizer over ``sql``, keeping what the checks read."""
    raw = _raw(sql)
    if raw is None:
        return None
    return tuple(_token(t) for t in raw if t.token_type not in _SKIPPED)


def spans(sql: str) -> tuple[tuple[Token, int, int], ...] | None:
    """Every token of ``sql`` with where it stands: ``(token, start, end)``, end exclusive.

    Numbers and ``;`` included, quotes inside the span. For edits that must leave the rest
    of a text byte for byte as written (libSQL's ALTER COLUMN replaces one column of a
    CREATE TABLE, :mod:`~migration_harness.sets.libsql`). ``None`` when it cannot be
    tokenized.
    """
    raw = _raw(sql)
    if raw is None:
        return None
    return tuple((_token(t), t.start, t.end + 1) for t in raw)


def mentions(sql: str, word: str) -> bool:
    """Whether ``word`` occurs in ``sql`` in any case: ``False`` rules the word's token out.

    Tokenizing is the costly part of reading a statement (a seed file of 1,000,000 one-row
    INSERTs was tokenized five times over to learn that none is a PRAGMA or an ALTER
    TABLE); a keyword that is nowhere in the text cannot be one of its tokens, so a
    question about one shape asks this first and tokenizes only the statements that can
    have it. The answer is the same as without the test.
    """
    return _pattern(word).search(sql) is not None


@functools.lru_cache(maxsize=64)
def _pattern(word: str) -> re.Pattern[str]:
    return re.compile(re.escape(word), re.IGNORECASE)


def _raw(sql: str) -> list[RawToken] | None:
    """The tokens sqlglot reads in ``sql``; ``None`` when a string or name is never closed."""
    try:
        return _Tokenizer().tokenize(sql)
    except TokenError:
        return None


def _token(raw: RawToken) -> Token:
    """One of sqlglot's tokens as the checks read it (quotes removed, keywords upper-cased)."""
    quoted = raw.token_type in (TokenType.IDENTIFIER, TokenType.STRING)
    return Token(raw.text, "" if quoted else raw.text.upper(), quoted)


def readable(sql: str) -> bool:
    """Whether sqlglot's tokenizer reads ``sql`` to its end (a string left open: no).

    Asked through the caches: a long statement's answer comes with its names.
    """
    return (names_in(sql) if len(sql) > CACHED_CHARS else tokens(sql)) is not None


def names_in(sql: str) -> frozenset[str] | None:
    """Every token of ``sql`` that can name a table or column, lower-cased.

    Strings count too: SQLite takes ``'users'`` for a name where a name must stand
    (``INSERT INTO 'users'``). ``None`` when the statement cannot be tokenized: then it
    may name anything.
    """
    if len(sql) > CACHED_CHARS:
        return _long_names(sql)
    found = tokens(sql)
    if found is None:
        return None
    return frozenset(t.text.lower() for t in found if t.is_name)


@functools.lru_cache(maxsize=4)
def _long_names(sql: str) -> frozenset[str] | None:
    """:func:`names_in` of a statement too long to cache its tokens, for the next asker.

    ``check`` asks about the same statements in every example: a one-line seed of 14 MB
    was tokenized anew each time (about a minute each). Its names are far smaller than
    its tokens, and only the last few long statements are kept, so a file of thousands
    of bulk INSERTs holds no more than a short one (issue 15's seed stays bounded).
    """
    found = tokens(sql)
    if found is None:
        return None
    return frozenset(t.text.lower() for t in found if t.is_name)


def _name_at(found: tuple[Token, ...], at: int) -> tuple[str | None, int]:
    """The (possibly schema-qualified) name starting at ``at``, and the index after it."""
    if at >= len(found) or not found[at].is_name:
        return None, at
    if at + 2 < len(found) and found[at + 1].text == "." and found[at + 2].is_name:
        return found[at + 2].text, at + 3
    return found[at].text, at + 1


def _skip(found: tuple[Token, ...], at: int, *words: str) -> int:
    """The index after ``words`` when they follow ``at`` (``IF NOT EXISTS``), else ``at``."""
    end = at + len(words)
    if tuple(t.word for t in found[at:end]) == words:
        return end
    return at


def alter_table(sql: str) -> tuple[str, str, tuple[Token, ...]] | None:
    """``(table, action, rest)`` of ``ALTER TABLE t ADD|DROP|RENAME …``; ``None`` otherwise."""
    if not mentions(sql, "ALTER"):
        return None
    found = tokens(sql)
    if not found or [t.word for t in found[:2]] != ["ALTER", "TABLE"]:
        return None
    table, at = _name_at(found, 2)
    if table is None or at >= len(found) or found[at].word not in ("ADD", "DROP", "RENAME"):
        return None
    return table, found[at].word, found[at + 1 :]


def renamed(sql: str) -> tuple[str, str | None, str] | None:
    """``(table, column or None, new name)`` of ``ALTER TABLE … RENAME [COLUMN] … TO …``."""
    altered = alter_table(sql)
    if altered is None or altered[1] != "RENAME":
        return None
    table, _, rest = altered
    if len(rest) >= 2 and rest[0].word == "TO" and rest[1].is_name:
        return table, None, rest[1].text
    at = _skip(rest, 0, "COLUMN")
    if len(rest) >= at + 3 and rest[at].is_name and rest[at + 1].word == "TO":
        return table, rest[at].text, rest[at + 2].text
    return None


def altered_column(sql: str) -> tuple[str, str, str] | None:
    """``(table, ADD|DROP, column)`` of ``ALTER TABLE … ADD|DROP [COLUMN] …``."""
    altered = alter_table(sql)
    if altered is None or altered[1] not in ("ADD", "DROP"):
        return None
    table, verb, rest = altered
    at = _skip(rest, 0, "COLUMN")
    if at < len(rest) and rest[at].is_name:
        return table, verb, rest[at].text
    return None


_WRITES: Final = frozenset({"UPDATE", "DELETE", "REPLACE", "INSERT"})
# One of these is in every statement written_table names a table for: an INSERT that
# rewrites rows says REPLACE or ON CONFLICT.
_REWRITING: Final = ("UPDATE", "DELETE", "REPLACE", "CONFLICT")


@functools.lru_cache(maxsize=4096)
def written_table(sql: str) -> str | None:
    """The table an ``UPDATE``, ``DELETE``, ``REPLACE`` or upserting ``INSERT`` rewrites.

    A plain ``INSERT`` only adds rows and names no table here; ``WITH …`` before the
    statement is skipped (its parentheses hide the CTEs' own statements). Without any of
    the words that make a write rewrite rows, nothing is tokenized (a long seed INSERT).
    Kept per text: the checks ask for a file's written tables once per example.
    """
    if not any(mentions(sql, word) for word in _REWRITING):
        return None
    found = tokens(sql) or ()
    depth, at = 0, 0
    while at < len(found):
        text = found[at].text
        depth += (text == "(") - (text == ")")
        if depth == 0 and found[at].word in _WRITES:
            break
        at += 1
    else:
        return None
    verb = found[at].word
    at += 1
    replacing = verb == "REPLACE"
    if at < len(found) and found[at].word == "OR":  # UPDATE OR IGNORE, INSERT OR REPLACE
        replacing = replacing or (at + 1 < len(found) and found[at + 1].word == "REPLACE")
        at += 2
    if at < len(found) and found[at].word in ("FROM", "INTO"):
        at += 1
    table, _ = _name_at(found, at)
    if verb == "INSERT" and not replacing and not _upserts(found[at:]):
        return None
    return table


def _upserts(rest: tuple[Token, ...]) -> bool:
    """``… ON CONFLICT … DO UPDATE``: an INSERT that rewrites rows already there."""
    words = [t.word for t in rest]
    pairs = set(itertools.pairwise(words))
    return ("ON", "CONFLICT") in pairs and ("DO", "UPDATE") in pairs


def object_named(
    sql: str, verb: str, kinds: tuple[str, ...] = ("INDEX", "TRIGGER")
) -> tuple[str, str] | None:
    """``(kind, name)`` a ``CREATE``/``DROP`` (``verb``) statement of one of ``kinds`` names."""
    if not mentions(sql, verb):
        return None
    found = tokens(sql)
    if not found or found[0].word != verb:
        return None
    at = 1
    if verb == "CREATE":
        at = _skip(found, at, "UNIQUE")
        at = _skip(found, _skip(found, at, "TEMP"), "TEMPORARY")
    if at >= len(found) or found[at].word not in kinds:
        return None
    kind = found[at].word
    guard = ("IF", "NOT", "EXISTS") if verb == "CREATE" else ("IF", "EXISTS")
    name, _ = _name_at(found, _skip(found, at + 1, *guard))
    return (kind, name.lower()) if name is not None else None


@dataclass(frozen=True, slots=True)
class VirtualTable:
    """What ``CREATE VIRTUAL TABLE name USING module(args)`` declares.

    sqlglot cannot parse a module's arguments (``b UNINDEXED``, ``content='x'``), and the
    lint rules need three things from them: the name, the module, and the options an FTS
    index reads its rows through (``content='x'`` for an external-content table, ``''``
    for a contentless one).

    Attributes:
        name: the table, as written (unquoted).
        module: the module, lower-cased (``fts5``).
        columns: the arguments that are column names, in order.
        options: ``key=value`` arguments, key lower-cased, value unquoted.
    """

    name: str
    module: str
    columns: tuple[str, ...]
    options: tuple[tuple[str, str], ...]

    def option(self, key: str) -> str | None:
        """The value of option ``key`` (``None`` when the statement does not set it)."""
        return next((value for k, value in self.options if k == key.lower()), None)


def virtual_table(sql: str) -> VirtualTable | None:
    """The table a ``CREATE VIRTUAL TABLE`` statement declares; ``None`` for anything else."""
    found = tokens(sql)
    if not found or [t.word for t in found[:3]] != ["CREATE", "VIRTUAL", "TABLE"]:
        return None
    name, at = _name_at(found, _skip(found, 3, "IF", "NOT", "EXISTS"))
    if name is None or at + 1 >= len(found) or found[at].word != "USING":
        return None
    module = found[at + 1].text.lower()
    columns: list[str] = []
    options: list[tuple[str, str]] = []
    for argument in _arguments(found[at + 2 :]):
        if len(argument) >= 3 and argument[1].text == "=" and argument[0].is_name:
            options.append((argument[0].text.lower(), argument[2].text))
        elif argument and argument[0].is_name:
            columns.append(argument[0].text)
    return VirtualTable(name, module, tuple(columns), tuple(options))


def _arguments(rest: tuple[Token, ...]) -> list[tuple[Token, ...]]:
    """A module's argument list ``( … )``, split at its top-level commas."""
    if not rest or rest[0].text != "(":
        return []
    arguments: list[tuple[Token, ...]] = []
    current: list[Token] = []
    depth = 0
    for token in rest:
        depth += (token.text == "(") - (token.text == ")")
        if depth == 0:  # the closing parenthesis
            break
        if depth == 1 and token.text in ("(", ","):
            if current:
                arguments.append(tuple(current))
            current = []
            continue
        current.append(token)
    if current:
        arguments.append(tuple(current))
    return arguments
