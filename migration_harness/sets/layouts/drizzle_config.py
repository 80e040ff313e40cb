"""Whether a drizzle-kit project runs on libSQL (Turso): its journal, snapshots and config.

drizzle-kit writes ``ALTER TABLE … ALTER COLUMN`` only for the ``turso`` dialect, and such
a set must be checked as libSQL runs it (:mod:`~migration_harness.sets.libsql`). The
project says so in three places: the journal's or a snapshot's ``"dialect": "turso"``
(drizzle-kit 0.2x onward), or ``drizzle.config.*`` with ``dialect: "turso"`` or, in older
configs, ``driver: "turso"``/``"libsql"`` (openstatus' journal says ``sqlite`` while its
config says ``turso``). The config is TypeScript or JavaScript, so it is read as tokens:
comments are skipped, and only a key followed by ``:`` and a string literal counts;
``dialect: env.DIALECT`` says nothing, and neither does the word in a comment or a string.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError
from migration_harness.sets.layouts import files

CONFIG_NAMES: Final = tuple(
    f"drizzle.config.{ext}" for ext in ("ts", "mts", "cts", "js", "mjs", "cjs", "json")
)
_LIBSQL_VALUES: Final = {"dialect": frozenset({"turso"}), "driver": frozenset({"turso", "libsql"})}
_QUOTES: Final = "\"'`"


def project_dialect(mig_dir: Path, config_dirs: Iterable[Path]) -> str | None:
    """``libsql`` when the drizzle files or config say Turso/libSQL; ``None`` otherwise."""
    if _metadata_says_turso(mig_dir):
        return "libsql"
    for folder in config_dirs:
        for name in CONFIG_NAMES:
            path = folder / name
            if path.is_file() and config_says_libsql(files.read(path)):
                return "libsql"
    return None


def _metadata_says_turso(mig_dir: Path) -> bool:
    """Whether the journal or any snapshot drizzle-kit wrote names the ``turso`` dialect."""
    candidates = [mig_dir / "meta" / "_journal.json", *sorted(mig_dir.glob("meta/*.json"))]
    candidates += sorted(mig_dir.glob("*/snapshot.json"))
    for path in candidates:
        try:
            data = json.loads(files.read(path)) if path.is_file() else None
        except (ValueError, BadFileError):
            continue  # the layout's own reading reports a broken file
        if isinstance(data, dict) and data.get("dialect") == "turso":
            return True
    return False


def config_says_libsql(text: str) -> bool:
    """Whether a ``drizzle.config.*`` text sets ``dialect``/``driver`` to a libSQL literal."""
    found = list(_tokens(text))
    for at in range(len(found) - 2):
        (kind, key), (_, colon), (value_kind, value) = found[at : at + 3]
        is_pair = kind in ("name", "string") and colon == ":" and value_kind == "string"
        if is_pair and value.lower() in _LIBSQL_VALUES.get(key, frozenset()):
            return True
    return False


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """``(kind, text)`` of a JavaScript text: ``name``, ``string`` (unquoted) or ``punct``.

    Comments are dropped; a template string with ``${`` is not a literal, so it is
    reported as punctuation and never matches.
    """
    at, size = 0, len(text)
    while at < size:
        char = text[at]
        if char.isspace():
            at += 1
        elif text.startswith("//", at):
            end = text.find("\n", at)
            at = size if end < 0 else end
        elif text.startswith("/*", at):
            end = text.find("*/", at + 2)
            at = size if end < 0 else end + 2
        elif char in _QUOTES:
            end = _string_end(text, at)
            body = text[at + 1 : end]
            literal = not (char == "`" and "${" in body)
            yield ("string", body) if literal else ("punct", char)
            at = end + 1
        elif char.isalnum() or char in "_$":
            end = at
            while end < size and (text[end].isalnum() or text[end] in "_$"):
                end += 1
            yield "name", text[at:end]
            at = end
        else:
            yield "punct", char
            at += 1


def _string_end(text: str, start: int) -> int:
    """The index of the quote closing the string that opens at ``start`` (escapes skipped)."""
    quote, at = text[start], start + 1
    while at < len(text):
        if text[at] == "\\":
            at += 2
            continue
        if text[at] == quote:
            return at
        at += 1
    return len(text)
