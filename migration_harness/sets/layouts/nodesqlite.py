r"""node-sqlite (npm ``sqlite``): ``<id>.<name>.sql`` files with ``-- Up`` and ``-- Down`` sections.

``readMigrations`` takes every file of the folder whose name matches ``^(\d+).(.*?)\.sql$``
(any one character after the digits: ``001-initial.sql`` as the README writes, or
``1.initial.sql``), its id the digits as a number, sorted by id. Such names say nothing on
their own (wrangler's plain files look the same), so a folder is node-sqlite's when a file
has a ``-- Up`` line and, after it, a ``-- Down`` line, each alone on its line. dbmate's
``-- migrate:up``, goose's ``-- +goose Up`` and sql-migrate's ``-- +migrate Up`` are other
words after ``--`` and never match; a comment such as ``-- Down the road…`` is no marker.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from migration_harness.errors import DuplicateVersionError
from migration_harness.sets.layouts import files
from migration_harness.sets.nodesqlite import NAME, is_marked, sections
from migration_harness.sets.records import Migration


def is_node_sqlite(texts: Mapping[Path, str]) -> bool:
    """A file named as node-sqlite names them that carries the ``-- Up``/``-- Down`` lines."""
    return any(NAME.match(p.name) and is_marked(t) for p, t in texts.items())


def find_node_sqlite(texts: Mapping[Path, str]) -> tuple[list[Migration], tuple[str, ...]]:
    """Every migration ``db.migrate()`` runs, by id, and a note naming skipped ``.sql`` files.

    Raises:
        DuplicateVersionError: two files with one id: ``migrate`` runs both and the second's
            ``INSERT`` into ``migrations`` fails on the primary key.

    """
    by_id: dict[int, Migration] = {}
    skipped: list[str] = []
    for path, text in sorted(texts.items()):
        match = NAME.match(path.name)
        if match is None:
            skipped.append(path.name)
            continue
        ident = int(match.group(1))
        if ident in by_id:
            message = (
                f"{path}: id {ident} also used by {by_id[ident].path.name} (node-sqlite runs "
                "both and fails on the second's migrations row; renumber one)"
            )
            raise DuplicateVersionError(message)
        by_id[ident] = _migration(path, text, ident, match.group(2))
    note = (
        (
            f"node-sqlite never runs {', '.join(skipped)}: its name does not start with the "
            "migration's number (<id>.<name>.sql)",
        )
        if skipped
        else ()
    )
    return sorted(by_id.values(), key=lambda m: m.version), note


def _migration(path: Path, text: str, ident: int, name: str) -> Migration:
    """One migration: the up text node-sqlite runs, its down section, the row's texts."""
    read = sections(text)
    data = {"name": name, "up": read.stored_up, "down": read.stored_down}
    return Migration(
        ident,
        path.stem,
        read.up,
        read.down if read.stored_down else None,
        path,
        files.checksum(text),
        down_path=path if read.stored_down else None,
        runner_data=data,
    )
