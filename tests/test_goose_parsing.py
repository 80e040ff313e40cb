"""goose as goose parses (issue 14, item 6), read from pressly/goose's own source.

Annotations are matched with ``strings.EqualFold``; an empty Up section is an empty
migration; a statement without its ``;`` fails the direction it belongs to; Go migrations
are part of the history and the report says how far a SQL-only check went.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import BadFileError
from migration_harness.report.findings import CheckRun
from migration_harness.report.render import not_reached_note
from migration_harness.sets.discovery import discover
from migration_harness.sets.goose import split_goose
from migration_harness.sets.targets import TARGETS

CHECKS = ("apply", "idempotent", "apply_keeps_data", "rollback", "rollback_keeps_data")
USERS = (
    "-- +goose Up\nCREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY, name TEXT);\n"
    "-- +goose Down\nDROP TABLE IF EXISTS users;\n"
)
# A rebuild that needs foreign keys off: goose honours the PRAGMA only outside its
# transaction, which the lower-case annotation asks for.
REBUILD = """-- +goose up
-- +goose no transaction
PRAGMA foreign_keys = OFF;
CREATE TABLE users_new(id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
INSERT INTO users_new(id, name) SELECT id, coalesce(name, '') FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
PRAGMA foreign_keys = ON;

-- +goose down
-- +goose statementbegin
CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN SELECT 1; END;
-- +goose statementend
DROP TRIGGER users_touch;
"""


def goose_set(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return tmp_path


def run(root: Path, checks: tuple[str, ...] = CHECKS) -> CheckRun:
    return check_set(discover(root), TARGETS["goose"], profile="dev", checks=checks)


def test_lower_case_annotations_are_goose_annotations(tmp_path: Path) -> None:
    root = goose_set(tmp_path, {"001_users.sql": USERS, "002_rebuild.sql": REBUILD})
    mset = discover(root)
    assert mset.layout == "goose"
    rebuild = mset.migrations[1]
    assert dict(rebuild.up_options) == {"transaction": False}
    assert "DROP TRIGGER users_touch;" in (rebuild.down_sql or "")


def test_lower_case_no_transaction_rebuild_is_quiet(tmp_path: Path) -> None:
    # Read case-sensitively, the file was wrapped: the PRAGMA became a runner_conflict.
    root = goose_set(tmp_path, {"001_users.sql": USERS, "002_rebuild.sql": REBUILD})
    assert [f.kind for f in run(root, ("apply",)).findings] == []


def test_lower_case_statement_begin_keeps_a_trigger_whole() -> None:
    text = "-- +goose statementbegin\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;\n"
    text += "-- +goose STATEMENTEND\n"  # the word is EqualFold; "+goose" itself is not
    assert [line for _, line in split_goose(text)] == [2]


def test_an_annotation_goose_does_not_know_refuses_the_file(tmp_path: Path) -> None:
    root = goose_set(tmp_path, {"001_users.sql": "-- +goose Up\nSELECT 1;\n-- +goose Upp\n"})
    with pytest.raises(BadFileError, match=r"001_users\.sql:3: 'Upp' not supported"):
        discover(root)


@pytest.mark.parametrize(
    "marker", ["-- +goose Down", "-- +goose StatementBegin", "-- +goose NO TRANSACTION"]
)
def test_a_goose_file_without_its_up_annotation_is_refused_not_run_as_plain_sql(
    tmp_path: Path, marker: str
) -> None:
    # Alone in its folder, the file used to be read as plain SQL: its Down section ran
    # forward (CREATE then DROP), silently. goose refuses it; so does discovery.
    text = f"CREATE TABLE users(id INTEGER PRIMARY KEY);\n{marker}\nDROP TABLE users;\n"
    root = goose_set(tmp_path, {"001_users.sql": text})
    with pytest.raises(BadFileError, match=r"001_users\.sql:1: .*\(goose layout\)"):
        discover(root)


def test_a_comment_that_only_mentions_goose_leaves_a_plain_file_plain(tmp_path: Path) -> None:
    text = "-- ported from our old +goose setup\nCREATE TABLE users(id INTEGER PRIMARY KEY);\n"
    root = goose_set(tmp_path, {"001_users.sql": text})
    mset = discover(root)
    assert mset.layout == "wrangler"
    assert [m.name for m in mset.migrations] == ["001_users"]


@pytest.mark.parametrize(
    "up", ["", "-- nothing to do yet\n", "\n-- +goose StatementBegin\n-- +goose StatementEnd\n"]
)
def test_an_empty_up_section_is_an_empty_migration(tmp_path: Path, up: str) -> None:
    root = goose_set(
        tmp_path,
        {"001_users.sql": USERS, "002_noop.sql": f"-- +goose Up\n{up}-- +goose Down\n"},
    )
    found = run(root)
    assert found.findings == []
    assert [info.reached for info in found.migrations] == [True, True]


def test_an_empty_migration_is_recorded_by_migrate(tmp_path: Path) -> None:
    root = goose_set(tmp_path, {"001_users.sql": USERS, "002_noop.sql": "-- +goose Up\n"})
    db_file = tmp_path / "app.db"
    result = CliRunner().invoke(cli, ["migrate", str(root), "--db", str(db_file)])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_file)
    versions = [v for (v,) in conn.execute("SELECT version_id FROM goose_db_version")]
    conn.close()
    assert versions[-2:] == [1, 2]


def test_down_sections_missing_their_final_semicolon_are_rollback_errors(tmp_path: Path) -> None:
    root = goose_set(
        tmp_path,
        {
            "001_users.sql": USERS.removesuffix(";\n"),
            "002_posts.sql": "-- +goose Up\nCREATE TABLE posts(id INTEGER PRIMARY KEY);\n"
            "-- +goose Down\nDROP TABLE posts",
            "003_tags.sql": "-- +goose Up\nCREATE TABLE tags(id INTEGER PRIMARY KEY);\n"
            "-- +goose Down\nDROP TABLE tags;\n",
        },
    )
    found = run(root, ("apply", "rollback"))
    assert [(f.kind, f.migration, f.line) for f in found.findings] == [
        ("rollback_error", "001_users", 4),
        ("rollback_error", "002_posts", 4),
    ]
    assert "missing semicolon?" in found.findings[0].message
    assert all(info.results["apply"] == "ok" for info in found.migrations)


def test_an_up_section_missing_its_semicolon_is_an_apply_error(tmp_path: Path) -> None:
    root = goose_set(
        tmp_path,
        {"001_users.sql": "-- +goose Up\nCREATE TABLE users(id INTEGER)\n-- +goose Down\n"},
    )
    (finding,) = run(root, ("apply",)).findings
    assert (finding.kind, finding.line) == ("apply_error", 2)
    assert "unexpected unfinished SQL query" in finding.message


def go_set(tmp_path: Path) -> Path:
    root = goose_set(
        tmp_path,
        {
            "001_users.sql": USERS,
            "002_backfill.go": "package migrations\n",
            "002_backfill_test.go": "package migrations\n",
            "003_posts.sql": "-- +goose Up\nCREATE TABLE IF NOT EXISTS posts(id INTEGER);\n"
            "-- +goose Down\nDROP TABLE IF EXISTS posts;\n",
        },
    )
    return root


def test_go_migrations_are_part_of_the_history(tmp_path: Path) -> None:
    mset = discover(go_set(tmp_path))
    assert [(m.name, m.program) for m in mset.migrations] == [
        ("001_users", None),
        ("002_backfill", "go"),
        ("003_posts", None),
    ]


def test_the_report_says_how_far_a_sql_only_check_went(tmp_path: Path) -> None:
    found = run(go_set(tmp_path))
    assert found.findings == []
    assert [info.reached for info in found.migrations] == [True, False, False]
    assert not_reached_note(found) == (
        "note: 2 migration(s) not reached (002_backfill … 003_posts): 002_backfill.go is a "
        "Go migration, which a check of SQL files cannot run (name a SQL file that does the "
        "same under [tool.migration-harness.equivalents] to check past it), so the check went "
        "as far as "
        "001_users (the SQL files after it were only parsed)"
    )


def test_migrate_stops_at_a_go_migration_naming_it(tmp_path: Path) -> None:
    root = go_set(tmp_path)
    result = CliRunner().invoke(cli, ["migrate", str(root), "--db", str(tmp_path / "app.db")])
    assert result.exit_code == 2
    assert "002_backfill.go: a Go migration; migration-harness runs SQL files only" in (
        result.stderr
    )


def test_sql_files_after_a_go_migration_are_still_parsed(tmp_path: Path) -> None:
    root = go_set(tmp_path)
    (root / "migrations" / "003_posts.sql").write_text("-- +goose Up\nCREATE TABEL posts(id);\n")
    (finding,) = run(root, ("apply",)).findings
    assert (finding.kind, finding.migration, finding.line) == ("apply_error", "003_posts", 2)
    assert finding.details[-1].startswith("checked alone: 002_backfill.go is a Go migration")
