"""Splitting migration files into statements and classifying them.

Runners differ in how they send a file to SQLite, but all of them need the file as a list of
complete statements. SQLite itself decides what is complete: ``sqlite3.complete_statement``
knows that a ``;`` inside a string, a comment or a trigger's ``BEGIN … END`` does not end the
statement, so we ask it at every ``;`` instead of guessing with a regular expression.
"""

from __future__ import annotations

import functools
import itertools
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from migration_harness.sets.tokens import Token, mentions, spans

# A block comment never closed runs to the end of the text, as SQLite's tokenizer reads it.
_LEADING_NOISE = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?(?:\*/|\Z))*", re.DOTALL)
_WORD = re.compile(r"[A-Za-z_]+")
TRANSACTION_WORDS = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})


@dataclass(frozen=True, slots=True)
class Statement:
    """One complete SQL statement of a file.

    Attributes:
        sql: the statement's text, comments before it removed, ending with ``;`` when the
            file had one.
        line: 1-based line of the file where the statement starts, for error messages.
        terminated: whether the file ended the statement with ``;`` (wrangler needs it).
        complete: False for a text that ends inside a string, a quoted name or a trigger
            body: SQLite refuses it when it runs, and that failure is the file's finding.

    """

    sql: str
    line: int
    terminated: bool = True
    complete: bool = True

    @property
    def keywords(self) -> tuple[str, ...]:
        """The first three words, upper-cased: enough to classify the statement."""
        return _keywords(self.sql[:200])

    @property
    def is_transaction_control(self) -> bool:
        """BEGIN, COMMIT/END, ROLLBACK (not ``ROLLBACK TO``-less variants), SAVEPOINT, RELEASE."""
        words = self.keywords
        return bool(words) and words[0] in TRANSACTION_WORDS

    @property
    def pragma(self) -> tuple[str, str | None] | None:
        """``(name, value)`` for a PRAGMA statement, lower-cased; ``None`` otherwise."""
        return _pragma(self.sql)


def _tokens(sql: str) -> list[Token]:
    """Every token of ``sql``, numbers and ``;`` included (none when it cannot be read)."""
    return [token for token, _, _ in spans(sql) or ()]


@functools.lru_cache(maxsize=4096)
def _pragma(sql: str) -> tuple[str, str | None] | None:
    """Read ``PRAGMA [schema.]name [= value | (value)]`` from SQLite's tokens.

    Tokens, not a pattern over the text: SQLite takes a quoted name (``PRAGMA
    "foreign_keys" = OFF`` switches keys off) and a signed number (``-2000``) as written,
    and a comment or a string never holds the statement's words.
    """
    if not mentions(sql, "PRAGMA"):
        return None
    found = _tokens(sql)
    if len(found) < 2 or found[0].word != "PRAGMA":
        return None
    rest = found[1:]
    if len(rest) >= 3 and rest[1].text == "." and not rest[1].quoted:
        rest = rest[2:]  # the schema: main.foreign_keys
    if not rest[0].is_name:
        return None
    value = rest[1:]
    if value and not value[0].quoted and value[0].text in ("=", "("):
        value = value[1:]
    text = "".join(
        token.text
        for token in itertools.takewhile(
            lambda token: token.quoted or token.text not in (")", ";"), value
        )
    )
    return rest[0].text.lower(), text.strip().lower() or None


def open_before(statements: Sequence[Statement], wrapped: bool) -> tuple[bool, ...]:
    """Whether a transaction is open when each statement runs, the runner's or the file's.

    A wrapped file starts inside the runner's transaction; its own ``COMMIT`` ends that one
    and a later ``BEGIN`` opens another, which the runner's ``COMMIT`` then closes: drizzle
    files hand over that way (``COMMIT; PRAGMA foreign_keys=OFF; BEGIN;``) so the pragma
    runs outside any transaction, where SQLite honours it. A ``SAVEPOINT`` outside any
    transaction opens one (SQLite: "the outermost savepoint ... behaves like BEGIN
    DEFERRED"), which lasts until that savepoint is released; inside a transaction
    savepoints nest and change nothing. The last entry is the state after the last
    statement.
    """
    state = wrapped
    savepoints: list[str] = []  # those of a transaction a SAVEPOINT opened, outermost first
    result = [state]
    for statement in statements:
        words = statement.keywords
        control = words[0] if statement.is_transaction_control else ""
        if control == "BEGIN":
            state = True
        elif control in ("COMMIT", "END") or (control == "ROLLBACK" and "TO" not in words):
            state, savepoints = False, []
        elif control == "SAVEPOINT" and (savepoints or not state):
            savepoints.append(_savepoint_name(statement.sql))
            state = True
        elif control == "RELEASE" and savepoints:
            name = _savepoint_name(statement.sql)
            if name in savepoints:
                del savepoints[savepoints.index(name) :]
                state = bool(savepoints)
        result.append(state)
    return tuple(result)


def _savepoint_name(sql: str) -> str:
    """The name a ``SAVEPOINT name`` or ``RELEASE [SAVEPOINT] name`` statement gives, folded.

    SQLite compares savepoint names without regard to case.
    """
    found = _tokens(sql)
    names = [token for token in found[1:] if token.quoted or token.word != "SAVEPOINT"]
    return names[0].text.lower() if names and names[0].is_name else ""


