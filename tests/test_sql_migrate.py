"""rubenv/sql-migrate as a layout and a target.

Read from its code (rubenv/sql-migrate at 563a2f0): ``sqlparse/sqlparse.go`` cuts a file at
line-final ``;`` outside ``-- +migrate StatementBegin/End``, drops ``-- `` comment lines and
refuses a file without annotations; ``migrate.go`` runs each file in a gorp transaction with
its ``gorp_migrations`` row unless the section says ``notransaction``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import AmbiguousLayoutError, BadFileError
from migration_harness.sets.discovery import discover
from migration_harness.sets.sqlmigrate import read_file, split_section
from migration_harness.sets.targets import TARGETS

USERS = """-- +migrate Up
-- the accounts
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);

-- +migrate Down
DROP TABLE users;
"""
TRIGGER = """-- +migrate Up
-- +migrate StatementBegin
CREATE TRIGGER users_lower AFTER INSERT ON users BEGIN
  UPDATE users SET email = lower(new.email) WHERE id = new.id;
END;
-- +migrate StatementEnd

-- +migrate Down
DROP TRIGGER users_lower;
"""
# The same trigger without StatementBegin/End: sql-migrate cuts it at its inner ';'.
CUT_TRIGGER = TRIGGER.replace("-- +migrate StatementBegin\n", "").replace(
    "-- +migrate StatementEnd\n", ""
)


def sql_migrate_set(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_annotated_files_are_sql_migrates_and_run_under_it(tmp_path: Path) -> None:
    mset = discover(sql_migrate_set(tmp_path, {"1_users.sql": USERS, "2_t.sql": TRIGGER}))
    assert (mset.layout, mset.default_target) == ("sql-migrate", "sql-migrate")
    assert [m.id for m in mset.migrations] == ["1_users.sql", "2_t.sql"]
    users = mset.migrations[0]
    assert "DROP TABLE" not in users.up_sql
    assert users.down_sql is not None
    assert "CREATE TABLE" not in users.down_sql


def test_goose_files_stay_goose(tmp_path: Path) -> None:
    goose = "-- +goose Up\nCREATE TABLE a(x);\n-- +goose Down\nDROP TABLE a;\n"
    assert discover(sql_migrate_set(tmp_path, {"1_a.sql": goose})).layout == "goose"


def test_goose_and_sql_migrate_files_in_one_folder_are_ambiguous(tmp_path: Path) -> None:
    goose = "-- +goose Up\nCREATE TABLE a(x);\n"
    folder = sql_migrate_set(tmp_path, {"1_a.sql": goose, "2_users.sql": USERS})
    with pytest.raises(AmbiguousLayoutError, match="sql-migrate"):
        discover(folder)


def test_the_parser_cuts_where_sql_migrate_cuts() -> None:
    parsed = read_file(TRIGGER)
    assert [line for _, line in split_section(parsed.up)] == [3]
    cut = read_file(CUT_TRIGGER)
    pieces = split_section(cut.up)
    assert [line for _, line in pieces] == [2, 4]
    assert pieces[1][0] == "END;"
    # a '-- ' comment line is never sent; '--x' (no space) is SQL text
    assert split_section("-- a\nSELECT 1;\n") == (("SELECT 1;", 2),)


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("CREATE TABLE a(x);\n", "no Up/Down annotations"),
        ("-- +migrate Up\nCREATE TABLE a(x)\n", "must be ended by a semicolon"),
        ("-- +migrate Up\nCREATE TABLE a(x)\n-- +migrate Down\n", "must be ended by a semicolon"),
        ("-- +migrate Up\n-- +migrate StatementBegin\nSELECT 1;\n", "no matching"),
    ],
)
def test_sql_migrate_refuses_what_it_refuses(tmp_path: Path, text: str, wording: str) -> None:
    folder = sql_migrate_set(tmp_path, {"1_users.sql": USERS, "2_bad.sql": text})
    with pytest.raises(BadFileError, match=wording):
        discover(folder, layout="sql-migrate")


def test_each_file_runs_in_a_transaction_unless_its_section_says_notransaction() -> None:
    target = TARGETS["sql-migrate"]
    assert target.plan("PRAGMA foreign_keys = OFF;\n", "x", {}).wrapped
    parsed = read_file("-- +migrate Up notransaction\nVACUUM;\n-- +migrate Down\nSELECT 1;\n")
    assert target.plan(parsed.up, "x", {"transaction": not parsed.up_no_tx}).wrapped is False
    assert parsed.down_no_tx is False
    conflicts = target.conflicts("BEGIN;\nCREATE TABLE a(x);\nCOMMIT;\n", {})
    assert any("already runs in a transaction" in c for c in conflicts)


def test_notransaction_reaches_the_migration(tmp_path: Path) -> None:
    text = "-- +migrate Up notransaction\nCREATE TABLE a(x);\n-- +migrate Down\nDROP TABLE a;\n"
    migration = discover(sql_migrate_set(tmp_path, {"1_a.sql": text})).migrations[0]
    assert migration.up_options == {"transaction": False}
    assert migration.down_options == {}


def test_a_trigger_without_statement_begin_fails_to_apply(tmp_path: Path) -> None:
    folder = sql_migrate_set(tmp_path, {"1_users.sql": USERS, "2_t.sql": CUT_TRIGGER})
    found = check_set(discover(folder), TARGETS["sql-migrate"], profile="dev", checks=("apply",))
    errors = [f for f in found.findings if f.kind == "apply_error"]
    assert len(errors) == 1
    assert errors[0].migration == "2_t"
    assert "incomplete input" in errors[0].message


def test_the_clean_twin_applies_and_rolls_back_quietly(tmp_path: Path) -> None:
    folder = sql_migrate_set(tmp_path, {"1_users.sql": USERS, "2_t.sql": TRIGGER})
    mset = discover(folder)
    found = check_set(mset, TARGETS["sql-migrate"], profile="dev", checks=("apply", "rollback"))
    assert found.findings == []


def test_migrate_and_rollback_write_gorp_migrations(tmp_path: Path) -> None:
    folder = sql_migrate_set(tmp_path, {"1_users.sql": USERS, "2_t.sql": TRIGGER})
    db_file = tmp_path / "app.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["migrate", str(folder), "--db", str(db_file)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["rollback", str(folder), "--db", str(db_file), "--steps", "1"])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_file)
    assert conn.execute("SELECT id FROM gorp_migrations").fetchall() == [("1_users.sql",)]
    assert (
        conn.execute("SELECT name FROM sqlite_master WHERE name = 'users_lower'").fetchall() == []
    )
    conn.close()


def test_files_sharing_a_number_both_run_in_sql_migrates_order(tmp_path: Path) -> None:
    other = "-- +migrate Up\nCREATE TABLE notes (id INTEGER PRIMARY KEY);\n"
    files = {"03-b.sql": other, "03-a.sql": TRIGGER, "01-users.sql": USERS, "seed.sql": other}
    mset = discover(sql_migrate_set(tmp_path, files))
    assert [(m.version, m.id) for m in mset.migrations] == [
        (1, "01-users.sql"),
        (2, "03-a.sql"),
        (3, "03-b.sql"),
        (4, "seed.sql"),
    ]
