"""checks.severity and checks.intent: a finding's code is what it means under the runner.

Each rule has its twin: the same fact as an error where production can go wrong, and as a
note or warning where the runner or the file's own words make it harmless.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.report.findings import CheckRun, Finding
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.overrides import with_applied
from migration_harness.sets.targets import TARGETS, Target

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
{marker}CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
{more}-- +goose Down
DROP TABLE users;
"""
INDEX = "CREATE INDEX users_name ON users (name);\n"
NO_TX = "-- +goose NO TRANSACTION\n"


@pytest.mark.parametrize(
    ("marker", "more", "code"),
    [(NO_TX, INDEX, "MH112"), ("", INDEX, "MH112"), (NO_TX, "", "MH112")],
    ids=["unwrapped-new-table", "wrapped", "one-statement"],
)
def test_a_file_that_cannot_stop_half_way_is_a_note(
    tmp_path: Path, marker: str, more: str, code: str
) -> None:
    """Wrapped, or unable to fail after its first statement: only a run by hand repeats it.

    A file of one statement has no half: SQLite applies the statement whole or not at
    all. Nor has a table and an index on it (the table is empty, the index fails on no
    row): goose's next run after a failure at the CREATE TABLE finds nothing of it.
    """
    (tmp_path / "00001_users.sql").write_text(GOOSE.format(marker=marker, more=more))
    run = check(tmp_path, TARGETS["goose"], ["idempotent"])
    assert codes(run, "not_idempotent") == {code}
    message = only(run, "not_idempotent").message
    if marker and more:
        assert "no statement after its first statement can fail on the rows" in message
    if marker and not more:
        assert "its single statement" in message


ACCOUNTS = """-- +goose Up
CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT);
-- +goose Down
DROP TABLE accounts;
"""
USERS_FROM_ACCOUNTS = """-- +goose Up
-- +goose NO TRANSACTION
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO users (id, name) SELECT id, name FROM accounts;
CREATE UNIQUE INDEX users_name ON users (name);
-- +goose Down
DROP TABLE users;
"""


def test_a_file_outside_a_transaction_can_run_twice_even_when_tracked(tmp_path: Path) -> None:
    """Unwrapped, a failure at the index leaves the table for goose's next run to repeat.

    The UNIQUE index meets the accounts production copied in: two alike names fail it
    after users exists, nothing is recorded, and goose runs the file again on its next
    start, where CREATE TABLE users fails.
    """
    (tmp_path / "00001_accounts.sql").write_text(ACCOUNTS)
    (tmp_path / "00002_users.sql").write_text(USERS_FROM_ACCOUNTS)
    run = check(tmp_path, TARGETS["goose"], ["idempotent"])
    (finding,) = [
        f for f in run.findings if f.kind == "not_idempotent" and f.migration == "00002_users"
    ]
    assert finding.code == "MH111"
    assert "runs outside a transaction under goose" in finding.message


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


BACKFILL = "INSERT OR IGNORE INTO a (id) VALUES (1);\nUPDATE a SET id = id WHERE id = 1;\n"
SCRATCH = (
    "CREATE {temp}TABLE ids (n INTEGER);\nCREATE INDEX ids_n ON ids(n);\n"
    "INSERT INTO ids VALUES (4);\nINSERT OR IGNORE INTO a (id) SELECT n FROM ids;\n{drop}"
)


@pytest.mark.parametrize(
    ("up", "code"),
    [
        (BACKFILL, "MH125"),  # arcane 035_backfill_missing_settings: only rows change
        ("REPLACE INTO a (id) VALUES (2);\nDELETE FROM a WHERE id = 3;\n", "MH125"),
        (BACKFILL + "CREATE INDEX a_id ON a(id);\n", "MH121"),  # the index needs undoing
        # scratch objects and pragmas leave the schema as it was
        (SCRATCH.format(temp="TEMP ", drop="DROP TABLE ids;\n"), "MH125"),
        (SCRATCH.format(temp="TEMP ", drop=""), "MH125"),
        (SCRATCH.format(temp="", drop="DROP TABLE ids;\n"), "MH125"),
        ("PRAGMA defer_foreign_keys = ON;\n" + BACKFILL, "MH125"),
        (SCRATCH.format(temp="", drop=""), "MH121"),  # the table ids stays
        (SCRATCH.format(temp="TEMP ", drop="DROP TABLE b;\n"), "MH121"),
    ],
)
def test_a_data_only_migration_without_rollback_is_a_note(
    migration_set: MigrationSetFactory, up: str, code: str
) -> None:
    run = check(migration_set({1: T1, 2: T2, 3: (up, None)}), TARGETS["sqlite"], ["rollback"])
    finding = only(run, "missing_rollback")
    assert finding.code == code
    if code == "MH125":
        assert "data-only migration; nothing in the schema to undo" in finding.message
        assert run.exit_code == 0


