"""Where a ``--data`` source is: a database file, a SQL dump, or a local D1 of wrangler.

Only paths and names are decided here; nothing is opened for writing. The digest names the
exact bytes a run judged, so a regression file found on them can say which copy replays it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from migration_harness.errors import DataSourceError

D1_PREFIX: Final = "d1:local:"
# Where wrangler keeps a local D1 under its state folder (`--persist-to` replaces
# `.wrangler/state`): one SQLite file per database, named by Miniflare's object id.
D1_FOLDER: Final = Path("v3") / "d1" / "miniflare-D1DatabaseObject"
SQLITE_MAGIC: Final = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class Source:
    """A real database to judge the pending migrations on.

    Attributes:
        spec: as the user wrote it (``prod.db``, ``dump.sql``, ``d1:local:DB``); the only
            name reports use, so a report never shows more of the machine than was given.
        path: the file read.
        kind: ``database`` (a SQLite file) or ``dump`` (SQL text).
        digest: SHA-256 of the file's bytes.
        size: the file's size in bytes.
    """

    spec: str
    path: Path
    kind: str
    digest: str
    size: int


def resolve(spec: str, root: Path, persist_to: Path | None = None) -> Source:
    """The source ``spec`` names (relative paths from the working folder).

    Args:
        spec: a file, or ``d1:local:<binding>``.
        root: the set's folder, whose wrangler state is searched for ``d1:local:``.
        persist_to: wrangler's ``--persist-to`` folder (default: ``.wrangler/state``
            beside the set or in the working folder).
    """
    path = _d1_file(spec, root, persist_to) if spec.startswith(D1_PREFIX) else Path(spec)
    if not path.is_file():
        message = f"--data {spec}: no such file (a SQLite database, a SQL dump or {D1_PREFIX}DB)"
        raise DataSourceError(message)
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    kind = "database" if head == SQLITE_MAGIC else "dump"
    return Source(spec, path, kind, digest_of(path), path.stat().st_size)


def digest_of(path: Path) -> str:
    """SHA-256 of a file, read in blocks (a production copy can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to a database file (``mode=ro``: SQLite cannot write it)."""
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error as exc:
        message = f"--data {path}: {_unreadable_because(exc)} ({exc})"
        raise DataSourceError(message) from exc
    return conn


def _unreadable_because(exc: sqlite3.Error) -> str:
    """Why SQLite could not read the copy, in words (``status`` says the same for ``--db``).

    "cannot read the database (attempt to write a readonly database)" for a copy with a
    hot journal sent users after permissions; a held lock or a cut file read alike.
    """
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_READONLY_ROLLBACK":
        return (
            "has a hot journal (a write was interrupted) that only a writer can recover; "
            "--data opens it read-only (open it once with sqlite3, or copy it after)"
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "locked by another process"
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return "a damaged or truncated SQLite file"
    return "cannot read the database"


def _d1_file(spec: str, root: Path, persist_to: Path | None) -> Path:
    """The SQLite file Miniflare keeps for a local D1 binding.

    Miniflare names the file by an object id derived from the database id; rather than
    re-derive it, the folder's databases are read: one file, or the one holding
    wrangler's ``d1_migrations``, is the binding's. Several candidates are an error that
    names them, so the user can pass the file itself.
    """
    binding = spec.removeprefix(D1_PREFIX)
    states = [persist_to] if persist_to else [root / ".wrangler" / "state"]
    if persist_to is None:
        states += [root.parent / ".wrangler" / "state", Path(".wrangler") / "state"]
    for state in states:
        folder = state / D1_FOLDER
        files = sorted(p for p in folder.glob("*.sqlite") if p.name != "metadata.sqlite")
        if not files:
            continue
        tracked = [p for p in files if _has_d1_migrations(p)]
        chosen = tracked if len(files) > 1 and tracked else files
        if len(chosen) == 1:
            return chosen[0]
        names = ", ".join(str(p) for p in chosen)
        message = f"--data {spec}: several local D1 databases in {folder} ({names}); pass the file"
        raise DataSourceError(message)
    where = ", ".join(str(s / D1_FOLDER) for s in states)
    message = (
        f"--data {spec}: no local D1 database for binding {binding} in {where} "
        "(run `wrangler d1 migrations apply --local`, or pass --persist-to)"
    )
    raise DataSourceError(message)


def _has_d1_migrations(path: Path) -> bool:
    """Whether the file is a database holding wrangler's tracking table (read-only)."""
    try:
        conn = open_read_only(path)
    except DataSourceError:
        return False
    try:
        row = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'd1_migrations'"
        ).fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return row is not None
