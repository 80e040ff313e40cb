"""check prints standing errors and warnings whole, notes and confirmations in brief.

On a long history most findings are notes (a file its runner records and never re-runs)
and most lint findings are confirmed by a check finding printed above; printed whole they
buried the findings a team must act on. ``--verbose`` prints everything whole.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from migration_harness.cli import cli

UP = """CREATE TABLE parent (id INTEGER PRIMARY KEY);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));
"""


def _run(tmp_path: Path, *extra: str) -> str:
    folder = tmp_path / "migrations"
    folder.mkdir(exist_ok=True)
    (folder / "1_create.up.sql").write_text(UP)
    result = CliRunner().invoke(
        cli,
        ["check", str(folder), "--target", "golang-migrate", "--foreign-keys", "on",
         "--profile", "dev", "--no-regressions", "--no-cache", "-j", "1", *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


def test_notes_take_one_line_and_warnings_stay_whole(tmp_path: Path) -> None:
    output = _run(tmp_path)
    lines = output.splitlines()
    note = next(i for i, line in enumerate(lines) if line.startswith("MH112 note"))
    assert "Steps:" not in "\n".join(lines[note : note + 4])
    warning = next(i for i, line in enumerate(lines) if line.startswith("MH153 warning"))
    assert "Details:" in lines[warning + 2]
    assert "--verbose prints their details" in output
    assert "confirmed:" not in output
    assert "check confirmed 1 with data" in output


def test_verbose_prints_notes_and_confirmations_whole(tmp_path: Path) -> None:
    output = _run(tmp_path, "--verbose")
    lines = output.splitlines()
    note = next(i for i, line in enumerate(lines) if line.startswith("MH112 note"))
    assert "Steps:" in "\n".join(lines[note : note + 8])
    assert "--verbose prints their details" not in output
    assert "confirmed: MH413" in output
