"""A re-run putting back a seed the application deleted is matched on every key of the table.

A guarded seed keyed by a UNIQUE ``code`` beside an AUTOINCREMENT id comes back under a
new id (SQLite never reuses one; a plain rowid takes the largest plus one): matched on the
primary key alone it read as "1 row(s) added under keys the file never made", a false
MH111 for a set applied untracked (``wrangler d1 execute --file``). A re-run that adds a
row under a new value of every key is still reported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import settings

from migration_harness.checks.engine import Engine
from migration_harness.checks.machine import Step, replay
from migration_harness.checks.profiles import profile_settings
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

TABLE = (
    "CREATE TABLE IF NOT EXISTS plans (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  code TEXT NOT NULL UNIQUE,\n"
    "  price INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "INSERT OR IGNORE INTO plans (code, price) VALUES ('free', 0), ('pro', 900);\n"
    "INSERT INTO plans (code, price) SELECT 'team', 2900\n"
    "  WHERE NOT EXISTS (SELECT 1 FROM plans WHERE code = 'team');\n"
)


def _findings(root: Path, deleted: int = 3) -> list[tuple[str, str]]:
    steps = [
        Step("apply", "0001_m0001.sql"),
        Step("delete", table="plans", where={"id": deleted}),
        Step("rerun", "0001_m0001.sql"),
    ]
    engine = Engine(
        discover(root), TARGETS["sqlite"], settings=settings(profile_settings("ci"), database=None)
    )
    return [(f.code, " ".join(f.details)) for f in replay(engine, steps)]


def test_a_seed_put_back_under_its_unique_code_is_no_defect(
    migration_set: Callable[..., Path],
) -> None:
    assert _findings(migration_set({1: (TABLE, None)})) == []


def test_a_rerun_adding_a_row_under_new_keys_is_still_reported(
    migration_set: Callable[..., Path],
) -> None:
    # a fourth row under a fresh code whenever fewer than four are left: after the
    # application deletes it, the re-run adds one under an id and a code never made
    extra = (
        "INSERT INTO plans (code) SELECT 'extra-' || lower(hex(randomblob(8)))\n"
        "  WHERE (SELECT count(*) FROM plans) < 4;\n"
    )
    root = migration_set({1: (TABLE + extra, None)})
    assert _findings(root, deleted=3) == []  # the seed comes back, the count holds
    found = _findings(root, deleted=4)
    assert [code for code, _ in found] == ["MH111"]
    assert "plans: 1 row(s) added under keys the file never made" in found[0][1]


GUARDED = (
    "CREATE TABLE IF NOT EXISTS tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL, color TEXT);\n"
    "INSERT INTO tags (label, color) SELECT 'urgent', 'red'\n"
    "  WHERE NOT EXISTS (SELECT 1 FROM tags WHERE label = 'urgent');\n"
    "INSERT INTO tags (label, color) SELECT 'later', 'grey'\n"
    "  WHERE NOT EXISTS (SELECT 1 FROM tags WHERE label = 'later');\n"
)


def _tag_findings(root: Path, steps: list[Step]) -> list[tuple[str, str]]:
    engine = Engine(
        discover(root), TARGETS["sqlite"], settings=settings(profile_settings("ci"), database=None)
    )
    return [(f.code, " ".join(f.details)) for f in replay(engine, steps)]


def test_a_seed_guarded_without_a_unique_key_is_put_back_quietly(
    migration_set: Callable[..., Path],
) -> None:
    """No UNIQUE on label: the row put back equals, but for its new id, one the file made
    (even after the application edited it and a re-run came in between)."""
    root = migration_set({1: (GUARDED, None)})
    deleted = [
        Step("apply", "0001_m0001.sql"),
        Step("delete", table="tags", where={"id": 1}),
        Step("rerun", "0001_m0001.sql"),
    ]
    assert _tag_findings(root, deleted) == []
    edited = [
        Step("apply", "0001_m0001.sql"),
        Step("update", table="tags", where={"id": 2}, values={"color": "blue"}),
        Step("rerun", "0001_m0001.sql"),
        Step("update", table="tags", where={"id": 2}, values={"label": "someday"}),
        Step("rerun", "0001_m0001.sql"),
    ]
    assert _tag_findings(root, edited) == []


def test_an_unguarded_seed_duplicating_a_row_still_there_is_reported(
    migration_set: Callable[..., Path],
) -> None:
    root = migration_set(
        {
            1: (
                "CREATE TABLE IF NOT EXISTS tags "
                "(id INTEGER PRIMARY KEY, label TEXT NOT NULL, color TEXT);\n"
                "INSERT INTO tags (label, color) VALUES ('urgent', 'red');\n",
                None,
            )
        }
    )
    steps = [
        Step("apply", "0001_m0001.sql"),
        Step("update", table="tags", where={"id": 1}, values={"color": "red"}),
        Step("rerun", "0001_m0001.sql"),
    ]
    found = _tag_findings(root, steps)
    assert [code for code, _ in found] == ["MH111"]
    assert "tags: 1 row(s) added" in found[0][1]
