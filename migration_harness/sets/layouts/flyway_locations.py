r"""Flyway's ``locations``: the folders one Flyway configuration runs as one set.

``flyway.locations=filesystem:sql,filesystem:sql_extra`` in ``flyway.conf``, or ``[flyway]
locations = ["filesystem:sql", ...]`` in ``flyway.toml``, make Flyway scan every folder
named (each recursively) and run all their files as one set, in version order. Reading only
the folder the harness found would check part of the history and miss a version two
folders share (which stops Flyway). Sources, read at flyway/flyway c5e20fc (13.0.0):

- ``ConfigUtils.LOCATIONS`` (``flyway.locations``), split at commas and trimmed
  (``ClassicConfiguration``: ``StringUtils.tokenizeToStringArray(locationsProp, ",")``);
  ``ConfigUtils.loadConfigurationFromString`` hands the file to ``java.util.Properties``
  (``#``/``!`` comments, a trailing ``\`` continues the value on the next line);
- ``FlywayModel.locations`` (``[flyway] locations``, a string array);
- ``LocationParser.parseLocation``: no prefix means ``classpath:``; ``*``/``?`` are wildcards;
- ``Locations.processLocations``: a duplicate, or a location below another, is discarded;
- ``FileSystemScanner.scanForResources``: a relative ``filesystem:`` path is resolved
  against the working directory; a folder that is missing (or no folder) is skipped with
  ``LOG.error("Skipping filesystem location: ...")`` and the run goes on, unless
  ``failOnMissingLocations`` (``flyway.failOnMissingLocations``, ``[flyway]
  failOnMissingLocations``; default false, ``FlywayModel``) throws ``Failed to find
  filesystem location``; ``ClassPathScanner`` skips an unresolved ``classpath:`` location
  the same way (``Unable to resolve location``, thrown only under that flag).

The harness takes the working directory to be the project folder: the config file's folder,
or the folder above ``conf/`` (Flyway's own ``conf/flyway.conf`` beside ``sql/``). A
``classpath:`` location is read from ``src/main/resources/<path>`` there (Maven's and
Gradle's resources folder, which the build puts on the classpath). A location it cannot
read (``s3:``/``gcs:``, a wildcard) is refused in one line naming the config: a set checked
without it would pass for the whole history. A missing location is skipped as Flyway skips
it, with a set note (a warning on the CLI's stderr); it is refused only where Flyway stops:
under ``failOnMissingLocations = true`` (read from the same config file), or when no
location is a folder at all (Flyway would find no migration).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError
from migration_harness.sets.layouts import files

CONFIGS: Final = ("flyway.toml", "flyway.conf", "conf/flyway.toml", "conf/flyway.conf")
_KEY: Final = "flyway.locations"
_FAIL_KEY: Final = "flyway.failOnMissingLocations"
_RESOURCES: Final = Path("src/main/resources")


SKIPPED: Final = "skipped, as Flyway skips it"
"""Marks the set note of a missing location (the CLI shows those on stderr as warnings)."""


def location_folders(
    mig_dir: Path, config_dirs: Iterable[Path], *, explicit: bool = False
) -> tuple[Path, ...]:
    """The folders a Flyway set at ``mig_dir`` is read from (:func:`locations`)."""
    return locations(mig_dir, config_dirs, explicit=explicit)[0]


def locations(
    mig_dir: Path, config_dirs: Iterable[Path], *, explicit: bool = False
) -> tuple[tuple[Path, ...], tuple[str, ...]]:
    """The folders a Flyway set at ``mig_dir`` is read from, in the config's order, and notes.

    The configured locations, when a Flyway config in ``config_dirs`` (nearest first) names
    them and they are the project's: ``mig_dir`` is the project folder, one of the
    locations or inside one, or a folder discovery found by itself. A folder the user named
    (``--migrations``) outside every location is read alone, as without a config. A
    location that is no folder is skipped with a note, as Flyway skips it (an error in its
    log, and the run goes on without its files).

    Raises:
        BadFileError: a location that cannot be read, naming the config file; a missing
            one under ``failOnMissingLocations``, or when none of them is a folder.

    """
    found = _configured(config_dirs)
    if found is None:
        return (mig_dir,), ()
    config, descriptors = found
    project = _project(config)
    folders = [_folder(config, project, d) for d in descriptors]
    here = mig_dir.resolve()
    inside = here == project.resolve() or any(here.is_relative_to(f.resolve()) for f in folders)
    if explicit and not inside:
        return (mig_dir,), ()
    missing = [(d, f) for d, f in zip(descriptors, folders, strict=True) if not f.is_dir()]
    if missing and (_fails_on_missing(config) or len(missing) == len(folders)):
        descriptor, folder = missing[0]
        why = (
            "failOnMissingLocations is true, so Flyway stops"
            if _fails_on_missing(config)
            else "no location is, so Flyway finds no migration"
        )
        message = f"{config}: location {descriptor} is not a folder ({folder}); {why}"
        raise BadFileError(message)
    notes = tuple(
        f"{config}: location {d} is not a folder ({f}): {SKIPPED} (its files never run; "
        "failOnMissingLocations = true makes Flyway stop)"
        for d, f in missing
    )
    return _outermost([f for f in folders if f.is_dir()]), notes


def _fails_on_missing(config: Path) -> bool:
    """``failOnMissingLocations`` as the config file sets it (Flyway's default: false).

    ``flyway.failOnMissingLocations`` read as Java's ``Boolean.parseBoolean`` (``true`` in
    any case); ``[flyway] failOnMissingLocations`` a TOML boolean.
    """
    text = files.read(config, allow_empty=True)
    if config.suffix == ".conf":
        return _properties(text).get(_FAIL_KEY, "").strip().lower() == "true"
    try:
        table = tomllib.loads(text).get("flyway")
    except tomllib.TOMLDecodeError:
        return False  # _read has already refused it
    value = table.get("failOnMissingLocations") if isinstance(table, dict) else None
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _configured(config_dirs: Iterable[Path]) -> tuple[Path, tuple[str, ...]] | None:
    """The first config file (nearest folder first) that sets locations, and its values."""
    for folder in dict.fromkeys(config_dirs):
        for name in CONFIGS:
            config = folder / name
            if config.is_file():
                descriptors = _read(config)
                if descriptors is not None:
                    return config, descriptors
    return None


def _read(config: Path) -> tuple[str, ...] | None:
    """The location descriptors one config file sets (``None``: it sets none)."""
    text = files.read(config, allow_empty=True)
    if config.suffix == ".conf":
        raw = _properties(text).get(_KEY)
        if raw is None:
            return None
        return tuple(d.strip() for d in raw.split(",") if d.strip())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = f"{config}: not a valid TOML file ({exc})"
        raise BadFileError(message) from exc
    table = data.get("flyway")
    value = table.get("locations") if isinstance(table, dict) else None
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        message = f'{config}: [flyway] locations must be a list of strings (["filesystem:sql"])'
        raise BadFileError(message)
    return tuple(v.strip() for v in value if v.strip())


def _properties(text: str) -> dict[str, str]:
    """The ``key=value`` pairs of a Java properties file, as ``Properties.load`` reads them.

    Comment lines, continuation lines (an odd number of trailing backslashes) and the
    ``=``/``:`` separators; escapes other than the line break are kept as written (a
    location holds none). A later key wins, as ``Properties`` keeps the last.
    """
    found: dict[str, str] = {}
    logical = ""
    for line in text.splitlines():
        part = line.lstrip() if logical else line.strip()
        if not logical and (not part or part[0] in "#!"):
            continue
        trailing = len(part) - len(part.rstrip("\\"))
        if trailing % 2:
            logical += part[:-1]
            continue
        logical += part
        key, value = _pair(logical.strip())
        found[key] = value
        logical = ""
    if logical:
        key, value = _pair(logical.strip())
        found[key] = value
    return found


def _pair(line: str) -> tuple[str, str]:
    """A logical line's key and value: the key ends at the first ``=``, ``:`` or blank."""
    for at, char in enumerate(line):
        if char in "=: \t":
            rest = line[at:].lstrip(" \t")
            if rest[:1] in ("=", ":"):
                rest = rest[1:]
            return line[:at], rest.strip()
    return line, ""


