"""The plugin with suppressions, a baseline and ``--migrations-since``, run with pytester.

The set plants a rollback that forgets its table (MH132 and MH133 on ``0002_sessions``),
checked with ``checks = ["rollback"]`` so each run is quick.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from migration_harness.report.baseline import write_baseline
from migration_harness.report.findings import Finding

pytest_plugins = ["pytester"]

USERS = "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT);\n"
SESSIONS = "CREATE TABLE sessions (token TEXT PRIMARY KEY, user_id INTEGER);\n"
TAGS = "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n"
FORGETS = "DROP INDEX IF EXISTS nothing_here;\n"
TABLE = '[tool.migration-harness]\nmigrations = "db"\nchecks = ["rollback"]\nprofile = "dev"\n'
ROLLBACK_0002 = "pyproject.toml::db::0002_sessions::rollback"


@pytest.fixture(autouse=True)
def _keep_hypothesis_profile() -> Iterator[None]:
    name = settings.get_current_profile_name()
    yield
    settings.load_profile(name)


def project(pytester: pytest.Pytester, sessions: str = SESSIONS, extra: str = "") -> Path:
    files = {
        "pyproject.toml": TABLE + extra,
        "db/migrations/0001_users.sql": USERS,
        "db/rollbacks/0001_rollback.sql": "DROP TABLE IF EXISTS users;\n",
        "db/migrations/0002_sessions.sql": sessions,
        "db/rollbacks/0002_rollback.sql": FORGETS,
    }
    for name, text in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return pytester.path


def test_planted_item_fails_without_suppression(pytester: pytest.Pytester) -> None:
    project(pytester)
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([f"{ROLLBACK_0002} FAILED*"])


def test_inline_directive_passes_the_item_and_lists_the_findings(
    pytester: pytest.Pytester,
) -> None:
    project(pytester, "-- migration-harness: ignore[MH132,MH133] rebuilt in 0007\n" + SESSIONS)
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*= migration-harness =*",
            "MH132 suppressed (rebuilt in 0007): rollback_schema_drift in 0002_sessions*",
            "MH133 suppressed (rebuilt in 0007): reapply_error in 0002_sessions*",
        ]
    )


def test_config_ignore_passes_the_item(pytester: pytest.Pytester) -> None:
    project(pytester, extra='ignore = { codes = ["MH132", "MH133"], reason = "known" }\n')
    result = pytester.runpytest()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["MH132 suppressed (known)*"])


def test_per_file_ignores_for_another_file_leave_it_failing(pytester: pytest.Pytester) -> None:
    extra = '[tool.migration-harness.per-file-ignores]\n"0001_*" = ["MH132", "MH133"]\n'
    project(pytester, extra=extra)
    pytester.runpytest().assert_outcomes(passed=1, failed=1)


def test_unknown_code_is_a_collection_error_naming_the_file(pytester: pytest.Pytester) -> None:
    project(pytester, "-- migration-harness: ignore[MH1] why\n" + SESSIONS)
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*0002_sessions.sql:1: unknown finding code MH1 *"])


def baseline_of(root: Path, stale: list[str]) -> Path:
    """A baseline of the set's real findings, plus entries for ``stale`` that match nothing."""
    from migration_harness.checks.run import check_set
    from migration_harness.sets.discovery import discover
    from migration_harness.sets.targets import get_target

    mset = discover(root / "db")
    run = check_set(mset, get_target(mset.default_target), profile="dev", checks=["rollback"])
    findings = list(run.findings) + [
        Finding(kind, m, message, check="rollback")
        for m in stale
        for kind, message in (
            ("rollback_schema_drift", "after rollback the schema differs from version 1"),
            ("reapply_error", "does not apply again after its rollback"),
        )
    ]
    path = root / ".migration-harness-baseline.json"
    write_baseline(findings, path)
    return path


def test_baseline_passes_the_item_and_names_stale_entries(pytester: pytest.Pytester) -> None:
    root = project(pytester)
    baseline_of(root, ["0001_users"])  # 0001's entries are stale
    result = pytester.runpytest()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "MH132 suppressed (baseline)*",
            "baseline: 2 finding(s) baselined*",
            "stale baseline entry (no longer found): MH132 in 0001_users (rollback)*",
            "stale baseline entry (no longer found): MH133 in 0001_users (rollback)*",
        ]
    )


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_since_deselects_unchanged_migrations(pytester: pytest.Pytester) -> None:
    root = project(pytester)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "legacy")
    (root / "db/migrations/0003_tags.sql").write_text(TAGS)
    (root / "db/rollbacks/0003_rollback.sql").write_text("DROP TABLE tags;\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "new")
    result = pytester.runpytest("-v", "--migrations-since", "HEAD~1")
    result.assert_outcomes(passed=1, deselected=2)
    result.stdout.fnmatch_lines(["*db::0003_tags::rollback PASSED*"])
    bad = pytester.runpytest("--migrations-since", "nope")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    bad.stderr.fnmatch_lines(["*--since nope: git knows no revision 'nope'*"])
