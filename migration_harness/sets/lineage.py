"""When a migration file first shipped: its name followed through moves, never through copies.

A runner knows a migration by its name, so a folder moved later (vaultwarden's 2019
"initial mysql support" moved its SQLite files into ``migrations/sqlite``) keeps the deploy
dates of the files it moved. A sibling copy is another set: Plume's 2018-09 commit moved
its PostgreSQL files into ``migrations/postgres`` and, in the same commit, added
``migrations/sqlite`` with files of the same names. No SQLite database ever ran those files
before that commit, so they must not take the PostgreSQL files' dates (their first file
alone was never a deployed schema).

So each path that holds a file of a migration's name gets an *origin*, read oldest commit
first from ``git log --raw`` (no blob is read: a partial snapshot lacks some):

- a file a commit adds starts at that commit;
- a file a commit deletes is *moved* to the files of its name the same commit adds in a
  folder that kept some of its folder's files byte for byte (git's exact rename, read per
  folder: a moved folder keeps some files unchanged, a sibling rewritten for another
  dialect keeps none). Where no folder kept any (every file edited on the way: a runner's
  format converted), it moved to every file of its name the commit added. Those take its
  older origin; a sibling rewritten beside a kept folder does not;
- a file deleted with no such partner has *ended*: a file of its name a later commit adds
  takes its origin (a move spread over a deletion and a later re-add).

A copy whose original still lives is never followed. A move split over two commits
(copy first, delete the original later) is not followed either: it reads exactly as a
second dialect whose first one was dropped years later, and dating that dialect's files
by the first one's commits is the false alarm this module exists to avoid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

LOG_ARGS: Final = (
    "log",
    "--no-renames",
    "--topo-order",
    "--diff-filter=AD",
    "--raw",
    "--no-abbrev",
    "-z",
    "--format=%x01%H",
)
"""``git log`` arguments for :func:`first_shipped` (pathspecs follow ``HEAD --``)."""


@dataclass(frozen=True, slots=True)
class _Change:
    """One file of a migration's name a commit added (``A``) or deleted (``D``)."""

    status: str
    path: str
    blob: str
    folder: str
    """The path without the migration's name: where the set it belongs to lives."""
    name: str


Origin = tuple[int, str]
"""Where a lineage started: (position in the log, oldest first; commit hash)."""

Namer = Callable[[str], tuple[str, str] | None]
"""A path's ``(folder, migration name)``, or ``None`` for a file that is no migration."""


def first_shipped(log: str, namer: Namer) -> dict[str, str]:
    """Path from the repository's root -> the commit that first shipped the file there.

    ``log``: ``git`` :data:`LOG_ARGS` output, newest first. Only paths alive at the log's
    last commit are answered.
    """
    alive: dict[str, Origin] = {}
    ended: dict[str, list[Origin]] = {}
    for position, (commit, raw) in enumerate(_commits(log)):
        changes = list(_named(raw, namer))
        kept = _kept(changes)
        by_name: dict[str, list[_Change]] = {}
        for change in changes:
            by_name.setdefault(change.name, []).append(change)
        for name, named in by_name.items():
            _apply(named, kept, (position, commit), alive, ended.setdefault(name, []))
    return {path: commit for path, (_, commit) in alive.items()}


def _apply(
    changes: list[_Change],
    kept: set[tuple[str, str]],
    here: Origin,
    alive: dict[str, Origin],
    ended: list[Origin],
) -> None:
    """One commit's additions and deletions of files of one name."""
    adds = [c for c in changes if c.status == "A"]
    moved: dict[str, list[Origin]] = {add.path: [] for add in adds}
    gone_now: list[Origin] = []
    for gone in (c for c in changes if c.status == "D"):
        origin = alive.pop(gone.path, None)
        if origin is None:
            continue  # added before the history we can see: nothing to carry
        partners = _partners(gone, adds, kept)
        gone_now.extend(() if partners else (origin,))
        for partner in partners:
            moved[partner].append(origin)
    for add in adds:
        alive[add.path] = min([here, *moved[add.path], *ended])
    ended.extend(gone_now)  # re-added by a later commit only: this one has decided


def _kept(changes: list[_Change]) -> set[tuple[str, str]]:
    """(old folder, new folder) pairs where this commit moved a file of the set unchanged.

    A folder moved keeps some files as they were; a sibling rewritten for another dialect
    (Plume's ``migrations/sqlite``, next to the unchanged ``migrations/postgres``) keeps
    none, and vaultwarden's ``migrations/sqlite`` (edited) and ``mysql`` (copied) each
    keep some of the SQLite files they both came from.
    """
    gone = {(c.name, c.blob): c.folder for c in changes if c.status == "D"}
    return {
        (gone[c.name, c.blob], c.folder)
        for c in changes
        if c.status == "A" and (c.name, c.blob) in gone
    }


def _partners(gone: _Change, adds: list[_Change], kept: set[tuple[str, str]]) -> list[str]:
    """The files ``gone`` moved to: those in a folder that kept files of its folder.

    When no folder kept any (every file edited on the way: a runner's format converted),
    every file of its name the commit added, as the name alone says.
    """
    targets = {new for old, new in kept if old == gone.folder}
    return [add.path for add in adds if not targets or add.folder in targets]


def _named(changes: Iterator[tuple[str, str, str]], namer: Namer) -> Iterator[_Change]:
    """The changes to files of the set's migration names."""
    for status, path, blob in changes:
        found = namer(path)
        if found is not None:
            yield _Change(status, path, blob, *found)


def _commits(log: str) -> list[tuple[str, Iterator[tuple[str, str, str]]]]:
    """The log's commits with their changes, oldest first."""
    blocks = [block for block in log.split("\x01") if block.strip()]
    return [(block.split("\0", 1)[0].strip(), _changes(block)) for block in reversed(blocks)]


def _changes(block: str) -> Iterator[tuple[str, str, str]]:
    """The ``--raw -z`` records of one commit: ``:modes blobs status``, NUL, path, NUL."""
    fields = block.split("\0")[1:]
    for meta, path in zip(fields[::2], fields[1::2], strict=False):
        parts = meta.strip().lstrip(":").split()
        if len(parts) == 5 and parts[4] in ("A", "D"):
            blob = parts[3] if parts[4] == "A" else parts[2]
            yield parts[4], path, blob
