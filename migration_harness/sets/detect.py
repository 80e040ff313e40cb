"""Recognising a migrations folder's layout by its markers, and refusing one that matches two.

:func:`detect` is the choosing half of :func:`~migration_harness.sets.discovery.discover`:
it decides which runner's files a folder holds (a lock, a journal, a plan, a header, the
files' names or markers) and hands the folder to that layout's reader under
``sets/layouts/``. A forced layout (``--layout``) whose markers are absent, or a folder
holding two runners' files, is refused here with the fix in the message, before any
database is touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

from migration_harness.errors import AmbiguousLayoutError, DiscoveryError, UnknownLayoutError
from migration_harness.sets import bun as bun_files
from migration_harness.sets import goose, sqlmigrate
from migration_harness.sets import nodesqlite as nodesqlite_names
from migration_harness.sets import postgrator as postgrator_names
from migration_harness.sets.layouts import (
    atlas,
    bun,
    dbmate,
    diesel,
    drizzle,
    files,
    flyway,
    liquibase,
    micrate,
    nodesqlite,
    plain,
    postgrator,
    prisma,
    refinery,
    rusqlite,
    sqitch,
    sqldelight,
    updown,
    yoyo,
)
from migration_harness.sets.layouts.flyway_locations import location_folders
from migration_harness.sets.layouts.goose import find_goose
from migration_harness.sets.layouts.sqlmigrate import find_sql_migrate
from migration_harness.sets.records import Migration

__all__ = ["detect"]


def detect(
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
    texts = {
        p: files.read(p, allow_empty=p.name.endswith(updown_names) or _postgrator_name(p))
        for p in sql_files
    }
    updowns = [p for p in sql_files if p.name.endswith((".up.sql", ".down.sql"))]
    gooses = [p for p, t in texts.items() if goose.is_goose(t)]
    dbmates = [p for p, t in texts.items() if dbmate.MARK.search(t)]
    own = _go_runner(texts, layout, gooses or dbmates, target, mig_dir)
    if own is not None:
        return own
    if layout is None:
        _refuse_mixed(updowns, gooses, dbmates)
    if layout == "postgrator" or (
        layout is None and not d1_project and postgrator.is_postgrator(sql_files)
    ):
        if layout is None and updowns:
            _ambiguous(updowns[0], _first_postgrator(sql_files), "postgrator's .do/.undo names")
        found_pg, notes_pg = postgrator.find_postgrator(texts, postgrator.code_files(mig_dir))
        return "postgrator", found_pg, None, notes_pg
    if layout == "micrate" or (layout is None and micrate.is_micrate_set(texts)):
        if layout is None and (updowns or gooses or dbmates):
            mark = next(p for p, t in texts.items() if micrate.is_micrate_set({p: t}))
            other = (updowns or gooses or dbmates)[0]
            _ambiguous(mark, other, "micrate markers beside another runner's files")
        found_mc, notes_mc = micrate.find_micrate(texts)
        return "micrate", found_mc, None, notes_mc
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


def _postgrator_name(path: Path) -> bool:
    """A postgrator file: ``db.exec`` of an empty one is an empty migration, as in postgrator."""
    return postgrator_names.NAME.match(path.name) is not None


def _first_postgrator(paths: list[Path]) -> Path:
    """The first file named as postgrator names them (for the ambiguity message)."""
    return next(p for p in paths if _postgrator_name(p))


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
        "postgrator": lambda: postgrator.is_postgrator(sql_files),
        "micrate": lambda: bool(sql_files),
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
        found = f"it looks like a {detect(mig_dir, rb_dir, None, d1_project=d1_project)[0]} set"
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
