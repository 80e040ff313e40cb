r"""refinery (Rust): ``V{n}__{name}.sql`` and ``U{n}__{name}.sql``, forward only.

Flyway names its files the same way, so the names alone never say refinery: a project whose
``Cargo.toml`` depends on refinery (looked up from the folder to the project's root) or
``--layout refinery`` does. refinery walks the folder recursively (``find_migration_files``,
refinery_core/src/util.rs) and takes the files whose names match ``^[UV](\d+(?:\.\d+)?)__
(\w+)\.(sql|rs)$``; any other file is skipped with a log warning, so a
``V3__add-users.sql`` (a hyphen is no ``\w``) never runs. A ``.rs`` migration is code.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Final

from migration_harness.errors import BadFileError, DuplicateVersionError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration

# refinery_core/src/util.rs STEM_RE plus its extensions (file names, not SQL).
NAME: Final = re.compile(r"^([UV])(\d+(?:\.\d+)?)__(\w+)\.(sql|rs)$")
_CRATES: Final = ("refinery", "refinery-core", "refinery_core")
SYSTEM_SQLITE_NOTE: Final = (
    "Cargo.toml builds rusqlite without `bundled`: refinery runs on the system SQLite, "
    "foreign keys off (pass --foreign-keys on if the application turns them on)"
)


def names_refinery(folder: Path) -> Path | None:
    """The ``Cargo.toml`` that depends on refinery, looking up from ``folder``."""
    return names_crates(folder, _CRATES)


def names_crates(folder: Path, crates: tuple[str, ...]) -> Path | None:
    """The ``Cargo.toml`` that depends on any of ``crates``, looking up from ``folder``.

    The search stops at the project's root (a folder with ``.git``, or a Cargo workspace
    root), so another project's manifest above it never counts.
    """
    for current in (folder.resolve(), *folder.resolve().parents):
        manifest = current / "Cargo.toml"
        data = _manifest(manifest) if manifest.is_file() else {}
        if any(crate in _dependencies(data) for crate in crates):
            return manifest
        if "workspace" in data or (current / ".git").exists():
            return None
    return None


def project_foreign_keys(folder: Path) -> str | None:
    """``"on"``/``"off"``: what the project's rusqlite build does with foreign keys.

    libsqlite3-sys's ``bundled`` build compiles SQLite with ``SQLITE_DEFAULT_FOREIGN_KEYS=1``;
    without it rusqlite links the system SQLite, where keys are off. Cargo unifies features,
    so any manifest from ``folder`` up to the project root asking for a bundled build (on
    rusqlite, libsqlite3-sys, r2d2_sqlite, or refinery's ``rusqlite-bundled``) makes it on.
    ``None``: no manifest names rusqlite (the target's default stays).
    """
    manifests = [_manifest(p) for p in _manifests(folder)]
    if any(_asks_bundled(data) for data in manifests):
        return "on"
    if any("rusqlite" in _dependencies(data) for data in manifests):
        return "off"
    return None


def _manifests(folder: Path) -> list[Path]:
    """The ``Cargo.toml`` files from ``folder`` up to the project root."""
    found = []
    for current in (folder.resolve(), *folder.resolve().parents):
        manifest = current / "Cargo.toml"
        if manifest.is_file():
            found.append(manifest)
            if "workspace" in _manifest(manifest):
                break
        if (current / ".git").exists():
            break
    return found


def _asks_bundled(data: dict[str, Any]) -> bool:
    """Whether a manifest turns on a bundled SQLite in any dependency or feature."""
    wanted: list[str] = []
    for table in _dependency_tables(data):
        for crate, spec in table.items():
            if isinstance(spec, dict):
                wanted.extend(f"{crate}/{f}" for f in spec.get("features", []))
    features = data.get("features", {})
    if isinstance(features, dict):
        wanted.extend(str(f) for values in features.values() for f in values)
    return any(name in _BUNDLED or name.split("?/")[-1] in _BUNDLED for name in wanted)


# Features that compile SQLite in (rusqlite's bundled family; refinery's rusqlite-bundled).
_BUNDLED: Final = frozenset(
    {
        "rusqlite/bundled",
        "rusqlite/bundled-full",
        "rusqlite/bundled-sqlcipher",
        "rusqlite/bundled-sqlcipher-vendored-openssl",
        "libsqlite3-sys/bundled",
        "r2d2_sqlite/bundled",
        "refinery/rusqlite-bundled",
        "refinery-core/rusqlite-bundled",
        "refinery_core/rusqlite-bundled",
    }
)


def _manifest(path: Path) -> dict[str, Any]:
    """A Cargo manifest as data; an unreadable one names nothing."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _dependencies(data: dict[str, Any]) -> set[str]:
    """Every crate a manifest depends on, in any dependency table or target."""
    return {crate for table in _dependency_tables(data) for crate in table}


def _dependency_tables(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A manifest's dependency tables: its own, its workspace's and each target's."""
    targets = data.get("target", {})
    owners = [
        data,
        data.get("workspace", {}),
        *(targets.values() if isinstance(targets, dict) else ()),
    ]
    tables = []
    for owner in owners:
        if not isinstance(owner, dict):
            continue
        for kind in ("dependencies", "dev-dependencies", "build-dependencies"):
            found = owner.get(kind, {})
            if isinstance(found, dict):
                tables.append(found)
    return tables


def find_refinery(mig_dir: Path) -> tuple[list[Migration], tuple[str, ...]]:
    """Every migration refinery runs, in version order, and a note naming skipped files.

    Raises:
        BadFileError: a dotted version (``V1.1__x.sql``: refinery parses versions as
            ``i64`` and fails with ``InvalidVersion``), or a file that cannot be read.
        DuplicateVersionError: two files share a version (``RepeatedVersion``).

    """
    by_version: dict[int, Migration] = {}
    skipped: list[str] = []
    for path in sorted(p for p in mig_dir.rglob("*") if p.is_file() or p.is_symlink()):
        match = NAME.match(path.name)
        if match is None:
            if path.suffix == ".sql":
                skipped.append(str(path.relative_to(mig_dir)))
            continue
        prefix, number, name, extension = match.groups()
        if "." in number:
            message = (
                f"{path}: refinery parses the version {number!r} as an integer and refuses "
                "the set (InvalidVersion); rename it without the dot"
            )
            raise BadFileError(message)
        version = int(number)
        if version in by_version:
            other = by_version[version].path.name
            message = f"{path}: version {version} also used by {other} (refinery refuses it)"
            raise DuplicateVersionError(message)
        by_version[version] = _migration(path, version, prefix, name, extension)
    return sorted(by_version.values(), key=lambda m: m.version), _note(skipped)


def _migration(path: Path, version: int, prefix: str, name: str, extension: str) -> Migration:
    """One refinery migration; an empty file is an empty migration (execute_batch of "")."""
    data = {"name": name, "prefix": prefix}
    if extension == "rs":
        return Migration(
            version, path.stem, "", None, path, files.checksum(""), runner_data=data, program="rust"
        )
    text = files.read(path, allow_empty=True)
    return Migration(version, path.stem, text, None, path, files.checksum(text), runner_data=data)


def _note(skipped: list[str]) -> tuple[str, ...]:
    """The note for ``.sql`` files whose names refinery does not accept: it never runs them."""
    if not skipped:
        return ()
    names = ", ".join(skipped)
    return (
        f"refinery never runs {names}: its name is not [U|V]<version>__<name>.sql with a "
        "name of letters, digits and _ only, and refinery skips such files with a warning",
    )
