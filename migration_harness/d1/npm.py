"""Where the local D1's npm packages are, and how a pip user gets them.

A wheel cannot carry workerd (a native binary per platform, pinned with wrangler), so
``--engine miniflare`` needs a ``node_modules`` holding the pinned ``miniflare``. A wrangler
project already has one beside its migrations; a checkout of the harness has one after
``npm ci``; anyone else runs ``migration-harness d1 install``, which puts the pinned
wrangler into a cache folder of the harness with npm. The lookup order, first hit wins:

1. ``$MIGRATION_HARNESS_NODE_MODULES`` (a ``node_modules`` folder);
2. ``node_modules`` in the migrations folder and its parents (the user's project);
3. ``node_modules`` in the working folder and its parents;
4. the harness checkout's (an editable install);
5. the cache folder ``d1 install`` fills (``$MIGRATION_HARNESS_CACHE/node``, by default
   the platform's user cache folder, e.g. ``~/.cache/migration-harness/node``).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from migration_harness.errors import HarnessError

NODE_MODULES_ENV: Final = "MIGRATION_HARNESS_NODE_MODULES"
CACHE_ENV: Final = "MIGRATION_HARNESS_CACHE"
_HERE: Final = Path(__file__).resolve().parent
# The wheel carries the checkout's package.json and lock here (pyproject force-include).
_PACKAGED: Final = _HERE / "npm"
_CHECKOUT: Final = _HERE.parent.parent
_CHECKOUT_MODULES: Final = _CHECKOUT / "node_modules"
MANIFESTS: Final = ("package.json", "package-lock.json")


class EngineUnavailableError(HarnessError):
    """Node or the pinned npm packages are missing, so the local D1 cannot start."""


def manifest_dir() -> Path:
    """The folder holding the harness's ``package.json`` (the wheel's copy, or the checkout)."""
    return _PACKAGED if (_PACKAGED / "package.json").is_file() else _CHECKOUT


def pinned_wrangler() -> str:
    """The wrangler version the harness is tested with (``package.json``'s pin)."""
    manifest = manifest_dir() / "package.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return str(data["devDependencies"]["wrangler"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        message = f"{manifest}: no pinned wrangler version (reinstall migration-harness)"
        raise EngineUnavailableError(message) from exc


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The harness's cache folder: ``$MIGRATION_HARNESS_CACHE``, else the user cache folder.

    The platform conventions platformdirs follows, without the dependency: XDG on Linux,
    ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows.
    """
    env = os.environ if environ is None else environ
    if env.get(CACHE_ENV):
        return Path(env[CACHE_ENV]).expanduser().absolute()
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "migration-harness"
    if sys.platform == "win32":
        local = env.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(local) / "migration-harness" / "Cache"
    base = env.get("XDG_CACHE_HOME") or str(home / ".cache")
    return Path(base) / "migration-harness"


def node_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where ``d1 install`` puts the pinned wrangler (its ``node_modules`` inside)."""
    return cache_dir(environ) / "node"


def candidates(near: Path | None = None, cwd: Path | None = None) -> list[Path]:
    """The ``node_modules`` folders looked in, in order (see the module docstring)."""
    found: list[Path] = []
    if os.environ.get(NODE_MODULES_ENV):
        found.append(Path(os.environ[NODE_MODULES_ENV]))
    for start in (near, cwd or Path.cwd()):
        if start is not None:
            start = start.absolute()
            found += [folder / "node_modules" for folder in (start, *start.parents)]
    found += [_CHECKOUT_MODULES, node_dir() / "node_modules"]
    return list(dict.fromkeys(found))


def find_node_modules(near: Path | None = None) -> Path:
    """The first ``node_modules`` holding ``miniflare``, or an error naming both remedies.

    Args:
        near: the migrations folder: its project's own wrangler wins.

    """
    for candidate in candidates(near):
        if (candidate / "miniflare" / "package.json").is_file():
            return candidate.resolve()
    message = f"--engine miniflare: the npm package `miniflare` is not installed ({install_hint()})"
    raise EngineUnavailableError(message)


def install_hint() -> str:
    """How to get the pinned local D1: in the project, or in the harness's cache."""
    try:
        pin = f"wrangler@{pinned_wrangler()}"
    except EngineUnavailableError:
        pin = "wrangler"
    return (
        f"needs Node.js >= 20; run `npm i -D {pin}` in your project, or "
        f"`migration-harness d1 install` to put it in {node_dir()}; "
        f"or set {NODE_MODULES_ENV} to a node_modules folder"
    )


def install_command(npm: str, folder: Path) -> list[str]:
    """The npm invocation that installs the pinned tree into ``folder``.

    ``npm ci`` with the harness's own lock file installs exactly the tree the harness is
    tested with (wrangler, miniflare, workerd), nothing newer; devDependencies included,
    since that is where package.json pins wrangler.
    """
    return [npm, "ci", "--prefix", str(folder), "--include=dev", "--no-audit", "--no-fund"]


def prepare(folder: Path) -> None:
    """Copy the harness's package.json and lock into ``folder`` for ``npm ci``."""
    folder.mkdir(parents=True, exist_ok=True)
    source = manifest_dir()
    for name in MANIFESTS:
        if not (source / name).is_file():
            message = f"{source / name}: missing from the installation (reinstall it)"
            raise EngineUnavailableError(message)
        shutil.copyfile(source / name, folder / name)


def find_npm() -> str:
    """The ``npm`` executable, or a one-line error."""
    found = shutil.which("npm")
    if found is None:
        message = "d1 install: `npm` not found on PATH (install Node.js >= 20, which brings npm)"
        raise EngineUnavailableError(message)
    return found
