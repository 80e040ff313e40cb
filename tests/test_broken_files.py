"""A file production would fail on is a finding, and every other migration is still checked.

Syntax errors, unknown tokens and other dialects' syntax used to stop the whole check with
exit 2 at the first such file (issue 14, item 7); only what makes the *set* unreadable is
bad input now.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from rich.console import Console

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.report.findings import CheckRun, Finding
from migration_harness.report.render import not_reached_note, render
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]  # the migration_set fixture
CHECKS = ("apply", "rollback")


def run(root: Path, checks: tuple[str, ...] = CHECKS) -> CheckRun:
    return check_set(discover(root), TARGETS["sqlite"], profile="dev", checks=checks)


def errors(found: CheckRun) -> list[Finding]:
    return [f for f in found.findings if f.kind in ("apply_error", "rollback_error")]


def three_broken(migration_set: MigrationSetFactory) -> Path:
    """Two broken rollbacks (MySQL's DROP INDEX … ON, a syntax error) and a broken last file."""
    return migration_set(
        {
            1: ("CREATE TABLE a(x);\n", "DROP TABLE a;\n"),
            2: ("CREATE TABLE b(x);\nCREATE INDEX b_x ON b(x);\n", "DROP INDEX b_x ON b;\n"),
            3: ("CREATE TABLE c(x);\n", "DROP TABEL c;\n"),
            4: ("CREATE TABLE d(x);\n\nALTER TABLE d DROP CONSTRAINT d_x;\n", "DROP TABLE d;\n"),
        }
    )


def test_three_broken_files_are_three_findings_in_one_run(
    migration_set: MigrationSetFactory,
) -> None:
    found = run(three_broken(migration_set))
    assert [(f.kind, f.migration) for f in errors(found)] == [
        ("rollback_error", "0002_m0002"),
        ("rollback_error", "0003_m0003"),
        ("apply_error", "0004_m0004"),
    ]


def test_broken_files_are_located_with_the_parsers_message(
    migration_set: MigrationSetFactory,
) -> None:
    root = three_broken(migration_set)
    last = errors(run(root))[-1]
    assert last.file == "migrations/0004_m0004.sql"  # relative to the set, as JSON/SARIF want
    assert (last.line, last.statement) == (3, "ALTER TABLE d DROP CONSTRAINT d_x;")
    assert 'near "CONSTRAINT": syntax error' in last.message


def test_forward_checks_still_run_past_a_broken_rollback(
    migration_set: MigrationSetFactory,
) -> None:
    found = run(three_broken(migration_set))
    results = {info.name: info.results for info in found.migrations}
    assert results["0003_m0003"] == {"apply": "ok", "rollback": "fail"}
    assert all(info.reached for info in found.migrations)


def broken_forward(migration_set: MigrationSetFactory) -> Path:
    return migration_set(
        {
            1: ("CREATE TABLE a(x);\n", "DROP TABLE a;\n"),
            2: ("INSERT INTO a VALUES ('never closed);\n", "DELETE FROM a;\n"),
            3: ("CREATE TABLE c(x);\n", "DROP TABLE c;\n"),
            4: ("CREATE TABLE d(x);\n", "DROP TABEL d;\n"),
        }
    )


def test_after_a_broken_forward_file_later_broken_files_are_still_found(
    migration_set: MigrationSetFactory,
) -> None:
    found = run(broken_forward(migration_set))
    assert [(f.kind, f.migration, f.line) for f in errors(found)] == [
        ("apply_error", "0002_m0002", 1),
        ("rollback_error", "0004_m0004", 1),
    ]
    assert "unrecognized token" in errors(found)[0].message
    assert errors(found)[1].details[-1] == (
        "checked alone: 0002_m0002 does not apply, so the check went as far as 0001_m0001"
    )


def test_migrations_after_a_broken_forward_file_are_reported_not_reached(
    migration_set: MigrationSetFactory,
) -> None:
    found = run(broken_forward(migration_set))
    reached = {info.name: info.reached for info in found.migrations}
    assert reached == {
        "0001_m0001": True,
        "0002_m0002": True,
        "0003_m0003": False,
        "0004_m0004": False,
    }
    assert found.migrations[2].results == {"apply": "not reached", "rollback": "not reached"}
    assert not_reached_note(found) == (
        "note: 2 migration(s) not reached (0003_m0003 … 0004_m0004): 0002_m0002 does not "
        "apply, so the check went as far as 0001_m0001 (the SQL files after it were only "
        "parsed)"
    )
    assert found.stopped.startswith("0002_m0002 does not apply")


def test_the_not_reached_note_is_printed(migration_set: MigrationSetFactory) -> None:
    console = Console(record=True, width=200)
    render(run(broken_forward(migration_set)), console)
    assert "note: 2 migration(s) not reached" in console.export_text()


def test_check_reports_a_broken_file_with_exit_1_not_2(
    migration_set: MigrationSetFactory,
) -> None:
    root = three_broken(migration_set)
    result = CliRunner().invoke(cli, ["check", str(root), "--checks", "apply,rollback"])
    assert result.exit_code == 1, result.output
    assert result.stdout.count("rollback_error in ") == 2
    assert result.stdout.count("apply_error in ") == 1


def test_a_file_that_parses_is_left_to_the_real_run(migration_set: MigrationSetFactory) -> None:
    # "no such table" on the empty scratch database is the database's business, not the
    # file's: the file after a broken one is not blamed for it.
    root = migration_set(
        {
            1: ("CREATE TABL a(x);\n", None),
            2: ("INSERT INTO a VALUES (1);\n", None),
        },
        layout="wrangler",
    )
    assert [f.migration for f in errors(run(root, ("apply",)))] == ["0001_m0001"]
