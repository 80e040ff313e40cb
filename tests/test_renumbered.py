"""A rebuild whose copy leaves the rowid key out numbers the rows again; it loses none.

lightninglabs/loop 000013 copies ``sweeps`` with ``INSERT INTO sweeps2 (swap_hash, …)
SELECT swap_hash, … FROM sweeps``: row 1000 comes back as row 1 with every other value. It
was reported as a lost row (MH141). It is a change of key the file asks for (MH142) where
nothing references the key; where children point at it, they now name other parents and it
stays MH141; and a copy that really drops a row still loses it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from migration_harness.checks.run import check_set
from migration_harness.data.renumbered import pair_renumbered
from migration_harness.report.findings import CheckRun
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

MigrationSetFactory = Callable[..., Path]
SWEEPS = "CREATE TABLE sweeps (id INTEGER PRIMARY KEY, swap_hash BLOB NOT NULL, amt INTEGER);"
REBUILD = """CREATE TABLE sweeps2 (id INTEGER PRIMARY KEY, swap_hash BLOB NOT NULL, amt INTEGER);
INSERT INTO sweeps2 (swap_hash, amt) SELECT swap_hash, amt FROM sweeps {where} ORDER BY id;
DROP TABLE sweeps;
ALTER TABLE sweeps2 RENAME TO sweeps;
"""
CHILD = "CREATE TABLE sweep_notes (id INTEGER PRIMARY KEY, sweep_id INTEGER REFERENCES sweeps(id));"


def run(migration_set: MigrationSetFactory, first: str, where: str = "") -> CheckRun:
    files = {1: (first, None), 2: (REBUILD.format(where=where), None)}
    root = migration_set(files, layout="wrangler")
    return check_set(discover(root), TARGETS["sqlite"], checks=["apply_keeps_data"])


def loss_codes(result: CheckRun) -> set[str]:
    return {f.code for f in result.findings if f.kind == "data_loss"}


def test_rows_numbered_again_are_a_declared_change(migration_set: MigrationSetFactory) -> None:
    result = run(migration_set, SWEEPS)
    (finding,) = [f for f in result.findings if f.kind == "data_loss"]
    assert finding.code == "MH142"
    assert "leaves id out: SQLite numbers it again" in finding.message
    assert "is lost" not in " ".join(finding.details)
    assert result.exit_code == 0


def test_a_referenced_key_numbered_again_stays_a_loss(migration_set: MigrationSetFactory) -> None:
    assert loss_codes(run(migration_set, SWEEPS + "\n" + CHILD)) == {"MH141"}


def test_a_copy_that_drops_rows_still_loses_them(migration_set: MigrationSetFactory) -> None:
    result = run(migration_set, SWEEPS, where="WHERE amt > 0")
    assert "MH141" in loss_codes(result)


def test_pairing_follows_the_order_and_the_values() -> None:
    gone = [(("a",), "old1"), (("b",), "old2"), (("a",), "old3"), (("c",), "old4")]
    spare = [(("a",), "new1"), (("a",), "new2"), (("b",), "new3")]
    assert pair_renumbered(gone, spare) == [("old1", "new1"), ("old2", "new3"), ("old3", "new2")]


RETYPED = """CREATE TABLE chats (id INT PRIMARY KEY, kind {old} NOT NULL, title TEXT NOT NULL);"""
RENUMBER_RETYPE = """CREATE TABLE chats_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT, telegram_id INTEGER NOT NULL UNIQUE,
  kind {new} NOT NULL, title TEXT NOT NULL);
INSERT INTO chats_new (telegram_id, kind, title) SELECT id, {copied} FROM chats;
DROP TABLE chats;
ALTER TABLE chats_new RENAME TO chats;
"""


def run_retyped(migration_set: MigrationSetFactory, copied: str = "kind, title") -> CheckRun:
    files = {
        1: (RETYPED.format(old="STRING"), None),
        2: (RENUMBER_RETYPE.format(new="TEXT", copied=copied), None),
    }
    root = migration_set(files, layout="wrangler")
    return check_set(discover(root), TARGETS["sqlite"], checks=["apply_keeps_data"])


def test_a_row_numbered_again_under_a_lossless_retype_is_no_loss(
    migration_set: MigrationSetFactory,
) -> None:
    # trip2g 20250809093139: `chat_type string` (NUMERIC) copied into `chat_type text`,
    # the old id kept in telegram_id, the key numbered again by AUTOINCREMENT.
    result = run_retyped(migration_set)
    assert loss_codes(result) <= {"MH142"}
    assert result.exit_code == 0


def test_a_row_numbered_again_with_its_values_swapped_is_lost(
    migration_set: MigrationSetFactory,
) -> None:
    # The same rebuild copying kind and title into each other's places: no new row holds
    # the old row's values, so it is not the old row numbered again.
    result = run_retyped(migration_set, copied="title, kind")
    assert "MH141" in loss_codes(result)
