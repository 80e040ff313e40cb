"""``migration-harness lint``: the four formats, exit codes 0/1/2 and ``--since``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli

TESTS = Path(__file__).resolve().parents[1]
DB = TESTS.parent / "db"
EXAMPLES = TESTS / "examples"
CASCADE = EXAMPLES / "rebuild_cascades_child"
CASCADE_FILE = "tests/examples/rebuild_cascades_child/migrations/0002_artist_name_check.sql"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["lint", *(str(a) for a in args)])


@pytest.fixture(autouse=True)
def _at_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths are shown relative to the working folder: run from the repository root."""
    monkeypatch.chdir(TESTS.parent)


def test_db_has_warnings_only_and_exits_0() -> None:
    result = invoke(DB)
    assert result.exit_code == 0, result.output
    assert "db/migrations/0007_clerk_integration.sql:15:31: MH202 warning:" in result.output
    assert "0 errors" not in result.output
    assert "lint findings (2 warnings) in 24 files" in result.output


def test_error_level_finding_exits_1_with_file_line_column_and_fix() -> None:
    result = invoke(CASCADE)
    assert result.exit_code == 1
    assert f"{CASCADE_FILE}:9:12: MH302 error: rows of tracks are deleted" in result.output
    assert "    rebuild-cascade: avoid the rebuild" in result.output


def test_github_format_prints_workflow_annotations() -> None:
    result = invoke(CASCADE, "--format", "github")
    lines = result.output.splitlines()
    assert f"::error file={CASCADE_FILE},line=9,col=12,title=MH302 rebuild-cascade::rows" in (
        "\n".join(lines)
    )
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)


def test_json_format_carries_code_severity_line_and_column() -> None:
    result = invoke(CASCADE, "--format", "json")
    data = json.loads(result.output)
    cascade = next(f for f in data["findings"] if f["code"] == "MH302")
    assert (cascade["file"], cascade["line"], cascade["column"]) == (CASCADE_FILE, 9, 12)
    assert cascade["severity"] == "error"
    assert data["summary"] == {"error": 1, "warning": 1}


def test_sarif_format_is_a_2_1_0_log_with_rules_and_regions() -> None:
    result = invoke(CASCADE, "--format", "sarif")
    log = json.loads(result.output)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {"MH213", "MH302"}
    cascade = next(r for r in run["results"] if r["ruleId"] == "MH302")
    region = cascade["locations"][0]["physicalLocation"]["region"]
    assert (cascade["level"], region["startLine"], region["startColumn"]) == ("error", 9, 12)
    assert result.exit_code == 1


def test_missing_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = invoke(tmp_path / "nope")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "path does not exist" in result.output


def _git(where: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@t", "-c", "user.name=t", *args],
        cwd=where,
        check=True,
        capture_output=True,
    )


def test_since_lints_only_files_changed_after_the_revision(tmp_path: Path) -> None:
    root = Path(shutil.copytree(CASCADE, tmp_path / "set"))
    _git(root, "init", "-q")
    first = root / "migrations" / "0001_artists_tracks.sql"
    second = root / "migrations" / "0002_artist_name_check.sql"
    _git(root, "add", str(first), str(root / "rollbacks" / "0001_rollback.sql"))
    _git(root, "commit", "-qm", "one")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "two")
    unchanged = invoke(root, "--since", "HEAD", "--format", "json")
    assert json.loads(unchanged.output)["findings"] == []
    assert unchanged.exit_code == 0
    changed = invoke(root, "--since", "HEAD~1", "--format", "json")
    files = {Path(f["file"]).name for f in json.loads(changed.output)["findings"]}
    assert files == {second.name}
    assert changed.exit_code == 1


def test_since_an_unknown_revision_is_exit_2(tmp_path: Path) -> None:
    root = Path(shutil.copytree(CASCADE, tmp_path / "set"))
    _git(root, "init", "-q")
    result = invoke(root, "--since", "no-such-rev")
    assert result.exit_code == 2
    assert "--since no-such-rev: git knows no revision 'no-such-rev'" in result.output


def test_lint_does_not_touch_the_files(tmp_path: Path) -> None:
    root = Path(shutil.copytree(CASCADE, tmp_path / "set"))
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    invoke(root)
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_pre_commit_hook_runs_lint_on_sql_files() -> None:
    text = (TESTS.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: migration-harness-lint" in text
    assert "entry: migration-harness lint" in text
    assert "pass_filenames: false" in text
    assert "files: \\.sql$" in text


def test_inline_ignore_suppresses_with_its_reason_and_exit_0(tmp_path: Path) -> None:
    root = Path(shutil.copytree(CASCADE, tmp_path / "set"))
    path = root / "migrations" / "0002_artist_name_check.sql"
    path.write_text(
        path.read_text().replace(
            "DROP TABLE artists;",
            "DROP TABLE artists; -- migration-harness: ignore[MH302] tracks are rebuilt too",
        )
    )
    result = invoke(root)
    assert result.exit_code == 0
    assert "MH302 error: rows of tracks" in result.output
    assert "(suppressed: tracks are rebuilt too)" in result.output
