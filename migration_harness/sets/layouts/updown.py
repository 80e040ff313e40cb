"""golang-migrate and sqlx: ``NNN_name.up.sql`` paired with ``NNN_name.down.sql``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Final

from migration_harness.errors import DuplicateVersionError, OrphanRollbackError, UnknownLayoutError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration

SQLX_NO_TX: Final = "-- no-transaction"
# golang-migrate's source.DefaultParse: a name it cannot match is skipped, never run.
# ``30_ignore_autotag.up..sql`` (stash) matches, with ``.sql`` as its extension.
GOLANG_NAME: Final = re.compile(r"^([0-9]+)_(.*)\.(down|up)\.(.*)$")


def find_updown(paths: Iterable[Path], *, simple_ok: bool) -> list[Migration]:
    """golang-migrate / sqlx: ``NNN_name.up.sql`` paired with ``NNN_name.down.sql``.

    sqlx also runs forward-only ``NNN_name.sql`` files (``simple_ok``); a file starting with
    ``-- no-transaction`` asks sqlx to run it outside a transaction (sqlx-core
    ``migrate/source.rs``: ``sql.starts_with("-- no-transaction")``).
    """
    ups: dict[int, Path] = {}
    downs: dict[int, Path] = {}
    for path in paths:
        if path.name.endswith(".up.sql"):
            table, suffix = ups, ".up.sql"
        elif path.name.endswith(".down.sql"):
            table, suffix = downs, ".down.sql"
        elif simple_ok:
            table, suffix = ups, ".sql"
        else:
            message = f"{path}: neither .up.sql nor .down.sql in an up/down set (rename it)"
            raise UnknownLayoutError(message)
        version, _ = files.parse_name(path, suffix)
        if version in table:
            message = f"{path}: version {version} also used by {table[version].name}; rename one"
            raise DuplicateVersionError(message)
        table[version] = path
    for version, path in downs.items():
        if version not in ups:
            message = f"{path}: down file for version {version}, which has no up file"
            raise OrphanRollbackError(message + " (remove it or add the migration)")
    result = []
    for version, up in ups.items():
        down = downs.get(version)
        down_sql = files.down_text(down) if down else None
        # golang-migrate's sqlite3 driver Execs the whole body and sqlx runs every
        # statement it holds: an empty or comment-only up file is an empty migration.
        up_sql = files.read(up, allow_empty=True)
        migration = files.build_migration(version, up, up_sql, down_sql, down, empty_ok=True)
        result.append(
            replace(
                migration,
                up_options=sqlx_options(migration.up_sql),
                down_options=sqlx_options(down_sql or ""),
            )
        )
    return result


def sqlx_options(text: str) -> Mapping[str, object]:
    """Sqlx's opt-out: the file's first bytes are ``-- no-transaction``."""
    return files.NO_TRANSACTION if text.startswith(SQLX_NO_TX) else files.NO_OPTIONS
