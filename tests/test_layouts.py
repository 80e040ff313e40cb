"""Prisma, drizzle-kit and Flyway sets: detected, read and run as their own runner runs them.

Each layout has a worked example in ``tests/examples/``: a clean set that ``check`` leaves
quiet and a planted defect that only this runner's rules produce (docs/RUNNERS.md).
"""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import (
    BadFileError,
    DuplicateVersionError,
    MigrationError,
    UnknownLayoutError,
)
from migration_harness.report.findings import CheckRun
from migration_harness.sets import runner
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.layouts import flyway
from migration_harness.sets.layouts.liquibase import rerun_attribute
from migration_harness.sets.targets import TARGETS, MigrationRefusedError

EXAMPLES = Path(__file__).parent / "examples"

# The examples were committed in one go but stand for histories deployed file by file.
EVERY_VERSION = SetConfig(ship_groups="off")


def copy_example(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(EXAMPLES / name, root)
    return root


def check(root: Path, target: str | None = None) -> CheckRun:
    mset = discover(root)
    return check_set(
        mset, TARGETS[target or mset.default_target], profile="dev", seed=0, config=EVERY_VERSION
    )


def kinds(result: CheckRun) -> set[str]:
    return {f.kind for f in result.findings}


# --- detection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("example", "layout"),
    [
        ("drizzle_clean", "drizzle"),
        ("prisma_clean", "prisma"),
        ("flyway_clean", "flyway"),
    ],
)
def test_layout_is_detected_and_its_runner_is_the_default(example: str, layout: str) -> None:
    mset = discover(EXAMPLES / example)
    assert mset.layout == layout
    assert mset.default_target == layout


def test_forcing_a_wrong_layout_names_what_was_found() -> None:
    with pytest.raises(UnknownLayoutError, match=r"--layout goose .*looks like a drizzle set"):
        discover(EXAMPLES / "drizzle_clean", layout="goose")


def test_forcing_the_cli_layout_names_what_was_found() -> None:
    result = CliRunner().invoke(
        cli, ["check", str(EXAMPLES / "prisma_clean"), "--layout", "flyway"]
    )
    assert result.exit_code == 2
    assert "--layout flyway does not match" in result.output
    assert "looks like a prisma set" in result.output
    assert len(result.output.strip().splitlines()) == 1


# --- drizzle ---------------------------------------------------------------------------


def test_drizzle_reads_the_journal_order_and_when(tmp_path: Path) -> None:
    root = copy_example("drizzle_clean", tmp_path)
    (root / "drizzle" / "9999_not_in_journal.sql").write_text("DROP TABLE artists;\n")
    mset = discover(root)
    assert [(m.version, m.name) for m in mset.migrations] == [
        (1, "0000_artists_tracks"),
        (2, "0001_artist_country"),
    ]
    assert mset.migrations[1].runner_data["created_at"] == 1704153600000


def test_a_drizzle_file_the_journal_does_not_list_is_named_as_never_run(
    tmp_path: Path,
) -> None:
    root = copy_example("drizzle_clean", tmp_path)
    (root / "drizzle" / "0023_left_by_a_rebase.sql").write_text("DROP TABLE artists;\n")
    result = CliRunner().invoke(cli, ["lint", str(root)])
    assert "0023_left_by_a_rebase.sql: not in meta/_journal.json" in result.output
    assert "never runs it" in result.output


def test_drizzle_journal_naming_a_missing_file_is_bad_input(tmp_path: Path) -> None:
    root = copy_example("drizzle_clean", tmp_path)
    (root / "drizzle" / "0001_artist_country.sql").unlink()
    with pytest.raises(BadFileError, match=r"_journal.json: No file .*0001_artist_country.sql"):
        discover(root)


def test_drizzle_journal_for_postgres_is_refused(tmp_path: Path) -> None:
    root = copy_example("drizzle_clean", tmp_path)
    journal = root / "drizzle" / "meta" / "_journal.json"
    journal.write_text(journal.read_text().replace('"sqlite"', '"postgresql"'))
    with pytest.raises(UnknownLayoutError, match="dialect 'postgresql'"):
        discover(root)


def test_drizzle_clean_example_is_quiet() -> None:
    assert check(EXAMPLES / "drizzle_clean").findings == []


