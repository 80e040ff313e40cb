"""NOT NULL copies whose NULLs come from the rows, not the SQL (issue 13 follow-ups).

A new column backfilled only by guarded ``UPDATE … WHERE`` statements, and a column copied
from another table of the join that the earlier schema allowed NULL in, are MH104 (a
warning) on generated rows. A NULL certain from the SQL (a backfill writing NULL, a column
never filled, the right side of a ``LEFT JOIN``) stays MH101, and so does a row an inner
join drops (MH141).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from migration_harness.checks.tightening import tightened
from migration_harness.schema.model import introspect
from migration_harness.sets.sql import split_statements
from tests.test_tightening import _codes, _findings

SETTINGS = """CREATE TABLE settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def _grouped(fills: str) -> str:
    """A rebuild adding nullable ``grp``, ``fills``, then a rebuild making it NOT NULL."""
    return f"""CREATE TABLE new_settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    grp   TEXT
);
INSERT INTO new_settings (name, value) SELECT name, value FROM settings;
DROP TABLE settings;
ALTER TABLE new_settings RENAME TO settings;
{fills}
CREATE TABLE new_settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    grp   TEXT NOT NULL
);
INSERT INTO new_settings (name, value, grp) SELECT name, value, grp FROM settings;
DROP TABLE settings;
ALTER TABLE new_settings RENAME TO settings;
"""


GUARDED = """UPDATE settings SET grp = "system" WHERE name = "BOOTED";
UPDATE settings SET grp = 'mail' WHERE name = 'SMTP_HOST';
"""


def test_a_new_column_filled_by_guarded_backfills_is_a_data_dependent_warning(
    tmp_path: Path,
) -> None:
    findings = _findings(tmp_path, SETTINGS, _grouped(GUARDED))
    assert _codes(findings) == {"MH104"}, [f.message for f in findings]
    assert findings[0].severity == "warning"
    assert "none of the 2 backfill(s) of settings.grp match" in findings[0].message


def test_a_new_column_never_filled_or_filled_with_null_stays_an_error(tmp_path: Path) -> None:
    cases = ("", GUARDED + "UPDATE settings SET grp = NULL WHERE name = 'X';\n")
    for n, fills in enumerate(cases):
        (tmp_path / str(n)).mkdir()
        findings = _findings(tmp_path / str(n), SETTINGS, _grouped(fills))
        assert _codes(findings) == {"MH101"}, [f.message for f in findings]


def test_a_new_column_filled_for_every_row_applies(tmp_path: Path) -> None:
    fills = "UPDATE settings SET grp = 'misc';\n"
    assert _findings(tmp_path, SETTINGS, _grouped(fills)) == []


ACCOUNTS = """CREATE TABLE member (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
CREATE TABLE credential (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL,
    secret    TEXT{secret}
);
"""


def _joined(join: str) -> str:
    """A rebuild of ``member`` that takes ``secret NOT NULL`` from the credential table."""
    return f"""CREATE TABLE new_member (
    id     INTEGER PRIMARY KEY,
    email  TEXT NOT NULL,
    secret TEXT NOT NULL
);
INSERT INTO new_member (id, email, secret)
SELECT m.id, m.email, c.secret FROM member m {join} credential c ON c.member_id = m.id;
DROP TABLE member;
ALTER TABLE new_member RENAME TO member;
"""


def _tightened(secret: str, join: str) -> str | None:
    """What :func:`tightened` says of the join copy's NOT NULL failure on ``new_member``."""
    step = _joined(join)
    conn = sqlite3.connect(":memory:")
    conn.executescript(ACCOUNTS.format(secret=secret))
    before = introspect(conn)
    conn.executescript(step)
    after = introspect(conn)
    statements = split_statements(step)
    copy = next(s.sql for s in statements if s.sql.lstrip().startswith("INSERT"))
    reason = "NOT NULL constraint failed: new_member.secret"
    return tightened(reason, copy, statements, before, after)


def test_a_joined_column_the_earlier_schema_allowed_null_in_is_data_dependent() -> None:
    assert _tightened("", "JOIN") == (
        "NULL in member.secret, copied from credential.secret, which the earlier schema allowed"
    )


def test_a_joined_not_null_column_is_not_data_dependent() -> None:
    assert _tightened(" NOT NULL", "JOIN") is None


def test_the_null_side_of_a_left_join_stays_an_error() -> None:
    assert _tightened("", "LEFT JOIN") is None
    assert _tightened(" NOT NULL", "LEFT JOIN") is None


def test_members_an_inner_join_drops_stay_a_loss(tmp_path: Path) -> None:
    findings = _findings(tmp_path, ACCOUNTS.format(secret=""), _joined("JOIN"))
    assert _codes(findings) == {"MH141"}, [f.message for f in findings]
    assert findings[0].severity == "error"
