"""uptrace/bun's migrate package as a layout and a target.

Read from its code (uptrace/bun at 0e5e868): ``migrate/migrations.go`` names a migration by
the digits of ``<digits>_<name>.up.sql`` and sorts names as strings; ``migrate/migration.go``
cuts a file at ``--bun:split`` lines, fails on any other ``--bun:`` directive when it runs,
and opens a transaction only for ``.tx.up.sql``/``.tx.down.sql`` files.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import BadFileError
from migration_harness.sets.discovery import discover
from migration_harness.sets.folders import folder_notes
from migration_harness.sets.targets import TARGETS

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
TRIGGER = """CREATE TRIGGER users_lower AFTER INSERT ON users BEGIN
  UPDATE users SET email = lower(new.email) WHERE id = new.id;

--bun:split

END;
"""
WHOLE_TRIGGER = TRIGGER.replace("\n--bun:split\n\n", "")


def bun_set(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def users_files(trigger: str = WHOLE_TRIGGER) -> dict[str, str]:
    return {
        "20240101120000_users.tx.up.sql": USERS,
        "20240101120000_users.tx.down.sql": "DROP TABLE users;\n",
        "20240102120000_lower.up.sql": trigger,
        "20240102120000_lower.down.sql": "DROP TRIGGER users_lower;\n",
    }


def test_tx_names_make_a_bun_set_run_under_bun(tmp_path: Path) -> None:
    mset = discover(bun_set(tmp_path, users_files()))
    assert (mset.layout, mset.default_target) == ("bun", "bun")
    assert [m.version for m in mset.migrations] == [20240101120000, 20240102120000]
    assert [m.up_options.get("transaction") for m in mset.migrations] == [None, False]


def test_a_split_line_marks_bun_without_tx_names(tmp_path: Path) -> None:
    files = {"1_a.up.sql": "CREATE TABLE a(x);\n--bun:split\nCREATE TABLE b(y);\n"}
    assert discover(bun_set(tmp_path, files)).layout == "bun"


def test_unmarked_up_down_files_stay_golang_migrates(tmp_path: Path) -> None:
    files = {"1_a.up.sql": "CREATE TABLE a(x);\n", "1_a.down.sql": "DROP TABLE a;\n"}
    folder = bun_set(tmp_path, files)
    assert discover(folder).layout == "updown"
    forced = discover(folder, layout="bun")
    assert (forced.layout, forced.migrations[0].up_options) == ("bun", {"transaction": False})
    chosen = discover(folder, target="bun")
    assert (chosen.layout, chosen.migrations[0].up_options) == ("bun", {"transaction": False})


def test_bun_orders_names_as_strings(tmp_path: Path) -> None:
    files = {f"{n}_m{n}.tx.up.sql": f"CREATE TABLE t{n}(x);\n" for n in (1, 2, 10)}
    mset = discover(bun_set(tmp_path, files))
    assert [m.version for m in mset.migrations] == [1, 10, 2]


@pytest.mark.parametrize("name", ["20240101_Users.tx.up.sql", "202401011200001_x.tx.up.sql"])
def test_bun_refuses_names_it_cannot_parse(tmp_path: Path, name: str) -> None:
    folder = bun_set(tmp_path, {name: USERS, "1_a.tx.up.sql": USERS})
    with pytest.raises(BadFileError, match="unsupported migration name format"):
        discover(folder)


def test_only_tx_files_are_wrapped_and_pieces_keep_their_lines() -> None:
    target = TARGETS["bun"]
    text = "CREATE TABLE a(x);\n\n--bun:split\n\nCREATE TABLE b(y); CREATE TABLE c(z);\n"
    plan = target.plan(text, "x", {})
    assert plan.wrapped
    assert [(s.sql, s.line) for s in plan.statements] == [
        ("CREATE TABLE a(x);", 1),
        ("CREATE TABLE b(y);", 5),
        ("CREATE TABLE c(z);", 5),
    ]
    assert target.plan(text, "x", {"transaction": False}).wrapped is False


def test_a_split_inside_a_trigger_fails_to_apply(tmp_path: Path) -> None:
    mset = discover(bun_set(tmp_path, users_files(TRIGGER)))
    found = check_set(mset, TARGETS["bun"], profile="dev", checks=("apply",))
    errors = [f for f in found.findings if f.kind == "apply_error"]
    assert [e.migration for e in errors] == ["20240102120000_lower"]
    assert "incomplete input" in errors[0].message


def test_the_clean_twin_applies_and_rolls_back_quietly(tmp_path: Path) -> None:
    mset = discover(bun_set(tmp_path, users_files()))
    found = check_set(mset, TARGETS["bun"], profile="dev", checks=("apply", "rollback"))
    assert found.findings == []


def test_an_unknown_directive_fails_the_migration_when_it_runs(tmp_path: Path) -> None:
    files = users_files("--bun:nosplit\n" + WHOLE_TRIGGER)
    mset = discover(bun_set(tmp_path, files))
    found = check_set(mset, TARGETS["bun"], profile="dev", checks=("apply",))
    errors = [f for f in found.findings if f.kind == "apply_error"]
    assert [e.migration for e in errors] == ["20240102120000_lower"]
    assert "unknown directive" in errors[0].message


def test_files_bun_never_reads_are_named_in_a_note(tmp_path: Path) -> None:
    files = {**users_files(), "seed.sql": "INSERT INTO users VALUES (1, 'a');\n"}
    mset = discover(bun_set(tmp_path, files))
    assert len(mset.migrations) == 2
    assert any("seed.sql" in note for note in mset.notes)


def test_migrate_and_rollback_write_bun_migrations(tmp_path: Path) -> None:
    folder = bun_set(tmp_path, users_files())
    db_file = tmp_path / "app.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["migrate", str(folder), "--db", str(db_file)])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_file)
    rows = conn.execute("SELECT name, group_id FROM bun_migrations ORDER BY id").fetchall()
    assert rows == [("20240101120000", 1), ("20240102120000", 2)]
    conn.close()
    result = runner.invoke(cli, ["rollback", str(folder), "--db", str(db_file), "--steps", "1"])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_file)
    assert conn.execute("SELECT name FROM bun_migrations").fetchall() == [("20240101120000",)]
    conn.close()


# a plain file whose second statement can fail on the users rows (two share an address)
EMAILS = (
    "CREATE TABLE emails (address TEXT NOT NULL UNIQUE);\n"
    "INSERT INTO emails (address) SELECT email FROM users;\n"
)


def test_a_plain_file_that_cannot_run_twice_is_a_warning_as_bun_skips_it_after_a_failure(
    tmp_path: Path,
) -> None:
    files = {
        "1_users.tx.up.sql": USERS,
        "1_users.tx.down.sql": "DROP TABLE users;\n",
        "2_emails.up.sql": EMAILS,
        "2_emails.down.sql": "DROP TABLE emails;\n",
    }
    mset = discover(bun_set(tmp_path, files), target="bun")
    found = check_set(mset, TARGETS["bun"], profile="dev", checks=("idempotent",))
    warned = [f for f in found.findings if f.code == "MH113"]
    assert [(f.migration, f.severity) for f in warned] == [("2_emails", "warning")]
    assert "records it applied before running it" in warned[0].message


def test_a_plain_file_that_can_only_fail_at_its_first_statement_is_a_note(
    tmp_path: Path,
) -> None:
    # the index is on the table the file just made: it meets no row, so only the CREATE
    # TABLE can fail, and then nothing of the file ran (checks/retry.py)
    files = {
        "1_users.up.sql": USERS + "CREATE INDEX users_email ON users(email);\n",
        "1_users.down.sql": "DROP TABLE users;\n",
    }
    mset = discover(bun_set(tmp_path, files), target="bun")
    found = check_set(mset, TARGETS["bun"], profile="dev", checks=("idempotent",))
    assert [(f.code, f.severity) for f in found.findings] == [("MH112", "note")]


def test_a_sub_folder_named_like_a_migration_is_named_as_bun_runs_it(tmp_path: Path) -> None:
    folder = bun_set(tmp_path, users_files())
    (folder / "20240103120000_more").mkdir()
    notes = folder_notes(discover(folder), "bun")
    assert len(notes) == 1
    assert "bun walks into sub-folders" in notes[0]
