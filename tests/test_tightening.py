"""A step that tightens a constraint on data the earlier schema allowed (issue 13).

Rows a rebuild drops because its new schema forbids them are MH143 (a warning); a row the
new table would take stays a loss (MH141). A file that fails only because rows hold a NULL
or a value its new NOT NULL/CHECK refuses is MH104 (a warning) on generated data; UNIQUE
additions, and any failure on real rows (``check --data``), stay MH101.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.report.findings import Finding
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

USERS = """CREATE TABLE users (
    id       INTEGER PRIMARY KEY,
    name     TEXT,
    is_admin INTEGER NOT NULL DEFAULT 0
);
"""


def _findings(tmp_path: Path, *files: str, keys: bool = True) -> list[Finding]:
    """``apply_keeps_data`` findings of a set made of ``files`` (0001, 0002, ...)."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for number, sql in enumerate(files, start=1):
        (folder / f"000{number}_step.sql").write_text(sql, encoding="utf-8")
    target = TARGETS["sqlite"] if keys else TARGETS["goose"]
    run = check_set(discover(tmp_path), target, profile="ci", checks=["apply_keeps_data"])
    return [f for f in run.findings if f.kind in ("data_loss", "apply_error")]


def _codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def test_a_loss_of_rows_the_new_table_accepts_stays_an_error(tmp_path: Path) -> None:
    # Plume 2019-06-18: the copy keeps `is_admin = 't'` while the rows hold 0/1; every
    # lost user would fit the new table as it is.
    rebuild = """CREATE TABLE users_new (
    id       INTEGER PRIMARY KEY,
    name     TEXT,
    is_admin INTEGER NOT NULL DEFAULT 0
);
INSERT INTO users_new SELECT * FROM users WHERE is_admin = 't';
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
"""
    findings = _findings(tmp_path, USERS, rebuild)
    assert _codes(findings) == {"MH141"}, [f.message for f in findings]


JOIN = """CREATE TABLE posts (id INTEGER PRIMARY KEY);
CREATE TABLE tags (id INTEGER PRIMARY KEY);
CREATE TABLE posts_tags (post_id INTEGER, tag_id INTEGER);
"""
JOIN_REBUILD = """CREATE TABLE posts_tags_new (
    post_id INTEGER NOT NULL REFERENCES posts (id),
    tag_id  INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (post_id, tag_id)
);
INSERT INTO posts_tags_new (post_id, tag_id)
    SELECT post_id, tag_id FROM posts_tags
    WHERE post_id IS NOT NULL AND tag_id IS NOT NULL
    ON CONFLICT (post_id, tag_id) DO NOTHING;
DROP TABLE posts_tags;
ALTER TABLE posts_tags_new RENAME TO posts_tags;
"""


def test_rows_the_new_schema_forbids_are_dropped_by_design(tmp_path: Path) -> None:
    # stash 35_assoc_tables: NULL ids and exact duplicate pairs of a join table, which
    # its new NOT NULL primary key refuses (keys off, as stash's migrator runs).
    findings = _findings(tmp_path, JOIN, JOIN_REBUILD, keys=False)
    assert _codes(findings) == {"MH143"}, [f.message for f in findings]
    (finding,) = findings
    assert finding.severity == "warning"
    assert "dropped by design of the new schema" in finding.message
    assert "posts_tags" in finding.message


def test_an_orphan_under_a_new_foreign_key_is_dropped_by_design(tmp_path: Path) -> None:
    # alook 0070: a counter row without its channel, filtered because the new table
    # has a foreign key (keys on, as on D1).
    counters = """CREATE TABLE channels (id INTEGER PRIMARY KEY);
CREATE TABLE seqs (channel_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
"""
    rebuild = """CREATE TABLE seqs_new (
    channel_id INTEGER PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL
);
INSERT INTO seqs_new SELECT s.channel_id, s.seq FROM seqs s JOIN channels c ON c.id = s.channel_id;
DROP TABLE seqs;
ALTER TABLE seqs_new RENAME TO seqs;
"""
    findings = _findings(tmp_path, counters, rebuild)
    assert _codes(findings) == {"MH143"}, [f.message for f in findings]
    assert "FOREIGN KEY" in findings[0].message


