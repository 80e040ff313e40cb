r"""rusqlite_migration (Rust): ``<id>-<name>/up.sql`` (+ ``down.sql``), tracked by ``user_version``.

``Migrations::from_directory`` (rusqlite_migration/src/loader.rs) reads every folder directly
inside the migrations folder: the id is the folder name before its first ``-``, parsed as a
non-zero ``usize``; ``up.sql`` is required, ``down.sql`` optional (a missing one becomes an
empty down, ``M::down("")``). Ids must run ``1..N`` without a gap or a repeat, so a
migration's id is also the ``PRAGMA user_version`` the library writes once it has run.

diesel keeps the same ``up.sql``/``down.sql`` folders but names them
``<timestamp>_<name>`` (the version is everything before the first ``_`` with ``-``
removed): ``01-users`` is no diesel version, while ``2024-01-01-000000_users`` reads as a
rusqlite id (2024) too. So a ``Cargo.toml`` depending on ``rusqlite_migration`` (looked up
to the project root) decides; without it, only folders diesel cannot read and
rusqlite_migration can are taken as its set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError, UnknownLayoutError
from migration_harness.sets.layouts import files
from migration_harness.sets.layouts.refinery import names_crates
from migration_harness.sets.records import Migration

CRATES: Final = ("rusqlite_migration", "rusqlite-migration")


def folders(mig_dir: Path) -> list[Path]:
    """The folders ``from_directory`` reads: every folder directly inside (dot-folders aside)."""
    return sorted(p for p in mig_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


def migration_id(name: str) -> int | None:
    """``get_id``: the folder name before its first ``-`` as a non-zero integer, else ``None``."""
    head, dash, _ = name.partition("-")
    if not dash or not head.isascii() or not head.isdigit() or int(head) == 0:
        return None
    return int(head)


def names_rusqlite(mig_dir: Path) -> bool:
    """Whether the project's ``Cargo.toml`` (up to its root) depends on rusqlite_migration."""
    return names_crates(mig_dir, CRATES) is not None


def is_rusqlite(mig_dir: Path) -> bool:
    """rusqlite_migration's folders: named by the manifest, or unreadable as diesel's.

    Every folder must carry an id, and one an ``up.sql`` (a folder without one is then
    refused as the library refuses it). With the manifest that is enough; without it the
    names must also be ones diesel refuses (``01-users``: the part before ``_`` is not
    digits and dashes), so a diesel set never changes runner.
    """
    found = folders(mig_dir)
    if not any((f / "up.sql").is_file() for f in found):
        return False
    if any(migration_id(f.name) is None for f in found):
        return False
    return names_rusqlite(mig_dir) or not any(_diesel_version(f.name) for f in found)


def _diesel_version(name: str) -> bool:
    """Whether diesel reads a version from this folder name (digits and ``-`` before ``_``)."""
    prefix = name.split("_", 1)[0].replace("-", "")
    return prefix.isdigit()


def find_rusqlite(mig_dir: Path) -> list[Migration]:
    """Every migration ``from_directory`` loads, in id order.

    Raises:
        UnknownLayoutError: no migration folder (``Directory does not contain any
            migration files``).
        BadFileError: a folder without an id or an ``up.sql``, a repeated id, or ids that
            are not ``1..N`` (``Migration ids must be consecutive numbers``): the library
            refuses the whole set, so the harness does too.

    """
    found = folders(mig_dir)
    if not found:
        message = f"{mig_dir}: no migration folders (rusqlite_migration refuses an empty set)"
        raise UnknownLayoutError(message)
    by_id: dict[int, Migration] = {}
    for folder in found:
        ident = migration_id(folder.name)
        if ident is None:
            message = (
                f"{folder}: rusqlite_migration cannot read a migration id from this name "
                "(it wants <number>-<name>, the number from 1) and refuses the set"
            )
            raise BadFileError(message)
        up = folder / "up.sql"
        if not up.is_file():
            message = f"{folder}: no up.sql (rusqlite_migration: Missing upward migration file)"
            raise BadFileError(message)
        if ident in by_id:
            other = by_id[ident].path.parent.name
            message = f"{folder}: migration id {ident} also used by {other} (refused)"
            raise BadFileError(message)
        by_id[ident] = _migration(folder, ident, up)
    expected = list(range(1, len(found) + 1))
    if sorted(by_id) != expected:
        message = (
            f"{mig_dir}: rusqlite_migration refuses these ids ({', '.join(map(str, sorted(by_id)))}"
            "): migration ids must be consecutive numbers from 1"
        )
        raise BadFileError(message)
    return [by_id[i] for i in expected]


def _migration(folder: Path, ident: int, up: Path) -> Migration:
    """One migration; an empty ``up.sql`` runs nothing (``execute_batch("")``).

    A missing or empty ``down.sql`` is an empty down to the library (it moves
    ``user_version`` back and leaves the schema): the harness reports it as a missing
    rollback, as it does an empty down file of any runner.
    """
    up_sql = files.read(up, allow_empty=True)
    down = folder / "down.sql"
    down_path = down if down.is_file() else None
    return Migration(
        ident,
        folder.name,
        up_sql,
        files.down_text(down_path) if down_path else None,
        up,
        files.checksum(up_sql),
        down_path,
        key=folder.name,
    )
