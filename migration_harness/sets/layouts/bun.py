"""uptrace/bun migrate: ``<digits>_<name>.up.sql`` / ``.down.sql``, ``.tx.`` for a transaction."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Final

from migration_harness.errors import BadFileError, DuplicateVersionError
from migration_harness.sets import bun
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration


def find_bun(texts: Mapping[Path, str]) -> tuple[list[Migration], tuple[str, ...]]:
    r"""The migrations bun's ``Discover`` finds, and a note for the files it never reads.

    bun reads only names ending in ``.up.sql``/``.down.sql``; each must match its
    ``fnameRE`` (``^(\d{1,14})_([0-9a-z_\-]+)\.``) or ``Discover`` fails, and the two
    files of one name must share their comment. A file named ``.tx.up.sql`` runs in a
    transaction, any other up file without one (``newSQLMigrationFunc``). Numbered
    ``.go`` files beside them are Go migrations registered into the same history.
    """
    ups: dict[str, Path] = {}
    downs: dict[str, Path] = {}
    comments: dict[str, tuple[str, Path]] = {}
    skipped = [p for p in texts if not p.name.endswith(bun.SQL_SUFFIXES)]
    for path in sorted(p for p in texts if p.name.endswith(bun.SQL_SUFFIXES)):
        name, comment = _name(path)
        seen = comments.setdefault(name, (comment, path))
        if seen[0] != comment:
            message = (
                f"{path}: migrate: duplicate migration ID {name} (files {seen[0]} and "
                f"{comment}); give each migration its own number"
            )
            raise DuplicateVersionError(message)
        side = ups if path.name.endswith(".up.sql") else downs
        if name in side:
            message = f"{path}: {side[name].name} is the same migration's file; keep one"
            raise DuplicateVersionError(message)
        side[name] = path
    versions: dict[int, str] = {}
    for name, (_, path) in comments.items():
        other = versions.setdefault(int(name), name)
        if other != name:
            message = (
                f"{path}: numbers {other} and {name} differ only in leading zeros (the "
                "harness orders by number; rename one)"
            )
            raise DuplicateVersionError(message)
    found = [_migration(n, ups.get(n), downs.get(n), texts) for n in comments]
    found += _go_migrations(texts, set(comments))
    note: tuple[str, ...] = ()
    if skipped:
        names = ", ".join(p.name for p in skipped)
        note = (f"bun never runs {names}: it reads only *.up.sql and *.down.sql files",)
    return found, note


def _name(path: Path) -> tuple[str, str]:
    match = bun.NAME.match(path.name)
    if match is None:
        message = (
            f"{path}: migrate: unsupported migration name format (bun wants "
            "<up to 14 digits>_<lower-case name>.up.sql)"
        )
        raise BadFileError(message)
    return match.group(1), match.group(2)


def _options(path: Path | None, text: str) -> Mapping[str, object]:
    """No transaction unless the name says ``.tx.``; an unknown directive fails the run."""
    unknown = bun.read_pieces(text).unknown
    options: dict[str, object] = {}
    if path is not None and not path.name.endswith(bun.TX_SUFFIXES):
        options["transaction"] = False
    if unknown is not None:
        options["fatal"] = f"bun: unknown directive: {unknown[0]!r}"
        options["fatal_line"] = unknown[1]
    return MappingProxyType(options)


def _migration(
    name: str, up: Path | None, down: Path | None, texts: Mapping[Path, str]
) -> Migration:
    """One migration: a missing up file is an empty migration (bun records it, runs nothing)."""
    up_sql = texts[up] if up is not None else ""
    down_sql = texts[down] if down is not None else None
    if down_sql is not None:
        read = bun.read_pieces(down_sql)
        # a blank down file runs nothing: no rollback (an unknown directive still fails)
        down_sql = down_sql if read.pieces or read.unknown else None
    forward = up if up is not None else down
    assert forward is not None  # every name comes from one of its files
    stem = forward.name.removesuffix(".sql").removesuffix(".up").removesuffix(".down")
    return Migration(
        int(name),
        stem.removesuffix(".tx"),
        up_sql,
        down_sql,
        forward,
        files.checksum(up_sql),
        down,
        _options(up, up_sql),
        _options(down, down_sql or ""),
        order=name,
    )


def _go_migrations(texts: Mapping[Path, str], names: set[str]) -> list[Migration]:
    """Numbered ``.go`` files beside the SQL ones: Go migrations no SQL check can run."""
    found: list[Migration] = []
    folders = {path.parent for path in texts}
    for path in sorted(p for f in folders for p in f.glob("*.go")):
        match = bun.NAME.match(path.name)
        if match is None or path.name.endswith("_test.go") or not path.is_file():
            continue
        if match.group(1) in names:
            message = f"{path}: migrate: duplicate migration ID {match.group(1)}"
            raise DuplicateVersionError(message)
        found.append(
            Migration(
                int(match.group(1)),
                path.stem,
                "",
                None,
                path,
                files.checksum(""),
                program="go",
                order=match.group(1),
            )
        )
    return found


# The import paths, quoted as a Go import spells them, of the migrators that read .up.sql.
BUN_MIGRATE: Final = '"github.com/uptrace/bun/migrate"'
_OTHERS: Final = ('"github.com/golang-migrate/migrate', '"github.com/amacneil/dbmate')


def runs_bun(folder: Path) -> Path | None:
    """The Go file that runs bun's migrator on ``folder``, looking up from it.

    bun finds its SQL files through Go code: ``DiscoverCaller()`` reads the folder of the
    Go file that calls it, ``Discover(fsys)`` an ``embed.FS`` whose ``//go:embed`` patterns
    reach only that file's folder and below (``migrate/migrations.go``). So the nearest
    folder, from ``folder`` up to the module's root (``go.mod``, or ``.git``), holding a
    non-test Go file that imports ``github.com/uptrace/bun/migrate`` says bun, unless a Go
    file there imports another migrator (golang-migrate's ``iofs`` source embeds the same
    names). ``go.mod`` cannot say it: ``migrate`` is a package of the ``github.com/uptrace/
    bun`` module, the ORM many golang-migrate projects use.
    """
    for current in (folder.resolve(), *folder.resolve().parents):
        sources = [p for p in sorted(current.glob("*.go")) if not p.name.endswith("_test.go")]
        texts = {path: _text(path) for path in sources if path.is_file()}
        if any(other in text for text in texts.values() for other in _OTHERS):
            return None
        runner = next((path for path, text in texts.items() if BUN_MIGRATE in text), None)
        if runner is not None:
            return runner
        if (current / "go.mod").is_file() or (current / ".git").exists():
            return None
    return None


def _text(path: Path) -> str:
    """A Go file's text; unreadable bytes are replaced (only an import path is looked for)."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
