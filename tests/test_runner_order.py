"""Order and pairing as the runner does them (issue 14, item 8).

diesel compares versions as strings, golang-migrate/sqlx/diesel run an empty up file as an
empty migration, and an up/down pair whose names differ beyond the version is reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.checks.run import check_set
from migration_harness.errors import BadFileError
from migration_harness.report.findings import CheckRun
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

CHECKS = ("apply", "idempotent", "rollback")
CREATE = "CREATE TABLE IF NOT EXISTS {0}(id INTEGER PRIMARY KEY);\n"
DROP = "DROP TABLE IF EXISTS {0};\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "migrations" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def run(root: Path, target: str) -> CheckRun:
    return check_set(discover(root), TARGETS[target], profile="dev", checks=CHECKS)


def test_diesel_orders_versions_as_strings(tmp_path: Path) -> None:
    # As numbers 20240313 < 20240312170000 and the later folder ran first.
    root = write(
        tmp_path,
        {
            "2024-03-12-170000_users/up.sql": CREATE.format("users"),
            "2024-03-12-170000_users/down.sql": DROP.format("users"),
            "2024-03-13_posts/up.sql": "CREATE TABLE IF NOT EXISTS posts(id INTEGER PRIMARY KEY, "
            "user_id INTEGER REFERENCES users(id));\n",
            "2024-03-13_posts/down.sql": DROP.format("posts"),
        },
    )
    mset = discover(root)
    assert [m.label for m in mset.migrations] == ["2024-03-12-170000_users", "2024-03-13_posts"]
    assert run(root, "diesel").findings == []


@pytest.mark.parametrize("up", ["", "-- nothing to do: kept for the numbering\n"])
def test_golang_migrate_runs_an_empty_up_file_as_an_empty_migration(
    tmp_path: Path, up: str
) -> None:
    root = write(
        tmp_path,
        {
            "000001_users.up.sql": CREATE.format("users"),
            "000001_users.down.sql": DROP.format("users"),
            "000002_placeholder.up.sql": up,
            "000002_placeholder.down.sql": "",
        },
    )
    found = run(root, "golang-migrate")
    assert found.findings == []
    assert [m.label for m in discover(root).migrations] == ["000001_users", "000002_placeholder"]


def test_diesel_runs_a_comment_only_up_file_and_refuses_an_empty_one(tmp_path: Path) -> None:
    files = {
        "2024-01-01-000000_users/up.sql": CREATE.format("users"),
        "2024-01-01-000000_users/down.sql": DROP.format("users"),
        "2024-01-02-000000_noop/up.sql": "-- nothing yet\n",
    }
    assert run(write(tmp_path / "a", files), "diesel").findings == []
    empty = write(tmp_path / "b", {**files, "2024-01-02-000000_noop/up.sql": ""})
    with pytest.raises(BadFileError, match=r"noop/up\.sql: file is empty"):
        discover(empty)


def pair(tmp_path: Path, down_name: str) -> Path:
    return write(
        tmp_path,
        {
            "0097_artifact.up.sql": CREATE.format("artifact"),
            down_name: DROP.format("artifact"),
        },
    )


def test_a_pair_whose_names_differ_beyond_the_version_is_a_warning(tmp_path: Path) -> None:
    root = pair(tmp_path, "0097_artiface.down.sql")
    (finding,) = run(root, "golang-migrate").findings
    assert (finding.kind, finding.code, finding.severity) == (
        "misnamed_rollback",
        "MH124",
        "warning",
    )
    assert finding.message == (
        "its down file is named 0097_artiface.down.sql, not 0097_artifact.down.sql: "
        "paired by version alone"
    )
    assert finding.file == "migrations/0097_artiface.down.sql"


def test_a_pair_with_the_same_name_stays_quiet(tmp_path: Path) -> None:
    assert run(pair(tmp_path, "0097_artifact.down.sql"), "golang-migrate").findings == []
