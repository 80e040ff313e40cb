"""Issue 15: ``rollback --to`` tells version 0 from "before the first", ``status`` is read-only.

drizzle numbers its first migration ``0000``: before, ``rollback --to 0`` rolled back every
file, that one included, and nothing could keep it. ``--to base`` now means before the first
migration and ``--to 0`` means version 0 where the set has one. ``status`` promised not to
write, yet opening the file read-write let SQLite recover a hot journal.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result

from migration_harness.cli import cli


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def from_zero(tmp_path: Path) -> tuple[Path, Path]:
    """A set whose first version is 0, migrated to its head."""
    folder = tmp_path / "set"
    (folder / "migrations").mkdir(parents=True)
    for version, table in (("0000", "a"), ("0001", "b")):
        (folder / "migrations" / f"{version}_{table}.up.sql").write_text(
            f"CREATE TABLE {table}(x);\n"
        )
        (folder / "migrations" / f"{version}_{table}.down.sql").write_text(f"DROP TABLE {table};\n")
    db = tmp_path / "app.db"
    result = invoke("migrate", folder, "--db", db, "--target", "sqlite")
    assert result.exit_code == 0, result.output
    return folder, db


def tables(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def test_rollback_to_0_keeps_the_version_0_migration(tmp_path: Path) -> None:
    folder, db = from_zero(tmp_path)
    result = invoke("rollback", folder, "--db", db, "--target", "sqlite", "--to", "0")
    assert result.exit_code == 0, result.output
    assert "rolled back 0001_b" in result.output
    assert "0000_a" not in result.output
    assert "a" in tables(db)
    assert "b" not in tables(db)


def test_rollback_to_base_undoes_the_version_0_migration_too(tmp_path: Path) -> None:
    folder, db = from_zero(tmp_path)
    result = invoke("rollback", folder, "--db", db, "--target", "sqlite", "--to", "base")
    assert result.exit_code == 0, result.output
    assert "2 migration(s) rolled back" in result.output
    assert not {"a", "b"} & tables(db)


def test_migrate_to_0_applies_the_version_0_migration_only(tmp_path: Path) -> None:
    folder, db = from_zero(tmp_path)
    assert (
        invoke("rollback", folder, "--db", db, "--target", "sqlite", "--to", "base").exit_code == 0
    )
    result = invoke("migrate", folder, "--db", db, "--target", "sqlite", "--to", "0")
    assert result.exit_code == 0, result.output
    assert "applied 0000_a" in result.output
    assert "a" in tables(db)
    assert "b" not in tables(db)


def test_rollback_to_0_without_a_version_0_still_means_all(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    (folder / "migrations").mkdir(parents=True)
    (folder / "migrations" / "0001_a.up.sql").write_text("CREATE TABLE a(x);\n")
    (folder / "migrations" / "0001_a.down.sql").write_text("DROP TABLE a;\n")
    db = tmp_path / "app.db"
    assert invoke("migrate", folder, "--db", db, "--target", "sqlite").exit_code == 0
    result = invoke("rollback", folder, "--db", db, "--target", "sqlite", "--to", "0")
    assert result.exit_code == 0, result.output
    assert "a" not in tables(db)


def _hot_journal(db: Path) -> None:
    """Leave ``db`` as a killed writer does: a hot journal beside pages already written."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA cache_size = 5")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("CREATE TABLE filler(x)")
    for _ in range(3000):
        conn.execute("INSERT INTO filler VALUES (?)", ("x" * 200,))
    # Copy the files while the transaction is open: a kill at this point leaves exactly these.
    data, journal = db.read_bytes(), Path(f"{db}-journal").read_bytes()
    conn.execute("ROLLBACK")
    conn.close()
    db.write_bytes(data)
    Path(f"{db}-journal").write_bytes(journal)


def test_status_does_not_recover_a_hot_journal_and_says_so(tmp_path: Path) -> None:
    folder, db = from_zero(tmp_path)
    _hot_journal(db)
    before = (db.read_bytes(), Path(f"{db}-journal").read_bytes())
    result = invoke("status", folder, "--db", db, "--target", "sqlite")
    assert result.exit_code == 2
    assert "has a hot journal (a write was interrupted)" in result.stderr
    assert (db.read_bytes(), Path(f"{db}-journal").read_bytes()) == before
    recovered = invoke("migrate", folder, "--db", db, "--target", "sqlite")
    assert recovered.exit_code == 0, recovered.output
    assert "filler" not in tables(db)


def test_status_writes_nothing_beside_the_database(tmp_path: Path) -> None:
    folder, db = from_zero(tmp_path)
    before = sorted(os.listdir(tmp_path))
    stamp = db.stat().st_mtime_ns
    assert invoke("status", folder, "--db", db, "--target", "sqlite").exit_code == 0
    assert sorted(os.listdir(tmp_path)) == before
    assert db.stat().st_mtime_ns == stamp
