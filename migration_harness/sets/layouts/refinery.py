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


def names_refinery(folder: Path) -> Path | None:
    """The ``Cargo.toml`` that depends on refinery, looking up from ``folder``.

    The search stops at the project's root (a folder with ``.git``, or a Cargo workspace
    root), so another project's manifest above it never counts.
    """
    for current in (folder.resolve(), *folder.resolve().parents):
        manifest = current / "Cargo.toml"
        data = _manifest(manifest) if manifest.is_file() else {}
        if any(crate in _dependencies(data) for crate in _CRATES):
            return manifest
        if "workspace" in data or (current / ".git").exists():
            return None
    return None


def _manifest(path: Path) -> dict[str, Any]:
    """A Cargo manifest as data; an unreadable one names nothing."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _dependencies(data: dict[str, Any]) -> set[str]:
    """Every crate a manifest depends on, in any dependency table or target."""
    tables = [data, data.get("workspace", {}), *data.get("target", {}).values()]
    names: set[str] = set()
    for table in tables:
        if not isinstance(table, dict):
            continue
        for kind in ("dependencies", "dev-dependencies", "build-dependencies"):
            found = table.get(kind, {})
            names.update(found if isinstance(found, dict) else ())
    return names


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
