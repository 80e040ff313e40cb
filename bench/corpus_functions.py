"""Stand-ins for SQL functions that corpus applications register on their connections.

Each is written from the application's own source (cited), so a history that calls one
runs here as it runs in production. ``bench/corpus.py rebuild`` copies this file beside
the history and maps the names in its ``pyproject.toml``.
"""

from __future__ import annotations

import posixpath
import unicodedata


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


def normalize(text: object, form: object) -> str:
    """pocket-id backend/internal/utils/sqlite/sqlite_util.go normalize(text, form).

    Unicode normalization (NFC/NFD/NFKC/NFKD); a non-text argument or an unknown form is an
    error, as the Go function returns one (SQLite then fails the statement).
    """
    if not isinstance(text, str) or not isinstance(form, str):
        message = f"normalize: arguments must be text, got {type(text).__name__}"
        raise TypeError(message)
    forms = {"nfc": "NFC", "nfd": "NFD", "nfkc": "NFKC", "nfkd": "NFKD"}
    if form.lower() not in forms:
        message = f"unsupported form: {form}"
        raise ValueError(message)
    return unicodedata.normalize(forms[form.lower()], text) if text else text
