"""Lint replays a rollback on a copy of the tables it touches: with what their triggers reach.

SQLite's ``ALTER TABLE … DROP COLUMN`` compiles every trigger of the schema. A copy that
held ``notes`` and its FTS5 triggers but not ``notes_fts`` (the table the trigger bodies
write) refused a clean rollback's ``DROP COLUMN`` (MH311, "error in trigger notes_ai: no
such table: main.notes_fts") and then claimed the column stayed (MH411).
"""

from __future__ import annotations

from pathlib import Path

from migration_harness.lint import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

INIT = """-- +goose Up
CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL DEFAULT '');
CREATE VIRTUAL TABLE notes_fts USING fts5(title, body, content='notes', content_rowid='id');
-- +goose StatementBegin
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
  INSERT INTO notes_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, title, body)
    VALUES ('delete', old.id, old.title, old.body);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER notes_ad;
DROP TRIGGER notes_ai;
DROP TABLE notes_fts;
DROP TABLE notes;
"""


def _codes(root: Path, down: str) -> set[str]:
    folder = root / "migrations"
    folder.mkdir(parents=True)
    (folder / "00001_init.sql").write_text(INIT)
    (folder / "00002_len.sql").write_text(
        "-- +goose Up\n"
        "ALTER TABLE notes ADD COLUMN title_len INTEGER "
        "GENERATED ALWAYS AS (length(title)) VIRTUAL;\n\n"
        f"-- +goose Down\n{down}"
    )
    mset = discover(root)
    return {f.code for f in lint_set(mset, get_target("goose"))}


def test_a_rollback_dropping_a_column_beside_fts_triggers_is_quiet(tmp_path: Path) -> None:
    codes = _codes(tmp_path, "ALTER TABLE notes DROP COLUMN title_len;\n")
    assert "MH311" not in codes
    assert "MH411" not in codes


def test_a_rollback_dropping_a_column_a_trigger_reads_is_refused(tmp_path: Path) -> None:
    # body is written by notes_ai: SQLite refuses to drop it, in production too
    codes = _codes(tmp_path, "ALTER TABLE notes DROP COLUMN body;\n")
    assert "MH311" in codes
