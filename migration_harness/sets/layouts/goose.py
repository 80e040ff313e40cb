"""goose: one ``NNN_name.sql`` per version, cut by goose's own parser (``sets/goose.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from migration_harness.errors import BadFileError
from migration_harness.sets import goose
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration
from migration_harness.sets.sql import is_blank


def find_goose(texts: Mapping[Path, str]) -> list[Migration]:
    """goose: one ``NNN_name.sql`` per version with ``-- +goose Up`` / ``-- +goose Down``.

    goose reads every ``.sql`` file of the folder, so a file without the Up annotation is
    refused as goose refuses it. ``NO TRANSACTION`` applies to both directions.
    """
    by_version: dict[int, Migration] = {}
    for path, text in texts.items():
        version, _ = files.parse_name(path, ".sql")
        files.claim(by_version, version, path)
        try:
            parsed = goose.read_file(text)
        except goose.GooseParseError as exc:
            message = f"{path}:{exc.line}: {exc} (goose layout)"
            raise BadFileError(message) from exc
        # Sections keep their place in the file, so every line number is the file's.
        up = files.at_line(parsed.up, parsed.up_line)
        files.check_sql(path, up, what="Up section")
        down = parsed.down if parsed.down is not None and not is_blank(parsed.down) else None
        if down is not None:
            down = files.at_line(down, parsed.down_line)
            files.check_sql(path, down, what="Down section")
        options = files.NO_OPTIONS if parsed.use_tx else files.NO_TRANSACTION
        by_version[version] = Migration(
            version,
            path.stem,
            up,
            down,
            path,
            files.checksum(parsed.up),
            path,
            options,
            options,
        )
    return list(by_version.values())
