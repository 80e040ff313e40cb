"""Version images kept across runs, so a pull request that adds one migration builds one.

Building version k means applying files 1..k; its image, schema records and seed rows
depend on nothing else but the target's rules (its runner, foreign keys, functions), the
SQLite library and the harness's own code. Each version is stored under a key chained
from all of those and from every file up to k, so editing a file misses exactly the
versions at and after it, and a new file at the end misses only its own.

The cache is the one thing ``check`` writes: ``.migration-harness/`` beside the
``pyproject.toml`` that configures the harness, else in the set's folder (it holds a
``.gitignore`` so git never sees it; CI may cache it). ``--no-cache`` turns it off. An
entry that fails its checksum or does not load is ignored and rebuilt, never an error; a
folder that cannot be written is skipped silently.

Entries are pickles: load a cache only from a folder you would run code from (the set's
own functions are code too); a CI cache restored for a pull request is scoped to it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import marshal
import os
import pickle
import sqlite3
import sys
import tempfile
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import migration_harness
from migration_harness.checks.images import Version
from migration_harness.sets.discovery import Migration, MigrationSet
from migration_harness.sets.functions import config_of
from migration_harness.sets.targets import Target

FOLDER: Final = ".migration-harness"
_MAGIC: Final = b"MHV4"  # 4: images as pages shared between versions
_STALE_DAYS: Final = 30  # entries no run loaded or wrote for this long are deleted


class VersionCache:
    """The stored versions of one set under one target (the engine's ``store``).

    One entry holds versions ``0..k`` together, named by version k's key: the records
    consecutive versions share (tables, seed rows, image pages) are stored once (pickle
    keeps one copy of a shared object), so an entry costs what changed, not the square of
    the history. A run loads the longest entry its files still match and, when
    it built more, writes one new entry.
    """

    def __init__(self, folder: Path, keys: Sequence[str]) -> None:
        """Entries for versions ``0..len(keys)-1`` live in ``folder/versions/<key>``."""
        self.folder = folder
        self.keys = tuple(keys)
        self.hits = 0
        self.writable = True

    @classmethod
    def for_set(cls, folder: Path, mset: MigrationSet, target: Target) -> VersionCache | None:
        """The cache of ``mset`` in ``folder`` (``None``: this target cannot be cached).

        A target whose files run on another engine (a local D1) is never cached: the
        build is also what compares the two engines.
        """
        if target.executor is not None:
            return None
        base = _target_fingerprint(target)
        if base is None:
            return None
        key = _digest(_harness_fingerprint(), sqlite3.sqlite_version, base)
        keys = [key]
        for migration in mset.migrations:
            key = _digest(key, _migration_fingerprint(migration))
            keys.append(key)
        return cls(folder, keys)

    def load(self) -> list[Version]:
        """The longest run of versions ``0..k`` an earlier run stored (empty: none usable).

        An entry that fails its checksum or does not unpickle is skipped for a shorter one.
        """
        for k in range(len(self.keys) - 1, -1, -1):
            path = self._path(k)
            if not path.is_file():
                continue
            versions = _read(path, k + 1)
            if versions is not None:
                self.hits = len(versions)
                _touch(path)
                return versions
        return []

    def save(self, versions: Sequence[Version]) -> None:
        """Store versions ``0..k`` as one entry, and ``0..k-1`` as another.

        The second serves the next run after the last file is edited (a pull request
        being worked on): it then rebuilds that one version, not the whole history.
        Nothing is written for versions a run loaded.
        """
        for count in (len(versions), len(versions) - 1):
            if count > self.hits and not self._path(count - 1).is_file():
                self._write(versions[:count])

    def _write(self, versions: Sequence[Version]) -> None:
        """One entry, written to a temporary file and renamed (never seen half-written)."""
        if not self.writable:
            return
        name = None
        try:
            data = _dumps(list(versions))
            path = self._path(len(versions) - 1)
            _create(path.parent)
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                out.write(_MAGIC + hashlib.sha256(data).digest() + data)
            os.replace(name, path)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            self.writable = False  # a read-only checkout: run without storing
            # A disk that fills mid-write left the partial entry behind, as big as what
            # fitted, on the disk that had no room; nothing reads a ``.tmp-`` file.
            if name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(name)

    def prune(self) -> None:
        """Delete entries no run has used for a month (edited files leave them behind)."""
        cutoff = time.time() - _STALE_DAYS * 86400
        try:
            entries = list((self.folder / "versions").iterdir())
        except OSError:
            return
        for entry in entries:
            try:
                if entry.stat().st_mtime < cutoff:
                    entry.unlink()
            except OSError:
                continue

    def _path(self, k: int) -> Path:
        return self.folder / "versions" / self.keys[k]


def _read(path: Path, count: int) -> list[Version] | None:
    """The ``count`` versions stored at ``path``, or ``None`` (corrupt, outdated, other)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header, payload = data[: len(_MAGIC) + 32], data[len(_MAGIC) + 32 :]
    if header != _MAGIC + hashlib.sha256(payload).digest():
        return None
    try:
        versions = pickle.loads(zlib.decompress(payload))  # our own folder: see the module doc
    except Exception:  # a corrupt or outdated entry is a miss, whatever it raises
        return None
    if not isinstance(versions, list) or len(versions) != count:
        return None
    if not all(isinstance(v, Version) for v in versions):
        return None
    return versions


class _Pickler(pickle.Pickler):
    """Pickles records without what they computed about themselves.

    A schema record memoises derived views (``functools.cached_property``: a read-only
    mapping among them, which pickle refuses); they are rebuilt on first use.
    """

    def reducer_override(self, obj: object) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type) and hasattr(obj, "__dict__"):
            names = [spec.name for spec in dataclasses.fields(obj) if spec.init]
            if set(vars(obj)) - set(names):
                return _rebuild, (type(obj), {name: getattr(obj, name) for name in names})
        return NotImplemented