def breaks_wrap(statement: Statement, in_transaction: bool, *, ends_open: bool = True) -> bool:
    """Whether a transaction statement fails or undoes work under a wrapping runner.

    ``BEGIN`` inside a transaction and ``COMMIT`` outside one fail; ``ROLLBACK`` undoes the
    runner's work; a ``COMMIT`` of the runner's transaction is harmless only when the file
    begins a new one before it ends (``ends_open``, the last state of :func:`open_before`).
    Savepoints nest. Any other statement breaks nothing.
    """
    words = statement.keywords
    if not statement.is_transaction_control or words[0] in ("SAVEPOINT", "RELEASE"):
        return False
    if "TO" in words:
        return False  # ROLLBACK TO a savepoint
    if words[0] == "BEGIN":
        return in_transaction
    if words[0] in ("COMMIT", "END"):
        return not (in_transaction and ends_open)
    return True


def strip_leading_comments(sql: str) -> str:
    """Remove whitespace and comments before the first token."""
    return sql[_LEADING_NOISE.match(sql).end() :]  # type: ignore[union-attr]


def is_blank(sql: str) -> bool:
    """True when the text holds only whitespace and comments."""
    return not strip_leading_comments(sql).strip()


def runs_nothing(sql: str) -> bool:
    """True when SQLite would run no statement of the text: only comments, blanks and ``;``.

    A down file holding just ``;`` (or ``-- irreversible`` and a ``;``) is not blank, yet
    every runner sends SQLite nothing but empty statements, which do nothing: the rollback
    does not exist, and counting it as one that "works" hid the missing rollback. The
    statement splitter decides (SQLite's ``complete_statement`` at each ``;``), so a ``;``
    inside a comment or a string is never mistaken for an empty statement.
    """
    return not split_statements(sql)


class _Lines:
    """1-based line numbers of increasing offsets of one text, counted once.

    Counting the newlines from the start of the text for every statement made splitting
    quadratic: a seed file of 80,000 statements took minutes (issue 15, item 4). Offsets
    only grow, so each character is counted once.

    Attributes:
        scanned: characters counted so far (never more than the text's length).
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1
        self.scanned = 0

    def at(self, offset: int) -> int:
        """The line of ``offset`` (not before the last offset asked)."""
        if offset > self._offset:
            self._line += self._text.count("\n", self._offset, offset)
            self.scanned += offset - self._offset
            self._offset = offset
        return self._line


def split_statements(text: str) -> list[Statement]:
    """Split SQL text into complete statements.

    A trailing statement without ``;`` is kept (SQLite runs it) but marked
    ``terminated=False``: wrangler appends its tracking INSERT to the file and then fails on it.
    A text that ends inside a string, a quoted name or a trigger body keeps that tail as one
    statement marked ``complete=False``: SQLite fails on it where production does, so it
    is reported as the file's ``apply_error``/``rollback_error`` and never stops a run (a
    block comment never closed is a comment, as SQLite reads it).
    """
    return list(_split_once(text))


@functools.lru_cache(maxsize=512)
def _split_once(text: str) -> tuple[Statement, ...]:
    """The statements of ``text``, split once per text.

    The checks split the same few files in every example (~2,000 splits of 12 files on
    ``db/``); the statements are frozen, and each caller gets a list of its own.
    """
    return tuple(_split(text, _Lines(text)))


@functools.lru_cache(maxsize=4096)
def _keywords(head: str) -> tuple[str, ...]:
    """:attr:`Statement.keywords` of a statement starting with ``head``, read once."""
    return _one_copy(tuple(w.upper() for w in _WORD.findall(head)[:3]))


@functools.lru_cache(maxsize=1024)
def _one_copy(words: tuple[str, ...]) -> tuple[str, ...]:
    """One tuple for equal keywords: the statements of a seed file share theirs.

    Rules keep each statement's keywords (``Parsed.words``); a file of 1,000,000 one-row
    INSERTs held a million equal tuples of three new strings, 260 bytes a statement.
    """
    return words


def _split(text: str, lines: _Lines) -> list[Statement]:
    """:func:`split_statements`, line numbers from ``lines`` (a test counts its work)."""
    statements: list[Statement] = []
    start = 0
    pos = text.find(";")
    while pos != -1:
        chunk = text[start : pos + 1]
        if sqlite3.complete_statement(chunk):
            _append(statements, lines, start, chunk, terminated=True)
            start = pos + 1
        pos = text.find(";", pos + 1)
    rest = text[start:]
    if not is_blank(rest):
        complete = sqlite3.complete_statement(rest + "\n;")
        _append(statements, lines, start, rest, terminated=False, complete=complete)
    return statements


def _append(
    out: list[Statement],
    lines: _Lines,
    start: int,
    chunk: str,
    *,
    terminated: bool,
    complete: bool = True,
) -> None:
    """Append ``chunk`` unless it is only comments; record its first line."""
    body = strip_leading_comments(chunk)
    if not body.strip() or body.strip() == ";":
        return
    offset = start + (len(chunk) - len(body))
    out.append(Statement(body.rstrip(), lines.at(offset), terminated, complete))
