"""liamstask goose's SQL reader (``bitbucket.org/liamstask/goose``), line for line.

The goose pressly forked in 2016 reads a file differently from goose v3 (:mod:`.goose`):
``splitSQLStatements`` scans the *whole* file once per run, for one direction. A line that
starts with exactly ``-- +goose `` and whose rest, trimmed, is exactly ``Up`` or ``Down``
switches the direction on or off; ``StatementBegin``/``StatementEnd`` count only while the
direction is on. Every other line is SQL (a lower-case ``-- +goose up`` is a comment), and
lines are buffered only while the direction is on, so sections may repeat and text left
unterminated in one section carries over into the next one of the same direction. Nothing
is refused: text left at the end is logged and dropped; only a file without any ``Up`` or
``Down`` annotation (or with a line too long for ``bufio.Scanner``) stops goose with
``log.Fatalf``.

Read from pressly/goose ``lib/goose/migration_sql.go`` at 8488cc4 (liamstask's own
history, the commit gophish pins): ``sqlCmdPrefix``, ``endsWithSemicolon``,
``splitSQLStatements``, ``runSQLMigration``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from migration_harness.sets.goose import BEGIN, DOWN, END, UP, ends_with_semicolon

PREFIX: Final = "-- +goose "
# bufio.MaxScanTokenSize: a line (with its newline) that does not fit stops the scanner.
MAX_LINE: Final = 64 * 1024
NO_ANNOTATION: Final = (
    "ERROR: no Up/Down annotations found, so no statements were executed "
    "(liamstask goose log.Fatalf: it matches '-- +goose Up' and '-- +goose Down' exactly, "
    "case included; the process exits)"
)


@dataclass(frozen=True, slots=True)
class V1File:
    """A file as liamstask goose reads it for each direction.

    Attributes:
        up / down: the file's text with every line the direction does not buffer left
            blank, so line numbers stay the file's (the ``Up``/``Down`` lines too: goose
            buffers the one that turns its direction on, a comment to SQLite). ``down`` is
            ``None`` when the file has no ``Down`` annotation (a rollback that runs
            nothing).
        fatal: goose's ``log.Fatalf`` for the file, in both directions (``None``: none).
        fatal_line: the line it names (1 when it is about the whole file).
        asks_no_tx: the file writes goose v3's ``NO TRANSACTION``, a plain comment here.

    """

    up: str
    down: str | None
    fatal: str | None = None
    fatal_line: int = 1
    asks_no_tx: bool = False


def command(line: str, prefix: str = PREFIX) -> str | None:
    """The annotation on a line as liamstask goose matches it, or ``None``.

    ``strings.HasPrefix(line, "-- +goose ")`` and the trimmed rest compared with ``==``:
    case, spacing before the prefix and any extra word all make the line a comment.
    micrate, goose's port, matches its own ``prefix`` the same way.
    """
    if not line.startswith(prefix):
        return None
    rest = line[len(prefix) :].strip()
    return rest if rest in (UP, DOWN, BEGIN, END) else None


def read_file_v1(text: str) -> V1File:
    """Cut a file into what liamstask goose buffers for each direction.

    ``bufio.Scanner`` with ``ScanLines`` drops a line's final carriage return; a line longer
    than its 64 KiB buffer stops the scan (``log.Fatalf("scanning migration: …")``).
    """
    for number, line in enumerate(_lines(text, keep_cr=True), start=1):
        if len(line.encode("utf-8")) + 1 > MAX_LINE:
            reason = (
                f"scanning migration: bufio.Scanner: token too long (line {number} holds "
                f"more than {MAX_LINE - 1} bytes; liamstask goose log.Fatalf: the process exits)"
            )
            return V1File(text, text, reason, number)
    lines = _lines(text)
    commands = [command(line) for line in lines]
    if not any(c in (UP, DOWN) for c in commands):
        return V1File(text, text, NO_ANNOTATION, _near_miss(lines), _asks_no_tx(lines))
    up = _direction(lines, commands, UP)
    down = _direction(lines, commands, DOWN) if DOWN in commands else None
    return V1File(up, down, asks_no_tx=_asks_no_tx(lines))


def _lines(text: str, *, keep_cr: bool = False) -> list[str]:
    """The lines ``bufio.ScanLines`` yields: cut at newlines only, a final CR dropped.

    Not :meth:`str.splitlines`, which also cuts at a lone CR, form feeds and Unicode line
    separators that goose leaves inside a line (and inside a string literal).
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line opens no line of its own
    return lines if keep_cr else [line.removesuffix("\r") for line in lines]