def _project(config: Path) -> Path:
    """The folder Flyway runs from: the config's, or the one above ``conf/``."""
    return config.parent.parent if config.parent.name == "conf" else config.parent


def _folder(config: Path, project: Path, descriptor: str) -> Path:
    """The folder a location descriptor names, as :func:`location_folders` documents.

    Raises:
        BadFileError: a prefix the harness cannot read, or a wildcard.

    """
    prefix, sep, path = descriptor.partition(":")
    if not sep or (len(prefix) == 1 and path[:1] in ("/", "\\")):  # C:\ is a path
        prefix, path = "classpath", descriptor
    prefix = prefix.lower()
    if prefix not in ("filesystem", "classpath"):
        message = (
            f"{config}: location {descriptor}: the harness reads filesystem: and classpath: "
            f"locations only, not {prefix}: (pass --migrations with a local copy)"
        )
        raise BadFileError(message)
    if "*" in path or "?" in path:
        message = (
            f"{config}: location {descriptor} holds a wildcard, which the harness does not "
            "expand (list the folders, or pass --migrations)"
        )
        raise BadFileError(message)
    if prefix == "classpath":
        return project / _RESOURCES / path.strip("/")
    return Path(path) if Path(path).is_absolute() else project / path


def _outermost(folders: list[Path]) -> tuple[Path, ...]:
    """The folders without duplicates and without any below another (Flyway discards them)."""
    resolved = {folder: folder.resolve() for folder in folders}
    kept: list[Path] = []
    for folder in dict.fromkeys(folders):
        here = resolved[folder]
        if any(here != resolved[o] and here.is_relative_to(resolved[o]) for o in folders):
            continue
        if any(resolved[k] == here for k in kept):
            continue
        kept.append(folder)
    return tuple(kept)
