"""uptrace/bun's SQL migration reader: names, ``--bun:split`` pieces, transactions.

bun reads an SQL migration only when it runs it (``newSQLMigrationFunc`` in
``migrate/migration.go``, uptrace/bun at 0e5e868): every line is kept except blank ones, a
line that starts with ``--bun:split`` ends a piece, and any other ``--bun:`` directive fails
the migration (``bun: unknown directive``) when it runs, not before. Each piece is one
``ExecContext``; the SQLite drivers bun runs on (mattn/go-sqlite3, modernc.org/sqlite) run
every statement a piece holds, so a piece only matters where it cuts a statement (a
trigger) in two. A file named ``*.tx.up.sql`` / ``*.tx.down.sql`` runs in one transaction;
any other runs on a plain connection, statement by statement in autocommit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

DIRECTIVE: Final = "--bun:"
SPLIT: Final = "split"
# migrate/migrations.go fnameRE: the name bun records is the digits, the comment the rest.
NAME: Final = re.compile(r"^(\d{1,14})_([0-9a-z_\-]+)\.")
TX_SUFFIXES: Final = (".tx.up.sql", ".tx.down.sql")
SQL_SUFFIXES: Final = (".up.sql", ".down.sql")


@dataclass(frozen=True, slots=True)
class BunPieces:
    """A file cut as bun cuts it.

    Attributes:
        pieces: each piece's text (blank lines left out, as bun leaves them out) and the
            file's line where it starts.
        lines: for each piece, the file's line of each of its lines.
        unknown: ``(directive, line)`` of the first ``--bun:`` line bun does not know,
            which fails the migration when it runs; ``None``: none.

    """

    pieces: tuple[tuple[str, int], ...]
    lines: tuple[tuple[int, ...], ...]
    unknown: tuple[str, int] | None


def is_bun_text(text: str) -> bool:
    """Whether a line starts with bun's directive prefix (``--bun:split``)."""
    return any(line.startswith(DIRECTIVE) for line in text.split("\n"))


def is_bun_name(name: str) -> bool:
    """A name only bun gives: ``<digits>_<name>.tx.up.sql`` (or ``.tx.down.sql``)."""
    return name.endswith(TX_SUFFIXES) and NAME.match(name) is not None


def read_pieces(text: str) -> BunPieces:
    """The pieces bun sends for ``text``, in order (see the module doc)."""
    pieces: list[tuple[str, int]] = []
    lines: list[tuple[int, ...]] = []
    unknown: tuple[str, int] | None = None
    current: list[str] = []
    numbers: list[int] = []

    def close() -> None:
        if current:
            pieces.append(("\n".join(current), numbers[0]))
            lines.append(tuple(numbers))
            current.clear()
            numbers.clear()

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")  # bufio.ScanLines drops a final \r
        if line.startswith(DIRECTIVE):
            if line[len(DIRECTIVE) :] == SPLIT:
                close()
                continue
            if unknown is None:
                unknown = (line[len(DIRECTIVE) :], number)
            continue
        if line.strip():
            current.append(line)
            numbers.append(number)
    close()
    return BunPieces(tuple(pieces), tuple(lines), unknown)
