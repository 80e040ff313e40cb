"""MH202/MH203 on a column whose values a copy carried elsewhere first.

Two shapes long histories have: a JSON array normalised into a child table with
``json_each`` (the copy writes ``j.value``), and expand/contract, where an earlier file
copied the column into another table and a later one drops it, as MH202's fix asks. A
copy that keeps none of the values (``j.key``, the array's indexes), unnests another
column, or went into a table dropped since still reports the drop.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.lint import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target
from tests.lint_pairs import second_file

TASKS = (
    "CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
    " labels TEXT NOT NULL DEFAULT '[]', notes TEXT NOT NULL DEFAULT '[]');\n"
    "CREATE TABLE task_labels (task_id INTEGER NOT NULL REFERENCES tasks(id),"
    " label TEXT NOT NULL, PRIMARY KEY (task_id, label));\n"
)
DROP = "ALTER TABLE tasks DROP COLUMN labels;\n"
REBUILD = (
    "CREATE TABLE tasks_new (id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
    " notes TEXT NOT NULL DEFAULT '[]');\n"
    "INSERT INTO tasks_new (id, title, notes) SELECT id, title, notes FROM tasks;\n"
    "DROP TABLE tasks;\n"
    "ALTER TABLE tasks_new RENAME TO tasks;\n"
)


def _copy(select: str) -> str:
    return f"INSERT OR IGNORE INTO task_labels (task_id, label)\n{select};\n"


UNNEST = "SELECT t.id, j.value FROM tasks AS t, json_each(t.labels) AS j WHERE j.type = 'text'"


def _found(tmp_path: Path, up: str) -> list[str]:
    findings = second_file(tmp_path, TASKS, up, "sqlite")
    return [f.code for f in findings if f.code in ("MH202", "MH203")]


@pytest.mark.parametrize(
    "select",
    [
        UNNEST,
        "SELECT tasks.id, lower(j.value) FROM tasks, json_each(tasks.labels) AS j",
        "SELECT t.id, j.atom FROM tasks AS t, json_tree(t.labels) AS j WHERE j.atom IS NOT NULL",
    ],
)
@pytest.mark.parametrize("drop", [DROP, REBUILD])
def test_a_json_column_unnested_into_a_child_table_is_kept(
    tmp_path: Path, select: str, drop: str
) -> None:
    assert _found(tmp_path, _copy(select) + drop) == []


@pytest.mark.parametrize(
    "select",
    [
        # the array's indexes only: no label survives
        "SELECT t.id, j.key FROM tasks AS t, json_each(t.labels) AS j",
        # another column unnested
        "SELECT t.id, j.value FROM tasks AS t, json_each(t.notes) AS j",
        # how many members, not which
        "SELECT t.id, count(j.value) FROM tasks AS t, json_each(t.labels) AS j GROUP BY t.id",
    ],
)
@pytest.mark.parametrize(("drop", "code"), [(DROP, "MH202"), (REBUILD, "MH203")])
def test_a_copy_that_keeps_no_member_still_reports_the_drop(
    tmp_path: Path, select: str, drop: str, code: str
) -> None:
    assert _found(tmp_path, _copy(select) + drop) == [code]


def _history(root: Path, *files: str) -> list[str]:
    """Lint forward files ``NNNN_step.sql`` on sqlite: MH202/MH203 as ``code@file``."""
    (root / "migrations").mkdir(parents=True)
    for i, sql in enumerate(files, start=1):
        (root / "migrations" / f"{i:04d}_step.sql").write_text(sql, encoding="utf-8")
    findings = lint_set(discover(root), get_target("sqlite"))
    return [
        f"{f.code}@{Path(f.file or '').name[:4]}" for f in findings if f.code in ("MH202", "MH203")
    ]


ARCHIVE = (
    "CREATE TABLE task_archive (task_id INTEGER PRIMARY KEY, labels TEXT NOT NULL);\n"
    "INSERT INTO task_archive (task_id, labels) SELECT id, labels FROM tasks;\n"
)


@pytest.mark.parametrize("drop", [DROP, REBUILD])
def test_a_drop_after_an_earlier_file_copied_the_column_out_is_quiet(
    tmp_path: Path, drop: str
) -> None:
    # expand (copy out), then contract (drop) in a later release
    assert _history(tmp_path, TASKS, ARCHIVE, "SELECT 1;\n", drop) == []
    assert _history(tmp_path / "unnested", TASKS, _copy(UNNEST), drop) == []


@pytest.mark.parametrize(
    ("between", "drop", "code"),
    [
        # the copy's table is gone again: the values went with it
        ("DROP TABLE task_archive;\n", DROP, "MH202"),
        ("DROP TABLE task_archive;\n", REBUILD, "MH203"),
    ],
)
def test_a_copy_into_a_table_dropped_since_keeps_nothing(
    tmp_path: Path, between: str, drop: str, code: str
) -> None:
    assert _history(tmp_path, TASKS, ARCHIVE, between, drop) == [f"{code}@0004"]


def test_an_earlier_rebuild_copy_counts_for_nothing(tmp_path: Path) -> None:
    # 0002's rebuild copies labels into tasks_new, renamed to tasks: no other table holds it
    rebuild_keeping = REBUILD.replace("title TEXT NOT NULL,", "title TEXT NOT NULL, labels TEXT,")
    rebuild_keeping = rebuild_keeping.replace("id, title, notes", "id, title, labels, notes")
    assert _history(tmp_path, TASKS, rebuild_keeping, DROP) == ["MH202@0003"]
