"""Shipped migration files renamed later, read from git history, and what each runner does.

A runner records an applied migration under a key made from its file (or folder) name:
the whole name (wrangler, sql-migrate, yoyo, Prisma, drizzle v1, Liquibase), the version
number alone (golang-migrate, goose, sqlx, node-sqlite, postgrator, micrate), the digits as
text (dbmate, bun, Atlas, diesel's folder prefix), or version and name (refinery, Flyway).
A commit that renames a file some database already applied changes that key unless the
version it keeps is the key: owasp-amass/asset-db 71d8253 renamed
``20230217121325-init.sql`` to ``001_schema_init.sql`` under sql-migrate, which then finds
an id in ``gorp_migrations`` that no file has and refuses to plan ("unknown migration in
database"): every database the earlier release made stops at start. The ship groups
(:mod:`~.sets.lineage`) follow a file through moves of its folder only, never through a
new name, so nothing else saw it.

A rename is git's own (``git log -M``: a deleted file and an added one of similar content,
content compared, never names parsed), inside the set's folder. It counts only where the
old name shipped: under ``ship_groups = "git"`` when a commit of the main branch (HEAD's
first parents) held the old name, i.e. the commit that added it and the renaming one
reached the main branch apart (a file renumbered on a branch before its merge never
shipped under its first name: homebox, vaultwarden, lnd and aperture renumbered
files so); under ``"tags"``
when a release held it (the two commits ship in different releases; unreleased commits
as under ``"git"``). ``"off"`` reads no git, and a set applied untracked has
no key to break. The consequences, per runner, are in ``docs/RUNNERS.md`` ("Renamed
files").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from migration_harness.sets.records import Migration, MigrationSet
from migration_harness.sets.releases import LOG_ARGS as RELEASE_LOG
from migration_harness.sets.releases import first_reached, first_releases, release_test
from migration_harness.sets.shipgroups import git_output

LOG_ARGS: Final = (
    "log",
    "-M",
    "--topo-order",
    "--diff-filter=ADR",
    "--raw",
    "--no-abbrev",
    "-z",
    "--format=%x01%H",
    "HEAD",
)
"""``git log`` arguments for :func:`renamed_files` (the set's folder follows ``--``)."""

REFUSES: Final = "refuses"
RERUNS: Final = "reruns"

CONSEQUENCE: Final[dict[str, str]] = {
    # An applied key no file has stops the run before anything applies.
    "sql-migrate": REFUSES,  # "unknown migration in database" (migrate.go, IgnoreUnknown off)
    "sqlx": REFUSES,  # VersionMissing (applied version missing from disk)
    "refinery": REFUSES,  # abort_divergent: version, name and checksum compared
    "refinery-grouped": REFUSES,
    "flyway": REFUSES,  # validateOnMigrate: description mismatch / applied not resolved
    "golang-migrate": REFUSES,  # the database's version has no file: "no migration found"
    # The new key was never recorded: the file runs again on the tables it made.
    "d1": RERUNS,
    "prisma": RERUNS,
    "drizzle-v1": RERUNS,
    "yoyo": RERUNS,
    "liquibase": RERUNS,
    "dbmate": RERUNS,
    "bun": RERUNS,
    "diesel": RERUNS,
    "atlas": RERUNS,
    "atlas-all": RERUNS,
    "goose": RERUNS,
    "goose-v1": RERUNS,
    "micrate": RERUNS,
    "node-sqlite": RERUNS,
    "postgrator": RERUNS,
    "postgrator-split": RERUNS,
    "postgrator-query": RERUNS,
    "platformatic": RERUNS,
}
"""What a runner does when a shipped file's key changed (targets absent: not modelled:
drizzle's journal keys by its ``when``, sqitch by its plan, rusqlite_migration and
SQLDelight count versions in ``user_version``)."""

_DIGITS: Final = re.compile(r"\d+")
_REFINERY: Final = re.compile(r"^[UV](\d+)__(.+)$")


@dataclass(frozen=True, slots=True)
class Rename:
    """A shipped migration file a later commit renamed, changing the runner's key.

    Attributes:
        migration: the migration's label today.
        path: its forward file today.
        old: the old path, from the repository's root.
        new: the new path the commit gave it (the file today, or a later name of it).
        commit: the renaming commit.
        old_key / new_key: the runner's key for each name.
        consequence: :data:`REFUSES` or :data:`RERUNS`.

    """

    migration: str
    path: Path
    old: str
    new: str
    commit: str
    old_key: str
    new_key: str
    consequence: str


def renamed_files(
    mset: MigrationSet, target: str, style: str, mode: str = "git", tags: str | None = None
) -> tuple[Rename, ...]:
    """The set's shipped files renamed under a new key of ``target`` (tracking ``style``).

    Never fails: where git cannot say (not installed, outside a work tree), none.
    """
    consequence = CONSEQUENCE.get(target)
    if consequence is None or mode == "off" or len(mset.migrations) == 0:
        return ()
    top = git_output(mset.migrations_dir, "rev-parse", "--show-toplevel")
    if top is None:
        return ()
    root = Path(top.strip()).resolve()
    base = mset.migrations_dir.resolve()
    if not base.is_relative_to(root):
        return ()
    log = git_output(root, *LOG_ARGS, "--", base.relative_to(root).as_posix() or ".")
    if log is None:
        return ()
    chains = _chains(log)
    renamed = [
        (migration, event)
        for migration in mset.migrations
        if migration.path.resolve().is_relative_to(root)
        for event in chains.get(migration.path.resolve().relative_to(root).as_posix(), ())
    ]
    if not renamed:
        return ()  # the common case: no whole-history read of the deploys
    shipped = _shipped_test(root, mode, tags)
    found = (
        _judged(migration, event, base, root, style, consequence, shipped)
        for migration, event in renamed
    )
    return tuple(rename for rename in found if rename is not None)


@dataclass(frozen=True, slots=True)
class _Event:
    """One rename git saw: old and new path, its commit, the commit that added the old."""

    old: str
    new: str
    commit: str
    added: str | None


def _chains(log: str) -> dict[str, list[_Event]]:
    """Path alive at the log's last commit -> the renames that led to it, oldest first."""
    added: dict[str, str | None] = {}
    chains: dict[str, list[_Event]] = {}
    blocks = [block for block in log.split("\x01") if block.strip()]
    for block in reversed(blocks):
        commit = block.split("\0", 1)[0].strip()
        for status, paths in _records(block):
            if status == "D":
                added.pop(paths[0], None)
                chains.pop(paths[0], None)
            elif status == "A":
                added[paths[0]] = commit
                chains[paths[0]] = []
            elif len(paths) == 2:
                old, new = paths
                event = _Event(old, new, commit, added.pop(old, None))
                chains[new] = [*chains.pop(old, []), event]
                added[new] = commit
    return chains


def _records(block: str) -> list[tuple[str, tuple[str, ...]]]:
    """The ``--raw -z`` records of one commit: status letter and its one or two paths."""
    fields = block.split("\0")[1:]
    found: list[tuple[str, tuple[str, ...]]] = []
    k = 0
    while k < len(fields):
        meta = fields[k].strip().lstrip(":").split()
        if len(meta) != 5:
            k += 1
            continue
        status = meta[4][:1]
        count = 2 if status in ("R", "C") else 1
        found.append((status, tuple(fields[k + 1 : k + 1 + count])))
        k += 1 + count
    return found


def _judged(
    migration: Migration,
    event: _Event,
    base: Path,
    root: Path,
    style: str,
    consequence: str,
    shipped: _Shipped,
) -> Rename | None:
    """The rename as a finding's facts, or ``None`` when the key stayed or nothing shipped."""
    old_rel, new_rel = (_below(root / p, base) for p in (event.old, event.new))
    if old_rel is None or new_rel is None or not shipped(event.added, event.commit):
        return None
    old_key, new_key = key_of_name(old_rel, style), key_of_name(new_rel, style)
    if old_key is None or new_key is None or old_key == new_key:
        return None
    return Rename(
        migration.label,
        migration.path,
        event.old,
        event.new,
        event.commit,
        old_key,
        new_key,
        consequence,
    )


def _below(path: Path, base: Path) -> str | None:
    """``path`` relative to the set's folder (posix), or ``None`` outside it."""
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else None


def key_of_name(relative: str, style: str) -> str | None:
    """The key a runner of tracking ``style`` records for the file at ``relative``.

    ``relative``: the path below the set's folder. ``None``: the runner keys by something
    the name does not carry (a journal, a plan, a count) or the name is no migration's.
    The same keys as :func:`~.sets.trackkeys.key_of`, read from a name alone.
    """
    path = PurePosixPath(relative)
    name = path.name
    stem = name.split(".", 1)[0]
    if style in ("name", "sql-migrate"):
        return name
    if style in ("yoyo", "liquibase"):
        return relative.removesuffix(".sql")
    if style in ("prisma", "drizzle-v1"):
        return path.parts[0] if len(path.parts) > 1 else None
    if style == "diesel":
        prefix = path.parts[0].split("_", 1)[0].replace("-", "") if len(path.parts) > 1 else ""
        return prefix if prefix.isdigit() else None
    if style == "refinery":
        match = _REFINERY.match(stem)
        return f"{int(match.group(1))} {match.group(2)}" if match else None
    if style == "flyway":
        return _flyway_key(name)
    digits = _DIGITS.match(name)
    if digits is None:
        return None
    if style in ("dbmate", "bun", "atlas"):
        return digits.group(0)
    if style in ("golang-migrate", "goose", "sqlx", "node-sqlite", "postgrator"):
        return str(int(digits.group(0)))
    return None


def _flyway_key(name: str) -> str | None:
    """Flyway's version and description, as its history table compares them.

    The version's dots and underscores read alike, leading zeros and trailing ``.0``
    dropped (``MigrationVersion``); the description's underscores read as spaces.

    A repeatable (``R__``) has no version: renaming it makes a new repeatable, run again
    where its SQL is, which is how every repeatable runs: not reported.
    """
    version, separator, description = name.removesuffix(".sql").partition("__")
    if not separator or not version.startswith("V"):
        return None
    parts = [str(int(p)) if p.isdigit() else p for p in re.split(r"[._]", version[1:])]
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return f"{'.'.join(parts)} {description.replace('_', ' ')}"


class _Shipped:
    """Whether a name added by one commit shipped before another commit renamed it.

    Each commit is taken to deploy with the deploy that first holds it: its release
    (``tags``), else the main-branch commit that brought it (a branch's commits deploy
    with its merge; a rename made on a branch before the merge renamed nothing shipped).
    """

    def __init__(self, *deploys: dict[str, tuple[str, str]]) -> None:
        self._deploys = deploys

    def __call__(self, added: str | None, renamed: str) -> bool:
        if added is None:
            return True  # the name predates the history read: it shipped
        return self._deploy(added) != self._deploy(renamed)

    def _deploy(self, commit: str) -> str:
        for deploys in self._deploys:
            if commit in deploys:
                return deploys[commit][0]
        return commit


def _shipped_test(root: Path, mode: str, tags: str | None) -> _Shipped:
    """The deploys of ``mode``: releases (``tags``) first, then the main branch's commits."""
    log = git_output(root, *RELEASE_LOG)
    main = git_output(root, "rev-list", "--first-parent", "--reverse", "HEAD")
    if log is None or main is None:
        return _Shipped()
    mainline = first_reached(log, main.split())
    if mode != "tags":
        return _Shipped(mainline)
    return _Shipped(first_releases(log, release_test(tags)), mainline)
