"""Ship groups by release tag (``ship_groups = "tags"``, issue 13).

An application that reaches production only as tagged releases deploys every file one
release shipped in one go, even when several commits added them: no database ever held
rows at the versions between those files. Each test builds a real git repository in its
tmp folder (the helpers of tests/test_shipgroups.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.report.findings import CheckRun
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.releases import RELEASE_TAG, first_releases, release_test
from migration_harness.sets.shipgroups import ship_groups
from migration_harness.sets.targets import TARGETS
from tests.test_shipgroups import _files, _git, _losses, _repo, needs_git

ONE_A_COMMIT = [["0001_users.sql"], ["0002_posts.sql"], ["0003_posts_again.sql"]]


def _tagged(root: Path, tags: dict[int, list[str]], third: str | None = None) -> Path:
    """The three files committed one by one, ``tags[i]`` put on commit ``i`` (0-based)."""
    folder = _files(root) if third is None else _files(root, third)
    _git(root, "init", "-q", ".")
    for i, names in enumerate(ONE_A_COMMIT):
        _git(root, "add", *(f"migrations/{name}" for name in names))
        _git(root, "commit", "-q", "-m", f"commit {i}")
        for tag in tags.get(i, []):
            _git(root, "tag", tag)
    return folder


def _check(folder: Path, ship: str = "tags", tags: str | None = None) -> CheckRun:
    return check_set(
        discover(folder),
        TARGETS["d1"],
        profile="ci",
        checks=["apply_keeps_data"],
        config=SetConfig(ship_groups=ship, ship_tags=tags),
    )


def _members(folder: Path, tags: str | None = None) -> list[tuple[int, ...]]:
    return [g.members for g in ship_groups(discover(folder), "tags", tags=tags)]


@needs_git
def test_files_two_commits_added_before_one_release_ship_together(tmp_path: Path) -> None:
    # 0002 creates posts, 0003 (the next commit, same release) drops it: no release ever
    # ran 0002 alone, so posts held no rows when 0003 ran.
    folder = _tagged(tmp_path, {0: ["v1.0.0"], 2: ["v1.1.0"]})
    assert _members(folder) == [(1,), (2, 3)]
    assert _losses(_check(folder, ship="git")) == [("0003_posts_again", "error")]
    run = _check(folder)
    assert _losses(run) == []
    assert run.context["ship_groups"][0]["release"] == "v1.1.0"


@needs_git
def test_the_twin_released_apart_loses_the_rows(tmp_path: Path) -> None:
    folder = _tagged(tmp_path, {0: ["v1.0.0"], 1: ["v1.1.0"], 2: ["v1.2.0"]})
    assert _members(folder) == [(1,), (2,), (3,)]
    run = _check(folder)
    assert _losses(run) == [("0003_posts_again", "error")]
    assert "ship_groups" not in run.context


@needs_git
def test_a_table_from_an_earlier_release_keeps_its_rows(tmp_path: Path) -> None:
    # A genuine bug at a tagged version: 0003 drops and re-creates posts, which release
    # v1.0.0 shipped; 0003 and 0004 (two commits) ship together in v2.0.0.
    folder = _files(tmp_path)
    (folder / "0004_tags.sql").write_text("CREATE TABLE tags (id INTEGER PRIMARY KEY);\n")
    _git(tmp_path, "init", "-q", ".")
    _git(tmp_path, "add", "migrations/0001_users.sql", "migrations/0002_posts.sql")
    _git(tmp_path, "commit", "-q", "-m", "one")
    _git(tmp_path, "tag", "v1.0.0")
    for name in ("0003_posts_again.sql", "0004_tags.sql"):
        _git(tmp_path, "add", f"migrations/{name}")
        _git(tmp_path, "commit", "-q", "-m", name)
    _git(tmp_path, "tag", "v2.0.0")
    assert _members(folder) == [(1, 2), (3, 4)]
    assert _losses(_check(folder)) == [("0003_posts_again", "error")]


@needs_git
def test_files_after_the_last_release_are_grouped_by_commit(tmp_path: Path) -> None:
    # Unreleased work may still be deployed piece by piece (a beta, a build of main).
    folder = _tagged(tmp_path, {0: ["v1.0.0"]})
    assert _members(folder) == [(1,), (2,), (3,)]
    assert _losses(_check(folder)) == [("0003_posts_again", "error")]
    (tmp_path / "b").mkdir()
    together = _repo(
        tmp_path / "b", [["0001_users.sql"], ["0002_posts.sql", "0003_posts_again.sql"]]
    )
    _git(tmp_path / "b", "tag", "v1.0.0", "HEAD~1")
    assert _members(together) == [(1,), (2, 3)]


@needs_git
@pytest.mark.parametrize("tag", ["nightly", "latest", "latest_develop", "untagged-4e5f6a7b"])
def test_a_tag_that_is_no_release_groups_nothing(tmp_path: Path, tag: str) -> None:
    # A moving tag on the tip would merge the unreleased tail into a release nobody ran.
    folder = _tagged(tmp_path, {0: ["v1.0.0"], 2: [tag]})
    assert _members(folder) == [(1,), (2,), (3,)]
    assert _losses(_check(folder)) == [("0003_posts_again", "error")]


@needs_git
def test_ship_tags_names_the_release_tags(tmp_path: Path) -> None:
    folder = _tagged(tmp_path, {0: ["release-1"], 2: ["release-2"]})
    assert _members(folder) == [(1,), (2,), (3,)]  # not version-like: no release
    assert _members(folder, tags="release-*") == [(1,), (2, 3)]
    assert _losses(_check(folder, tags="release-*")) == []


def test_outside_a_git_work_tree_tags_falls_back_to_every_version(tmp_path: Path) -> None:
    folder = _files(tmp_path)
    assert _members(folder) == [(1,), (2,), (3,)]
    assert _losses(_check(folder)) == [("0003_posts_again", "error")]


def _rekeyed(root: Path, delete: str) -> Path:
    """komga's shape: 0002 runs ``delete`` on hashes, 0003 narrows its key to ``hash``.

    One commit per file; v1.0.0 tags 0001 and v1.1.0 the last commit, so 0002 and 0003
    are one release.
    """
    hashes = "CREATE TABLE hashes (hash TEXT NOT NULL, size INTEGER, PRIMARY KEY (hash, size));\n"
    rekey = (
        "CREATE TABLE hashes_new (hash TEXT NOT NULL PRIMARY KEY, size INTEGER);\n"
        "INSERT INTO hashes_new SELECT hash, size FROM hashes;\n"
        "DROP TABLE hashes;\nALTER TABLE hashes_new RENAME TO hashes;\n"
    )
    folder = root / "migrations"
    folder.mkdir()
    files = {"0001_hashes.sql": hashes, "0002_rehash.sql": delete, "0003_rekey.sql": rekey}
    for name, sql in files.items():
        (folder / name).write_text(sql)
    _git(root, "init", "-q", ".")
    for name in files:
        _git(root, "add", f"migrations/{name}")
        _git(root, "commit", "-q", "-m", name)
        if name == "0001_hashes.sql":
            _git(root, "tag", "v1.0.0")
    _git(root, "tag", "v1.1.0")
    return folder


@needs_git
def test_an_emptied_table_holds_no_rows_for_the_next_file_of_its_release(
    tmp_path: Path,
) -> None:
    # komga V20230626150454 empties PAGE_HASH; V20230626170856 (next commit, same release)
    # narrows its key to HASH: rows with equal hashes never met that step in production.
    folder = _rekeyed(tmp_path, "DELETE FROM hashes;\n")
    failed = [f.migration for f in _check(folder, ship="git").findings if f.severity == "error"]
    assert "0003_rekey" in failed
    assert [f for f in _check(folder).findings if f.severity == "error"] == []


@needs_git
def test_a_filtered_delete_leaves_the_rows_it_keeps(tmp_path: Path) -> None:
    # The twin: DELETE … WHERE keeps some rows, which still meet the narrower key.
    folder = _rekeyed(tmp_path, "DELETE FROM hashes WHERE size < 0;\n")
    failed = [f.migration for f in _check(folder).findings if f.severity == "error"]
    assert "0003_rekey" in failed


@needs_git
def test_the_cli_flag_and_the_release_note(tmp_path: Path) -> None:
    folder = _tagged(tmp_path, {0: ["v1.0.0"], 2: ["v1.1.0"]})
    args = ["check", str(folder), "--target", "d1", "--checks", "apply_keeps_data", "--no-cache"]
    args.append("--no-regressions")
    released = CliRunner().invoke(cli, [*args, "--ship-groups", "tags"])
    assert released.exit_code == 0, released.output
    assert "0002_posts, 0003_posts_again treated as one deploy (release v1.1.0)" in (
        released.output
    )
    assert CliRunner().invoke(cli, args).exit_code == 1  # the default stays git


@needs_git
def test_the_config_keys(tmp_path: Path) -> None:
    folder = _tagged(tmp_path, {0: ["release-1"], 2: ["release-2"]})
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[tool.migration-harness]\nship_groups = "tags"\nship_tags = "release-*"\n'
    )
    args = ["check", str(folder), "--target", "d1", "--checks", "apply_keeps_data", "--no-cache"]
    args.append("--no-regressions")
    assert CliRunner().invoke(cli, args).exit_code == 0
    pyproject.write_text('[tool.migration-harness]\nship_groups = "tag"\n')
    wrong = CliRunner().invoke(cli, args)
    assert wrong.exit_code == 2
    assert "ship_groups = 'tag' is not allowed (did you mean 'tags'?)" in wrong.output
    pyproject.write_text('[tool.migration-harness]\nship_tags = ""\n')
    empty = CliRunner().invoke(cli, args)
    assert empty.exit_code == 2
    assert "ship_tags = '' is not a tag glob" in empty.output


@pytest.mark.parametrize(
    ("name", "release"),
    [
        ("v1.2.3", True),
        ("1.0", True),
        ("0.2.0-alpha-1", True),
        ("v1.0.0-beta.1", True),
        ("backend/v2.8.1", True),
        ("rust-srec-v0.5.1", True),
        ("nightly", False),
        ("latest_develop", False),
        ("nightly-2024.01.01", False),
        ("untagged-4e5f6a7b8c", False),
        ("firebase-auth-magic", False),
        ("pr-123", False),
    ],
)
def test_version_like_tags_are_releases(name: str, release: bool) -> None:
    assert (RELEASE_TAG.fullmatch(name) is not None) is release
    assert release_test(None)(name) is release


def test_a_commit_ships_in_the_first_release_that_reaches_it() -> None:
    # a <- b <- c (v1) <- d <- e (v2, nightly) <- f ; g on a side branch merged into e
    log = "".join(
        f"\x01{commit}\0{parents}\0{refs}\n"
        for commit, parents, refs in (
            ("a", "", ""),
            ("b", "a", ""),
            ("c", "b", "tag: v1.0"),
            ("g", "a", ""),
            ("d", "c", ""),
            ("e", "d g", "tag: nightly, tag: v2.0"),
            ("f", "e", "tag: latest"),
        )
    )
    found = first_releases(log, release_test(None))
    assert found == {
        "a": ("c", "v1.0"),
        "b": ("c", "v1.0"),
        "c": ("c", "v1.0"),
        "d": ("e", "v2.0"),
        "g": ("e", "v2.0"),
        "e": ("e", "v2.0"),
    }
