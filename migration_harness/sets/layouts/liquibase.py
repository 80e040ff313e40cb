"""Liquibase formatted SQL: ``--liquibase formatted sql`` files cut into ``--changeset`` blocks.

Each ``--changeset author:id [attributes]`` block is one migration; its ``--rollback <sql>``
lines (or a ``/* liquibase rollback ... */`` block) are its rollback. ``runInTransaction:false``,
``splitStatements:false`` and ``endDelimiter:<d>`` change how it runs. A folder of such files
is read in ``includeAll`` order (file names, alphabetically); a ``.sql`` file without the
header is one raw changeset (id ``raw``, author ``includeAll``), as Liquibase's plain SQL
parser reads it. The patterns are Liquibase's own: liquibase/liquibase
``liquibase-standard/src/main/java/liquibase/parser/AbstractFormattedChangeLogParser.java``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration

# Liquibase's patterns (CASE_INSENSITIVE), as in AbstractFormattedChangeLogParser.
FIRST_LINE: Final = re.compile(r"^\s*--\s*liquibase\s*formatted.*", re.IGNORECASE)
_CHANGESET: Final = re.compile(
    r'\s*--[\s]*changeset\s+("[^"]+"|[^:]+):\s*("[^"]+"|\S+).*', re.IGNORECASE
)
_ROLLBACK: Final = re.compile(r"\s*--[\s]*rollback (.*)", re.IGNORECASE)
_ROLLBACK_START: Final = re.compile(r"\s*/\*\s*liquibase\s*rollback\s*$", re.IGNORECASE)
_ROLLBACK_END: Final = re.compile(r".*\s*\*/\s*$")
_RUN_IN_TX: Final = re.compile(r".*runInTransaction:(\w+).*", re.IGNORECASE)
_SPLIT: Final = re.compile(r".*splitStatements:(\w+).*", re.IGNORECASE)
_END_DELIMITER: Final = re.compile(r".*\bendDelimiter:(\S*).*", re.IGNORECASE)


@dataclass
class _Block:
    """One changeset while its lines are read."""

    author: str
    ident: str
    line: int
    header: str
    body: list[str] = field(default_factory=list)
    rollback: list[str] = field(default_factory=list)


def is_liquibase(texts: Iterable[str]) -> bool:
    """Any file whose first line is Liquibase's ``--liquibase formatted sql`` header."""
    return any(FIRST_LINE.match(t.lstrip("\ufeff").split("\n", 1)[0]) for t in texts)


def find_liquibase(paths: Iterable[Path], mig_dir: Path) -> list[Migration]:
    """Every changeset of every file, files in name order, changesets in file order."""
    result: list[Migration] = []
    for path in sorted(paths, key=lambda p: p.name):
        text = files.read(path)
        for block in _blocks(path, text):
            result.append(_migration(len(result) + 1, path, block, mig_dir))
    return result


def _blocks(path: Path, text: str) -> list[_Block]:
    """The file's changesets; a file without the header is one raw changeset."""
    lines = text.split("\n")
    if not FIRST_LINE.match(lines[0].lstrip("\ufeff")):
        block = _Block("includeAll", "raw", 1, "", lines)
        return [block]
    blocks: list[_Block] = []
    in_rollback = False
    for number, line in enumerate(lines, start=1):
        match = _CHANGESET.match(line)
        if match:
            author, ident = (g.strip().strip('"') for g in match.groups())
            blocks.append(_Block(author, ident, number, line))
            in_rollback = False
            continue
        if not blocks:
            continue  # the header and comments before the first changeset
        block = blocks[-1]
        if in_rollback:
            in_rollback = not _ROLLBACK_END.match(line)
            block.rollback.append(line.rsplit("*/", 1)[0] if not in_rollback else line)
            block.body.append("")
        elif _ROLLBACK_START.match(line):
            in_rollback = True
            block.body.append("")
        elif rollback := _ROLLBACK.match(line):
            block.rollback.append(rollback.group(1))
            block.body.append("")
        else:
            block.body.append(line)
    if in_rollback:
        message = f"{path}: '/* liquibase rollback' block is never closed with '*/'"
        raise BadFileError(message)
    return blocks


def _migration(position: int, path: Path, block: _Block, mig_dir: Path) -> Migration:
    """One changeset as a migration; its SQL keeps the file's line numbers."""
    up_sql = files.at_line("\n".join(block.body), block.line + 1 if block.header else 1)
    where = f"changeset {block.author}:{block.ident}"
    files.check_sql(path, up_sql, what=where)
    down_sql = "\n".join(block.rollback).strip() or None
    filename = path.relative_to(mig_dir).as_posix()
    options = _options(block.header)
    return Migration(
        position,
        f"{path.stem}::{block.ident}",
        up_sql,
        down_sql,
        path,
        files.checksum(up_sql),
        path if down_sql else None,
        options,
        options,
        key=f"{filename}::{block.ident}::{block.author}",
        runner_data={"id": block.ident, "author": block.author, "filename": filename},
    )


def _options(header: str) -> dict[str, object]:
    """``runInTransaction``, ``splitStatements`` and ``endDelimiter`` from the header."""
    options: dict[str, object] = {}
    if (match := _RUN_IN_TX.match(header)) and match.group(1).lower() == "false":
        options["transaction"] = False
    if (match := _SPLIT.match(header)) and match.group(1).lower() == "false":
        options["split"] = False
    if match := _END_DELIMITER.match(header):
        options["delimiter"] = match.group(1)
    return options