@pytest.mark.parametrize(
    ("down", "code"),
    [
        (
            "-- Irreversible by design: the imported rows cannot be told apart afterwards.\n",
            "MH123",
        ),
        # pocket-id 20251001115300_optional_email.down.sql
        ("-- No-op because email was optional before the migration", "MH123"),
        ("-- noop\n", "MH123"),
        ("-- Nothing to undo: the column keeps its values.\n", "MH123"),
        # the twins: an empty rollback that says nothing of the kind is missing
        ("-- TODO: write the rollback\n", "MH121"),
        ("-- drop the noopener column\n", "MH121"),
    ],
)
def test_a_rollback_that_says_it_is_irreversible_is_a_note(
    migration_set: MigrationSetFactory, down: str, code: str
) -> None:
    run = check(migration_set({1: T1, 2: (T2[0], down)}), TARGETS["sqlite"], ["rollback"])
    finding = only(run, "missing_rollback")
    assert finding.code == code
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
        ("NULL", "TEXT"),  # a phone number becomes NULL, kept nowhere
        # the shrunk example shows '' becoming NULL; the expression also nulls real numbers
        ("CASE WHEN phone = '' OR phone LIKE '%5%' THEN NULL ELSE phone END", "TEXT"),
    ],
)
def test_a_declared_rewrite_that_destroys_values_stays_an_error(
    migration_set: MigrationSetFactory, expression: str, type_: str
) -> None:
    run = rebuild_run(migration_set, expression, type_)
    assert codes(run, "data_loss") == {"MH141"}
    assert run.exit_code == 1


def test_blank_text_that_becomes_null_is_a_declared_rewrite(
    migration_set: MigrationSetFactory,
) -> None:
    # stash 39_performer_height: CASE height WHEN '' THEN NULL; '' and NULL both say "empty"
    run = rebuild_run(migration_set, "NULLIF(phone, '')", "TEXT")
    assert codes(run, "data_loss") == {"MH142"}


def test_a_rewrite_that_casts_text_to_numbers_says_what_it_destroys(
    migration_set: MigrationSetFactory,
) -> None:
    # stash 39_performer_height's shape: the example shrinks to '' -> NULL, but the ELSE
    # makes any height that is not a number (5'11") a number
    expression = "CASE phone WHEN '' THEN NULL ELSE CAST(phone AS INT) END"
    run = rebuild_run(migration_set, expression, "INTEGER")
    finding = only(run, "data_loss")
    assert finding.code == "MH141"
    assert "turns text that is no number into one" in finding.message


def test_the_values_the_application_writes_make_a_cast_a_rewrite(
    migration_set: MigrationSetFactory,
) -> None:
    # stash 8_movie_fix's CAST(scene_index AS tinyint): told which values the application
    # writes (pools), the cast keeps them apart
    from click.testing import CliRunner

    from migration_harness.cli import cli

    up = REBUILD.format(expression="CAST(phone AS INTEGER)", type="INTEGER")
    root = migration_set({1: (CONTACTS, None), 2: (up, None)}, layout="wrangler")
    args = ["check", str(root), "--no-regressions", "--checks", "apply_keeps_data"]
    assert CliRunner().invoke(cli, args).exit_code == 1
    # '1.0' -> 1 is a rewrite the CAST makes ('1' -> 1 would only be respelled: no change)
    (root / "pyproject.toml").write_text(
        '[tool.migration-harness.columns]\npools = { "contacts.phone" = ["1.0", "2.0", "10.0"] }\n'
    )
    hinted = CliRunner().invoke(cli, [*args, "--json", str(root / "out.json")])
    assert hinted.exit_code == 0, hinted.output
    assert "MH142" in (root / "out.json").read_text()


