"""Ship groups follow a migration's name through a move, never through a sibling copy.

Plume moved its PostgreSQL files into ``migrations/postgres`` and, in the same commit,
added ``migrations/sqlite`` with files of the same names rewritten for SQLite: no SQLite
database ever stood at the first of them alone, so they are one deploy, not the
PostgreSQL files' deploys (which made a key to a table a later file of that commit creates
read as "every write fails"). vaultwarden moved its SQLite files into
``migrations/sqlite`` (some edited) while copying them to ``migrations/mysql``: the SQLite
files keep their 2018 deploys. Each test builds a real git repository.
"""

from __future__ import annotations

from pathlib import Path

from migration_harness.checks.run import check_set
from migration_harness.lint import lint_set
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.lineage import first_shipped
from migration_harness.sets.shipgroups import ship_groups
from migration_harness.sets.targets import TARGETS
from tests.test_shipgroups import _git, needs_git

NAMES = ("0001_instances.sql", "0002_users.sql", "0003_medias.sql")
SERVER = (
    "CREATE TABLE instances (id SERIAL PRIMARY KEY, name VARCHAR NOT NULL);\n",
    "CREATE TABLE users (id SERIAL PRIMARY KEY, instance_id INTEGER REFERENCES instances(id));\n",
    "CREATE TABLE medias (id SERIAL PRIMARY KEY, owner_id INTEGER REFERENCES users(id));\n"
    "ALTER TABLE users ADD COLUMN avatar_id INTEGER REFERENCES medias(id);\n",
)
# The SQLite dialect's files, written at once in their final shape: users already has the
# key to medias, which the next file of the same commit creates.
LITE = (
    "CREATE TABLE instances (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n",
    "CREATE TABLE users (id INTEGER PRIMARY KEY, "
    "instance_id INTEGER REFERENCES instances(id), avatar_id INTEGER REFERENCES medias(id));\n",
    "CREATE TABLE medias (id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES users(id));\n",
)
LATER = ("0004_tags.sql", "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n")


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, sql in files.items():
        (folder / name).write_text(sql)


def _commit(root: Path, message: str) -> None:
    _git(root, "add", "-A", ".")
    _git(root, "commit", "-q", "-m", message)


def _one_file_a_commit(root: Path, texts: tuple[str, ...]) -> Path:
    """``migrations/`` with ``NAMES``, one commit each (three deploys)."""
    folder = root / "migrations"
    _git(root, "init", "-q", ".")
    for name, sql in zip(NAMES, texts, strict=True):
        _write(folder, {name: sql})
        _commit(root, name)
    return folder


def _split(root: Path, moved: str, sibling: str, texts: tuple[str, ...]) -> Path:
    """The old files moved to ``moved`` and rewritten (``texts``) into ``sibling``."""
    old = _one_file_a_commit(root, SERVER if moved == "postgres" else LITE)
    _git(root, "mv", "migrations", "tmp")
    old.mkdir()
    _git(root, "mv", "tmp", "migrations/" + moved)
    _write(old / sibling, dict(zip(NAMES, texts, strict=True)))
    _commit(root, f"add {sibling} migrations")
    for dialect in (moved, sibling):
        _write(old / dialect, dict([LATER]))
    _commit(root, "tags")
    return old


@needs_git
def test_a_sibling_dialect_added_in_one_commit_is_one_deploy(tmp_path: Path) -> None:
    folder = _split(tmp_path, "postgres", "sqlite", LITE) / "sqlite"
    assert [g.members for g in ship_groups(discover(folder))] == [(1, 2, 3), (4,)]


