"""diesel: one folder per migration, ``<version>_<name>/up.sql`` (+ ``down.sql``)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from migration_harness.errors import BadFileError, UnknownLayoutError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration


def folders(mig_dir: Path) -> list[Path]:
    """Diesel's migration folders: those holding any ``.sql`` (diesel skips dot-folders)."""
    return sorted(
        p
        for p in mig_dir.iterdir()
        if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.sql"))
    )


def find_diesel(mig_dir: Path, folders: list[Path]) -> list[Migration]:
    """diesel: ``<version>_<name>/up.sql`` (+ ``down.sql``, ``metadata.toml``).

    The version is the folder name before its first ``_`` with every ``-`` removed, so
    ``2023-01-01-000000_users`` and ``20230101000000_users`` are both 20230101000000.
    """
    if not folders:
        message = f"{mig_dir}: no migration folders with an up.sql found (diesel layout)"
        raise UnknownLayoutError(message)
    by_version: dict[int, Migration] = {}
    for folder in folders:
        prefix = folder.name.split("_", 1)[0].replace("-", "")
        up = folder / "up.sql"
        if not prefix.isdigit():
            message = (
                f"{folder}: folder name does not start with a version (e.g. 2023-01-01-000000_name)"
            )
            raise UnknownLayoutError(message)
        if not up.is_file():
            message = f"{folder}: no up.sql in this migration folder (diesel requires one)"
            raise BadFileError(message)
        version = int(prefix)
        files.claim(by_version, version, folder)
        down = folder / "down.sql"
        down_path = down if down.is_file() else None
        options = _options(folder / "metadata.toml")
        up_sql = files.read(up)
        files.check_sql(up, up_sql, what="migration")
        by_version[version] = Migration(
            version,
            folder.name,
            up_sql,
            files.down_text(down_path) if down_path else None,
            up,
            files.checksum(up_sql),
            down_path,
            options,
            options,
            key=folder.name,
        )
    return list(by_version.values())


def _options(path: Path) -> Mapping[str, object]:
    """``run_in_transaction`` from ``metadata.toml``.

    Without the file diesel runs in a transaction (``TomlMetadata::default()``); with it,
    the field is ``#[serde(default)] bool``, so a file that omits the key means *no*
    transaction. diesel-rs/diesel ``migrations_internals/src/lib.rs``.
    """
    if not path.is_file():
        return files.NO_OPTIONS
    try:
        data = tomllib.loads(files.read(path, allow_empty=True))
    except tomllib.TOMLDecodeError as exc:
        message = f"{path}: not a valid TOML file ({exc})"
        raise BadFileError(message) from exc
    value = data.get("run_in_transaction", False)
    if not isinstance(value, bool):
        message = f"{path}: run_in_transaction must be true or false, not {value!r}"
        raise BadFileError(message)
    return files.NO_OPTIONS if value else files.NO_TRANSACTION
