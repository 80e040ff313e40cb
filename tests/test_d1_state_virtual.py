"""The D1 engine's state of a database holding an FTS5 table loads back.

The state (``d1/state.py``, read the same way by the Worker in ``worker.mjs``) listed a
virtual table's hidden columns with its declared ones: FTS5's command column (named
after the table) and ``rank``. Loading it into the local mirror then ran ``INSERT INTO
pages_fts(title, body, pages_fts, rank) VALUES (…, 7, NULL)``, which FTS5 reads as a
command: 'SQL logic error', an internal error (exit 3) of ``check --engine miniflare`` on
clean_wiki_d1. A virtual table's rows are now read and written back by rowid and their
declared columns.
"""

from __future__ import annotations

import sqlite3

from migration_harness.d1.state import State, load

SCHEMA = (
    "CREATE TABLE pages (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL);\n"
    "CREATE VIRTUAL TABLE pages_fts USING fts5(title, body, content='pages', "
    "content_rowid='id');\n"
    "CREATE VIRTUAL TABLE notes_fts USING fts5(text);\n"
    "INSERT INTO pages (id, title, body) VALUES (7, 'Tea', 'green and black'), (9, 'Rain', '');\n"
    "INSERT INTO pages_fts (pages_fts) VALUES ('rebuild');\n"
    "INSERT INTO notes_fts (rowid, text) VALUES (3, 'call the plumber');\n"
)


def test_a_state_with_fts5_tables_loads_and_reads_the_same() -> None:
    source = sqlite3.connect(":memory:")
    source.executescript(SCHEMA)
    state = State.read(source)
    target = sqlite3.connect(":memory:")
    load(target, state)
    assert State.read(target).comparable() == state.comparable()
    # the indexes answer queries after the load, the hidden columns left out of the state
    assert target.execute(
        "SELECT rowid FROM pages_fts WHERE pages_fts MATCH 'green'"
    ).fetchall() == [(7,)]
    assert target.execute(
        "SELECT rowid FROM notes_fts WHERE notes_fts MATCH 'plumber'"
    ).fetchall() == [(3,)]
    columns = {t.name: t.columns for t in state.tables}
    assert columns["pages_fts"] == ("title", "body")
