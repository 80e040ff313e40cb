"""Where a project keeps its migrations: the folder for a path, its rollbacks, wrangler's config.

:func:`~migration_harness.sets.discovery.discover` starts here: a path may be a project
root, a ``db/`` folder or the migrations folder itself, and a wrangler D1 binding near it
names its own ``migrations_dir``. :mod:`~migration_harness.sets.locate` reads the same
known folders and wrangler configs when a command is given no path at all. Nothing here
reads a migration file.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any, Final

from migration_harness.errors import DiscoveryError
from migration_harness.sets.layouts import (
    drizzle,
    files,
    flyway,
    liquibase,
    liquibase_master,
    prisma,
    sqldelight,
)

__all__ = [
    "KNOWN_FOLDERS",
    "WRANGLER_CONFIGS",
    "known_migrations_dir",
    "migrations_dir",
    "read_wrangler_config",
    "rollbacks_dir",
    "wrangler_migrations_dir",
]


def migrations_dir(root: Path, wrangler: tuple[Path, Path] | None) -> Path:
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


def rollbacks_dir(root: Path, mig_dir: Path) -> Path | None:
    """``rollbacks/`` beside the migrations folder, or inside the root."""
    for candidate in (mig_dir.parent / "rollbacks", root / "rollbacks"):
        if candidate.is_dir() and candidate.resolve() != mig_dir.resolve():
            return candidate
    return None


def wrangler_migrations_dir(root: Path) -> tuple[Path, Path] | None:
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