KEYLESS = "CREATE TABLE movies_scenes (movie_id INTEGER, scene_id INTEGER, scene_index TEXT);"
KEYLESS_UP = """ALTER TABLE movies_scenes RENAME TO _movies_scenes_old;
CREATE TABLE movies_scenes (movie_id INTEGER, scene_id INTEGER, scene_index tinyint);
INSERT INTO movies_scenes (movie_id, scene_id, scene_index)
    SELECT movie_id, scene_id, CAST(scene_index AS tinyint) FROM _movies_scenes_old;
DROP TABLE _movies_scenes_old;
"""


@pytest.mark.parametrize(("pools", "code"), [(True, "MH142"), (False, "MH141")])
def test_a_cast_in_the_copy_of_a_table_without_a_key_is_judged_as_a_rewrite(
    migration_set: MigrationSetFactory, pools: bool, code: str
) -> None:
    """stash 8_movie_fix: ``movies_scenes`` has no key, so a changed ``scene_index`` read
    as a lost row, and a lost row is never a declared rewrite. Matched to its new self,
    it is judged like a keyed row: told the values the application writes the CAST keeps
    apart, it is MH142; on any text ('x' becomes 0) it stays MH141.
    """
    from click.testing import CliRunner

    from migration_harness.cli import cli

    root = migration_set({1: (KEYLESS, None), 2: (KEYLESS_UP, None)}, layout="wrangler")
    if pools:  # values the CAST rewrites ('1.0' -> 1) and keeps apart
        (root / "pyproject.toml").write_text(
            "[tool.migration-harness.columns]\n"
            'pools = { "movies_scenes.scene_index" = ["1.0", "2.0", "10.0"] }\n'
        )
    args = ["check", str(root), "--no-regressions", "--checks", "apply_keeps_data"]
    result = CliRunner().invoke(cli, [*args, "--json", str(root / "out.json")])
    report = json.loads((root / "out.json").read_text())
    found = {f["code"] for f in report["findings"] if f["kind"] == "data_loss"}
    assert found == {code}, result.output
    assert "scene_index changed" in result.output


PRIORITY = "CREATE TABLE events (id INTEGER PRIMARY KEY, priority TEXT NOT NULL{check});"
PRIORITY_UP = """CREATE TABLE events_new (id INTEGER PRIMARY KEY, priority INTEGER NOT NULL);
INSERT INTO events_new (id, priority) SELECT id, CASE LOWER(priority)
    WHEN 'low' THEN 2 WHEN 'normal' THEN {normal} WHEN 'high' THEN 8 ELSE 5 END FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
"""
ALLOWED = " CHECK (priority IN ('low', 'normal', 'high'))"


@pytest.mark.parametrize(
    ("check_", "normal", "code"),
    [
        (ALLOWED, 5, "MH142"),  # rust-srec priority_to_integer: one number per allowed word
        (ALLOWED, 2, "MH141"),  # 'low' and 'normal' both become 2
        ("", 5, "MH141"),  # no CHECK: any other word falls into ELSE 5 with 'normal'
    ],
)
def test_a_mapping_is_a_rewrite_only_when_it_keeps_every_allowed_value_apart(
    migration_set: MigrationSetFactory, check_: str, normal: int, code: str
) -> None:
    up = PRIORITY_UP.format(normal=normal)
    root = migration_set({1: (PRIORITY.format(check=check_), None), 2: (up, None)})
    run = check(root, TARGETS["sqlite"], ["apply_keeps_data"])
    assert codes(run, "data_loss") == {code}


MOVE = """CREATE TABLE segments_new (id INTEGER PRIMARY KEY, created_at INTEGER,
    persisted_at INTEGER{constraint});
INSERT INTO segments_new (id, created_at, persisted_at) SELECT id, NULL, {source} FROM segments;
DROP TABLE segments;
ALTER TABLE segments_new RENAME TO segments;
"""


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("created_at", "MH142"),  # rust-srec 20260321233000: moved to persisted_at
        ("0", "MH141"),  # created_at nulled, its value kept nowhere
    ],
)
def test_a_value_moved_to_another_column_of_the_row_is_not_lost(
    migration_set: MigrationSetFactory, source: str, code: str
) -> None:
    segments = "CREATE TABLE segments (id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL);"
    up = MOVE.format(constraint="", source=source)
    run = check(
        migration_set({1: (segments, None), 2: (up, None)}),
        TARGETS["sqlite"],
        ["apply_keeps_data"],
    )
    assert codes(run, "data_loss") == {code}
    if code == "MH142":
        assert "moves to persisted_at" in only(run, "data_loss").message


