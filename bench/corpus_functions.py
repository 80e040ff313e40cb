"""Stand-ins for SQL functions that corpus applications register on their connections.

Each is written from the application's own source (cited), so a history that calls one
runs here as it runs in production. ``bench/corpus.py rebuild`` copies this file beside
the history and maps the names in its ``pyproject.toml``.
"""

from __future__ import annotations

import json
import posixpath
import unicodedata
from typing import Literal


def duration_to_tiny_int(text: str | None) -> int:
    """stashapp/stash pkg/sqlite/functions.go durationToTinyIntFn: "h:m:s" -> seconds.

    More than three parts, or a part that Go's ``strconv.Atoi`` refuses, gives 0 (the Go
    code returns ``0, nil`` in both cases). Atoi is stricter than Python's ``int``: ASCII
    digits after one optional sign, no spaces or ``_``, and a value that fits in 64 bits
    (an overflow is an error, so 0). The sum is Go's ``int`` arithmetic: it wraps.
    """
    parts = str(text).split(":") if text is not None else [""]
    if len(parts) > 3:
        return 0
    seconds, factor = 0, 1
    for part in reversed(parts):
        value = _go_atoi(part)
        if value is None:
            return 0
        seconds = _wrap64(seconds + factor * value)
        factor *= 60
    return seconds


_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1


def _go_atoi(text: str) -> int | None:
    """Go's ``strconv.Atoi`` on a 64-bit platform; ``None`` where it returns an error."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits or any(char not in "0123456789" for char in digits):
        return None
    value = -int(digits) if text[:1] == "-" else int(digits)
    return value if _INT64_MIN <= value <= _INT64_MAX else None


def _wrap64(value: int) -> int:
    """``value`` as Go's 64-bit ``int`` holds it (two's complement wrap-around)."""
    return (value + 2**63) % 2**64 - 2**63


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
    forms: dict[str, Literal["NFC", "NFD", "NFKC", "NFKD"]] = {
        "nfc": "NFC",
        "nfd": "NFD",
        "nfkc": "NFKC",
        "nfkd": "NFKD",
    }
    if form.lower() not in forms:
        message = f"unsupported form: {form}"
        raise ValueError(message)
    return unicodedata.normalize(forms[form.lower()], text) if text else text


def vec_length(value: object) -> int:
    """asg017/sqlite-vec sqlite-vec.c ``vec_length``: the number of elements of a vector.

    mediar-ai/screenpipe registers sqlite-vec as an auto extension (crates/screenpipe-db/
    src/db.rs ``sqlite3_auto_extension(sqlite3_vec_init)``) and uses it in a CHECK. A
    float32 vector is a BLOB of 4 bytes per element or a JSON array as text; anything else
    (a BLOB whose length is no multiple of 4, text that is no array) is an error, which
    fails the statement as the extension's ``sqlite3_result_error`` does.
    """
    if isinstance(value, bytes):
        if len(value) % 4:
            message = "vec_length: invalid float32 vector BLOB length"
            raise ValueError(message)
        return len(value) // 4
    if isinstance(value, str):
        parsed = json.loads(value)
        if not isinstance(parsed, list):
            message = "vec_length: JSON vector must be an array"
            raise ValueError(message)
        return len(parsed)
    message = "vec_length: vector must be a BLOB or TEXT"
    raise ValueError(message)


def not_undo() -> int:
    """tzanetl/kouhia ``add_not_undo_function`` (src/main.rs at a27228c): a constant.

    The app registers ``not_undo`` as ``!(command is Undo)`` before it migrates; every
    command but ``undo`` (which never inserts or updates ``hours`` through the triggers
    that call it) sees 1, so the undo log records each change.
    """
    return 1
