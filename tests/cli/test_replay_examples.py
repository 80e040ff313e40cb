"""Issue 13: every error of a per-migration check is a regression you can commit.

For each error kind with a planted example: ``check`` writes a regression file holding the
minimal example, ``replay`` exits 1 on it while the defect is there and 0 once the file is
fixed, and the example holds no row of a table the finding does not need.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@dataclass(frozen=True)
class Case:
    """A planted defect, the check that finds it, and the fixed file."""

    scenario: str
    check: str
    kind: str
    defective: str  # the file to replace, relative to the set
    fixed: str
    tables: frozenset[str]  # the only tables the minimal example may hold rows of

    @property
    def id(self) -> str:
        return f"{self.scenario}-{self.kind}"


CASES = [
    Case(
        "apply_missing_table",
        "apply",
        "apply_error",
        "migrations/0002_post_indexes.sql",
        "CREATE INDEX IF NOT EXISTS idx_users_email ON users(email);\n",
        frozenset(),
    ),
    Case(
        "apply_not_null_on_data",
        "apply_keeps_data",
        "apply_error",
        "migrations/0002_country.sql",
        "ALTER TABLE users ADD COLUMN country TEXT NOT NULL DEFAULT '';\n",
        frozenset({"users"}),
    ),
    Case(
        "rollback_drops_missing_table",
        "rollback",
        "rollback_error",
        "rollbacks/0002_rollback.sql",
        "DROP TABLE user_sessions;\n",
        frozenset(),
    ),
    Case(
        "rollback_fails_on_data",
        "rollback_keeps_data",
        "rollback_error",
        "rollbacks/0002_rollback.sql",
        "CREATE TABLE contacts_old (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " phone TEXT NOT NULL DEFAULT '');\n"
        "INSERT INTO contacts_old (id, name, phone)"
        " SELECT id, name, COALESCE(phone, '') FROM contacts;\n"
        "DROP TABLE contacts;\nALTER TABLE contacts_old RENAME TO contacts;\n",
        frozenset({"contacts"}),
    ),
    Case(
        "rollback_keeps_index",
        "rollback",
        "rollback_schema_drift",
        "rollbacks/0002_rollback.sql",
        "DROP INDEX IF EXISTS idx_tracks_title;\nDROP TABLE IF EXISTS plays;\n",
        frozenset(),
    ),
    Case(
        "rollback_leaves_column",
        "rollback",
        "reapply_error",
        "rollbacks/0002_rollback.sql",
        "DROP INDEX IF EXISTS idx_users_nickname;\nALTER TABLE users DROP COLUMN nickname;\n",
        frozenset(),
    ),
    Case(
        "rebuild_filters_nulls",
        "apply_keeps_data",
        "data_loss",
        "migrations/0002_require_phone.sql",
        "CREATE TABLE contacts_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, phone TEXT);\n"
        "INSERT INTO contacts_new (id, name, phone) SELECT id, name, phone FROM contacts;\n"
        "DROP TABLE contacts;\nALTER TABLE contacts_new RENAME TO contacts;\n",
        frozenset({"contacts"}),
    ),
    Case(
        # A cascade: the minimal example keeps the parent and the child rows it deletes.
        "rollback_drop_cascades",
        "rollback_keeps_data",
        "data_loss",
        "rollbacks/0002_rollback.sql",
        "CREATE TABLE tracks_old (id INTEGER PRIMARY KEY, title TEXT NOT NULL);\n"
        "INSERT INTO tracks_old (id, title) SELECT id, title FROM tracks;\n"
        "DROP TABLE tracks;\nALTER TABLE tracks_old RENAME TO tracks;\nDROP TABLE albums;\n",
        frozenset({"albums", "tracks"}),
    ),
    Case(
        "rollback_loses_user_among_many",
        "rollback_keeps_data",
        "data_loss",
        "rollbacks/0002_rollback.sql",
        "ALTER TABLE users DROP COLUMN age;\n",
        frozenset({"users"}),
    ),
    Case(
        "sqlite_fk_off_orphans",
        "apply_keeps_data",
        "fk_violation",
        "migrations/0002_purge_archived.sql",
        "PRAGMA foreign_keys = OFF;\nBEGIN;\n"
        "DELETE FROM tracks WHERE artist_id IN"
        " (SELECT id FROM artists WHERE status = 'archived');\n"
        "CREATE TABLE artists_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
        "INSERT INTO artists_new (id, name) SELECT id, name FROM artists"
        " WHERE status = 'active';\n"
        "DROP TABLE artists;\nALTER TABLE artists_new RENAME TO artists;\n"
        "COMMIT;\nPRAGMA foreign_keys = ON;\n",
        frozenset({"artists", "tracks"}),
    ),
    Case(
        "not_idempotent_create_table",
        "idempotent",
        "not_idempotent",
        "migrations/0001_users.sql",
        "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\n"
        "CREATE INDEX IF NOT EXISTS idx_users_email ON users(email);\n",
        frozenset({"users"}),
    ),
    Case(
        "writable_schema_not_null",
        "apply_keeps_data",
        "integrity_error",
        "migrations/0002_require_phone.sql",
        "CREATE TABLE contacts_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " phone TEXT NOT NULL DEFAULT '');\n"
        "INSERT INTO contacts_new (id, name, phone)"
        " SELECT id, name, COALESCE(phone, '') FROM contacts;\n"
        "DROP TABLE contacts;\nALTER TABLE contacts_new RENAME TO contacts;\n",
        frozenset({"contacts"}),
    ),
]


def copy(name: str, tmp_path: Path) -> Path:
    return Path(
        shutil.copytree(
            EXAMPLES / name, tmp_path / name, ignore=shutil.ignore_patterns("regressions")
        )
    )


def check(root: Path, checks: str, *extra: str) -> Result:
    return CliRunner().invoke(
        cli, ["check", str(root), "--checks", checks, "--target", "sqlite", *extra]
    )


def replay(path: Path) -> Result:
    return CliRunner().invoke(cli, ["replay", str(path)])


def regressions(root: Path, kind: str) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in sorted((root / "regressions").glob("*.json")):
        data = json.loads(path.read_text())
        if data["finding"]["kind"] == kind:
            found.append((path, data))
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_error_writes_a_regression_that_replays_until_the_file_is_fixed(
    case: Case, tmp_path: Path
) -> None:
    root = copy(case.scenario, tmp_path)
    result = check(root, case.check)
    assert result.exit_code == 1, result.output
    written = regressions(root, case.kind)
    assert written, f"no {case.kind} regression in {result.output}"
    path, data = written[0]
    assert f"regression written: {path}" in result.output
    assert data["check"] == case.check
    assert (data["target"], data["foreign_keys"]) == ("sqlite", True)
    assert data["migration"]["id"] in {p.name for p in root.glob("migrations/*.sql")}
    tables = {row["table"] for row in data["rows"]}
    assert tables <= case.tables, f"rows of unrelated tables: {tables - case.tables}"
    assert data["sql"].count("INSERT INTO") == len(data["rows"])
    broken = replay(path)
    assert broken.exit_code == 1, broken.output
    assert f"{case.kind} in {data['finding']['migration']}" in broken.output
    (root / case.defective).write_text(case.fixed)
    fixed = replay(path)
    assert fixed.exit_code == 0, fixed.output
    assert f"fixed: {case.kind} in {data['finding']['migration']} no longer occurs" in (
        fixed.output
    )


def test_a_cascade_example_keeps_the_child_rows_it_deletes(tmp_path: Path) -> None:
    root = copy("rollback_drop_cascades", tmp_path)
    check(root, "rollback_keeps_data")
    ((_, data),) = regressions(root, "data_loss")
    tables = [row["table"] for row in data["rows"]]
    assert "tracks" in tables
    assert "albums" in tables  # the parent whose DROP cascades


def test_two_defects_of_one_file_are_two_regressions_fixed_one_at_a_time(
    tmp_path: Path,
) -> None:
    root = copy("rebuild_two_defects", tmp_path)
    check(root, "apply_keeps_data")
    written = regressions(root, "data_loss")
    by_table = {data["rows"][0]["table"]: path for path, data in written}
    assert sorted(by_table) == ["contacts", "people"]
    for _, data in written:
        assert len({row["table"] for row in data["rows"]}) == 1, data["rows"]
    migration = root / "migrations" / "0002_two_rebuilds.sql"
    sql = migration.read_text()
    migration.write_text(sql.replace(" WHERE phone IS NOT NULL", ""))
    assert replay(by_table["contacts"]).exit_code == 0
    assert replay(by_table["people"]).exit_code == 1


def test_the_same_bug_found_again_keeps_its_one_file(tmp_path: Path) -> None:
    root = copy("rebuild_filters_nulls", tmp_path)
    check(root, "apply_keeps_data")
    check(root, "apply_keeps_data", "--seed", "3")
    assert len(list((root / "regressions").glob("*.json"))) == 1


def test_no_regressions_writes_nothing(tmp_path: Path) -> None:
    root = copy("rebuild_filters_nulls", tmp_path)
    result = check(root, "apply_keeps_data", "--no-regressions")
    assert result.exit_code == 1
    assert not (root / "regressions").exists()


def test_a_regressions_file_in_the_way_is_a_warning_and_the_report_stands(
    tmp_path: Path,
) -> None:
    root = copy("rebuild_filters_nulls", tmp_path)
    (root / "regressions").write_text("not a folder\n")
    result = check(root, "apply_keeps_data")
    assert result.exit_code == 1
    assert "data_loss in 0002_require_phone" in result.stdout
    assert f"regressions not written: {root / 'regressions'} is not a directory" in (result.stderr)
    assert (root / "regressions").read_text() == "not a folder\n"


def test_an_unwritable_set_folder_is_a_warning_and_the_report_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy("rebuild_filters_nulls", tmp_path)

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    # The suite may run as root, for whom chmod does not make a folder read-only.
    monkeypatch.setattr(Path, "mkdir", refuse)
    result = check(root, "apply_keeps_data")
    assert result.exit_code == 1
    assert "data_loss in 0002_require_phone" in result.stdout
    assert f"warning: regressions not written to {root / 'regressions'}" in result.stderr
    assert not (root / "regressions").exists()


def test_replay_names_a_migration_the_set_no_longer_has(tmp_path: Path) -> None:
    root = copy("rebuild_filters_nulls", tmp_path)
    check(root, "apply_keeps_data")
    ((path, _),) = regressions(root, "data_loss")
    (root / "migrations" / "0002_require_phone.sql").unlink()
    (root / "rollbacks" / "0002_rollback.sql").unlink()
    result = replay(path)
    assert result.exit_code == 2
    assert "0002_require_phone.sql, which the set no longer has" in result.stderr


def test_replay_judges_the_finding_under_the_set_rules_of_today(tmp_path: Path) -> None:
    """A set that starts recording its files makes a re-run finding a note: replay passes."""
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    (root / "migrations" / "0001_t.sql").write_text("CREATE TABLE t (id INTEGER PRIMARY KEY);\n")
    result = check(root, "idempotent")
    assert result.exit_code == 1, result.output
    ((path, _),) = regressions(root, "not_idempotent")
    assert replay(path).exit_code == 1
    (root / "pyproject.toml").write_text('[tool.migration-harness]\napplied = "tracked"\n')
    tracked = replay(path)
    assert tracked.exit_code == 0, tracked.output
    assert "below the fail level (error)" in tracked.output
    assert "note" in tracked.output