def test_drizzle_rebuild_cascades_inside_the_one_transaction() -> None:
    result = check(EXAMPLES / "drizzle_rebuild_cascade")
    assert {"data_loss", "runner_conflict"} <= kinds(result)
    conflict = [f for f in result.findings if f.kind == "runner_conflict"]
    says = "is ignored, keys stay ON: drizzle runs every pending file in one transaction"
    assert any(says in f.message for f in conflict)
    assert {f.code for f in conflict} == {"MH102"}  # the ignored OFF lets the DROP cascade


def test_drizzle_rebuild_is_clean_where_the_pragma_works() -> None:
    # The same files under Prisma's rules (no transaction): the pragma switches keys off.
    result = check(EXAMPLES / "drizzle_rebuild_cascade", "prisma")
    assert "data_loss" not in kinds(result)


def test_drizzle_piece_with_two_statements_is_refused() -> None:
    sql = "CREATE TABLE a(id INTEGER);\nCREATE TABLE b(id INTEGER);\n"
    with pytest.raises(MigrationRefusedError, match="more than one statement") as info:
        TARGETS["drizzle"].plan(sql, "x.sql")
    assert info.value.statement.line == 2


def test_drizzle_trailing_comment_and_empty_piece_are_refused() -> None:
    with pytest.raises(MigrationRefusedError, match="more than one statement"):
        TARGETS["drizzle"].plan("CREATE TABLE a(id INTEGER); -- done\n", "x.sql")
    with pytest.raises(MigrationRefusedError, match="contains no statements"):
        TARGETS["drizzle"].plan("CREATE TABLE a(id INTEGER);\n--> statement-breakpoint\n", "x")


def test_drizzle_pieces_keep_the_files_lines() -> None:
    sql = "CREATE TABLE a(id INTEGER);\n--> statement-breakpoint\n\nCREATE TABLE b(id INTEGER);"
    plan = TARGETS["drizzle"].plan(sql, "x.sql")
    assert [s.line for s in plan.statements] == [1, 4]
    assert plan.wrapped


def test_drizzle_migrate_rolls_back_the_whole_run_on_a_failure(tmp_path: Path) -> None:
    root = copy_example("drizzle_clean", tmp_path)
    (root / "drizzle" / "0001_artist_country.sql").write_text("ALTER TABLE nope ADD x text;\n")
    mset = discover(root)
    conn = sqlite3.connect(":memory:")
    with pytest.raises(MigrationError, match="no such table: nope"):
        runner.migrate(conn, mset, TARGETS["drizzle"])
    # drizzle's one transaction: the first file, which succeeded, is rolled back too.
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name='artists'").fetchone() == (
        0,
    )


def test_drizzle_migrate_writes_drizzles_rows_and_skips_older_files(tmp_path: Path) -> None:
    mset = discover(EXAMPLES / "drizzle_clean")
    conn = sqlite3.connect(":memory:")
    done = runner.migrate(conn, mset, TARGETS["drizzle"])
    assert [m.name for m in done] == ["0000_artists_tracks", "0001_artist_country"]
    rows = conn.execute('SELECT id, hash, created_at FROM "__drizzle_migrations"').fetchall()
    assert rows == [
        (None, mset.migrations[0].checksum, 1704067200000),
        (None, mset.migrations[1].checksum, 1704153600000),
    ]
    # drizzle runs only files newer than the newest row: delete the older row, still applied.
    conn.execute('DELETE FROM "__drizzle_migrations" WHERE created_at = 1704067200000')
    assert runner.status(conn, mset, TARGETS["drizzle"]).pending == ()


def test_drizzle_folder_bound_to_d1_is_read_as_wrangler_applies_it(tmp_path: Path) -> None:
    root = copy_example("drizzle_clean", tmp_path)
    (root / "wrangler.toml").write_text(
        'name = "app"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app"\n'
        'database_id = "x"\nmigrations_dir = "drizzle"\n'
    )
    mset = discover(root)
    assert (mset.layout, mset.default_target) == ("wrangler", "d1")
    assert discover(root, layout="drizzle").layout == "drizzle"


# --- Prisma ----------------------------------------------------------------------------


def test_prisma_reads_folders_in_name_order_keyed_by_folder() -> None:
    mset = discover(EXAMPLES / "prisma_clean")
    assert [m.id for m in mset.migrations] == [
        "20240101000000_init",
        "20240102000000_artist_name_check",
    ]
    assert not mset.has_rollbacks


def test_prisma_other_provider_is_refused(tmp_path: Path) -> None:
    root = copy_example("prisma_clean", tmp_path)
    (root / "prisma" / "migrations" / "migration_lock.toml").write_text('provider = "postgresql"')
    with pytest.raises(UnknownLayoutError, match="provider = 'postgresql'"):
        discover(root)


