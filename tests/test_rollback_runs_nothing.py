"""A rollback that runs nothing (only ``;`` and comments) is a missing rollback, every layout.

golang-migrate, sqlx, dbmate, goose, diesel and Flyway all hand such a file to SQLite as
empty statements, which undo nothing: counting it as a rollback that "works" hid the
missing one (the round trip then failed, or passed on a migration that changes nothing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.sql import runs_nothing
from migration_harness.sets.targets import TARGETS

CREATE = "CREATE TABLE IF NOT EXISTS a(id INTEGER PRIMARY KEY);\n"
NOTHING = "-- cannot be undone\n;\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _updown(root: Path, down: str) -> Path:
    _write(root / "0001_a.up.sql", CREATE)
    return _write(root / "0001_a.down.sql", down)


def _dbmate(root: Path, down: str) -> Path:
    return _write(
        root / "db/migrations/20240101000000_a.sql",
        f"-- migrate:up\n{CREATE}-- migrate:down\n{down}",
    )


def _goose(root: Path, down: str) -> Path:
    return _write(root / "00001_a.sql", f"-- +goose Up\n{CREATE}-- +goose Down\n{down}")


def _diesel(root: Path, down: str) -> Path:
    folder = root / "migrations/2024-01-01-000000_a"
    _write(folder / "up.sql", CREATE)
    return _write(folder / "down.sql", down)


def _flyway(root: Path, down: str) -> Path:
    _write(root / "V1__a.sql", CREATE)
    return _write(root / "U1__a.sql", down)


LAYOUTS = {
    "updown": _updown,
    "dbmate": _dbmate,
    "goose": _goose,
    "diesel": _diesel,
    "flyway": _flyway,
}


@pytest.mark.parametrize(
    ("text", "nothing"),
    [
        (";", True),
        (" ;\n;;\n", True),
        (NOTHING, True),
        ("/* a ; inside */ ;", True),
        ("", True),
        ("SELECT ';';", False),
        ("DROP TABLE a", False),
        ("-- x\nDROP TABLE a;", False),
        ("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;", False),
    ],
)
def test_runs_nothing_is_true_only_for_empty_statements(text: str, nothing: bool) -> None:
    assert runs_nothing(text) is nothing


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("down", [";", NOTHING, "/* x */ ;\n;\n"])
def test_down_that_runs_nothing_is_no_rollback(tmp_path: Path, layout: str, down: str) -> None:
    LAYOUTS[layout](tmp_path, down)
    mset = discover(tmp_path)
    (migration,) = mset.migrations
    assert migration.down_sql is None
    assert migration.down_path is not None


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_down_that_runs_something_stays_a_rollback(tmp_path: Path, layout: str) -> None:
    """The clean twin: a real statement after the comment and ``;`` is a rollback."""
    LAYOUTS[layout](tmp_path, f"{NOTHING}DROP TABLE a;\n")
    (migration,) = discover(tmp_path).migrations
    assert migration.down_sql is not None
    assert "DROP TABLE a;" in migration.down_sql


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_semicolon_only_down_is_reported_as_missing_rollback(tmp_path: Path, layout: str) -> None:
    down_path = LAYOUTS[layout](tmp_path, ";\n")
    mset = discover(tmp_path)
    run = check_set(mset, TARGETS["sqlite"], checks=["rollback"])
    assert [(f.kind, f.migration) for f in run.findings] == [
        ("missing_rollback", mset.migrations[0].label)
    ]
    assert f"write its statements in {down_path}" in run.findings[0].message


def test_up_that_runs_nothing_needs_no_rollback(tmp_path: Path) -> None:
    """An up file of only ``;`` is an empty migration: nothing to undo, no finding."""
    _updown(tmp_path, "DROP TABLE a;\n")
    _write(tmp_path / "0002_nothing.up.sql", "-- placeholder\n;\n")
    run = check_set(discover(tmp_path), TARGETS["sqlite"], checks=["rollback"])
    assert run.findings == []
