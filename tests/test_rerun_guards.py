"""MH111 (not_idempotent) on untracked re-runs of per-parent inserts.

``INSERT INTO settings … SELECT id, 'theme', 'dark' FROM users WHERE NOT EXISTS (…the
user's theme…)`` run again adds a theme for each user created since, and never a second
one for a user that has it: the guard at work, not a duplicate. Without the guard, or
with one testing another key than the row it adds, the re-run duplicates rows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from migration_harness.checks.history import Step
from migration_harness.checks.machine import replay
from tests.test_machine import _engine

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
    "CREATE TABLE IF NOT EXISTS settings (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL"
    " REFERENCES users(id), k TEXT NOT NULL, v TEXT NOT NULL);"
)
ADD = "INSERT INTO settings (user_id, k, v) SELECT id, '{k}', 'dark' FROM users{where};"
EXISTS = " WHERE NOT EXISTS (SELECT 1 FROM settings s WHERE s.user_id = users.id AND s.k = '{k}')"
NOT_IN = " WHERE id NOT IN (SELECT user_id FROM settings WHERE k = '{k}')"


def _rerun(migration_set: Callable[..., Path], up: str) -> list[str]:
    root = migration_set({1: (SCHEMA, None), 2: (up, None)})
    steps = [
        Step("apply", "0001_m0001.sql"),
        Step("insert", rows=({"table": "users", "values": {"id": 1, "name": "a"}},)),
        Step("apply", "0002_m0002.sql"),
        Step("insert", rows=({"table": "users", "values": {"id": 2, "name": "b"}},)),
        Step("rerun", "0002_m0002.sql"),
    ]
    return [f.kind for f in replay(_engine(root, "sqlite", None), steps)]


@pytest.mark.parametrize("where", [EXISTS, NOT_IN])
def test_a_guarded_per_parent_insert_run_again_adds_no_duplicate(
    migration_set: Callable[..., Path], where: str
) -> None:
    up = ADD.format(k="theme", where=where.format(k="theme"))
    assert _rerun(migration_set, up) == []


@pytest.mark.parametrize("where", ["", EXISTS.format(k="lang"), NOT_IN.format(k="lang")])
def test_an_insert_its_guard_does_not_cover_still_duplicates(
    migration_set: Callable[..., Path], where: str
) -> None:
    assert _rerun(migration_set, ADD.format(k="theme", where=where)) == ["not_idempotent"]
