"""yoyo-migrations (Python): ``<id>.sql`` with ``<id>.rollback.sql``, ordered by name and deps.

yoyo (yoyo/migrations.py, 9.0) takes every ``.sql`` (and ``.py``) file of the folder as a
migration whose id is the file name without its extension, skips ``*.rollback.sql`` (the
rollback of the file with the same stem) and runs ``post-apply*`` files after every apply
without recording them. The leading comment lines may carry directives:
``-- depends: <id> <id>`` (repeatable; yoyo sorts topologically, otherwise by name) and
``-- transactional: false`` (the file runs without a transaction).

yoyo names files ``20240101_01_AbCdE-create-users.sql`` (``yoyo new``), or people write
``0001_users.sql``; neither names a runner, so a folder is yoyo's when a file carries a
``.rollback.sql`` partner or a directive, or a ``yoyo.ini`` sits beside it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError, OrphanRollbackError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration
from migration_harness.sets.sql import is_blank

ROLLBACK: Final = ".rollback.sql"
CONFIG: Final = "yoyo.ini"
POST_APPLY: Final = "post-apply"
# parse_metadata_from_sql_comments (yoyo/migrations.py): directive lines in the leading
# comments, comment or blank lines skipped, the first other line ends them.
_DIRECTIVE: Final = re.compile(r"^\s*--\s*(transactional|depends)\s*:\s*(.*)$")
_COMMENT_OR_EMPTY: Final = re.compile(r"^(\s*|\s*--.*)$")
_LEADING_NUMBER: Final = re.compile(r"[0-9]+")


def directives(text: str) -> dict[str, str]:
    """The file's ``depends``/``transactional`` directives; repeated ones are joined by a space."""
    found: dict[str, str] = {}
    for line in re.split(r"\r\n|\r|\n", text):
        match = _DIRECTIVE.match(line)
        if match:
            key, value = match.groups()
            found[key] = f"{found[key]} {value}" if key in found else value
        elif not _COMMENT_OR_EMPTY.match(line):
            break
    return found


def is_yoyo(mig_dir: Path, texts: Mapping[Path, str]) -> bool:
    """A yoyo folder: a ``.rollback.sql`` file, a yoyo directive, or ``yoyo.ini`` beside it."""
    if any(p.name.endswith(ROLLBACK) for p in texts):
        return True
    if (mig_dir / CONFIG).is_file() or (mig_dir.parent / CONFIG).is_file():
        return True
    return any(directives(t) for t in texts.values())


def find_yoyo(
    texts: Mapping[Path, str], programs: tuple[Path, ...] = ()
) -> tuple[list[Migration], tuple[str, ...]]:
    """Every migration yoyo applies to a new database, in yoyo's order, and notes.

    Versions are the ids' leading numbers when those are distinct and follow the order,
    else positions (1, 2, ...); the id is the key, as ``_yoyo_migration`` records it.
    ``programs``: the folder's ``.py`` migrations, code in the same history (their
    ``__depends__`` is code too: they are ordered by name only).

    Raises:
        BadFileError: a ``transactional`` value other than true/false (yoyo's KeyError), a
            dependency on an id the folder lacks, a dependency cycle, or a rollback file
            without its migration.

    """
    by_id: dict[str, Path] = {}
    hooks: list[str] = []
    for path in sorted((*texts, *programs)):
        if path.name.endswith(ROLLBACK):
            continue
        if path.name.startswith(POST_APPLY):
            hooks.append(path.name)
            continue
        by_id[path.stem] = path
    _refuse_orphans(texts, by_id)
    depends = {ident: _depends(path, texts.get(path, ""), by_id) for ident, path in by_id.items()}
    ordered = _topological(by_id, depends)
    versions = _versions(ordered)
    found = [_migration(by_id[i], texts, v) for i, v in zip(ordered, versions, strict=True)]
    note = (
        (
            f"yoyo runs {', '.join(hooks)} after every apply and records nothing for it; "
            "the check does not run post-apply hooks",
        )
        if hooks
        else ()
    )
    return found, note


def _migration(path: Path, texts: Mapping[Path, str], version: int) -> Migration:
    """One yoyo migration, with its rollback and its transactional option."""
    if path.suffix == ".py":
        return Migration(
            version, path.stem, "", None, path, files.checksum(""), key=path.stem, program="python"
        )
    text = texts[path]
    options = _options(path, text)
    down_path = path.with_name(path.stem + ROLLBACK)
    down_text = texts.get(down_path)
    down = down_text if down_text is not None and not is_blank(down_text) else None
    return Migration(
        version,
        path.stem,
        text,
        down,
        path,
        files.checksum(text),
        down_path if down_text is not None else None,
        options,
        options,
        key=path.stem,
    )


def _options(path: Path, text: str) -> Mapping[str, object]:
    """``-- transactional: false`` in the uniform shape; yoyo refuses any other word."""
    value = directives(text).get("transactional", "true").strip().lower()
    if value not in ("true", "false"):
        message = (
            f"{path}: -- transactional: {value}: yoyo accepts only true or false "
            "(it fails loading the migration)"
        )
        raise BadFileError(message)
    return files.NO_TRANSACTION if value == "false" else files.NO_OPTIONS


def _depends(path: Path, text: str, by_id: Mapping[str, Path]) -> tuple[str, ...]:
    """The ids ``path`` depends on; an unknown one is refused as yoyo refuses it."""
    wanted = tuple(directives(text).get("depends", "").split())
    for ident in wanted:
        if ident not in by_id:
            message = (
                f"{path}: -- depends: {ident}: no migration has this id (yoyo: 'Could not "
                "resolve dependencies'); name another file without .sql"
            )
            raise BadFileError(message)
    return wanted


def _topological(by_id: Mapping[str, Path], depends: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Yoyo's order (yoyo/topologicalsort.py): the first id by name whose dependencies ran."""
    ordered: list[str] = []
    pending = list(by_id)
    while pending:
        ready = next((i for i in pending if all(d in ordered for d in depends[i])), None)
        if ready is None:
            message = (
                f"{by_id[pending[0]]}: circular dependencies among these migrations: "
                f"{', '.join(pending)} (yoyo refuses them)"
            )
            raise BadFileError(message)
        ordered.append(ready)
        pending.remove(ready)
    return ordered


def _versions(ids: list[str]) -> list[int]:
    """The ids' leading numbers when distinct and in order, else positions."""
    numbers = [_LEADING_NUMBER.match(i) for i in ids]
    values = [int(m.group()) for m in numbers if m is not None]
    if len(values) == len(ids) and len(set(values)) == len(values) and values == sorted(values):
        return values
    return list(range(1, len(ids) + 1))


def programs(mig_dir: Path) -> tuple[Path, ...]:
    """The folder's ``.py`` migrations (``_is_migration_file``: any ``.py`` file)."""
    return tuple(sorted(p for p in mig_dir.iterdir() if p.suffix == ".py" and p.is_file()))


def _refuse_orphans(texts: Mapping[Path, str], by_id: Mapping[str, Path]) -> None:
    """A rollback file whose migration is missing: yoyo never runs it, likely a rename."""
    for path in texts:
        stem = path.name.removesuffix(ROLLBACK)
        if path.name.endswith(ROLLBACK) and stem not in by_id and not stem.startswith(POST_APPLY):
            message = (
                f"{path}: rollback without its migration "
                f"{path.name.removesuffix(ROLLBACK)}.sql (yoyo never runs it; rename one)"
            )
            raise OrphanRollbackError(message)
