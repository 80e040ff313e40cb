"""Ship groups: the migrations production applied in one go, read from git history.

Data exists in production only at the schemas that were deployed. Every runner applies all
pending files at once, so migrations added to the repository in the same commit are always
deployed together and no application ever wrote rows at the versions between them: a table
created by one of them is empty when the next one runs. Generating rows there reported
losses production can never have (a ``DROP TABLE`` of a table the commit's previous file
created, a cascade into children it created).

A group is the migrations whose forward files were added by the same commit; they need not
be consecutive (a branch merged later may add files whose versions interleave with files
deployed before it: those ran in an earlier deploy). The other way round, a later commit
may add a file sorted among a group's files (fathom's ``15_vacuum.sql``): databases that
held rows when the group deployed never ran it between them (:attr:`ShipGroup.later`). The
commit that *added* a file is the one that added it or, for a file moved there (same name
relative to the set's folder), the one that added the file it was moved from: a runner knows
a migration by its name, so a folder moved later is grouped by the commits that first added
its files, not by the move. A sibling copy whose original lives on (a second dialect's
folder) is another set, dated by its own commits (:mod:`~.sets.lineage`). Files git does
not know yet (untracked, or added but not committed) form one group of their own: they are
not deployed yet and will ship together, in the next deploy, which is what a ``--since``
run on new work checks. Everything else falls back to one group
per migration (today's behaviour, where every version may hold rows): git missing, the set
outside a work tree, the history shallow at the commit that seems to add the file (its real
origin is cut off), a set applied untracked (files run by hand or by a script, one at a
time: any of them may have run alone), or ``ship_groups = "off"``.

So does a set whose every file one group would hold (one commit added them all, none is
committed yet, or one release shipped them all). Taken at its word, such a history says
production only ever ran the whole set on an empty database, so no version but the first
ever held a row and every data check would be silent. But a history without a single
deploy boundary is far more often an artefact than a fact: a project imported or squashed
into git, a fixture or an example committed at once, a new folder not yet committed. Its
commits then say nothing about which versions held rows, and the harness reads it as it
reads a set without git: every version may hold rows (errs towards reporting, as grouping
a branch's commits apart does).

With ``ship_groups = "tags"`` the deploys are the repository's release tags instead
(:mod:`migration_harness.sets.releases`): a file ships in the first release whose tag
reaches the commit that added it, so files several commits added between two releases
form one group. Files added after the last release are grouped by commit, as with
``git``: unreleased work may still be deployed piece by piece. Without release tags this
is ``git``. It is never the default: whether every production database only ever ran
releases is a fact about how a team ships (no per-commit images, no hosted deploy from
the main branch) that tags cannot show, and a wrong merge hides real losses.
"""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from migration_harness.sets.lineage import LOG_ARGS as LINEAGE_LOG
from migration_harness.sets.lineage import first_shipped
from migration_harness.sets.records import MigrationSet
from migration_harness.sets.releases import LOG_ARGS, first_releases, release_test

UNCOMMITTED: Final = ""
"""The commit of the group of files git has no commit for (not deployed yet)."""


@dataclass(frozen=True, slots=True)
class ShipGroup:
    """Consecutive migrations deployed together.

    Attributes:
        commit: the commit that added their files (:data:`UNCOMMITTED`: none yet), or
            the tagged commit of the release that shipped them.
        members: 1-based positions of the migrations in the set, ascending (not always
            consecutive).
        release: the release tag that shipped them (``ship_groups = "tags"``; empty:
            grouped by commit).
        later: positions of the files between its first and last member that a later
            commit added (a descendant of :attr:`commit`, or not committed yet), such as
            fathom's ``15_vacuum.sql``, added two days after ``12``-``20`` and sorted
            among them. When the group deployed they did not exist yet, so no database
            that held rows then ran them between its files (:mod:`~.checks.deploys`).

    """

    commit: str
    members: tuple[int, ...]
    release: str = ""
    later: tuple[int, ...] = ()

    @property
    def start(self) -> int:
        """The position of the group's first migration."""
        return self.members[0]


