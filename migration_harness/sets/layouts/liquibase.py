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
from migration_harness.sets.layouts import files, liquibase_master
from migration_harness.sets.layouts.liquibase_xml import SHORT_NAME, SqlChangeSet, dbms_matches
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
# RUN_ALWAYS_REGEX and RUN_ON_CHANGE_REGEX: a changeset Liquibase runs again on a database
# that already ran it (ShouldRunChangeSetFilter: "Changeset always runs", "Changeset
# checksum changed").
_RUN_ALWAYS: Final = re.compile(r".*runAlways:(\w+).*", re.IGNORECASE)
_RUN_ON_CHANGE: Final = re.compile(r".*runOnChange:(\w+).*", re.IGNORECASE)
_ROLLBACK_SPLIT: Final = re.compile(r".*rollbackSplitStatements:(\w+).*", re.IGNORECASE)
_ROLLBACK_END_DELIMITER: Final = re.compile(r".*\brollbackEndDelimiter:(\S*).*", re.IGNORECASE)
_DBMS: Final = re.compile(r".*dbms:([^,][\w!,]+).*", re.IGNORECASE)
_IGNORE: Final = re.compile(r".*ignore:(\w*).*", re.IGNORECASE)
# CONTEXT_REGEX (contextFilter: ends with "context:" too) and LABELS_REGEX.
_CONTEXT: Final = re.compile(r'.*context:(".*?"|\S*).*', re.IGNORECASE)
_LABELS: Final = re.compile(r'.*labels:(".*?"|\S*).*', re.IGNORECASE)


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


def find_liquibase(paths: Iterable[Path], mig_dir: Path) -> tuple[list[Migration], list[str]]:
    """Every changeset of every file, files in name order, changesets in file order."""
    ordered: list[Path] = sorted(paths, key=lambda p: p.name)
    return read_entries(ordered, mig_dir)


def read_entries(
    entries: Iterable[Path | SqlChangeSet], mig_dir: Path
) -> tuple[list[Migration], list[str]]:
    """The changesets of ``entries`` in their order, and a note for each one left out.

    Contexts and labels are filters chosen when Liquibase starts: every changeset runs,
    and one note names those that carry one.
    """
    result: list[Migration] = []
    notes: list[str] = []
    filtered: list[str] = []
    for entry in entries:
        # A changeSet left out by its header has no statements either: the header says why.
        if isinstance(entry, SqlChangeSet) and (
            entry.left_out or not (entry.statements or skipped(entry.header))
        ):
            where = f"{entry.path.name}: changeset {entry.author}:{entry.ident}"
            reason = entry.left_out or f"has no SQL change for {SHORT_NAME}"
            notes.append(f"{where} {reason}: not run")
            continue
        if isinstance(entry, SqlChangeSet):
            path, blocks = entry.path, [_xml_block(entry)]
        else:
            path, blocks = entry, _blocks(entry, files.read(entry))
        for block in blocks:
            why = skipped(block.header)
            if why is not None:
                notes.append(f"{path.name}: changeset {block.author}:{block.ident} {why}: not run")
                continue
            if _CONTEXT.match(block.header) or _LABELS.match(block.header):
                filtered.append(f"{path.name} {block.author}:{block.ident}")
            result.append(_migration(len(result) + 1, path, block, mig_dir))
    if filtered:
        shown = ", ".join(filtered[:3]) + (f" and {len(filtered) - 3} more" if filtered[3:] else "")
        notes.append(
            f"{len(filtered)} changeset(s) carry contexts/labels ({shown}): the harness runs "
            "them all, as Liquibase does when started without --contexts/--labels"
        )
    return result, notes


def skipped(header: str) -> str | None:
    """Why Liquibase never runs a changeset with this header on SQLite (``None``: it runs)."""
    if (match := _DBMS.match(header)) and not dbms_matches(match.group(1)):
        return f"has dbms:{match.group(1)}, which excludes {SHORT_NAME}"
    if (match := _IGNORE.match(header)) and match.group(1).lower() == "true":
        return "has ignore:true"
    return None