def test_prisma_folder_without_script_is_bad_input(tmp_path: Path) -> None:
    root = copy_example("prisma_clean", tmp_path)
    (root / "prisma" / "migrations" / "20240103000000_empty").mkdir()
    with pytest.raises(BadFileError, match=r"no migration\.sql"):
        discover(root)


def test_prisma_clean_example_with_its_prologue_is_quiet() -> None:
    assert check(EXAMPLES / "prisma_clean").findings == []


def test_prisma_rebuild_without_its_prologue_loses_the_child_rows() -> None:
    result = check(EXAMPLES / "prisma_rebuild_without_prologue")
    losses = [f for f in result.findings if f.kind == "data_loss"]
    assert losses
    assert any(d.startswith("Track:") for d in losses[0].details)


def test_prisma_prologue_is_a_no_op_under_a_wrapping_runner() -> None:
    # The clean Prisma file loses rows where a runner wraps it with keys on (sqlx).
    assert "data_loss" in kinds(check(EXAMPLES / "prisma_clean", "sqlx"))


def test_prisma_runs_without_transaction_so_a_failure_keeps_earlier_statements(
    tmp_path: Path,
) -> None:
    root = copy_example("prisma_clean", tmp_path)
    script = root / "prisma/migrations/20240102000000_artist_name_check/migration.sql"
    script.write_text("CREATE TABLE kept (id INTEGER);\nINSERT INTO nope VALUES (1);\n")
    conn = sqlite3.connect(":memory:")
    with pytest.raises(MigrationError, match="no such table: nope"):
        runner.migrate(conn, discover(root), TARGETS["prisma"])
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "kept" in names
    rows = conn.execute("SELECT migration_name FROM _prisma_migrations").fetchall()
    assert rows == [("20240101000000_init",)]


# --- Flyway ----------------------------------------------------------------------------


def test_flyway_orders_versions_as_numbers_and_runs_repeatables_last() -> None:
    mset = discover(EXAMPLES / "flyway_clean")
    assert [m.name for m in mset.migrations] == [
        "V1__artists_tracks",
        "V1_1__artist_country",
        "R__artist_names",
    ]
    assert [m.runner_data["version"] for m in mset.migrations] == ["1", "1.1", None]
    assert mset.migrations[0].down_path is not None
    assert mset.migrations[0].down_path.name == "U1__artists_tracks.sql"


def test_flyway_placeholder_from_config_and_command_line(tmp_path: Path) -> None:
    assert "<= 500" in discover(EXAMPLES / "flyway_clean").migrations[0].up_sql
    mset = discover(EXAMPLES / "flyway_clean", placeholders={"name_max": "80"})
    assert "<= 80" in mset.migrations[0].up_sql


def test_flyway_version_order_is_numeric_not_textual(tmp_path: Path) -> None:
    sql = tmp_path / "sql"
    sql.mkdir()
    for name in ("V10__c.sql", "V2__b.sql", "V1.9__a.sql"):
        (sql / name).write_text(f"CREATE TABLE {name[:-4].replace('.', '_')}(id INTEGER);\n")
    assert [m.name for m in discover(tmp_path).migrations] == ["V1.9__a", "V2__b", "V10__c"]


def test_flyway_same_version_twice_is_refused(tmp_path: Path) -> None:
    for name in ("V1__a.sql", "V1.0__b.sql"):
        (tmp_path / name).write_text("CREATE TABLE t(id INTEGER);\n")
    with pytest.raises(DuplicateVersionError, match=r"version 1 also used by .*/V1\.0__b\.sql"):
        discover(tmp_path)


def test_flyway_unresolved_placeholder_is_one_line_naming_both_ways(tmp_path: Path) -> None:
    (tmp_path / "V1__a.sql").write_text("SELECT 1;\nCREATE TABLE ${prefix}_t(id INTEGER);\n")
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert result.exit_code == 2
    line = result.output.strip()
    assert len(line.splitlines()) == 1
    assert "V1__a.sql:2: Flyway placeholder ${prefix} has no value" in line
    assert "flyway.conf" in line
    assert "--placeholder prefix=VALUE" in line


def test_flyway_cli_placeholder_resolves_it(tmp_path: Path) -> None:
    (tmp_path / "V1__a.sql").write_text("CREATE TABLE IF NOT EXISTS ${prefix}_t(id INTEGER);\n")
    result = CliRunner().invoke(
        cli, ["check", str(tmp_path), "--placeholder", "prefix=app", "--profile", "dev"]
    )
    assert result.exit_code == 0, result.output


