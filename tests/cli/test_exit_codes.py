"""Exit codes everywhere: 0 clean at the fail level, 1 findings, 2 bad input, 3 our bug.

And the acceptance of issue 13's severities on the command line: a forward-only wrangler
D1 history of plain ``CREATE TABLE``/``CREATE INDEX`` files is clean (notes shown); the same
files applied untracked, as ``db/`` is, fail; an unguarded ``CREATE INDEX`` planted in
``db/`` is still an error.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, NoReturn

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
WRANGLER = """name = "app"
[[d1_databases]]
binding = "DB"
database_name = "app"
database_id = "00000000-0000-0000-0000-000000000001"
migrations_dir = "{folder}"
"""


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def d1_project(root: Path) -> Path:
    """A wrangler D1 project: forward-only plain CREATE TABLE / CREATE INDEX files."""
    (root / "migrations").mkdir(parents=True)
    (root / "wrangler.toml").write_text(WRANGLER.format(folder="migrations"))
    files = {
        "0001_users.sql": "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n",
        "0002_posts.sql": "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER "
        "REFERENCES users(id), title TEXT);\nCREATE INDEX posts_user ON posts(user_id);\n",
        "0003_email.sql": "CREATE INDEX users_email ON users(email);\n",
    }
    for name, sql in files.items():
        (root / "migrations" / name).write_text(sql)
    return root


def test_a_forward_only_d1_history_without_bugs_exits_0_showing_notes(tmp_path: Path) -> None:
    result = invoke("check", d1_project(tmp_path / "app"))
    assert result.exit_code == 0, result.output
    assert "MH112 note: not_idempotent in 0001_users" in result.output
    assert "recorded by wrangler d1 migrations apply" in result.output
    assert "0 error(s)" in result.output


def test_the_same_files_applied_untracked_fail(tmp_path: Path) -> None:
    root = d1_project(tmp_path / "app")
    result = invoke("check", root, "--checks", "idempotent", "--applied", "untracked")
    assert result.exit_code == 1, result.output
    assert result.output.count("MH111 error: not_idempotent") == 3


def test_fail_on_note_fails_the_clean_history(tmp_path: Path) -> None:
    root = d1_project(tmp_path / "app")
    assert invoke("check", root, "--checks", "idempotent", "--fail-on", "note").exit_code == 1
    (root / "pyproject.toml").write_text('[tool.migration-harness]\nfail_on = "note"\n')
    assert invoke("check", root, "--checks", "idempotent").exit_code == 1
    # The option beats the key.
    result = invoke("check", root, "--checks", "idempotent", "--fail-on", "error")
    assert result.exit_code == 0


def test_an_unknown_config_value_is_a_one_line_error(tmp_path: Path) -> None:
    root = d1_project(tmp_path / "app")
    (root / "pyproject.toml").write_text('[tool.migration-harness]\napplied = "untraced"\n')
    result = invoke("check", root)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "applied = 'untraced' is not allowed (did you mean 'untracked'?)" in result.stderr


def umbrella_copy(root: Path, *, config: bool) -> Path:
    """``db/`` and its wrangler.toml, with an unguarded CREATE INDEX planted as 0013."""
    shutil.copytree(REPO / "db", root / "db")
    shutil.copy(REPO / "wrangler.toml", root / "wrangler.toml")
    if not config:
        (root / "db" / "pyproject.toml").unlink()
    planted = root / "db" / "migrations" / "0013_planted_index.sql"
    planted.write_text("CREATE INDEX idx_users_display_name ON users(display_name);\n")
    return root / "db"


def test_an_unguarded_index_planted_in_db_is_still_an_error(tmp_path: Path) -> None:
    result = invoke(
        "check", umbrella_copy(tmp_path, config=True), "--checks", "idempotent", "--profile", "dev"
    )
    assert result.exit_code == 1, result.output
    assert "MH111 error: not_idempotent in 0013_planted_index" in result.output
    assert "the set is applied untracked" in result.output


def test_without_db_config_the_planted_index_is_a_d1_note(tmp_path: Path) -> None:
    # The twin: db/pyproject.toml is what says db/ is applied untracked.
    result = invoke(
        "check", umbrella_copy(tmp_path, config=False), "--checks", "idempotent", "--profile", "dev"
    )
    assert result.exit_code == 0, result.output
    assert "MH112 note: not_idempotent in 0013_planted_index" in result.output


# --- output paths, stdout, seeds -----------------------------------------------------------


def no_work(*_: Any, **__: Any) -> NoReturn:
    msg = "the check ran before the output path was validated"
    raise AssertionError(msg)


@pytest.mark.parametrize("option", ["--json", "--sarif"])
def test_an_output_path_that_is_a_directory_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str
) -> None:
    monkeypatch.setattr("migration_harness.checks.run.check_set", no_work)
    result = invoke("check", d1_project(tmp_path / "app"), option, tmp_path)
    assert result.exit_code == 2, result.output
    assert f"error: {option} {tmp_path}: is a directory" in result.stderr


def test_an_output_path_in_a_missing_folder_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("migration_harness.checks.run.check_set", no_work)
    result = invoke("check", d1_project(tmp_path / "app"), "--json", "/nonexistent/x.json")
    assert result.exit_code == 2, result.output
    assert "folder /nonexistent does not exist" in result.stderr


def test_json_dash_writes_the_json_to_stdout_and_the_report_to_stderr(tmp_path: Path) -> None:
    root = d1_project(tmp_path / "app")
    result = invoke("check", root, "--checks", "idempotent", "--json", "-")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["seed"] == 0  # ci's own seed is recorded as 0, never null
    assert data["applied"] == "tracked"
    assert "MH112" in result.stderr
    assert not (Path.cwd() / "-").exists()


def test_sarif_dash_goes_to_stdout_and_only_one_output_may(tmp_path: Path) -> None:
    root = d1_project(tmp_path / "app")
    result = invoke("check", root, "--checks", "idempotent", "--sarif", "-")
    assert json.loads(result.stdout)["version"] == "2.1.0"
    both = invoke("check", root, "--json", "-", "--sarif", "-")
    assert both.exit_code == 2
    assert "only one of them can go to stdout" in both.stderr


def test_a_given_seed_is_recorded(tmp_path: Path) -> None:
    out = tmp_path / "o.json"
    root = d1_project(tmp_path / "app")
    invoke("check", root, "--checks", "idempotent", "--seed", "7", "--json", out)
    assert json.loads(out.read_text())["seed"] == 7


# --- internal errors -----------------------------------------------------------------------


def boom(*_: Any, **__: Any) -> NoReturn:
    msg = "a bug in the harness"
    raise RuntimeError(msg)


def test_an_internal_error_is_one_line_and_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("migration_harness.checks.run.check_set", boom)
    result = invoke("check", d1_project(tmp_path / "app"))
    assert result.exit_code == 3
    assert result.stderr == (
        "migration-harness: internal error: RuntimeError: a bug in the harness (please "
        "report it; run with --debug for the traceback)\n"
    )
    assert "Traceback" not in result.output


def test_debug_prints_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("migration_harness.checks.run.check_set", boom)
    result = invoke("--debug", "check", d1_project(tmp_path / "app"))
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert "internal error: RuntimeError" in result.stderr


@pytest.mark.parametrize(
    ("command", "module"),
    [
        ("audit", "migration_harness.sets.runner.migrate"),
        ("migrate", "migration_harness.sets.runner.migrate"),
    ],
)
def test_every_command_maps_an_internal_error_to_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, module: str
) -> None:
    monkeypatch.setattr(module, boom)
    db = ["--db", str(tmp_path / "x.db")] if command == "migrate" else []
    result = invoke(command, d1_project(tmp_path / "app"), *db)
    assert result.exit_code == 3, result.output
    assert "internal error: RuntimeError" in result.stderr


def test_a_usage_error_is_exit_2(tmp_path: Path) -> None:
    assert invoke("check", d1_project(tmp_path / "app"), "--fail-on", "fatal").exit_code == 2
