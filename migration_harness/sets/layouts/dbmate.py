"""dbmate: one file per version, cut at ``-- migrate:up`` / ``-- migrate:down``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration
from migration_harness.sets.sql import runs_nothing

MARK: Final = re.compile(r"^--\s*migrate:(up|down)\b(.*)$", re.MULTILINE)


def find_dbmate(texts: Mapping[Path, str]) -> list[Migration]:
    """dbmate: one file per version with ``-- migrate:up`` and ``-- migrate:down`` sections."""
    by_version: dict[int, Migration] = {}
    for path, text in texts.items():
        version, _ = files.parse_name(path, ".sql")
        files.claim(by_version, version, path)
        sections = _sections(path, text)
        up_sql, up_opts = sections["up"]
        down_sql, down_opts = sections.get("down", ("", {}))
        files.check_sql(path, up_sql, what="up section")
        down = down_sql if not runs_nothing(down_sql) else None
        if down is not None:
            files.check_sql(path, down, what="down section")
        by_version[version] = Migration(
            version,
            path.stem,
            up_sql,
            down,
            path,
            files.checksum(up_sql.lstrip("\n")),
            path,
            _options(up_opts),
            _options(down_opts),
        )
    return list(by_version.values())


def _options(raw: Mapping[str, str]) -> Mapping[str, object]:
    """Dbmate's ``transaction:false`` in the uniform shape (dbmate ignores other keys)."""
    return files.NO_TRANSACTION if raw.get("transaction") == "false" else files.NO_OPTIONS


def _sections(path: Path, text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Cut a dbmate file at its markers; options such as ``transaction:false`` are kept."""
    marks = list(MARK.finditer(text))
    if not marks or marks[0].group(1) != "up":
        message = f"{path}: no '-- migrate:up' marker before the SQL (dbmate layout)"
        raise BadFileError(message)
    sections: dict[str, tuple[str, dict[str, str]]] = {}
    for i, mark in enumerate(marks):
        kind = mark.group(1)
        if kind in sections:
            message = f"{path}: '-- migrate:{kind}' appears twice (keep one section each)"
            raise BadFileError(message)
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        opts = dict(o.split(":", 1) for o in mark.group(2).split() if ":" in o)
        body = text[mark.end() : end]
        first = mark.end() + len(body) - len(body.lstrip("\n"))
        # Kept at its place in the file, so every line number is the file's.
        sections[kind] = (files.at_line(body.strip("\n"), text.count("\n", 0, first) + 1), opts)
    return sections
