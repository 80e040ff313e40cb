"""The key each runner stores for a migration in its tracking table.

Both the tracking table's reader (:mod:`~migration_harness.sets.tracking`) and the
runner-specific row writers (:mod:`~migration_harness.sets.ownrows`) need the same key, so
it lives in one place of its own: a key computed twice could drift, and then the harness
would read back a different key than it wrote. Sources in ``docs/RUNNERS.md``.
"""

from __future__ import annotations

import re
from typing import Final

from migration_harness.sets.records import Migration

DIGITS: Final = re.compile(r"\d+")


def key_of(migration: Migration, style: str) -> str:
    """The key a runner stores for ``migration``.

    wrangler keys by file name; dbmate by the file name's leading digits, kept as text
    (``0001`` stays ``0001``); diesel by its folder's prefix before ``_`` with ``-`` removed;
    golang-migrate, goose, sqlx, refinery and node-sqlite by the version number; yoyo by the
    migration id (the file name without ``.sql``), whose SHA-256 its table stores; Atlas by
    the version as the file name spells it (text: ``0001`` stays ``0001``).
    """
    if style in ("name", "prisma", "drizzle-v1", "sql-migrate", "yoyo"):
        return migration.id
    if style == "liquibase":
        ident, author, filename = liquibase_identity(migration)
        return f"{filename}::{ident}::{author}"
    if style == "atlas":
        return str(migration.runner_data.get("version", migration.version))
    if style == "drizzle":
        return str(migration.runner_data.get("created_at", migration.version))
    if style == "flyway":
        data = migration.runner_data
        version = data.get("version", migration.version)
        script = str(data.get("script", migration.path.name))
        return str(version) if version is not None else script
    if style in ("dbmate", "bun"):
        match = DIGITS.match(migration.path.name)
        return match.group(0) if match else str(migration.version)
    if style == "diesel":
        prefix = migration.id.split("_", 1)[0].replace("-", "")
        return prefix if prefix.isdigit() else str(migration.version)
    return str(migration.version)


def liquibase_identity(migration: Migration) -> tuple[str, str, str]:
    """``(ID, AUTHOR, FILENAME)``: a plain file is one raw changeset, as Liquibase reads it."""
    data = migration.runner_data
    if "id" in data:
        return str(data["id"]), str(data.get("author", "")), str(data.get("filename", ""))
    return "raw", "includeAll", migration.id