def _xml_block(changeset: SqlChangeSet) -> _Block:
    """An XML/JSON changeSet's ``sql`` changes as one block, each ended by ``;``."""
    body = [s if s.rstrip().endswith(";") else f"{s.rstrip()};" for s in changeset.statements]
    block = _Block(changeset.author, changeset.ident, 1, changeset.header, body)
    block.rollback = [changeset.rollback] if changeset.rollback.strip() else []
    return block


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
    first = block.line + 1 if block.header and path.suffix.lower() == ".sql" else 1
    up_sql = files.at_line("\n".join(block.body), first)
    where = f"changeset {block.author}:{block.ident}"
    files.check_sql(path, up_sql, what=where)
    down_sql = "\n".join(block.rollback).strip() or None
    filename = _filename(path, mig_dir)
    options = _options(block.header)
    down_options = _rollback_options(block.header)
    return Migration(
        position,
        f"{path.stem}::{block.ident}",
        up_sql,
        down_sql,
        path,
        files.checksum(up_sql),
        path if down_sql else None,
        options,
        down_options,
        key=f"{filename}::{block.ident}::{block.author}",
        runner_data={
            "id": block.ident,
            "author": block.author,
            "filename": filename,
            **({"reruns": reruns} if (reruns := rerun_attribute(block.header)) else {}),
        },
    )


def rerun_attribute(header: str) -> str | None:
    """``runAlways`` or ``runOnChange`` when the changeset's header sets it true.

    Liquibase runs such a changeset again on a database that already ran it: a
    ``runAlways`` one on every update, a ``runOnChange`` one whenever its checksum
    changes (liquibase-standard ``changelog/filter/ShouldRunChangeSetFilter.java``); a
    plain changeset whose text changes fails validation instead. ``Boolean.parseBoolean``
    reads the value: ``true`` in any case.
    """
    for name, pattern in (("runAlways", _RUN_ALWAYS), ("runOnChange", _RUN_ON_CHANGE)):
        if (match := pattern.match(header)) and match.group(1).lower() == "true":
            return name
    return None


def _filename(path: Path, mig_dir: Path) -> str:
    """The changelog's path as recorded: below the set's folder, or from its parent."""
    for base in (mig_dir, mig_dir.parent):
        if path.resolve().is_relative_to(base.resolve()):
            return path.resolve().relative_to(base.resolve()).as_posix()
    return path.resolve().as_posix()


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


def _rollback_options(header: str) -> dict[str, object]:
    """The rollback's own options: ``rollbackSplitStatements`` and ``rollbackEndDelimiter``.

    Liquibase builds the ``--rollback`` SQL as a change of its own and sets only these two
    on it (``AbstractFormattedChangeLogParser.configureRollbackChange``), so the
    changeset's ``splitStatements``/``endDelimiter`` do not reach it: a rollback is cut
    at ``;`` unless it says otherwise. ``runInTransaction`` is the changeset's.
    """
    options: dict[str, object] = {}
    if (match := _RUN_IN_TX.match(header)) and match.group(1).lower() == "false":
        options["transaction"] = False
    if (match := _ROLLBACK_SPLIT.match(header)) and match.group(1).lower() == "false":
        options["split"] = False
    if match := _ROLLBACK_END_DELIMITER.match(header):
        options["delimiter"] = match.group(1)
    return options


def find_with_master(
    mig_dir: Path, configured: str | None
) -> tuple[list[Migration] | None, list[str]]:
    """The set as the master changelog orders it (``None``: no master to follow) and notes.

    A YAML master is not followed (no YAML parser): the folder's formatted-SQL files are
    read in name order, as without a master; when the folder holds none (Spring keeps them
    in ``changes/``), those below it in ``includeAll`` order. A note says which.
    """
    master = liquibase_master.find_master(mig_dir, configured)
    if master is None:
        return None, []
    tree = liquibase_master.follow(master)
    notes = [f"changesets run in the order of the master changelog {master.name}", *tree.notes]
    if not tree.listed:
        top = files.sql_files(mig_dir)
        below = [p for p in liquibase_master.sorted_changelogs(mig_dir) if p.suffix == ".sql"]
        how = (
            "the folder's .sql files in name order"
            if top
            else ("the .sql files below the folder in includeAll order (by path)")
        )
        if not (top or below):
            return None, tree.notes
        found, skipped_notes = find_liquibase(top, mig_dir) if top else read_entries(below, mig_dir)
        return found, [*(f"{note}: read instead: {how}" for note in tree.notes), *skipped_notes]
    found, skipped_notes = read_entries(tree.entries, mig_dir)
    for path in liquibase_master.unlisted(mig_dir, tree.listed):
        notes.append(f"{path.relative_to(mig_dir).as_posix()}: no changelog lists it: not run")
    return found, [*notes, *skipped_notes]
