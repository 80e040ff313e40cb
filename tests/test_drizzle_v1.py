"""drizzle-kit v1's folders (``<timestamp>_<name>/migration.sql`` + ``snapshot.json``).

drizzle-orm v1's migrator has no journal: it runs every folder holding ``migration.sql``,
in name order, all pending ones in one transaction, and records each by folder name
(docs/RUNNERS.md, drizzle section). Before this layout was known, such a folder was read
as a Prisma set (each folder holds a ``migration.sql``).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.errors import UnknownLayoutError
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS
from migration_harness.sets.trackers import DRIZZLE, DRIZZLE_V1, present

EXAMPLES = Path(__file__).parent / "examples"
FOLDERS = ("20240101000000_artists_tracks", "20240102000000_second")


def as_v1(example: str, tmp_path: Path, dialect: str = "sqlite") -> Path:
    """The journal example rewritten as drizzle-kit v1 writes it (``drizzle-kit up``)."""
    source = EXAMPLES / example / "drizzle"
    root = tmp_path / example / "drizzle"
    root.mkdir(parents=True)
    files = sorted(source.glob("*.sql"))
    for folder, path in zip(FOLDERS, files, strict=True):
        (root / folder).mkdir()
        shutil.copy(path, root / folder / "migration.sql")
        snapshot = {"dialect": dialect, "version": "7", "id": folder, "ddl": []}
        (root / folder / "snapshot.json").write_text(json.dumps(snapshot))
    return root


def test_v1_folders_are_drizzle_not_prisma(tmp_path: Path) -> None:
    mset = discover(as_v1("drizzle_clean", tmp_path))
    assert mset.layout == "drizzle"
    assert mset.default_target == "drizzle-v1"
    assert [(m.version, m.id) for m in mset.migrations] == [(1, FOLDERS[0]), (2, FOLDERS[1])]
    # formatToMillis: the folder's first 14 digits as a UTC time.
    assert mset.migrations[1].runner_data["created_at"] == 1704153600000


def test_a_prisma_folder_stays_prisma(tmp_path: Path) -> None:
    root = tmp_path / "migrations"
    (root / "20240101000000_init").mkdir(parents=True)
    (root / "20240101000000_init" / "migration.sql").write_text("CREATE TABLE a(id INTEGER);\n")
    assert discover(root).layout == "prisma"


def test_a_journal_means_the_v0_migrator(tmp_path: Path) -> None:
    root = as_v1("drizzle_clean", tmp_path)
    shutil.copytree(EXAMPLES / "drizzle_clean" / "drizzle", root, dirs_exist_ok=True)
    mset = discover(root)
    assert mset.default_target == "drizzle"
    assert [m.name for m in mset.migrations] == ["0000_artists_tracks", "0001_artist_country"]


def test_a_loose_sql_file_is_named_as_never_run(tmp_path: Path) -> None:
    root = as_v1("drizzle_clean", tmp_path)
    (root / "0023_left_by_a_rebase.sql").write_text("DROP TABLE artists;\n")
    result = CliRunner().invoke(cli, ["lint", str(root)])
    assert "0023_left_by_a_rebase.sql: not in a migration folder" in result.output
    assert "DROP TABLE" not in result.output


def test_a_postgres_snapshot_is_refused_in_one_line(tmp_path: Path) -> None:
    root = as_v1("drizzle_clean", tmp_path, dialect="postgresql")
    with pytest.raises(UnknownLayoutError, match="dialect 'postgresql'"):
        discover(root)
    result = CliRunner().invoke(cli, ["check", str(root)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "snapshot.json" in result.output


def test_the_v1_rebuild_cascades_as_under_the_journal(tmp_path: Path) -> None:
    mset = discover(as_v1("drizzle_rebuild_cascade", tmp_path))
    config = SetConfig(ship_groups="off")
    result = check_set(mset, TARGETS["drizzle-v1"], profile="dev", seed=0, config=config)
    kinds = {f.kind for f in result.findings}
    assert {"data_loss", "runner_conflict"} <= kinds


def test_the_clean_v1_set_is_quiet(tmp_path: Path) -> None:
    mset = discover(as_v1("drizzle_clean", tmp_path))
    config = SetConfig(ship_groups="off")
    assert (
        check_set(mset, TARGETS["drizzle-v1"], profile="dev", seed=0, config=config).findings == []
    )


def test_migrate_records_folder_names_and_status_reads_them(tmp_path: Path) -> None:
    root = as_v1("drizzle_clean", tmp_path)
    db_file = tmp_path / "app.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["migrate", str(root), "--db", str(db_file)])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_file)
    rows = conn.execute("SELECT name, created_at FROM __drizzle_migrations ORDER BY id").fetchall()
    assert rows == [(FOLDERS[0], 1704067200000), (FOLDERS[1], 1704153600000)]
    assert present(conn) == [DRIZZLE_V1]
    conn.close()
    status = runner.invoke(cli, ["status", str(root), "--db", str(db_file)])
    assert status.exit_code == 0, status.output
    assert "2 applied, 0 pending" in status.output


def test_an_older_folder_added_later_still_runs(tmp_path: Path) -> None:
    """v1 keys by name: a folder older than the newest applied one is pending (v0 skips it)."""
    root = as_v1("drizzle_clean", tmp_path)
    late = root / "20231231000000_late"
    shutil.move(root / FOLDERS[1], tmp_path / "held")
    db_file = tmp_path / "app.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["migrate", str(root), "--db", str(db_file)]).exit_code == 0
    shutil.move(tmp_path / "held", root / FOLDERS[1])
    late.mkdir()
    (late / "migration.sql").write_text("CREATE TABLE late(id INTEGER);\n")
    (late / "snapshot.json").write_text('{"dialect": "sqlite"}')
    result = runner.invoke(cli, ["migrate", str(root), "--db", str(db_file)])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_file)
    names = [n for (n,) in conn.execute("SELECT name FROM __drizzle_migrations ORDER BY id")]
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'late'").fetchone()[0]
    conn.close()
    assert names == [FOLDERS[0], "20231231000000_late", FOLDERS[1]]


def test_a_v0_table_is_not_taken_for_v1(tmp_path: Path) -> None:
    db_file = tmp_path / "app.db"
    conn = sqlite3.connect(db_file)
    DRIZZLE.create(conn)
    assert present(conn) == [DRIZZLE]
    conn.close()
    root = as_v1("drizzle_clean", tmp_path)
    result = CliRunner().invoke(cli, ["migrate", str(root), "--db", str(db_file)])
    assert result.exit_code == 2
    assert "__drizzle_migrations" in result.output
