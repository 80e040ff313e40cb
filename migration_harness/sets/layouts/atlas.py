"""Atlas versioned migrations: ``<version>_<name>.sql`` files beside ``atlas.sum``.

``atlas migrate apply`` reads the folder's top-level ``*.sql`` files in name order
(``LocalDir.Files``: ``fs.Glob("*.sql")``, sorted as strings); a file's version is its name up
to the first ``_``, compared as a string. ``atlas.sum`` marks the folder: Atlas writes it
beside every folder it manages, and refuses to apply anything while it disagrees with the
files. Atlas also writes it for folders in golang-migrate's, goose's, dbmate's or Flyway's
format (``?format=``); those files carry their runner's names or markers and stay that
runner's (discovery checks them first).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError, DuplicateVersionError
from migration_harness.sets import atlas
from migration_harness.sets.atlas import SUM_FILE, SumMismatch, file_directives, sum_mismatch
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration

_TX_MODES: Final = ("none", "file")


def is_atlas(mig_dir: Path) -> bool:
    """A folder Atlas manages: its ``atlas.sum`` sits beside the files."""
    return (mig_dir / SUM_FILE).is_file()


def find_atlas(mig_dir: Path) -> tuple[list[Migration], tuple[str, ...]]:
    """Every file Atlas applies to a new database, in its order, and notes.

    Versions are the names' numbers where they are distinct and follow the name order,
    else positions; ``order`` keeps Atlas's name order either way. A checkpoint file
    (``-- atlas:checkpoint``) is where Atlas starts on a clean database: the files before
    the last one are left out with a note. When ``atlas.sum`` disagrees with the files the
    file Atlas names carries the refusal (``migrate.Validate``: Atlas applies nothing).

    Raises:
        BadFileError: a ``txmode`` directive Atlas refuses (``all``, an unknown word, two).
        DuplicateVersionError: two files with one version (Atlas cannot track both).

    """
    paths = sorted(p for p in mig_dir.glob("*.sql") if p.is_file())
    raw = [(p.name, p.read_bytes()) for p in paths]
    hashes = dict(atlas.sum_hashes(raw))
    sum_path = mig_dir / SUM_FILE
    sum_text = sum_path.read_text(encoding="utf-8") if sum_path.is_file() else None
    mismatch = sum_mismatch(sum_text, raw)
    texts = {p: files.read(p, allow_empty=True) for p in paths}
    start = max((i for i, p in enumerate(paths) if _is_checkpoint(texts[p])), default=0)
    notes = [_checkpoint_note(paths[:start], paths[start])] if start else []
    kept = paths[start:]
    _refuse_duplicates(kept)
    numbers = _versions([_version(p) for p in kept])
    found = [
        _migration(p, texts[p], n, hashes.get(p.name, ""), _refusal(p, kept, mismatch))
        for p, n in zip(kept, numbers, strict=True)
    ]
    if mismatch is not None:
        notes.append(_mismatch_note(mismatch))
    return found, tuple(notes)


def _version(path: Path) -> str:
    """``LocalFile.Version``: the name without ``.sql``, up to the first ``_``."""
    return path.name.removesuffix(".sql").split("_", 1)[0]


def _description(path: Path) -> str:
    """``LocalFile.Desc``: the part after the first ``_``."""
    parts = path.name.split("_", 1)
    return parts[1].removesuffix(".sql") if len(parts) == 2 else ""


def _versions(versions: list[str]) -> list[int]:
    """The versions as numbers where they are, distinct and in name order; else positions."""
    if all(v.isdigit() for v in versions):
        numbers = [int(v) for v in versions]
        if numbers == sorted(set(numbers)):
            return numbers
    return list(range(1, len(versions) + 1))


def _refuse_duplicates(paths: list[Path]) -> None:
    """Two files of one version: Atlas keeps one revision per version and fails the second."""
    seen: dict[str, Path] = {}
    for path in paths:
        version = _version(path)
        if version in seen:
            message = (
                f"{path}: version {version} also used by {seen[version].name} (Atlas keeps "
                "one revision per version; rename one)"
            )
            raise DuplicateVersionError(message)
        seen[version] = path


def _is_checkpoint(text: str) -> bool:
    """The file says ``-- atlas:checkpoint`` in its header."""
    return bool(file_directives(text, "checkpoint"))


def _checkpoint_note(skipped: list[Path], checkpoint: Path) -> str:
    """Atlas starts a clean database at the last checkpoint: the older files never run there."""
    names = ", ".join(p.name for p in skipped)
    return (
        f"Atlas applies {checkpoint.name} (a checkpoint) first on a new database and never "
        f"runs {names} there; the check starts at the checkpoint"
    )


def _mismatch_note(mismatch: SumMismatch) -> str:
    """The note for a folder Atlas refuses whole."""
    return (
        f"atlas.sum does not match the files ({mismatch.file}: {mismatch.reason}): "
        "`atlas migrate apply` refuses to run any file until `atlas migrate hash` is run"
    )


def _refusal(path: Path, kept: list[Path], mismatch: SumMismatch | None) -> str:
    """Atlas's refusal, on the file its checksum error names (the first file otherwise)."""
    if mismatch is None:
        return ""
    names = [p.name for p in kept]
    if path.name != (mismatch.file if mismatch.file in names else names[0]):
        return ""
    return (
        f"atlas.sum does not match the migration files ({mismatch.file}: {mismatch.reason}); "
        "Atlas refuses to apply any file (checksum mismatch): run `atlas migrate hash`"
    )


def _migration(path: Path, text: str, number: int, sum_hash: str, refusal: str) -> Migration:
    """One Atlas file: its txmode directive, its revision's fields, a refusal if any."""
    modes = file_directives(text, "txmode")
    if len(modes) > 1 or (modes and modes[0] not in _TX_MODES):
        message = (
            f"{path}: -- atlas:txmode {' '.join(modes)}: Atlas accepts one txmode directive, "
            "none or file, and refuses the file otherwise"
        )
        raise BadFileError(message)
    options: dict[str, object] = {"transaction": False} if modes == ["none"] else {}
    if refusal:
        options["fatal"] = refusal
    data = {
        "version": _version(path),
        "description": _description(path),
        "hash": sum_hash,
        "total": len(atlas.atlas_plan(text)),
    }
    return Migration(
        number,
        path.stem,
        text,
        None,
        path,
        files.checksum(text),
        up_options=options,
        runner_data=data,
        order=path.name,
    )
