"""rusqlite_migration (Rust): ``<id>-<name>/up.sql`` folders tracked by ``PRAGMA user_version``.

Read from rusqlite_migration's own code (lib.rs, loader.rs at 5288a2b): ``from_directory``
takes every folder's id before its first ``-`` (ids ``1..N``), ``to_latest`` runs every
pending migration in ONE transaction and then sets ``user_version``; no table is written,
and keys are whatever rusqlite's build gives (bundled: on). docs/RUNNERS.md.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.data.sources.version import position_in
from migration_harness.errors import BadFileError, DataSourceError, UnknownLayoutError
from migration_harness.report.findings import CheckRun
from migration_harness.sets import runner
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
EVERY_VERSION = SetConfig(ship_groups="off")


def copy_example(name: str, tmp_path: Path) -> Path:
    root = tmp_path / name
    shutil.copytree(EXAMPLES / name, root)
    (root / ".git").mkdir()  # the project root: no manifest above it counts
    return root


def check(root: Path, target: str | None = None) -> CheckRun:
    mset = discover(root)
    chosen = TARGETS[target or mset.default_target]
    return check_set(mset, chosen, profile="dev", seed=0, config=EVERY_VERSION)


def test_numbered_folders_with_the_manifest_are_rusqlite_migrations() -> None:
    mset = discover(EXAMPLES / "rusqlite_clean")
    assert (mset.layout, mset.default_target) == ("rusqlite_migration", "rusqlite_migration")
    assert [(m.version, m.id) for m in mset.migrations] == [
        (1, "01-customers"),
        (2, "02-invoices"),
        (3, "03-customer_name"),
    ]
    assert mset.project_keys == {"rusqlite_migration": "on"}  # rusqlite bundled


def test_without_the_manifest_names_diesel_refuses_are_still_rusqlites(tmp_path: Path) -> None:
    root = copy_example("rusqlite_clean", tmp_path)
    (root / "Cargo.toml").unlink()
    # `01-customers`: diesel reads no version from it, rusqlite_migration reads id 1.
    assert discover(root).layout == "rusqlite_migration"


def test_diesel_folders_stay_diesels_without_the_manifest(tmp_path: Path) -> None:
    mig = tmp_path / "migrations"
    for name in ("2024-01-01-000000_customers", "2024-02-01-000000_invoices"):
        (mig / name).mkdir(parents=True)
        (mig / name / "up.sql").write_text(f"CREATE TABLE t_{name[5:7]} (x);\n")
        (mig / name / "down.sql").write_text(f"DROP TABLE t_{name[5:7]};\n")
    (tmp_path / ".git").mkdir()
    assert discover(tmp_path).layout == "diesel"
    # A Cargo.toml naming diesel changes nothing either.
    (tmp_path / "Cargo.toml").write_text('[dependencies]\ndiesel = "2"\n')
    assert discover(tmp_path).layout == "diesel"


def test_the_manifest_makes_a_dashed_id_folder_rusqlites_even_if_diesel_could_read_it(
    tmp_path: Path,
) -> None:
    # `1-2_x`: diesel would read version 12; rusqlite_migration reads id 1 from `1`.
    mig = tmp_path / "migrations"
    (mig / "1-2_customers").mkdir(parents=True)
    (mig / "1-2_customers" / "up.sql").write_text("CREATE TABLE customers (id);\n")
    (tmp_path / ".git").mkdir()
    assert discover(tmp_path).layout == "diesel"
    (tmp_path / "Cargo.toml").write_text('[dependencies]\nrusqlite_migration = "1"\n')
    mset = discover(tmp_path)
    assert (mset.layout, mset.versions) == ("rusqlite_migration", (1,))


def test_ids_must_run_from_one_without_gaps(tmp_path: Path) -> None:
    root = copy_example("rusqlite_clean", tmp_path)
    shutil.move(root / "migrations" / "03-customer_name", root / "migrations" / "04-name")
    with pytest.raises(BadFileError, match="consecutive"):
        discover(root)
    shutil.move(root / "migrations" / "04-name", root / "migrations" / "02-again")
    with pytest.raises(BadFileError, match="id 2 also used"):
        discover(root)


def test_a_folder_without_up_sql_is_refused(tmp_path: Path) -> None:
    root = copy_example("rusqlite_clean", tmp_path)
    (root / "migrations" / "04-empty").mkdir()
    with pytest.raises(BadFileError, match=r"no up\.sql"):
        discover(root)


def test_forcing_the_layout_on_plain_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_a.sql").write_text("CREATE TABLE a(x);\n")
    with pytest.raises(UnknownLayoutError, match="--layout rusqlite_migration does not match"):
        discover(tmp_path, layout="rusqlite_migration")


def test_the_version_is_the_user_version_and_no_table_is_written(tmp_path: Path) -> None:
    mset = discover(EXAMPLES / "rusqlite_clean")
    target = TARGETS["rusqlite_migration"]
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    runner.migrate(conn, mset, target)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not any(t.startswith(("refinery", "__diesel", "d1_")) for t in tables)
    assert runner.migrate(conn, mset, target) == []
    runner.rollback_to(conn, mset, target, to=1)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert [m.version for m in runner.status(conn, mset, target).pending] == [2, 3]


def test_a_database_rusqlite_left_at_version_two_runs_only_the_third(tmp_path: Path) -> None:
    mset = discover(EXAMPLES / "rusqlite_clean")
    conn = sqlite3.connect(tmp_path / "app.db", isolation_level=None)
    for migration in mset.migrations[:2]:
        conn.executescript(migration.up_sql)
    conn.execute("PRAGMA user_version = 2")
    done = runner.migrate(conn, mset, TARGETS["rusqlite_migration"])
    assert [m.version for m in done] == [3]


def test_the_clean_set_is_quiet() -> None:
    result = check(EXAMPLES / "rusqlite_clean")
    assert [f for f in result.findings if f.severity != "note"] == []


def test_a_pragma_the_run_transaction_ignores_loses_the_children() -> None:
    result = check(EXAMPLES / "rusqlite_rebuild_cascade")
    found = {(f.kind, f.migration) for f in result.findings if f.severity == "error"}
    assert ("runner_conflict", "3-customer_name_required") in found
    assert ("data_loss", "3-customer_name_required") in found


def test_a_real_database_is_placed_by_its_user_version(tmp_path: Path) -> None:
    # --data reads where a copy of production stands: no table, the header's number.
    mset = discover(EXAMPLES / "rusqlite_clean")
    conn = sqlite3.connect(":memory:")
    target = TARGETS["rusqlite_migration"]
    with pytest.raises(DataSourceError, match="PRAGMA user_version"):
        position_in(conn, mset, target, "app.db")
    for migration in mset.migrations[:2]:
        conn.executescript(migration.up_sql)
    conn.execute("PRAGMA user_version = 2")
    assert position_in(conn, mset, target, "app.db") == 2


def test_rusqlite_on_the_system_sqlite_leaves_keys_off_with_a_note(tmp_path: Path) -> None:
    root = copy_example("rusqlite_clean", tmp_path)
    manifest = root / "Cargo.toml"
    manifest.write_text(manifest.read_text().replace(', features = ["bundled"]', ""))
    mset = discover(root)
    assert mset.project_keys == {"rusqlite_migration": "off"}
    assert any("rusqlite_migration runs on the system SQLite" in n for n in mset.notes)
