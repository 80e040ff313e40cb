"""Each runner target behaves as its tool does on SQLite (docs/RUNNERS.md).

The same table rebuild (``PRAGMA foreign_keys=OFF``, copy, drop, rename) over a parent
whose child cascades is clean where the runner lets the pragma work (no transaction, or keys
off) and loses the child's rows where the runner wraps the file with keys on. Each tool's
per-file opt-out is what flips it, as in the real tool.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import AmbiguousLayoutError
from migration_harness.report.findings import CheckRun
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
CHECKS = ["apply", "apply_keeps_data"]


def run(root: Path, target: str, *, foreign_keys: bool | None = None) -> CheckRun:
    chosen = TARGETS[target]
    if foreign_keys is not None:
        chosen = dataclasses.replace(chosen, foreign_keys=foreign_keys)
    # The examples were committed in one go: checked as one deploy, their planted data would
    # vanish (ship groups); every version may hold rows here.
    return check_set(discover(root), chosen, checks=CHECKS, config=SetConfig(ship_groups="off"))


def kinds(result: CheckRun) -> set[str]:
    return {f.kind for f in result.findings}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _drop_goose(root: Path) -> None:
    _edit(root / "migrations/00002_artist_name_check.sql", "-- +goose NO TRANSACTION\n", "")


def _drop_dbmate(root: Path) -> None:
    name = "migrations/20240102000000_artist_name_check.sql"
    _edit(root / name, "-- migrate:up transaction:false", "-- migrate:up")


def _drop_sqlx(root: Path) -> None:
    name = "migrations/20240102000000_artist_name_check.up.sql"
    _edit(root / name, "-- no-transaction\n", "")
    # Without its marker the set reads as golang-migrate's naming: force sqlx as a user would.


def _drop_diesel(root: Path) -> None:
    (root / "migrations/2024-01-02-000000_artist_name_check/metadata.toml").unlink()


OPT_OUTS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "runner_goose": ("goose", _drop_goose),
    "runner_dbmate": ("dbmate", _drop_dbmate),
    "runner_sqlx": ("sqlx", _drop_sqlx),
    "runner_diesel": ("diesel", _drop_diesel),
}


def copy_example(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(EXAMPLES / name, root)
    return root


@pytest.mark.parametrize("example", sorted(OPT_OUTS))
def test_layout_defaults_to_its_runner_and_reads_the_opt_out(example: str) -> None:
    mset = discover(EXAMPLES / example)
    assert mset.default_target == OPT_OUTS[example][0]
    assert dict(mset.migrations[1].up_options) == {"transaction": False}


@pytest.mark.parametrize("example", sorted(OPT_OUTS))
def test_rebuild_with_the_opt_out_keeps_the_child_rows_with_keys_on(example: str) -> None:
    result = run(EXAMPLES / example, OPT_OUTS[example][0], foreign_keys=True)
    assert result.findings == []


@pytest.mark.parametrize("example", sorted(OPT_OUTS))
def test_rebuild_without_the_opt_out_cascades_with_keys_on(example: str, tmp_path: Path) -> None:
    target, drop_opt_out = OPT_OUTS[example]
    root = copy_example(example, tmp_path)
    drop_opt_out(root)
    result = run(root, target, foreign_keys=True)
    assert {"data_loss", "runner_conflict"} <= kinds(result)
    # The ignored pragma let the DROP TABLE cascade: the conflict is an error (MH102).
    assert {f.code for f in result.findings if f.kind == "runner_conflict"} == {"MH102"}
    (loss,) = [f for f in result.findings if f.kind == "data_loss"]
    assert loss.direction == "apply"
    assert any(d.startswith("tracks:") for d in loss.details)


@pytest.mark.parametrize("target", ["goose", "dbmate", "diesel", "golang-migrate"])
def test_wrapped_rebuild_is_harmless_under_the_drivers_keys_off_default(
    target: str, tmp_path: Path
) -> None:
    # mattn/go-sqlite3, modernc and diesel leave foreign keys off: nothing cascades, but the
    # file's trailing PRAGMA is still dead code under a wrapping runner, and that is noted.
    root = copy_example("runner_goose", tmp_path)
    _drop_goose(root)
    result = run(root, target)
    assert not TARGETS[target].foreign_keys
    assert "data_loss" not in kinds(result)
    # The OFF asks for the value in effect: no conflict. The trailing ON is ignored, keys
    # stay off as they were, and nothing after it depends on them: a note (MH108).
    (conflict,) = [f for f in result.findings if f.kind == "runner_conflict"]
    assert "PRAGMA foreign_keys=ON is ignored, keys stay OFF" in conflict.message
    assert f"{target} runs this file in one transaction" in conflict.message
    assert "foreign_keys=OFF" not in conflict.message
    assert conflict.code == "MH108"


def test_sqlx_keys_are_on_by_default_so_the_unmarked_rebuild_loses_rows(tmp_path: Path) -> None:
    root = copy_example("runner_sqlx", tmp_path)
    _drop_sqlx(root)
    assert discover(root).default_target == "golang-migrate"
    assert "data_loss" in kinds(run(root, "sqlx"))
    assert "data_loss" not in kinds(run(root, "golang-migrate"))


def test_golang_migrate_has_no_per_file_opt_out() -> None:
    root = EXAMPLES / "runner_dbmate"
    result = run(root, "golang-migrate", foreign_keys=True)
    conflict = [f for f in result.findings if f.kind == "runner_conflict"]
    assert "data_loss" in kinds(result)
    assert any("has no per-file opt-out" in f.message for f in conflict)


def test_d1_reports_the_ignored_foreign_keys_pragma() -> None:
    result = run(EXAMPLES / "runner_golang_migrate", "d1")
    assert {"data_loss", "runner_conflict"} <= kinds(result)


def test_sqlite_target_lets_the_file_manage_itself() -> None:
    assert run(EXAMPLES / "runner_golang_migrate", "sqlite").findings == []


TRIGGER = """CREATE TRIGGER artists_touch AFTER UPDATE ON artists
BEGIN
    UPDATE artists SET name = trim(new.name) WHERE id = new.id;