def _rebuild(cls: type[Any], values: dict[str, Any]) -> Any:
    """A record pickled by :class:`_Pickler`, built again from its fields."""
    return cls(**values)


def _dumps(versions: list[Version]) -> bytes:
    """An entry's payload: the versions (shared pages once), pickled, compressed."""
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(versions)
    return zlib.compress(out.getvalue(), 1)


def cache_folder(mset: MigrationSet) -> Path | None:
    """Where ``check`` keeps its cache for ``mset`` (``None``: inside the installed package).

    Beside the ``pyproject.toml`` that configures the harness (the project root, where
    ``.hypothesis/`` usually is), else in the set's own folder. Never inside the installed
    package: its embedded example set is read-only to us.
    """
    config = config_of(mset)
    folder = (config.parent if config else mset.root).resolve() / FOLDER
    package = Path(migration_harness.__file__).resolve().parent
    if folder.is_relative_to(package):
        return None
    return folder


def _create(folder: Path) -> None:
    """Create the cache folder, with a ``.gitignore`` so git never lists it."""
    if folder.is_dir():
        return
    top = folder.parent
    fresh = not top.exists()
    folder.mkdir(parents=True, exist_ok=True)
    if fresh:
        (top / ".gitignore").write_text("# created by migration-harness: its cache\n*\n")


def _touch(path: Path) -> None:
    """Mark an entry as used (pruning deletes the ones no run used for a month)."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def _migration_fingerprint(migration: Migration) -> str:
    """Everything about a migration that applying it reads (not its rollback)."""
    return repr(
        (
            migration.version,
            migration.name,
            migration.id,
            migration.path.name,
            migration.checksum,
            migration.up_sql,
            sorted(migration.up_options.items(), key=repr),
            sorted(migration.runner_data.items(), key=repr),
            migration.previous,
            migration.order,
            migration.program,
        )
    )


def _target_fingerprint(target: Target) -> str | None:
    """The target's rules, functions included by their code (``None``: not fingerprintable)."""
    functions = []
    for function in target.functions:
        code = getattr(function.func, "__code__", None)
        if code is None:
            return None
        body = hashlib.sha256(marshal.dumps(code)).hexdigest()
        functions.append((function.name, function.nargs, function.deterministic, body))
    return repr((dataclasses.replace(target, functions=()), functions))


@functools.cache
def _harness_fingerprint() -> str:
    """The harness's version and the text of its code: a new build never reads old entries.

    An editable install keeps one version number across edits, so the code itself is
    part of the key; reading it costs a few milliseconds.
    """
    package = Path(migration_harness.__file__).resolve().parent
    hasher = hashlib.sha256(migration_harness.__version__.encode())
    hasher.update(sys.version.encode())
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()
