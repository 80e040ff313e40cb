"""Issue 15: a kill between a self-managed file's COMMIT and its tracking row is recovered.

Before, such a kill left the schema a version ahead of the tracking table and the next
``migrate`` re-ran the file (``no such column: legacy``, forever). Now the runner records an
intent before the file and the next run settles it from the schema: completes the row when
the database matches the version after the file, re-runs the file when it matches the
version before, and otherwise refuses with one line naming ``migrate --resolve``.
The kill is ``bench.reliability.crash``: ``os._exit`` at a chosen point, in a real process.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bench.reliability.sets import TARGETS, seeded, self_managed_set
from migration_harness.cli import cli
from migration_harness.errors import DatabaseError
from migration_harness.sets import runner
from migration_harness.sets.discovery import discover
from migration_harness.sets.integrity import intents
from migration_harness.sets.targets import TARGETS as RUNNER_TARGETS

REPO = Path(__file__).resolve().parent.parent
REBUILD = {"sqlite": "0003_rebuild.sql", "goose": "00003_rebuild.sql"}


def crash(at: str, name: str, *args: str | Path) -> int:
    """Run the CLI in a child killed at ``at`` of file ``name``; its exit status."""
    command = [sys.executable, "-m", "bench.reliability.crash", "--at", at, "--file", name]
    done = subprocess.run(
        [*command, "--", *map(str, args)], cwd=REPO, capture_output=True, check=False
    )
    return done.returncode


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def tracked(db: Path, target: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return runner.status(
            conn, discover(db.parent / f"set-{target}"), RUNNER_TARGETS[target]
        ).version
    finally:
        conn.close()


@pytest.mark.parametrize("target", TARGETS)
def test_a_kill_after_the_files_commit_is_completed_by_the_next_migrate(
    tmp_path: Path, target: str
) -> None:
    folder = self_managed_set(tmp_path, target)
    db = tmp_path / "app.db"
    args = ("migrate", folder, "--db", db, "--target", target)
    assert crash("after-commit", REBUILD[target], *args) == 137
    assert tracked(db, target) == 2  # the schema is at 3, the tracking table at 2
    listed = invoke("status", folder, "--db", db, "--target", target)
    assert f"{REBUILD[target]}" in listed.output
    assert "interrupted (up); run migrate to recover it" in listed.output
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert f"recovered {REBUILD[target]}: it finished applying" in result.output
    assert "0 migration(s) applied" in result.output
    assert tracked(db, target) == 3
    assert seeded(db) == 2


def test_a_kill_before_the_files_commit_runs_the_file_again(tmp_path: Path) -> None:
    folder = self_managed_set(tmp_path, "sqlite")
    db = tmp_path / "app.db"
    args = ("migrate", folder, "--db", db, "--target", "sqlite")
    assert crash("before-commit", "0003_rebuild.sql", *args) == 137
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "recovered 0003_rebuild.sql: applying it had not committed" in result.output
    assert "applied 0003_rebuild.sql" in result.output
    assert tracked(db, "sqlite") == 3
    assert seeded(db) == 2


def test_a_kill_while_rolling_back_a_self_managed_file_is_completed(tmp_path: Path) -> None:
    folder = self_managed_set(tmp_path, "goose")
    db = tmp_path / "app.db"
    assert invoke("migrate", folder, "--db", db, "--target", "goose").exit_code == 0
    back = ("rollback", folder, "--db", db, "--target", "goose", "--steps", "1")
    # goose runs a NO TRANSACTION file's Down outside a transaction too.
    assert crash("after-commit", "00003_rebuild.sql", *back) == 137
    result = invoke("migrate", folder, "--db", db, "--target", "goose", "--to", "00002")
    assert result.exit_code == 0, result.output
    assert "recovered 00003_rebuild.sql: it finished rolling back" in result.output
    assert tracked(db, "goose") == 2


def _two_transactions(tmp_path: Path) -> tuple[Path, Path]:
    """A set whose second file commits twice; the database killed between the two."""
    folder = tmp_path / "set-sqlite"
    (folder / "migrations").mkdir(parents=True)
    (folder / "migrations" / "0001_a.sql").write_text("CREATE TABLE a(x);\n")
    (folder / "migrations" / "0002_b.sql").write_text(
        "BEGIN;\nCREATE TABLE b(x);\nCOMMIT;\nBEGIN;\nCREATE TABLE c(x);\nCOMMIT;\n"
    )
    db = tmp_path / "app.db"
    assert invoke("migrate", folder, "--db", db, "--target", "sqlite", "--to", "1").exit_code == 0
    conn = sqlite3.connect(db, isolation_level=None)
    # What a kill between the file's two COMMITs leaves: its intent and half its schema.
    conn.execute(
        "CREATE TABLE migration_harness_intent(name TEXT PRIMARY KEY, direction TEXT NOT "
        "NULL, started_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
    )
    conn.execute(
        "INSERT INTO migration_harness_intent(name, direction) VALUES ('0002_b.sql', 'up')"
    )
    conn.execute("CREATE TABLE b(x)")
    conn.close()
    return folder, db


def test_a_file_cut_between_its_transactions_is_refused_with_the_command_that_resolves_it(
    tmp_path: Path,
) -> None:
    folder, db = _two_transactions(tmp_path)
    result = invoke("migrate", folder, "--db", db, "--target", "sqlite")
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "0002_b.sql was interrupted while applying" in line
    assert "matches neither version 0001_a nor 0002_b" in line
    assert "--resolve done" in line


def test_resolve_done_records_the_file_and_migrate_moves_on(tmp_path: Path) -> None:
    folder, db = _two_transactions(tmp_path)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE c(x)")  # the user finished the file by hand
    conn.close()
    resolved = invoke("migrate", folder, "--db", db, "--target", "sqlite", "--resolve", "done")
    assert resolved.exit_code == 0, resolved.output
    assert "recovered 0002_b.sql" in resolved.output
    assert tracked(db, "sqlite") == 2
    assert invoke("migrate", folder, "--db", db, "--target", "sqlite").exit_code == 0


def test_resolve_undone_forgets_the_intent_and_the_file_runs_again(tmp_path: Path) -> None:
    folder, db = _two_transactions(tmp_path)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TABLE b")  # the user put the database back at 0001
    conn.close()
    resolved = invoke("migrate", folder, "--db", db, "--target", "sqlite", "--resolve", "undone")
    assert resolved.exit_code == 0, resolved.output
    result = invoke("migrate", folder, "--db", db, "--target", "sqlite")
    assert result.exit_code == 0, result.output
    assert "applied 0002_b.sql" in result.output


def test_a_data_only_file_cannot_be_told_from_the_schema_and_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "set-sqlite"
    (folder / "migrations").mkdir(parents=True)
    (folder / "migrations" / "0001_a.sql").write_text("CREATE TABLE a(x);\n")
    (folder / "migrations" / "0002_seed.sql").write_text(
        "BEGIN;\nINSERT INTO a VALUES (1);\nCOMMIT;\n"
    )
    db = tmp_path / "app.db"
    args = ("migrate", folder, "--db", db, "--target", "sqlite")
    assert crash("after-commit", "0002_seed.sql", *args) == 137
    result = invoke(*args)
    assert result.exit_code == 2
    assert "the same before and after the file, so it cannot tell" in result.stderr
    assert "--resolve done" in result.stderr
    assert invoke(*args, "--resolve", "done").exit_code == 0
    assert tracked(db, "sqlite") == 2
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM a").fetchone() == (1,)  # seeded once
    conn.close()


def test_the_library_runner_refuses_an_interrupted_database(tmp_path: Path) -> None:
    folder, db = _two_transactions(tmp_path)
    conn = runner.connect(db)
    try:
        with pytest.raises(DatabaseError, match=r"0002_b\.sql: interrupted"):
            runner.migrate(conn, discover(folder), RUNNER_TARGETS["sqlite"])
        assert [i.name for i in intents(conn)] == ["0002_b.sql"]
    finally:
        conn.close()


def test_a_self_managed_file_that_fails_cleanly_leaves_no_intent(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    (folder / "migrations").mkdir(parents=True)
    (folder / "migrations" / "0001_a.sql").write_text(
        "BEGIN;\nCREATE TABLE a(x);\nINSERT INTO nope VALUES (1);\nCOMMIT;\n"
    )
    db = tmp_path / "app.db"
    result = invoke("migrate", folder, "--db", db, "--target", "sqlite")
    assert result.exit_code == 2
    assert "no such table: nope" in result.stderr
    conn = runner.connect(db)
    try:
        assert intents(conn) == []
    finally:
        conn.close()
