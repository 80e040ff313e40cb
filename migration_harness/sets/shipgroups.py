"""Ship groups: the migrations production applied in one go, read from git history.

Data exists in production only at the schemas that were deployed. Every runner applies all
pending files at once, so migrations added to the repository in the same commit are always
deployed together and no application ever wrote rows at the versions between them: a table
created by one of them is empty when the next one runs. Generating rows there reported
losses production can never have (a ``DROP TABLE`` of a table the commit's previous file
created, a cascade into children it created).

A group is a run of consecutive migrations (in the set's order) whose forward files were
added by the same commit. The commit that *added* a file is the newest commit where git
shows it added at its current path, following renames back (a folder moved later is
grouped by the commits that first added its files, not by the move). Files git does not
know yet (untracked, or added but not committed) form one group of their own: they are not
deployed yet and will ship together, in the next deploy, which is what a ``--since`` run on
new work checks. Everything else falls back to one group per migration (today's
behaviour, where every version may hold rows): git missing, the set outside a work tree,
the history shallow at the commit that seems to add the file (its real origin is cut
off), or ``ship_groups = "off"``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from migration_harness.sets.records import MigrationSet

UNCOMMITTED: Final = ""
"""The commit of the group of files git has no commit for (not deployed yet)."""


@dataclass(frozen=True, slots=True)
class ShipGroup:
    """Consecutive migrations deployed together.

    Attributes:
        commit: the commit that added their files (:data:`UNCOMMITTED`: none yet).
        members: 1-based positions of the migrations in the set, consecutive.

    """

    commit: str
    members: tuple[int, ...]

    @property
    def start(self) -> int:
        """The position of the group's first migration."""
        return self.members[0]


def ship_groups(mset: MigrationSet, mode: str = "git") -> tuple[ShipGroup, ...]:
    """The set's ship groups: by adding commit with ``git``, one per migration with ``off``.

    Never fails: where git cannot say, each migration is its own group.
    """
    count = len(mset.migrations)
    if mode == "off" or count < 2:
        return singletons(count)
    commits = adding_commits(mset.migrations_dir, [m.path for m in mset.migrations])
    if commits is None:
        return singletons(count)
    keys = [commits.get(m.path.resolve()) for m in mset.migrations]
    return group_runs(keys)


def singletons(count: int) -> tuple[ShipGroup, ...]:
    """One group per migration: every version counts as deployed."""
    return tuple(ShipGroup(f"#{k}", (k,)) for k in range(1, count + 1))


def group_runs(keys: Sequence[str | None]) -> tuple[ShipGroup, ...]:
    """Runs of equal keys in order (``None``: a group of its own, the commit unknown).

    Only consecutive files form a group: a file of another commit between two of one
    commit was deployed apart from them, so the versions around it were deployed too.
    """
    groups: list[ShipGroup] = []
    for k, key in enumerate(keys, start=1):
        last = groups[-1] if groups else None
        if key is not None and last is not None and last.commit == key:
            groups[-1] = ShipGroup(key, (*last.members, k))
        else:
            groups.append(ShipGroup(key if key is not None else f"#{k}", (k,)))
    return tuple(groups)


def adding_commits(folder: Path, files: Iterable[Path]) -> dict[Path, str | None] | None:
    """The commit that added each file (resolved path -> hash; uncommitted: ``""``).

    ``None`` when git cannot answer for the folder (not installed, not a work tree). A
    file whose adding commit is a shallow clone's boundary maps to ``None``: unknown.
    One ``git log`` over the whole history, whatever the number of files.
    """
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(top.strip())
    tracked = _git(root, "ls-files", "-z", "--", str(folder.resolve()))
    log = _git(
        root,
        "log",
        "-M",
        "--diff-filter=AR",
        "--name-status",
        "-z",
        "--format=%x01%H",
        "HEAD",
    )
    if tracked is None or log is None:
        return None
    shallow = _shallow(root)
    added = _added_by(log)
    committed = {(root / name).resolve() for name in tracked.split("\0") if name}
    found: dict[Path, str | None] = {}
    for file in files:
        path = file.resolve()
        if path not in committed:
            found[path] = UNCOMMITTED
            continue
        commit = added.get(path.relative_to(root.resolve()).as_posix())
        if commit is None:
            # Tracked, yet no commit adds it: staged, not committed, or (shallow) cut off.
            found[path] = None if shallow else UNCOMMITTED
        else:
            found[path] = None if commit in shallow else commit
    return found


def _added_by(log: str) -> dict[str, str]:
    """Path -> the commit that first added it, renames followed back to the first add.

    ``log`` is ``git log -M --diff-filter=AR --name-status -z --format=%x01%H``, newest
    first: the first add of a path read is the one that put the current file there.
    """
    adds: dict[str, str] = {}
    moves: dict[str, str] = {}  # new path -> old path, at its newest rename
    for block in log.split("\x01"):
        fields = block.strip("\n\0").split("\0")
        if not fields or not fields[0]:
            continue
        commit, rest = fields[0].strip(), [f.strip("\n") for f in fields[1:]]
        at = 0
        while at < len(rest):
            status = rest[at]
            if status.startswith("R") and at + 2 < len(rest):
                old, new = rest[at + 1], rest[at + 2]
                if new not in adds and new not in moves:
                    moves[new] = old
                at += 3
            elif status.startswith("A") and at + 1 < len(rest):
                path = rest[at + 1]
                if path not in adds and path not in moves:
                    adds[path] = commit
                at += 2
            else:
                at += 1
    found = {path: _origin(path, adds, moves) for path in {*adds, *moves}}
    return {path: commit for path, commit in found.items() if commit is not None}


def _origin(path: str, adds: Mapping[str, str], moves: Mapping[str, str]) -> str | None:
    """The commit that first added the file now at ``path``, through its renames."""
    seen: set[str] = set()
    while path in moves and path not in seen:
        seen.add(path)
        path = moves[path]
    return adds.get(path)


def _shallow(root: Path) -> frozenset[str]:
    """The boundary commits of a shallow clone (empty for a full one)."""
    where = _git(root, "rev-parse", "--git-path", "shallow")
    if where is None:
        return frozenset()
    file = Path(where.strip())
    file = file if file.is_absolute() else root / file
    try:
        return frozenset(file.read_text(encoding="ascii").split())
    except OSError:
        return frozenset()


def _git(folder: Path, *args: str) -> str | None:
    """``git args`` run in ``folder``: its output, or ``None`` when git cannot answer."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=False
        )
    except (OSError, ValueError):
        return None
    return done.stdout if done.returncode == 0 else None
