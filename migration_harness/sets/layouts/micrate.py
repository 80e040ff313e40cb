r"""micrate: ``db/migrations/<version>_<name>.sql`` with ``-- +micrate Up`` / ``-- +micrate Down``.

``migrations_by_version`` (src/micrate.cr) lists the files of the folder whose name matches
``^\d+.+\.sql$`` and takes the version from the name's part before its first ``_``
(``to_i64``: ``001-users.sql`` raises and micrate stops, so the harness refuses it).
``index_by`` keeps one file per version, whichever the folder lists last: two files of one
version are refused here, since which one runs is up to the file system. The markers are
micrate's alone (goose's are ``-- +goose``, sql-migrate's ``-- +migrate``): one such line
in the folder says micrate. Sources in ``docs/RUNNERS.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from migration_harness.errors import BadFileError, DuplicateVersionError
from migration_harness.sets.layouts import files
from migration_harness.sets.micrate import NAME, VERSION, is_micrate, sections
from migration_harness.sets.records import Migration
from migration_harness.sets.sql import runs_nothing


def is_micrate_set(texts: Mapping[Path, str]) -> bool:
    """A file of the folder carries micrate's ``Up`` or ``Down`` line."""
    return any(is_micrate(t) for t in texts.values())


def find_micrate(texts: Mapping[Path, str]) -> tuple[list[Migration], tuple[str, ...]]:
    """Every migration micrate runs, by version, and notes on what it runs nothing of.

    Raises:
        BadFileError: a name micrate lists whose part before ``_`` is no number.
        DuplicateVersionError: two files of one version.

    """
    by_version: dict[int, Migration] = {}
    skipped: list[str] = []
    empty: list[str] = []
    for path, text in sorted(texts.items()):
        if not NAME.match(path.name):
            skipped.append(path.name)
            continue
        match = VERSION.match(path.name)
        if match is None:
            message = (
                f"{path}: micrate reads the version as the name's part before its first '_' "
                "and fails on this name (Invalid Int64); rename it <version>_<name>.sql"
            )
            raise BadFileError(message)
        version = int(match.group(1))
        if version in by_version:
            message = (
                f"{path}: version {version} also used by {by_version[version].path.name} "
                "(micrate keeps one of them, whichever the folder lists last; renumber one)"
            )
            raise DuplicateVersionError(message)
        read = sections(text)
        if not read.has_up:
            empty.append(path.name)
        down = read.down if read.down is not None and not runs_nothing(read.down) else None
        by_version[version] = Migration(
            version,
            path.stem,
            read.up,
            down,
            path,
            files.checksum(text),
            path if down is not None else None,
        )
    notes = []
    if skipped:
        notes.append(
            f"micrate never runs {', '.join(skipped)}: its name does not start with a number "
            "(<version>_<name>.sql)"
        )
    if empty:
        notes.append(
            f"micrate runs nothing of {', '.join(empty)} and records it applied: no "
            "'-- +micrate Up' line (micrate matches it exactly, case included)"
        )
    return sorted(by_version.values(), key=lambda m: m.version), tuple(notes)
