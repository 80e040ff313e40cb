"""micrate (Crystal, ``sqlite3:`` URL): ``-- +micrate Up``/``Down`` files, run as micrate runs them.

Read from amberframework/micrate 0.10.0 (src/micrate.cr, migration.cr, db/sqlite3.cr) and
crystal-lang/crystal-sqlite3 (statement.cr, connection.cr): liamstask goose's cutting with
its own prefix, a transaction per file with its ``micrate_db_version`` row, each chunk one
prepared statement (its first statement only), keys off unless the URL asks.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.errors import BadFileError, DuplicateVersionError
from migration_harness.report.findings import CheckRun
from migration_harness.sets import runner
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.micrate import sections, split_micrate
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
EVERY_VERSION = SetConfig(ship_groups="off")
CLEAN = EXAMPLES / "micrate_clean"
USERS = (
    "-- +micrate Up\nCREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n\n"
    "-- +micrate Down\nDROP TABLE users;\n"
)


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


def test_micrate_lines_make_the_folder_micrates() -> None:
    mset = discover(CLEAN)
    assert (mset.layout, mset.default_target) == ("micrate", "micrate")
    assert [m.version for m in mset.migrations] == [20240101000000, 20240102000000, 20240103000000]
    first = mset.migrations[0]
    assert "DROP TABLE" not in first.up_sql
    assert first.down_sql is not None
    assert first.down_sql.strip().endswith("DROP TABLE authors;")


def test_the_reading_is_micrates() -> None:
    # Sections repeat and lines keep their numbers; a lower-case marker is a comment.
    text = "-- +micrate Up\nSELECT 1;\n-- +micrate Down\nSELECT 2;\n-- +micrate Up\nSELECT 3;\n"
    read = sections(text)
    assert [s.sql for s in split_micrate(read.up).statements] == ["SELECT 1;", "SELECT 3;"]
    assert read.down is not None
    assert read.down.split("\n")[3] == "SELECT 2;"
    assert not sections("-- +micrate up\nSELECT 1;\n").has_up
    # A chunk runs its first statement only; text left without ';' is dropped.
    split = split_micrate("SELECT 1; SELECT 2;\nSELECT 3\n")
    assert [s.sql for s in split.statements] == ["SELECT 1;"]
    assert [s.sql for s in split.dropped] == ["SELECT 2;"]
    assert split.tail is not None
    assert split.tail.sql == "SELECT 3"
    # "--" anywhere cuts the line before the ';' test, a string's too: the chunk goes on.
    quoted = split_micrate("INSERT INTO t VALUES ('a--b');\nSELECT 1;\n")
    assert [s.sql for s in quoted.statements] == ["INSERT INTO t VALUES ('a--b');"]
    assert [s.sql for s in quoted.dropped] == ["SELECT 1;"]


def test_names_and_versions_are_micrates(tmp_path: Path) -> None:
    folder = write(tmp_path / "one", {"1_users.sql": USERS, "seed.sql": "SELECT 1;\n"})
    mset = discover(folder)
    assert [m.version for m in mset.migrations] == [1]
    assert any("never runs seed.sql" in n for n in mset.notes)
    with pytest.raises(BadFileError, match="Invalid Int64"):
        discover(write(tmp_path / "two", {"1-users.sql": USERS}))
    with pytest.raises(DuplicateVersionError, match="version 1 also used by"):
        discover(write(tmp_path / "three", {"1_users.sql": USERS, "01_more.sql": USERS}))


def test_a_file_without_the_up_line_runs_nothing_and_says_so(tmp_path: Path) -> None:
    folder = write(tmp_path / "m", {"1_users.sql": USERS, "2_x.sql": "CREATE TABLE x(a);\n"})
    mset = discover(folder)
    assert mset.migrations[1].up_sql.strip() == ""
    assert any("runs nothing of 2_x.sql" in n for n in mset.notes)


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        (USERS, "micrate"),
        (USERS.replace("\n", "\r\n"), "micrate"),
        ("-- +goose Up\nCREATE TABLE a(x);\n-- +goose Down\nDROP TABLE a;\n", "goose"),
        ("-- +migrate Up\nCREATE TABLE a(x);\n-- +migrate Down\nDROP TABLE a;\n", "sql-migrate"),
        # A marker not at the line's start, or a word after it, is no marker to micrate.
        (" -- +micrate Up\nCREATE TABLE a(x);\n", "wrangler"),
        ("-- +micrate Upgrade notes\nCREATE TABLE a(x);\n", "wrangler"),
    ],
)
def test_the_markers_decide_at_the_boundary(tmp_path: Path, text: str, layout: str) -> None:
    folder = write(tmp_path / "migrations", {"001_a.sql": text})
    assert discover(folder).layout == layout


def test_the_tracking_rows_are_micrates(tmp_path: Path) -> None:
    mset = discover(CLEAN)
    target = TARGETS["micrate"]
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    runner.migrate(conn, mset, target)
    rows = conn.execute("SELECT version_id, is_applied, tstamp FROM micrate_db_version").fetchall()
    assert [(v, a) for v, a, _ in rows] == [
        (20240101000000, 1),
        (20240102000000, 1),
        (20240103000000, 1),
    ]
    assert all(t for _, _, t in rows)  # micrate writes the time; the table has no default
    runner.rollback_to(conn, mset, target, to=20240101000000)
    last = conn.execute("SELECT version_id, is_applied FROM micrate_db_version ORDER BY id")
    assert last.fetchall()[-2:] == [(20240103000000, 0), (20240102000000, 0)]


def test_the_clean_set_is_quiet() -> None:
    assert codes(check(CLEAN)) == set()


def test_a_down_that_leaves_the_index_behind_is_drift(tmp_path: Path) -> None:
    files = {
        "1_users.sql": USERS,
        "2_name.sql": "-- +micrate Up\nCREATE INDEX users_name ON users (name);\n\n"
        "-- +micrate Down\nSELECT 1;\n",
    }
    assert ("MH132", "2_name") in codes(check(write(tmp_path / "db" / "migrations", files)))


def test_a_second_statement_on_the_line_never_runs(tmp_path: Path) -> None:
    """crystal-sqlite3 prepares the chunk and runs its first statement: the ADD COLUMN after
    it on the same line is dropped, and the next file's index on that column fails.

    The twin puts each statement on its own line: both run, nothing fails.
    """
    one_line = (
        "-- +micrate Up\nCREATE TABLE posts (id INTEGER PRIMARY KEY); "
        "ALTER TABLE users ADD COLUMN email TEXT;\n\n"
        "-- +micrate Down\nALTER TABLE users DROP COLUMN email;\nDROP TABLE posts;\n"
    )
    files = {
        "1_users.sql": USERS,
        "2_posts.sql": one_line,
        "3_email.sql": "-- +micrate Up\nCREATE INDEX users_email ON users (email);\n\n"
        "-- +micrate Down\nDROP INDEX users_email;\n",
    }
    dropped = check(write(tmp_path / "dropped" / "migrations", files))
    assert ("MH101", "3_email") in codes(dropped)
    files["2_posts.sql"] = one_line.replace("); ALTER", ");\nALTER")
    apart = check(write(tmp_path / "apart" / "migrations", files))
    assert codes(apart) == set()


def test_a_begin_inside_micrates_transaction_fails(tmp_path: Path) -> None:
    own = "-- +micrate Up\nBEGIN;\nCREATE TABLE b (id INTEGER PRIMARY KEY);\nCOMMIT;\n"
    files = {"1_users.sql": USERS, "2_b.sql": own}
    assert ("MH101", "2_b") in codes(check(write(tmp_path / "db" / "migrations", files)))