def test_an_undeclared_change_stays_an_error(migration_set: MigrationSetFactory) -> None:
    run = rebuild_run(migration_set, "phone", "INTEGER")  # affinity, not the file's words
    assert codes(run, "data_loss") == {"MH141"}


RECREATE = """CREATE TABLE contacts_backup AS SELECT * FROM contacts;
DROP TABLE contacts;
CREATE TABLE contacts (id INTEGER PRIMARY KEY, phone INTEGER);
INSERT INTO contacts SELECT * FROM contacts_backup;
DROP TABLE contacts_backup;
"""


def test_a_table_recreated_by_name_with_a_new_affinity_still_loses_leading_zeros(
    migration_set: MigrationSetFactory,
) -> None:
    # The twin of test_an_undeclared_change_stays_an_error: the same affinity change, but
    # the file drops contacts and creates it again by name. The file declares the new
    # table, yet INTEGER affinity turns the phone '007' into 7: the number no longer says
    # what the text did, so it stays MH141 (it was MH142 while '007' "read as" 7).
    root = migration_set({1: (CONTACTS, None), 2: (RECREATE, None)}, layout="wrangler")
    run = check(root, TARGETS["sqlite"], ["apply_keeps_data"])
    finding = only(run, "data_loss")
    assert finding.code == "MH141"
    assert any("phone changed from '0" in d for d in finding.details)


RECREATE_EMPTY = (
    "DROP TABLE contacts;\nCREATE TABLE contacts (id INTEGER PRIMARY KEY, phone TEXT);\n"
)


def test_a_table_recreated_empty_by_name_is_a_declared_change(
    migration_set: MigrationSetFactory,
) -> None:
    """wildebeest 0007, gophish 0.1.2: the file says the rows go (MH141 before)."""
    root = migration_set({1: (CONTACTS, None), 2: (RECREATE_EMPTY, None)}, layout="wrangler")
    run = check(root, TARGETS["sqlite"], ["apply_keeps_data"])
    finding = only(run, "data_loss")
    assert (finding.code, finding.severity) == ("MH142", "warning")
    assert "DROP TABLE contacts … CREATE TABLE contacts: the file re-creates it empty" in (
        finding.message
    )


@pytest.mark.parametrize(
    "first",
    [
        "CREATE TABLE contacts_backup AS SELECT * FROM contacts;",  # copied out, never back
        "ALTER TABLE contacts RENAME TO contacts_old;",  # kept under another name
        "INSERT INTO archive SELECT * FROM contacts;",  # copied into another table
        "UPDATE archive SET phone = (SELECT max(phone) FROM contacts);",  # read by an UPDATE
    ],
)
def test_a_table_whose_rows_the_file_reads_first_stays_an_error(
    migration_set: MigrationSetFactory, first: str
) -> None:
    archive = "CREATE TABLE archive (id INTEGER PRIMARY KEY, phone TEXT);"
    up = f"{first}\nDROP TABLE IF EXISTS contacts;\n" + RECREATE_EMPTY.split("\n", 1)[1]
    root = migration_set({1: (CONTACTS + archive, None), 2: (up, None)}, layout="wrangler")
    run = check(root, TARGETS["sqlite"], ["apply_keeps_data"])
    assert codes(run, "data_loss") == {"MH141"}


def test_a_copy_out_and_back_that_loses_rows_stays_an_error(
    migration_set: MigrationSetFactory,
) -> None:
    up = (
        "CREATE TABLE kept AS SELECT * FROM contacts WHERE phone IS NOT NULL;\n"
        + RECREATE_EMPTY
        + "INSERT INTO contacts SELECT * FROM kept;\nDROP TABLE kept;\n"
    )
    root = migration_set({1: (CONTACTS, None), 2: (up, None)}, layout="wrangler")
    run = check(root, TARGETS["sqlite"], ["apply_keeps_data"])
    assert codes(run, "data_loss") == {"MH141"}


