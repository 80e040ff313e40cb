"""goose: one ``NNN_name.sql`` per version, cut by goose's own parser (``sets/goose.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

from migration_harness.errors import BadFileError
from migration_harness.sets import goose
from migration_harness.sets.goose_v1 import read_file_v1
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration
from migration_harness.sets.sql import runs_nothing


def find_goose(texts: Mapping[Path, str], *, liamstask: bool = False) -> list[Migration]:
    """goose: one ``NNN_name.sql`` per version with ``-- +goose Up`` / ``-- +goose Down``.

    goose reads every ``.sql`` file of the folder, so a file without the Up annotation is
    refused as goose refuses it. ``NO TRANSACTION`` applies to both directions. An empty
    or comment-only Up section is an empty migration: goose records its version and runs
    nothing (``isEmpty`` in pressly/goose ``provider_run.go``). ``NNN_name.go`` files
    beside them are Go migrations numbered into the same history.

    ``liamstask``: read the files as liamstask goose does (:func:`liamstask_migration`).
    """
    by_version: dict[int, Migration] = {}
    for path in _go_files(texts):
        version, _ = files.parse_name(path, ".go")
        files.claim(by_version, version, path)
        by_version[version] = Migration(
            version, path.stem, "", None, path, files.checksum(""), program="go"
        )
    for path, text in texts.items():
        version, _ = files.parse_name(path, ".sql")
        files.claim(by_version, version, path)
        read = liamstask_migration if liamstask else goose_migration
        by_version[version] = read(version, path, text)
    return list(by_version.values())


def goose_migration(version: int, path: Path, text: str | None = None) -> Migration:
    """One goose SQL file as a :class:`Migration` (``text``: the file's, read if omitted).

    Raises:
        BadFileError: goose refuses the whole file (its own wording, with the line).

    """
    text = files.read(path) if text is None else text
    try:
        parsed = goose.read_file(text)
    except goose.GooseParseError as exc:
        message = f"{path}:{exc.line}: {exc} (goose layout)"
        raise BadFileError(message) from exc
    # Sections keep their place in the file, so every line number is the file's.
    up = files.at_line(parsed.up, parsed.up_line)
    down = _down(parsed.down)
    if down is not None:
        down = files.at_line(down, parsed.down_line)
    options = files.NO_OPTIONS if parsed.use_tx else files.NO_TRANSACTION
    return _migration(version, path, up, down, files.checksum(parsed.up), options)


def liamstask_migration(version: int, path: Path, text: str) -> Migration:
    """One SQL file as liamstask goose reads it (:mod:`~migration_harness.sets.goose_v1`).

    Nothing is refused here: a file goose stops on (no ``Up``/``Down`` annotation in its
    exact spelling, a line too long to scan) fails in both directions when it runs, as
    the ``fatal`` option tells the target; the files before it are still checked.
    """
    parsed = read_file_v1(text)
    if parsed.fatal is not None:
        fatal = MappingProxyType({"fatal": parsed.fatal, "fatal_line": parsed.fatal_line})
        return Migration(
            version, path.stem, text, text, path, files.checksum(text), path, fatal, fatal
        )
    options = files.NO_TRANSACTION if parsed.asks_no_tx else files.NO_OPTIONS
    return _migration(
        version, path, parsed.up, _down(parsed.down), files.checksum(parsed.up), options
    )


def _down(section: str | None) -> str | None:
    """A Down section, or ``None`` when the file has none or it runs no statement.

    Only comments and ``;`` run nothing: goose sends SQLite empty statements.
    """
    return section if section is not None and not runs_nothing(section) else None


def _migration(
    version: int,
    path: Path,
    up: str,
    down: str | None,
    checksum: str,
    options: Mapping[str, object],
) -> Migration:
    """A goose file's :class:`Migration`: both directions in the file, with one option set."""
    return Migration(version, path.stem, up, down, path, checksum, path, options, options)


def _go_files(texts: Mapping[Path, str]) -> list[Path]:
    """Go migrations beside the SQL files: ``NNN_name.go`` (goose skips ``_test.go``).

    pressly/goose ``migrate.go`` (``collectGoMigrations``) numbers every ``*.go`` file of
    the folder into the history; leaving them out would check a history production never
    runs, silently.
    """
    folders = {path.parent for path in texts}
    return sorted(
        path
        for folder in folders
        for path in folder.glob("*.go")
        if path.is_file() and not path.name.endswith("_test.go") and path.name[:1].isdigit()
    )


LIAMSTASK: Final = "bitbucket.org/liamstask/goose"
# Where a Go project names its dependencies: modules, godep, and vendored copies.
_DEPENDENCY_FILES: Final = ("go.mod", "Godeps/Godeps.json", "vendor/modules.txt")


def liamstask_reference(folder: Path) -> Path | None:
    """The file that says the project runs liamstask goose, looking up from ``folder``.

    gophish imports ``bitbucket.org/liamstask/goose/lib/goose`` (its ``go.mod`` pins it):
    the old goose, which runs every file in a transaction and drops unterminated text
    where goose v3 refuses it. The search stops at the project's root (the first folder
    with ``go.mod`` or ``.git``), so another project's files above it never count.
    """
    for current in (folder.resolve(), *folder.resolve().parents):
        for name in _DEPENDENCY_FILES:
            candidate = current / name
            if candidate.is_file() and LIAMSTASK in _text(candidate):
                return candidate
        vendored = current / "vendor" / LIAMSTASK
        if vendored.is_dir():
            return vendored
        if (current / "go.mod").is_file() or (current / ".git").exists():
            return None
    return None


def _text(path: Path) -> str:
    """A dependency file's text; unreadable bytes are replaced (only a name is looked for)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
