"""Liquibase's ``endDelimiter`` as Liquibase reads it: escapes, any case, whole tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.lint import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.plans import _liquibase_plan
from migration_harness.sets.targets import get_target

TRIGGER = (
    "CREATE TRIGGER t_guard BEFORE INSERT ON t\nBEGIN\n  SELECT RAISE(ABORT, 'no; really');\nEND;\n"
)


def test_an_escaped_newline_delimiter_cuts_at_go_on_its_own_line() -> None:
    sql = f"{TRIGGER}GO\nCREATE INDEX t_category ON t(category);\ngo\n"
    pieces = [s.sql for s in _liquibase_plan(sql, "\\nGO")]
    assert pieces == [TRIGGER.strip(), "CREATE INDEX t_category ON t(category);"]


@pytest.mark.parametrize("delimiter", ["GO", "\\nGO"])
def test_go_inside_a_word_is_no_delimiter(delimiter: str) -> None:
    sql = "CREATE TABLE category_gone (good INTEGER)\nGO\n"
    assert [s.sql for s in _liquibase_plan(sql, delimiter)] == [
        "CREATE TABLE category_gone (good INTEGER)"
    ]


def _lint(tmp_path: Path, body: str) -> set[str]:
    changelog = (
        "--liquibase formatted sql\n\n--changeset a:1\nCREATE TABLE t (id INTEGER PRIMARY KEY,"
        " category TEXT);\n--rollback DROP TABLE t;\n\n--changeset a:2 endDelimiter:\\nGO\n"
        f"{body}--rollback DROP TRIGGER t_guard;\n"
    )
    (tmp_path / "changelog.sql").write_text(changelog, encoding="utf-8")
    return {f.kind for f in lint_set(discover(tmp_path), get_target("liquibase"))}


def test_a_trigger_ended_by_newline_go_runs(tmp_path: Path) -> None:
    assert "statement-fails" not in _lint(tmp_path, f"{TRIGGER}GO\n")


def test_two_statements_without_the_go_between_them_run_only_the_first(tmp_path: Path) -> None:
    # One piece, one JDBC Statement.execute: Xerial prepares and runs its first statement
    # and drops the rest without an error (JDBC3Statement.execute), so nothing fails: the
    # index is silently never made, which the liquibase target names as a skipped statement.
    body = f"{TRIGGER}CREATE INDEX t_category ON t(category);\nGO\n"
    assert "statement-fails" not in _lint(tmp_path, body)
    sql = body
    assert [s.sql for s in _liquibase_plan(sql, "\\nGO")] == [TRIGGER.strip()]
    note = get_target("liquibase").skipped(sql, {"delimiter": "\\nGO"})
    assert note is not None
    assert "'CREATE INDEX t_category ON t(category);' never runs" in note
    assert note.startswith("line 5: ")


def test_the_rollback_is_cut_by_its_own_options_not_the_changesets(tmp_path: Path) -> None:
    # AbstractFormattedChangeLogParser.configureRollbackChange sets only
    # rollbackSplitStatements / rollbackEndDelimiter on the rollback change.
    changelog = (
        "--liquibase formatted sql\n\n--changeset a:1 splitStatements:false endDelimiter:GO\n"
        "CREATE TABLE t (id INTEGER PRIMARY KEY);\n"
        "--rollback DROP INDEX IF EXISTS t_id;\n--rollback DROP TABLE t;\n\n"
        "--changeset a:2 rollbackSplitStatements:false rollbackEndDelimiter:\\nGO\n"
        "CREATE TABLE u (id INTEGER PRIMARY KEY);\n--rollback DROP TABLE u;\n"
    )
    (tmp_path / "changelog.sql").write_text(changelog, encoding="utf-8")
    first, second = discover(tmp_path).migrations
    assert dict(first.up_options) == {"split": False, "delimiter": "GO"}
    assert dict(first.down_options) == {}
    assert get_target("liquibase").skipped(first.down_sql or "", first.down_options) is None
    # Liquibase's own splitStatements pattern also matches rollbackSplitStatements.
    assert dict(second.up_options) == {"split": False}
    assert dict(second.down_options) == {"split": False, "delimiter": "\\nGO"}