def test_a_rollback_that_recreates_a_table_empty_stays_an_error(
    migration_set: MigrationSetFactory,
) -> None:
    """A rollback's job is to restore the rows: re-creating the table empty is the bug."""
    up = "ALTER TABLE contacts ADD COLUMN email TEXT;"
    root = migration_set({1: (CONTACTS, None), 2: (up, RECREATE_EMPTY)})
    run = check(root, TARGETS["sqlite"], ["rollback_keeps_data"])
    assert codes(run, "data_loss") == {"MH141"}


def test_rows_the_drop_of_a_table_re_created_empty_cascades_to_are_declared_too(
    migration_set: MigrationSetFactory,
) -> None:
    """Emptying contacts on purpose takes its calls with it (ON DELETE CASCADE), as a
    ``DELETE FROM contacts`` would: the file's word, named (tests/test_emptied_on_purpose.py
    keeps the cascade MH141 where the file asked keys off or refills the table)."""
    calls = (
        "CREATE TABLE calls (id INTEGER PRIMARY KEY,"
        " contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE);"
        "CREATE INDEX calls_contact ON calls(contact_id);"
    )
    root = migration_set(
        {1: (CONTACTS + calls, None), 2: (RECREATE_EMPTY, None)}, layout="wrangler"
    )
    run = check(root, TARGETS["sqlite"], ["apply_keeps_data"])  # keys on: the DROP cascades
    by_table = {
        f.message.split(" of ")[1].split()[0].strip(",:"): f.code
        for f in run.findings
        if f.kind == "data_loss"
    }
    assert by_table == {"contacts": "MH142", "calls": "MH142"}


JOBS = """CREATE TABLE jobs (id INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('done', 'running')));
CREATE TABLE logs (id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE);
CREATE TABLE steps (id INTEGER PRIMARY KEY, job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL);
"""
CLEANUP = "DELETE FROM jobs WHERE status = 'done';\n"
# The same DELETE, but the jobs come back: the logs it took with them were not its purpose.
REFILL = """CREATE TABLE jobs_copy AS SELECT * FROM jobs;
DELETE FROM jobs;
INSERT INTO jobs SELECT * FROM jobs_copy;
DROP TABLE jobs_copy;
"""
# A rebuild's DROP TABLE cascades whatever the DELETE does (rust-srec 20260318, alook 0017).
REBUILD_JOBS = (
    CLEANUP
    + """CREATE TABLE jobs_new (id INTEGER PRIMARY KEY, status TEXT NOT NULL);
INSERT INTO jobs_new SELECT * FROM jobs;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
"""
)


@pytest.mark.parametrize(
    ("up", "code"),
    [
        (CLEANUP, "MH142"),
        (REFILL, "MH141"),
        (REBUILD_JOBS, "MH141"),
        # keys OFF: the file asked for no cascade; D1 ignores the pragma and cascades anyway
        ("PRAGMA foreign_keys=OFF;\n" + CLEANUP, "MH141"),
    ],
)
def test_rows_the_files_own_delete_cascades_to_are_a_declared_change(
    migration_set: MigrationSetFactory, up: str, code: str
) -> None:
    # rust-srec 20260723000000_backfill_job_pipeline_id: a documented cleanup of terminal jobs
    root = migration_set({1: (JOBS, None), 2: (up, None)}, layout="wrangler")
    run = check(root, TARGETS["d1"], ["apply_keeps_data"])
    losses = [f for f in run.findings if f.kind == "data_loss"]
    assert {f.code for f in losses} == {code}
    if code == "MH142":
        assert all("DELETE FROM jobs WHERE status = 'done'" in f.message for f in losses)


CALLS = "CREATE TABLE calls (id INTEGER PRIMARY KEY, audio_key TEXT, base64 TEXT);"
GUARD = """CREATE TEMP TABLE backfill_guard (ok INTEGER NOT NULL, CHECK (ok = 1));
INSERT INTO backfill_guard (ok) SELECT 0
WHERE EXISTS (SELECT 1 FROM calls WHERE audio_key IS NULL AND base64 IS NOT NULL);
DROP TABLE backfill_guard;
ALTER TABLE calls DROP COLUMN base64;
"""
# The same insert into a table that outlives the file: not a guard, a failing migration.
KEPT = GUARD.replace("CREATE TEMP TABLE", "CREATE TABLE").replace(
    "DROP TABLE backfill_guard;\n", ""
)
ALWAYS = GUARD.replace("WHERE EXISTS", "WHERE 1 OR EXISTS")  # refuses even an empty database


