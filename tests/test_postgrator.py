"""postgrator (``driver: "sqlite3"``): ``N.do.sql``/``N.undo.sql`` files, run as it runs them.

Read from rickbergfalk/postgrator 8.0.0 (postgrator.js, lib/Client.js, lib/Sqlite3Client.js,
test/test-util.js): names ``[version].[action].[description].sql``; each ``do`` file above the
database's highest version is one ``execSqlScript`` (node-sqlite3's ``db.exec``: every
statement, no transaction), then its ``schemaversion`` row; its ``undo`` twin is the rollback.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.errors import DuplicateVersionError
from migration_harness.report.findings import CheckRun
from migration_harness.sets import runner
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
EVERY_VERSION = SetConfig(ship_groups="off")
CLEAN = EXAMPLES / "postgrator_clean"


def check(root: Path) -> CheckRun:
    mset = discover(root)
    return check_set(
        mset, TARGETS[mset.default_target], profile="dev", seed=0, config=EVERY_VERSION
    )


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def codes(result: CheckRun) -> set[tuple[str, str]]:
    return {(f.code, f.migration) for f in result.findings if f.severity != "note"}


def test_do_and_undo_names_make_the_folder_postgrators() -> None:
    mset = discover(CLEAN)
    assert (mset.layout, mset.default_target) == ("postgrator", "postgrator")
    assert [(m.version, m.path.name) for m in mset.migrations] == [
        (1, "001.do.authors.sql"),
        (2, "002.do.books.sql"),
        (3, "003.do.author-bio.sql"),
    ]
    first = mset.migrations[0]
    assert first.down_path is not None
    assert first.down_path.name == "001.undo.authors.sql"
    assert first.down_sql == "DROP TABLE authors;\n"
    assert first.runner_data["name"] == "authors"


def test_an_undo_file_is_a_rollback_not_a_migration(tmp_path: Path) -> None:
    """The layout postgrator's README writes: read as plain files it was four migrations."""
    folder = write(
        tmp_path / "migrations",
        {
            "001.do.sql": "CREATE TABLE a(id INTEGER PRIMARY KEY);\n",
            "001.undo.sql": "DROP TABLE a;\n",
            "002.do.sql": "ALTER TABLE a ADD COLUMN b TEXT;\n",
            "002.undo.sql": "ALTER TABLE a DROP COLUMN b;\n",
        },
    )
    mset = discover(folder)
    assert mset.layout == "postgrator"
    assert [(m.version, m.down_sql) for m in mset.migrations] == [
        (1, "DROP TABLE a;\n"),
        (2, "ALTER TABLE a DROP COLUMN b;\n"),
    ]
    result = check(folder)
    assert codes(result) == set()


def test_names_postgrator_cannot_read_are_noted_and_duplicates_refused(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "one",
        {
            "0.do.zero.sql": "CREATE TABLE z(x);\n",
            "1.do.a.sql": "CREATE TABLE a(x);\n",
            "create.sql": "SELECT 1;\n",
            "2.up.b.sql": "x",
        },
    )
    mset = discover(folder)
    assert [m.version for m in mset.migrations] == [1]
    assert any("never runs 0.do.zero.sql, 2.up.b.sql, create.sql" in n for n in mset.notes)
    twice = write(
        tmp_path / "two",
        {"1.do.a.sql": "CREATE TABLE a(x);\n", "01.do.b.sql": "CREATE TABLE b(x);\n"},
    )
    with pytest.raises(DuplicateVersionError, match="Two migrations found with version 1"):
        discover(twice)


def test_a_javascript_migration_is_code_in_the_history(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "migrations",
        {
            "001.do.sql": "CREATE TABLE a(x);\n",
            "002.do.js": "module.exports.generateSql = () => 'SELECT 1';\n",
        },
    )
    mset = discover(folder)
    assert [(m.version, m.program) for m in mset.migrations] == [(1, None), (2, "js")]


@pytest.mark.parametrize(
    ("files", "layout"),
    [
        ({"001.do.sql": "CREATE TABLE a(x);\n"}, "postgrator"),
        # A description with the word is no action: 001_do.sql and 1.done.sql stay plain.
        ({"001_do.sql": "CREATE TABLE a(x);\n"}, "wrangler"),
        ({"1.done.sql": "CREATE TABLE a(x);\n"}, "wrangler"),
        ({"1_a.up.sql": "CREATE TABLE a(x);\n", "1_a.down.sql": "DROP TABLE a;\n"}, "updown"),
        ({"001.a.sql": "-- Up\nCREATE TABLE a(x);\n-- Down\nDROP TABLE a;\n"}, "node-sqlite"),
    ],
)
def test_the_names_decide_at_the_boundary(
    tmp_path: Path, files: dict[str, str], layout: str
) -> None:
    assert discover(write(tmp_path / "migrations", files)).layout == layout


