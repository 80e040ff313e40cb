"""A runner's tracking tables are skipped only under that runner's target.

node-sqlite records applied files in a table named ``migrations``; a goose set whose own
table is called ``migrations`` keeps user rows there, so the checks must generate rows in
it and report what a migration loses from it. Under node-sqlite the same name is the
runner's: its rows are the runner's bookkeeping, never user data.
"""

from __future__ import annotations

from pathlib import Path

from migration_harness.checks.engine import Engine
from migration_harness.checks.run import check_set
from migration_harness.report.findings import CheckRun
from migration_harness.sets.discovery import discover
from migration_harness.sets.ledger import bookkeeping_tables
from migration_harness.sets.targets import TARGETS

CREATE = "CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
# Rebuilds the table and copies only the rows named 'init': every other row is lost, and
# the file reads the rows it drops, so the loss is an error, not a declared re-creation.
LOSSY = (
    "CREATE TABLE migrations_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, at TEXT);\n"
    "INSERT INTO migrations_new (id, name) SELECT id, name FROM migrations "
    "WHERE name = 'init';\n"
    "DROP TABLE migrations;\n"
    "ALTER TABLE migrations_new RENAME TO migrations;\n"
)
KEEPS = "ALTER TABLE migrations ADD COLUMN at TEXT;\n"


def _goose(root: Path, second: str) -> CheckRun:
    folder = root / "migrations"
    folder.mkdir()
    (folder / "00001_jobs.sql").write_text(f"-- +goose Up\n{CREATE}")
    (folder / "00002_more.sql").write_text(f"-- +goose Up\n{second}")
    return check_set(discover(folder), TARGETS["goose"], profile="ci", checks=["apply_keeps_data"])


def _losses(run: CheckRun) -> list[tuple[str | None, str]]:
    return [(f.migration, f.severity) for f in run.findings if f.kind == "data_loss"]


def test_a_goose_users_table_named_migrations_is_checked(tmp_path: Path) -> None:
    assert _losses(_goose(tmp_path, LOSSY)) == [("00002_more", "error")]


def test_a_goose_users_table_named_migrations_kept_whole_is_quiet(tmp_path: Path) -> None:
    assert _losses(_goose(tmp_path, KEEPS)) == []


def test_node_sqlites_own_table_is_still_skipped(tmp_path: Path) -> None:
    # Its rows are the runner's (a rollback deletes its row): no version's user schema
    # holds it, so no rows are generated there and none are compared.
    for name, table in (("001-users.sql", "users"), ("002-tags.sql", "tags")):
        (tmp_path / name).write_text(
            f"-- Up\nCREATE TABLE {table} (id INTEGER PRIMARY KEY);\n\n"
            f"-- Down\nDROP TABLE {table};\n"
        )
    mset = discover(tmp_path)
    assert mset.default_target == "node-sqlite"
    engine = Engine(mset, TARGETS["node-sqlite"], seed=0)
    assert [sorted(v.schema.tables) for v in engine.versions] == [
        [],
        ["users"],
        ["tags", "users"],
    ]


def test_a_goose_sets_migrations_table_is_in_its_schema(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "00001_jobs.sql").write_text(f"-- +goose Up\n{CREATE}")
    engine = Engine(discover(folder), TARGETS["goose"], seed=0)
    assert sorted(engine.versions[1].schema.tables) == ["migrations"]


def test_each_target_skips_only_its_own_tracking_tables() -> None:
    assert "migrations" in bookkeeping_tables(TARGETS["node-sqlite"])
    assert "migrations" not in bookkeeping_tables(TARGETS["goose"])
    assert "schema_migrations" not in bookkeeping_tables(TARGETS["goose"])
    assert "goose_db_version" in bookkeeping_tables(TARGETS["goose"])
    assert {"_yoyo_log", "_yoyo_version"} <= bookkeeping_tables(TARGETS["yoyo"])
    # What the harness itself creates stays hidden under every target.
    assert "migration_harness_checksums" in bookkeeping_tables(TARGETS["goose"])
