"""checks.matrix: the reversibility matrix agrees with every finding of its own run (issue 12)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from migration_harness.checks.matrix import changes_nothing
from migration_harness.checks.properties import CHECKS
from migration_harness.checks.run import check_set
from migration_harness.report.catalogue import COSMETIC_DRIFT
from migration_harness.report.findings import CheckRun, MigrationInfo
from migration_harness.report.render import rollback_markdown
from migration_harness.report.runbook import RUNBOOKS
from migration_harness.sets.discovery import discover
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
ALL_EXAMPLES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
# Findings after which the previous version is not what a rollback leaves.
BROKEN = ("rollback_error", "rollback_schema_drift", "reapply_error", "reapply_schema_drift")


@cache
def run(name: str, target: str | None = None) -> CheckRun:
    """Every check over one example, on the cheap ``dev`` budget with a fixed seed."""
    mset = discover(EXAMPLES / name)
    return check_set(mset, TARGETS[target or mset.default_target], profile="dev", seed=0)


def info(result: CheckRun, migration: str) -> MigrationInfo:
    return next(i for i in result.migrations if i.name == migration)


def test_every_check_runs_in_the_matrix_test() -> None:
    assert "stateful" in CHECKS  # the history fuzzer's rollback losses count too


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_matrix_is_never_reversible_where_the_run_saw_a_rollback_lose_data(example: str) -> None:
    result = run(example)
    for finding in result.findings:
        if finding.migration is None:
            continue
        row = info(result, finding.migration)
        if finding.kind == "data_loss" and finding.direction == "rollback":
            assert row.reversibility in ("lossy", "irreversible"), finding.message
            assert any("rolling it back loses" in reason for reason in row.reasons)
        # A cosmetic drift (MH130/MH129, a warning) leaves a schema that behaves the same.
        if finding.kind in BROKEN and finding.code not in COSMETIC_DRIFT.values():
            assert row.reversibility == "irreversible", finding.message


def test_reordered_columns_never_hide_an_emptied_one() -> None:
    row = info(run("rollback_reorders_and_empties"), "0002_people_age")
    kinds = {f.kind for f in run("rollback_reorders_and_empties").findings}
    assert {"rollback_schema_drift", "data_loss"} <= kinds
    assert row.rollback_loss["cells"] > 0
    # Only the order drifts, which changes no behaviour: lossy, not irreversible.
    assert row.reversibility == "lossy"
    assert any("only cosmetically" in r and "column order differs" in r for r in row.reasons)
    assert any("loses" in r and "value(s)" in r for r in row.reasons)


def test_reordered_columns_that_keep_every_value_report_no_loss() -> None:
    result = run("rollback_reorders_columns")
    assert "data_loss" not in {f.kind for f in result.findings}
    assert info(result, "0002_people_age").rollback_loss == {"rows": 0, "cells": 0}


def test_a_goose_down_of_select_1_is_irreversible() -> None:
    row = info(run("rollback_noop_goose"), "00002_people_email")
    assert row.reversibility == "irreversible"
    assert row.reasons[0] == "its rollback changes nothing (SELECT 1;)"


def test_a_goose_down_that_restores_the_schema_is_not_called_a_no_op() -> None:
    row = info(run("goose_down_restores"), "00002_people_email")
    # Dropping the column it added loses only the values written into that column.
    assert row.reversibility == "lossy"
    assert not any("changes nothing" in r for r in row.reasons)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT 1;", True),
        ("BEGIN; SELECT 1; COMMIT;", True),
        ("PRAGMA foreign_keys;", True),
        ("DELETE FROM t;", False),
        ("PRAGMA user_version = 3;", False),
        ("WITH x AS (SELECT 1) DELETE FROM t;", False),
    ],
)
def test_changes_nothing_only_for_statements_that_write_nothing(sql: str, expected: bool) -> None:
    assert all(map(changes_nothing, split_statements(sql))) is expected


def test_reversible_only_when_nothing_was_lost() -> None:
    result = run("plugin_clean")
    assert [i.reversibility for i in result.migrations] == ["reversible", "reversible"]
    assert all(i.reasons == [] for i in result.migrations)


# --- the guide speaks the set's runner -------------------------------------------------


def test_goose_guide_names_goose_down_and_a_file_backup_never_wrangler() -> None:
    text = rollback_markdown(run("rollback_noop_goose"))
    assert "`goose -dir DIR sqlite3 DB down`" in text
    assert ".backup" in text
    assert "wrangler" not in text
    assert "its rollback changes nothing (SELECT 1;)" in text


def test_golang_migrate_guide_never_names_wrangler() -> None:
    text = rollback_markdown(run("runner_golang_migrate"))
    assert '`migrate -path DIR -database "sqlite3://DB" down 1`' in text
    assert "wrangler" not in text


def test_d1_guide_names_time_travel_and_the_missing_rollback_command() -> None:
    result = run("d1_deferred_orphans", "d1")
    text = rollback_markdown(result)
    assert "wrangler d1 time-travel restore" in text
    assert "Wrangler has no rollback command: run the rollback file with `wrangler d1" in text
    assert ".backup" not in text


def test_guide_holds_the_decision_flow_as_a_mermaid_chart() -> None:
    text = rollback_markdown(run("rollback_noop_goose"))
    chart = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert chart.startswith("flowchart TD\n")
    assert 'rollback["Back up, then roll back: goose down"]' in chart
    assert "matrix -- irreversible --> restore" in chart


def test_guide_rows_give_the_verdict_its_reasons_and_the_counts() -> None:
    text = rollback_markdown(run("rollback_reorders_and_empties"))
    row = next(line for line in text.splitlines() if line.startswith("| `0002_people_age`"))
    assert "**lossy**" in row
    assert "column order differs" in row
    cells = [c.strip() for c in row.split(" | ")]
    lost = info(run("rollback_reorders_and_empties"), "0002_people_age").rollback_loss
    assert cells[3] == f"0 / {lost['cells']}"


def test_a_no_op_down_of_a_data_migration_is_irreversible(
    migration_set: Callable[..., Path],
) -> None:
    root = migration_set(
        {
            1: (
                "CREATE TABLE prices (id INTEGER PRIMARY KEY, cents INTEGER);",
                "DROP TABLE prices;",
            ),
            2: ("UPDATE prices SET cents = cents * 100;", "SELECT 1;"),
            3: ("SELECT 1;", "SELECT 1;"),
        }
    )
    result = check_set(discover(root), TARGETS["sqlite"], profile="dev", seed=0)
    assert info(result, "0002_m0002").reversibility == "irreversible"
    assert info(result, "0002_m0002").reasons == ["its rollback changes nothing (SELECT 1;)"]
    # Nothing to undo: a no-op rollback of a no-op migration is no defect.
    assert info(result, "0003_m0003").reversibility == "reversible"


def test_every_target_has_a_runbook() -> None:
    assert set(RUNBOOKS) == set(TARGETS)
    for book in RUNBOOKS.values():
        assert book.backup
        assert book.restore
        assert book.rollback or book.no_rollback  # a command, or what to do instead
