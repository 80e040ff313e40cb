"""Flyway SQL migrations: ``V<version>__<desc>.sql``, undo ``U<version>__``, repeatable ``R__``.

Flyway orders versioned files by their version, compared part by part as numbers (``1.2.3``,
``2_1`` is ``2.1``, a timestamp is one big part), runs every repeatable file after them (in
description order), and replaces ``${name}`` placeholders before the SQL reaches the database.
An undo file ``U<version>__`` is the rollback of the versioned file with the same version.
A ``<file>.sql.conf`` beside a script may set ``executeInTransaction``. A baseline migration
``B<version>__`` stands for every version up to its own on a new database: the set read here
is that fresh path (:func:`_fresh_path`). Sources: flyway/flyway
``flyway-core/src/main/java/org/flywaydb/core/internal/resolver/sql/SqlMigrationResolver.java``,
``.../api/MigrationVersion.java``, ``.../internal/parser/PlaceholderReplacingReader.java``,
``.../internal/sqlscript/SqlScriptMetadata.java`` and ``.../api/migration/baseline/``;
rules in ``docs/RUNNERS.md``.
"""

from __future__ import annotations

import re
import tomllib
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from migration_harness.errors import (
    BadFileError,
    DuplicateVersionError,
    OrphanRollbackError,
)
from migration_harness.sets.layouts import files
from migration_harness.sets.layouts.spring import flyway_setting
from migration_harness.sets.records import Migration

NAME: Final = re.compile(
    r"^(?P<kind>[VUB])(?P<version>\d[\d._]*?)__(?P<desc>.*)\.sql$|^R__(?P<rdesc>.*)\.sql$"
)
CONFIGS: Final = ("flyway.toml", "flyway.conf", "conf/flyway.toml", "conf/flyway.conf")
_PLACEHOLDER: Final = re.compile(r"\$\{([^}\s]+)\}")
_CONF_LINE: Final = re.compile(r"^\s*flyway\.placeholders\.([^=\s]+)\s*=\s*(.*?)\s*$")
_MIXED_LINE: Final = re.compile(r"^\s*flyway\.mixed\s*=\s*(.*?)\s*$")


@dataclass(slots=True)
class _Files:
    """A folder's Flyway files by kind, versioned ones keyed by :func:`version_key`."""

    versioned: dict[tuple[int, ...], Path] = field(default_factory=dict)
    baselines: dict[tuple[int, ...], Path] = field(default_factory=dict)
    undos: dict[tuple[int, ...], Path] = field(default_factory=dict)
    repeatable: list[Path] = field(default_factory=list)


def flyway_files(folder: Path, _seen: frozenset[Path] = frozenset()) -> list[Path]:
    """The ``.sql`` files of a Flyway location, sub-folders included, by path.

    Flyway's filesystem scanner descends into every readable sub-folder but hidden ones
    (``FileSystemScanner.findResourceNamesFromFileSystem``; #1807 skips hidden folders):
    ``V3__x.sql`` in ``db/migration/2024/`` runs in production, so the set holds it. A
    folder reached again through a symlink is read once.
    """
    seen = _seen | {folder.resolve()}
    found = files.sql_files(folder)
    for entry in sorted(folder.iterdir()):
        if entry.is_dir() and not entry.name.startswith(".") and entry.resolve() not in seen:
            found += flyway_files(entry, seen)
    return sorted(found)


def is_flyway(paths: Iterable[Path]) -> bool:
    """Any file named as Flyway names SQL migrations (``V1__x.sql``, ``B1__x``, ``R__x``)."""
    return any(NAME.match(p.name) and not p.name.startswith("U") for p in paths)


def find_flyway(
    paths: Iterable[Path],
    config_dirs: Iterable[Path],
    placeholders: Mapping[str, str],
    location: Path | Sequence[Path] | None = None,
) -> list[Migration]:
    """The files a new database runs, in Flyway's order; undo files as rollbacks.

    Versioned files in version order (from the latest baseline migration on, when there is
    one: :func:`_fresh_path`), then repeatable ones.

    Args:
        paths: the folder's ``.sql`` files (names Flyway does not recognise are skipped, as
            Flyway skips them when ``validateMigrationNaming`` is off, its default).
        config_dirs: folders where ``flyway.conf`` / ``flyway.toml`` may sit.
        placeholders: ``--placeholder name=value`` values; they win over the config's.
        location: the folder Flyway scans, or the folders of its ``locations``
            (:mod:`~migration_harness.sets.layouts.flyway_locations`); a file's ``script``
            (in the history table) is its path below the one holding it,
            ``2024/V3__x.sql`` for one in a sub-folder (``SqlMigrationResolver``:
            ``resource.getRelativePath()``).

    Raises:
        DuplicateVersionError: two versioned (or two baseline, or two undo) files share a
            version.
        OrphanRollbackError: an undo file whose version has no versioned or baseline file.
        BadFileError: a placeholder without a value, or a script config Flyway refuses.

    """
    values = {**_session_placeholders(), **config_placeholders(config_dirs), **placeholders}
    folders = (location,) if isinstance(location, Path) else tuple(location or ())
    found = _group(paths)
    ordered = [*_fresh_path(found)[0], *sorted(found.repeatable, key=_repeatable_order)]
    return [
        _migration(position, path, found.undos.get(_key_of(path)), values, folders)
        for position, path in enumerate(ordered, start=1)
    ]


