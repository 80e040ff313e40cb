"""Ship groups: migrations one git commit added are deployed together (issue 13).

Rows exist in production only at deployed versions, so a table an earlier file of the same
commit created is empty when the next one runs: dropping it loses nothing there. Each
test builds a real git repository in its tmp folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.deploys import unwritten_tables
from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.report.findings import CheckRun
from migration_harness.schema.model import introspect
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.shipgroups import UNCOMMITTED, group_runs, ship_groups, with_later
from migration_harness.sets.targets import TARGETS

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
POSTS = (
    "CREATE TABLE posts (id INTEGER PRIMARY KEY, "
    "user_id INTEGER NOT NULL REFERENCES users(id), body TEXT NOT NULL);\n"
)
# Rebuilds the table 0002 created and copies only the admins' posts (the 2019 bug of a
# real history): every other row of posts is lost. The file reads the rows it loses, so
# the loss is an error (MH141), not a declared re-creation (MH142).
POSTS_AGAIN = (
    "CREATE TABLE posts_new (id INTEGER PRIMARY KEY, "
    "user_id INTEGER NOT NULL REFERENCES users(id), title TEXT NOT NULL);\n"
    "INSERT INTO posts_new (id, user_id, title) SELECT p.id, p.user_id, p.body FROM posts p "
    "JOIN users u ON u.id = p.user_id WHERE u.name = 'admin';\n"
    "DROP TABLE posts;\n"
    "ALTER TABLE posts_new RENAME TO posts;\n"
)
# The same rebuild written to run twice (what a history fuzzer's re-run needs).
POSTS_AGAIN_RERUNNABLE = POSTS_AGAIN.replace(
    "CREATE TABLE posts_new", "CREATE TABLE IF NOT EXISTS posts_new"
).replace("DROP TABLE posts;", "DROP TABLE IF EXISTS posts;")


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _files(root: Path, third: str = POSTS_AGAIN) -> Path:
    folder = root / "migrations"
    folder.mkdir()
    (folder / "0001_users.sql").write_text(USERS)
    (folder / "0002_posts.sql").write_text(POSTS)
    (folder / "0003_posts_again.sql").write_text(third)
    return folder


def _repo(root: Path, commits: list[list[str]], third: str = POSTS_AGAIN) -> Path:
    """The three files, committed in ``commits`` (lists of file names), in a new repo."""
    folder = _files(root, third)
    _git(root, "init", "-q", ".")
    for i, names in enumerate(commits):
        _git(root, "add", *(f"migrations/{name}" for name in names))
        _git(root, "commit", "-q", "-m", f"commit {i}")
    return folder


def _check(folder: Path, ship: str = "git", check: str = "apply_keeps_data") -> CheckRun:
    mset = discover(folder)
    return check_set(
        mset,
        # d1: tracked, so the fuzzer's re-runs are no finding that ends its history early.
        TARGETS["d1"],
        profile="ci",
        checks=[check],
        config=SetConfig(ship_groups=ship),
    )


def _losses(run: CheckRun) -> list[tuple[str | None, str]]:
    return [(f.migration, f.severity) for f in run.findings if f.kind == "data_loss"]


@needs_git
def test_a_table_created_earlier_in_the_same_commit_holds_no_rows(tmp_path: Path) -> None:
    folder = _repo(tmp_path, [["0001_users.sql"], ["0002_posts.sql", "0003_posts_again.sql"]])
    run = _check(folder)
    assert _losses(run) == []
    assert run.context["ship_groups"] == [
        {
            "commit": run.context["ship_groups"][0]["commit"],
            "migrations": ["0002_posts", "0003_posts_again"],
            "empty": {"0003_posts_again": ["posts"]},
        }
    ]


@needs_git
def test_the_twin_committed_apart_loses_the_rows(tmp_path: Path) -> None:
    folder = _repo(tmp_path, [["0001_users.sql"], ["0002_posts.sql"], ["0003_posts_again.sql"]])
    run = _check(folder)
    assert _losses(run) == [("0003_posts_again", "error")]
    assert "ship_groups" not in run.context


@needs_git
def test_the_history_fuzzer_writes_no_rows_between_files_of_one_commit(tmp_path: Path) -> None:
    # Re-runnable files: the fuzzer's history ends at its first finding, even a note.
    folder = _repo(tmp_path, [["0001_users.sql"], ["0002_posts.sql", "0003_posts_again.sql"]])
    (folder / "0001_users.sql").write_text(USERS.replace("TABLE", "TABLE IF NOT EXISTS"))
    (folder / "0002_posts.sql").write_text(POSTS.replace("TABLE", "TABLE IF NOT EXISTS"))
    (folder / "0003_posts_again.sql").write_text(POSTS_AGAIN_RERUNNABLE)
    assert _losses(_check(folder, check="stateful")) == []
    assert _losses(_check(folder, ship="off", check="stateful")) == [("0003_posts_again", "error")]


@needs_git
def test_ship_groups_off_checks_every_version(tmp_path: Path) -> None:
    folder = _repo(tmp_path, [["0001_users.sql"], ["0002_posts.sql", "0003_posts_again.sql"]])
    assert _losses(_check(folder, ship="off")) == [("0003_posts_again", "error")]


@needs_git
def test_a_set_applied_untracked_is_never_grouped(tmp_path: Path) -> None:
    # Files executed by hand or by a script, one at a time: any of them may have run alone.
    folder = _repo(tmp_path, [["0001_users.sql"], ["0002_posts.sql", "0003_posts_again.sql"]])
    groups = ship_groups(discover(folder), tracked=False)
    assert [g.members for g in groups] == [(1,), (2,), (3,)]
    run = check_set(discover(folder), TARGETS["sqlite"], checks=["apply_keeps_data"])
    assert _losses(run) == [("0003_posts_again", "error")]


def test_outside_a_git_work_tree_every_version_holds_rows(tmp_path: Path) -> None:
    folder = _files(tmp_path)
    groups = ship_groups(discover(folder))
    assert [g.members for g in groups] == [(1,), (2,), (3,)]
    assert _losses(_check(folder)) == [("0003_posts_again", "error")]


def test_without_git_every_version_holds_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _files(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert [g.members for g in ship_groups(discover(folder))] == [(1,), (2,), (3,)]


@needs_git
def test_files_not_committed_yet_ship_together(tmp_path: Path) -> None:
    folder = _repo(tmp_path, [["0001_users.sql"]])
    _git(tmp_path, "add", "migrations/0002_posts.sql")  # staged; 0003 untracked
    groups = ship_groups(discover(folder))
    assert [(g.commit, g.members) for g in groups][1:] == [(UNCOMMITTED, (2, 3))]
    assert _losses(_check(folder)) == []


@needs_git
@pytest.mark.parametrize("state", ["one commit", "staged", "untracked"])
@pytest.mark.parametrize("history", [False, True])
def test_a_history_without_any_deploy_boundary_is_read_as_without_git(
    tmp_path: Path, state: str, history: bool
) -> None:
    """Every file in one commit (a fixture, an import, a squash) or none committed yet says
    nothing about which versions held rows: grouping them all would leave every data check
    silent, the planted rebuild's loss among them. Each version may hold rows, as without git.
    """
    folder = _files(tmp_path)
    _git(tmp_path, "init", "-q", ".")
    if history:  # the set copied into a repository that already has commits of its own
        (tmp_path / "README").write_text("a project\n")
        _git(tmp_path, "add", "README")
        _git(tmp_path, "commit", "-q", "-m", "before the set")
    if state != "untracked":
        _git(tmp_path, "add", "migrations")
    if state == "one commit":
        _git(tmp_path, "commit", "-q", "-m", "all at once")
    assert [g.members for g in ship_groups(discover(folder))] == [(1,), (2,), (3,)]
    assert [g.members for g in ship_groups(discover(folder), "tags")] == [(1,), (2,), (3,)]
    assert _losses(_check(folder)) == [("0003_posts_again", "error")]


@needs_git
def test_a_table_from_before_the_group_keeps_its_rows(tmp_path: Path) -> None:
    # 0003 drops posts, which 0001 created (deployed before): its rows are lost.
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_users.sql").write_text(USERS + POSTS)
    (folder / "0002_tags.sql").write_text("CREATE TABLE tags (id INTEGER PRIMARY KEY);\n")
    (folder / "0003_posts_again.sql").write_text(POSTS_AGAIN)
    _git(tmp_path, "init", "-q", ".")
    _git(tmp_path, "add", "migrations/0001_users.sql")
    _git(tmp_path, "commit", "-q", "-m", "one")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "two")
    assert _losses(_check(folder)) == [("0003_posts_again", "error")]


@needs_git
def test_a_folder_moved_later_keeps_its_files_apart(tmp_path: Path) -> None:
    _repo(tmp_path, [["0001_users.sql"], ["0002_posts.sql"], ["0003_posts_again.sql"]])
    _git(tmp_path, "mv", "migrations", "db")
    _git(tmp_path, "commit", "-q", "-m", "move")
    assert [g.members for g in ship_groups(discover(tmp_path / "db"))] == [(1,), (2,), (3,)]


def test_groups_need_not_be_consecutive() -> None:
    groups = group_runs(["a", "b", "a", None, "b"])
    assert [(g.commit, g.members) for g in groups] == [
        ("a", (1, 3)),
        ("b", (2, 5)),
        ("#4", (4,)),
    ]


def _schemas(*scripts: str) -> list[tuple[str, object]]:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    schemas: list[tuple[str, object]] = []
    for script in scripts:
        conn.executescript(script)
        schemas.append((script, introspect(conn)))
    return schemas


def test_renamed_and_copied_tables_keep_their_rows() -> None:
    (_, before), (rename, renamed), (copy, copied), (new, created) = _schemas(
        "CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY);",
        "ALTER TABLE a RENAME TO a2;",
        "CREATE TABLE b_new (id INTEGER PRIMARY KEY); INSERT INTO b_new SELECT id FROM b; "
        "DROP TABLE b; ALTER TABLE b_new RENAME TO b;",
        "CREATE TABLE c (id INTEGER PRIMARY KEY);",
    )
    steps = [(rename, renamed, True), (copy, copied, True), (new, created, True)]
    assert unwritten_tables(before, steps) == {"c"}  # type: ignore[arg-type]
    # A file of another commit between members was deployed before them: c may hold rows.
    steps[-1] = (new, created, False)
    assert unwritten_tables(before, steps) == frozenset()  # type: ignore[arg-type]


def test_an_unknown_ship_groups_value_is_a_one_line_error(tmp_path: Path) -> None:
    folder = _files(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.migration-harness]\nship_groups = "gti"\n')
    result = CliRunner().invoke(cli, ["check", str(folder), "--no-cache", "--no-regressions"])
    assert result.exit_code == 2
    assert "ship_groups = 'gti' is not allowed (did you mean 'git'?)" in result.output


@needs_git
def test_the_cli_flag_and_the_note_line(tmp_path: Path) -> None:
    folder = _repo(tmp_path, [["0001_users.sql"], ["0002_posts.sql", "0003_posts_again.sql"]])
    args = ["check", str(folder), "--target", "d1", "--checks", "apply_keeps_data", "--no-cache"]
    args.append("--no-regressions")
    grouped = CliRunner().invoke(cli, args)
    assert grouped.exit_code == 0, grouped.output
    assert "0002_posts, 0003_posts_again treated as one deploy" in grouped.output
    apart = CliRunner().invoke(cli, [*args, "--ship-groups", "off"])
    assert apart.exit_code == 1
    assert "treated as one deploy" not in apart.output


@needs_git
def test_a_set_converted_to_another_runners_format_keeps_its_deploys(tmp_path: Path) -> None:
    # arcane: golang-migrate's 001_x.up.sql/.down.sql became goose's 001_x.sql in one
    # commit; the migrations were deployed one by one long before it.
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, sql in (("0001_users", USERS), ("0002_posts", POSTS), ("0003_posts_again", "")):
        (folder / f"{name}.up.sql").write_text(sql or POSTS_AGAIN)
        (folder / f"{name}.down.sql").write_text("SELECT 1;\n")
    _git(tmp_path, "init", "-q", ".")
    for name in ("0001_users", "0002_posts", "0003_posts_again"):
        _git(tmp_path, "add", f"migrations/{name}.up.sql", f"migrations/{name}.down.sql")
        _git(tmp_path, "commit", "-q", "-m", name)
    for name in ("0001_users", "0002_posts", "0003_posts_again"):
        up = (folder / f"{name}.up.sql").read_text()
        (folder / f"{name}.up.sql").unlink()
        (folder / f"{name}.down.sql").unlink()
        (folder / f"{name}.sql").write_text(f"-- +goose Up\n{up}")
    _git(tmp_path, "add", "-A", ".")
    _git(tmp_path, "commit", "-q", "-m", "convert to goose")
    groups = ship_groups(discover(folder))
    assert [g.members for g in groups] == [(1,), (2,), (3,)]


def test_a_file_a_later_commit_sorted_among_a_group_is_named_later() -> None:
    groups = group_runs(["a", "a", "b", "a", "c", "a"])
    descends = {("a", "b")}  # b came after a; c is older (or parallel)
    found = with_later(groups, lambda commit, other: (commit, other) in descends)
    assert [(g.commit, g.members, g.later) for g in found] == [
        ("a", (1, 2, 4, 6), (3,)),
        ("b", (3,), ()),
        ("c", (5,), ()),
    ]
