"""node-sqlite's ``db.migrate()``: ``-- Up``/``-- Down`` files, run as migrate.ts runs them.

Read from kriasoft/node-sqlite src/utils/migrate.ts (5.1.1): files ``^(\\d+).(.*?)\\.sql$`` by
id, cut at the first ``-- Down`` line, ``-- `` lines removed from the up text; ``BEGIN``,
``db.exec(up)``, the ``migrations`` row, ``COMMIT``; node-sqlite3 builds SQLite with keys off.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.errors import DuplicateVersionError
from migration_harness.lint import lint_set
from migration_harness.report.findings import CheckRun
from migration_harness.sets import runner
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.nodesqlite import sections
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
EVERY_VERSION = SetConfig(ship_groups="off")
MARKED = "-- Up\nCREATE TABLE a(x);\n\n-- Down\nDROP TABLE a;\n"


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


def test_up_and_down_lines_make_the_folder_node_sqlites() -> None:
    mset = discover(EXAMPLES / "node_sqlite_clean")
    assert (mset.layout, mset.default_target) == ("node-sqlite", "node-sqlite")
    assert [(m.version, m.id) for m in mset.migrations] == [
        (1, "001-authors.sql"),
        (2, "002-books.sql"),
        (3, "003-author-bio.sql"),
    ]
    first = mset.migrations[0]
    assert first.down_sql is not None
    assert first.down_sql.strip().endswith("DROP TABLE authors;")
    assert "-- Up" not in first.up_sql


def test_the_cut_is_node_sqlites() -> None:
    read = sections("-- Up\n-- a note\nCREATE TABLE a(x); --tail\n-- DOWN\nDROP TABLE a;\n")
    assert read.stored_up == "CREATE TABLE a(x); --tail"
    assert read.stored_down == "DROP TABLE a;"
    # Lines keep their numbers in what runs: the statement stays on line 3.
    assert read.up.split("\n")[2] == "CREATE TABLE a(x); --tail"
    # Only the first two pieces count: a second "-- Down" and what follows are dropped.
    twice = sections("SELECT 1;\n-- Down\nSELECT 2;\n-- Down\nSELECT 3;\n")
    assert twice.stored_down == "SELECT 2;"
    # The down section keeps the file's line numbers too: DROP TABLE is line 5.
    assert read.down.split("\n")[4] == "DROP TABLE a;"


def test_a_finding_in_the_down_section_names_the_files_line(tmp_path: Path) -> None:
    # the rollback's ADD COLUMN with a clock default fails on a table with rows (MH312)
    down = "ALTER TABLE a ADD COLUMN at TEXT DEFAULT CURRENT_TIMESTAMP;\n"
    files = {
        "001-a.sql": MARKED.replace("a(x)", "a(x, at TEXT)"),
        "002-at.sql": f"-- Up\nALTER TABLE a DROP COLUMN at;\n\n-- Down\n{down}",
    }
    mset = discover(write(tmp_path / "migrations", files))
    found = lint_set(mset, TARGETS[mset.default_target])
    assert [(f.code, Path(f.file or "").name, f.line) for f in found if f.code == "MH312"] == [
        ("MH312", "002-at.sql", 5)
    ]


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        (MARKED, "node-sqlite"),
        (MARKED.replace("\n", "\r\n"), "node-sqlite"),
        ("-- migrate:up\nCREATE TABLE a(x);\n-- migrate:down\nDROP TABLE a;\n", "dbmate"),
        ("-- +goose Up\nCREATE TABLE a(x);\n-- +goose Down\nDROP TABLE a;\n", "goose"),
        ("-- +migrate Up\nCREATE TABLE a(x);\n-- +migrate Down\nDROP TABLE a;\n", "sql-migrate"),
        # A comment that starts with the word is no marker; nor is a Down without an Up.
        ("-- Up next: the table\nCREATE TABLE a(x);\n-- Down the road: more\n", "wrangler"),
        ("CREATE TABLE a(x);\n-- Down\nDROP TABLE a;\n", "wrangler"),
    ],
)
def test_the_markers_decide_at_the_boundary(tmp_path: Path, text: str, layout: str) -> None:
    folder = write(tmp_path / "migrations", {"001-a.sql": text})
    assert discover(folder).layout == layout


def test_a_folder_bound_to_d1_stays_wranglers_whose_run_includes_the_down(
    tmp_path: Path,
) -> None:
    write(tmp_path / "migrations", {"0001-a.sql": MARKED})
    (tmp_path / "wrangler.toml").write_text(
        '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app"\ndatabase_id = "x"\n'
    )
    mset = discover(tmp_path)
    assert (mset.layout, mset.default_target) == ("wrangler", "d1")
    assert "DROP TABLE a" in mset.migrations[0].up_sql


def test_a_forced_layout_reads_a_file_without_the_up_line(tmp_path: Path) -> None:
    folder = write(tmp_path / "m", {"1.a.sql": "CREATE TABLE a(x);\n-- Down\nDROP TABLE a;\n"})
    mset = discover(folder, layout="node-sqlite")
    assert mset.migrations[0].down_sql is not None


def test_names_without_the_number_are_never_run_and_ids_are_unique(tmp_path: Path) -> None:
    folder = write(tmp_path / "one", {"001-a.sql": MARKED, "seed.sql": "SELECT 1;\n"})
    mset = discover(folder)
    assert [m.id for m in mset.migrations] == ["001-a.sql"]
    assert any("never runs seed.sql" in n for n in mset.notes)
    twice = write(tmp_path / "two", {"001-a.sql": MARKED, "1_b.sql": MARKED})
    with pytest.raises(DuplicateVersionError, match="id 1 also used by"):
        discover(twice)


def test_the_tracking_rows_are_node_sqlites(tmp_path: Path) -> None:
    mset = discover(EXAMPLES / "node_sqlite_clean")
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    runner.migrate(conn, mset, TARGETS["node-sqlite"])
    rows = conn.execute('SELECT id, name, up, down FROM "migrations" ORDER BY id').fetchall()
    assert [(i, n) for i, n, _, _ in rows] == [(1, "authors"), (2, "books"), (3, "author-bio")]
    assert rows[2][2:] == (
        "ALTER TABLE authors ADD COLUMN bio TEXT;",
        "ALTER TABLE authors DROP COLUMN bio;",
    )
    runner.rollback_to(conn, mset, TARGETS["node-sqlite"], to=2)
    assert [i for (i,) in conn.execute('SELECT id FROM "migrations"')] == [1, 2]


def test_the_clean_set_is_quiet() -> None:
    result = check(EXAMPLES / "node_sqlite_clean")
    assert [f for f in result.findings if f.severity != "note"] == []


def test_a_begin_inside_node_sqlites_transaction_fails() -> None:
    result = check(EXAMPLES / "node_sqlite_begin")
    errors = {(f.kind, f.migration) for f in result.findings if f.severity == "error"}
    assert ("apply_error", "003-author-bio") in errors
