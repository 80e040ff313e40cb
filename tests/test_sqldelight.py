"""SQLDelight (Kotlin): ``<N>.sqm`` takes a database from version N to N+1.

Read from SQLDelight's own code (cashapp/sqldelight at f79bd8a): the generated
``Schema.migrate`` runs each file with ``oldVersion <= N < newVersion`` (DatabaseGenerator.kt),
inside the driver's one upgrade transaction, then sets ``PRAGMA user_version``
(JdbcSqliteSchema.kt; Android's SQLiteOpenHelper). The ``.sq`` files hold the newest schema,
so a set starts from the oldest ``<V>.db`` schema file, or from nothing with
``deriveSchemaFromMigrations``. docs/RUNNERS.md.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import DiscoveryError, UnknownLayoutError
from migration_harness.report.findings import CheckRun
from migration_harness.sets import runner
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.sqmtext import runnable
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
EVERY_VERSION = SetConfig(ship_groups="off")
SOURCE = Path("src/main/sqldelight")
TARGET = TARGETS["sqldelight"]


def project(name: str, tmp_path: Path, *, schema_file: str | None = "1.db") -> Path:
    """A copy of the example, its version-1 schema file renamed or removed."""
    root = tmp_path / name
    shutil.copytree(EXAMPLES / name, root)
    (root / ".git").mkdir()
    db = root / SOURCE / "databases" / "1.db"
    if schema_file is None:
        db.unlink()
    else:
        db.rename(db.with_name(schema_file))
    return root


def check(root: Path) -> CheckRun:
    mset = discover(root)
    return check_set(
        mset, TARGETS[mset.default_target], profile="dev", seed=0, config=EVERY_VERSION
    )


def test_a_project_root_finds_the_source_folder_and_numbers_each_file_by_its_result(
    tmp_path: Path,
) -> None:
    mset = discover(project("sqldelight_clean", tmp_path))
    assert (mset.layout, mset.default_target) == ("sqldelight", "sqldelight")
    assert mset.migrations_dir.name == "sqldelight"
    # 1.db is version 1; 1.sqm leaves the database at 2, 2.sqm at 3.
    assert [(m.version, m.id) for m in mset.migrations] == [
        (1, "1.db"),
        (2, "migrations/1.sqm"),
        (3, "migrations/2.sqm"),
    ]
    assert mset.migrations[0].up_sql.startswith("CREATE TABLE note")


def test_imports_and_kotlin_types_are_left_out_where_they_stood(tmp_path: Path) -> None:
    mset = discover(project("sqldelight_clean", tmp_path))
    text = mset.migrations[1].up_sql
    assert "Boolean" not in text
    assert "import" not in text
    lines = text.split("\n")
    assert " ".join(lines[2].split()) == (
        "ALTER TABLE note ADD COLUMN is_done INTEGER NOT NULL DEFAULT 0;"
    )


def test_without_a_schema_file_the_newest_schema_is_no_start_and_the_set_is_refused(
    tmp_path: Path,
) -> None:
    root = project("sqldelight_clean", tmp_path, schema_file=None)
    with pytest.raises(DiscoveryError, match=r"1\.db.*deriveSchemaFromMigrations"):
        discover(root)


def test_derive_schema_from_migrations_starts_from_an_empty_database(tmp_path: Path) -> None:
    root = project("sqldelight_clean", tmp_path, schema_file=None)
    (root / SOURCE / "migrations" / "0.sqm").write_text(
        "CREATE TABLE note (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT);\n"
    )
    build = root / "build.gradle.kts"
    build.write_text(
        build.read_text().replace(
            "verifyMigrations.set(true)", "deriveSchemaFromMigrations.set(true)"
        )
    )
    mset = discover(root)
    assert [m.id for m in mset.migrations] == [
        "migrations/0.sqm",
        "migrations/1.sqm",
        "migrations/2.sqm",
    ]
    assert [f for f in check(root).findings if f.severity != "note"] == []


def test_sq_files_that_create_nothing_mean_the_migrations_build_the_schema(
    tmp_path: Path,
) -> None:
    root = project("sqldelight_clean", tmp_path, schema_file=None)
    (root / SOURCE / "com" / "example" / "notes" / "Note.sq").write_text(
        "selectAll:\nSELECT * FROM note;\n"
    )
    assert [m.version for m in discover(root).migrations] == [2, 3]


def test_files_older_than_the_oldest_schema_file_are_named_and_left_out(tmp_path: Path) -> None:
    root = project("sqldelight_clean", tmp_path, schema_file="2.db")
    mset = discover(root)
    assert [m.id for m in mset.migrations] == ["2.db", "migrations/2.sqm"]
    assert any("1.sqm upgrade older databases" in n for n in mset.notes)


def test_the_version_comes_from_the_digits_of_the_name(tmp_path: Path) -> None:
    root = project("sqldelight_clean", tmp_path)
    migrations = root / SOURCE / "migrations"
    shutil.move(migrations / "2.sqm", migrations / "v2_tags.sqm")
    assert discover(root).migrations[-1].version == 3


def test_the_user_version_records_progress_and_no_table_is_written(tmp_path: Path) -> None:
    mset = discover(project("sqldelight_clean", tmp_path))
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    runner.migrate(conn, mset, TARGET)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"note", "tag", "migration_harness_checksums"}
    assert runner.migrate(conn, mset, TARGET) == []


def test_a_database_an_older_release_left_at_version_two_runs_only_2_sqm(tmp_path: Path) -> None:
    mset = discover(project("sqldelight_clean", tmp_path))
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    for migration in mset.migrations[:2]:
        conn.executescript(migration.up_sql)
    conn.execute("PRAGMA user_version = 2")
    assert [m.id for m in runner.migrate(conn, mset, TARGET)] == ["migrations/2.sqm"]


def test_a_folder_of_sql_files_keeps_its_runner_beside_a_stray_sqm(tmp_path: Path) -> None:
    mig = tmp_path / "migrations"
    mig.mkdir()
    (mig / "1_users.up.sql").write_text("CREATE TABLE users (id INTEGER PRIMARY KEY);\n")
    (mig / "1_users.down.sql").write_text("DROP TABLE users;\n")
    (mig / "notes" / "1.sqm").parent.mkdir()
    (mig / "notes" / "1.sqm").write_text("ALTER TABLE users ADD COLUMN name TEXT;\n")
    (tmp_path / ".git").mkdir()
    assert discover(tmp_path).layout == "updown"


def test_forcing_sqldelight_on_a_folder_without_sqm_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_a.sql").write_text("CREATE TABLE a(x);\n")
    (tmp_path / ".git").mkdir()
    with pytest.raises(UnknownLayoutError, match="--layout sqldelight does not match"):
        discover(tmp_path, layout="sqldelight")


def test_the_clean_set_is_quiet(tmp_path: Path) -> None:
    result = check(project("sqldelight_clean", tmp_path))
    assert [f for f in result.findings if f.severity != "note"] == []


def test_a_rebuild_that_forgets_a_column_loses_its_values(tmp_path: Path) -> None:
    result = check(project("sqldelight_rebuild_drops_body", tmp_path))
    found = {(f.kind, f.migration) for f in result.findings if f.severity == "error"}
    assert found == {("data_loss", "1.sqm")}


def test_generated_columns_casts_and_views_keep_their_as() -> None:
    text = (
        "CREATE TABLE t (a INTEGER, b INTEGER AS (a + 1), c TEXT DEFAULT (CAST(1 AS TEXT)));\n"
        "CREATE VIEW v AS SELECT a AS x FROM t;\n"
        "CREATE TABLE u AS SELECT * FROM t;\n"
    )
    assert runnable(text) == text
    generic = "CREATE TABLE t (tags TEXT AS List<Map<String, Int>> NOT NULL, n INTEGER);"
    assert " ".join(runnable(generic).split()) == (
        "CREATE TABLE t (tags TEXT NOT NULL, n INTEGER);"
    )


def test_fts5_columns_reach_sqlite_as_names_only() -> None:
    # TreeUtil.kt rangesToReplace: an fts5 column definition loses its type and
    # constraints, UNINDEXED stays, options stay whole; other modules are untouched.
    text = (
        "CREATE VIRTUAL TABLE note_index USING fts5(\n"
        "  note_id INTEGER UNINDEXED,\n"
        "  body TEXT NOT NULL,\n"
        "  prefix='2 3'\n"
        ");\n"
    )
    assert " ".join(runnable(text).split()) == (
        "CREATE VIRTUAL TABLE note_index USING fts5( note_id UNINDEXED, body , prefix='2 3' );"
    )
    rtree = "CREATE VIRTUAL TABLE box USING rtree(id, x0, x1);\n"
    assert runnable(rtree) == rtree


def test_a_schema_file_with_an_fts5_table_leaves_its_shadow_tables_to_the_module(
    tmp_path: Path,
) -> None:
    root = project("sqldelight_clean", tmp_path)
    db = root / SOURCE / "databases" / "1.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE VIRTUAL TABLE note_index USING fts5(body)")
    conn.commit()
    conn.close()
    first = discover(root).migrations[0]
    assert "note_index_data" not in first.up_sql
    scratch = sqlite3.connect(":memory:")
    scratch.executescript(first.up_sql)  # the module makes its shadow tables itself


def test_the_command_line_checks_a_set_whose_first_step_is_a_schema_file(
    tmp_path: Path,
) -> None:
    # The .db is no text: reading it for suppression comments ended check in an error.
    root = project("sqldelight_clean", tmp_path)
    result = CliRunner().invoke(cli, ["check", str(root), "--profile", "dev"])
    assert result.exit_code == 0, result.output
    assert "target sqldelight, foreign keys off" in " ".join(result.output.split())