def test_a_not_null_tightening_is_a_data_dependent_warning(tmp_path: Path) -> None:
    rebuild = """CREATE TABLE users_new (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0
);
INSERT INTO users_new (id, name, is_admin) SELECT id, name, is_admin FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
"""
    findings = _findings(tmp_path, USERS, rebuild)
    assert _codes(findings) == {"MH104"}, [f.message for f in findings]
    (finding,) = findings
    assert finding.severity == "warning"
    assert "NULL in users.name" in finding.message
    assert "backfill or guard first" in finding.message


def test_a_new_check_on_an_unchecked_column_is_a_data_dependent_warning(
    tmp_path: Path,
) -> None:
    # alook 0065: status had no CHECK; the rebuild adds one the rows may not meet.
    rebuild = """CREATE TABLE users_new (
    id       INTEGER PRIMARY KEY,
    name     TEXT,
    is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1))
);
INSERT INTO users_new (id, name, is_admin) SELECT id, name, is_admin FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
"""
    findings = _findings(tmp_path, USERS, rebuild)
    assert _codes(findings) == {"MH104"}, [f.message for f in findings]
    assert "CHECK" in findings[0].message


def test_a_new_table_check_named_by_its_column_is_a_data_dependent_warning(
    tmp_path: Path,
) -> None:
    # stash 32_files: SQLite names the table CHECK (`basename` != '') "basename" alone.
    rebuild = """CREATE TABLE flags (
    id    INTEGER PRIMARY KEY,
    admin INTEGER NOT NULL,
    CHECK (`admin` IN (0, 1))
);
INSERT INTO flags (id, admin) SELECT id, is_admin FROM users;
"""
    findings = _findings(tmp_path, USERS, rebuild)
    assert _codes(findings) == {"MH104"}, [f.message for f in findings]


def test_a_null_the_file_writes_itself_stays_an_error(tmp_path: Path) -> None:
    # Not data the earlier schema allowed: the copy fills the NOT NULL column with NULL.
    rebuild = """CREATE TABLE users_new (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0
);
INSERT INTO users_new (id, name, is_admin) SELECT id, NULL, is_admin FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
"""
    findings = _findings(tmp_path, USERS, rebuild)
    assert _codes(findings) == {"MH101"}, [f.message for f in findings]


def test_a_unique_tightening_stays_an_error(tmp_path: Path) -> None:
    rebuild = """CREATE TABLE users_new (
    id       INTEGER PRIMARY KEY,
    name     TEXT,
    is_admin INTEGER NOT NULL DEFAULT 0 UNIQUE
);
INSERT INTO users_new (id, name, is_admin) SELECT id, name, is_admin FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
"""
    findings = _findings(tmp_path, USERS, rebuild)
    assert _codes(findings) == {"MH101"}, [f.message for f in findings]
    assert "UNIQUE constraint failed" in findings[0].message


