"""goose's SQL migration parser, line for line: sections, annotations and statement splitting.

goose does not send a file to SQLite whole: it cuts it into statements itself and runs each
with its own Exec. A statement ends at a line whose last word (before a ``--`` comment) ends
with ``;``, unless it sits between ``-- +goose StatementBegin`` and ``-- +goose StatementEnd``.
So a trigger body without those annotations is cut at its first ``;`` and fails under goose
while SQLite itself would run it. This module reproduces ``ParseSQLMigration`` from
pressly/goose ``internal/sqlparser/parser.go`` so the goose target cuts exactly where goose
does, and discovery refuses the files goose refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

UP: Final = "Up"
DOWN: Final = "Down"
BEGIN: Final = "StatementBegin"
END: Final = "StatementEnd"
NO_TRANSACTION: Final = "NO TRANSACTION"
# goose v3's supported annotations, matched with strings.EqualFold (any case).
_ANNOTATIONS: Final = (UP, DOWN, BEGIN, END, NO_TRANSACTION, "ENVSUB ON", "ENVSUB OFF")
_OTHER: Final = frozenset({NO_TRANSACTION, "ENVSUB ON", "ENVSUB OFF"})
_MARKER: Final = re.compile(r"^--\s*\+goose\s+up\s*$", re.MULTILINE | re.IGNORECASE)


class GooseParseError(ValueError):
    """goose refuses the file before running anything (the text is goose's own wording).

    Attributes:
        line: the 1-based line where the problem is.
        text: the unfinished text, when there is one.
        in_statement: the error is about one section's statements (a missing ``;`` or
            ``StatementEnd``): goose fails on it only when it runs that direction, so it
            is that direction's ``apply_error``/``rollback_error``, not a refused file.

    """

    def __init__(
        self, message: str, line: int, text: str = "", *, in_statement: bool = False
    ) -> None:
        self.line = line
        self.text = text
        self.in_statement = in_statement
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class GooseFile:
    """A goose file cut at its ``Up``/``Down`` annotations.

    Attributes:
        up: the Up section's text (annotations inside it kept: they are SQL comments).
        down: the Down section's text; ``None`` when the file has no Down annotation.
        use_tx: ``False`` when the file holds ``-- +goose NO TRANSACTION`` (both directions).
        up_line / down_line: the file's line where each section's text begins.

    """

    up: str
    down: str | None
    use_tx: bool
    up_line: int = 1
    down_line: int = 1


def is_goose(text: str) -> bool:
    """True when the file carries any annotation goose reads (``Up``, ``Down``, …).

    ``-- +goose Up`` is the usual mark, but a file whose author forgot it and kept
    ``-- +goose Down`` (or ``StatementBegin``, ``NO TRANSACTION``) is still written for goose:
    goose refuses it ("unexpected state on line", "must start with '-- +goose Up'
    annotation"). Read as plain SQL it
    would run its Down section forward, in the same file, silently.
    """
    if _MARKER.search(text) is not None:
        return True
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            if _command(line, number) is not None:
                return True
        except GooseParseError:
            continue
    return False


def _command(line: str, number: int) -> str | None:
    """The annotation on a line, as goose v3 reads it (``extractAnnotation``).

    A line is an annotation when it starts with ``--`` (after spaces) and holds
    ``+goose``; every ``--`` and the first ``+goose`` are removed and the rest is matched
    against goose's annotations with ``strings.EqualFold``, so ``-- +goose no transaction``
    counts. Returned in goose's own spelling.

    Raises:
        GooseParseError: goose's refusals: leading whitespace, two ``+goose``, an empty
            or unknown annotation.

    """
    if not line.strip().startswith("--") or "+goose" not in line:
        return None
    if line[:1] in (" ", "\t"):
        message = f"{line!r} contains leading whitespace: invalid annotation"
        raise GooseParseError(message, number)
    command = line.replace("--", "").replace("+goose", "", 1)
    if "+goose" in command:
        message = f"{command!r} contains multiple '+goose' annotations: invalid annotation"
        raise GooseParseError(message, number)
    command = command.strip()
    for known in _ANNOTATIONS:
        if known.casefold() == command.casefold():
            return known
    message = f"{command!r} not supported: invalid annotation" if command else "empty annotation"
    raise GooseParseError(message, number)


def read_file(text: str) -> GooseFile:
    """Cut a goose file into its sections, validating it as goose would for both directions.

    A statement without its ``;`` or ``StatementEnd`` is left for the run to report:
    goose fails on it only in the direction it belongs to.

    Raises:
        GooseParseError: goose's refusals of the whole file (no Up, duplicate Up, Down
            before Up, an annotation goose does not know).

    """
    for direction in ("up", "down"):
        try:
            split_goose(text, sectioned=True, direction=direction)
        except GooseParseError as exc:
            if not exc.in_statement:
                raise
    lines = text.splitlines(keepends=True)
    up_at = down_at = None
    use_tx = True
    for number, line in enumerate(lines):
        command = _command(line.rstrip("\r\n"), number + 1)
        if command == UP and up_at is None:
            up_at = number
        elif command == DOWN and down_at is None:
            down_at = number
        elif command == NO_TRANSACTION:
            use_tx = False
    if up_at is None:  # split_goose refuses such a file first; kept for the type checker
        message = "failed to parse migration: must start with '-- +goose Up' annotation"
        raise GooseParseError(message, 1)
    end = down_at if down_at is not None else len(lines)
    up = "".join(lines[up_at + 1 : end])
    down = "".join(lines[down_at + 1 :]) if down_at is not None else None
    return GooseFile(up, down, use_tx, up_at + 2, (down_at or 0) + 2)


def split_goose(
    text: str, *, sectioned: bool = False, direction: str = "up"
) -> list[tuple[str, int]]:
    """The statements goose runs, with the line each starts on.

    Args:
        text: a whole goose file (``sectioned=True``) or one section's text, read as if
            it followed ``-- +goose Up``: how the goose target runs a section, or a file
            written for another runner.
        sectioned: read the ``Up``/``Down`` annotations (a whole file).
        direction: which section's statements to return for a whole file.

    Raises:
        GooseParseError: as :func:`read_file`.

    """
    state = "start" if sectioned else "up"
    statements: list[tuple[str, int]] = []
    buf: list[str] = []
    started = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if state == "start" and not line.strip():
            continue
        command = _command(line, number)
        if command == UP:
            if state != "start":
                message = "duplicate '-- +goose Up' annotations"
                raise GooseParseError(message, number)
            state = "up"
            continue
        if command == DOWN:
            if state not in ("up", "up_end"):
                message = "must start with '-- +goose Up' annotation"
                raise GooseParseError(message, number)
            _refuse_unfinished(buf, started)
            state = "down"
            continue
        if command == BEGIN:
            if state not in ("up", "up_end", "down", "down_end"):
                message = (
                    "'-- +goose StatementBegin' must be defined after '-- +goose Up' or "
                    "'-- +goose Down' annotation"
                )
                raise GooseParseError(message, number)
            state = "up_begin" if state.startswith("up") else "down_begin"
            continue
        if command == END:
            if state not in ("up_begin", "down_begin"):
                message = (
                    "'-- +goose StatementEnd' must be defined after '-- +goose StatementBegin'"
                )
                raise GooseParseError(message, number)
            state = "up_end" if state == "up_begin" else "down_end"
        elif command in _OTHER:
            continue
        if not buf and (line.strip().startswith("--") or line == ""):
            continue  # comments and blank lines before a statement are dropped
        if state == "start":
            message = f"failed to parse migration: unexpected state on line {line!r}"
            raise GooseParseError(message, number)
        if state not in ("up_end", "down_end"):
            if not buf:
                started = number
            buf.append(line + "\n")
        wanted = state.startswith(direction) or not sectioned
        if not wanted:
            buf.clear()
            continue
        if state in ("up_end", "down_end"):
            statements.append(("".join(buf).strip(), started))
            buf.clear()
            state = state.removesuffix("_end")
        elif state in ("up", "down") and ends_with_semicolon(line):
            statements.append(("".join(buf).strip(), started))
            buf.clear()
    if state == "start":
        message = "failed to parse migration: must start with '-- +goose Up' annotation"
        raise GooseParseError(message, 1)
    if state in ("up_begin", "down_begin"):
        message = "failed to parse migration: missing '-- +goose StatementEnd' annotation"
        raise GooseParseError(message, started or 1, "".join(buf).strip(), in_statement=True)
    _refuse_unfinished(buf, started)
    return statements


def _refuse_unfinished(buf: list[str], started: int) -> None:
    """Goose's "missing semicolon?" error for text left without its ``;``."""
    rest = "".join(buf).strip()
    if rest:
        message = f"unexpected unfinished SQL query: {rest[:60]!r}: missing semicolon?"
        raise GooseParseError(message, started, rest, in_statement=True)


def ends_with_semicolon(line: str) -> bool:
    """Goose's ``endsWithSemicolon``: the last word before a ``--`` word ends with ``;``."""
    previous = ""
    for word in line.split():
        if word.startswith("--"):
            break
        previous = word
    return previous.endswith(";")