def ship_groups(
    mset: MigrationSet,
    mode: str = "git",
    *,
    tracked: bool = True,
    tags: str | None = None,
) -> tuple[ShipGroup, ...]:
    """The set's ship groups: by adding commit (``git``), release (``tags``) or none (``off``).

    ``tracked``: whether a runner applies the set (``applied = "tracked"``). A set applied
    untracked (files executed by hand or by a script, one at a time) has no "pending files
    applied in one go": any file may have run alone, so each is its own group.
    ``tags``: a glob naming the release tags (``ship_tags``); default: version-like tags.
    Never fails: where git cannot say, each migration is its own group.
    """
    count = len(mset.migrations)
    if mode == "off" or not tracked or count < 2:
        return singletons(count)
    commits = adding_commits(mset.migrations_dir, [m.path for m in mset.migrations])
    if commits is None:
        return singletons(count)
    keys = [commits.get(m.path.resolve()) for m in mset.migrations]
    if mode != "tags":
        groups = group_runs(keys)
    else:
        releases = _releases(mset.migrations_dir, tags)
        shipped = [releases.get(key, (key, "")) if key else (key, "") for key in keys]
        names = {commit: name for commit, name in shipped if commit and name}
        groups = group_runs([commit for commit, _ in shipped], names)
    if len(groups) == 1:
        return singletons(count)  # no deploy boundary at all (module docstring)
    return with_later(groups, _Ancestry(mset.migrations_dir))


def with_later(
    groups: Sequence[ShipGroup], added_after: Callable[[str, str], bool]
) -> tuple[ShipGroup, ...]:
    """``groups`` told which files between their members later commits added.

    ``added_after(commit, other)``: whether the group of ``other`` came after the group of
    ``commit`` (``other`` descends from it). A file interleaved by an older or a parallel
    commit stays as before: it may have run before the group, between versions the set
    cannot order.
    """
    owner = {k: g for g in groups for k in g.members}
    found: list[ShipGroup] = []
    for group in groups:
        members = set(group.members)
        between = range(group.start + 1, group.members[-1])
        later = tuple(
            j
            for j in between
            if j not in members and j in owner and added_after(group.commit, owner[j].commit)
        )
        found.append(dataclasses.replace(group, later=later) if later else group)
    return tuple(found)