def test_flyway_clean_example_is_quiet() -> None:
    assert check(EXAMPLES / "flyway_clean").findings == []


def test_flyway_refuses_the_pragma_mixed_with_other_statements() -> None:
    result = check(EXAMPLES / "flyway_mixed_pragma")
    errors = [f for f in result.findings if f.kind == "apply_error"]
    assert errors
    assert "Detected both transactional and non-transactional" in errors[0].message


def test_flyway_script_config_lets_the_rebuild_run_outside_a_transaction(tmp_path: Path) -> None:
    root = copy_example("flyway_mixed_pragma", tmp_path)
    (root / "sql" / "V2__artist_name_check.sql.conf").write_text("executeInTransaction=false\n")
    assert check(root, "flyway").findings == []
    # With the transaction forced on, the pragma is dead and the rebuild cascades (keys on).
    (root / "sql" / "V2__artist_name_check.sql.conf").write_text("executeInTransaction=true\n")
    keys_on = dataclasses.replace(TARGETS["flyway"], foreign_keys=True)
    result = check_set(discover(root), keys_on, profile="dev", seed=0, config=EVERY_VERSION)
    assert "data_loss" in kinds(result)


def test_flyway_history_rows_and_checksums(tmp_path: Path) -> None:
    mset = discover(EXAMPLES / "flyway_clean")
    conn = sqlite3.connect(":memory:")
    runner.migrate(conn, mset, TARGETS["flyway"])
    rows = conn.execute(
        "SELECT installed_rank, version, description, type, script, success FROM "
        '"flyway_schema_history" ORDER BY installed_rank'
    ).fetchall()
    assert rows == [
        (1, "1", "artists tracks", "SQL", "V1__artists_tracks.sql", 1),
        (2, "1.1", "artist country", "SQL", "V1_1__artist_country.sql", 1),
        (3, None, "artist names", "SQL", "R__artist_names.sql", 1),
    ]
    assert runner.status(conn, mset, TARGETS["flyway"]).pending == ()


def test_flyway_checksum_is_crc32_of_lines_without_breaks_as_a_signed_int() -> None:
    # java.util.zip.CRC32 updated with "a" then "b" equals CRC32("ab"); Java's int is signed.
    expected = zlib.crc32(b"ab")
    expected = expected - 2**32 if expected >= 2**31 else expected
    assert flyway.checksum("\ufeffa\r\nb\n") == flyway.checksum("a\nb") == expected
    assert flyway.checksum("a\nb") != flyway.checksum("a\nc")


# --- sqitch ----------------------------------------------------------------------------


def test_sqitch_reads_the_plan_order_with_revert_and_verify() -> None:
    mset = discover(EXAMPLES / "sqitch_clean")
    assert (mset.layout, mset.default_target) == ("sqitch", "sqitch")
    assert [m.id for m in mset.migrations] == ["artists", "artist_country"]
    first = mset.migrations[0]
    assert first.down_path == EXAMPLES / "sqitch_clean" / "revert" / "artists.sql"
    assert "SELECT id, name FROM artists WHERE 0" in str(first.runner_data["verify_sql"])


def test_sqitch_reworked_change_uses_the_tagged_script_first(tmp_path: Path) -> None:
    for folder in ("deploy", "revert"):
        (tmp_path / folder).mkdir()
    (tmp_path / "sqitch.plan").write_text(
        "%project=p\n\nf 2024-01-01T00:00:00Z A <a@x>\n@v1 2024-01-02T00:00:00Z A <a@x>\n"
        "f [f@v1] 2024-01-03T00:00:00Z A <a@x> # reworked\n"
    )
    (tmp_path / "deploy" / "f@v1.sql").write_text("CREATE TABLE f1(id INTEGER);\n")
    (tmp_path / "deploy" / "f.sql").write_text("CREATE TABLE f2(id INTEGER);\n")
    mset = discover(tmp_path)
    assert [m.path.name for m in mset.migrations] == ["f@v1.sql", "f.sql"]


def test_sqitch_change_without_deploy_script_names_the_plan_line(tmp_path: Path) -> None:
    # Read, not refused: sqitch fails when it deploys the change (tests/test_layout_names.py).
    root = copy_example("sqitch_clean", tmp_path)
    (root / "deploy" / "artist_country.sql").unlink()
    migration = discover(root).migrations[1]
    with pytest.raises(MigrationRefusedError, match=r"\(sqitch.plan:6 plans it\)"):
        TARGETS["sqitch"].plan(migration.up_sql, str(migration.path), migration.up_options)


