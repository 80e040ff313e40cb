"""The re-run of a goose file keeps every statement on its line and apart from a block.

``rerun_sql`` glued the statement after a ``StatementEnd`` to the annotation
("-- +goose StatementEndCREATE INDEX …"), which goose refuses as an unknown annotation: an
idempotent file applied untracked was MH111 ("running the file a second time fails: …
not supported: invalid annotation"), and a tracked one's MH112 named the wrong cause.
"""

from __future__ import annotations

from pathlib import Path

from migration_harness.checks.run import check_set
from migration_harness.checks.scope import rerun_sql
from migration_harness.sets.discovery import discover
from migration_harness.sets.overrides import with_applied
from migration_harness.sets.targets import TARGETS

TOUCH = (
    "-- +goose StatementBegin\n"
    "CREATE TRIGGER IF NOT EXISTS notes_touch AFTER UPDATE ON notes\n"
    "FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at\n"
    "BEGIN\n"
    "  UPDATE notes SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;\n"
    "END;\n"
    "-- +goose StatementEnd\n"
)


def _file(index: str) -> str:
    return (
        "-- +goose Up\n"
        "CREATE TABLE IF NOT EXISTS notes (\n"
        "  id INTEGER PRIMARY KEY,\n"
        "  title TEXT NOT NULL,\n"
        "  updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP\n"
        ");\n" + TOUCH + index + "\n\n"
        "-- +goose Down\n"
        "DROP INDEX IF EXISTS notes_title;\n"
        "DROP TRIGGER IF EXISTS notes_touch;\n"
        "DROP TABLE IF EXISTS notes;\n"
    )


def _idempotent(tmp_path: Path, index: str) -> list[tuple[str, str, int | None]]:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "00001_init.sql").write_text(_file(index))
    target = with_applied(TARGETS["goose"], "untracked")
    run = check_set(discover(tmp_path), target, checks=["idempotent"])
    return [(f.code, f.message, f.line) for f in run.findings if f.kind == "not_idempotent"]


def test_the_statement_after_a_block_keeps_its_line() -> None:
    goose = TARGETS["goose"]
    text = _file("CREATE INDEX IF NOT EXISTS notes_title ON notes(title);")
    section = text.split("-- +goose Down")[0].removeprefix("-- +goose Up\n")
    statements = goose.plan(section, "x.sql").statements
    rerun = rerun_sql(statements, goose.statement_separator, goose.statement_block)
    again = goose.plan(rerun, "x.sql").statements
    assert [(s.sql, s.line) for s in again] == [(s.sql, s.line) for s in statements]


def test_an_idempotent_goose_file_with_a_trigger_block_is_quiet(tmp_path: Path) -> None:
    assert _idempotent(tmp_path, "CREATE INDEX IF NOT EXISTS notes_title ON notes(title);") == []


def test_an_unguarded_index_after_the_block_still_fails_the_rerun(tmp_path: Path) -> None:
    found = _idempotent(tmp_path, "CREATE INDEX notes_title ON notes(title);")
    assert [(code, line) for code, _, line in found] == [("MH111", 14)]
    assert "already exists" in found[0][1]
