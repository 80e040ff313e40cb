"""checks.severity and checks.intent: a finding's code is what it means under the runner.

Each rule has its twin: the same fact as an error where production can go wrong, and as a
note or warning where the runner or the file's own words make it harmless.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.report.findings import CheckRun, Finding
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS, Target, with_applied

MigrationSetFactory = Callable[..., Path]
PLAIN = {
    1: ("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);", None),
    2: ("CREATE INDEX users_email ON users(email);", None),
}


def check(
    root: Path, target: Target, checks: list[str], config: SetConfig | None = None
) -> CheckRun:
    return check_set(discover(root), target, checks=checks, config=config)


def codes(run: CheckRun, kind: str) -> set[str]:
    return {f.code for f in run.findings if f.kind == kind}


def only(run: CheckRun, kind: str) -> Finding:
    (finding,) = [f for f in run.findings if f.kind == kind]
    return finding


# --- not_idempotent ----------------------------------------------------------------------


def test_a_tracked_runner_makes_a_second_run_a_note(migration_set: MigrationSetFactory) -> None:
    root = migration_set(PLAIN, layout="wrangler")
    run = check(root, TARGETS["d1"], ["idempotent"])
    assert codes(run, "not_idempotent") == {"MH112"}
    assert all("recorded by wrangler d1 migrations apply" in f.message for f in run.findings)
    assert run.exit_code == 0


def test_the_same_files_applied_untracked_are_errors(migration_set: MigrationSetFactory) -> None:
    root = migration_set(PLAIN, layout="wrangler")
    run = check(root, with_applied(TARGETS["d1"], "untracked"), ["idempotent"])
    assert codes(run, "not_idempotent") == {"MH111"}
    assert len(run.failing) == 2
    assert run.exit_code == 1


def test_plain_sqlite_files_are_untracked_by_default() -> None:
    assert not TARGETS["sqlite"].tracked
    assert all(t.tracked for name, t in TARGETS.items() if name != "sqlite")


GOOSE = """-- +goose Up
{marker}CREATE TABLE users (id INTEGER PRIMARY KEY);
-- +goose Down
DROP TABLE users;
"""


@pytest.mark.parametrize(
    ("marker", "code"), [("-- +goose NO TRANSACTION\n", "MH111"), ("", "MH112")]
)
def test_a_file_outside_a_transaction_can_run_twice_even_when_tracked(
    tmp_path: Path, marker: str, code: str
) -> None:
    (tmp_path / "00001_users.sql").write_text(GOOSE.format(marker=marker))
    run = check(tmp_path, TARGETS["goose"], ["idempotent"])
    assert codes(run, "not_idempotent") == {code}
    if code == "MH111":
        assert "runs outside a transaction under goose" in only(run, "not_idempotent").message


# --- missing_rollback --------------------------------------------------------------------

T1 = ("CREATE TABLE IF NOT EXISTS a (id INTEGER PRIMARY KEY);", "DROP TABLE a;")
T2 = ("CREATE TABLE IF NOT EXISTS b (id INTEGER PRIMARY KEY);", "DROP TABLE b;")
T3 = ("CREATE TABLE IF NOT EXISTS c (id INTEGER PRIMARY KEY);", None)


def test_a_set_that_keeps_rollbacks_makes_a_missing_one_an_error(
    migration_set: MigrationSetFactory,
) -> None:
    run = check(migration_set({1: T1, 2: T2, 3: T3}), TARGETS["sqlite"], ["rollback"])
    assert codes(run, "missing_rollback") == {"MH121"}
    assert run.exit_code == 1


def test_a_mostly_forward_set_makes_a_missing_rollback_a_note(
    migration_set: MigrationSetFactory,
) -> None:
    files = {1: T1, 2: (T2[0], None), 3: T3}
    run = check(migration_set(files), TARGETS["sqlite"], ["rollback"])
    assert codes(run, "missing_rollback") == {"MH122"}
    assert run.exit_code == 0


def test_the_rollback_policy_overrides_the_count(migration_set: MigrationSetFactory) -> None:
    files = {1: T1, 2: (T2[0], None), 3: T3}
    config = SetConfig(rollback_policy="required")
    run = check(migration_set(files), TARGETS["sqlite"], ["rollback"], config)
    assert codes(run, "missing_rollback") == {"MH121"}


def test_a_rollback_that_says_it_is_irreversible_is_a_note(
    migration_set: MigrationSetFactory,
) -> None:
    down = "-- Irreversible by design: the imported rows cannot be told apart afterwards.\n"
    run = check(migration_set({1: T1, 2: (T2[0], down)}), TARGETS["sqlite"], ["rollback"])
    finding = only(run, "missing_rollback")
    assert finding.code == "MH123"
    assert finding.file == "rollbacks/0002_rollback.sql"


# --- data_loss ---------------------------------------------------------------------------

REBUILD = """CREATE TABLE contacts_new (id INTEGER PRIMARY KEY, phone {type});
INSERT INTO contacts_new (id, phone) SELECT id, {expression} FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_new RENAME TO contacts;
"""
CONTACTS = "CREATE TABLE contacts (id INTEGER PRIMARY KEY, phone TEXT);"


def rebuild_run(migration_set: MigrationSetFactory, expression: str, type_: str) -> CheckRun:
    up = REBUILD.format(expression=expression, type=type_)
    root = migration_set({1: (CONTACTS, None), 2: (up, None)}, layout="wrangler")
    return check(root, TARGETS["sqlite"], ["apply_keeps_data"])


def test_a_declared_rewrite_is_a_warning_naming_the_expression(
    migration_set: MigrationSetFactory,
) -> None:
    run = rebuild_run(migration_set, "COALESCE(phone, '')", "TEXT NOT NULL")
    finding = only(run, "data_loss")
    assert finding.code == "MH142"
    assert "contacts.phone = COALESCE(phone, '')" in finding.message
    assert run.exit_code == 0


@pytest.mark.parametrize(
    ("expression", "type_"),
    [
        ("CAST(phone AS INTEGER)", "INTEGER"),  # '+1 415 555 0101' -> 1
        ("substr(phone, 1, 3)", "TEXT"),  # text cut
        ("NULLIF(phone, '')", "TEXT"),  # a value becomes NULL
    ],
)
def test_a_declared_rewrite_that_destroys_values_stays_an_error(
    migration_set: MigrationSetFactory, expression: str, type_: str
) -> None:
    run = rebuild_run(migration_set, expression, type_)
    assert codes(run, "data_loss") == {"MH141"}
    assert run.exit_code == 1


def test_an_undeclared_change_stays_an_error(migration_set: MigrationSetFactory) -> None:
    run = rebuild_run(migration_set, "phone", "INTEGER")  # affinity, not the file's words
    assert codes(run, "data_loss") == {"MH141"}


def test_a_table_recreated_empty_is_an_error(migration_set: MigrationSetFactory) -> None:
    up = "DROP TABLE contacts;\nCREATE TABLE contacts (id INTEGER PRIMARY KEY, phone TEXT);\n"
    root = migration_set({1: (CONTACTS, None), 2: (up, None)}, layout="wrangler")
    run = check(root, TARGETS["sqlite"], ["apply_keeps_data"])
    assert codes(run, "data_loss") == {"MH141"}


# --- runner_conflict and locations ---------------------------------------------------------


PARENT_CHILD = """CREATE TABLE artists (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE albums (
    id INTEGER PRIMARY KEY,
    artist_id INTEGER NOT NULL REFERENCES artists(id) ON DELETE CASCADE
);
"""
KEYS_OFF_REBUILD = """PRAGMA foreign_keys = OFF;
CREATE TABLE artists_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (name <> ''));
INSERT INTO artists_new (id, name) SELECT id, name FROM artists;
DROP TABLE artists;
ALTER TABLE artists_new RENAME TO artists;
PRAGMA foreign_keys = ON;
"""


def test_an_ignored_pragma_that_lets_a_drop_cascade_is_an_error(
    migration_set: MigrationSetFactory,
) -> None:
    root = migration_set({1: (PARENT_CHILD, None), 2: (KEYS_OFF_REBUILD, None)}, layout="wrangler")
    run = check(root, TARGETS["d1"], ["apply", "apply_keeps_data"])
    conflict = only(run, "runner_conflict")
    assert conflict.code == "MH102"
    # Honoured, the OFF keeps the DROP from cascading: the albums survive.
    assert "honoured, albums keeps" in conflict.message
    assert "data_loss" in {f.kind for f in run.findings}


def test_a_trailing_pragma_beside_an_unrelated_failure_is_a_warning(
    migration_set: MigrationSetFactory,
) -> None:
    # golang-migrate (keys off) ignores the trailing ON inside its transaction, and nothing
    # after it depends on it; the file fails for a reason of its own, which stays an error.
    up = (
        "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);\n"
        "INSERT INTO tags (id, name) VALUES (1, 'a'), (1, 'b');\n"
        "PRAGMA foreign_keys = ON;\n"
    )
    root = migration_set({1: (PARENT_CHILD, None), 2: (up, None)}, layout="wrangler")
    run = check(root, TARGETS["golang-migrate"], ["apply", "apply_keeps_data"])
    conflict = only(run, "runner_conflict")
    assert conflict.code == "MH103"
    assert "ends the same with the file honoured" in conflict.message
    assert {f.code for f in run.findings if f.kind == "apply_error"} == {"MH101"}


def test_codes_are_decided_once_per_finding_and_keep_the_kind() -> None:
    finding = Finding("not_idempotent", "0001_a", "x", code="MH112")
    assert finding.severity == "note"
    with pytest.raises(ValueError, match="not a data_loss code"):
        dataclasses.replace(finding, kind="data_loss")


def test_a_failing_statement_is_located_in_its_file(migration_set: MigrationSetFactory) -> None:
    root = migration_set(
        {1: ("-- users\n\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n", None)},
        layout="wrangler",
    )
    finding = only(check(root, TARGETS["sqlite"], ["idempotent"]), "not_idempotent")
    assert finding.file == "migrations/0001_m0001.sql"
    assert finding.line == 3
    assert finding.statement is not None
    assert finding.statement.startswith("CREATE TABLE users")


# --- what destroys a value ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "destroyed"),
    [
        ("x", None, True),  # a value became NULL
        (None, "", False),  # COALESCE fills a NULL
        ("+1 415 555 0101", 1, True),  # CAST to INTEGER
        ("42", 42, False),  # text that reads as the number
        ("Jonathan", "Jon", True),  # text cut
        (" padded ", "padded", False),  # trimmed, not cut
        (2.5, 2, True),  # fraction lost
        (1, "active", False),  # a code mapped to a word
    ],
)
def test_destroys(old: object, new: object, destroyed: bool) -> None:
    from migration_harness.checks.intent import destroys
    from migration_harness.data.rows import Change

    assert destroys(Change("t", "c", old, new)) is destroyed  # type: ignore[arg-type]


def test_distinct_values_that_become_one_are_a_collapse() -> None:
    from migration_harness.data.rows import Rows, compare
    from migration_harness.schema.model import schema_from_sql

    def rows(*emails: str) -> Rows:
        return {"u": (("id", "email"), [(i, e) for i, e in enumerate(emails, start=1)])}

    schema = schema_from_sql("CREATE TABLE u (id INTEGER PRIMARY KEY, email TEXT);")
    loss = compare(rows("A@x", "a@x"), schema, rows("a@x", "a@x"), schema)
    assert loss.collapsed == {("u", "email")}
    swapped = compare(rows("A@x", "a@x"), schema, rows("a@x", "A@x"), schema)
    assert swapped.collapsed == frozenset()
