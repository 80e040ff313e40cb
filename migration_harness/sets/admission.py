"""Which files of a set the chosen runner reads at all, decided once the target is known.

Discovery reads a folder by its layout; some rules belong to the runner instead: two flat
files sharing a number run under wrangler but not under sqlx, and a goose file numbered 0
is refused by goose v3's CLI and skipped by liamstask goose. Checking files the runner
never runs (or refuses) would report on a history production never has.
"""

from __future__ import annotations

from dataclasses import replace

from migration_harness.errors import BadFileError
from migration_harness.sets.folders import folder_notes
from migration_harness.sets.layouts.drizzle import has_journal
from migration_harness.sets.layouts.plain import refuse_shared_versions
from migration_harness.sets.records import MigrationSet

__all__ = ["for_target"]


def for_target(mset: MigrationSet, target: str) -> tuple[MigrationSet, tuple[str, ...]]:
    """``mset`` as ``target`` reads it, and a note for each file it leaves out.

    The set's own notes (what its layout's reader left out, as a Flyway baseline's skips)
    come first, so every command shows them where it shows the target's.

    Raises:
        DiscoveryError: the runner refuses the folder (shared numbers, a goose v3
            ``.sql`` file numbered 0), one line naming the file.

    """
    refuse_shared_versions(mset, target)
    folders = folder_notes(mset, target)
    if mset.layout == "drizzle":
        return mset, (*mset.notes, *_unlisted(mset))
    if mset.layout != "goose" or not any(m.version == 0 for m in mset.migrations):
        return mset, (*mset.notes, *folders)
    admitted, notes = _without_version_zero(mset, target)
    return admitted, (*mset.notes, *notes, *folders)


def _unlisted(mset: MigrationSet) -> tuple[str, ...]:
    """A note for each ``.sql`` file of a drizzle folder its journal does not list.

    drizzle's migrator runs the journal's entries only (``readMigrationFiles``): a file
    left behind by a rebase or a deleted entry never runs, and a team should know that the
    harness did not check it either (zerobyte's 0023_chemical_deathbird).
    """
    listed = {m.path.resolve() for m in mset.migrations}
    # drizzle-kit v1 has no journal: its migrator reads <folder>/migration.sql only.
    where = "meta/_journal.json" if has_journal(mset.migrations_dir) else "a migration folder"
    return tuple(
        f"{path}: not in {where}: drizzle never runs it, so it is not checked"
        for path in sorted(mset.migrations_dir.glob("*.sql"))
        if path.resolve() not in listed
    )


def _without_version_zero(mset: MigrationSet, target: str) -> tuple[MigrationSet, tuple[str, ...]]:
    """Goose's version-0 files: refused or skipped as the runner does.

    goose keeps version 0 for the row it writes when it creates ``goose_db_version``.
    pressly/goose ``NumericComponent`` (migration.go) refuses ``n < 1``; the CLI's
    ``collectMigrationsFS`` (migrate.go) turns that into an error for a ``.sql`` file
    ("could not parse SQL migration file") and skips a ``.go`` one
    (``collectGoMigrations``). liamstask goose's ``CollectMigrations`` keeps only files
    whose ``NumericComponent`` succeeds, so it skips both ("migration IDs must be greater
    than zero").
    """
    kept, notes = [], []
    for migration in mset.migrations:
        if migration.version != 0:
            kept.append(migration)
            continue
        name = migration.path.name
        if target == "goose" and migration.program is None:
            message = (
                f"{migration.path}: could not parse SQL migration file {name!r}: migration "
                "version must be greater than zero (goose keeps version 0 for its own first "
                "row; renumber the file from 1)"
            )
            raise BadFileError(message)
        if target not in ("goose", "goose-v1"):
            kept.append(migration)
            continue
        notes.append(
            f"{migration.path}: {target} skips it (migration version must be greater than "
            "zero): it never runs, so it is not checked"
        )
    ordered = tuple(
        replace(m, previous=kept[i - 1].version if i else 0) for i, m in enumerate(kept)
    )
    return replace(mset, migrations=ordered), tuple(notes)
