"""liamstask goose (bitbucket.org/liamstask/goose, used by gophish) as a target.

Read from its own code (pressly/goose's history at 8488cc4, the commit gophish pins):
``splitSQLStatements`` only logs unterminated text and drops it, every file runs in one
transaction (no ``NO TRANSACTION``), and a down is recorded as an ``is_applied = 0`` row.
Also goose's version 0, which goose keeps for its own first row.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import BadFileError
from migration_harness.sets.admission import for_target
from migration_harness.sets.discovery import discover
from migration_harness.sets.goose_v1 import split_goose_v1
from migration_harness.sets.targets import TARGETS

# gophish's 20171027213457_0.4.1_maillogs.sql: the Down section has no final ';'.
MAILLOGS = """
-- +goose Up
-- SQL in section 'Up' is executed when this migration is applied
CREATE TABLE IF NOT EXISTS "mail_logs" (
    "id" integer primary key autoincrement,
    "campaign_id" integer);

-- +goose Down
-- SQL section 'Down' is executed when this migration is rolled back
DROP TABLE "mail_logs"
"""
TERMINATED = MAILLOGS.replace('DROP TABLE "mail_logs"', 'DROP TABLE "mail_logs";')
GO_MOD = "module github.com/x/y\n\nrequire bitbucket.org/liamstask/goose v0.0.0-20150115234039\n"


def goose_set(tmp_path: Path, files: dict[str, str], go_mod: str | None = GO_MOD) -> Path:
    folder = tmp_path / "db" / "migrations"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    if go_mod is not None:
        (tmp_path / "go.mod").write_text(go_mod)
    return folder


def test_a_go_mod_naming_liamstask_goose_makes_it_the_default_target(tmp_path: Path) -> None:
    assert discover(goose_set(tmp_path, {"1_a.sql": TERMINATED})).default_target == "goose-v1"


def test_without_it_the_set_is_goose_v3s(tmp_path: Path) -> None:
    other = "module x\n\nrequire github.com/pressly/goose/v3 v3.27.3\n"
    folder = goose_set(tmp_path, {"1_a.sql": TERMINATED}, go_mod=other)
    assert discover(folder).default_target == "goose"


def test_a_go_mod_above_the_project_root_does_not_count(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text(GO_MOD)
    project = tmp_path / "app"
    (project / ".git").mkdir(parents=True)
    folder = goose_set(project, {"1_a.sql": TERMINATED}, go_mod=None)
    assert discover(folder).default_target == "goose"


def test_unterminated_text_is_dropped_not_refused() -> None:
    split = split_goose_v1('CREATE TABLE a(x);\n-- gone\nDROP TABLE "a"\nDROP TABLE b\n')
    assert split.statements == (("CREATE TABLE a(x);", 1),)
    assert split.skipped == ('DROP TABLE "a"\nDROP TABLE b', 3)
    assert split_goose_v1("SELECT 1;\n-- only a comment\n").skipped is None


def test_goose_v1_reports_the_skipped_down_as_a_warning(tmp_path: Path) -> None:
    mset = discover(goose_set(tmp_path, {"20171027213457_maillogs.sql": MAILLOGS}))
    found = check_set(mset, TARGETS["goose-v1"], profile="dev", checks=("apply",))
    assert [(f.kind, f.severity, f.direction) for f in found.findings] == [
        ("runner_conflict", "warning", "rollback")
    ]
    assert "goose skips this unterminated statement: it never runs" in found.findings[0].message
    # goose v3 fails the down instead: missingSemicolonError.
    mset = discover(mset.migrations_dir, target="goose")
    v3 = check_set(mset, TARGETS["goose"], profile="dev", checks=("apply", "rollback"))
    assert [f.kind for f in v3.findings] == ["rollback_error"]


def test_terminated_twin_is_quiet(tmp_path: Path) -> None:
    mset = discover(goose_set(tmp_path, {"20171027213457_maillogs.sql": TERMINATED}))
    found = check_set(mset, TARGETS["goose-v1"], profile="dev", checks=("apply", "rollback"))
    assert found.findings == []


def test_no_transaction_is_not_liamstask_goose_annotation() -> None:
    plan = TARGETS["goose-v1"].plan("PRAGMA foreign_keys = OFF;\n", "x", {"transaction": False})
    assert plan.wrapped
    conflicts = TARGETS["goose-v1"].conflicts("SELECT 1;\n", {"transaction": False})
    assert len(conflicts) == 1
    assert "no per-file opt-out" in conflicts[0]


def test_migrate_and_rollback_write_liamstask_goose_rows(tmp_path: Path) -> None:
    folder = goose_set(tmp_path, {"1_a.sql": TERMINATED})
    db_file = tmp_path / "app.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["migrate", str(folder), "--db", str(db_file)]).exit_code == 0
    result = runner.invoke(cli, ["rollback", str(folder), "--db", str(db_file), "--steps", "1"])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_file)
    rows = conn.execute("SELECT version_id, is_applied FROM goose_db_version ORDER BY id")
    assert rows.fetchall() == [(0, 1), (1, 1), (1, 0)]
    conn.close()


ZERO = "-- +goose Up\nCREATE TABLE z(id INTEGER);\n-- +goose Down\nDROP TABLE z;\n"


def test_goose_v3_refuses_a_version_zero_file(tmp_path: Path) -> None:
    mset = discover(goose_set(tmp_path, {"00000_z.sql": ZERO, "1_a.sql": TERMINATED}, None))
    with pytest.raises(BadFileError, match=r"00000_z\.sql.*must be greater than zero"):
        for_target(mset, "goose")
    result = CliRunner().invoke(cli, ["check", str(mset.migrations_dir)])
    assert result.exit_code == 2
    assert "00000_z.sql" in result.output


def test_liamstask_goose_skips_a_version_zero_file_with_a_note(tmp_path: Path) -> None:
    mset = discover(goose_set(tmp_path, {"00000_z.sql": ZERO, "1_a.sql": TERMINATED}))
    kept, notes = for_target(mset, "goose-v1")
    assert [m.id for m in kept.migrations] == ["1_a.sql"]
    assert kept.migrations[0].previous == 0
    assert len(notes) == 1
    assert "00000_z.sql" in notes[0]
    assert "never runs" in notes[0]


def test_goose_v3_skips_a_version_zero_go_file_with_a_note(tmp_path: Path) -> None:
    folder = goose_set(tmp_path, {"1_a.sql": TERMINATED}, None)
    (folder / "00000_seed.go").write_text("package migrations\n")
    mset = discover(folder)
    assert [m.version for m in mset.migrations] == [0, 1]
    kept, notes = for_target(mset, "goose")
    assert [m.id for m in kept.migrations] == ["1_a.sql"]
    assert len(notes) == 1
    assert "00000_seed.go" in notes[0]
