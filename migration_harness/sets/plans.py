"""How each runner cuts a file into statements: the :class:`FilePlan` of one file.

Split out of :mod:`migration_harness.sets.targets` (which keeps each target's rules, the
D1 emulation and the ``TARGETS`` table, and re-exports these names): goose's annotations,
drizzle's breakpoints, Liquibase's delimiters and Flyway's mixed files are each a runner's
own reading of a file, independent of which target uses it.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from migration_harness.errors import HarnessError
from migration_harness.sets.bun import read_pieces
from migration_harness.sets.goose import GooseParseError, split_goose
from migration_harness.sets.goose_v1 import split_goose_v1
from migration_harness.sets.sql import Statement, split_statements, strip_leading_comments
from migration_harness.sets.sqlmigrate import split_section

# Statements that only make sense outside a transaction the runner opened: their presence
# means the file manages its own transaction and foreign-key state, as SQLite's docs advise.
_SELF_MANAGED_PRAGMAS: Final = frozenset({"foreign_keys", "journal_mode", "legacy_alter_table"})


@dataclass(frozen=True, slots=True)
class FilePlan:
    """The statements of a file and whether the runner wraps them in one transaction."""

    statements: tuple[Statement, ...]
    wrapped: bool


class MigrationRefusedError(HarnessError):
    """The target refuses a statement of the file (the engine's own wording)."""

    def __init__(self, reason: str, statement: Statement) -> None:
        self.reason = reason
        self.statement = statement
        super().__init__(reason)


@functools.lru_cache(maxsize=4096)
def _split(sql: str) -> tuple[Statement, ...]:
    """Split once per distinct file text: checks run the same files thousands of times."""
    return tuple(split_statements(sql))


@functools.lru_cache(maxsize=1024)
def _goose_plan(sql: str) -> tuple[Statement, ...]:
    """Goose's statements, each then run as one Exec (the driver runs all it holds).

    A chunk goose cut in the middle of a statement (a trigger without StatementBegin/End)
    is kept whole: SQLite refuses it when it runs, as it does under goose.
    """
    try:
        chunks = split_goose(sql)
    except GooseParseError as exc:
        raise MigrationRefusedError(str(exc), Statement(exc.text, exc.line)) from exc
    return _chunk_statements(chunks)


@functools.lru_cache(maxsize=1024)
def _goose_v1_plan(sql: str) -> tuple[Statement, ...]:
    """The statements of liamstask goose: cut at line-final ``;``, unterminated text dropped.

    What it drops never runs; :meth:`Target.conflicts` reports it. Each chunk is one
    mattn ``Exec``, which runs every statement it holds.
    """
    return _chunk_statements(split_goose_v1(sql).statements)


@functools.lru_cache(maxsize=1024)
def _sql_migrate_plan(sql: str) -> tuple[Statement, ...]:
    """sql-migrate's pieces (cut as goose cuts, with its own annotations), one Exec each."""
    return _chunk_statements(split_section(sql))


@functools.lru_cache(maxsize=1024)
def _bun_plan(sql: str) -> tuple[Statement, ...]:
    """Bun's ``--bun:split`` pieces, one ``ExecContext`` each, which runs all they hold.

    bun leaves blank lines out of a piece; each statement keeps the file's line it is on.
    A piece that ends inside a statement stays whole, and SQLite refuses it.
    """
    read = read_pieces(sql)
    statements: list[Statement] = []
    for (piece, line), numbers in zip(read.pieces, read.lines, strict=True):
        if not sqlite3.complete_statement(piece):
            statements.append(Statement(piece, line))
            continue
        for inner in split_statements(piece):
            at = numbers[min(inner.line, len(numbers)) - 1]
            statements.append(Statement(inner.sql, at, inner.terminated))
    return tuple(statements)


def _chunk_statements(chunks: Iterable[tuple[str, int]]) -> tuple[Statement, ...]:
    """Goose's chunks as statements: each complete chunk split, an incomplete one kept whole.

    Both goose dialects hand one chunk to one ``Exec``, which runs every statement it holds;
    an incomplete chunk stays one statement so its failure (or skip) names its line.
    """
    statements: list[Statement] = []
    for chunk, line in chunks:
        if not sqlite3.complete_statement(chunk):
            statements.append(Statement(chunk, line))
            continue
        for inner in split_statements(chunk):
            statements.append(Statement(inner.sql, line + inner.line - 1, inner.terminated))
    return tuple(statements)


@functools.lru_cache(maxsize=1024)
def goose_v1_skipped(sql: str) -> str | None:
    """What liamstask goose drops at the end of a direction, in words; ``None``: nothing."""
    split = split_goose_v1(sql)
    if split.skipped is None:
        return None
    text, line = split.skipped
    first = " ".join(text.split())[:60]
    if split.unended:
        why = "a '-- +goose StatementBegin' is never ended"
        fix = "end it with '-- +goose StatementEnd'"
    else:
        why = "liamstask goose only logs 'Unexpected unfinished SQL query ... Missing a semicolon?'"
        fix = "end it with ';'"
    return (
        f"line {line}: goose skips this unterminated statement: it never runs ({first!r}; "
        f"{why}; {fix})"
    )


BREAKPOINT: Final = "--> statement-breakpoint"


@functools.lru_cache(maxsize=1024)
def _drizzle_plan(sql: str) -> tuple[Statement, ...]:
    """Drizzle's pieces: the text cut at ``--> statement-breakpoint``, one statement each.

    drizzle runs each piece with better-sqlite3's ``prepare(piece).run()``, which refuses a
    piece holding no statement or anything but whitespace after its first statement (a
    second statement or a trailing comment): better-sqlite3 ``src/objects/statement.lzz``.
    The refusal comes before anything commits: the whole run is one transaction.
    """
    statements: list[Statement] = []
    line = 1
    for piece in sql.split(BREAKPOINT):
        statements.append(_drizzle_piece(piece, line))
        line += piece.count("\n")
    return tuple(statements)


def _drizzle_piece(piece: str, line: int) -> Statement:
    """The one statement of a breakpoint piece, or better-sqlite3's refusal."""
    try:
        found = split_statements(piece)
    except ValueError:
        return Statement(piece.strip(), line)  # SQLite refuses it when it runs
    if not found:
        reason = (
            "The supplied SQL string contains no statements (better-sqlite3 prepares each "
            "'--> statement-breakpoint' piece; remove the empty piece)"
        )
        raise MigrationRefusedError(reason, Statement(piece.strip(), line))
    first = found[0]
    after = piece[piece.index(first.sql) + len(first.sql) :]
    if len(found) > 1 or after.strip(" \t\r\n"):
        extra = found[1] if len(found) > 1 else Statement(after.strip(), first.line)
        reason = (
            "The supplied SQL string contains more than one statement (better-sqlite3 "
            "prepares each '--> statement-breakpoint' piece as one statement; put "
            "'--> statement-breakpoint' between statements)"
        )
        raise MigrationRefusedError(reason, Statement(extra.sql, line + extra.line - 1))
    return Statement(first.sql, line + first.line - 1, first.terminated)


def _liquibase_delimiter(options: Mapping[str, object] | None) -> str | None:
    """The changeset's end delimiter; ``None`` when ``splitStatements:false``."""
    if options is not None and options.get("split") is False:
        return None
    delimiter = options.get("delimiter") if options is not None else None
    return str(delimiter) if delimiter else ";"


@functools.lru_cache(maxsize=1024)
def _liquibase_plan(sql: str, delimiter: str | None) -> tuple[Statement, ...]:
    """Liquibase's pieces: cut at every end delimiter outside quotes and comments.

    Liquibase does not know SQLite's ``BEGIN … END`` trigger bodies: with the default
    ``;`` a trigger is cut at its first inner ``;`` and SQLite refuses the piece
    (``incomplete input``), which is why such changesets need ``splitStatements:false``
    or another ``endDelimiter``. Each piece is then one JDBC ``execute``
    (liquibase-standard ``JdbcExecutor.ExecuteStatementCallback``: ``stmt.execute``), and
    Xerial's ``Statement.execute`` prepares the piece and runs its **first** statement only
    (``JDBC3Statement.execute``: ``prepare`` + ``exec``; only ``executeUpdate`` goes through
    ``sqlite3_exec``): a piece holding more (``splitStatements:false`` around two
    statements, an ``endDelimiter`` that cuts nothing) runs its first, silently.
    liquibase-standard ``liquibase/util/StringUtil.processMultiLineSQL``.
    """
    return tuple(run for run, _ in _liquibase_pieces(sql, delimiter))


def liquibase_skipped(sql: str, delimiter: str | None) -> str | None:
    """What Xerial leaves out of a Liquibase changeset's pieces, in words; ``None``: nothing."""
    dropped = [s for _, rest in _liquibase_pieces(sql, delimiter) for s in rest]
    if not dropped:
        return None
    first = " ".join(dropped[0].sql.split())[:60]
    more = f" and {len(dropped) - 1} more" if len(dropped) > 1 else ""
    return (
        f"line {dropped[0].line}: Liquibase sends this statement in one piece with the one "
        f"before it, and Xerial's Statement.execute runs only a piece's first statement: "
        f"{first!r}{more} never runs (give each statement its own piece: leave "
        "splitStatements on, or end each with the endDelimiter)"
    )


@functools.lru_cache(maxsize=1024)
def _liquibase_pieces(
    sql: str, delimiter: str | None
) -> tuple[tuple[Statement, tuple[Statement, ...]], ...]:
    """Each piece Liquibase sends: the statement Xerial runs, and those it leaves out."""
    if delimiter is None:
        pieces = [Statement(sql.strip(), 1)]
    else:
        pieces = []
        start = 0
        for end, length in (*_delimiter_ends(sql, delimiter), (len(sql), 0)):
            chunk = sql[start:end]
            body = strip_leading_comments(chunk).strip()
            if body:
                at = start + len(chunk) - len(strip_leading_comments(chunk))
                text = body + ";" if delimiter == ";" else body
                pieces.append(Statement(text, sql.count("\n", 0, at) + 1, end < len(sql)))
            start = end + length
    found: list[tuple[Statement, tuple[Statement, ...]]] = []
    for piece in pieces:
        text = sql if delimiter is None else piece.sql
        offset = 0 if delimiter is None else piece.line - 1
        try:
            inner = split_statements(text)
        except ValueError:
            inner = []  # SQLite refuses the piece when it runs: that is its finding
        if not inner:
            if piece.sql:
                found.append((piece, ()))
            continue
        moved = [dataclasses.replace(s, line=s.line + offset) for s in inner]
        if delimiter is not None and len(moved) == 1:
            found.append((piece, ()))  # the piece as Liquibase cut it
        else:
            found.append((moved[0], tuple(moved[1:])))
    return tuple(found)


_ESCAPES: Final = {"\\n": "\n", "\\r": "\r", "\\t": "\t"}


def _delimiter_length(sql: str, i: int, delimiter: str) -> int:
    r"""How long the end delimiter found at ``i`` is (0: none there).

    Liquibase reads ``\n``, ``\r`` and ``\t`` in it as the characters (``endDelimiter:\nGO``
    is GO at the start of a line: :func:`_delimiter_ends` replaces them), compares ignoring
    case, and matches whole tokens: ``GO`` ends a piece, the GO of ``GOOD`` does not
    (liquibase-standard ``StringUtil``: ``replaceEscapes``, ``isDelimiter``,
    ``processMultiLineSQL`` over SimpleSqlGrammar tokens).
    """
    end = i + len(delimiter)
    if sql[i:end].lower() != delimiter.lower():
        return 0
    word = str.isalnum
    if (word(delimiter[0]) and i > 0 and (word(sql[i - 1]) or sql[i - 1] == "_")) or (
        word(delimiter[-1]) and end < len(sql) and (word(sql[end]) or sql[end] == "_")
    ):
        return 0
    return len(delimiter)


def _delimiter_ends(sql: str, delimiter: str) -> list[tuple[int, int]]:
    """Where ``delimiter`` ends a piece, outside quotes and comments, and its length there."""
    ends: list[tuple[int, int]] = []
    for escape, char in _ESCAPES.items():
        delimiter = delimiter.replace(escape, char)
    i, n = 0, len(sql)
    while i < n:
        char = sql[i]
        if char in "'\"`":
            close = sql.find(char, i + 1)
            i = n if close == -1 else close + 1
        elif sql.startswith("--", i):
            close = sql.find("\n", i)
            i = n if close == -1 else close
        elif sql.startswith("/*", i):
            close = sql.find("*/", i + 2)
            i = n if close == -1 else close + 2
        elif length := _delimiter_length(sql, i, delimiter):
            ends.append((i, length))
            i += length
        else:
            i += 1
    return ends


FLYWAY_MIXED: Final = (
    "Detected both transactional and non-transactional statements within the same migration "
    "(even though mixed is false)"
)


def _flyway_plan(
    statements: tuple[Statement, ...], explicit: object, *, mixed: bool = False
) -> FilePlan:
    """Flyway's choice for one SQLite script (flyway-core ``ParserSqlScript``).

    ``PRAGMA foreign_keys`` cannot run in a transaction (``SQLiteParser``); a script holding
    it beside other statements is refused unless its script config sets
    ``executeInTransaction``, which then decides alone, or ``mixed`` is on: then
    ``executeInTransaction()`` is false for the whole script (a non-transactional
    statement was found), so every statement runs in autocommit and the PRAGMA takes
    effect; the history row is written after it.
    """
    if isinstance(explicit, bool):
        return FilePlan(statements, wrapped=explicit)
    outside = [s.pragma is not None and s.pragma[0] == "foreign_keys" for s in statements]
    if any(outside) and not all(outside) and not mixed:
        offending = next(s for i, s in enumerate(statements) if len(set(outside[: i + 1])) == 2)
        reason = (
            f"{FLYWAY_MIXED}. Offending statement found at line {offending.line} (set "
            "executeInTransaction in the script's .sql.conf, flyway.mixed=true if the "
            'application sets it (flyway_mixed = "on" or --flyway-mixed on), or move '
            "PRAGMA foreign_keys to its own migration)"
        )
        raise MigrationRefusedError(reason, offending)
    return FilePlan(statements, wrapped=not any(outside))


def _manages_itself(statement: Statement) -> bool:
    """A statement that a runner-opened transaction would break or silently neuter."""
    if statement.is_transaction_control or statement.keywords[:1] == ("VACUUM",):
        return True
    pragma = statement.pragma
    return pragma is not None and pragma[0] in _SELF_MANAGED_PRAGMAS
