"""Stand-ins for SQL functions that corpus applications register on their connections.

Each is written from the application's own source (cited), so a history that calls one
runs here as it runs in production. ``bench/corpus.py rebuild`` copies this file beside
the history and maps the names in its ``pyproject.toml``.
"""

from __future__ import annotations

import posixpath


def duration_to_tiny_int(text: str | None) -> int:
    """stashapp/stash pkg/sqlite/functions.go durationToTinyIntFn: "h:m:s" -> seconds.

    More than three parts, or a part that is not an integer, gives 0 (the Go code returns
    ``0, nil`` in both cases).
    """
    parts = str(text).split(":") if text is not None else [""]
    if len(parts) > 3:
        return 0
    seconds, factor = 0, 1
    for part in reversed(parts):
        try:
            seconds += factor * int(part)
        except ValueError:
            return 0
        factor *= 60
    return seconds


def basename(text: str | None) -> str:
    """stashapp/stash pkg/sqlite/functions.go basenameFn: Go's filepath.Base."""
    if not text:
        return "."
    stripped = text.rstrip("/")
    return posixpath.basename(stripped) if stripped else "/"