def test_a_not_null_tightening_on_real_null_rows_is_an_error(tmp_path: Path) -> None:
    # check --data: production holds the NULL, so the deploy will fail: certain, MH101.
    folder = tmp_path / "set" / "migrations"
    folder.mkdir(parents=True)
    (folder / "0001_users.sql").write_text(USERS, encoding="utf-8")
    (folder / "0002_require_name.sql").write_text(
        """CREATE TABLE users_new (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0
);
INSERT INTO users_new (id, name, is_admin) SELECT id, name, is_admin FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
""",
        encoding="utf-8",
    )
    prod = tmp_path / "prod.db"
    conn = sqlite3.connect(prod)
    conn.execute(
        "CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE,"
        " applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)"
    )
    conn.executescript(USERS)
    conn.execute("INSERT INTO d1_migrations (name) VALUES ('0001_users.sql')")
    conn.executemany("INSERT INTO users (id, name) VALUES (?, ?)", [(1, "ana"), (2, None)])
    conn.commit()
    conn.close()
    out = tmp_path / "run.json"
    result = CliRunner().invoke(
        cli,
        [
            "check", str(tmp_path / "set"), "--target", "d1", "--data", str(prod),
            "--json", str(out), "--no-regressions", "--profile", "ci",
        ],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    codes = {f["code"] for f in json.loads(out.read_text())["findings"]}
    assert "MH101" in codes
    assert "MH104" not in codes


def test_a_drop_by_design_is_no_effect_of_an_ignored_pragma(tmp_path: Path) -> None:
    # stash 35: PRAGMA foreign_keys=ON inside golang-migrate's transaction is ignored;
    # rows the new schema forbids are no effect of it, so the conflict stays MH103.
    from migration_harness.checks.severity import classify

    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_a.sql").write_text("CREATE TABLE t (id INTEGER);", encoding="utf-8")
    mset = discover(tmp_path)
    label = mset.migrations[0].label
    conflict = Finding("runner_conflict", label, "PRAGMA ignored", direction="apply")
    target = TARGETS["golang-migrate"]

    def judged(effect_code: str) -> str:
        effect = Finding(
            "data_loss", label, "lost", direction="apply", check="apply_keeps_data",
            code=effect_code,
        )  # fmt: skip
        (finding,) = classify([conflict], mset, target, related=[effect])
        return finding.code

    assert judged("MH143") == "MH103"
    assert judged("MH141") == "MH102"


def test_a_value_sqlite_cannot_bind_leaves_the_loss_an_error() -> None:
    # stash 64_fixes: a function's Python stand-in returned an integer past 64 bits; the
    # insert that asks the new table must not crash the check.
    from migration_harness.checks.forbidden import forbidden_by
    from migration_harness.data.rows import Loss, LostRow
    from migration_harness.schema.model import introspect

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a INTEGER NOT NULL)")
    schema = introspect(conn)
    row = LostRow("t", "t", ("a",), (2**70,))
    loss = Loss(("t: row lost",), rows_lost=1, lost=(row,))
    assert forbidden_by(conn, loss, {"t": (("a",), [(2**70,)])}, (schema, schema), True) is None


SEQS = """CREATE TABLE channels (id TEXT PRIMARY KEY);
CREATE TABLE seqs (scope_key TEXT PRIMARY KEY, next_seq INTEGER NOT NULL);
"""
# alook 0070: the new key is computed from the old one; the copy keeps live channels only.
SEQS_BY_CHANNEL = """CREATE TABLE seqs_new (
    channel_id TEXT PRIMARY KEY REFERENCES channels (id) ON DELETE CASCADE,
    next_seq   INTEGER NOT NULL
);
INSERT OR IGNORE INTO seqs_new (channel_id, next_seq)
SELECT SUBSTR(scope_key, INSTR(scope_key, ':') + 1), next_seq FROM seqs
WHERE SUBSTR(scope_key, INSTR(scope_key, ':') + 1) IN (SELECT id FROM channels);
DROP TABLE seqs;
ALTER TABLE seqs_new RENAME TO seqs;
"""


def test_an_orphan_whose_new_key_the_copy_computes_is_dropped_by_design(tmp_path: Path) -> None:
    findings = _findings(tmp_path, SEQS, SEQS_BY_CHANNEL)
    assert _codes(findings) == {"MH143"}, [f.message for f in findings]
    assert "FOREIGN KEY seqs(channel_id) -> channels(id)" in findings[0].message


def test_a_computed_key_the_new_table_would_take_stays_a_loss(tmp_path: Path) -> None:
    # The same filter without the foreign key: the new table takes every lost row.
    rebuild = SEQS_BY_CHANNEL.replace(" REFERENCES channels (id) ON DELETE CASCADE", "")
    findings = _findings(tmp_path, SEQS, rebuild)
    assert _codes(findings) == {"MH141"}, [f.message for f in findings]


