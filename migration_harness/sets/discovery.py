"""Finding a migration set on disk, in the layouts people actually use.

``discover(path)`` turns a folder into a :class:`MigrationSet`. Each layout family is read by
its own module under ``sets/layouts/``; this module finds the folders
(:mod:`~migration_harness.sets.places`), recognises the layout by its markers
(:mod:`~migration_harness.sets.detect`: the first that recognises the files wins, so adding
a layout never changes how an existing one is read), orders the result and adds what the
project around the folder decides (a Liquibase master, Flyway's locations, drizzle's
dialect, the foreign keys of a Cargo.toml's rusqlite). Everything
that is wrong with the files (duplicates, orphans, empty or non-UTF-8 files) is raised by the
readers, before any database is touched, so a bad set never half-applies.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Final

from migration_harness.errors import DiscoveryError, UnknownLayoutError
from migration_harness.sets.config import table_of
from migration_harness.sets.detect import detect
from migration_harness.sets.functions import find_config
from migration_harness.sets.layouts import drizzle, flyway, liquibase, postgrator, refinery
from migration_harness.sets.layouts.drizzle_config import project_dialect
from migration_harness.sets.layouts.files import unreadable
from migration_harness.sets.layouts.flyway_locations import locations
from migration_harness.sets.layouts.goose import liamstask_reference
from migration_harness.sets.places import migrations_dir, rollbacks_dir, wrangler_migrations_dir
from migration_harness.sets.records import LAYOUT_TARGETS, Migration, MigrationSet

__all__ = [
    "LAYOUTS",
    "LAYOUT_TARGETS",
    "Migration",
    "MigrationSet",
    "discover",
]

LAYOUTS: Final = (
    "harness",
    "wrangler",
    "updown",
    "dbmate",
    "goose",
    "sqlx",
    "diesel",
    "prisma",
    "drizzle",
    "flyway",
    "sqitch",
    "liquibase",
    "sql-migrate",
    "bun",
    "refinery",
    "yoyo",
    "atlas",
    "node-sqlite",
    "rusqlite_migration",
    "sqldelight",
    "postgrator",
    "micrate",
)


def discover(
    path: Path | str,
    *,
    migrations: Path | str | None = None,
    rollbacks: Path | str | None = None,
    layout: str | None = None,
    placeholders: Mapping[str, str] | None = None,
    target: str | None = None,
) -> MigrationSet:
    """Load the migration set at ``path``.

    Args:
        path: a project root, a ``db/`` folder, or the migrations folder itself.
        migrations: explicit migrations folder (overrides detection).
        rollbacks: explicit rollbacks folder (paired by version).
        layout: force a layout instead of detecting it.
        placeholders: Flyway placeholder values (``--placeholder name=value``); they win
            over ``flyway.conf`` / ``flyway.toml``.
        target: the runner the user chose (``--target``), when it decides how files are
            read: goose files are cut as liamstask goose cuts them under ``goose-v1``
            (else when the project names liamstask goose), as goose v3 does otherwise.

    Raises:
        DiscoveryError: and its subclasses, with the file and the fix in the message; a
            file or folder of the set the OS refuses to list or read (no permission, a
            symlink loop) too, naming it, so a layout reader's ``is_file``/``iterdir``
            ends in the same one-line error as a migration's own ``read``.

    """
    try:
        return _discover(path, migrations, rollbacks, layout, placeholders, target)
    except OSError as exc:
        if exc.filename is None:
            raise
        refused = _refusing(Path(os.fsdecode(exc.filename)), exc)
        raise DiscoveryError(unreadable(refused, exc)) from exc


def _refusing(path: Path, exc: OSError) -> Path:
    """The folder to fix when permissions refused ``path``: the highest one closed to us.

    A probe of ``migrations/go.mod`` fails because ``migrations/`` (or a folder above it)
    cannot be entered; naming the file would send the user to the wrong place.
    """
    if exc.errno != errno.EACCES:
        return path
    while path.parent != path and _closed(path.parent):
        path = path.parent
    return path


def _closed(folder: Path) -> bool:
    """Whether ``folder`` cannot be searched: ``folder/.`` resolves only through its x bit."""
    try:
        os.stat(os.path.join(folder, "."))
    except PermissionError:
        return True
    except OSError:
        return False
    return False


def _discover(
    path: Path | str,
    migrations: Path | str | None,
    rollbacks: Path | str | None,
    layout: str | None,
    placeholders: Mapping[str, str] | None,
    target: str | None,
) -> MigrationSet:
    """:func:`discover`'s work, whose ``OSError`` it turns into one line."""
    root = Path(path)
    if not root.exists():
        message = f"{root}: path does not exist (give a folder holding migrations)"
        raise DiscoveryError(message)
    if layout is not None and layout not in LAYOUTS:
        message = f"{layout}: unknown layout (choose one of {', '.join(LAYOUTS)})"
        raise UnknownLayoutError(message)
    wrangler = wrangler_migrations_dir(root)
    mig_dir = Path(migrations) if migrations else migrations_dir(root, wrangler)
    if not mig_dir.is_dir():
        message = f"{mig_dir}: migrations folder does not exist"
        raise DiscoveryError(message)
    next(mig_dir.iterdir(), None)  # a folder closed to us is named before a probe inside it
    rb_dir = Path(rollbacks) if rollbacks else rollbacks_dir(root, mig_dir)
    if rb_dir is not None and rollbacks and not rb_dir.is_dir():
        message = f"{rb_dir}: rollbacks folder does not exist"
        raise DiscoveryError(message)
    config = wrangler[0] if wrangler and wrangler[1].resolve() == mig_dir.resolve() else None
    config_dirs = tuple(dict.fromkeys((mig_dir, mig_dir.parent, root)))
    liamstask = liamstask_reference(mig_dir) is not None
    by_master, notes = _liquibase_master(mig_dir, layout)
    found = (
        ("liquibase", by_master, None, ())
        if by_master is not None
        else detect(
            mig_dir,
            rb_dir,
            layout,
            d1_project=config is not None,
            placeholders=placeholders,
            config_dirs=config_dirs,
            liamstask=target == "goose-v1" or (target is None and liamstask),
            target=target,
            explicit=migrations is not None,
        )
    )
    ordered = sorted(found[1], key=lambda m: (m.order, m.version))
    migrations_found = tuple(
        replace(m, previous=ordered[i - 1].version if i else 0) for i, m in enumerate(ordered)
    )
    runner = _runner(found[0], mig_dir, liamstask=liamstask)
    mixed = flyway.config_mixed(config_dirs, mig_dir) if found[0] == "flyway" else None
    folders, skipped = (
        locations(mig_dir, config_dirs, explicit=migrations is not None)
        if found[0] == "flyway"
        else ((mig_dir,), ())
    )
    set_notes = (*notes, *found[3], *skipped, *_layout_notes(found[0], folders))
    dialect = project_dialect(mig_dir, config_dirs) if found[0] == "drizzle" else None
    rust = _RUSQLITE_TARGETS.get(found[0], ())
    keys = refinery.project_foreign_keys(mig_dir) if rust else None
    project_keys = dict.fromkeys(rust, keys) if keys else {}
    if keys == "off":
        note = refinery.SYSTEM_SQLITE_NOTE.replace("refinery", found[0])
        set_notes = (*set_notes, note)
    if runner == "platformatic":
        plt = postgrator.platformatic_config(mig_dir)
        if plt is not None and postgrator.platformatic_keys(plt) == "off":
            project_keys = {"platformatic": "off"}
            set_notes = (*set_notes, postgrator.OLD_PLATFORMATIC_NOTE)
    return MigrationSet(
        root,
        found[0],
        migrations_found,
        mig_dir,
        found[2],
        config,
        runner,
        mixed,
        notes=set_notes,
        dialect=dialect,
        project_keys=project_keys,
    )