@pytest.mark.parametrize(
    ("up", "code"),
    [(GUARD, "MH105"), (KEPT, "MH101"), (ALWAYS, "MH101")],
)
def test_a_guard_that_refuses_the_data_is_a_warning(
    migration_set: MigrationSetFactory, up: str, code: str
) -> None:
    # kentcdodds 20260224171027_drop-call-base64: a preflight CHECK on a TEMP table
    root = migration_set({1: (CALLS, None), 2: (up, None)}, layout="wrangler")
    run = check(root, TARGETS["sqlite"], ["apply", "apply_keeps_data"])
    assert {f.code for f in run.findings if f.kind == "apply_error"} == {code}
    if code == "MH105":
        (finding,) = run.findings
        assert finding.message.startswith(
            "the file's own guard refused the data: CHECK constraint failed"
        )
        assert finding.message.endswith("the deploy stops until the data is fixed")
        assert run.exit_code == 0


def test_a_guard_in_a_rollback_is_a_warning(migration_set: MigrationSetFactory) -> None:
    # arcane 073_add_backup_support's Down: a NOT NULL insert into a table it drops again
    up = "ALTER TABLE calls ADD COLUMN format TEXT NOT NULL DEFAULT 'archive';"
    down = """CREATE TABLE downgrade_blocked (reason TEXT NOT NULL);
INSERT INTO downgrade_blocked (reason) SELECT NULL FROM calls WHERE format <> 'archive';
DROP TABLE downgrade_blocked;
ALTER TABLE calls DROP COLUMN format;
"""
    root = migration_set({1: (CALLS, "DROP TABLE calls;"), 2: (up, down)})
    run = check(root, TARGETS["sqlite"], ["rollback", "rollback_keeps_data"])
    (finding,) = [f for f in run.findings if f.kind == "rollback_error"]
    assert finding.code == "MH135"
    assert finding.message.endswith("the rollback stops until the data is fixed")


def test_raise_outside_a_trigger_is_no_guard(migration_set: MigrationSetFactory) -> None:
    up = "SELECT RAISE(ABORT, 'backfill first') WHERE EXISTS (SELECT 1 FROM calls);\n"
    root = migration_set({1: (CALLS, None), 2: (up, None)}, layout="wrangler")
    run = check(root, TARGETS["sqlite"], ["apply", "apply_keeps_data"])
    assert {f.code for f in run.findings if f.kind == "apply_error"} == {"MH101"}


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


def test_an_ignored_off_beside_an_unrelated_failure_is_a_warning(
    migration_set: MigrationSetFactory,
) -> None:
    # sqlx (keys on) ignores the OFF inside its transaction, and the albums' keys are
    # checked by the UPDATE; the file fails for a reason of its own (a duplicate key),
    # which stays an error and ends the same with keys off.
    up = (
        "PRAGMA foreign_keys = OFF;\n"
        "UPDATE albums SET artist_id = artist_id;\n"
        "CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);\n"
        "INSERT INTO tags (id, name) VALUES (1, 'a'), (1, 'b');\n"
    )
    root = migration_set({1: (PARENT_CHILD, None), 2: (up, None)}, layout="wrangler")
    run = check(root, TARGETS["sqlx"], ["apply", "apply_keeps_data"])
    conflict = only(run, "runner_conflict")
    assert conflict.code == "MH103"
    assert "ends the same with the file honoured" in conflict.message
    assert {f.code for f in run.findings if f.kind == "apply_error"} == {"MH101"}


