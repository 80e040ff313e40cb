"""With foreign keys off, rows that broke their key before a step are not the step's doing.

arcane (goose, keys off) got 31 fk_violation errors for orphans the generator itself had
written before an unrelated ALTER TABLE: the step neither made nor could fix them.
"""

from __future__ import annotations

from pathlib import Path

from migration_harness.checks.run import check_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.overrides import with_foreign_keys
from migration_harness.sets.targets import TARGETS

SCHEMA = (
    "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
    "CREATE TABLE posts (id INTEGER PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users(id), body TEXT);\n"
    # keys are off: the application's own rows may already be orphans
    "INSERT INTO posts (id, user_id, body) VALUES (1, 99, 'orphan');\n"
)


def _set(tmp_path: Path, up: str, down: str) -> Path:
    root = tmp_path / "set"
    (root / "migrations").mkdir(parents=True)
    (root / "rollbacks").mkdir()
    (root / "migrations" / "0001_schema.sql").write_text(SCHEMA)
    (root / "rollbacks" / "0001_rollback.sql").write_text("DROP TABLE posts;\nDROP TABLE users;\n")
    (root / "migrations" / "0002_step.sql").write_text(up)
    (root / "rollbacks" / "0002_rollback.sql").write_text(down)
    return root


def _fk_findings(root: Path) -> list[str]:
    target = with_foreign_keys(TARGETS["sqlite"], "off")
    checks = ["apply_keeps_data", "rollback_keeps_data"]
    run = check_set(discover(root), target, profile="ci", seed=0, checks=checks)
    return [f.message for f in run.findings if f.kind == "fk_violation"]


def test_an_unrelated_step_is_not_blamed_for_orphans_already_there(tmp_path: Path) -> None:
    root = _set(
        tmp_path,
        "ALTER TABLE posts ADD COLUMN title TEXT;\n",
        "ALTER TABLE posts DROP COLUMN title;\n",
    )
    assert _fk_findings(root) == []


def test_a_step_that_orphans_rows_is_still_found(tmp_path: Path) -> None:
    """The twin: deleting parents under keys off leaves new orphans behind."""
    root = _set(
        tmp_path,
        "DELETE FROM users WHERE name IS NULL OR name <> '';\n",
        "SELECT 1;\n",
    )
    assert _fk_findings(root), "the purge orphans posts: an fk_violation of this step"


def test_a_rollbacks_orphans_count_again_after_the_reapply(tmp_path: Path) -> None:
    """The re-apply's check covers what the rollback touched: the orphans were read before.

    The re-apply names neither table, yet the rows the rollback orphaned still break
    their key after it (issue 17: the checks are scoped to the tables a step can touch).
    """
    root = _set(
        tmp_path,
        "CREATE TABLE extra (a);\n",
        "DELETE FROM users WHERE name IS NULL OR name <> '';\nDROP TABLE extra;\n",
    )
    # Unrelated tables, so the scope is small enough to be checked table by table.
    first = root / "migrations" / "0001_schema.sql"
    first.write_text(first.read_text() + "".join(f"CREATE TABLE u{i} (x);\n" for i in range(6)))
    messages = _fk_findings(root)
    assert any("roll back" in m for m in messages), messages
    assert any("again" in m for m in messages), messages


def test_orphans_of_a_renamed_table_are_still_not_the_steps(tmp_path: Path) -> None:
    """``ALTER TABLE posts RENAME TO entries`` keeps the rows, orphans included.

    The orphans were read under the old name; the same rows under the new one were each
    blamed on the rename (clean_library_goose's loans -> checkouts, keys off), and on
    its rollback renaming them back.
    """
    root = _set(
        tmp_path,
        "ALTER TABLE posts RENAME TO entries;\n",
        "ALTER TABLE entries RENAME TO posts;\n",
    )
    assert _fk_findings(root) == []


def test_orphans_of_a_renamed_parent_are_still_not_the_steps(tmp_path: Path) -> None:
    """Renaming the parent rewrites the child's key to the new name: the same orphans."""
    root = _set(
        tmp_path,
        "ALTER TABLE users RENAME TO accounts;\n",
        "ALTER TABLE accounts RENAME TO users;\n",
    )
    assert _fk_findings(root) == []


def test_a_rename_that_also_orphans_rows_is_still_found(tmp_path: Path) -> None:
    """The twin: the renamed table's new orphans are the step's."""
    root = _set(
        tmp_path,
        "ALTER TABLE posts RENAME TO entries;\n"
        "DELETE FROM users WHERE name IS NULL OR name <> '';\n",
        "ALTER TABLE entries RENAME TO posts;\n",
    )
    assert any("after apply" in m for m in _fk_findings(root))
