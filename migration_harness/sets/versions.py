"""Versions as people name them on the command line, and where a version stands in a set.

``--to base`` means before the first migration; ``--to 0`` means version 0 where the set has
one (drizzle numbers its first file ``0000``), else before the first migration as well.
"""

from __future__ import annotations

from typing import Final

from migration_harness.errors import UnknownVersionError
from migration_harness.sets.discovery import MigrationSet

# `--to base`: before the first migration, whatever the first version is (drizzle's is 0).
BASE: Final = "base"
BEFORE_FIRST: Final = -1


def version_named(mset: MigrationSet, ref: str) -> int:
    """The version a person names on the command line, as the set names it.

    Accepted, in this order: ``base`` (before the first migration, :data:`BEFORE_FIRST`);
    ``0`` (version 0 when the set has one, as drizzle's ``0000_…``, else before the first
    migration); a migration's name
    (``20240101120000_users``, its file name or tracking id); its version number as
    written (``20240101120000``, ``0007``); and, for reproduction steps written before
    steps named versions, a position (``17``) when no version has that number, so it
    cannot mean two migrations.

    Raises:
        UnknownVersionError: nothing of the set is called ``ref`` (close names suggested).

    """
    text = ref.strip()
    if text == BASE:
        return BEFORE_FIRST
    if text == "0":
        return 0  # version 0 where the set has one (drizzle's 0000_…), else before the first
    for migration in mset.migrations:
        if text in (migration.label, migration.id, migration.path.name, migration.path.stem):
            return migration.version
    if text.isdigit():
        number = int(text)
        if number in mset.versions:
            return number
        if 1 <= number <= len(mset.migrations):
            return mset.migrations[number - 1].version
    import difflib

    names = [m.label for m in mset.migrations]
    close = difflib.get_close_matches(text, names, n=1)
    known = ", ".join(str(v) for v in mset.versions) or "none"
    hint = f"did you mean {close[0]}?" if close else f"known: {known}"
    message = f"{mset.migrations_dir}: no migration has version {text} ({hint})"
    raise UnknownVersionError(message)


def position(mset: MigrationSet, version: int) -> int:
    """How many migrations a database at ``version`` has applied (0: none).

    Unlike :meth:`MigrationSet.index_of`, version 0 is a migration when the set has one
    (drizzle numbers its first file ``0000``); :data:`BEFORE_FIRST` is always none.
    """
    if version == BEFORE_FIRST:
        return 0
    for i, migration in enumerate(mset.migrations, start=1):
        if migration.version == version:
            return i
    return mset.index_of(version)
