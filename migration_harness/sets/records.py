"""The records every layout produces: one migration, and the ordered set.

They live apart from discovery and the layout readers so that each layout module can build
them without importing discovery (which imports every layout): data flows one way.
``migration_harness.sets.discovery`` re-exports them, so both import paths work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

# The runner each layout's files are written for; ``updown`` is golang-migrate's naming
# (sqlx shares it, and is chosen when a file carries sqlx's own marker).
LAYOUT_TARGETS: Final = {
    "harness": "sqlite",
    "drizzle": "drizzle",
    "prisma": "prisma",
    "flyway": "flyway",
    "sqitch": "sqitch",
    "liquibase": "liquibase",
    "wrangler": "sqlite",
    "updown": "golang-migrate",
    "dbmate": "dbmate",
    "goose": "goose",
    "sqlx": "sqlx",
    "diesel": "diesel",
    "sql-migrate": "sql-migrate",
    "bun": "bun",
    "refinery": "refinery",
    "yoyo": "yoyo",
    "atlas": "atlas",
    "node-sqlite": "node-sqlite",
    "rusqlite_migration": "rusqlite_migration",
    "sqldelight": "sqldelight",
    "postgrator": "postgrator",
    "micrate": "micrate",
}


@dataclass(frozen=True, slots=True)
class Migration:
    """One forward migration and, when the set has one, its rollback.

    Attributes:
        version: the number that orders the set (timestamps are numbers too).
        name: the file's name without version-independent suffixes, e.g. ``0001_users``.
        up_sql: the forward SQL, decoded.
        down_sql: the rollback SQL; ``None`` when there is none or it holds no statement.
        path: the forward file; its name is the id recorded in the tracking table, as
            wrangler records it, so databases migrated by either tool agree.
        checksum: SHA-256 of the forward SQL, to refuse a migration edited after it ran.
        down_path: the rollback file (also set when it exists but is empty).
        up_options / down_options: per-file runner options in one shape whatever the
            layout: ``{"transaction": False}`` for goose's ``NO TRANSACTION``, dbmate's
            ``transaction:false``, sqlx's ``-- no-transaction`` and diesel's
            ``run_in_transaction = false``. Each target decides whether it honours them.
        key: the migration's id when the file name is not unique (diesel's ``up.sql``:
            the folder name).
        previous: the version of the migration before it in the set (0 for the first):
            golang-migrate's down moves its single version row there.
        runner_data: what the runner's tracking table records beyond the file: drizzle's
            journal ``when`` (``created_at``), Flyway's version text and description.
        order: the runner's sort key when it is not the version number (diesel compares
            versions as strings: ``20240313`` runs after ``20240312170000``); empty: the
            version orders the set.
        program: the language of a migration that is code, not SQL (``go`` for goose's
            Go migrations): it is part of the history, and no SQL check can run it, so
            the check stops before it and the report says so.
        pre_hook: code the application runs on the database just before this file
            (stash's ``48_premigrate.go``), as ``[tool.migration-harness.
            pre_migration_hooks]`` names it; empty: none. No check can run it, so what
            the file does to generated rows is unverified there.

    """

    version: int
    name: str
    up_sql: str
    down_sql: str | None
    path: Path
    checksum: str
    down_path: Path | None = None
    up_options: Mapping[str, object] = field(default_factory=dict, compare=False)
    down_options: Mapping[str, object] = field(default_factory=dict, compare=False)
    key: str | None = field(default=None, compare=False)
    previous: int = field(default=0, compare=False)
    runner_data: Mapping[str, object] = field(default_factory=dict, compare=False)
    order: str = field(default="", compare=False)
    program: str | None = field(default=None, compare=False)
    pre_hook: str = field(default="", compare=False)

    @property
    def id(self) -> str:
        """The name the tracking table records (the forward file's name, or ``key``)."""
        return self.key or self.path.name

    @property
    def label(self) -> str:
        """``0007_clerk_integration``: the readable name used in reports and test ids."""
        return self.name


@dataclass(frozen=True, slots=True)
class MigrationSet:
    """An ordered migration set and where it came from.

    Attributes:
        root: the path the user named.
        layout: one of :data:`LAYOUTS`.
        migrations: ordered by version, versions unique.
        migrations_dir / rollbacks_dir: the folders read.
        wrangler_config: a ``wrangler.toml`` whose D1 binding names ``migrations_dir``;
            its presence makes ``d1`` the default target.
        runner: the target the project's own files name when the layout alone cannot
            say (``goose-v1`` for a goose set whose ``go.mod`` pins liamstask goose).
        flyway_mixed: Flyway's ``mixed`` as the project's ``flyway.conf``/``flyway.toml``
            or Spring ``application.yml`` sets it (``None``: not set, Flyway's false).
        notes: one line per thing the reader decided that changes what is checked (a
            Flyway baseline migration that leaves older files out, a Liquibase changeset for
            another ``dbms``, a file no master lists, contexts the harness does not filter
            on): the shells show them, so a report never reads as covering files it did not run.
        dialect: ``libsql`` where the project's drizzle-kit files say ``turso`` (its
            journal, a snapshot or ``drizzle.config.*``); ``None``: nothing says.
        project_keys: ``PRAGMA foreign_keys`` (``on``/``off``) the project's own files give
            a target's connection, by target name (refinery's ``Cargo.toml``: rusqlite
            bundled or the system SQLite); ``--foreign-keys`` still wins.

    """

    root: Path
    layout: str
    migrations: tuple[Migration, ...]
    migrations_dir: Path
    rollbacks_dir: Path | None = None
    wrangler_config: Path | None = None
    runner: str | None = None
    flyway_mixed: bool | None = None
    notes: tuple[str, ...] = ()
    dialect: str | None = None
    project_keys: Mapping[str, str] = field(default_factory=dict)

    @property
    def has_rollbacks(self) -> bool:
        """True when at least one migration has a rollback: the others then count as missing."""
        return any(m.down_sql is not None for m in self.migrations)

    @property
    def default_target(self) -> str:
        """``d1`` for a wrangler D1 project, else the runner the project or layout names."""
        if self.wrangler_config is not None:
            return "d1"
        return self.runner or LAYOUT_TARGETS[self.layout]

    @property
    def versions(self) -> tuple[int, ...]:
        """All versions, in order."""
        return tuple(m.version for m in self.migrations)

    def index_of(self, version: int) -> int:
        """Position of ``version`` in the set; 0 means "before the first migration"."""
        if version == 0:
            return 0
        for i, migration in enumerate(self.migrations, start=1):
            if migration.version == version:
                return i
        from migration_harness.errors import UnknownVersionError

        known = ", ".join(str(v) for v in self.versions) or "none"
        message = f"{self.migrations_dir}: no migration has version {version} (known: {known})"
        raise UnknownVersionError(message)
