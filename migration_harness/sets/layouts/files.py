"""What every layout reader shares: reading a file, naming its version, checking its SQL.

Each check raises here, before any database is touched, so a bad set never half-applies,
and every layout words the same problem the same way.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

from migration_harness.errors import BadFileError, DuplicateVersionError, UnknownLayoutError
from migration_harness.sets.records import Migration
from migration_harness.sets.sql import is_blank, runs_nothing

# The uniform per-file option for a runner's "run this file outside a transaction".
NO_TRANSACTION: Final = MappingProxyType({"transaction": False})
NO_OPTIONS: Final[Mapping[str, object]] = MappingProxyType({})
_HINT: Final = "check its permissions"
# Why a listed file cannot be read, beyond permissions: the symlinks a folder can hold.
_HINTS: Final[dict[int | None, str]] = {
    errno.ENOENT: "a symlink to nothing: point it at the file or delete it",
    errno.ELOOP: "a symlink loop: point it at the file or delete it",
}
_VERSIONED = re.compile(r"^[Vv]?(\d+)(?:[_\-.]+(.*))?$")


def at_line(section: str, line: int) -> str:
    """``section`` preceded by blank lines so that its first line is the file's ``line``."""
    return "\n" * (line - 1) + section


def looks_versioned(name: str) -> bool:
    """Whether ``name`` (without ``.sql``) starts as a migration's does (``0003_x``, ``V3__x``)."""
    return _VERSIONED.match(name.removesuffix(".sql")) is not None


def parse_name(path: Path, suffix: str) -> tuple[int, str]:
    """``0001_users.sql`` -> ``(1, "users")``; anything unversioned is a clear error."""
    stem = path.name[: -len(suffix)]
    match = _VERSIONED.match(stem)
    if not match:
        message = f"{path}: file name does not start with a version number (e.g. 0001_name.sql)"
        raise UnknownLayoutError(message)
    return int(match.group(1)), match.group(2) or ""


def claim(by_version: Mapping[int, Migration], version: int, path: Path) -> None:
    """Refuse a second file for a version already taken."""
    if version in by_version:
        other = by_version[version].path
        message = f"{path}: version {version:04d} also used by {other.name}; rename one"
        raise DuplicateVersionError(message)


def build_migration(
    version: int,
    path: Path,
    up_sql: str,
    down_sql: str | None,
    down_path: Path | None,
    *,
    empty_ok: bool = False,
) -> Migration:
    """Build a :class:`Migration` after checking its forward SQL is usable.

    ``empty_ok``: the runner runs an empty or comment-only file as an empty migration
    (golang-migrate, sqlx) instead of refusing it.
    """
    if not empty_ok:
        check_sql(path, up_sql, what="migration")
    name = path.name.removesuffix(".sql").removesuffix(".up")
    return Migration(version, name, up_sql, down_sql, path, checksum(up_sql), down_path)


def down_text(path: Path) -> str | None:
    """A rollback's SQL; a file that runs nothing counts as no rollback at all.

    Real histories (golang-migrate, sqlx) often ship empty down files for migrations nobody
    can reverse; treating them as missing reports them once instead of crashing. A file of
    only comments and ``;`` runs nothing either (every runner sends SQLite empty
    statements), so it is missing too, never a rollback that "works".
    """
    text = read(path, allow_empty=True)
    if runs_nothing(text):
        return None
    check_sql(path, text, what="rollback")
    return text


def check_sql(path: Path, text: str, *, what: str) -> None:
    """Refuse a file with no statement where its runner refuses one.

    SQL that does not parse is not refused here: production fails on it too, so it is
    the file's ``apply_error``/``rollback_error`` (issue 14), reported with the rest.
    """
    if is_blank(text):
        message = f"{path}: {what} holds no SQL statement (write one or delete the file)"
        raise BadFileError(message)


def read(path: Path, *, allow_empty: bool = False) -> str:
    """Decode a file as UTF-8 (a BOM is allowed), naming the byte that is not.

    A name that is not UTF-8 is refused too: the runners store it as text (wrangler's
    ``d1_migrations.name``), and the harness could not write or print it.
    """
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError as exc:
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        message = f"{shown}: file name is not valid UTF-8 (rename the file)"
        raise BadFileError(message) from exc
    try:
        _refuse_special(path)
        data = path.read_bytes()
    except OSError as exc:
        raise BadFileError(unreadable(path, exc)) from exc
    if not data and not allow_empty:
        message = f"{path}: file is empty (write the migration or delete the file)"
        raise BadFileError(message)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Windows editors' "Unicode": the NUL of every other byte read as "a NUL byte at 1".
        message = f"{path}: is UTF-16 (it starts with a UTF-16 byte-order mark; save it as UTF-8)"
        raise BadFileError(message)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"{path}: not valid UTF-8 at byte {exc.start} (save the file as UTF-8)"
        raise BadFileError(message) from exc
    if "\x00" in text:
        # SQLite's API takes NUL-terminated SQL: no runner could send this file whole.
        message = f"{path}: holds a NUL byte at byte {data.index(0)} (not a text file)"
        raise BadFileError(message)
    return text


def unreadable(path: Path | str, exc: OSError) -> str:
    """The one-line message for a file or folder the OS refuses to read, and the fix."""
    return f"{path}: cannot be read ({exc.strerror}; {_HINTS.get(exc.errno, _HINT)})"


def sql_files(folder: Path, *, any_case: bool = False) -> list[Path]:
    """The folder's entries named ``*.sql`` that are not folders, by name.

    A dangling symlink, a symlink loop or a FIFO named like a migration is listed, so
    that :func:`read` refuses it by name: every runner lists the folder by name
    (wrangler's ``readdirSync`` filtered on ``.sql``, golang-migrate's ``ReadDir``
    skipping only folders) and then fails to read it, or waits on the FIFO for good.
    ``Path.is_file`` dropped them, and ``migrate`` applied the rest with exit 0.
    """
    return sorted(
        p
        for p in folder.iterdir()
        if (p.suffix.lower() if any_case else p.suffix) == ".sql" and not p.is_dir()
    )


def _refuse_special(path: Path) -> None:
    """Refuse what is no regular file before reading it (a FIFO's read never returns).

    Raises:
        OSError: the file cannot be reached (dangling symlink, loop, permissions).
        BadFileError: a FIFO, socket or device.
    """
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket or device"
        message = f"{path}: is {kind}, not a file (a runner reading it would wait or fail)"
        raise BadFileError(message)


def checksum(text: str) -> str:
    """SHA-256 of the SQL text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
