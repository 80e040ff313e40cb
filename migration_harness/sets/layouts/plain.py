"""This project's layout and wrangler's: ``NNNN_name.sql``, forward files in one folder.

The harness layout pairs them with ``rollbacks/NNNN_rollback.sql`` by version; wrangler's
D1 projects run forward only, in the order ``wrangler d1 migrations apply`` uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

from migration_harness.errors import DuplicateVersionError, OrphanRollbackError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration, MigrationSet

# What a runner that keys files by version number does with two files sharing one, in its
# own words (each read in the runner's source; docs/RUNNERS.md). wrangler and a shell loop
# track whole names and run both; these do not.
SHARED_VERSION_REFUSALS: Final = {
    # sqlx-core migrate/source.rs resolves both (no duplicate check) and sorts them by
    # version; Migrator::run applies the first, then the second's INSERT INTO
    # _sqlx_migrations breaks `version BIGINT PRIMARY KEY` and its transaction rolls back.
    "sqlx": (
        "sqlx applies the first and fails on the second: UNIQUE constraint failed: "
        "_sqlx_migrations.version"
    ),
    # golang-migrate source/iofs: Migrations.Append refuses a second up file per version.
    "golang-migrate": "golang-migrate refuses the folder: duplicate migration file",
    # pressly/goose: "found duplicate migration version".
    "goose": "goose refuses the folder: found duplicate migration version",
}


def find_wrangler(texts: Mapping[Path, str]) -> list[Migration]:
    """A wrangler D1 project's files, in the order ``wrangler d1 migrations apply`` runs them.

    wrangler tracks files by their whole name and sorts them by the number before the
    first ``_`` (a stable sort: equal numbers keep the folder's name order), so two files
    may share a number and both run. Then the set's versions are the files' positions in
    that order (1, 2, ...): each must be unique here, and names still identify files.
    """
    numbered = sorted(((files.parse_name(p, ".sql")[0], p) for p in texts), key=lambda x: x[0])
    if len({n for n, _ in numbered}) == len(numbered):
        return find_flat(texts)
    return [
        files.build_migration(position, path, texts[path], None, None, empty_ok=True)
        for position, (_, path) in enumerate(numbered, start=1)
    ]


def find_flat(texts: Mapping[Path, str]) -> list[Migration]:
    """Wrangler D1 (and sqlx's reversible-less) layout: ``NNNN_name.sql``, forward only."""
    by_version: dict[int, Migration] = {}
    for path, text in texts.items():
        version, _ = files.parse_name(path, ".sql")
        files.claim(by_version, version, path)
        by_version[version] = files.build_migration(version, path, text, None, None, empty_ok=True)
    return list(by_version.values())


def find_harness(texts: Mapping[Path, str], rb_dir: Path) -> list[Migration]:
    """This project's layout: ``migrations/NNNN_name.sql`` + ``rollbacks/NNNN_rollback.sql``."""
    forward = {m.version: m for m in find_flat(texts)}
    downs: dict[int, Path] = {}
    for path in files.sql_files(rb_dir):
        version, _ = files.parse_name(path, ".sql")
        if version in downs:
            message = (
                f"{path}: version {version} also used by {downs[version].name}; "
                "keep one rollback per version"
            )
            raise DuplicateVersionError(message)
        if version not in forward:
            message = f"{path}: rollback for version {version}, which has no migration"
            raise OrphanRollbackError(message + " (remove it or add the migration)")
        downs[version] = path
    result = []
    for version, m in forward.items():
        down = downs.get(version)
        down_sql = files.down_text(down) if down else None
        result.append(
            files.build_migration(version, m.path, m.up_sql, down_sql, down, empty_ok=True)
        )
    return result


def refuse_shared_versions(mset: MigrationSet, target: str) -> None:
    """Refuse a flat folder whose files share a number under a runner keyed by version.

    :func:`find_wrangler` accepts two ``0008_`` files because wrangler (and a script
    running files in name order) tracks whole names and runs both; sqlx, golang-migrate
    and goose key each file by its number and refuse or fail on the second, so checking
    the set under their rules would check a history they never run.

    Raises:
        DuplicateVersionError: two files share a number and ``target`` keys by version.

    """
    why = SHARED_VERSION_REFUSALS.get(target)
    if why is None or mset.layout != "wrangler":
        return
    seen: dict[int, Path] = {}
    for migration in mset.migrations:
        number, _ = files.parse_name(migration.path, ".sql")
        if number in seen:
            message = (
                f"{migration.path}: version {number:04d} also used by {seen[number].name} "
                f"({why}); rename one"
            )
            raise DuplicateVersionError(message)
        seen[number] = migration.path
