"""Ship groups beyond the forward draw: rollbacks, and keys rows had when they were written.

A rollback of ``k`` runs on rows of the deployed version above it, carried down by the
later files' rollbacks (vaultwarden's SSO migrations, one commit: the rollback of the
pkce file re-creates ``sso_nonce`` empty before the state file's rollback runs). A loss
in a table the group itself created is MH145, a warning; one in an older table stays
MH141. Forward, rows of an older table keep the foreign keys of the version deployed
before the group (alook 0068 strips a key that 0071 of the same commit restores). Each
test builds a real git repository in its tmp folder.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from migration_harness.checks.deploys import carried_tables, orphaned, thinned_tables
from migration_harness.checks.engine import Engine
from migration_harness.checks.run import check_set
from migration_harness.report.findings import CheckRun
from migration_harness.schema.model import introspect
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.shipgroups import ship_groups
from migration_harness.sets.targets import TARGETS
from tests.test_shipgroups import _git, needs_git

USERS = ("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);", "DROP TABLE users;")
NONCE = ("CREATE TABLE nonce (n TEXT NOT NULL PRIMARY KEY);", "DROP TABLE nonce;")
# Each re-creates nonce by name, both ways: its rollback loses the rows it meets.
STATE = (
    "DROP TABLE nonce;\nCREATE TABLE nonce (state TEXT NOT NULL PRIMARY KEY, n TEXT NOT NULL);",
    "DROP TABLE nonce;\nCREATE TABLE nonce (n TEXT NOT NULL PRIMARY KEY);",
)
PKCE = (
    "DROP TABLE nonce;\nCREATE TABLE nonce (state TEXT NOT NULL PRIMARY KEY, "
    "n TEXT NOT NULL, verifier TEXT);",
    STATE[0],
)
# A rollback that loses rows of users, a table deployed before the group.
USERS_EMAIL = (
    "ALTER TABLE users ADD COLUMN email TEXT;",
    "DROP TABLE users;\nCREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
)


def _updown(root: Path, files: dict[str, tuple[str, str]], commits: list[list[str]]) -> Path:
    """golang-migrate files (``name.up.sql``/``name.down.sql``) committed as ``commits``."""
    folder = root / "migrations"
    folder.mkdir()
    for name, (up, down) in files.items():
        (folder / f"{name}.up.sql").write_text(up + "\n")
        (folder / f"{name}.down.sql").write_text(down + "\n")
    _git(root, "init", "-q", ".")
    for i, names in enumerate(commits):
        paths = [f"migrations/{n}.{side}.sql" for n in names for side in ("up", "down")]
        _git(root, "add", *paths)
        _git(root, "commit", "-q", "-m", f"commit {i}")
    return folder


def _rollback_losses(folder: Path, ship: str = "git") -> list[tuple[str | None, str]]:
    run = check_set(
        discover(folder),
        TARGETS["golang-migrate"],
        profile="ci",
        checks=["rollback_keeps_data"],
        config=SetConfig(ship_groups=ship),
    )
    return sorted((f.migration, f.code) for f in run.findings if f.kind == "data_loss")


SSO = {"1_users": USERS, "2_nonce": NONCE, "3_state": STATE, "4_pkce": PKCE}


@needs_git
def test_a_rollback_inside_a_group_meets_what_the_later_rollbacks_left(tmp_path: Path) -> None:
    folder = _updown(tmp_path, SSO, [["1_users"], ["2_nonce", "3_state", "4_pkce"]])
    # 3_state's rollback runs after 4_pkce's, which re-created nonce: nothing to lose.
    # 4_pkce's loses what the deployed version held, in a table its own deploy created.
    assert _rollback_losses(folder) == [("4_pkce", "MH145")]


@needs_git
def test_the_twin_committed_apart_loses_rows_at_both(tmp_path: Path) -> None:
    folder = _updown(tmp_path, SSO, [["1_users"], ["2_nonce"], ["3_state"], ["4_pkce"]])
    assert _rollback_losses(folder) == [("3_state", "MH141"), ("4_pkce", "MH141")]


@needs_git
def test_ship_groups_off_keeps_every_rollback_loss_an_error(tmp_path: Path) -> None:
    folder = _updown(tmp_path, SSO, [["1_users"], ["2_nonce", "3_state", "4_pkce"]])
    assert _rollback_losses(folder, ship="off") == [("3_state", "MH141"), ("4_pkce", "MH141")]


@needs_git
def test_a_rollback_losing_rows_of_an_older_table_stays_an_error(tmp_path: Path) -> None:
    files = {**SSO, "5_users_email": USERS_EMAIL}
    commits = [["1_users"], ["2_nonce", "3_state", "4_pkce", "5_users_email"]]
    folder = _updown(tmp_path, files, commits)
    found = _rollback_losses(folder)
    assert ("5_users_email", "MH141") in found
    assert ("3_state", "MH141") not in found


@needs_git
def test_a_missing_later_rollback_leaves_every_table_holding_rows(tmp_path: Path) -> None:
    # 4_pkce's down is empty: the version moves and nonce keeps its rows for 3_state's.
    files = {**SSO, "4_pkce": (PKCE[0], "")}
    folder = _updown(tmp_path, files, [["1_users"], ["2_nonce", "3_state", "4_pkce"]])
    assert _rollback_losses(folder) == [("3_state", "MH145")]


def _schema(script: str) -> object:
    conn = sqlite3.connect(":memory:")
    conn.executescript(script)
    return introspect(conn)


def test_carried_tables_follow_drops_renames_and_copies() -> None:
    after = _schema(
        "CREATE TABLE a (id INTEGER); CREATE TABLE b (id INTEGER); CREATE TABLE c (id INTEGER);"
    )
    down = (
        "DROP TABLE a; CREATE TABLE a (id INTEGER);"  # emptied
        "ALTER TABLE b_old RENAME TO b;"  # carries b_old's rows
        "CREATE TABLE c (id INTEGER); INSERT INTO c SELECT id FROM x;"  # filled from x
    )
    assert carried_tables({"a", "b_old", "x"}, down, after) == {"b", "c"}  # type: ignore[arg-type]
    assert carried_tables({"a"}, "SELECT 1;", after) == {"a"}  # type: ignore[arg-type]


def test_thinned_tables_are_deleted_from_or_filled_by_a_filtered_copy() -> None:
    sql = (
        "DELETE FROM a WHERE id > 1;\n"
        "INSERT INTO b_new SELECT * FROM b WHERE id > 1;\nALTER TABLE b_new RENAME TO b;\n"
        "INSERT INTO c_new SELECT * FROM c;\n"
    )
    assert thinned_tables([sql]) == {"a", "b_new", "b"}


# --- forward: keys the deployed version had --------------------------------------------

MESSAGES = (
    "CREATE TABLE messages (id TEXT PRIMARY KEY, body TEXT NOT NULL);\n"
    "CREATE TABLE attachments (id TEXT PRIMARY KEY, "
    "message_id TEXT REFERENCES messages(id) ON DELETE CASCADE);\n"
)
STRIP = (
    "CREATE TABLE attachments_new (id TEXT PRIMARY KEY, message_id TEXT);\n"
    "INSERT INTO attachments_new SELECT id, message_id FROM attachments;\n"
    "DROP TABLE attachments;\nALTER TABLE attachments_new RENAME TO attachments;\n"
)
RESTORE = (
    "PRAGMA defer_foreign_keys = ON;\n"
    "CREATE TABLE attachments_new (id TEXT PRIMARY KEY, "
    "message_id TEXT REFERENCES messages(id) ON DELETE CASCADE);\n"
    "INSERT INTO attachments_new SELECT id, message_id FROM attachments;\n"
    "DROP TABLE attachments;\nALTER TABLE attachments_new RENAME TO attachments;\n"
)
# Points the restored column at another table than the deployed version did: rows
# written then never had to satisfy it.
ELSEWHERE = RESTORE.replace("REFERENCES messages(id)", "REFERENCES drafts(id)").replace(
    "PRAGMA defer_foreign_keys = ON;\n",
    "PRAGMA defer_foreign_keys = ON;\nCREATE TABLE drafts (id TEXT PRIMARY KEY);\n",
)
# Deletes messages while the key is stripped: attachments can be orphans at 0003.
PRUNE = STRIP + "DELETE FROM messages WHERE body = '';\n"


def _d1_apply_errors(root: Path, files: dict[str, str], commits: list[list[str]]) -> list[str]:
    folder = root / "migrations"
    folder.mkdir()
    for name, sql in files.items():
        (folder / name).write_text(sql)
    _git(root, "init", "-q", ".")
    for i, names in enumerate(commits):
        _git(root, "add", *(f"migrations/{n}" for n in names))
        _git(root, "commit", "-q", "-m", f"commit {i}")
    run: CheckRun = check_set(
        discover(folder), TARGETS["d1"], profile="ci", checks=["apply_keeps_data"]
    )
    return sorted(f"{f.migration} {f.code}" for f in run.findings if f.kind == "apply_error")


ATTACH = {"0001_messages.sql": MESSAGES, "0002_strip.sql": STRIP, "0003_restore.sql": RESTORE}


@needs_git
def test_rows_inside_a_group_keep_the_keys_they_were_written_under(tmp_path: Path) -> None:
    commits = [["0001_messages.sql"], ["0002_strip.sql", "0003_restore.sql"]]
    assert _d1_apply_errors(tmp_path, ATTACH, commits) == []


@needs_git
def test_the_twin_deployed_apart_can_hold_orphans(tmp_path: Path) -> None:
    commits = [["0001_messages.sql"], ["0002_strip.sql"], ["0003_restore.sql"]]
    assert _d1_apply_errors(tmp_path, ATTACH, commits) == ["0003_restore MH101"]


@needs_git
def test_a_key_the_deployed_version_did_not_have_still_fails(tmp_path: Path) -> None:
    files = {**ATTACH, "0003_restore.sql": ELSEWHERE}
    commits = [["0001_messages.sql"], ["0002_strip.sql", "0003_restore.sql"]]
    assert _d1_apply_errors(tmp_path, files, commits) == ["0003_restore MH101"]


@needs_git
def test_a_group_file_that_deletes_parents_can_orphan_children(tmp_path: Path) -> None:
    files = {**ATTACH, "0002_strip.sql": PRUNE}
    commits = [["0001_messages.sql"], ["0002_strip.sql", "0003_restore.sql"]]
    assert _d1_apply_errors(tmp_path, files, commits) == ["0003_restore MH101"]


@needs_git
def test_rows_that_break_a_key_put_back_are_no_example(tmp_path: Path) -> None:
    # A parent row the database refused, or a minimised example that dropped it, leaves a
    # child production could not hold: the property skips such an example.
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, sql in ATTACH.items():
        (folder / name).write_text(sql)
    _git(tmp_path, "init", "-q", ".")
    _git(tmp_path, "add", "migrations/0001_messages.sql")
    _git(tmp_path, "commit", "-q", "-m", "one")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "two")
    mset = discover(folder)
    engine = Engine(mset, TARGETS["d1"], groups=ship_groups(mset))
    _, keys = engine.deployed_keys(3)
    assert [(fk.table, fk.other_table) for fk in keys] == [("attachments", "messages")]
    assert engine.deployed_keys(2)[1] == ()  # the first file of the group: none
    conn = engine.restore(2)
    conn.execute("INSERT INTO messages VALUES ('m', 'hi')")
    conn.execute("INSERT INTO attachments VALUES ('a', 'm'), ('b', NULL)")
    assert not orphaned(conn, keys)
    conn.execute("INSERT INTO attachments VALUES ('c', 'gone')")
    assert orphaned(conn, keys)
