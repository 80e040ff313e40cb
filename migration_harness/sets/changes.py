"""Which migrations changed since a git revision: what ``--since REV`` judges.

A long legacy history stays history; a pull request should be judged on the migrations it
adds or edits. The files that changed are those ``git diff`` reports between the merge base
of ``REV`` and ``HEAD`` and the working tree (committed, staged and unstaged edits), plus
untracked files: a new migration is usually not committed yet when a developer runs the
check. A migration is judged when its forward or its rollback file is among them. Every
earlier file is still applied to build the states it runs on; only the findings change.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from migration_harness.errors import HarnessError
from migration_harness.sets.discovery import Migration, MigrationSet


class SinceError(HarnessError):
    """``--since``: not a git checkout, git missing, or an unknown revision."""


def changed_files(folder: Path, revision: str) -> frozenset[Path]:
    """Files (resolved) added or changed since ``revision``'s merge base with ``HEAD``.

    Raises:
        SinceError: ``folder`` is not in a git work tree, or ``revision`` is unknown.

    """
    where = f"--since {revision}"
    top = work_tree(folder, revision)
    base = _git(folder, where, "merge-base", commit_of(folder, revision, top), "HEAD")
    if base is None:
        message = f"{where}: {revision!r} and HEAD share no history in {top}"
        raise SinceError(message)
    root = Path(top)
    diff = _git(root, where, "diff", "--name-only", "-z", base) or ""
    untracked = _git(root, where, "ls-files", "--others", "--exclude-standard", "-z") or ""
    names = [n for n in (diff + untracked).split("\0") if n]
    return frozenset((root / name).resolve() for name in names)


def work_tree(folder: Path, revision: str) -> str:
    """The top of the git work tree ``folder`` lies in, for ``--since revision``.

    ``lint`` and ``check`` say the same one line outside a checkout (``lint`` printed
    git's own ``fatal:`` text).

    Raises:
        SinceError: ``folder`` is not in a git work tree, or git is not installed.

    """
    where = f"--since {revision}"
    top = _git(folder, where, "rev-parse", "--show-toplevel")
    if top is None:
        message = f"{where}: {folder} is not inside a git work tree (run it in a git checkout)"
        raise SinceError(message)
    return top


def commit_of(folder: Path, revision: str, top: str) -> str:
    """The commit ``revision`` names in the work tree at ``top`` (``folder`` lies in it).

    A revision starting with ``-`` is refused before git sees it: git reads it as an
    option wherever a revision goes, and ``lint --since=--output=FILE`` had ``git diff``
    truncate FILE (``--since=--help`` ran the check as if the revision were known). The
    name is then resolved after ``--end-of-options``, to a commit only.

    Raises:
        SinceError: an option-like or unknown revision.

    """
    where = f"--since {revision}"
    if revision.startswith("-"):
        message = f"{where}: a revision cannot start with '-' (git would read it as an option)"
        raise SinceError(message)
    commit = _git(
        folder,
        where,
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        f"{revision}^{{commit}}",
    )
    if not commit:
        message = (
            f"{where}: git knows no revision {revision!r} in {top} "
            "(fetch it first, e.g. git fetch origin main)"
        )
        raise SinceError(message)
    return commit


def judged_migrations(mset: MigrationSet, changed: Iterable[Path]) -> frozenset[str]:
    """Labels of the migrations whose forward or rollback file is in ``changed``."""
    paths = frozenset(changed)
    return frozenset(m.label for m in mset.migrations if paths & set(files_of(m)))


def files_of(migration: Migration) -> tuple[Path, ...]:
    """The migration's files, resolved: forward, then rollback when it has its own file."""
    files = [migration.path.resolve()]
    if migration.down_path is not None and migration.down_path.resolve() not in files:
        files.append(migration.down_path.resolve())
    return tuple(files)


def _git(folder: Path, where: str, *args: str) -> str | None:
    """``git args`` in ``folder``: its output, or ``None`` when git refuses."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as exc:
        message = f"{where}: git is not installed (it is needed to find the changed files)"
        raise SinceError(message) from exc
    except NotADirectoryError as exc:
        message = f"{where}: {folder} is not a folder"
        raise SinceError(message) from exc
    if done.returncode != 0:
        return None
    return done.stdout.strip() if "-z" not in args else done.stdout