def _group(paths: Iterable[Path]) -> _Files:
    """The Flyway-named files by kind; a version used twice within one kind is refused.

    A baseline file and a versioned file may share a version (``B5`` beside ``V5`` is the
    point of a baseline): Flyway's duplicate check compares only migrations that
    ``canCompareWith`` each other, and ``BaselineResolvedMigration`` compares only with
    baselines (``CompositeMigrationResolver.checkForIncompatibilities``). Two repeatable
    files with one description fail the same check ("Found more than one repeatable
    migration with description"). Sub-folders make both likely (``2024/V3__x.sql`` beside
    ``2025/V3__y.sql``), so the message names both files by their whole path.
    """
    found = _Files()
    descriptions: dict[str, Path] = {}
    for path in sorted(paths):
        match = NAME.match(path.name)
        if not match:
            continue
        if match.group("rdesc") is not None:
            other = descriptions.setdefault(_description(path), path)
            if other != path:
                message = (
                    f"{path}: repeatable description {_description(path)!r} also used by "
                    f"{other} (Flyway: found more than one repeatable migration with this "
                    "description; rename one)"
                )
                raise DuplicateVersionError(message)
            found.repeatable.append(path)
            continue
        table = {"V": found.versioned, "B": found.baselines, "U": found.undos}[match.group("kind")]
        key = version_key(match.group("version"))
        if key in table:
            message = (
                f"{path}: version {display_version(match.group('version'))} also used by "
                f"{table[key]} (Flyway: found more than one migration with this version; "
                "rename one)"
            )
            raise DuplicateVersionError(message)
        table[key] = path
    for key, path in found.undos.items():
        if key not in found.versioned and key not in found.baselines:
            message = (
                f"{path}: undo file for a version no V or B file has (remove it or add the "
                "migration)"
            )
            raise OrphanRollbackError(message)
    return found


def _fresh_path(found: _Files) -> tuple[list[Path], list[Path]]:
    """The versioned files a new database runs, and the ones it leaves out.

    On an empty database Flyway runs the latest baseline migration (recorded as
    ``SQL_BASELINE``) and then only versioned files above it: versions below it are
    ``BELOW_BASELINE``, the one equal to it ``BASELINE_IGNORED``, older baselines below it
    too (``ResolvedMigration.getState`` against ``MigrationInfoContext.pendingBaseline``,
    which ``MigrationInfoServiceImpl`` sets to the newest pending baseline;
    ``BaselineResolvedMigration.getState`` keeps that one ``PENDING`` while nothing is
    applied). With no baseline file every versioned file runs, as before.
    """
    if not found.baselines:
        return [found.versioned[k] for k in sorted(found.versioned)], []
    top = max(found.baselines)
    run = [found.baselines[top], *(found.versioned[k] for k in sorted(found.versioned) if k > top)]
    older = [(k, p) for k, p in found.baselines.items() if k < top]
    older += [(k, p) for k, p in found.versioned.items() if k <= top]
    return run, [p for _, p in sorted(older)]


def baseline_note(paths: Iterable[Path]) -> str:
    """One line naming the files a new database skips for the latest baseline ("": none).

    Checking them would report on a history a fresh production database never has; not
    saying so would let a clean report read as if they had been checked.
    """
    found = _group(paths)
    run, left_out = _fresh_path(found)
    if not left_out:
        return ""
    names = ", ".join(p.name for p in left_out)
    return (
        f"{run[0]}: Flyway baseline migration: a new database runs it in place of "
        f"{len(left_out)} older file(s), which are not checked ({names}); an existing "
        "database that already has them ignores the baseline and is not checked either"
    )