@needs_git
def test_the_moved_dialect_keeps_its_deploys(tmp_path: Path) -> None:
    # vaultwarden: the SQLite files move (one edited) while a MySQL copy keeps the others.
    edited = (LITE[0].replace("TEXT", "VARCHAR(40)"), *LITE[1:])
    mysql = (LITE[0], LITE[1].replace("INTEGER", "INT"), LITE[2].replace("INTEGER", "INT"))
    root = tmp_path
    old = _one_file_a_commit(root, edited)
    _git(root, "mv", "migrations", "tmp")
    old.mkdir()
    _git(root, "mv", "tmp", "migrations/sqlite")
    (old / "sqlite" / NAMES[0]).write_text(LITE[0])
    _write(old / "mysql", dict(zip(NAMES, mysql, strict=True)))
    _commit(root, "initial mysql support")
    assert [g.members for g in ship_groups(discover(old / "sqlite"))] == [(1,), (2,), (3,)]


@needs_git
def test_a_key_to_a_parent_the_same_deploy_creates_is_no_finding(tmp_path: Path) -> None:
    folder = _split(tmp_path, "postgres", "sqlite", LITE) / "sqlite"
    assert _fk_violations(folder) == []


@needs_git
def test_the_same_key_deployed_alone_is_reported(tmp_path: Path) -> None:
    # The clean twin's opposite: SQLite ran 0002 alone, so users had a key to nothing.
    folder = _one_file_a_commit(tmp_path, LITE)
    _write(folder, dict([LATER]))
    _commit(tmp_path, "tags")
    assert _fk_violations(folder) == ["0002_users"]


@needs_git
def test_lint_reads_the_sibling_dialect_as_one_deploy(tmp_path: Path) -> None:
    # lint's MH313 "points at a table that does not exist" waits for the ship group's end.
    folder = _split(tmp_path, "postgres", "sqlite", LITE) / "sqlite"
    assert _missing_parents(folder) == []


@needs_git
def test_lint_reports_the_key_deployed_alone(tmp_path: Path) -> None:
    folder = _one_file_a_commit(tmp_path, LITE)
    _write(folder, dict([LATER]))
    _commit(tmp_path, "tags")
    assert _missing_parents(folder) == ["MH313"]


def _missing_parents(folder: Path) -> list[str]:
    mset = discover(folder)
    findings = lint_set(mset, TARGETS["d1"], groups=ship_groups(mset))
    return [f.code for f in findings if f.message.endswith("points at a table that does not exist")]


def _fk_violations(folder: Path) -> list[str | None]:
    run = check_set(
        discover(folder),
        TARGETS["d1"],
        profile="ci",
        checks=["apply"],
        config=SetConfig(ship_groups="git"),
    )
    return [f.migration for f in run.findings if f.kind == "fk_violation"]


def _log(*commits: tuple[str, list[tuple[str, str, str]]]) -> str:
    """A ``git log --raw -z`` text, newest first, of (commit, [(status, blob, path)])."""
    blocks = []
    for commit, changes in reversed(commits):
        records = "".join(
            f":100644 100644 {blob if s == 'D' else '0' * 40} {blob if s == 'A' else '0' * 40}"
            f" {s}\0{path}\0"
            for s, blob, path in changes
        )
        blocks.append(f"\x01{commit}\0\n{records}")
    return "".join(blocks)


def _namer(path: str) -> tuple[str, str]:
    folder, _, name = path.rpartition("/")
    return folder, name


def test_a_file_deleted_and_added_again_later_keeps_its_origin() -> None:
    log = _log(
        ("c1", [("A", "b1", "old/0001_x.sql")]),
        ("c2", [("D", "b1", "old/0001_x.sql")]),
        ("c3", [("A", "b2", "new/0001_x.sql")]),
    )
    assert first_shipped(log, _namer) == {"new/0001_x.sql": "c1"}


def test_a_copy_whose_original_lives_on_starts_anew() -> None:
    log = _log(
        ("c1", [("A", "b1", "pg/0001_x.sql")]),
        ("c2", [("A", "b1", "lite/0001_x.sql")]),
    )
    assert first_shipped(log, _namer) == {"pg/0001_x.sql": "c1", "lite/0001_x.sql": "c2"}