BOOKMARKS = """CREATE TABLE bookmarks (id TEXT PRIMARY KEY NOT NULL, title TEXT);
CREATE TABLE links (id TEXT PRIMARY KEY NOT NULL REFERENCES bookmarks (id) ON DELETE CASCADE);
"""
# karakeep 0025: a new NOT NULL column backfilled from which child table holds the row.
BOOKMARK_TYPE = """ALTER TABLE bookmarks ADD type TEXT NOT NULL DEFAULT 'text';
UPDATE bookmarks SET type = CASE
    WHEN EXISTS (SELECT 1 FROM links WHERE links.id = bookmarks.id) THEN 'link'
END;
"""


def test_a_backfill_case_without_else_is_a_data_dependent_warning(tmp_path: Path) -> None:
    findings = _findings(tmp_path, BOOKMARKS, BOOKMARK_TYPE)
    assert _codes(findings) == {"MH104"}, [f.message for f in findings]
    assert "no WHEN of the CASE that backfills bookmarks.type" in findings[0].message


def test_a_backfill_writing_null_itself_stays_an_error(tmp_path: Path) -> None:
    for n, fill in enumerate(("NULL", "CASE WHEN title IS NULL THEN NULL ELSE 'link' END")):
        sql = BOOKMARK_TYPE.split("UPDATE", 1)[0] + f"UPDATE bookmarks SET type = {fill};\n"
        (tmp_path / str(n)).mkdir()
        findings = _findings(tmp_path / str(n), BOOKMARKS, sql)
        assert _codes(findings) == {"MH101"}, [f.message for f in findings]


SESSIONS = """CREATE TABLE clients (id TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE sessions (
    id           TEXT NOT NULL PRIMARY KEY,
    kind         TEXT NOT NULL,
    request_data TEXT NOT NULL
);
"""


def _owned_sessions(extra_filter: str) -> str:
    """pocket-id 20260731: the owner column is read from the JSON the row holds."""
    return f"""CREATE TABLE sessions_new (
    id           TEXT NOT NULL PRIMARY KEY,
    kind         TEXT NOT NULL,
    client_id    TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    request_data BLOB NOT NULL,
    CHECK (client_id = json_extract(CAST(request_data AS TEXT), '$.client_id'))
);
INSERT INTO sessions_new (id, kind, client_id, request_data)
SELECT id, kind, json_extract(CAST(request_data AS TEXT), '$.client_id'), request_data
FROM sessions
WHERE json_valid(CAST(request_data AS TEXT)){extra_filter}
  AND EXISTS (SELECT 1 FROM clients
              WHERE clients.id = json_extract(CAST(sessions.request_data AS TEXT), '$.client_id'));
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
"""


def test_a_column_read_as_json_through_a_cast_holds_json(tmp_path: Path) -> None:
    """The set reads ``request_data`` only as ``json_extract(CAST(… AS TEXT), …)``.

    Rows of non-JSON text are data the application never writes; the rows the filter
    drops are those whose owner the new key and CHECK refuse: MH143, not a loss.
    """
    findings = _findings(tmp_path, SESSIONS, _owned_sessions(""))
    assert _codes(findings) == {"MH143"}, [f.message for f in findings]


def test_a_json_filter_that_drops_rows_the_new_table_takes_stays_a_loss(tmp_path: Path) -> None:
    # The column is read as JSON the same way, but the copy also keeps one kind only: a
    # session of another kind fits the new table as it is, so losing it is no design.
    rebuild = """CREATE TABLE sessions_new (
    id           TEXT NOT NULL PRIMARY KEY,
    kind         TEXT NOT NULL,
    request_data BLOB NOT NULL
);
INSERT INTO sessions_new (id, kind, request_data)
SELECT id, kind, request_data FROM sessions
WHERE json_valid(CAST(request_data AS TEXT)) AND kind = 'code'
  AND json_extract(CAST(request_data AS TEXT), '$.client_id') IS NULL;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
"""
    findings = _findings(tmp_path, SESSIONS, rebuild)
    assert _codes(findings) == {"MH141"}, [f.message for f in findings]