def skipped_note(paths: Iterable[Path]) -> str:
    """One line naming files meant as migrations that Flyway never runs ("": none).

    A name that starts like a versioned, undo or baseline file (a letter V, U or B and a
    digit, any case) or a repeatable one (``R_``) but does not match Flyway's pattern
    (``V2_add_artist.sql``: one underscore; ``v3__x.sql``: a lower-case prefix) is skipped
    without a word while ``validateMigrationNaming`` is off, its default: the change never
    reaches production, and a later file that needs it fails there. Other ``.sql`` files
    (a seed, a schema dump) are not named.
    """
    names = [
        p.name
        for p in sorted(paths)
        if not NAME.match(p.name)
        and ((p.name[:1].upper() in "VUB" and p.name[1:2].isdigit()) or p.name[:2].upper() == "R_")
    ]
    if not names:
        return ""
    return (
        f"Flyway never runs {', '.join(names)}: the name does not match "
        "V<version>__<description>.sql (two underscores, upper-case prefix), and Flyway "
        "skips such files unless validateMigrationNaming is on"
    )


def _repeatable_order(path: Path) -> str:
    """Repeatable files run in description order (``ResolvedMigrationComparator``)."""
    return _description(path).lower()


def version_key(version: str) -> tuple[int, ...]:
    """Flyway's ordering key: ``1.2.3`` -> (1, 2, 3); trailing zero parts do not count."""
    parts = [int(p) for p in re.split(r"[._]", version) if p != ""]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def display_version(version: str) -> str:
    """The version as ``flyway_schema_history`` stores it: ``2_1`` -> ``2.1``."""
    return ".".join(
        str(int(p)) if p.isdigit() and len(p) < 15 else p for p in re.split(r"[._]", version) if p
    )


def checksum(text: str) -> int:
    """Flyway's checksum: CRC32 over every line without its line break, as a signed int.

    flyway-core ``.../resolver/ChecksumCalculator.java``: a BOM is dropped, lines are read
    with a BufferedReader and each is added to one CRC32 as UTF-8.
    """
    crc = 0
    for line in re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")):
        crc = zlib.crc32(line.encode("utf-8"), crc)
    return crc - (1 << 32) if crc >= 1 << 31 else crc


def config_placeholders(folders: Iterable[Path]) -> dict[str, str]:
    """``flyway.placeholders.*`` from ``flyway.conf`` and ``[flyway.placeholders]`` in TOML."""
    values: dict[str, str] = {}
    for folder in folders:
        for name in CONFIGS:
            config = folder / name
            if config.is_file():
                values = {**_read_config(config), **values}
    return values


def config_mixed(folders: Iterable[Path], mig_dir: Path) -> bool | None:
    """Flyway's ``mixed`` for the set: ``flyway.conf``/``flyway.toml``, else Spring's config.

    ``flyway.mixed=true`` (``ConfigUtils.MIXED``), ``mixed = true`` under ``[flyway]`` in
    TOML, or ``spring.flyway.mixed`` in the application's ``application.yml`` (Spring Boot
    passes it to ``FluentConfiguration.mixed``). ``None``: none of them says.

    Raises:
        BadFileError: a value that is not a boolean.

    """
    for folder in folders:
        for name in CONFIGS:
            config = folder / name
            if config.is_file():
                found = _read_mixed(config)
                if found is not None:
                    return found
    spring = flyway_setting(mig_dir, "mixed")
    return None if spring is None else spring[0]


def _read_mixed(config: Path) -> bool | None:
    """``mixed`` in one Flyway config file, or ``None``."""
    text = files.read(config, allow_empty=True)
    if config.suffix == ".conf":
        values = [m.group(1) for m in map(_MIXED_LINE.match, text.splitlines()) if m]
        raw: object = values[-1] if values else None
    else:
        raw = _toml(config, text).get("flyway", {}).get("mixed")
    if raw is None or isinstance(raw, bool):
        return raw
    if str(raw).strip().lower() in ("true", "false"):
        return str(raw).strip().lower() == "true"
    message = f"{config}: flyway.mixed must be true or false, not {raw!r}"
    raise BadFileError(message)


