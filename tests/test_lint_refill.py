"""Re-created tables the file refills: derived rows come back, and the rebuild rules know it.

Summary tables and FTS5 indexes hold rows derived from other tables. A file that drops and
re-creates one, then fills it again from tables that still hold their rows (screenpipe's
``audio_transcriptions_fts`` rebuilds), loses nothing: MH203, MH204 and MH207 stay quiet.
Each clean twin has a defect twin of the same shape whose refill brings nothing back
(it reads the dropped table, a table the file emptied, or nothing) or leaves a column out.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from migration_harness.checks.refills import refilled_tables
from migration_harness.lint import lint_set
from migration_harness.schema.model import introspect
from migration_harness.sets.discovery import discover
from migration_harness.sets.sql import split_statements
from migration_harness.sets.targets import get_target
from migration_harness.sets.tokens import virtual_table

LOSS = frozenset({"MH203", "MH204", "MH207"})

EVENTS = (
    "CREATE TABLE events (id INTEGER PRIMARY KEY, day TEXT NOT NULL, amount REAL);\n"
    "CREATE TABLE daily (day TEXT PRIMARY KEY, n INTEGER, total REAL);\n"
)
DAILY = "CREATE TABLE daily (day TEXT PRIMARY KEY, n INTEGER, total REAL{extra});\n"
REFILL = (
    "INSERT INTO daily (day, n, total{extra}) "
    "SELECT day, count(*), sum(amount){value} FROM events GROUP BY day;\n"
)
NOTES = "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, body TEXT);\n"
FTS = "CREATE VIRTUAL TABLE notes_fts USING fts5(title, body{options});\n"
RECREATE_FTS = "DROP TABLE notes_fts;\n" + FTS
KEEP = "CREATE TABLE keep AS SELECT day, n, total FROM daily;\n"
RESTORE = "INSERT INTO daily (day, n, total) SELECT day, n, total FROM keep;\n"


def _loss(tmp_path: Path, history: str, up: str) -> set[tuple[str, int | None]]:
    """Lint ``history`` then ``up`` on sqlite: the data-loss codes ``up`` gets, with lines."""
    folder = tmp_path / "migrations"
    folder.mkdir(parents=True)
    (folder / "0001_start.sql").write_text(history, encoding="utf-8")
    (folder / "0002_change.sql").write_text(up, encoding="utf-8")
    findings = lint_set(discover(tmp_path), get_target("sqlite"))
    return {
        (f.code, f.line)
        for f in findings
        if f.code in LOSS and Path(f.file or "").name == "0002_change.sql"
    }


def _refill(extra: str = "", value: str = "") -> str:
    """The refill of daily from events, with an ``extra`` column of ``value``."""
    return REFILL.format(extra=extra, value=value)


# --- summary tables ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "up",
    [
        # drop, re-create by name, refill from the live events table
        "DROP TABLE daily;\n" + DAILY.format(extra="") + _refill(),
        # a column added on the way, filled by the refill
        "DROP TABLE daily;\n"
        + DAILY.format(extra=", biggest REAL")
        + _refill(extra=", biggest", value=", max(amount)"),
        # the rename-style rebuild: daily_new filled from events, then named daily
        DAILY.format(extra="").replace("daily", "daily_new")
        + _refill().replace("INTO daily", "INTO daily_new")
        + "DROP TABLE daily;\nALTER TABLE daily_new RENAME TO daily;\n",
    ],
    ids=["recreated", "wider", "renamed"],
)
def test_a_summary_refilled_from_a_live_table_is_quiet(tmp_path: Path, up: str) -> None:
    assert _loss(tmp_path, EVENTS, up) == set()


def test_a_summary_losing_a_derived_column_is_quiet(tmp_path: Path) -> None:
    # total was a sum over events, which keeps every amount: nothing is lost with it
    up = (
        "DROP TABLE daily;\nCREATE TABLE daily (day TEXT PRIMARY KEY, n INTEGER);\n"
        "INSERT INTO daily (day, n) SELECT day, count(*) FROM events GROUP BY day;\n"
    )
    assert _loss(tmp_path, EVENTS, up) == set()


@pytest.mark.parametrize(
    ("first", "refill", "found"),
    [
        # the refill reads daily after the DROP: the new, empty table
        (
            "",
            "INSERT INTO daily (day, n, total) SELECT day, n, total FROM daily;\n",
            {("MH207", 1)},
        ),
        # the refill reads events after the file emptied it
        ("DELETE FROM events;\n", _refill(), {("MH207", 2)}),
        # … or dropped it and made it again, empty (events' own loss is line 1)
        (
            "DROP TABLE events;\n" + EVENTS.splitlines()[0] + "\n",
            _refill(),
            {("MH207", 1), ("MH207", 3)},
        ),
        # nothing refills it
        ("", "", {("MH207", 1)}),
        # the refill leaves total to its default
        (
            "",
            "INSERT INTO daily (day, n) SELECT day, count(*) FROM events GROUP BY day;\n",
            {("MH204", 3)},
        ),
    ],
    ids=["reads-itself", "emptied-source", "dropped-source", "no-refill", "partial"],
)
def test_a_summary_refill_that_brings_nothing_back_still_fires(
    tmp_path: Path, first: str, refill: str, found: set[tuple[str, int]]
) -> None:
    up = first + "DROP TABLE daily;\n" + DAILY.format(extra="") + refill
    assert _loss(tmp_path, EVENTS, up) == found


def test_a_rebuild_after_the_file_deleted_every_row_loses_nothing_more(tmp_path: Path) -> None:
    """wishlist's lucia v3 file: ``DELETE FROM session`` on purpose, then the rebuild.

    The DELETE says the rows go (MH205 delete-without-where, a warning); the rebuild after
    it copies an empty table and loses nothing, so it is no MH204 error. Without the DELETE
    the same rebuild copying nothing is one (the defect twin).
    """
    rebuild = (
        DAILY.format(extra="").replace("daily", "daily_new")
        + "DROP TABLE daily;\nALTER TABLE daily_new RENAME TO daily;\n"
    )
    deleted = "DELETE FROM daily;\n" + rebuild
    assert _loss(tmp_path / "deleted", EVENTS, deleted) == set()
    assert _codes(tmp_path / "deleted-codes", EVENTS, deleted) >= {"MH205"}
    assert _loss(tmp_path / "kept", EVENTS, rebuild) == {("MH204", 2)}


def _codes(tmp_path: Path, history: str, up: str) -> set[str]:
    """Every lint code ``up`` gets after ``history``, on sqlite."""
    folder = tmp_path / "migrations"
    folder.mkdir(parents=True)
    (folder / "0001_start.sql").write_text(history, encoding="utf-8")
    (folder / "0002_change.sql").write_text(up, encoding="utf-8")
    findings = lint_set(discover(tmp_path), get_target("sqlite"))
    return {f.code for f in findings if Path(f.file or "").name == "0002_change.sql"}


def test_a_copy_that_also_reads_another_table_is_still_a_copy(tmp_path: Path) -> None:
    # users is copied (joined with profiles), not derived: its dropped column is lost
    history = (
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, sent INTEGER);\n"
        "CREATE TABLE profiles (user_id INTEGER PRIMARY KEY, name TEXT);\n"
    )
    up = (
        "CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT, name TEXT);\n"
        "INSERT INTO users_new (id, email, name) SELECT u.id, u.email, p.name"
        " FROM users u LEFT JOIN profiles p ON p.user_id = u.id;\n"
        "DROP TABLE users;\nALTER TABLE users_new RENAME TO users;\n"
    )
    assert _loss(tmp_path, history, up) == {("MH203", 3)}


# --- FTS5 indexes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "refill"),
    [
        # external content: the 'rebuild' command reads notes again
        (
            ", content='notes', content_rowid='id'",
            "INSERT INTO notes_fts(notes_fts) VALUES('rebuild');",
        ),
        # external content filled by hand
        (
            ", content='notes', content_rowid='id'",
            "INSERT INTO notes_fts(rowid, title, body) SELECT id, title, body FROM notes;",
        ),
        # contentless: only INSERT … SELECT can fill it
        (
            ", content=''",
            "INSERT INTO notes_fts(rowid, title, body) SELECT id, title, body FROM notes;",
        ),
        # an ordinary FTS table refilled from the table it indexes
        ("", "INSERT INTO notes_fts(rowid, title, body) SELECT id, title, body FROM notes;"),
    ],
    ids=["external-rebuild", "external-insert", "contentless", "ordinary"],
)
def test_an_fts_index_rebuilt_from_its_live_table_is_quiet(
    tmp_path: Path, options: str, refill: str
) -> None:
    history = NOTES + FTS.format(options=options)
    up = RECREATE_FTS.format(options=options + ", tokenize='porter'") + refill + "\n"
    assert _loss(tmp_path, history, up) == set()


def test_an_fts_index_dropping_a_column_and_refilled_is_quiet(tmp_path: Path) -> None:
    # screenpipe 20241210205142: audio_transcriptions_fts re-created without speaker_id
    history = NOTES + FTS.format(options="")
    up = (
        "DROP TABLE notes_fts;\nCREATE VIRTUAL TABLE notes_fts USING fts5(body);\n"
        "INSERT INTO notes_fts(rowid, body) SELECT id, body FROM notes;\n"
    )
    assert _loss(tmp_path, history, up) == set()


def test_an_fts_index_refilled_from_a_table_rebuilt_earlier_in_the_file_is_quiet(
    tmp_path: Path,
) -> None:
    history = NOTES + FTS.format(options="")
    up = (
        "CREATE TABLE notes_new (id INTEGER PRIMARY KEY, title TEXT, body TEXT, pinned INTEGER);\n"
        "INSERT INTO notes_new (id, title, body) SELECT id, title, body FROM notes;\n"
        "DROP TABLE notes;\nALTER TABLE notes_new RENAME TO notes;\n"
        + RECREATE_FTS.format(options="")
        + "INSERT INTO notes_fts(rowid, title, body) SELECT id, title, body FROM notes;\n"
    )
    assert _loss(tmp_path, history, up) == set()


@pytest.mark.parametrize(
    ("options", "refill"),
    [
        # re-created with nothing to fill it (screenpipe 20250223204844's frames_fts)
        (", content='notes', content_rowid='id'", ""),
        ("", ""),
        # 'rebuild' of an ordinary FTS table reads its own, new and empty, content
        ("", "INSERT INTO notes_fts(notes_fts) VALUES('rebuild');"),
        # the index's content table was emptied first
        (
            ", content='notes', content_rowid='id'",
            "DELETE FROM notes;\nINSERT INTO notes_fts(notes_fts) VALUES('rebuild');",
        ),
        # a contentless index has nothing to rebuild from (SQLite refuses the command)
        (", content=''", "INSERT INTO notes_fts(notes_fts) VALUES('rebuild');"),
    ],
    ids=["external-none", "ordinary-none", "ordinary-rebuild", "emptied-content", "contentless"],
)
def test_an_fts_index_rebuilt_from_nothing_loses_its_rows(
    tmp_path: Path, options: str, refill: str
) -> None:
    history = NOTES + FTS.format(options=options)
    up = RECREATE_FTS.format(options=options) + refill + "\n"
    # MH207 where sqlglot reads the CREATE VIRTUAL TABLE (check's own test of a re-created
    # table), MH204 where it cannot (module options): either names the loss at the DROP
    assert _loss(tmp_path, history, up) & {("MH204", 1), ("MH207", 1)}


def test_a_partial_fts_refill_leaves_a_column_empty(tmp_path: Path) -> None:
    history = NOTES + FTS.format(options="")
    up = RECREATE_FTS.format(options="") + (
        "INSERT INTO notes_fts(rowid, body) SELECT id, body FROM notes;\n"
    )
    assert _loss(tmp_path, history, up) == {("MH204", 3)}


# --- tokens.virtual_table ------------------------------------------------------------------


def test_virtual_table_reads_name_module_columns_and_options() -> None:
    declared = virtual_table(
        'CREATE VIRTUAL TABLE IF NOT EXISTS main."notes fts" USING FTS5('
        "title, body UNINDEXED, content='notes', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    assert declared is not None
    assert (declared.name, declared.module, declared.columns) == (
        "notes fts",
        "fts5",
        ("title", "body"),
    )
    assert declared.option("CONTENT") == "notes"
    assert declared.option("tokenize") == "unicode61 remove_diacritics 2"
    assert declared.option("prefix") is None


@pytest.mark.parametrize(
    "sql",
    ["CREATE TABLE notes_fts (a)", "CREATE VIRTUAL TABLE t", "DROP TABLE notes_fts"],
)
def test_virtual_table_is_none_for_other_statements(sql: str) -> None:
    assert virtual_table(sql) is None


# --- CREATE TABLE IF NOT EXISTS ---------------------------------------------------------------

RESTATED = "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, day TEXT, amount REAL);\n"
REBUILD_DAILY = "DROP TABLE daily;\n" + DAILY.format(extra="") + _refill()


def test_if_not_exists_of_a_live_table_keeps_its_rows(tmp_path: Path) -> None:
    # SQLite does nothing for IF NOT EXISTS of a table that exists: events keeps its rows,
    # and the refill of daily from it brings them back
    assert _loss(tmp_path, EVENTS, RESTATED + REBUILD_DAILY) == set()


def test_if_not_exists_after_the_file_dropped_the_table_makes_an_empty_one(
    tmp_path: Path,
) -> None:
    # here events no longer exists when the IF NOT EXISTS runs: a new, empty table
    up = "DROP TABLE events;\n" + RESTATED + REBUILD_DAILY
    assert ("MH207", 3) in _loss(tmp_path, EVENTS, up)


# --- compound refills ----------------------------------------------------------------------

ARCHIVE = "CREATE TABLE old_events (id INTEGER PRIMARY KEY, day TEXT NOT NULL, amount REAL);\n"


@pytest.mark.parametrize("union", ["UNION", "UNION ALL"])
def test_a_refill_written_as_a_compound_select_brings_the_rows_back(
    tmp_path: Path, union: str
) -> None:
    up = (
        "DROP TABLE daily;\n" + DAILY.format(extra="") + "INSERT INTO daily (day, n, total) "
        f"SELECT day, 1, amount FROM events {union} SELECT day, 1, amount FROM old_events;\n"
    )
    assert _loss(tmp_path, EVENTS + ARCHIVE, up) == set()


def test_a_compound_refill_whose_branches_read_only_dropped_tables_loses_the_rows(
    tmp_path: Path,
) -> None:
    up = (
        "DROP TABLE events;\nDROP TABLE old_events;\nDROP TABLE daily;\n"
        + DAILY.format(extra="")
        + "INSERT INTO daily (day, n, total) SELECT 'x', 1, 2.0 WHERE 0 "
        "UNION ALL SELECT 'y', 1, 2.0 WHERE 0;\n"
    )
    assert {code for code, _ in _loss(tmp_path, EVENTS + ARCHIVE, up)} & LOSS


def test_check_runs_a_compound_refill_once() -> None:
    up = (
        "DROP TABLE daily;\n" + DAILY.format(extra="") + "INSERT INTO daily (day, n, total) "
        "SELECT day, 1, amount FROM events UNION ALL SELECT day, 1, amount FROM old_events;\n"
    )
    conn = sqlite3.connect(":memory:")
    conn.executescript(EVENTS + ARCHIVE)
    before = introspect(conn)
    conn.executescript(up)
    found = refilled_tables(split_statements(up), before, introspect(conn))
    assert len(found["daily"].refills) == 1
    assert set(found["daily"].sources) == {"events", "old_events"}


# --- emptied and refilled in place --------------------------------------------------------


@pytest.mark.parametrize(
    ("up", "fires"),
    [
        # the summary recomputed from events: every row comes back
        ("DELETE FROM daily;\n" + _refill(), False),
        # an FTS5 index emptied and refilled from its source
        (
            "DELETE FROM notes_fts;\n"
            "INSERT INTO notes_fts (rowid, title, body) SELECT id, title, body FROM notes;\n",
            False,
        ),
        # defect twins: refilled from itself, from a table the file emptied first, with a
        # column left out, or not at all
        ("DELETE FROM daily;\nINSERT INTO daily SELECT * FROM daily;\n", True),
        ("DELETE FROM events;\nDELETE FROM daily;\n" + _refill(), True),
        (
            "DELETE FROM daily;\n"
            "INSERT INTO daily (day, n) SELECT day, count(*) FROM events GROUP BY day;\n",
            True,
        ),
        ("DELETE FROM daily;\n", True),
        # its own rows kept aside before the DELETE and put back (a D1 parent rebuild
        # sparing a CASCADE child); twins: kept after the DELETE (an empty copy), the copy
        # emptied before it is read back, a column not put back
        (KEEP + "DELETE FROM daily;\n" + RESTORE + "DROP TABLE keep;\n", False),
        ("DELETE FROM daily;\n" + KEEP + RESTORE + "DROP TABLE keep;\n", True),
        (KEEP + "DELETE FROM keep;\nDELETE FROM daily;\n" + RESTORE + "DROP TABLE keep;\n", True),
        (
            KEEP + "DELETE FROM daily;\n"
            "INSERT INTO daily (day, n) SELECT day, n FROM keep;\nDROP TABLE keep;\n",
            True,
        ),
    ],
    ids=[
        "summary",
        "fts",
        "itself",
        "emptied-source",
        "column-left-out",
        "no-refill",
        "kept-aside",
        "kept-after-delete",
        "kept-then-emptied",
        "kept-column-left-out",
    ],
)
def test_a_table_emptied_then_refilled_from_live_tables_loses_nothing(
    tmp_path: Path, up: str, fires: bool
) -> None:
    """``DELETE FROM t`` (MH205) then ``INSERT INTO t … SELECT`` from other tables holding rows.

    The DELETE-then-INSERT spelling of a refill: the derived rows come back as after a
    drop and re-create, so the DELETE is no warning; the twins bring nothing back.
    """
    history = EVENTS + NOTES + FTS.format(options="")
    findings = _codes(tmp_path, history, up)
    assert ("MH205" in findings) is fires
