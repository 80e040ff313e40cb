"""Atlas versioned migrations (``atlas migrate apply``, SQLite driver): what runs a file.

Atlas reads its own file directives from a file's header, recomputes the folder's
``atlas.sum`` before it touches the database, cuts each file into statements with its own
lexer and records every file in ``atlas_schema_revisions``. This module holds those rules, as
read from ariga/atlas (``sql/migrate/dir.go``, ``lex.go``, ``migrate.go``,
``cmd/atlas/internal/cmdapi/migrate.go``, ``cmd/atlas/internal/migrate``); the folder itself
is read by :mod:`~migration_harness.sets.layouts.atlas`. Sources in ``docs/RUNNERS.md``.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from migration_harness.sets.records import Migration
from migration_harness.sets.rowshapes import Row
from migration_harness.sets.sql import Statement, split_statements

Sql = Sequence[tuple[str, tuple[object, ...]]]
SUM_FILE: Final = "atlas.sum"
# dir.go reDirective: a directive is matched from the start of the text it is given (a
# header comment, or the whole file for atlas:sum and atlas:delimiter), so on its first line.
_DIRECTIVE: Final = re.compile(r"^([ -~]*)atlas:(\w+)(?: +(.+))*")
# cmdapi's revisionID row: the table's own identifier, never a migration.
CLOUD_IDENTIFIER: Final = ".atlas_cloud_identifier"


def directive(text: str, name: str, prefix: str | None = None) -> str | None:
    """``directive`` of dir.go: the argument of ``atlas:<name>`` on the text's first line."""
    match = _DIRECTIVE.match(text)
    if match is None or match.group(2) != name:
        return None
    if prefix is not None and match.group(1) != prefix:
        return None
    return match.group(3) or ""


def file_directives(text: str, name: str) -> list[str]:
    """``LocalFile.Directive``: the header comments' ``atlas:<name>`` arguments.

    The header is the leading lines that start with ``#`` or ``--``; it counts only when a
    blank line separates it from the first statement (or nothing follows it), so a comment
    attached to a statement is never a directive.
    """
    comments: list[str] = []
    content = text
    while content.startswith(("#", "--")):
        at = content.find("\n")
        if at == -1:
            comments.append(content)
            content = ""
            break
        comments.append(content[:at].strip())
        content = content[at + 1 :]
    if content and not content.lstrip(" \t").startswith("\n"):
        return []
    found = (directive(c, name) for c in comments)
    return [d for d in found if d is not None]


