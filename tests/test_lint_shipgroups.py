"""lint reads ship groups as check does: a table an earlier file of the group made is empty.

zerobyte (drizzle) added 0000 (CREATE TABLE volumes) and 0001 (ADD COLUMN path NOT NULL,
no default) in one commit: no database ever held a volume when 0001 ran, and check said so,
while lint reported two errors. Committed apart, the table may hold rows: the error stands.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.cli import cli
from migration_harness.lint import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.shipgroups import ship_groups
from migration_harness.sets.targets import TARGETS
from tests.test_shipgroups import _git, needs_git

VOLUMES = "CREATE TABLE volumes (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
PATH = (
    "ALTER TABLE volumes ADD COLUMN path TEXT NOT NULL;\n"
    "ALTER TABLE volumes ADD COLUMN at INTEGER DEFAULT (current_timestamp) NOT NULL;\n"
    "CREATE UNIQUE INDEX volumes_name ON volumes (name);"
)


# A file of an earlier deploy: a history whose every file one commit added has no deploy
# boundary and is read as a set without git (every version may hold rows).
BASE = ("0000_settings.up.sql", "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);\n")


def _base_commit(root: Path) -> None:
    """``git init`` and the earlier deploy's file, committed alone."""
    (root / "migrations" / BASE[0]).write_text(BASE[1])
    _git(root, "init", "-q", ".")
    _git(root, "add", f"migrations/{BASE[0]}")
    _git(root, "commit", "-q", "-m", "an earlier deploy")


def _set(root: Path, commits: list[list[int]]) -> Path:
    folder = root / "migrations"
    folder.mkdir()
    names = ["0001_volumes.up.sql", "0002_path.up.sql"]
    for name, sql in zip(names, [VOLUMES, PATH], strict=True):
        (folder / name).write_text(sql + "\n")
    _base_commit(root)
    for n, members in enumerate(commits):
        _git(root, "add", *(f"migrations/{names[i]}" for i in members))
        _git(root, "commit", "-q", "-m", f"commit {n}")
    return folder


def _codes(folder: Path) -> list[str]:
    mset = discover(folder)
    target = TARGETS["golang-migrate"]
    findings = lint_set(mset, target, groups=ship_groups(mset))
    return sorted(f.code for f in findings if f.file and f.file.endswith("0002_path.up.sql"))


@needs_git
def test_a_table_the_same_commit_created_holds_no_rows_for_lint(tmp_path: Path) -> None:
    assert _codes(_set(tmp_path, [[0, 1]])) == []


@needs_git
def test_the_twin_committed_apart_keeps_its_errors(tmp_path: Path) -> None:
    assert _codes(_set(tmp_path, [[0], [1]])) == ["MH211", "MH212", "MH312"]


@needs_git
def test_lint_ship_groups_off_judges_every_version(tmp_path: Path) -> None:
    folder = _set(tmp_path, [[0, 1]])
    runner = CliRunner()
    grouped = runner.invoke(cli, ["lint", str(folder), "--target", "golang-migrate"])
    apart = runner.invoke(
        cli, ["lint", str(folder), "--target", "golang-migrate", "--ship-groups", "off"]
    )
    assert grouped.exit_code == 0, grouped.output
    assert apart.exit_code == 1
    assert "MH211" in apart.output


def _trigger_set(root: Path, commits: list[list[int]]) -> Path:
    """A file that drops a table a trigger writes, and one that drops the trigger."""
    folder = root / "migrations"
    folder.mkdir()
    files = {
        "0001_capes.up.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, uuid TEXT);\n"
        "CREATE TABLE capes (user_uuid TEXT);\n"
        "CREATE TRIGGER users_uuid_cascade AFTER UPDATE OF uuid ON users BEGIN\n"
        "    UPDATE capes SET user_uuid = NEW.uuid WHERE user_uuid = OLD.uuid;\nEND;\n",
        "0002_drop_capes.up.sql": "DROP TABLE capes;\n",
        "0003_drop_trigger.up.sql": "DROP TRIGGER users_uuid_cascade;\n",
    }
    return _committed(folder, files, commits)


def _committed(folder: Path, files: dict[str, str], commits: list[list[int]]) -> Path:
    """``files`` written to ``folder`` and committed in ``commits`` (positions in files)."""
    names = list(files)
    for name, sql in files.items():
        (folder / name).write_text(sql)
    root = folder.parent
    _base_commit(root)
    for n, members in enumerate(commits):
        _git(root, "add", *(f"migrations/{names[i]}" for i in members))
        _git(root, "commit", "-q", "-m", f"commit {n}")
    return folder


@needs_git
def test_a_trigger_the_same_deploy_drops_dangles_nowhere(tmp_path: Path) -> None:
    """modrinth 20260526120000/…01 committed apart left the trigger dangling a month;
    committed together no application ever wrote while it dangled."""
    mset = discover(_trigger_set(tmp_path, [[0], [1, 2]]))
    findings = lint_set(mset, TARGETS["golang-migrate"], groups=ship_groups(mset))
    assert [f.code for f in findings if f.code == "MH322"] == []


@needs_git
def test_a_trigger_a_later_deploy_drops_dangled_in_between(tmp_path: Path) -> None:
    mset = discover(_trigger_set(tmp_path, [[0], [1], [2]]))
    findings = lint_set(mset, TARGETS["golang-migrate"], groups=ship_groups(mset))
    dangling = [f for f in findings if f.code == "MH322"]
    assert [Path(f.file or "").name for f in dangling] == ["0002_drop_capes.up.sql"]


def _parent_later_set(root: Path, commits: list[list[int]]) -> Path:
    """A table whose foreign key names a parent the next file creates."""
    folder = root / "migrations"
    folder.mkdir()
    files = {
        "0001_users.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY,"
        " avatar_id INTEGER REFERENCES medias(id));\n",
        "0002_medias.sql": "CREATE TABLE medias (id INTEGER PRIMARY KEY, path TEXT);\n",
    }
    return _committed(folder, files, commits)


@needs_git
@pytest.mark.parametrize(("commits", "codes"), [([[0, 1]], []), ([[0], [1]], ["MH313"])])
def test_a_parent_the_same_deploy_creates_is_there_before_any_write(
    tmp_path: Path, commits: list[list[int]], codes: list[str]
) -> None:
    """SQLite accepts a key to a table that does not exist yet; only a deploy between fails."""
    mset = discover(_parent_later_set(tmp_path, commits))
    findings = lint_set(mset, TARGETS["sqlite"], groups=ship_groups(mset))
    assert [f.code for f in findings if f.code == "MH313"] == codes
