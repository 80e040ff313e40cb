"""Issue 12: output follows the terminal's width and SQL examples stay pasteable."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from migration_harness.cli import cli

LONG = "x" * 150


def _set(tmp_path: Path) -> Path:
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    (root / "rollbacks").mkdir()
    (root / "migrations" / "0001_t.sql").write_text(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n"
    )
    (root / "migrations" / "0002_add.sql").write_text(
        f"INSERT INTO notes (id, body) VALUES (1, '{LONG} 2020-01-01 00:00:00');\n"
    )
    (root / "rollbacks" / "0001_t.sql").write_text("DROP TABLE notes;\n")
    (root / "rollbacks" / "0002_add.sql").write_text("SELECT 1;\n")
    return root


def test_a_narrow_terminal_gets_a_narrow_table_and_whole_sql_lines(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["check", str(_set(tmp_path)), "--profile", "dev", "--no-regressions"],
        env={"COLUMNS": "80"},
    )
    lines = result.output.splitlines()
    table = [line for line in lines if line.startswith(("┃", "│", "┏", "└"))]
    assert table, result.output
    assert max(len(line) for line in table) <= 80
    # the finding quotes the statement whole: the literal is never cut by a newline
    assert any(f"'{LONG} 2020-01-01 00:00:00'" in line for line in lines), result.output
