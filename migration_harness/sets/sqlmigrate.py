"""rubenv/sql-migrate's SQL file parser, line for line: sections, annotations, statements.

sql-migrate cuts a file itself and hands each piece to one ``Exec`` (mattn/go-sqlite3, which
runs every statement the piece holds). A piece ends at a line whose last word before a
``--`` word ends with ``;``, unless it sits between ``-- +migrate StatementBegin`` and
``-- +migrate StatementEnd``: a trigger body without them is cut at its first inner ``;``
and SQLite refuses the piece. Lines starting with ``-- `` (a comment, not ``-- +``) are
dropped before anything else. This module reproduces ``ParseMigration`` of
``sqlparse/sqlparse.go`` (rubenv/sql-migrate at 563a2f0) so the sql-migrate target cuts
exactly where sql-migrate does, and discovery refuses the files it refuses: sql-migrate
parses every file of the folder before it runs any (``FindMigrations``), so one bad file
stops the whole run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

PREFIX: Final = "-- +migrate "
_NO_TRANSACTION: Final = "notransaction"
# bufio.Scanner's buffer: a longer line stops the scan with bufio.ErrTooLong.
_MAX_LINE: Final = 1024 * 1024
_WORD_END: Final = re.compile(r"\S+")
_NO_TERMINATOR: Final = (
    "The last statement must be ended by a semicolon or '-- +migrate StatementEnd' marker"
)


class SqlMigrateParseError(ValueError):
    """sql-migrate refuses the file (its own wording) at ``line`` (1-based)."""

    def __init__(self, message: str, line: int) -> None:
        self.line = line
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class SqlMigrateFile:
    """A file as sql-migrate reads it.

    Attributes:
        up / down: the file's text with every line outside that direction blanked, so each
            line keeps its number; the ``StatementBegin``/``End`` annotations stay (the
            target's splitter reads them). ``down`` is ``None`` when no Down section
            holds a statement.
        up_no_tx / down_no_tx: ``-- +migrate Up notransaction`` (or Down).

    """

    up: str
    down: str | None
    up_no_tx: bool
    down_no_tx: bool


def is_sql_migrate(text: str) -> bool:
    """True when a line starts as sql-migrate's commands do (``-- +migrate Up``, …).

    sql-migrate matches the prefix byte for byte at the start of a line; goose's
    ``-- +goose Up`` and dbmate's ``-- migrate:up`` never match it.
    """
    return any(line.startswith(PREFIX) for line in text.split("\n"))


def _command(line: str, number: int) -> tuple[str, tuple[str, ...]]:
    """``parseCommand``: the command word and its options."""
    fields = line[len(PREFIX) :].split()
    if not fields:
        message = "incomplete migration command"
        raise SqlMigrateParseError(message, number)
    return fields[0], tuple(fields[1:])


def ends_with_semicolon(line: str) -> bool:
    """``endsWithSemicolon``: the last word before a ``--`` word ends in ``;``."""
    prev = ""
    for match in _WORD_END.finditer(line):
        word = match.group(0)
        if word.startswith("--"):
            break
        prev = word
    return prev.endswith(";")


def read_file(text: str) -> SqlMigrateFile:
    """Cut a file into its Up and Down sections as ``ParseMigration`` does.

    Raises:
        SqlMigrateParseError: sql-migrate refuses the file (no annotation, a statement
            left without ``;`` before a section or at the end, an unclosed
            ``StatementBegin``, a line too long for its scanner).

    """
    lines = text.split("\n")
    sections: dict[str, list[str]] = {"Up": [""] * len(lines), "Down": [""] * len(lines)}
    no_tx = {"Up": False, "Down": False}
    direction: str | None = None
    pending = ""  # buf: what the current statement holds so far
    started = 0  # the line where the pending statement's text begins
    in_block = False
    for number, raw in enumerate(lines, start=1):
        if len(raw.encode()) + 1 > _MAX_LINE:
            message = "bufio.Scanner: token too long"
            raise SqlMigrateParseError(message, number)
        line = raw.removesuffix("\r")  # bufio.ScanLines drops a final \r
        if line.startswith(PREFIX):
            command, options = _command(line, number)
            if command in ("Up", "Down"):
                if pending.strip():
                    raise SqlMigrateParseError(_NO_TERMINATOR, started)
                direction = command
                no_tx[command] = no_tx[command] or _NO_TRANSACTION in options
                continue
        if direction is None:
            continue
        sections[direction][number - 1] = raw
        pending, in_block, _ = _step(line, pending, in_block)
        started = (started or number) if pending.strip() else 0
    if in_block:
        message = "saw '-- +migrate StatementBegin' with no matching '-- +migrate StatementEnd'"
        raise SqlMigrateParseError(message, len(lines))
    if direction is None:
        message = "no Up/Down annotations found, so no statements were executed"
        raise SqlMigrateParseError(message, 1)
    if pending.strip():
        raise SqlMigrateParseError(_NO_TERMINATOR, started)
    up = "\n".join(sections["Up"])
    down = "\n".join(sections["Down"])
    return SqlMigrateFile(up, down if split_section(down) else None, no_tx["Up"], no_tx["Down"])


def _step(line: str, pending: str, in_block: bool) -> tuple[str, bool, str | None]:
    """One line of a section: the text left pending, the block state, a finished piece.

    The finished piece is what sql-migrate appends to its statements (``None``: the line
    ends none); a ``-- `` comment line changes nothing, a ``-- +`` line is never sent.
    """
    if line.startswith("-- ") and not line.startswith("-- +"):
        return pending, in_block, None
    ended = False
    if line.startswith(PREFIX):
        command = line[len(PREFIX) :].split()[:1]
        if command == ["StatementBegin"]:
            in_block = True
        elif command == ["StatementEnd"]:
            ended, in_block = in_block, False
    if not line.startswith("-- +"):
        pending += line + "\n"
    if (not in_block and ends_with_semicolon(line)) or ended:
        return "", in_block, pending
    return pending, in_block, None


def split_section(text: str) -> tuple[tuple[str, int], ...]:
    """The pieces sql-migrate sends for one direction, each with the line it starts on.

    ``text`` is a section as :func:`read_file` keeps it (or any text written for one
    direction). Each piece is one ``Exec``; text left without ``;`` at the end (which
    :func:`read_file` refuses in a file) is kept as a last piece, so that SQLite's own
    error names it. A piece holding only whitespace sends no statement and is left out.
    sql-migrate trims the piece's final newline, space and ``;`` before ``Exec``; the
    ``;`` is kept here, which SQLite runs the same.
    """
    pieces: list[tuple[str, int]] = []
    pending = ""
    start = 0  # the line where the pending piece's first text is
    in_block = False
    for number, raw in enumerate(text.split("\n"), start=1):
        pending, in_block, piece = _step(raw.removesuffix("\r"), pending, in_block)
        if not start and (pending.strip() or (piece or "").strip()):
            start = number
        if piece is not None:
            if piece.strip():
                pieces.append((piece.strip("\n"), start))
            start = 0
    if pending.strip():
        pieces.append((pending.strip("\n"), start))
    return tuple(pieces)