END;
"""


def goose_trigger_set(tmp_path: Path, *, annotated: bool) -> Path:
    root = tmp_path / "goose_trigger"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations/001_artists.sql").write_text(
        "-- +goose Up\nCREATE TABLE artists (id INTEGER PRIMARY KEY, name TEXT);\n"
    )
    body = f"-- +goose StatementBegin\n{TRIGGER}-- +goose StatementEnd\n" if annotated else TRIGGER
    (root / "migrations/002_trigger.sql").write_text(f"-- +goose Up\n{body}")
    return root


def test_goose_cuts_a_trigger_without_statement_begin(tmp_path: Path) -> None:
    root = goose_trigger_set(tmp_path, annotated=False)
    result = run(root, "goose")
    assert {(f.kind, f.migration) for f in result.findings} == {("apply_error", "002_trigger")}
    assert all("incomplete input" in f.message for f in result.findings)
    assert run(root, "dbmate").findings == []  # one Exec: SQLite reads the whole trigger


def test_goose_runs_a_trigger_inside_statement_begin_end(tmp_path: Path) -> None:
    assert run(goose_trigger_set(tmp_path, annotated=True), "goose").findings == []


def test_goose_missing_statement_end_is_the_files_apply_error(tmp_path: Path) -> None:
    # goose fails on it when it runs the Up direction: a finding, not a refused set.
    root = goose_trigger_set(tmp_path, annotated=True)
    _edit(root / "migrations/002_trigger.sql", "-- +goose StatementEnd\n", "")
    result = run(root, "goose")
    assert {(f.kind, f.migration) for f in result.findings} == {("apply_error", "002_trigger")}
    assert all("missing '-- +goose StatementEnd'" in f.message for f in result.findings)


def test_goose_down_section_is_the_rollback() -> None:
    first = discover(EXAMPLES / "runner_goose").migrations[0]
    assert first.down_sql is not None
    assert first.down_sql.lstrip("\n") == "DROP TABLE tracks;\nDROP TABLE artists;\n"
    # The section keeps its place: its first statement is on the file's own line.
    file_lines = first.path.read_text().splitlines()
    assert split_statements(first.down_sql)[0].line == file_lines.index("DROP TABLE tracks;") + 1
    assert "+goose" not in first.up_sql


def test_diesel_metadata_without_the_key_means_no_transaction(tmp_path: Path) -> None:
    root = copy_example("runner_diesel", tmp_path)
    (root / "migrations/2024-01-02-000000_artist_name_check/metadata.toml").write_text("")
    assert dict(discover(root).migrations[1].up_options) == {"transaction": False}


def test_diesel_version_drops_dashes_and_id_is_the_folder() -> None:
    first = discover(EXAMPLES / "runner_diesel").migrations[0]
    assert (first.version, first.id) == (20240101000000, "2024-01-01-000000_artists_tracks")


def test_odd_names_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "V0001.Create_users.up.sql").write_text("CREATE TABLE users(id);\n")
    (tmp_path / "V0001.Create_users.down.sql").write_text("DROP TABLE users;\n")
    (tmp_path / "20240102120000-add-notes.up.sql").write_text("CREATE TABLE notes(id);\n")
    assert discover(tmp_path).versions == (1, 20240102120000)


def test_goose_and_dbmate_files_in_one_folder_are_ambiguous(tmp_path: Path) -> None:
    (tmp_path / "001_a.sql").write_text("-- +goose Up\nCREATE TABLE a(x);\n")
    (tmp_path / "002_b.sql").write_text("-- migrate:up\nCREATE TABLE b(x);\n-- migrate:down\n")
    with pytest.raises(AmbiguousLayoutError, match=r"001_a\.sql and 002_b\.sql follow different"):
        discover(tmp_path)
    result = CliRunner().invoke(cli, ["migrate", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


TRACKING = {
    "goose": (
        "goose_db_version",
        "SELECT version_id FROM goose_db_version ORDER BY id",
        [(0,), (1,), (2,)],
    ),
    "dbmate": (
        "schema_migrations",
        "SELECT version FROM schema_migrations ORDER BY version",
        [("20240101000000",), ("20240102000000",)],
    ),
    "sqlx": (
        "_sqlx_migrations",
        "SELECT version, description, success FROM _sqlx_migrations ORDER BY version",
        [(20240101000000, "artists tracks", 1), (20240102000000, "artist name check", 1)],
    ),
    "diesel": (
        "__diesel_schema_migrations",
        "SELECT version FROM __diesel_schema_migrations ORDER BY version",
        [("20240101000000",), ("20240102000000",)],
    ),
    "golang-migrate": (
        "schema_migrations",
        "SELECT version, dirty FROM schema_migrations",
        [(2, 0)],
    ),
}
LAYOUT_OF = {
    "goose": "runner_goose",
    "dbmate": "runner_dbmate",
    "sqlx": "runner_sqlx",
    "diesel": "runner_diesel",
    "golang-migrate": "runner_golang_migrate",
}


@pytest.mark.parametrize("target", sorted(TRACKING))
def test_migrate_writes_the_runners_table_and_status_rollback_read_it(
    target: str, tmp_path: Path
) -> None:
    root = EXAMPLES / LAYOUT_OF[target]
    db_file = tmp_path / "app.db"
    runner_cli = CliRunner()
    migrated = runner_cli.invoke(cli, ["migrate", str(root), "--db", str(db_file)])
    assert migrated.exit_code == 0, migrated.stderr
    table, query, rows = TRACKING[target]
    assert TARGETS[target].tracking.table == table
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute(query).fetchall() == rows
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name='d1_migrations'").fetchall()
    finally:
        conn.close()
    status = runner_cli.invoke(cli, ["status", str(root), "--db", str(db_file)])
    assert status.stdout.splitlines()[-1] == "2 applied, 0 pending; version " + str(
        discover(root).versions[-1]
    )
    back = runner_cli.invoke(cli, ["rollback", str(root), "--db", str(db_file), "--to", "0"])
    if discover(root).migrations[1].down_sql is None:
        assert back.exit_code == 2  # the rebuild has no down: refused before anything runs
    else:
        assert back.exit_code == 0, back.stderr


def test_golang_migrate_rollback_moves_the_single_row_to_the_previous_version(
    tmp_path: Path,
) -> None:
    root = tmp_path / "gm"
    (root / "migrations").mkdir(parents=True)
    for version, name in ((1, "a"), (5, "b")):
        (root / f"migrations/{version}_{name}.up.sql").write_text(f"CREATE TABLE {name}(x);\n")
        (root / f"migrations/{version}_{name}.down.sql").write_text(f"DROP TABLE {name};\n")
    db_file = tmp_path / "app.db"
    CliRunner().invoke(cli, ["migrate", str(root), "--db", str(db_file)])
    result = CliRunner().invoke(cli, ["rollback", str(root), "--db", str(db_file), "--steps", "1"])
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("SELECT version, dirty FROM schema_migrations").fetchall() == [(1, 0)]
    finally:
        conn.close()


def test_migrate_refuses_a_database_tracked_by_another_runner(tmp_path: Path) -> None:
    db_file = tmp_path / "app.db"
    root = str(EXAMPLES / "runner_goose")
    CliRunner().invoke(cli, ["migrate", root, "--db", str(db_file)])
    result = CliRunner().invoke(cli, ["migrate", root, "--db", str(db_file), "--target", "sqlx"])
    assert result.exit_code == 2
    assert "tracked by goose (goose_db_version), not by sqlx" in result.stderr


def test_migrate_refuses_a_dirty_golang_migrate_database(tmp_path: Path) -> None:
    db_file = tmp_path / "app.db"
    conn = sqlite3.connect(db_file)
    conn.execute("CREATE TABLE schema_migrations (version uint64, dirty bool)")
    conn.execute("INSERT INTO schema_migrations VALUES (1, 1)")
    conn.commit()
    conn.close()
    root = str(EXAMPLES / "runner_golang_migrate")
    result = CliRunner().invoke(cli, ["migrate", root, "--db", str(db_file)])
    assert result.exit_code == 2
    assert "version 1 is marked failed (dirty)" in result.stderr


def test_foreign_keys_option_overrides_the_default_and_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    root = copy_example("runner_goose", tmp_path)
    _drop_goose(root)
    args = ["check", str(root), "--checks", "apply_keeps_data", "--json", str(out)]
    off = CliRunner().invoke(cli, [*args, "--no-regressions"])
    assert off.exit_code == 0
    assert "target goose, foreign keys off" in off.stdout
    on = CliRunner().invoke(cli, [*args, "--no-regressions", "--foreign-keys", "on"])
    data = json.loads(out.read_text())
    assert (on.exit_code, data["target"], data["foreign_keys"]) == (1, "goose", True)
    assert [f["kind"] for f in data["findings"]] == ["data_loss"]
