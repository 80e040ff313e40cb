"""``migrate`` and ``rollback`` print each file as it is committed, not at the end.

A run that fails at a later file, or is killed, used to print nothing of the files it
had applied (the list came after the last file): the operator could not tell how far it
got. Each line is now printed, and flushed, as its file commits.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from migration_harness.cli import cli

REPO = Path(__file__).resolve().parents[2]


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def three_files(root: Path, third: str) -> Path:
    """A plain sqlite set of three files, the third ``third``."""
    folder = root / "migrations"
    folder.mkdir(parents=True)
    (folder / "0001_a.sql").write_text("CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    (folder / "0002_b.sql").write_text("CREATE TABLE b (id INTEGER PRIMARY KEY);\n")
    (folder / "0003_c.sql").write_text(third)
    return root


def test_a_failing_file_leaves_the_files_before_it_listed(tmp_path: Path) -> None:
    root = three_files(tmp_path / "app", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n")
    result = invoke("migrate", root, "--db", tmp_path / "app.db")
    assert result.exit_code == 2, result.output
    assert result.stdout.splitlines() == ["applied 0001_a.sql", "applied 0002_b.sql"]
    assert "0003_c.sql" in result.stderr


def test_a_killed_run_has_printed_the_files_it_committed(tmp_path: Path) -> None:
    """A real process, its stdout a pipe (block-buffered), killed inside the third file."""
    root = three_files(tmp_path / "app", "CREATE TABLE c (id INTEGER PRIMARY KEY);\n")
    command = [sys.executable, "-m", "bench.reliability.crash", "--at", "before-commit"]
    command += ["--file", "0003_c.sql", "--", "migrate", str(root), "--db"]
    done = subprocess.run(
        [*command, str(tmp_path / "app.db")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 137, done.stderr
    assert done.stdout.splitlines() == ["applied 0001_a.sql", "applied 0002_b.sql"]


def test_rollback_lists_each_file_as_it_is_undone(tmp_path: Path) -> None:
    root = three_files(tmp_path / "app", "CREATE TABLE c (id INTEGER PRIMARY KEY);\n")
    (root / "rollbacks").mkdir()
    for version, table in (("0001", "a"), ("0002", "b"), ("0003", "c")):
        (root / "rollbacks" / f"{version}_rollback.sql").write_text(f"DROP TABLE {table};\n")
    db = tmp_path / "app.db"
    assert invoke("migrate", root, "--db", db).exit_code == 0
    result = invoke("rollback", root, "--db", db, "--steps", "2")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == ["rolled back 0003_c.sql", "rolled back 0002_b.sql"]
