"""How a failed migration item reads: the findings once, and one line for the summary.

pytest puts a failure's crash message in its short test summary, and under ``$CI`` (or
``-vv``) it prints that message untrimmed. A plain string as ``repr_failure`` is its own
crash message, so every 20-line finding was printed twice in CI logs. The failure is
therefore an exception representation whose body is the findings and whose crash line is
one sentence; both survive xdist, which serialises exactly that shape.

The text is never wrapped here: SQL lines stay whole so a pasted example inserts what the
check inserted, and pytest's own separators follow the terminal's width.
"""

from __future__ import annotations

import os

from _pytest._code.code import (
    ReprEntryNative,
    ReprExceptionInfo,
    ReprFileLocation,
    ReprTraceback,
)


def failure_repr(
    text: str, summary: str, path: os.PathLike[str] | str, line: int = 0
) -> ReprExceptionInfo:
    """``text`` as the failure's body; ``summary`` (one line) as its crash message."""
    lines = [f"{line_}\n" for line_ in text.splitlines()]
    traceback = ReprTraceback(reprentries=[ReprEntryNative(lines)], extraline=None, style="native")
    crash = ReprFileLocation(path=os.fspath(path), lineno=line, message=one_line(summary))
    return ReprExceptionInfo(reprtraceback=traceback, reprcrash=crash)


def one_line(text: str) -> str:
    """The first non-blank line of ``text``, stripped."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