def test_sqitch_clean_example_is_quiet() -> None:
    assert check(EXAMPLES / "sqitch_clean").findings == []


def test_sqitch_failing_verify_is_a_finding_per_change_and_in_histories() -> None:
    result = check(EXAMPLES / "sqitch_verify_fails")
    found = [(f.kind, f.check, f.code) for f in result.findings]
    assert ("verify_error", "verify", "MH171") in found
    assert ("verify_error", "stateful", "MH171") in found
    assert all(f.migration == "artist_country" for f in result.findings)


def test_sqitch_verify_runs_after_every_version_move_of_the_machine() -> None:
    mset = discover(EXAMPLES / "sqitch_verify_fails")
    result = check_set(
        mset, TARGETS["sqitch"], profile="dev", seed=0, checks=["stateful"], config=EVERY_VERSION
    )
    assert [f.kind for f in result.findings] == ["verify_error"]


def test_sqitch_scripts_run_as_written_with_their_own_transaction(tmp_path: Path) -> None:
    mset = discover(EXAMPLES / "sqitch_clean")
    plan = TARGETS["sqitch"].plan(mset.migrations[0].up_sql, "deploy/artists.sql")
    assert not plan.wrapped
    assert plan.statements[0].sql == "BEGIN;"
    conn = sqlite3.connect(":memory:")
    runner.migrate(conn, mset, TARGETS["sqitch"])
    rows = conn.execute("SELECT name FROM migration_harness_sqitch ORDER BY id").fetchall()
    assert rows == [("artists",), ("artist_country",)]


# --- Liquibase formatted SQL -----------------------------------------------------------


def test_liquibase_changesets_are_migrations_in_include_all_order() -> None:
    mset = discover(EXAMPLES / "liquibase_clean")
    assert (mset.layout, mset.default_target) == ("liquibase", "liquibase")
    assert [m.id for m in mset.migrations] == [
        "001_artists.sql::1::ann",
        "001_artists.sql::2::ann",
        "002_artist_country.sql::3::ann",
    ]
    first, second, third = mset.migrations
    assert first.down_sql == "DROP TABLE tracks;\nDROP TABLE artists;"
    assert third.down_sql == "ALTER TABLE artists DROP COLUMN country;"
    assert dict(second.up_options) == {"split": False}


def test_liquibase_changeset_sql_keeps_the_files_lines() -> None:
    second = discover(EXAMPLES / "liquibase_clean").migrations[1]
    plan = TARGETS["liquibase"].plan(second.up_sql, "x", second.up_options)
    assert plan.statements[0].line == 19
    assert plan.statements[0].sql.startswith("CREATE TRIGGER")


def test_liquibase_default_split_cuts_a_trigger_at_its_first_semicolon() -> None:
    sql = "CREATE TRIGGER t AFTER DELETE ON a BEGIN DELETE FROM b; END;"
    pieces = TARGETS["liquibase"].plan(sql, "x", {}).statements
    assert [p.sql for p in pieces] == [
        "CREATE TRIGGER t AFTER DELETE ON a BEGIN DELETE FROM b;",
        "END;",
    ]
    custom = TARGETS["liquibase"].plan(sql.replace("END;", "END/"), "x", {"delimiter": "/"})
    assert len(custom.statements) == 1


def test_liquibase_run_in_transaction_false_is_honoured(tmp_path: Path) -> None:
    (tmp_path / "c.sql").write_text(
        "--liquibase formatted sql\n--changeset a:1 runInTransaction:false\n"
        "CREATE TABLE t(id INTEGER);\n"
    )
    migration = discover(tmp_path).migrations[0]
    assert not TARGETS["liquibase"].plan(migration.up_sql, "x", migration.up_options).wrapped


def test_liquibase_file_without_header_is_one_raw_changeset(tmp_path: Path) -> None:
    root = copy_example("liquibase_clean", tmp_path)
    (root / "migrations" / "003_plain.sql").write_text("CREATE TABLE p(id INTEGER);\n")
    assert discover(root).migrations[-1].id == "003_plain.sql::raw::includeAll"


def test_liquibase_clean_example_is_quiet() -> None:
    assert check(EXAMPLES / "liquibase_clean").findings == []