# Layouts run on rusqlite, whose foreign keys the project's Cargo.toml decides: their targets.
_RUSQLITE_TARGETS: Final = {
    "refinery": ("refinery", "refinery-grouped"),
    "rusqlite_migration": ("rusqlite_migration",),
}


def _layout_notes(layout: str, folders: tuple[Path, ...]) -> tuple[str, ...]:
    """What the layout's reader left out of the set (a Flyway baseline's skips, misnamed files)."""
    if layout != "flyway":
        return ()
    files_ = [p for folder in folders for p in flyway.flyway_files(folder)]
    return tuple(n for n in (flyway.baseline_note(files_), flyway.skipped_note(files_)) if n)


def _liquibase_master(
    mig_dir: Path, layout: str | None
) -> tuple[list[Migration] | None, list[str]]:
    """The set in its Liquibase master's order, when the folder or its parent has a master.

    ``liquibase_changelog`` in ``[tool.migration-harness]`` names the master (relative to
    the set's folder); without it the usual names are looked for. A master decides the
    layout: its changelogs may all sit in subfolders, where no marker is looked for.
    """
    if layout not in (None, "liquibase"):
        return None, []
    configured = table_of(find_config(mig_dir)).get("liquibase_changelog")
    if configured is not None and not isinstance(configured, str):
        message = (
            f"{find_config(mig_dir)}: [tool.migration-harness] liquibase_changelog must be a path"
        )
        raise DiscoveryError(message)
    return liquibase.find_with_master(mig_dir, configured)


def _runner(layout: str, mig_dir: Path, *, liamstask: bool) -> str | None:
    """The target the project's files name where the layout alone cannot say which."""
    if layout == "goose" and liamstask:
        return "goose-v1"
    if layout == "drizzle" and not drizzle.has_journal(mig_dir):
        return "drizzle-v1"
    if layout == "postgrator" and postgrator.platformatic_config(mig_dir) is not None:
        return "platformatic"
    return None