@pytest.mark.parametrize(
    ("expression", "loss"),
    [
        # the stated rewrite is no effect at all: nothing to weigh
        ("COALESCE(phone, '')", "MH142"),
        # a truncation is a loss, the same with the keys off
        ("substr(phone, 1, 3)", "MH141"),
    ],
)
def test_a_rewrite_is_no_effect_of_an_ignored_pragma(
    migration_set: MigrationSetFactory, expression: str, loss: str
) -> None:
    # rust-srec 20260321233000: keys OFF around a rebuild nothing references; the only
    # change is the one the copy makes, which the pragma has no say in. Keys staying on
    # changes nothing there (no key points at contacts): no runner conflict either.
    up = REBUILD.format(expression=expression, type="TEXT")
    up = f"PRAGMA foreign_keys=OFF;\n{up}PRAGMA foreign_keys=ON;\n"
    root = migration_set({1: (CONTACTS, None), 2: (up, None)}, layout="wrangler")
    run = check(root, TARGETS["d1"], ["apply", "apply_keeps_data"])
    assert codes(run, "data_loss") == {loss}
    assert not [f for f in run.findings if f.kind == "runner_conflict"]


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
        ("007", 7, True),  # leading zeros are what a postal code or account number says
        ("0.5", 0.5, False),  # a zero before the point is the number's own
        ("1.50", 1.5, False),  # a fraction's trailing zero is formatting
        ("Jonathan", "Jon", True),  # text cut
        (" padded ", "padded", False),  # trimmed, not cut
        (2.5, 2, True),  # fraction lost
        (1, "active", False),  # a code mapped to a word
        ('{"a": 1, "b": "x"}', '{"a": 1}', True),  # a JSON member dropped
        ('{"colour": "red"}', '{"color": "red"}', False),  # a key renamed, its value kept
        ('{"a": 1}', '{"a": 1, "theme": "light"}', False),  # a member added
        (19.99, 1998, True),  # CAST(19.99 * 100 AS INTEGER): 1998.9999999999998 truncated
        (19.99, 1999, False),  # CAST(ROUND(19.99 * 100) AS INTEGER): the same amount in cents
        (0.01, 1, False),  # one cent, not 0.01 rounded up
        (0.29, 0, True),  # CAST(0.29 AS INTEGER): the cents lost
        (1999, 19, True),  # price_cents / 100: SQLite's integer division drops 99 cents
        (1999, 19.99, False),  # price_cents / 100.0
        (1900, 19, False),  # nothing after the point to lose
        (5, 0, False),  # max(stock - 10, 0): a small value, no division
        (-1999, -19, True),  # integer division truncates toward zero
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


def test_blank_text_merged_into_null_is_not_a_collapse() -> None:
    from migration_harness.data.rows import Rows, compare
    from migration_harness.schema.model import schema_from_sql

    schema = schema_from_sql("CREATE TABLE u (id INTEGER PRIMARY KEY, height TEXT);")
    before: Rows = {"u": (("id", "height"), [(1, ""), (2, None), (3, "180")])}
    blanked: Rows = {"u": (("id", "height"), [(1, None), (2, None), (3, "180")])}
    assert compare(before, schema, blanked, schema).collapsed == frozenset()
    merged: Rows = {"u": (("id", "height"), [(1, None), (2, None), (3, None)])}
    assert compare(before, schema, merged, schema).collapsed == {("u", "height")}


DBMATE_SEED = "-- migrate:up\n{up}\n-- migrate:down\n-- nothing to do here\n"


@pytest.mark.parametrize(
    ("up", "code"),
    [
        (SCRATCH.format(temp="TEMP ", drop="DROP TABLE ids;\n"), "MH125"),
        ("CREATE TABLE ids (n INTEGER);\nINSERT INTO ids VALUES (4);\n", "MH121"),
    ],
)
def test_a_dbmate_down_block_of_comments_is_a_missing_rollback(
    tmp_path: Path, up: str, code: str
) -> None:
    """dbmate runs a comment-only down block as a no-op Exec and deletes the version row.

    The same as an absent rollback elsewhere (docs/RUNNERS.md, dbmate): a note for a file
    that only changes rows, an error for one that leaves a table behind.
    """
    folder = tmp_path / "db" / "migrations"
    folder.mkdir(parents=True)
    first = "-- migrate:up\n{}\n-- migrate:down\n{}\n"
    (folder / "20240101000000_a.sql").write_text(first.format(*T1), encoding="utf-8")
    (folder / "20240102000000_b.sql").write_text(first.format(*T2), encoding="utf-8")
    (folder / "20240103000000_seed.sql").write_text(DBMATE_SEED.format(up=up), encoding="utf-8")
    run = check(folder, TARGETS["dbmate"], ["rollback"])
    assert only(run, "missing_rollback").code == code
