"""``check`` with suppressions, a baseline and ``--since``; the ``baseline`` command.

Every set here plants a rollback that forgets its table (``rollback_schema_drift`` MH132
and ``reapply_error`` MH133, errors under every runner), checked with ``--checks rollback``
so that each run takes a fraction of a second.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from migration_harness.cli.accept import refuse_package_path
from migration_harness.errors import HarnessError

USERS = "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT);\n"
SESSIONS = "CREATE TABLE sessions (token TEXT PRIMARY KEY, user_id INTEGER);\n"
TAGS = "CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);\n"
FORGETS = "DROP INDEX IF EXISTS nothing_here;\n"  # the planted defect: the table stays
BASELINE = ".migration-harness-baseline.json"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def lossy_set(root: Path, sessions: str = SESSIONS) -> Path:
    """0001 users (clean), 0002 sessions whose rollback leaves the table behind."""
    return write(
        root,
        {
            "migrations/0001_users.sql": USERS,
            "rollbacks/0001_rollback.sql": "DROP TABLE IF EXISTS users;\n",
            "migrations/0002_sessions.sql": sessions,
            "rollbacks/0002_rollback.sql": FORGETS,
        },
    )


def check(root: Path, *args: str) -> tuple[Result, dict[str, Any]]:
    out = root / "check.json"
    command = ["check", str(root), "--checks", "rollback", "--profile", "dev", "--json", str(out)]
    result = CliRunner().invoke(cli, [*command, *args])
    data = json.loads(out.read_text()) if out.exists() else {}
    return result, data


def suppressed(data: dict[str, Any]) -> dict[str, str]:
    return {f["code"]: f["suppressed"] for f in data["findings"]}


def test_planted_set_fails_without_suppressions(tmp_path: Path) -> None:
    result, data = check(lossy_set(tmp_path))
    assert result.exit_code == 1, result.output
    assert suppressed(data) == {"MH132": "", "MH133": ""}


def test_inline_directive_on_the_statement_suppresses_and_lists(tmp_path: Path) -> None:
    directive = "-- migration-harness: ignore[MH132,MH133] sessions are rebuilt in 0007\n"
    result, data = check(lossy_set(tmp_path, directive + SESSIONS))
    assert result.exit_code == 0, result.output
    assert suppressed(data) == {"MH132": "sessions are rebuilt in 0007"} | {
        "MH133": "sessions are rebuilt in 0007"
    }
    assert "rollback_schema_drift in 0002_sessions" in result.output
    assert "(suppressed: sessions are rebuilt in 0007)" in result.output
    assert "2 finding(s) (0 error(s), 0 warning(s), 0 note(s), 2 suppressed;" in result.output


def test_inline_directive_for_one_code_leaves_the_other_standing(tmp_path: Path) -> None:
    at_end = SESSIONS.rstrip() + " -- migration-harness: ignore[MH132] ok\n"
    result, data = check(lossy_set(tmp_path, at_end))
    assert result.exit_code == 1
    assert suppressed(data) == {"MH132": "ok", "MH133": ""}


def test_inline_directive_in_the_rollback_file_header(tmp_path: Path) -> None:
    root = lossy_set(tmp_path)
    header = "-- migration-harness: ignore[MH132,MH133] kept\n"
    write(root, {"rollbacks/0002_rollback.sql": header + FORGETS})
    result, _ = check(root)
    assert result.exit_code == 0, result.output


def test_directive_without_reason_is_a_one_line_error(tmp_path: Path) -> None:
    result, _ = check(lossy_set(tmp_path, "-- migration-harness: ignore[MH132]\n" + SESSIONS))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: migrations/0002_sessions.sql:1: ignore[MH132] needs a reason "
        "(write -- migration-harness: ignore[MH111] <reason>)"
    ]


def test_unknown_code_inline_is_a_one_line_error(tmp_path: Path) -> None:
    result, _ = check(lossy_set(tmp_path, "-- migration-harness: ignore[MH932] why\n" + SESSIONS))
    assert result.exit_code == 2
    assert "0002_sessions.sql:1: unknown finding code MH932" in result.stderr


def test_config_ignore_and_per_file_ignores(tmp_path: Path) -> None:
    root = lossy_set(tmp_path)
    write(root, {"pyproject.toml": '[tool.migration-harness]\nignore = ["MH132"]\n'})
    result, data = check(root)
    assert (result.exit_code, suppressed(data)) == (1, {"MH132": "config", "MH133": ""})
    write(
        root,
        {
            "pyproject.toml": '[tool.migration-harness]\nignore = ["MH132"]\n'
            "[tool.migration-harness.per-file-ignores]\n"
            '"migrations/0002_*.sql" = { codes = ["MH133"], reason = "redeploys never happen" }\n'
        },
    )
    result, data = check(root)
    assert result.exit_code == 0, result.output
    assert suppressed(data) == {"MH132": "config", "MH133": "redeploys never happen"}


def test_per_file_ignores_reach_only_the_files_they_match(tmp_path: Path) -> None:
    root = lossy_set(tmp_path)
    table = '[tool.migration-harness.per-file-ignores]\n"0001_*" = ["MH132", "MH133"]\n'
    write(root, {"pyproject.toml": table})
    result, _ = check(root)
    assert result.exit_code == 1


def test_config_unknown_code_is_a_one_line_error(tmp_path: Path) -> None:
    root = lossy_set(tmp_path)
    write(root, {"pyproject.toml": '[tool.migration-harness]\nignore = ["MH13"]\n'})
    result, _ = check(root)
    assert result.exit_code == 2
    assert "[tool.migration-harness] ignore: unknown finding code MH13" in result.stderr


def baseline(root: Path, *args: str) -> Result:
    command = ["baseline", str(root), "--checks", "rollback", "--profile", "dev", *args]
    return CliRunner().invoke(cli, command)


def test_baseline_accepts_todays_findings_and_survives_edits(tmp_path: Path) -> None:
    root = lossy_set(tmp_path)
    write(root, {"pyproject.toml": "[tool.migration-harness]\n"})
    made = baseline(root)
    assert made.exit_code == 0, made.output
    assert f"baseline: 2 finding(s) recorded in {(root / BASELINE).resolve()}" in made.output
    entries = json.loads((root / BASELINE).read_text())["entries"]
    assert sorted(e["code"] for e in entries) == ["MH132", "MH133"]
    result, data = check(root)
    assert result.exit_code == 0, result.output
    assert suppressed(data) == {"MH132": "baseline", "MH133": "baseline"}
    assert "baseline: 2 finding(s) baselined" in result.output
    # Re-ordered, re-laid-out and with an unrelated statement added: still the same findings.
    edited = "-- sessions, kept per device\n" + TAGS + SESSIONS.lower().replace(" (", " (\n  ")
    rollback = "DROP TABLE IF EXISTS tags;\n"
    write(root, {"migrations/0002_sessions.sql": edited, "rollbacks/0002_rollback.sql": rollback})
    result, data = check(root)
    assert result.exit_code == 0, result.output
    assert suppressed(data) == {"MH132": "baseline", "MH133": "baseline"}


def test_new_finding_fails_and_fixed_one_is_named_stale(tmp_path: Path) -> None:
    root = lossy_set(tmp_path)
    assert baseline(root).exit_code == 0
    assert (root / BASELINE).is_file()  # no pyproject.toml: beside the set
    write(
        root,
        {
            "rollbacks/0002_rollback.sql": "DROP TABLE IF EXISTS sessions;\n",
            "migrations/0003_tags.sql": TAGS,
            "rollbacks/0003_rollback.sql": FORGETS,
        },
    )
    result, data = check(root)
    assert result.exit_code == 1
    assert {(f["migration"], f["suppressed"]) for f in data["findings"]} == {("0003_tags", "")}
    stale = [line for line in result.output.splitlines() if "stale baseline entry" in line]
    assert len(stale) == 2
    assert all("in 0002_sessions (rollback)" in line for line in stale)
    assert len(data["baseline"]["stale"]) == 2


def test_no_baseline_and_explicit_baseline(tmp_path: Path) -> None:
    root = lossy_set(tmp_path)
    assert baseline(root, "--output", str(tmp_path / "accepted.json")).exit_code == 0
    assert not (root / BASELINE).exists()
    assert check(root)[0].exit_code == 1
    assert check(root, "--baseline", str(tmp_path / "accepted.json"))[0].exit_code == 0
    ignored = check(root, "--baseline", str(tmp_path / "accepted.json"), "--no-baseline")[0]
    assert ignored.exit_code == 1
    missing = check(root, "--baseline", str(tmp_path / "none.json"))[0]
    assert missing.exit_code == 2
    assert "none.json: no such file" in missing.stderr


def test_baseline_with_unknown_code_is_a_one_line_error(tmp_path: Path) -> None:
    root = lossy_set(tmp_path)
    assert baseline(root).exit_code == 0
    path = root / BASELINE
    path.write_text(path.read_text().replace("MH133", "MH1339"))
    result, _ = check(root)
    assert result.exit_code == 2
    assert f"{path.resolve()}: entry 2: unknown finding code MH1339" in result.stderr


def test_baseline_never_writes_inside_the_package() -> None:
    import migration_harness

    inside = Path(migration_harness.__file__).parent / "_embedded" / BASELINE
    with pytest.raises(HarnessError, match="inside the installed migration-harness package"):
        refuse_package_path(inside)


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_since_judges_only_migrations_changed_after_the_revision(tmp_path: Path) -> None:
    root = lossy_set(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "legacy")
    write(root, {"migrations/0003_tags.sql": TAGS, "rollbacks/0003_rollback.sql": FORGETS})
    git(root, "add", "-A")
    git(root, "commit", "-qm", "new")
    result, data = check(root, "--since", "HEAD~1")
    assert result.exit_code == 1
    assert {f["migration"] for f in data["findings"]} == {"0003_tags"}
    assert "--since: judged 1 of 3 migration(s): 0003_tags" in result.output
    assert data["since"] == {"judged": ["0003_tags"], "revision": "HEAD~1"}
    # An uncommitted edit of a rollback counts too.
    write(root, {"rollbacks/0002_rollback.sql": FORGETS + "-- still broken\n"})
    _, data = check(root, "--since", "HEAD")
    assert {f["migration"] for f in data["findings"]} == {"0002_sessions"}


def test_since_on_a_clean_change_exits_0(tmp_path: Path) -> None:
    root = lossy_set(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "legacy")
    clean = {"migrations/0003_tags.sql": TAGS, "rollbacks/0003_rollback.sql": "DROP TABLE tags;\n"}
    write(root, clean)
    result, data = check(root, "--since", "HEAD")
    assert result.exit_code == 0, result.output
    assert data["findings"] == []


@pytest.mark.parametrize("in_git", [True, False])
def test_since_bad_revision_or_no_git_is_a_one_line_error(tmp_path: Path, in_git: bool) -> None:
    root = lossy_set(tmp_path)
    if in_git:
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-qm", "legacy")
    result, _ = check(root, "--since", "origin/nope")
    assert result.exit_code == 2
    expected = "git knows no revision 'origin/nope'" if in_git else "is not inside a git work tree"
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_since_limits_the_index_audit_to_tables_the_judged_migrations_touch(
    tmp_path: Path,
) -> None:
    posts = "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n"
    likes = "CREATE TABLE likes (id INTEGER PRIMARY KEY, post_id INTEGER REFERENCES posts(id));\n"
    root = write(tmp_path, {"migrations/0001_users.sql": USERS, "migrations/0002_posts.sql": posts})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "legacy")
    write(root, {"migrations/0003_likes.sql": likes})
    out = root / "check.json"
    args = ["check", str(root), "--checks", "fk_index", "--json", str(out), "--profile", "dev"]
    CliRunner().invoke(cli, args)
    everything = {f["message"] for f in json.loads(out.read_text())["findings"]}
    CliRunner().invoke(cli, [*args, "--since", "HEAD"])
    judged = {f["message"] for f in json.loads(out.read_text())["findings"]}
    assert everything == {
        "foreign key posts(user_id) -> users(id) has no covering index",
        "foreign key likes(post_id) -> posts(id) has no covering index",
    }
    assert judged == {"foreign key likes(post_id) -> posts(id) has no covering index"}
