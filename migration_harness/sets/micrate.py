"""micrate's SQL reader (amberframework/micrate, Crystal), line for line.

``Migration#statements`` (src/micrate/migration.cr) was ported from liamstask goose
(:mod:`~migration_harness.sets.goose_v1`) and reads a file the same way, with its own
prefix: a line that starts with exactly ``-- +micrate `` and whose rest, stripped, is
``Up`` or ``Down`` switches the direction on or off; ``StatementBegin``/``StatementEnd``
count only while it is on; every other line is SQL, buffered only while the direction is
on, so sections may repeat. A statement ends at a line whose text before its first
``--`` (anywhere, a string's included), stripped, ends with ``;``. Two differences from
goose: text left unterminated at the end is dropped **without a word**, and a file with
no ``Up`` line runs nothing and is recorded all the same.

Each statement goes to ``tx.connection.exec``: crystal-sqlite3 prepares it with
``sqlite3_prepare_v2`` and no tail (src/sqlite3/statement.cr), so only the **first**
statement of a chunk runs; the rest of the chunk is dropped silently. Sources in
``docs/RUNNERS.md``.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass
from typing import Final

from migration_harness.sets import goose_v1
from migration_harness.sets.goose import DOWN, UP
from migration_harness.sets.goose_v1 import cut_chunks
from migration_harness.sets.sql import Statement, split_statements

PREFIX: Final = "-- +micrate "
# migrations_by_version: the names micrate lists (its version: the digits before the first _).
NAME: Final = re.compile(r"^\d+.+\.sql$")
VERSION: Final = re.compile(r"^(\d+)_")
TABLE: Final = "micrate_db_version"
# src/micrate/db/sqlite3.cr query_create_migrations_table (micrate creates it when its
# SELECT fails; IF NOT EXISTS here so that re-creating is harmless).
MICRATE_DDL: Final = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (\n"
    "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "    version_id INTEGER NOT NULL,\n"
    "    is_applied INTEGER NOT NULL,\n"
    "    tstamp TIMESTAMP\n"
    ")",
)


def command(line: str) -> str | None:
    """The annotation on a line as micrate matches it (``starts_with?``, ``strip``, ``==``)."""
    return goose_v1.command(line, PREFIX)


def is_micrate(text: str) -> bool:
    """Whether a file carries micrate's ``Up`` or ``Down`` line."""
    return any(command(line) in (UP, DOWN) for line in text.split("\n"))


@dataclass(frozen=True, slots=True)
class Sections:
    """A file as micrate buffers it for each direction.

    Attributes:
        up / down: the file's text with every line the direction does not buffer left
            blank, so line numbers stay the file's. ``down`` is ``None`` without a ``Down``
            line (a rollback that runs nothing).
        has_up: the file has an ``Up`` line; without one ``micrate up`` runs nothing of it.

    """

    up: str
    down: str | None
    has_up: bool


def sections(text: str) -> Sections:
    """Cut a file into what micrate buffers for each direction (``source.split`` at newlines)."""
    lines = text.split("\n")
    commands = [command(line) for line in lines]
    up = goose_v1.direction(lines, commands, UP)
    down = goose_v1.direction(lines, commands, DOWN) if DOWN in commands else None
    return Sections(up, down, UP in commands)


def ends_with_semicolon(line: str) -> bool:
    """``s.split("--")[0].strip.ends_with? ";"``: a ``--`` in a string cuts the line too."""
    return line.split("--")[0].strip().endswith(";")


@dataclass(frozen=True, slots=True)
class Split:
    """What micrate runs of one direction, and what it drops without a word.

    Attributes:
        statements: the statement each chunk's ``exec`` runs: its first.
        dropped: statements after the first in a chunk (``prepare_v2`` reads no tail).
        tail: text left without its ``;`` at the end, and its line: never run.

    """

    statements: tuple[Statement, ...]
    dropped: tuple[Statement, ...]
    tail: Statement | None


@functools.lru_cache(maxsize=1024)
def split_micrate(text: str) -> Split:
    """The chunks of one direction's text, as micrate cuts and crystal-sqlite3 runs them.

    A chunk SQLite finds incomplete (a trigger body cut at an inner ``;`` without
    ``StatementBegin``) stays whole, and SQLite refuses it when it runs, as in production.
    """
    chunks, (rest, rest_line), _ = cut_chunks(text.split("\n"), command, ends_with_semicolon)
    statements: list[Statement] = []
    dropped: list[Statement] = []
    for chunk, at in chunks:
        if not chunk:
            continue
        if not sqlite3.complete_statement(chunk):
            statements.append(Statement(chunk, at))
            continue
        inner = [Statement(s.sql, at + s.line - 1, s.terminated) for s in split_statements(chunk)]
        statements.extend(inner[:1])
        dropped.extend(inner[1:])
    tail = Statement(rest, rest_line) if rest else None
    return Split(tuple(statements), tuple(dropped), tail)


def micrate_skipped(text: str) -> str | None:
    """What micrate leaves out of one direction without failing, in words; ``None``: nothing."""
    split = split_micrate(text)
    if split.dropped:
        first = split.dropped[0]
        shown = " ".join(first.sql.split())[:60]
        more = f" and {len(split.dropped) - 1} more" if len(split.dropped) > 1 else ""
        return (
            f"line {first.line}: micrate sends this statement in one chunk with the one before "
            "it (no line-final ';' between them), and crystal-sqlite3 runs only a chunk's first "
            f"statement: {shown!r}{more} never runs (end each statement on its own line)"
        )
    if split.tail is not None:
        shown = " ".join(split.tail.sql.split())[:60]
        return (
            f"line {split.tail.line}: micrate drops this unterminated statement without a word: "
            f"it never runs ({shown!r}; end it with ';' at the end of a line)"
        )
    return None