def test_a_folder_bound_to_d1_stays_wranglers(tmp_path: Path) -> None:
    """wrangler runs every .sql file of the folder it is bound to, an undo file included."""
    write(tmp_path / "migrations", {"0001.do.sql": "CREATE TABLE a(x);\n"})
    (tmp_path / "wrangler.toml").write_text(
        '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app"\ndatabase_id = "x"\n'
    )
    assert discover(tmp_path).layout == "wrangler"


def test_the_tracking_rows_are_postgrators(tmp_path: Path) -> None:
    mset = discover(CLEAN)
    target = TARGETS["postgrator"]
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    runner.migrate(conn, mset, target)
    rows = conn.execute("SELECT version, name, md5 FROM schemaversion ORDER BY version").fetchall()
    text = (CLEAN / "migrations" / "003.do.author-bio.sql").read_text()
    assert [(v, n) for v, n, _ in rows] == [
        (0, None),
        (1, "authors"),
        (2, "books"),
        (3, "author-bio"),
    ]
    assert rows[3][2] == hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
    runner.rollback_to(conn, mset, target, to=1)
    assert [v for (v,) in conn.execute("SELECT version FROM schemaversion")] == [0, 1]
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'books'").fetchone() == (
        0,
    )


def test_the_clean_set_is_quiet() -> None:
    assert codes(check(CLEAN)) == set()


def test_an_undo_that_leaves_the_index_behind_is_drift(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "migrations",
        {
            "001.do.sql": "CREATE TABLE a(id INTEGER PRIMARY KEY, name TEXT);\n",
            "001.undo.sql": "DROP TABLE a;\n",
            "002.do.name.sql": "CREATE INDEX a_name ON a (name);\n",
            "002.undo.name.sql": "SELECT 1;\n",
        },
    )
    assert ("MH132", "002.do.name") in codes(check(folder))


def test_a_file_without_a_transaction_can_half_apply_and_rerun(tmp_path: Path) -> None:
    """postgrator opens no transaction and records nothing on failure: the next migrate()
    runs the file again from its first statement, whose ADD COLUMN then fails.

    The twin wraps the same statements in the file's own BEGIN ... COMMIT, as postgrator's
    README advises: all or nothing, a note.
    """
    body = (
        "ALTER TABLE users ADD COLUMN handle TEXT;\n"
        "UPDATE users SET handle = lower(name);\n"
        "CREATE UNIQUE INDEX users_handle ON users (handle);\n"
    )
    files = {
        "1.do.users.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n",
        "2.do.handles.sql": body,
        "2.undo.handles.sql": "DROP INDEX users_handle;\nALTER TABLE users DROP COLUMN handle;\n",
    }
    bare = check(write(tmp_path / "bare", files))
    assert ("MH111", "2.do.handles") in codes(bare)
    files["2.do.handles.sql"] = f"BEGIN;\n{body}COMMIT;\n"
    wrapped = check(write(tmp_path / "wrapped", files))
    assert ("MH111", "2.do.handles") not in codes(wrapped)


def test_a_platformatic_project_runs_it_with_keys_on_and_a_versions_table(
    tmp_path: Path,
) -> None:
    """Platformatic DB runs postgrator on better-sqlite3 / node:sqlite (keys on), table
    ``versions``: dropping a parent then fails on its children's rows (MH101), where the
    plain postgrator target (node-sqlite3, keys off) leaves them dangling (a warning)."""
    files = {
        "001.do.sql": "CREATE TABLE a(id INTEGER PRIMARY KEY);\n"
        "CREATE TABLE b(id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));\n",
        "002.do.sql": "DROP TABLE a;\n",
    }
    plain = write(tmp_path / "plain" / "migrations", files)
    (tmp_path / "app").mkdir()
    project = write(tmp_path / "app" / "migrations", files)
    (tmp_path / "app" / "platformatic.json").write_text('{"migrations": {"dir": "migrations"}}')
    assert discover(plain).default_target == "postgrator"
    mset = discover(project)
    assert (mset.layout, mset.default_target) == ("postgrator", "platformatic")
    target = TARGETS["platformatic"]
    assert (target.foreign_keys, target.tracking.table) == (True, "versions")
    assert ("MH101", "002.do") in codes(check(project))
    assert ("MH101", "002.do") not in codes(check(plain))
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    runner.migrate(conn, discover(CLEAN), target)
    assert conn.execute("SELECT max(version) FROM versions").fetchone() == (3,)