class _Ancestry:
    """Whether one deploy's commit descends from another's, asked of git once per pair.

    Unknown commits (a migration git could not place: ``#k``) are never later; files not
    committed yet (:data:`UNCOMMITTED`) come after every commit.
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._known: dict[tuple[str, str], bool] = {}

    def __call__(self, commit: str, other: str) -> bool:
        if commit in (other, UNCOMMITTED) or commit.startswith("#") or other.startswith("#"):
            return False
        if other == UNCOMMITTED:
            return True
        pair = (commit, other)
        if pair not in self._known:
            self._known[pair] = (
                git_output(self._folder, "merge-base", "--is-ancestor", commit, other) is not None
            )
        return self._known[pair]


def _releases(folder: Path, pattern: str | None) -> dict[str, tuple[str, str]]:
    """Commit -> ``(tagged commit, tag)`` of its first release (empty when git cannot say)."""
    top = git_output(folder, "rev-parse", "--show-toplevel")
    log = git_output(Path(top.strip()), *LOG_ARGS) if top is not None else None
    return first_releases(log, release_test(pattern)) if log is not None else {}


def singletons(count: int) -> tuple[ShipGroup, ...]:
    """One group per migration: every version counts as deployed."""
    return tuple(ShipGroup(f"#{k}", (k,)) for k in range(1, count + 1))


def group_runs(
    keys: Sequence[str | None], releases: Mapping[str, str] | None = None
) -> tuple[ShipGroup, ...]:
    """Migrations with equal keys, in order of their first member (``None``: alone).

    Members need not be consecutive: a long-lived branch merged in one commit adds files
    whose versions interleave with files deployed before it; those ran earlier, and the
    branch's files all ran in the one deploy that brought them. ``releases``: the tag of
    each key that is a release's tagged commit.
    """
    members: dict[str, list[int]] = {}
    for k, key in enumerate(keys, start=1):
        members.setdefault(key if key is not None else f"#{k}", []).append(k)
    named = releases or {}
    return tuple(ShipGroup(key, tuple(found), named.get(key, "")) for key, found in members.items())


def adding_commits(folder: Path, files: Iterable[Path]) -> dict[Path, str | None] | None:
    """The commit that first shipped each file (resolved path -> hash; uncommitted: ``""``).

    ``None`` when git cannot answer for the folder (not installed, not a work tree). A
    file whose adding commit is a shallow clone's boundary maps to ``None``: unknown.
    One ``git log`` over the whole history, whatever the number of files.
    """
    top = git_output(folder, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(top.strip()).resolve()
    base = folder.resolve()
    paths = [file.resolve() for file in files]
    names = {
        path: _identity(path.relative_to(base).as_posix())
        for path in paths
        if path.is_relative_to(base)
    }
    tracked = git_output(root, "ls-files", "-z", "--", str(base))
    log = git_output(
        root,
        *LINEAGE_LOG,
        "HEAD",
        "--",
        *_pathspecs(names.values()),
    )
    if tracked is None or log is None:
        return None
    shallow = _shallow(root)
    added = first_shipped(log, _namer(set(names.values())))
    committed = {(root / name).resolve() for name in tracked.split("\0") if name}
    found: dict[Path, str | None] = {}
    for path in paths:
        commit = added.get(path.relative_to(root).as_posix()) if path.is_relative_to(root) else None
        if path not in committed:
            found[path] = UNCOMMITTED
        elif commit is None:
            # Tracked, yet no commit adds it: staged, not committed, or (shallow) cut off.
            found[path] = None if shallow else UNCOMMITTED
        else:
            found[path] = None if commit in shallow else commit
    return found


def _pathspecs(names: Iterable[str]) -> list[str]:
    """``git log`` pathspecs for the files a migration of one of ``names`` may have been.

    One glob per file extension (``**/*.sql``), not one per name: git matches every path
    of every commit against each pathspec, and hundreds of names cost a large history
    seconds per run (openstatus: 13 s for 84 names, 0.3 s for one extension). Paths of
    other names are left out by :func:`_namer`.
    """
    specs: set[str] = set()
    for form in (form for name in names for form in _forms(name)):
        suffix = PurePosixPath(form).suffix
        specs.add(f":(glob)**/*{_escaped(suffix)}" if suffix else f":(glob)**/{_escaped(form)}")
    return sorted(specs)


def _namer(names: set[str]) -> Callable[[str], tuple[str, str] | None]:
    """A path's folder and migration name (its last parts, as deep as the set's names)."""
    depths = sorted({name.count("/") + 1 for name in names})

    def name_of(path: str) -> tuple[str, str] | None:
        parts = path.split("/")
        for depth in depths:
            name = _identity("/".join(parts[-depth:]))
            if len(parts) >= depth and name in names:
                return "/".join(parts[:-depth]), name
        return None

    return name_of


_DIRECTIONS: Final = (".up.sql", ".down.sql")


def _identity(name: str) -> str:
    """A migration file's name as its runner knows the migration: ``.up``/``.down`` dropped.

    A set converted from one runner's format to another's (arcane's move from
    golang-migrate's ``001_x.up.sql``/``001_x.down.sql`` to goose's ``001_x.sql``, one
    commit for 56 migrations deployed over a year) keeps its migrations: the commit that
    added ``001_x.up.sql`` shipped ``001_x.sql``.
    """
    for suffix in _DIRECTIONS:
        if name.endswith(suffix):
            return name.removesuffix(suffix) + ".sql"
    return name


def _forms(name: str) -> tuple[str, ...]:
    """The file names a migration of identity ``name`` may have had (for ``git log``)."""
    if not name.endswith(".sql") or name.endswith("/up.sql") or name.endswith("/down.sql"):
        return (name,)
    stem = name.removesuffix(".sql")
    return (name, f"{stem}.up.sql", f"{stem}.down.sql")


def _escaped(name: str) -> str:
    """``name`` with the characters a glob pathspec reads as patterns escaped."""
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in name)


def _shallow(root: Path) -> frozenset[str]:
    """The boundary commits of a shallow clone (empty for a full one)."""
    where = git_output(root, "rev-parse", "--git-path", "shallow")
    if where is None:
        return frozenset()
    file = Path(where.strip())
    file = file if file.is_absolute() else root / file
    try:
        return frozenset(file.read_text(encoding="ascii").split())
    except OSError:
        return frozenset()


def git_output(folder: Path, *args: str) -> str | None:
    """``git args`` run in ``folder``: its output, or ``None`` when git cannot answer.

    The one way the set's git history is read (ship groups here, renamed files in
    :mod:`~migration_harness.sets.renames`): never raises, whatever git does.
    """
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=False
        )
    except (OSError, ValueError):
        return None
    return done.stdout if done.returncode == 0 else None
