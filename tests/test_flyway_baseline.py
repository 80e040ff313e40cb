"""Flyway baseline migrations (``B<version>__``): the fresh-database path, as Flyway runs it.

On an empty database Flyway runs the latest ``B`` file (history type ``SQL_BASELINE``) and
then only the ``V`` files above its version; older ``B`` files and ``V`` files at or below
it never run there (flyway-core ``ResolvedMigration.getState``,
``BaselineResolvedMigration.getState``). ozangulle/plauna ships ``B1__Initialize_db.sql``
and ``V2``..``V7``: before, the harness skipped B1 and reported V2 as not applying (MH101).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import DuplicateVersionError, OrphanRollbackError
from migration_harness.report.findings import CheckRun
from migration_harness.sets import runner
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import MigrationSet, discover
from migration_harness.sets.targets import TARGETS

# Files written at once by a test stand for a history deployed file by file.
EVERY_VERSION = SetConfig(ship_groups="off")

USERS = "CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
NAME_COLUMN = "ALTER TABLE users ADD COLUMN name TEXT;\n"
USERS_WITH_NAME = (
    "CREATE TABLE IF NOT EXISTS users(id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);\n"
)
POSTS = (
    "CREATE TABLE IF NOT EXISTS posts(id INTEGER PRIMARY KEY, "
    "user_id INTEGER NOT NULL REFERENCES users(id), body TEXT);\n"
    "CREATE INDEX IF NOT EXISTS posts_user_id ON posts(user_id);\n"
)
# V1..V3 with two baselines: a new database runs B2, then V3.
TWO_BASELINES = {
    "V1__users.sql": USERS,
    "B1__users.sql": USERS,
    "V2__name.sql": NAME_COLUMN,
    "B2__users_with_name.sql": USERS_WITH_NAME,
    "V3__posts.sql": POSTS,
}


def write(folder: Path, files: dict[str, str]) -> Path:
    """``files`` (name -> SQL) in ``folder/sql``, Flyway's default folder."""
    sql = folder / "sql"
    sql.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (sql / name).write_text(text, encoding="utf-8")
    return folder


def names(mset: MigrationSet) -> list[str]:
    return [m.path.name for m in mset.migrations]


def check(root: Path) -> CheckRun:
    mset = discover(root)
    return check_set(mset, TARGETS["flyway"], profile="dev", seed=0, config=EVERY_VERSION)


# --- order --------------------------------------------------------------------------------


def test_new_database_runs_the_latest_baseline_then_later_versions_then_repeatables(
    tmp_path: Path,
) -> None:
    root = write(
        tmp_path,
        {
            **TWO_BASELINES,
            "R__user_view.sql": "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT id FROM users;\n",
        },
    )
    mset = discover(root)
    assert names(mset) == ["B2__users_with_name.sql", "V3__posts.sql", "R__user_view.sql"]
    assert [m.runner_data["type"] for m in mset.migrations] == ["SQL_BASELINE", "SQL", "SQL"]
    assert [m.runner_data["version"] for m in mset.migrations] == ["2", "3", None]


def test_without_a_baseline_every_versioned_file_runs(tmp_path: Path) -> None:
    root = write(tmp_path, {"V1__users.sql": USERS, "V2__name.sql": NAME_COLUMN})
    mset = discover(root)
    assert names(mset) == ["V1__users.sql", "V2__name.sql"]
    assert mset.notes == ()


def test_baseline_versions_compare_as_numbers(tmp_path: Path) -> None:
    # 10 > 9 as Flyway's MigrationVersion compares them, not as text.
    root = write(
        tmp_path,
        {"B9__old.sql": USERS, "B10__new.sql": USERS_WITH_NAME, "V10_1__posts.sql": POSTS},
    )
    assert names(discover(root)) == ["B10__new.sql", "V10_1__posts.sql"]


def test_history_records_the_baseline_as_sql_baseline(tmp_path: Path) -> None:
    root = write(
        tmp_path, {"V1__users.sql": USERS, "B1__users.sql": USERS, "V2__name.sql": NAME_COLUMN}
    )
    mset = discover(root)
    conn = sqlite3.connect(":memory:")
    runner.migrate(conn, mset, TARGETS["flyway"])
    rows = conn.execute(
        'SELECT version, type, script FROM "flyway_schema_history" ORDER BY installed_rank'
    ).fetchall()
    assert rows == [("1", "SQL_BASELINE", "B1__users.sql"), ("2", "SQL", "V2__name.sql")]
    assert runner.status(conn, mset, TARGETS["flyway"]).pending == ()


# --- the note -----------------------------------------------------------------------------


def test_left_out_files_are_named_in_one_note(tmp_path: Path) -> None:
    root = write(tmp_path, TWO_BASELINES)
    (note,) = discover(root).notes
    assert "B2__users_with_name.sql: Flyway baseline migration" in note
    assert (
        "3 older file(s), which are not checked (B1__users.sql, V1__users.sql, V2__name.sql)"
        in note
    )
    assert "V3__posts.sql" not in note


