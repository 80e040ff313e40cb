"""MH212: the dedupe proof on a table whose own UNIQUE key refuses some probe rows.

Flyway V5 makes logins case-insensitive: ``accounts.login`` is already ``UNIQUE`` (exact),
the file deletes the rows that repeat a login in another case, then creates ``UNIQUE
(login COLLATE NOCASE)``. The probe rows repeat ``'k'``, which the old UNIQUE refuses, so
the probe table could not be filled and the dedupe never counted: a false warning. Probes
the old table cannot hold are left out now (rows it can: ``'k'``, ``'K'``, ``'k '`` …); an
exact dedupe, or none, still leaves ``'k'`` and ``'K'``, and still warns.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.lint import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

ACCOUNTS = "CREATE TABLE accounts (id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE);\n"
INDEX = "CREATE UNIQUE INDEX accounts_login_nocase ON accounts(login COLLATE NOCASE);\n"


@pytest.mark.parametrize(
    ("dedupe", "quiet"),
    [
        ("GROUP BY login COLLATE NOCASE", True),
        ("GROUP BY lower(login)", True),
        ("GROUP BY login", False),  # exact: 'k' and 'K' both stay
        ("", False),  # no dedupe
    ],
)
def test_nocase_index_after_its_dedupe_on_an_already_unique_column(
    tmp_path: Path, dedupe: str, quiet: bool
) -> None:
    sql = tmp_path / "sql"
    sql.mkdir()
    (tmp_path / "flyway.conf").write_text("flyway.locations=filesystem:sql\n")
    (sql / "V1__accounts.sql").write_text(ACCOUNTS)
    delete = (
        f"DELETE FROM accounts WHERE id NOT IN (SELECT min(id) FROM accounts {dedupe});\n"
        if dedupe
        else ""
    )
    (sql / "V2__login_nocase.sql").write_text(delete + INDEX)
    findings = lint_set(discover(tmp_path), get_target("flyway"))
    assert ("MH212" not in {f.code for f in findings}) is quiet
