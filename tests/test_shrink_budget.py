"""A file failing on nearly any data costs about what a passing file costs (issue 17).

fclairamb/solidping's second file broke a CHECK on every row of one table: every example
of its data property failed, and Hypothesis shrank the wide example up to its five-minute
clock. The cost is counted in examples run (``stats.examples``), never in wall time, so
these tests are deterministic under the ci profile's seed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis.internal.conjecture import engine as conjecture

from migration_harness.checks.run import check_set
from migration_harness.checks.shrinking import shrink_limit, shrinks_capped
from migration_harness.report.findings import CheckRun
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]  # the migration_set fixture
CHECKS = ("apply", "apply_keeps_data")
BUDGET = 25  # the ci profile's examples for one property


def _table(name: str, parent: str | None) -> str:
    link = f",\n  {parent}_id INTEGER REFERENCES {parent}(id)" if parent else ""
    return (
        f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT,\n"
        f"  summary TEXT, score REAL, amount INTEGER, made_at TEXT, note TEXT, tag TEXT{link});\n"
    )


# Six wide tables in a chain, then jobs, whose CHECK keeps its state in 0..3 (or NULL).
TABLES = ("accounts", "teams", "projects", "boards", "cards", "tasks")
FIRST = (
    "".join(_table(name, TABLES[i - 1] if i else None) for i, name in enumerate(TABLES))
    + "CREATE TABLE jobs (id INTEGER PRIMARY KEY, task_id INTEGER REFERENCES tasks(id),\n"
    + "  state INTEGER CHECK (state IN (0, 1, 2, 3)), label TEXT);\n"
)
# The second file touches every table (so every one is drawn), and last moves every
# state out of the CHECK: any jobs row with a state breaks it.
TOUCH = "".join(f"UPDATE {name} SET note = trim(note);\n" for name in TABLES)
BREAKS_EVERY_STATE = TOUCH + "UPDATE jobs SET state = state + 10 WHERE state IN (0, 1, 2, 3);\n"
# The twin whose failure needs one value: only state 3 is moved out.
BREAKS_STATE_3 = TOUCH + "UPDATE jobs SET state = 13 WHERE state = 3;\n"


def run(root: Path) -> CheckRun:
    return check_set(discover(root), TARGETS["sqlite"], profile="ci", checks=CHECKS)


def the_finding(found: CheckRun) -> tuple[str, str, str]:
    [finding] = [f for f in found.findings if f.check == "apply_keeps_data"]
    assert "CHECK constraint failed" in finding.message
    rows = finding.example["rows"]
    assert any(row["table"] == "jobs" for row in rows)
    return finding.kind, finding.migration or "", finding.message


def test_a_file_failing_on_nearly_any_data_shrinks_within_a_budget(
    migration_set: MigrationSetFactory,
) -> None:
    found = run(migration_set({1: (FIRST, None), 2: (BREAKS_EVERY_STATE, None)}))
    assert the_finding(found)[:2] == ("apply_error", "0002_m0002")
    assert not [f for f in found.findings if f.check == "apply"]  # the empty build applies
    # Uncapped, Hypothesis made 120 shrinks here and ran 180 examples (on solidping's
    # wider schema, until its five-minute clock); now the generation budget, at most 50
    # shrinks (ci: 2 per example) and the replays that reduce the example.
    assert found.stats.examples <= 4 * BUDGET


def test_a_failure_on_one_value_is_still_found_and_reduced(
    migration_set: MigrationSetFactory,
) -> None:
    """The twin: a failure that needs state 3 is still found, on a jobs row holding 3."""
    found = run(migration_set({1: (FIRST, None), 2: (BREAKS_STATE_3, None)}))
    assert the_finding(found)[:2] == ("apply_error", "0002_m0002")
    [finding] = [f for f in found.findings if f.check == "apply_keeps_data"]
    states = [r["values"].get("state") for r in finding.example["rows"] if r["table"] == "jobs"]
    assert states == [3]


def test_the_cap_is_put_back_and_never_raises_hypothesis_own() -> None:
    before = conjecture.MAX_SHRINKS
    with shrinks_capped(10**6):
        assert before == conjecture.MAX_SHRINKS
    with shrinks_capped(7):
        assert conjecture.MAX_SHRINKS == 7
    assert before == conjecture.MAX_SHRINKS


def test_the_limit_grows_with_the_profile_budget() -> None:
    assert shrink_limit(BUDGET) == 50  # ci
    assert shrink_limit(10) == 30  # dev: never below the floor
    assert shrink_limit(300) == 600  # thorough: Hypothesis's own 500 then binds