def _direction(lines: list[str], commands: list[str | None], wanted: str) -> str:
    """The lines buffered for one direction, ending as goose's buffer does."""
    return direction(lines, commands, wanted) + "\n"


def direction(lines: list[str], commands: list[str | None], wanted: str) -> str:
    """The lines buffered for one direction; the others blank (``directionIsActive``).

    micrate's ``direction_is_active`` is the same rule.
    """
    active = False
    kept = []
    for line, found in zip(lines, commands, strict=True):
        if found in (UP, DOWN):
            active = found == wanted
        # goose buffers its own Up/Down line too, but as a comment it changes nothing.
        kept.append(line if active and found not in (UP, DOWN) else "")
    return "\n".join(kept)


def _near_miss(lines: list[str]) -> int:
    """The first line meant as an annotation (``-- +goose up``, `` -- +goose Up``), else 1."""
    for number, line in enumerate(lines, start=1):
        if "+goose" in line.casefold():
            return number
    return 1


def _asks_no_tx(lines: list[str]) -> bool:
    """Whether the file writes goose v3's ``NO TRANSACTION`` (liamstask goose has none)."""
    return any(
        line.startswith(PREFIX) and line[len(PREFIX) :].strip().casefold() == "no transaction"
        for line in lines
    )


@dataclass(frozen=True, slots=True)
class V1Split:
    """What liamstask goose's ``splitSQLStatements`` makes of one direction.

    Attributes:
        statements: each statement it runs (one ``Exec`` each) and its first line.
        skipped: text left without its ``;`` (or its ``StatementEnd``) at the end, and
            its line: goose only logs a warning and never runs it.
        unended: a ``StatementBegin`` was never ended (goose's first warning).

    """

    statements: tuple[tuple[str, int], ...]
    skipped: tuple[str, int] | None
    unended: bool = False


def split_goose_v1(text: str) -> V1Split:
    """The statements of one direction as liamstask goose cuts them.

    ``text`` holds only lines goose buffers for the direction (:func:`read_file_v1`; a
    section of another runner's file reads the same). A line whose last word before a
    ``--`` word ends with ``;`` ends a statement, unless ``StatementBegin`` is open;
    ``StatementEnd`` ends the block. Nothing is refused: text left over at the end (a
    missing ``;``, a ``StatementBegin`` never ended) is logged ("WARNING: Unexpected
    unfinished SQL query: … Missing a semicolon?") and dropped.
    """
    statements, rest, unended = cut_chunks(_lines(text), command, ends_with_semicolon)
    return V1Split(tuple(s for s in statements if s[0]), rest if rest[0] else None, unended)


def cut_chunks(
    lines: Iterable[str], command: Callable[[str], str | None], ends: Callable[[str], bool]
) -> tuple[list[tuple[str, int]], tuple[str, int], bool]:
    """The cutting loop of liamstask goose, shared with micrate's port (own markers and ``;`` test).

    Returns each chunk with the line its SQL starts on (empty text: only comments), the
    text left after the last chunk, and whether a ``StatementBegin`` is still open.
    """
    chunks: list[tuple[str, int]] = []
    buf: list[tuple[int, str]] = []
    ignore_semicolons = ended = False
    for number, line in enumerate(lines, start=1):
        found = command(line)
        if found == BEGIN:
            ignore_semicolons = True
        elif found == END:
            ended, ignore_semicolons = ignore_semicolons, False
        buf.append((number, line))
        if (not ignore_semicolons and ends(line)) or ended:
            ended = False
            chunks.append(_without_lead(buf))
            buf.clear()
    return chunks, _without_lead(buf), ignore_semicolons


def _without_lead(buf: list[tuple[int, str]]) -> tuple[str, int]:
    """The buffered text from its first line that is neither blank nor a ``--`` comment.

    SQLite ignores those lines, so dropping them changes nothing that runs; the statement
    is then named by the line where its SQL starts. Empty text: only comments were left.
    """
    for index, (number, line) in enumerate(buf):
        if line.strip() and not line.strip().startswith("--"):
            return "\n".join(text for _, text in buf[index:]).strip(), number
    return "", 0
