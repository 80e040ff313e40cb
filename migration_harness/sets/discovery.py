"""Finding a migration set on disk, in the layouts people actually use.

``discover(path)`` turns a folder into a :class:`MigrationSet`. Each layout family is read by
its own module under ``sets/layouts/``; this module finds the folders, recognises the layout
by its markers (in the order of :data:`LAYOUTS`, the first that recognises the files wins, so
adding a layout never changes how an existing one is read) and orders the result. Everything
that is wrong with the files (duplicates, orphans, empty or non-UTF-8 files) is raised by the
readers, before any database is touched, so a bad set never half-applies.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from migration_harness.errors import AmbiguousLayoutError, DiscoveryError, UnknownLayoutError
from migration_harness.sets import bun as bun_files
from migration_harness.sets import goose, sqlmigrate
from migration_harness.sets import nodesqlite as nodesqlite_names
from migration_harness.sets.config import table_of
from migration_harness.sets.functions import find_config
from migration_harness.sets.layouts import (
    atlas,
    bun,
    dbmate,
    diesel,
    drizzle,
    files,
    flyway,
    liquibase,
    liquibase_master,
    nodesqlite,
    plain,
    prisma,
    refinery,
    rusqlite,
    sqitch,
    sqldelight,
    updown,
    yoyo,
)
from migration_harness.sets.layouts.drizzle_config import project_dialect
from migration_harness.sets.layouts.flyway_locations import location_folders
from migration_harness.sets.layouts.goose import find_goose, liamstask_reference
from migration_harness.sets.layouts.sqlmigrate import find_sql_migrate
from migration_harness.sets.records import LAYOUT_TARGETS, Migration, MigrationSet

__all__ = [
    "LAYOUTS",
    "LAYOUT_TARGETS",
    "WRANGLER_CONFIGS",
    "Migration",
    "MigrationSet",
    "discover",
    "known_migrations_dir",
    "read_wrangler_config",
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
        DiscoveryError: and its subclasses, with the file and the fix in the message.

    """
    root = Path(path)
    if not root.exists():
        message = f"{root}: path does not exist (give a folder holding migrations)"
        raise DiscoveryError(message)
    if layout is not None and layout not in LAYOUTS:
        message = f"{layout}: unknown layout (choose one of {', '.join(LAYOUTS)})"
        raise UnknownLayoutError(message)
    wrangler = _wrangler_migrations_dir(root)
    mig_dir = Path(migrations) if migrations else _migrations_dir(root, wrangler)
    if not mig_dir.is_dir():
        message = f"{mig_dir}: migrations folder does not exist"
        raise DiscoveryError(message)
    rb_dir = Path(rollbacks) if rollbacks else _rollbacks_dir(root, mig_dir)
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
        else _detect(
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
    folders = (
        location_folders(mig_dir, config_dirs, explicit=migrations is not None)
        if found[0] == "flyway"
        else (mig_dir,)
    )
    set_notes = (*notes, *found[3], *_layout_notes(found[0], folders))
    dialect = project_dialect(mig_dir, config_dirs) if found[0] == "drizzle" else None
    rust = _RUSQLITE_TARGETS.get(found[0], ())
    keys = refinery.project_foreign_keys(mig_dir) if rust else None
    project_keys = dict.fromkeys(rust, keys) if keys else {}
    if keys == "off":
        note = refinery.SYSTEM_SQLITE_NOTE.replace("refinery", found[0])
        set_notes = (*set_notes, note)
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
    return None


def _detect(
    mig_dir: Path,
    rb_dir: Path | None,
    layout: str | None,
    *,
    d1_project: bool = False,
    placeholders: Mapping[str, str] | None = None,
    config_dirs: tuple[Path, ...] = (),
    liamstask: bool = False,
    target: str | None = None,
    explicit: bool = False,
) -> tuple[str, list[Migration], Path | None, tuple[str, ...]]:
    """Recognise the layout by its markers; refuse a folder that matches two.

    Markers decide, not names: golang-migrate and sqlx both name files ``.up.sql`` and
    ``.down.sql``, so only sqlx's ``-- no-transaction`` or a forward-only ``.sql`` beside
    them says sqlx. A set with no marker is read as golang-migrate's; ``--target sqlx``
    still runs it as sqlx does. A forced layout whose markers are absent is refused with
    what the folder looks like instead.
    """
    if layout is not None and not _looks_like(layout, mig_dir, rb_dir):
        _wrong_layout(mig_dir, rb_dir, layout, d1_project=d1_project)
    chose_refinery = target in ("refinery", "refinery-grouped") and _has_refinery_names(mig_dir)
    if layout == "refinery" or (layout is None and (chose_refinery or _is_refinery(mig_dir))):
        found_rf, notes_rf = refinery.find_refinery(mig_dir)
        return "refinery", found_rf, None, notes_rf
    sql_files = files.sql_files(mig_dir)
    # Only SQLDelight writes .sqm files; a folder of .sql files stays its runner's.
    if layout == "sqldelight" or (
        layout is None and not sql_files and sqldelight.is_sqldelight(mig_dir)
    ):
        found_sd, notes_sd = sqldelight.find_sqldelight(mig_dir)
        return "sqldelight", found_sd, None, notes_sd
    marked = _runner_layout(mig_dir, sql_files, d1_project=d1_project)
    if layout in _OWN_FILES or (layout is None and marked is not None):
        chosen = layout or marked
        if chosen == "prisma":
            return "prisma", prisma.find_prisma(mig_dir), None, ()
        if chosen == "drizzle":
            return "drizzle", drizzle.find_drizzle(mig_dir), None, ()
        if chosen == "liquibase":
            found_lb, notes = liquibase.find_liquibase(sql_files, mig_dir)
            return "liquibase", found_lb, None, tuple(notes)
        plan = sqitch.plan_file(mig_dir)
        if chosen == "sqitch" and plan is not None:
            return "sqitch", sqitch.find_sqitch(plan), None, ()
        places = location_folders(mig_dir, config_dirs, explicit=explicit)
        paths = [p for place in places for p in flyway.flyway_files(place)]
        found = flyway.find_flyway(paths, config_dirs or (mig_dir,), placeholders or {}, places)
        return "flyway", found, None, ()
    chose_rusqlite = target == "rusqlite_migration" and bool(rusqlite.folders(mig_dir))
    if layout == "rusqlite_migration" or (
        layout is None and (chose_rusqlite or rusqlite.is_rusqlite(mig_dir))
    ):
        return "rusqlite_migration", rusqlite.find_rusqlite(mig_dir), None, ()
    folders = diesel.folders(mig_dir)
    if layout == "diesel" or (layout is None and folders):
        if sql_files and layout is None:
            _ambiguous(folders[0], sql_files[0], "diesel keeps each migration in a folder")
        return "diesel", diesel.find_diesel(mig_dir, folders), None, ()
    if not sql_files:
        message = f"{mig_dir}: no .sql migration files found (unknown layout)"
        raise UnknownLayoutError(message)
    # golang-migrate and sqlx run an empty up file as an empty migration; an empty down
    # file is no rollback (reported when paired).
    updown_names = (".up.sql", ".down.sql", yoyo.ROLLBACK)
    texts = {p: files.read(p, allow_empty=p.name.endswith(updown_names)) for p in sql_files}
    updowns = [p for p in sql_files if p.name.endswith((".up.sql", ".down.sql"))]
    gooses = [p for p, t in texts.items() if goose.is_goose(t)]
    dbmates = [p for p, t in texts.items() if dbmate.MARK.search(t)]
    own = _go_runner(texts, layout, gooses or dbmates, target, mig_dir)
    if own is not None:
        return own
    if layout is None:
        _refuse_mixed(updowns, gooses, dbmates)
    sqlx_marked = any(t.startswith(updown.SQLX_NO_TX) for t in texts.values())
    if layout == "goose" or (layout is None and gooses):
        return "goose", find_goose(texts, liamstask=liamstask), None, ()
    if layout == "dbmate" or (layout is None and dbmates):
        return "dbmate", dbmate.find_dbmate(texts), None, ()
    own_js = _atlas_or_node(mig_dir, texts, layout, marked=bool(updowns) or d1_project)
    if own_js is not None:
        return own_js
    if layout == "yoyo" or (layout is None and not updowns and yoyo.is_yoyo(mig_dir, texts)):
        found_yy, notes_yy = yoyo.find_yoyo(texts, yoyo.programs(mig_dir))
        return "yoyo", found_yy, None, notes_yy
    forward_only = [p for p in sql_files if p not in updowns]
    skipped = [p for p in forward_only if not updown.GOLANG_NAME.match(p.name)]
    if layout in (None, "updown") and target == "golang-migrate" and updowns and skipped:
        kept = [p for p in sql_files if p not in skipped]
        simple = any(p not in updowns for p in kept)  # stash's 30_ignore_autotag.up..sql
        found = updown.find_updown(kept, simple_ok=simple)
        return ("sqlx" if simple else "updown"), found, None, _skipped(skipped)
    if layout == "sqlx" or (layout is None and (sqlx_marked or (updowns and forward_only))):
        return "sqlx", updown.find_updown(sql_files, simple_ok=True), None, ()
    if layout == "updown" or (layout is None and updowns):
        return "updown", updown.find_updown(sql_files, simple_ok=False), None, ()
    if rb_dir is not None and rb_dir.is_dir() and layout in (None, "harness"):
        return "harness", plain.find_harness(texts, rb_dir), rb_dir, ()
    if layout in (None, "wrangler"):
        # wrangler sorts by number and tracks whole names; plain files run by a script
        # (`for f in migrations/*.sql`) run in name order: duplicate numbers run both.
        return "wrangler", plain.find_wrangler(texts), None, ()
    message = f"{mig_dir}: files do not match the {layout} layout"
    raise UnknownLayoutError(message)


def _go_runner(
    texts: Mapping[Path, str],
    layout: str | None,
    marked: list[Path],
    target: str | None,
    mig_dir: Path,
) -> tuple[str, list[Migration], Path | None, tuple[str, ...]] | None:
    """sql-migrate's or bun's set, when forced or when the files carry their markers.

    sql-migrate's ``-- +migrate Up`` and bun's ``--bun:split`` lines or ``.tx.up.sql``
    names are no other runner's; a folder with goose's or dbmate's markers beside
    sql-migrate's is refused as ambiguous. A bun set without either marker reads as
    golang-migrate's (the same names): ``--layout bun`` or ``--target bun`` says bun, so
    that a plain ``.up.sql`` file runs without a transaction as bun runs it, and so does
    a Go file that runs bun's migrator on the folder
    (:func:`~migration_harness.sets.layouts.bun.runs_bun`) unless another target is asked.
    """
    sql_migrates = [p for p, t in texts.items() if sqlmigrate.is_sql_migrate(t)]
    if layout is None and sql_migrates and marked:
        _ambiguous(sql_migrates[0], marked[0], "sql-migrate markers beside another runner's")
    if layout == "sql-migrate" or (layout is None and sql_migrates):
        return "sql-migrate", find_sql_migrate(texts), None, ()
    buns = [
        p
        for p, t in texts.items()
        if bun_files.is_bun_name(p.name)
        or (p.name.endswith(bun_files.SQL_SUFFIXES) and bun_files.is_bun_text(t))
    ]
    # --target bun on bun's names only: other layouts' files keep their reading.
    named = any(p.name.endswith(bun_files.SQL_SUFFIXES) for p in texts)
    chosen = named and (target == "bun" or (target is None and bun.runs_bun(mig_dir) is not None))
    if layout == "bun" or (layout is None and (buns or chosen) and not marked):
        found, notes = bun.find_bun(texts)
        return "bun", found, None, notes
    return None


def _atlas_or_node(
    mig_dir: Path, texts: Mapping[Path, str], layout: str | None, *, marked: bool
) -> tuple[str, list[Migration], Path | None, tuple[str, ...]] | None:
    """Atlas's set (``atlas.sum`` beside the files) or node-sqlite's (``-- Up``/``-- Down``).

    Called once goose's, dbmate's, sql-migrate's and bun's markers said nothing; ``marked``:
    golang-migrate's ``.up.sql``/``.down.sql`` names, which Atlas also writes a sum for
    (``?format=golang-migrate``), so such a folder stays golang-migrate's. A folder a
    wrangler D1 binding names is applied by wrangler, which runs every line of every file
    (a ``-- Down`` section included): it stays wrangler's unless ``--layout`` says otherwise.
    """
    if layout == "atlas" or (layout is None and not marked and atlas.is_atlas(mig_dir)):
        found, notes = atlas.find_atlas(mig_dir)
        return "atlas", found, None, notes
    if layout == "node-sqlite" or (
        layout is None and not marked and nodesqlite.is_node_sqlite(texts)
    ):
        found, notes = nodesqlite.find_node_sqlite(texts)
        return "node-sqlite", found, None, notes
    return None


def _is_refinery(mig_dir: Path) -> bool:
    """Refinery's names in a project whose ``Cargo.toml`` depends on refinery.

    Flyway names files the same way (``V1__x.sql``): only the manifest tells them apart,
    so without it such a folder stays Flyway's (``--layout refinery`` or ``--target
    refinery`` reads it as refinery's, where ``U3__x.sql`` is a migration, not an undo).
    """
    return refinery.names_refinery(mig_dir) is not None and _has_refinery_names(mig_dir)


def _has_refinery_names(mig_dir: Path) -> bool:
    """Any file, at any depth, named as refinery names migrations."""
    return any(refinery.NAME.match(p.name) for p in mig_dir.rglob("*") if not p.is_dir())


def _skipped(paths: list[Path]) -> tuple[str, ...]:
    """The note for files golang-migrate never runs: names it cannot parse are skipped.

    golang-migrate's sources list a folder and ``continue`` past every file whose name is
    not ``<version>_<title>.up|down.<ext>``: a ``2_add_artist.sql`` beside ``.up.sql`` files
    (sqlx would run it) is never applied, silently, and a later file that needs what it
    creates fails in production. Read as golang-migrate reads the folder, the check shows
    that failure; the note names the file.
    """
    names = ", ".join(p.name for p in paths)
    return (
        f"golang-migrate never runs {names}: its name ends in neither .up.sql nor .down.sql, "
        "and golang-migrate skips files whose names it cannot parse (rename it "
        "NNN_name.up.sql)",
    )


# Layouts recognised by a runner's own files (a lock file, a journal, a naming scheme).
_OWN_FILES: Final = ("prisma", "drizzle", "flyway", "sqitch", "liquibase")


def _runner_layout(mig_dir: Path, sql_files: list[Path], *, d1_project: bool) -> str | None:
    """The runner whose own files the folder holds (a lock, journal, plan, header or names).

    A drizzle folder bound to a D1 database in the wrangler config is applied by
    ``wrangler d1 migrations apply``, which ignores the journal and runs every ``.sql``
    file in number order: it is read as wrangler reads it (force ``--layout drizzle``
    when drizzle's own migrator runs it). drizzle-kit v1's folders keep each file in a
    subfolder, which wrangler never reads, so only drizzle's migrator can run them.
    """
    if prisma.is_prisma(mig_dir):
        return "prisma"
    if drizzle.has_journal(mig_dir):
        return None if d1_project else "drizzle"
    if drizzle.is_drizzle(mig_dir):
        # v1's folders hold no top-level .sql file for wrangler to run: drizzle runs them.
        return "drizzle"
    if sqitch.plan_file(mig_dir) is not None:
        return "sqitch"
    if liquibase.is_liquibase(files.read(p, allow_empty=True) for p in sql_files):
        return "liquibase"
    # Flyway reads sub-folders: a location whose files all sit in them is still its set.
    flyway_named = sql_files or flyway.flyway_files(mig_dir)
    return "flyway" if flyway.is_flyway(flyway_named) else None


def _looks_like(layout: str, mig_dir: Path, rb_dir: Path | None) -> bool:
    """Whether the folder carries the markers a forced layout needs to be read at all."""
    sql_files = files.sql_files(mig_dir)
    texts = (files.read(p, allow_empty=True) for p in sql_files)
    checks = {
        "refinery": lambda: _has_refinery_names(mig_dir),
        "yoyo": lambda: bool(sql_files),
        "atlas": lambda: bool(sql_files),
        "node-sqlite": lambda: any(nodesqlite_names.NAME.match(p.name) for p in sql_files),
        "rusqlite_migration": lambda: bool(rusqlite.folders(mig_dir)),
        "sqldelight": lambda: sqldelight.is_sqldelight(mig_dir),
        "prisma": lambda: prisma.is_prisma(mig_dir),
        "drizzle": lambda: drizzle.is_drizzle(mig_dir),
        "flyway": lambda: flyway.is_flyway(flyway.flyway_files(mig_dir)),
        "sqitch": lambda: sqitch.plan_file(mig_dir) is not None,
        "liquibase": lambda: liquibase.is_liquibase(texts),
        "diesel": lambda: bool(diesel.folders(mig_dir)),
        "goose": lambda: any(goose.is_goose(t) for t in texts),
        "dbmate": lambda: any(dbmate.MARK.search(t) for t in texts),
        "sql-migrate": lambda: any(sqlmigrate.is_sql_migrate(t) for t in texts),
        "bun": lambda: any(bun_files.NAME.match(p.name) for p in sql_files),
        "updown": lambda: any(p.name.endswith((".up.sql", ".down.sql")) for p in sql_files),
        "harness": lambda: rb_dir is not None and rb_dir.is_dir() and bool(sql_files),
    }
    check = checks.get(layout)
    return bool(sql_files) if check is None else check()


def _wrong_layout(mig_dir: Path, rb_dir: Path | None, layout: str, *, d1_project: bool) -> None:
    """Refuse a forced layout, naming the one the folder does look like."""
    try:
        found = f"it looks like a {_detect(mig_dir, rb_dir, None, d1_project=d1_project)[0]} set"
    except DiscoveryError:
        found = "no known layout matches it"
    message = (
        f"{mig_dir}: --layout {layout} does not match these files ({found}; "
        "drop --layout to detect it, or point --migrations at the right folder)"
    )
    raise UnknownLayoutError(message)


def _refuse_mixed(updowns: list[Path], gooses: list[Path], dbmates: list[Path]) -> None:
    """Files written for two runners in one folder: no runner would run them all."""
    if gooses and dbmates:
        _ambiguous(gooses[0], dbmates[0], "goose and dbmate markers in one folder")
    marked = gooses or dbmates
    if marked and updowns:
        _ambiguous(marked[0], updowns[0], "one-file-per-version markers beside .up/.down files")


def _ambiguous(first: Path, second: Path, why: str) -> None:
    """Raise the one-line error for a folder that matches two layouts."""
    message = (
        f"{first.parent}: {first.name} and {second.name} follow different runners' layouts "
        f"({why}); keep one runner's files per folder, or pass --migrations to the right one"
    )
    raise AmbiguousLayoutError(message)


def _migrations_dir(root: Path, wrangler: tuple[Path, Path] | None) -> Path:
    """The folder holding forward migrations, for the path the user gave."""
    if root.is_file():
        message = f"{root}: is a file; give the folder that holds the migrations"
        raise DiscoveryError(message)
    if wrangler is not None:
        return wrangler[1]
    return known_migrations_dir(root) or root


# Folders the layouts keep migrations in by default, relative to a project root.
KNOWN_FOLDERS: Final = (
    "migrations",
    "db/migrations",
    "prisma/migrations",
    "drizzle",
    "sql",
    "db/migration",
    "src/main/resources/db/migration",
    "db/changelog",
    "src/main/resources/db/changelog",
)


def known_migrations_dir(root: Path) -> Path | None:
    """The first of :data:`KNOWN_FOLDERS` under ``root`` that holds a set, if any.

    ``migrations`` and ``db/migrations`` count as soon as they exist; the folders Prisma,
    drizzle-kit, Flyway and Liquibase (Spring Boot's ``db/changelog``) use by default only
    when they hold that runner's files, since ``sql/`` or ``drizzle/`` are common names for
    other things.
    """
    for candidate in (root / "migrations", root / "db" / "migrations"):
        if candidate.is_dir():
            return candidate
    for candidate, holds in (
        (root / "prisma" / "migrations", prisma.is_prisma),
        (root / "drizzle", drizzle.is_drizzle),
        (root / "sql", _holds_flyway),
        (root / "db" / "migration", _holds_flyway),
        (root / "src" / "main" / "resources" / "db" / "migration", _holds_flyway),
        (root / "db" / "changelog", _holds_liquibase),
        (root / "src" / "main" / "resources" / "db" / "changelog", _holds_liquibase),
    ):
        if candidate.is_dir() and holds(candidate):
            return candidate
    # SQLDelight's source folders (src/main/sqldelight, src/commonMain/sqldelight …).
    return next(
        (c for c in sorted(root.glob("src/*/sqldelight")) if sqldelight.is_sqldelight(c)), None
    )


def _holds_liquibase(folder: Path) -> bool:
    """A folder with a master changelog, or a formatted-SQL one (its first line says so)."""
    if any((folder / name).is_file() for name in liquibase_master.MASTER_NAMES):
        return True
    sql = files.sql_files(folder, any_case=True)
    return liquibase.is_liquibase(files.read(p, allow_empty=True) for p in sql)


def _holds_flyway(folder: Path) -> bool:
    """A folder with at least one file named as Flyway names SQL migrations."""
    return flyway.is_flyway(flyway.flyway_files(folder))


def _rollbacks_dir(root: Path, mig_dir: Path) -> Path | None:
    """``rollbacks/`` beside the migrations folder, or inside the root."""
    for candidate in (mig_dir.parent / "rollbacks", root / "rollbacks"):
        if candidate.is_dir() and candidate.resolve() != mig_dir.resolve():
            return candidate
    return None


def _wrangler_migrations_dir(root: Path) -> tuple[Path, Path] | None:
    """``(wrangler config, migrations folder)`` when a D1 binding is configured near ``root``.

    wrangler resolves ``migrations_dir`` relative to the config file and defaults it to
    ``migrations``. The config may sit at the root given or one or two levels above
    (``check db`` from a wrangler project).
    """
    start = root if root.is_dir() else root.parent
    for folder in (start, *list(start.resolve().parents)[:2]):
        config = next((folder / n for n in WRANGLER_CONFIGS if (folder / n).is_file()), None)
        if config is None:
            continue
        for binding in read_wrangler_config(config).get("d1_databases", []):
            mig = config.parent / binding.get("migrations_dir", "migrations")
            if mig.is_dir() and (
                start.resolve() == mig.resolve() or mig.resolve().is_relative_to(start.resolve())
            ):
                return config, mig
    return None


# The names wrangler looks for, in its order: current templates write wrangler.jsonc.
WRANGLER_CONFIGS: Final = ("wrangler.json", "wrangler.jsonc", "wrangler.toml")


def read_wrangler_config(config: Path) -> dict[str, Any]:
    """A wrangler config as data: TOML, or JSON with comments and trailing commas (JSONC).

    Raises:
        DiscoveryError: the file cannot be read as its format (one line naming it).

    """
    try:
        text = config.read_text(encoding="utf-8")
        loaded = tomllib.loads(text) if config.suffix == ".toml" else json.loads(_plain_json(text))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as exc:
        kind = "TOML" if config.suffix == ".toml" else "JSON"
        message = f"{config}: not a valid {kind} file ({exc})"
        raise DiscoveryError(message) from exc
    except OSError as exc:
        message = f"{config}: cannot be read ({exc.strerror})"
        raise DiscoveryError(message) from exc
    if not isinstance(loaded, dict):
        message = f"{config}: not a wrangler configuration (expected an object)"
        raise DiscoveryError(message)
    bindings = loaded.get("d1_databases", [])
    if not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings):
        # `d1_databases = "DB"`: wrangler itself refuses it ("should be an array of objects").
        message = f"{config}: d1_databases must be a list of tables ([[d1_databases]] in TOML)"
        raise DiscoveryError(message)
    for binding in bindings:
        for key in ("binding", "database_name", "database_id", "migrations_dir"):
            if not isinstance(binding.get(key, ""), str):
                message = f"{config}: d1_databases {key} must be a string"
                raise DiscoveryError(message)
    return loaded


_JSONC_COMMENT: Final = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.S)
_JSONC_COMMA: Final = re.compile(r'"(?:\\.|[^"\\])*"|,(?=\s*[}\]])')


def _plain_json(text: str) -> str:
    """JSONC as plain JSON: comments, then trailing commas, removed; strings untouched."""

    def keep_strings(match: re.Match[str]) -> str:
        return match.group(0) if match.group(0).startswith('"') else ""

    return _JSONC_COMMA.sub(keep_strings, _JSONC_COMMENT.sub(keep_strings, text))
