"""An index on a column whose quoted name holds a space covers a foreign key on it.

Index columns carry their order and collation after a space (``name DESC``); reading the
column name as the text before the first space cut ``"user id"`` to ``user``, so
``missing_fk_index`` (MH153) and lint's ``fk-without-index`` (MH413) reported a key whose
index SQLite's planner does use (``SEARCH … USING COVERING INDEX``), and a UNIQUE index
on such a column counted as no unique set.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.lint import lint_set
from migration_harness.schema.model import introspect
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

USERS = 'CREATE TABLE "app.users" ("user id" INTEGER PRIMARY KEY, name TEXT);\n'
SESSIONS = (
    'CREATE TABLE "app.sessions" (id TEXT PRIMARY KEY NOT NULL, "user id" INTEGER NOT NULL'
    ' REFERENCES "app.users" ("user id") ON DELETE CASCADE) WITHOUT ROWID;\n'
)
INDEX = 'CREATE INDEX "sessions by user" ON "app.sessions" ("user id" DESC);\n'


def _set(tmp_path: Path, indexed: bool) -> Path:
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    text = USERS + SESSIONS + (INDEX if indexed else "")
    (root / "migrations" / "0001_init.sql").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("indexed", [True, False])
def test_check_and_lint_see_the_index_on_a_spaced_column(tmp_path: Path, indexed: bool) -> None:
    root = _set(tmp_path, indexed)
    target = TARGETS["d1"]
    run = check_set(discover(root), target, checks=["fk_index"], config=SetConfig())
    checked = [f for f in run.findings if f.kind == "missing_fk_index"]
    linted = [f for f in lint_set(discover(root), target) if f.kind == "fk-without-index"]
    assert (len(checked), len(linted)) == ((0, 0) if indexed else (1, 1))


def test_a_unique_index_on_a_spaced_column_is_a_unique_set() -> None:
    conn = sqlite3.connect(":memory:")
    conn.executescript(USERS + 'CREATE UNIQUE INDEX "by name" ON "app.users" ("user id", name);')
    table = introspect(conn).tables["app.users"]
    assert ("user id", "name") in table.unique_sets