@pytest.mark.parametrize(("pinned", "keys"), [("^0.12.1", False), ("^1.2.0", True)])
def test_a_platformatic_before_0_30_ran_sqlite_with_keys_off(
    tmp_path: Path, pinned: str, keys: bool
) -> None:
    """platformatic#1188 (0.30.0) moved SQLite from node-sqlite3 to better-sqlite3."""
    write(tmp_path / "migrations", {"001.do.sql": "CREATE TABLE a(x);\n"})
    (tmp_path / "platformatic.db.json").write_text("{}")
    (tmp_path / "package.json").write_text(f'{{"dependencies": {{"platformatic": "{pinned}"}}}}')
    mset = discover(tmp_path)
    assert mset.default_target == "platformatic"
    assert mset.project_keys.get("platformatic", "on") == ("on" if keys else "off")
    assert any("before 0.30.0" in n for n in mset.notes) is not keys


def check_as(root: Path, target: str) -> CheckRun:
    return check_set(discover(root), TARGETS[target], profile="dev", seed=0, config=EVERY_VERSION)


REBUILD = {
    "1.do.notes.sql": "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n",
    "2.do.pinned.sql": (
        "BEGIN TRANSACTION;\n"
        "CREATE TABLE new_notes (id INTEGER PRIMARY KEY, body TEXT, pinned INTEGER NOT NULL"
        " DEFAULT 0);\n"
        "INSERT INTO new_notes (id, body) SELECT id, body FROM notes;\n"
        "DROP TABLE notes;\n"
        "ALTER TABLE new_notes RENAME TO notes;\n"
        "COMMIT;\n"
    ),
}


def test_execquery_alone_runs_only_a_files_first_statement(tmp_path: Path) -> None:
    """postgrator 7.3.0+ without execSqlScript hands the file to execQuery (conniebot's
    ``db.all``): node-sqlite3 runs its BEGIN and nothing else, and the transaction stays open.

    Under ``postgrator`` (db.exec) the same file rebuilds the table: quiet.
    """
    folder = write(tmp_path / "migrations", REBUILD)
    query = check_as(folder, "postgrator-query")
    conflicts = [f for f in query.findings if f.kind == "runner_conflict"]
    assert conflicts
    assert "CREATE TABLE new_notes" in " ".join(conflicts[0].details)
    assert ("MH101", "2.do.pinned") in codes(query)
    assert codes(check_as(folder, "postgrator")) == set()


def test_execquery_alone_is_quiet_on_one_statement_files(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "migrations",
        {
            "1.do.notes.sql": "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n",
            "1.undo.notes.sql": "DROP TABLE notes;\n",
            "2.do.title.sql": "-- a title\nALTER TABLE notes ADD COLUMN title TEXT;\n",
            "2.undo.title.sql": "ALTER TABLE notes DROP COLUMN title;\n",
        },
    )
    assert codes(check_as(folder, "postgrator-query")) == set()


def test_before_7_3_every_semicolon_cuts_the_file(tmp_path: Path) -> None:
    """postgrator < 7.3.0 split every script at each ';' (lib/Sqlite3Client.js runQuery), a
    ';' inside a string included: the cut default fails there, not under ``postgrator``.

    The twin without a ';' in its text runs statement by statement: quiet.
    """
    files = {
        "1.do.notes.sql": "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n",
        "2.do.sep.sql": "ALTER TABLE notes ADD COLUMN sep TEXT NOT NULL DEFAULT ';';\n",
    }
    cut = write(tmp_path / "cut", files)
    assert ("MH101", "2.do.sep") in codes(check_as(cut, "postgrator-split"))
    assert codes(check_as(cut, "postgrator")) == set()
    files["2.do.sep.sql"] = "ALTER TABLE notes ADD COLUMN sep TEXT NOT NULL DEFAULT ',';\n"
    files["3.do.two.sql"] = (
        "CREATE INDEX IF NOT EXISTS notes_sep ON notes (sep);\n-- done\nSELECT 1;\n"
    )
    assert codes(check_as(write(tmp_path / "plain", files), "postgrator-split")) == set()