def sum_hashes(files: Sequence[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """``NewHashFile``: each file's entry of ``atlas.sum``, in name order.

    One SHA-256 runs over every file's name and bytes in turn, and each entry is the
    running digest so far, so an edit to one file changes its entry and every later one.
    A file whose first line says ``atlas:sum ignore`` adds its name only, and no entry.
    """
    running = hashlib.sha256()
    entries: list[tuple[str, str]] = []
    for name, data in files:
        running.update(name.encode())
        if directive(data.decode("utf-8", "replace"), "sum") == "ignore":
            continue
        running.update(data)
        entries.append((name, base64.b64encode(running.digest()).decode()))
    return entries


def _total(entries: Sequence[tuple[str, str]]) -> str:
    """``HashFile.Sum``: SHA-256 of every entry's name and hash (the file's first line)."""
    digest = hashlib.sha256()
    for name, value in entries:
        digest.update(name.encode())
        digest.update(value.encode())
    return base64.b64encode(digest.digest()).decode()


@dataclass(frozen=True, slots=True)
class SumMismatch:
    """Why ``migrate.Validate`` refuses the folder: the file and the reason, in Atlas's words."""

    file: str
    reason: str


def sum_mismatch(text: str | None, files: Sequence[tuple[str, bytes]]) -> SumMismatch | None:
    """What ``migrate.Validate`` reports for ``atlas.sum`` (``text``) against the files.

    ``None``: they agree, and ``atlas migrate apply`` goes on. ``text`` ``None``: there is
    no sum file (``ErrChecksumNotFound`` once any file exists).
    """
    computed = sum_hashes(files)
    if text is None:
        return SumMismatch(files[0][0], "no atlas.sum") if files else None
    lines = text.splitlines()
    listed: list[tuple[str, str]] = []
    for line in lines[1:]:
        parts = line.split("h1:", 1)
        if len(parts) != 2:
            return SumMismatch(SUM_FILE, "checksum file format invalid")
        listed.append((parts[0].strip(), parts[1]))
    first = lines[0].removeprefix("h1:") if lines else ""
    if first != _total(listed):
        return SumMismatch(SUM_FILE, "atlas.sum itself was edited")
    if _total(listed) == _total(computed):
        return None
    return _first_difference(listed, computed)


def _first_difference(
    listed: Sequence[tuple[str, str]], computed: Sequence[tuple[str, str]]
) -> SumMismatch:
    """The file ``Validate`` names: the first entry that differs, and why (dir.go)."""
    names = [name for name, _ in computed]
    for at, entry in enumerate(listed):
        if at < len(computed) and computed[at] == entry:
            continue
        if entry[0] not in names:
            return SumMismatch(entry[0], "removed")
        if names.index(entry[0]) == at:
            return SumMismatch(entry[0], "edited")
        return SumMismatch(computed[at][0], "added")
    return SumMismatch(computed[len(listed)][0], "added")


def unescape_delimiter(value: str) -> str:
    r"""``setDelim``: ``\n``, ``\r`` and ``\t`` in a delimiter directive are the characters."""
    return value.replace("\\n", "\n").replace("\\r", "\r").replace("\\t", "\t")


def atlas_plan(sql: str) -> tuple[Statement, ...]:
    """Atlas's statements of a file: SQLite's own, or the pieces a delimiter directive cuts.

    Without ``-- atlas:delimiter`` the lexer ends a statement at ``;`` and keeps a trigger's
    ``BEGIN … END`` whole (``MatchBegin``), as SQLite does. With it, on the file's first
    line, the rest of the file is cut at that delimiter (removed from each piece), and each
    piece goes to one ``ExecContext``, which runs every statement it holds (mattn).
    """
    value = directive(sql, "delimiter", "-- ")
    if not value or "\n" not in sql:
        return tuple(split_statements(sql))
    delimiter = unescape_delimiter(value)
    rest = sql.split("\n", 1)[1]
    statements: list[Statement] = []
    line = 2
    for piece in rest.split(delimiter):
        if piece.strip():
            statements.extend(_piece(piece, line))
        line += piece.count("\n") + delimiter.count("\n")
    return tuple(statements)


def _piece(piece: str, line: int) -> list[Statement]:
    """One delimited piece's statements; a piece without a final ``;`` is one Exec all the same."""
    text = piece if sqlite3.complete_statement(piece) else piece.rstrip() + "\n;"
    if not sqlite3.complete_statement(text):
        return [Statement(piece.strip(), line, terminated=False, complete=False)]
    return [
        Statement(s.sql, line + s.line - 1, s.terminated, s.complete)
        for s in split_statements(text)
    ]


# cmd/atlas/internal/migrate/ent/migrate/schema.go (AtlasSchemaRevisionsColumns), as Ent's
# SQLite dialect creates it: created by `Migrate` before any file runs, outside their
# transactions.
ATLAS_DDL: Final = (
    "CREATE TABLE IF NOT EXISTS `atlas_schema_revisions` (`version` text NOT NULL, "
    "`description` text NOT NULL, `type` integer NOT NULL DEFAULT (2), "
    "`applied` integer NOT NULL DEFAULT (0), `total` integer NOT NULL DEFAULT (0), "
    "`executed_at` datetime NOT NULL, `execution_time` integer NOT NULL, `error` text NULL, "
    "`error_stmt` text NULL, `hash` text NOT NULL, `partial_hashes` json NULL, "
    "`operator_version` text NOT NULL, PRIMARY KEY (`version`))",
)


def atlas_rows(table: str, migration: Migration) -> Sql:
    """The revision ``Executor.Execute`` leaves for a file that ran whole.

    Type 2 (``RevisionTypeExecute``), ``applied = total`` (a smaller ``applied`` is a
    partially applied file Atlas resumes), and the file's ``atlas.sum`` entry as its hash.
    """
    data = migration.runner_data
    sql = (
        f"INSERT INTO `{table}` (`version`, `description`, `type`, `applied`, `total`, "
        "`executed_at`, `execution_time`, `hash`, `operator_version`) VALUES "
        "(?, ?, 2, ?, ?, strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'), 0, ?, "
        "'Atlas CLI (migration-harness)')"
    )
    total = int(str(data.get("total", 0)))
    params = (
        str(data.get("version", migration.version)),
        str(data.get("description", "")),
        total,
        total,
        str(data.get("hash", "")),
    )
    return ((sql, params),)


def atlas_read(conn: sqlite3.Connection, table: str) -> list[Row]:
    """Atlas's revisions by version (``ReadRevisions`` orders by it), its identifier left out.

    A revision with fewer statements applied than the file holds is a file that failed
    half-way without a transaction (``--tx-mode none``): dirty, as Atlas resumes it.
    """
    found = conn.execute(
        f"SELECT `version`, `executed_at`, `applied`, `total` FROM `{table}` "
        "WHERE `version` != ? ORDER BY `version`",
        (CLOUD_IDENTIFIER,),
    ).fetchall()
    return [Row(str(v), str(t or "")[:19], a != n) for v, t, a, n in found]
