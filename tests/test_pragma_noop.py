"""An ignored ``PRAGMA foreign_keys`` that changes nothing is no error (sets/fkpragmas.py).

The value in effect at each statement is the set's keys setting, changed only by pragmas
the runner honours. A pragma asking for that value is no finding; an ignored ``ON`` where
the set keeps keys off is never an error (a note when nothing after it depends on keys);
only an ignored ``OFF`` whose effect the checks see is MH102. Each defect has its twin.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.checks.severity import classify
from migration_harness.lint import lint_set
from migration_harness.report.findings import CheckRun, Finding
from migration_harness.sets.discovery import discover
from migration_harness.sets.fkpragmas import ignored_pragmas, keys_in_effect, keys_value
from migration_harness.sets.sql import Statement, open_before, split_statements
from migration_harness.sets.targets import TARGETS
from tests.test_severity import KEYS_OFF_REBUILD, PARENT_CHILD

MigrationSetFactory = Callable[..., Path]

# PARENT_CHILD: albums cascade from artists; REBUILD, drizzle-kit's rebuild of artists:
# keys off around it, and back on at the end of the file.
REBUILD = KEYS_OFF_REBUILD
# openstatus 0042's shape: the ON comes between two rebuilds, so the second one would run
# with keys on if it were honoured (and its DROP TABLE would cascade).
ON_BETWEEN = """PRAGMA foreign_keys = OFF;
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);
PRAGMA foreign_keys = ON;
CREATE TABLE artists_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO artists_new (id, name) SELECT id, name FROM artists;
DROP TABLE artists;
ALTER TABLE artists_new RENAME TO artists;
"""


def check(root: Path, target: str) -> CheckRun:
    return check_set(discover(root), TARGETS[target], checks=["apply", "apply_keeps_data"])


def conflicts(run: CheckRun) -> list[Finding]:
    return [f for f in run.findings if f.kind == "runner_conflict"]


# --- check: the planted defect and its twins ---------------------------------------------


def _ignored(line: int, value: str, target: str) -> str:
    """How a conflict names an ignored pragma of a wrapped file."""
    stay = "OFF" if value == "ON" else "ON"
    return (
        f"line {line}: PRAGMA foreign_keys = {value} is ignored, keys stay {stay}: {target} "
        "runs this file in one transaction"
    )


@pytest.mark.parametrize(
    ("target", "code", "line", "value", "why", "exit_code"),
    [
        # planted: the ignored OFF lets the DROP cascade (keys stay on): still an error
        ("sqlx", "MH102", 1, "OFF", "honoured, albums keeps", 1),
        # twin: the trailing ON is ignored where keys stay off, as the set has them: a note
        ("golang-migrate", "MH108", 6, "ON", "nothing after it in the file depends on keys", 0),
    ],
    ids=["keys-on-ignored-off-cascades", "keys-off-trailing-on"],
)
def test_a_rebuild_is_an_error_only_where_its_ignored_pragma_keeps_keys_on(
    migration_set: MigrationSetFactory,
    target: str,
    code: str,
    line: int,
    value: str,
    why: str,
    exit_code: int,
) -> None:
    root = migration_set({1: (PARENT_CHILD, None), 2: (REBUILD, None)}, layout="wrangler")
    run = check(root, target)
    (conflict,) = conflicts(run)
    assert conflict.code == code
    assert _ignored(line, value, target) in conflict.message
    assert why in conflict.message
    # the other pragma asks for the value in effect: no part of the finding
    other = "ON" if value == "OFF" else "OFF"
    assert not [d for d in conflict.details if f"foreign_keys = {other}" in d]
    assert run.exit_code == exit_code


def test_an_on_that_later_statements_run_without_is_a_warning(
    migration_set: MigrationSetFactory,
) -> None:
    root = migration_set({1: (PARENT_CHILD, None), 2: (ON_BETWEEN, None)}, layout="wrangler")
    (conflict,) = conflicts(check(root, "golang-migrate"))
    assert (conflict.code, conflict.severity) == ("MH103", "warning")
    assert "keys stay OFF" in conflict.message
    assert "as the set runs every file: not an error" in conflict.message


def test_off_on_a_keys_off_set_is_nothing(migration_set: MigrationSetFactory) -> None:
    up = "PRAGMA foreign_keys = OFF;\nDROP TABLE albums;\n"
    root = migration_set({1: (PARENT_CHILD, None), 2: (up, None)}, layout="wrangler")
    assert conflicts(check(root, "golang-migrate")) == []


def test_on_on_a_keys_on_set_is_nothing(migration_set: MigrationSetFactory) -> None:
    up = "PRAGMA foreign_keys = ON;\nDELETE FROM artists WHERE id = 0;\n"
    root = migration_set({1: (PARENT_CHILD, None), 2: (up, None)}, layout="wrangler")
    assert conflicts(check(root, "sqlx")) == []


def test_an_on_a_honoured_off_left_ignored_is_found(migration_set: MigrationSetFactory) -> None:
    # The file hands keys off outside sqlx's transaction (honoured), then asks for them on
    # inside its own BEGIN (ignored): keys stay OFF past the file, unlike the set's ON.
    up = (
        "COMMIT;\nPRAGMA foreign_keys = OFF;\nBEGIN;\n"
        "DELETE FROM artists WHERE id = 0;\nPRAGMA foreign_keys = ON;\n"
    )
    root = migration_set({1: (PARENT_CHILD, None), 2: (up, None)}, layout="wrangler")
    (conflict,) = conflicts(check(root, "sqlx"))
    assert (
        "line 5: PRAGMA foreign_keys = ON is ignored, keys stay OFF: SQLite ignores it inside "
        "the transaction the file's own BEGIN opens" in conflict.message
    )
    assert conflict.code == "MH103"  # not the set's own setting: no note


# --- severity: an ignored ON is never escalated, whatever the counterfactual says ----------


def _classified(root: Path, target: str, message: str) -> Finding:
    mset = discover(root)
    label = mset.migrations[1].label
    conflict = Finding("runner_conflict", label, message, direction="apply", check="apply")
    effect = Finding("data_loss", label, "rows lost", direction="apply", check="apply_keeps_data")

    def differs(_conflict: Finding, _effect: Finding) -> str:
        return "honoured, albums keeps 3 rows (0 under the runner)"

    (found,) = classify([conflict], mset, TARGETS[target], related=[effect], counterfactual=differs)
    return found


def test_an_ignored_on_whose_honoured_run_differs_stays_a_warning(
    migration_set: MigrationSetFactory,
) -> None:
    root = migration_set({1: (PARENT_CHILD, None), 2: (ON_BETWEEN, None)}, layout="wrangler")
    assert _classified(root, "golang-migrate", "ON ignored").code == "MH103"


def test_an_ignored_off_whose_honoured_run_differs_is_an_error(
    migration_set: MigrationSetFactory,
) -> None:
    root = migration_set({1: (PARENT_CHILD, None), 2: (REBUILD, None)}, layout="wrangler")
    assert _classified(root, "sqlx", "OFF ignored").code == "MH102"


# --- lint MH301: the same analysis --------------------------------------------------------


def _mh301(root: Path, target: str) -> list[int | None]:
    findings = lint_set(discover(root), TARGETS[target])
    return [f.line for f in findings if f.code == "MH301"]


@pytest.mark.parametrize(
    ("up", "target", "lines"),
    [
        (REBUILD, "d1", [1]),  # OFF on D1: keys stay on, the DROP cascades
        (REBUILD, "sqlx", [1]),  # the same under sqlx's transaction; its ON asks for ON
        (REBUILD, "golang-migrate", []),  # OFF as in effect; the trailing ON is a no-op
        (ON_BETWEEN, "golang-migrate", [3]),  # the second rebuild runs with keys off
        ("PRAGMA foreign_keys = ON;\nDELETE FROM artists WHERE id = 0;\n", "sqlx", []),
    ],
    ids=["d1-off", "sqlx-off", "keys-off-trailing-on", "keys-off-on-between", "keys-on-on"],
)
def test_lint_flags_only_the_pragmas_that_change_something(
    migration_set: MigrationSetFactory, up: str, target: str, lines: list[int]
) -> None:
    root = migration_set({1: (PARENT_CHILD, None), 2: (up, None)}, layout="wrangler")
    assert _mh301(root, target) == lines


# --- the analysis itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "on"),
    [("ON", True), ("off", False), ("1", True), ("0", False), ("'yes'", True),
     ("256", False), ("0x1", True), ("+1", True), ("full", False), ("typo", False)],
)  # fmt: skip
def test_a_pragma_value_is_read_as_sqlite_reads_it(value: str, on: bool) -> None:
    assert keys_value(Statement(f"PRAGMA foreign_keys = {value};", 1)) is on


def test_a_query_of_the_pragma_sets_nothing() -> None:
    assert keys_value(Statement("PRAGMA foreign_keys;", 1)) is None


def test_only_honoured_pragmas_change_the_value_in_effect() -> None:
    statements = split_statements(
        "PRAGMA foreign_keys = OFF;\nCOMMIT;\nPRAGMA foreign_keys = OFF;\nBEGIN;\nSELECT 1;\n"
    )
    open_at = open_before(statements, wrapped=True)[:-1]
    values = keys_in_effect(statements, open_at, True, always_on=False)
    assert values == (True, True, True, False, False, False)
    assert keys_in_effect(statements, open_at, True, always_on=True)[-1] is True


def test_a_pragma_is_inert_only_when_nothing_after_it_depends_on_keys() -> None:
    def inert(tail: str) -> bool:
        statements = split_statements(f"PRAGMA foreign_keys = ON;\n{tail}")
        open_at = open_before(statements, wrapped=True)[:-1]
        (ignored,) = ignored_pragmas(statements, open_at, False, always_on=False)
        return ignored.inert

    assert inert("CREATE INDEX i ON artists (name);\nPRAGMA foreign_key_check;\n")
    assert inert("DROP INDEX i;\nCREATE VIEW v AS SELECT 1;\n")
    assert not inert("DROP TABLE artists;\n")
    assert not inert("ALTER TABLE albums ADD COLUMN a INTEGER REFERENCES artists(id) DEFAULT 1;\n")
    assert not inert("CREATE INDEX i ON artists (name);\nDELETE FROM artists;\n")