def _toml(config: Path, text: str) -> dict[str, Any]:
    """A ``flyway.toml``'s data; a one-line error naming it when it is not TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = f"{config}: not a valid TOML file ({exc})"
        raise BadFileError(message) from exc


def _read_config(config: Path) -> dict[str, str]:
    """One config file's placeholders (nearer files win, so read ones never override)."""
    text = files.read(config, allow_empty=True)
    if config.suffix == ".conf":
        return {m.group(1): m.group(2) for m in map(_CONF_LINE.match, text.splitlines()) if m}
    found = _toml(config, text).get("flyway", {}).get("placeholders", {})
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def _migration(
    position: int,
    path: Path,
    undo: Path | None,
    values: Mapping[str, str],
    locations: Sequence[Path] = (),
) -> Migration:
    """One Flyway migration with its placeholders replaced and its script config read."""
    raw = files.read(path)
    up_sql = _replace(path, raw, values)
    files.check_sql(path, up_sql, what="migration")
    down_sql = None
    if undo is not None:
        undo_raw = files.down_text(undo)
        down_sql = _replace(undo, undo_raw, values) if undo_raw is not None else None
    match = NAME.match(path.name)
    assert match is not None  # only Flyway names reach here
    version = match.group("version")
    data: dict[str, object] = {
        "version": display_version(version) if version else None,
        "description": _description(path),
        # A repeatable file's checksum is taken after placeholder replacement, so a new
        # value re-runs it (SqlMigrationResolver.getChecksumForLoadableResource).
        "checksum": checksum(raw if version else up_sql),
        "script": _script(path, locations),
        "repeatable": not version,
        # flyway_schema_history.type: BaselineMigrationType.SQL_BASELINE for a B file.
        "type": "SQL_BASELINE" if match.group("kind") == "B" else "SQL",
    }
    return Migration(
        position,
        path.name.removesuffix(".sql"),
        up_sql,
        down_sql,
        path,
        files.checksum(raw),
        undo,
        _script_options(path),
        _script_options(undo) if undo else files.NO_OPTIONS,
        runner_data=data,
    )


def _script(path: Path, locations: Sequence[Path]) -> str:
    """The file's path below the location that holds it (its name without one)."""
    holding = next((f for f in locations if path.is_relative_to(f)), None)
    return path.relative_to(holding).as_posix() if holding is not None else path.name


def _key_of(path: Path) -> tuple[int, ...]:
    """The version key of a versioned file; () for a repeatable one."""
    match = NAME.match(path.name)
    version = match.group("version") if match else None
    return version_key(version) if version else ()


def _description(path: Path) -> str:
    """Flyway's description: the name after ``__``, ``_`` read as a space."""
    match = NAME.match(path.name)
    raw = (match.group("desc") or match.group("rdesc") or "") if match else path.stem
    return raw.replace("_", " ")


def _session_placeholders() -> dict[str, str]:
    """Flyway's built-ins that hold for a whole run: when it parsed the scripts, and where.

    ``${flyway:timestamp}`` is the time Flyway parsed the script as ``yyyy-MM-dd HH:mm:ss``
    (local time; a repeatable file using it gets a new checksum, so re-runs, each time);
    ``${flyway:workingDirectory}`` is the JVM's ``user.dir``, the working folder. Flyway
    docs, "Placeholders: default placeholders".
    """
    return {
        "flyway:timestamp": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        "flyway:workingDirectory": str(Path.cwd()),
    }


def _replace(path: Path, text: str, values: Mapping[str, str]) -> str:
    """Replace ``${name}`` as Flyway does; one with no value is a one-line error.

    Flyway's built-in ``${flyway:...}`` placeholders get the values Flyway gives them on
    SQLite (``defaultSchema``/``database`` are ``main``, ``table`` the history table,
    ``filename`` the script's name); ``timestamp`` and ``workingDirectory`` come with
    ``values`` (:func:`_session_placeholders`).
    """
    builtins = {
        "flyway:defaultSchema": "main",
        "flyway:database": "main",
        "flyway:user": "",
        "flyway:table": "flyway_schema_history",
        "flyway:filename": path.name,
        "flyway:environment": "default",
    }

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        if name in builtins:
            return builtins[name]
        line = text.count("\n", 0, match.start()) + 1
        message = (
            f"{path}:{line}: Flyway placeholder ${{{name}}} has no value (set "
            f"flyway.placeholders.{name}=VALUE in flyway.conf, or [flyway.placeholders] "
            f'{name} = "VALUE" in flyway.toml, or pass --placeholder {name}=VALUE)'
        )
        raise BadFileError(message)

    return _PLACEHOLDER.sub(value, text)


def _script_options(path: Path) -> Mapping[str, object]:
    """``executeInTransaction`` from the script config ``<file>.sql.conf``, when there is one."""
    config = path.with_name(path.name + ".conf")
    if not config.is_file():
        return files.NO_OPTIONS
    for line in files.read(config, allow_empty=True).splitlines():
        key, _, raw = line.partition("=")
        if key.strip() != "executeInTransaction":
            continue
        value = raw.strip().lower()
        if value not in ("true", "false"):
            message = f"{config}: executeInTransaction must be true or false, not {raw.strip()!r}"
            raise BadFileError(message)
        return {"transaction": value == "true"}
    return files.NO_OPTIONS