def test_baseline_leaving_nothing_out_has_no_note(tmp_path: Path) -> None:
    root = write(tmp_path, {"B1__init.sql": USERS, "V2__name.sql": NAME_COLUMN})
    assert discover(root).notes == ()


def test_check_shows_the_note_once_and_in_the_json(tmp_path: Path) -> None:
    root = write(
        tmp_path, {"V1__users.sql": USERS, "B1__users.sql": USERS, "V2__name.sql": NAME_COLUMN}
    )
    report = tmp_path / "check.json"
    result = CliRunner().invoke(
        cli, ["check", str(root), "--profile", "dev", "--no-cache", "--json", str(report)]
    )
    assert result.exit_code == 0, result.output
    shown = [line for line in result.stderr.splitlines() if "Flyway baseline migration" in line]
    assert len(shown) == 1
    assert shown[0].startswith("note: ")
    assert "(V1__users.sql)" in shown[0]
    (noted,) = json.loads(report.read_text(encoding="utf-8"))["notes"]
    assert noted == shown[0].removeprefix("note: ")


# --- refusals -----------------------------------------------------------------------------


def test_same_baseline_version_twice_is_one_line_naming_both_files_exit_2(
    tmp_path: Path,
) -> None:
    root = write(tmp_path, {"B5__a.sql": USERS, "B5.0__b.sql": USERS, "V6__name.sql": NAME_COLUMN})
    result = CliRunner().invoke(cli, ["check", str(root)])
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "B5__a.sql" in line
    assert "B5.0__b.sql" in line
    assert "version 5 also used by" in line


def test_baseline_and_versioned_file_may_share_a_version(tmp_path: Path) -> None:
    root = write(tmp_path, {"V5__users.sql": USERS, "B5__users.sql": USERS})
    assert names(discover(root)) == ["B5__users.sql"]


def test_undo_file_for_a_version_no_file_has_is_still_refused(tmp_path: Path) -> None:
    root = write(tmp_path, {"B1__users.sql": USERS, "U2__name.sql": "SELECT 1;\n"})
    with pytest.raises(OrphanRollbackError, match=r"U2__name\.sql: undo file"):
        discover(root)


def test_duplicate_baseline_raises_the_discovery_error(tmp_path: Path) -> None:
    root = write(tmp_path, {"B1__a.sql": USERS, "B1__b.sql": USERS})
    with pytest.raises(
        DuplicateVersionError, match=r"B1__b\.sql: version 1 also used by .*B1__a\.sql"
    ):
        discover(root)


# --- checks on the fresh path -------------------------------------------------------------


def test_baseline_alone_is_a_flyway_set_and_checks_clean(tmp_path: Path) -> None:
    root = write(tmp_path, {"B1__init.sql": USERS + POSTS})
    mset = discover(root)
    assert (mset.layout, names(mset)) == ("flyway", ["B1__init.sql"])
    assert check(root).findings == []


def test_plauna_shape_baseline_then_later_versions_is_quiet(tmp_path: Path) -> None:
    # B1 + V2.. with no V1 (ozangulle/plauna): V2 alters what only B1 creates.
    root = write(tmp_path, {"B1__init.sql": USERS, "V2__name.sql": NAME_COLUMN, "V3__p.sql": POSTS})
    result = check(root)
    assert [f.code for f in result.findings] == []


def test_baseline_beside_versions_of_the_same_numbers_is_quiet(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "V1__users.sql": USERS,
            "V2__name.sql": NAME_COLUMN,
            "B2__users_with_name.sql": USERS_WITH_NAME,
            "V3__posts.sql": POSTS,
        },
    )
    assert check(root).findings == []


def test_defect_in_a_version_after_the_baseline_is_still_found(tmp_path: Path) -> None:
    # V3 makes email unique: rows valid under B2's schema may share one, so V3 fails.
    unique = "CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users(email);\n"
    root = write(
        tmp_path,
        {
            "V1__users.sql": USERS,
            "V2__name.sql": NAME_COLUMN,
            "B2__users_with_name.sql": USERS_WITH_NAME,
            "V3__unique_email.sql": unique,
        },
    )
    (finding,) = check(root).findings
    assert (finding.code, finding.migration) == ("MH101", "V3__unique_email")
    assert "fails on data valid at B2__users_with_name" in finding.message


def test_left_out_file_is_not_checked(tmp_path: Path) -> None:
    # V1 never runs on a new database, so what it would do there is no finding.
    root = write(
        tmp_path,
        {
            "V1__users.sql": "CREATE TABLE users(;\n",
            "B1__users.sql": USERS,
            "V2__n.sql": NAME_COLUMN,
        },
    )
    assert check(root).findings == []