def test_liquibase_trigger_without_split_statements_false_fails_to_apply() -> None:
    result = check(EXAMPLES / "liquibase_trigger_split")
    errors = [f for f in result.findings if f.kind == "apply_error"]
    assert errors
    assert all(f.migration == "001_artists::2" for f in errors)
    assert "incomplete input" in errors[0].message


def test_liquibase_databasechangelog_rows(tmp_path: Path) -> None:
    mset = discover(EXAMPLES / "liquibase_clean")
    conn = sqlite3.connect(":memory:")
    runner.migrate(conn, mset, TARGETS["liquibase"])
    rows = conn.execute(
        "SELECT ID, AUTHOR, FILENAME, ORDEREXECUTED, EXECTYPE FROM DATABASECHANGELOG "
        "ORDER BY ORDEREXECUTED"
    ).fetchall()
    assert rows == [
        ("1", "ann", "001_artists.sql", 1, "EXECUTED"),
        ("2", "ann", "001_artists.sql", 2, "EXECUTED"),
        ("3", "ann", "002_artist_country.sql", 3, "EXECUTED"),
    ]
    runner.rollback_to(conn, mset, TARGETS["liquibase"], steps=1)
    assert [m.id for m in runner.status(conn, mset, TARGETS["liquibase"]).pending] == [
        "002_artist_country.sql::3::ann"
    ]


def test_sqitch_rework_names_the_newest_tag_before_the_rework(tmp_path: Path) -> None:
    """sqitch-sqlite-intro: userflips, @v1.0.0-dev1, ..., @v1.0.0-dev2, userflips again."""
    for folder in ("deploy", "revert"):
        (tmp_path / folder).mkdir()
    (tmp_path / "sqitch.plan").write_text(
        "%project=p\n\nf 2024-01-01T00:00:00Z A <a@x>\n@dev1 2024-01-02T00:00:00Z A <a@x>\n"
        "g 2024-01-03T00:00:00Z A <a@x>\n@dev2 2024-01-04T00:00:00Z A <a@x>\n"
        "f [f@dev2] 2024-01-05T00:00:00Z A <a@x> # reworked\n"
    )
    (tmp_path / "deploy" / "f@dev2.sql").write_text("CREATE TABLE f1(id INTEGER);\n")
    (tmp_path / "deploy" / "g.sql").write_text("CREATE TABLE g(id INTEGER);\n")
    (tmp_path / "deploy" / "f.sql").write_text("CREATE TABLE f2(id INTEGER);\n")
    mset = discover(tmp_path)
    assert [m.path.name for m in mset.migrations] == ["f@dev2.sql", "g.sql", "f.sql"]


@pytest.mark.parametrize("folder", ["db/changelog", "src/main/resources/db/changelog"])
def test_a_project_root_opens_its_liquibase_changelog(tmp_path: Path, folder: str) -> None:
    # Spring Boot's default changelog place; Liquibase users point at the project root.
    changelog = tmp_path / folder
    changelog.mkdir(parents=True)
    (changelog / "db.changelog-master.sql").write_text(
        "--liquibase formatted sql\n\n--changeset alice:1\n"
        "CREATE TABLE person (id INTEGER PRIMARY KEY);\n--rollback DROP TABLE person;\n"
    )
    mset = discover(tmp_path)
    assert mset.layout == "liquibase"
    assert [m.label for m in mset.migrations] == ["db.changelog-master::1"]


def test_a_changelog_folder_of_plain_sql_is_not_taken_for_liquibase(tmp_path: Path) -> None:
    (tmp_path / "db" / "changelog").mkdir(parents=True)
    (tmp_path / "db" / "changelog" / "notes.sql").write_text("SELECT 1;\n")
    with pytest.raises(UnknownLayoutError):
        discover(tmp_path)


def test_liquibase_reads_run_on_change_and_run_always_as_liquibase_does() -> None:
    """RUN_ON_CHANGE_REGEX / RUN_ALWAYS_REGEX, read by Boolean.parseBoolean (any case)."""
    assert rerun_attribute("--changeset a:1 runOnChange:true") == "runOnChange"
    assert rerun_attribute("--changeset a:1 runAlways:TRUE splitStatements:false") == "runAlways"
    assert rerun_attribute("--changeset a:1 runOnChange:false") is None
    assert rerun_attribute("--changeset a:1") is None
    migrations = discover(EXAMPLES / "liquibase_run_on_change").migrations
    assert [m.runner_data.get("reruns") for m in migrations] == [
        None,
        None,
        "runOnChange",
        "runAlways",
    ]
