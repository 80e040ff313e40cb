"""This project's layout and wrangler's: ``NNNN_name.sql``, forward files in one folder.

The harness layout pairs them with ``rollbacks/NNNN_rollback.sql`` by version; wrangler's
D1 projects run forward only, in the order ``wrangler d1 migrations apply`` uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from migration_harness.errors import DuplicateVersionError, OrphanRollbackError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration


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
        files.build_migration(position, path, texts[path], None, None)
        for position, (_, path) in enumerate(numbered, start=1)
    ]


def find_flat(texts: Mapping[Path, str]) -> list[Migration]:
    """Wrangler D1 (and sqlx's reversible-less) layout: ``NNNN_name.sql``, forward only."""
    by_version: dict[int, Migration] = {}
    for path, text in texts.items():
        version, _ = files.parse_name(path, ".sql")
        files.claim(by_version, version, path)
        by_version[version] = files.build_migration(version, path, text, None, None)
    return list(by_version.values())


def find_harness(texts: Mapping[Path, str], rb_dir: Path) -> list[Migration]:
    """This project's layout: ``migrations/NNNN_name.sql`` + ``rollbacks/NNNN_rollback.sql``."""
    forward = {m.version: m for m in find_flat(texts)}
    downs: dict[int, Path] = {}
    for path in sorted(p for p in rb_dir.iterdir() if p.is_file() and p.suffix == ".sql"):
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
        result.append(files.build_migration(version, m.path, m.up_sql, down_sql, down))
    return result
