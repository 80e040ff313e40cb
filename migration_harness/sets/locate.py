"""Which migration set a command works on when the user names none.

A command run without PATH or ``--migrations`` must work on the user's own set or on
nothing: an installed harness that silently fell back to its bundled example once applied
the example's twelve migrations to a user's database (issue 12). The order, first match
wins:

1. ``[tool.migration-harness]`` of the nearest ``pyproject.toml`` from the working folder
   upward: its ``migrations`` (and ``rollbacks``) relative to that file, or the file's own
   folder without the key (as the pytest plugin reads it);
2. the nearest wrangler config (``wrangler.json``, ``wrangler.jsonc``, ``wrangler.toml``,
   found upward as wrangler finds it): the ``migrations_dir`` of its ``d1_databases``
   (default ``migrations``, relative to the config);
3. the folders the known layouts use, in the working folder (``migrations``,
   ``db/migrations``, ``prisma/migrations``, ...);
4. only for read-only commands that ask for it, the embedded Umbrella example.

Nothing here reads a migration file: :func:`~migration_harness.sets.discovery.discover`
does, on the path :func:`locate` returns.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import migration_harness
from migration_harness.errors import DiscoveryError
from migration_harness.sets.config import configures_harness, harness_table
from migration_harness.sets.places import (
    KNOWN_FOLDERS,
    WRANGLER_CONFIGS,
    known_migrations_dir,
    read_wrangler_config,
)

TABLE: Final = "migration-harness"
EXAMPLE_NAME: Final = "the embedded Umbrella example"
_PACKAGE: Final = Path(migration_harness.__file__).resolve().parent
# The deepest wrangler ``migrations_dir`` discover() still ties to its config when handed
# the folder above the migrations (it looks for the config up to two folders higher).
_DISCOVER_REACH: Final = 3


class NoSetError(DiscoveryError):
    """A command without PATH found no migration set where it looks for one."""


@dataclass(frozen=True, slots=True)
class Located:
    """Where the set is and which rule found it.

    Attributes:
        root: the path to hand to ``discover`` (a project root, ``db/`` or the set).
        migrations: the migrations folder when ``root`` alone would not find it.
        rollbacks: ``rollbacks`` of ``[tool.migration-harness]``, if set.
        source: what found it, for messages ("pyproject.toml [tool.migration-harness]").
        is_example: the embedded example (no set of the user's was found).

    """

    root: Path
    migrations: Path | None = None
    rollbacks: Path | None = None
    source: str = ""
    is_example: bool = False


def locate(start: Path | None = None, *, example: bool = False) -> Located:
    """The set a command without PATH works on, looked for from ``start`` (the cwd).

    Args:
        start: the working folder.
        example: fall back to the embedded example (read-only commands only).

    Raises:
        NoSetError: nothing found (and ``example`` is false), naming where it looked.
        DiscoveryError: a ``[tool.migration-harness]`` path or a wrangler config is broken.

    """
    folder = (start or Path.cwd()).absolute()
    misses: list[str] = []
    found = _from_pyproject(folder) or _from_wrangler(folder, misses) or _from_known(folder)
    if found is not None:
        return _relative(found, folder) if folder == Path.cwd().absolute() else found
    if example:
        return Located(example_root(), source=EXAMPLE_NAME, is_example=True)
    wranglers = "/".join(WRANGLER_CONFIGS)
    also = f"; {'; '.join(misses)}" if misses else ""
    message = (
        f"no migration set found: looked for [tool.{TABLE}] in pyproject.toml and a D1 "
        f"binding in {wranglers} from {folder} upward, and for {', '.join(KNOWN_FOLDERS)} "
        f"in {folder}{also} (pass PATH or --migrations DIR)"
    )
    raise NoSetError(message)


def example_root() -> Path:
    """The embedded example set: in the wheel, else the checkout's ``db/`` (editable)."""
    packaged = _PACKAGE / "_embedded" / "db"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "db"


def inside_package(path: Path) -> bool:
    """Whether ``path`` lies inside the installed package, where nothing may be written."""
    return path.resolve().is_relative_to(_PACKAGE)


def _from_pyproject(folder: Path) -> Located | None:
    """Rule 1: the nearest pyproject.toml with a ``[tool.migration-harness]`` table."""
    for candidate in (folder, *folder.parents):
        pyproject = candidate / "pyproject.toml"
        table = _table(pyproject) if pyproject.is_file() else None
        if table is None:
            continue
        source = f"{pyproject} [tool.{TABLE}]"
        migrations = _key_path(pyproject, table, "migrations")
        return Located(
            root=migrations or pyproject.parent,
            rollbacks=_key_path(pyproject, table, "rollbacks"),
            source=source,
        )
    return None


def _table(pyproject: Path) -> Mapping[str, object] | None:
    """The ``[tool.migration-harness]`` table, or ``None`` when the file has none."""
    if not configures_harness(pyproject):
        return None  # another project's file, even one that names the package
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        message = f"{pyproject}: not valid TOML ({exc})"
        raise DiscoveryError(message) from exc
    return harness_table(data, pyproject)


def _key_path(pyproject: Path, table: Mapping[str, object], key: str) -> Path | None:
    """A path key of the table, relative to the pyproject.toml; it must exist."""
    value = table.get(key)
    if value is None:
        return None
    where = f"{pyproject}: [tool.{TABLE}] {key} = {value!r}"
    if not isinstance(value, str) or not value.strip():
        message = f"{where}: must be a non-empty string"
        raise DiscoveryError(message)
    path = pyproject.parent / value
    if not path.exists():
        message = f"{where}: {path} not found (paths are relative to the pyproject.toml)"
        raise DiscoveryError(message)
    return path


def _from_wrangler(folder: Path, misses: list[str]) -> Located | None:
    """Rule 2: the nearest wrangler config's D1 ``migrations_dir`` that exists."""
    for candidate in (folder, *folder.parents):
        config = next((candidate / n for n in WRANGLER_CONFIGS if (candidate / n).is_file()), None)
        if config is None:
            continue
        bindings = read_wrangler_config(config).get("d1_databases") or []
        for binding in bindings if isinstance(bindings, list) else []:
            name = binding.get("migrations_dir", "migrations") if isinstance(binding, dict) else ""
            mig = config.parent / str(name)
            if mig.is_dir():
                return _wrangler_set(config, mig)
            misses.append(f"{config}: migrations_dir {mig} does not exist")
        return None  # wrangler reads the nearest config only
    return None


def _wrangler_set(config: Path, mig: Path) -> Located:
    """The folder above the migrations as the set's root, as ``check db`` would name it.

    That root keeps a ``pyproject.toml`` or ``rollbacks/`` beside the migrations in play;
    a folder nested deeper than discover() looks for the config is passed explicitly.
    """
    source = f"{config} d1_databases"
    try:
        depth = len(mig.resolve().relative_to(config.parent.resolve()).parts)
    except ValueError:
        depth = _DISCOVER_REACH + 1
    if depth <= _DISCOVER_REACH:
        return Located(root=mig.parent, source=source)
    return Located(root=config.parent, migrations=mig, source=source)


def _from_known(folder: Path) -> Located | None:
    """Rule 3: a folder a known layout uses, in the working folder only."""
    found = known_migrations_dir(folder)
    if found is None:
        return None
    # ``db/`` is the harness's own layout (migrations + rollbacks side by side): name it
    # as the set, as ``check db`` does, so its regressions/ and config sit beside them.
    root = folder / "db" if found == folder / "db" / "migrations" else folder
    return Located(root=root, source=f"{found.relative_to(folder)}/ in {folder}")


def _relative(found: Located, folder: Path) -> Located:
    """Paths under the working folder as relative ones, so messages stay short."""

    def short(path: Path | None) -> Path | None:
        if path is None or not path.is_relative_to(folder):
            return path
        return path.relative_to(folder)

    root = short(found.root)
    assert root is not None
    return Located(root, short(found.migrations), short(found.rollbacks), found.source)
