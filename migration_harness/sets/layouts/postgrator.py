r"""postgrator: ``<version>.do[.<description>].sql`` files, each with an optional ``.undo`` twin.

No other runner names files ``.do.sql``/``.undo.sql`` (read as plain files they were four
forward migrations, each undo run after its do), so one such name in the folder says
postgrator. A ``do`` file that is JavaScript (``.js``/``.mjs``/``.cjs``: its
``generateSql()`` makes the SQL) is code in the same history: the check stops before it.
Sources in ``docs/RUNNERS.md``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from migration_harness.errors import DuplicateVersionError
from migration_harness.sets.layouts import files
from migration_harness.sets.postgrator import NAME, md5_of
from migration_harness.sets.records import Migration

_CODE = (".js", ".mjs", ".cjs")
# @platformatic/foundation lib/configuration.js: platformatic.<ext> and platformatic.<suffix>.<ext>
# (db, service, ...; json, json5, yaml, yml, toml, tml). A watt.* file names no database.
PLATFORMATIC: Final = re.compile(r"^platformatic(\.[a-z]+)?\.(json5?|ya?ml|toml|tml)$")


def platformatic_config(mig_dir: Path) -> Path | None:
    """A Platformatic configuration in the folder or the two above it (``migrations.dir``).

    Platformatic DB runs its migrations through postgrator on its own connection: the
    tracking table is ``versions`` and foreign keys are on (better-sqlite3, later
    ``node:sqlite``), so such a set's default target is ``platformatic``.
    """
    for folder in (mig_dir, *list(mig_dir.resolve().parents)[:2]):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if PLATFORMATIC.match(path.name) and path.is_file():
                return path
    return None


def is_postgrator(paths: list[Path]) -> bool:
    """A ``do`` or ``undo`` file named as postgrator names them."""
    return any(NAME.match(p.name) for p in paths)


def code_files(mig_dir: Path) -> list[Path]:
    """The JavaScript migrations in the folder (``001.do.js``): part of its history."""
    return sorted(
        p for p in mig_dir.iterdir() if p.is_file() and p.suffix in _CODE and NAME.match(p.name)
    )


# platformatic#1188 (sql-mapper on better-sqlite3, keys on) shipped in 0.30.0; before it,
# @databases/sqlite on node-sqlite3 ran the migrations with keys off.
_FIRST_KEYS_ON: Final = (0, 30)
_PACKAGES: Final = ("platformatic", "@platformatic/db", "@platformatic/sql-mapper")
_VERSION: Final = re.compile(r"(\d+)\.(\d+)")


OLD_PLATFORMATIC_NOTE: Final = (
    "package.json allows a Platformatic before 0.30.0, which ran SQLite migrations on "
    "node-sqlite3 (@databases/sqlite) with foreign keys off: checked with keys off "
    "(--foreign-keys on for 0.30.0 and later)"
)


def platformatic_keys(config: Path) -> str | None:
    """``"off"`` when the project's ``package.json`` pins a Platformatic before 0.30.0.

    Platformatic 0.x ran SQLite through ``@databases/sqlite`` (node-sqlite3, keys off) until
    platformatic#1188 moved sql-mapper to better-sqlite3 (keys on) in 0.30.0. The lowest
    version the range allows decides (``^0.12.1``: 0.12); ``None``: no package.json names
    Platformatic, or it allows only 0.30.0 and later (the target's keys-on default stays).
    """
    for folder in (config.parent, *config.parent.parents):
        manifest = folder / "package.json"
        if manifest.is_file():
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
            deps: dict[str, object] = {}
            for table in ("dependencies", "devDependencies"):
                found = data.get(table) if isinstance(data, dict) else None
                if isinstance(found, dict):
                    deps.update(found)
            for name in _PACKAGES:
                match = _VERSION.search(str(deps.get(name, "")))
                if match is not None:
                    low = (int(match.group(1)), int(match.group(2)))
                    return "off" if low < _FIRST_KEYS_ON else None
            return None
        if (folder / ".git").exists():
            break
    return None


def find_postgrator(
    texts: Mapping[Path, str], code: list[Path]
) -> tuple[list[Migration], tuple[str, ...]]:
    """Every ``do`` migration by version, its ``undo`` as the rollback, and notes.

    Raises:
        DuplicateVersionError: two files with one version and action: ``getMigrations``
            throws "Two migrations found with version N and action do" and runs nothing.

    """
    seen: dict[tuple[int, str], Path] = {}
    skipped: list[str] = []
    for path in [*sorted(texts), *code]:
        match = NAME.match(path.name)
        if match is None:
            skipped.append(path.name)
            continue
        key = (int(match.group(1)), match.group(2))
        if key in seen:
            message = (
                f"{path}: version {key[0]} and action {key[1]} also used by {seen[key].name} "
                "(postgrator throws 'Two migrations found with version "
                f"{key[0]} and action {key[1]}' and runs nothing; renumber one)"
            )
            raise DuplicateVersionError(message)
        seen[key] = path
    found = []
    for (version, action), path in seen.items():
        if action != "do":
            continue
        if version == 0:
            # ensureTable's row says version 0: migrate() runs only versions above it.
            skipped.append(path.name)
            continue
        undo = seen.get((version, "undo"))
        found.append(_migration(path, version, texts, undo))
    orphans = [p.name for (v, a), p in seen.items() if a == "undo" and (v, "do") not in seen]
    notes = []
    if skipped:
        notes.append(
            f"postgrator never runs {', '.join(sorted(skipped))}: its name is not "
            "<version>.do|undo[.<description>].sql (a number, then do or undo), or its "
            "version is 0 (the schema table starts at version 0)"
        )
    if orphans:
        notes.append(
            f"{', '.join(orphans)}: an undo without its do file; postgrator runs it only "
            "when moving down past a version the database holds"
        )
    return sorted(found, key=lambda m: m.version), tuple(notes)


def _migration(path: Path, version: int, texts: Mapping[Path, str], undo: Path | None) -> Migration:
    """One ``do`` file as postgrator runs it, with its ``undo`` twin's text as the rollback."""
    match = NAME.match(path.name)
    name = (match.group(3) or "") if match else ""
    if path.suffix in _CODE:
        return Migration(
            version,
            path.stem,
            "",
            None,
            path,
            files.checksum(""),
            program="js",
            runner_data={"name": name},
        )
    text = texts[path]
    down = texts.get(undo) if undo is not None else None
    return Migration(
        version,
        path.stem,
        text,
        down if down and down.strip() else None,
        path,
        files.checksum(text),
        down_path=undo if undo is not None and undo.suffix == ".sql" else None,
        runner_data={"name": name, "md5": md5_of(text)},
    )
