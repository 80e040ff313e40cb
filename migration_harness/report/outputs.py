"""Writing the files a command produces (baseline, reports, ``--json``, hints) whole or not at all.

A file written in place is truncated first: a run killed, or a disk that fills, while it
writes leaves a baseline that no longer parses or a ``pyproject.toml`` cut in half, the
user's own file lost. Each is written to a temporary file beside it and renamed over it,
so the old file stays whole until the new one is.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path

from migration_harness.errors import HarnessError

__all__ = ["replace_text"]


def replace_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically, keeping the mode of a file it replaces.

    A symlink at ``path`` is written through (its target is replaced, the link stays); a
    path that is no regular file (``/dev/stdout``, a FIFO) is written as a stream.

    Raises:
        HarnessError: the folder cannot be written (one line naming the file).

    """
    target = Path(os.path.realpath(path))
    try:
        found = target.stat().st_mode
    except FileNotFoundError:
        found = stat.S_IFREG | (0o666 & ~_umask())
    except OSError as exc:
        raise HarnessError(_unwritable(path, exc)) from exc
    if not stat.S_ISREG(found):  # /dev/stdout, a FIFO: a stream, nothing to replace
        try:
            with open(target, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
        except OSError as exc:
            raise HarnessError(_unwritable(path, exc)) from exc
        return
    mode = stat.S_IMODE(found)
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise HarnessError(_unwritable(path, exc)) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(name, mode)
        os.replace(name, target)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(name)
        if isinstance(exc, OSError):
            raise HarnessError(_unwritable(path, exc)) from exc
        raise


_HINTS: dict[int | None, str] = {
    errno.EACCES: "check the permissions of its folder",
    errno.EPERM: "check the permissions of its folder",
    errno.EROFS: "write it on another file system",
    errno.ENOSPC: "free some space",
    errno.EDQUOT: "free some space",
}


def _unwritable(path: Path, exc: OSError) -> str:
    """One line: the file, the OS's reason, what to check.

    The hint follows the reason: a full disk (``--output /dev/full``) said "check the
    permissions of its folder", which sent the user after a problem they did not have.
    """
    hint = _HINTS.get(exc.errno)
    reason = f"{exc.strerror}; {hint}" if hint else str(exc.strerror)
    return f"{path}: cannot be written ({reason})"


def _umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
