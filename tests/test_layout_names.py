"""Issue 14 leftovers: names as the runner accepts them, Flyway's built-in placeholders, a
sqitch change without its deploy script, and status documents that name migrations.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import BadFileError
from migration_harness.report.render import status_markdown
from migration_harness.report.status import gather
from migration_harness.sets import runner
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
MigrationSetFactory = Callable[..., Path]  # the migration_set fixture


def copy_example(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(EXAMPLES / name, root)
    return root


# --- Prisma: every folder name Prisma runs ---------------------------------------------


def prisma_set(tmp_path: Path, folders: dict[str, str]) -> Path:
    migrations = tmp_path / "prisma" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "migration_lock.toml").write_text('provider = "sqlite"\n')
    for name, sql in folders.items():
        (migrations / name).mkdir()
        (migrations / name / "migration.sql").write_text(sql)
    return tmp_path


def test_prisma_folder_names_with_dashes_and_dots_are_read_and_recorded(tmp_path: Path) -> None:
    root = prisma_set(
        tmp_path,
        {
            "20230101000000_add-users": "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
            "20230102000000-posts.v2": "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n",
        },
    )
    mset = discover(root)
    assert mset.layout == "prisma"
    assert [(m.version, m.id) for m in mset.migrations] == [
        (20230101000000, "20230101000000_add-users"),
        (20230102000000, "20230102000000-posts.v2"),
    ]


def test_prisma_records_the_folder_name_in_its_table(tmp_path: Path) -> None:
    root = prisma_set(
        tmp_path, {"20230101000000_add-users": "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"}
    )
    conn = sqlite3.connect(":memory:", isolation_level=None)
    runner.migrate(conn, discover(root), TARGETS["prisma"])
    assert conn.execute("SELECT migration_name FROM _prisma_migrations").fetchall() == [
        ("20230101000000_add-users",)
    ]


def test_prisma_folders_sharing_a_timestamp_or_without_one_run_in_name_order(
    tmp_path: Path,
) -> None:
    root = prisma_set(
        tmp_path,
        {
            "20230101000000_b-users": "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
            "20230101000000_a-posts": "CREATE TABLE posts (id INTEGER PRIMARY KEY);\n",
            "baseline": "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n",
        },
    )
    mset = discover(root)
    assert [(m.version, m.id) for m in mset.migrations] == [
        (1, "20230101000000_a-posts"),
        (2, "20230101000000_b-users"),
        (3, "baseline"),
    ]
    run = check_set(mset, TARGETS["prisma"], profile="dev", seed=0, checks=("apply",))
    assert run.findings == []


def test_prisma_timestamped_folders_keep_their_timestamps_as_versions() -> None:
    mset = discover(EXAMPLES / "prisma_clean")
    assert mset.versions == (20240101000000, 20240102000000)


# --- Flyway: placeholders --------------------------------------------------------------

BUILTINS = (
    "flyway:defaultSchema",
    "flyway:user",
    "flyway:database",
    "flyway:timestamp",
    "flyway:filename",
    "flyway:table",
    "flyway:workingDirectory",
)


def test_flyway_builtin_placeholders_resolve_without_configuration(tmp_path: Path) -> None:
    values = ", ".join(f"'${{{name}}}'" for name in BUILTINS)
    (tmp_path / "V1__meta.sql").write_text(
        f"CREATE TABLE meta AS SELECT {values};\n", encoding="utf-8"
    )
    sql = discover(tmp_path).migrations[0].up_sql
    assert "${" not in sql
    literals = re.findall(r"'([^']*)'", sql)
    assert literals[0] == literals[2] == "main"
    assert literals[1] == ""
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", literals[3])
    assert literals[4:7] == ["V1__meta.sql", "flyway_schema_history", str(Path.cwd())]


def test_flyway_unknown_builtin_is_a_one_line_error_naming_file_and_both_ways(
    tmp_path: Path,
) -> None:
    (tmp_path / "V1__meta.sql").write_text("SELECT '${flyway:nosuch}';\n")
    with pytest.raises(BadFileError) as caught:
        discover(tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert "V1__meta.sql:1: Flyway placeholder ${flyway:nosuch} has no value" in message
    assert "flyway.conf" in message
    assert "--placeholder flyway:nosuch=VALUE" in message


def test_flyway_undo_file_placeholder_without_value_exits_2_writing_nothing(
    tmp_path: Path,
) -> None:
    (tmp_path / "V1__a.sql").write_text("CREATE TABLE a (id INTEGER);\n")
    (tmp_path / "U1__a.sql").write_text("DROP TABLE ${table_name};\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--profile", "dev"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "U1__a.sql:1: Flyway placeholder ${table_name} has no value" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# --- sqitch: a planned change whose deploy script is missing ---------------------------


def test_sqitch_change_without_deploy_script_is_its_apply_error(tmp_path: Path) -> None:
    root = copy_example("sqitch_clean", tmp_path)
    (root / "deploy" / "artist_country.sql").unlink()
    run = check_set(discover(root), TARGETS["sqitch"], profile="dev", seed=0)
    errors = [(f.kind, f.migration) for f in run.findings if f.kind.endswith("_error")]
    assert errors == [("apply_error", "artist_country")]
    (finding,) = [f for f in run.findings if f.kind == "apply_error"]
    assert 'cannot open "deploy/artist_country.sql"' in finding.message
    assert finding.statement == ".read deploy/artist_country.sql"
    # The change before it is checked as usual.
    first = next(i for i in run.migrations if i.name == "artists")
    assert first.results["rollback"] == "ok"


def test_sqitch_missing_deploy_script_is_a_finding_not_exit_2(tmp_path: Path) -> None:
    root = copy_example("sqitch_clean", tmp_path)
    (root / "deploy" / "artists.sql").unlink()
    result = CliRunner().invoke(cli, ["check", str(root), "--profile", "dev"])
    assert result.exit_code == 1, result.output
    assert "apply_error in artists" in result.output
    assert "not reached (artist_country)" in result.output


def test_sqitch_with_every_deploy_script_has_no_apply_error() -> None:
    run = check_set(discover(EXAMPLES / "sqitch_clean"), TARGETS["sqitch"], profile="dev", seed=0)
    assert "apply_error" not in {f.kind for f in run.findings}


# --- MIGRATION_STATUS.md names migrations ----------------------------------------------


def test_status_names_timestamped_migrations_never_positions() -> None:
    mset = discover(EXAMPLES / "runner_dbmate")
    text = status_markdown(gather(mset, TARGETS["dbmate"], set_name="runner_dbmate"))
    assert "## Tables at 20240102000000_artist_name_check\n" in text
    assert "| `20240101000000_artists_tracks` | `20240101000000_artists_tracks.sql` |" in text
    assert "| `20240102000000_artist_name_check` | " in text
    assert "0002" not in text
    assert "at version" not in text


def test_status_of_gapped_versions_names_the_last_one(
    migration_set: MigrationSetFactory,
) -> None:
    root = migration_set(
        {
            1: ("CREATE TABLE a (id INTEGER PRIMARY KEY);", "DROP TABLE a;"),
            5: ("CREATE TABLE b (id INTEGER PRIMARY KEY);", "DROP TABLE b;"),
        }
    )
    text = status_markdown(gather(discover(root), TARGETS["sqlite"], set_name="set"))
    assert "## Tables at 0005_m0005\n" in text
    assert "| `0005_m0005` | none |" in text
    assert "0002" not in text
