"""Release tags: which release first shipped each commit (``ship_groups = "tags"``).

A self-hosted application reaches production only as tagged releases: every database
moves from one release's schema to the next, so files several commits added between two
release tags still run in one go. A commit ships in the first release whose tag reaches
it. Tags that name no release (``nightly``, ``latest``, ``latest_develop``, GitHub's
``untagged-…`` drafts) move with the branch or mark nothing deployed: counting one would
merge the unreleased tail into a "release" no database ran. So only version-like tags
count, or those a ``ship_tags`` glob names.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from typing import Final

RELEASE_TAG: Final = re.compile(
    r"(?:.+/)?"  # a component's folder: backend/v2.8.1, release/1.2
    r"(?:[\w.]+(?:-[\w.]+)*-(?=v\d))?"  # a component's name before -v: rust-srec-v0.5.1
    r"v?\d+(?:\.\d+)+"  # the version: 1.2, v1.26.3, 2024.01.1
    r"(?:[-+][0-9A-Za-z.-]+)?",  # a pre-release or build: -beta.1, -alpha-1, +5
    re.IGNORECASE,
)
"""A version-like tag name (matched whole): the default test of a release tag."""

LOG_ARGS: Final = (
    "log",
    "--topo-order",
    "--reverse",
    "--decorate-refs=refs/tags/",
    "--format=%x01%H%x00%P%x00%D",
    "HEAD",
)
"""``git`` arguments of the one call :func:`first_releases` reads: every commit of HEAD's
history, parents before children, with its parents and the tags on it."""


def release_test(pattern: str | None) -> Callable[[str], bool]:
    """Whether a tag name is a release: matches the glob ``pattern``, else version-like."""
    if pattern:
        return lambda name: fnmatch.fnmatchcase(name, pattern)
    return lambda name: RELEASE_TAG.fullmatch(name) is not None


def first_releases(log: str, is_release: Callable[[str], bool]) -> dict[str, tuple[str, str]]:
    """Commit -> ``(tagged commit, tag name)`` of the first release that contains it.

    ``log``: the output of ``git`` :data:`LOG_ARGS`. Releases are taken oldest first (in
    topological order); each claims the commits it reaches that no earlier one did. Every
    ancestor of a claimed commit was claimed with it or before, so the walk stops there and
    visits each commit once, whatever the number of tags. Commits no release reaches (work
    after the last tag) are absent.
    """
    parents: dict[str, list[str]] = {}
    tagged: list[tuple[str, str]] = []
    for block in log.split("\x01"):
        fields = block.strip("\n").split("\0")
        if len(fields) < 3 or not fields[0]:
            continue
        commit, above, refs = fields[0], fields[1], fields[2]
        parents[commit] = above.split()
        names = sorted(_tag_names(refs), key=lambda n: (len(n), n))
        releases = [name for name in names if is_release(name)]
        if releases:
            tagged.append((commit, releases[0]))
    return _claimed(parents, tagged)


def first_reached(log: str, tops: list[str]) -> dict[str, tuple[str, str]]:
    """Commit -> ``(top, "")`` of the first of ``tops`` (oldest first) that reaches it.

    ``log``: the output of ``git`` :data:`LOG_ARGS`; ``tops``: the main branch's commits
    (``git rev-list --first-parent --reverse HEAD``), so each commit maps to the main-branch
    commit that brought it: a branch's commits all map to the merge that brought them.
    """
    parents: dict[str, list[str]] = {}
    for block in log.split("\x01"):
        fields = block.strip("\n").split("\0")
        if len(fields) >= 2 and fields[0]:
            parents[fields[0]] = fields[1].split()
    return _claimed(parents, [(top, "") for top in tops])


def _tag_names(refs: str) -> list[str]:
    """The tag names of a ``%D`` decoration (``tag: v1.0, tag: 1.0``)."""
    return [ref.strip().removeprefix("tag: ") for ref in refs.split(",") if "tag: " in ref]


def _claimed(
    parents: Mapping[str, list[str]], tagged: list[tuple[str, str]]
) -> dict[str, tuple[str, str]]:
    """Each commit reached from a tagged commit -> the first such ``(commit, name)``."""
    release: dict[str, tuple[str, str]] = {}
    for top, name in tagged:
        stack = [top]
        while stack:
            commit = stack.pop()
            if commit in release:
                continue
            release[commit] = (top, name)
            stack.extend(p for p in parents.get(commit, ()) if p not in release)
    return release
