"""A rebuild's copy written as SQLite's upsert: ``INSERT … SELECT … WHERE true ON CONFLICT``.

SQLite's documentation asks for a WHERE clause, ``WHERE true`` if nothing else, in an
``INSERT … SELECT`` with an upsert clause (its parser would read ``ON`` as a join's): that
WHERE filters no row. And ``ON CONFLICT (key) DO UPDATE`` merges the rows that meet on
the new key instead of failing on them: one usage row per account and day, the requests
of the duplicates summed. Found writing an account-usage history for golang-migrate.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import second_file

USAGE = (
    "CREATE TABLE usage (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,"
    " day TEXT NOT NULL, requests INTEGER NOT NULL DEFAULT 0);\n"
)
REBUILD = (
    "CREATE TABLE usage_new (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,"
    " day TEXT NOT NULL, requests INTEGER NOT NULL DEFAULT 0, UNIQUE (account_id, day));\n"
    "INSERT INTO usage_new (id, account_id, day, requests)\n"
    "SELECT id, account_id, day, requests FROM usage WHERE {where}\n"
    "ON CONFLICT ({target}) DO {action};\n"
    "DROP TABLE usage;\n"
    "ALTER TABLE usage_new RENAME TO usage;\n"
)
MERGE = "UPDATE SET requests = requests + excluded.requests"


def _kinds(
    tmp_path: Path, where: str, target: str = "account_id, day", action: str = MERGE
) -> set[str]:
    up = REBUILD.format(where=where, target=target, action=action)
    return {f.kind for f in second_file(tmp_path, USAGE, up, "sqlite")}


@pytest.mark.parametrize(
    ("where", "fires"),
    [("true", False), ("1", False), ("(TRUE)", False), ("requests > 0", True), ("0", True)],
)
def test_where_true_before_an_upsert_filters_no_row(
    tmp_path: Path, where: str, fires: bool
) -> None:
    assert ("rebuild-copy-filters" in _kinds(tmp_path, where)) is fires


@pytest.mark.parametrize(
    ("target", "action", "fires"),
    [
        ("account_id, day", MERGE, False),
        ("day, account_id", MERGE, False),
        # twins: DO NOTHING drops the later rows (the warning's OR IGNORE), a conflict
        # target that is not the new key leaves it to fail
        ("account_id, day", "NOTHING", True),
        ("id", MERGE, True),
    ],
)
def test_an_upsert_merging_on_the_new_key_never_fails_on_duplicates(
    tmp_path: Path, target: str, action: str, fires: bool
) -> None:
    kinds = _kinds(tmp_path, "true", target, action)
    assert ("unique-on-existing-table" in kinds) is fires
