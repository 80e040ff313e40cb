"""Bad input the build of the versions meets: a function the set calls that nobody registered.

Split out of :mod:`migration_harness.checks.engine`. A call to a function this engine
lacks is not the migration's fault but the harness's setup: exit 2 with the hint, not a
finding.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Final

from migration_harness.checks.scope import redefined_tables
from migration_harness.errors import MigrationError
from migration_harness.schema.model import Schema, quote
from migration_harness.sets.discovery import Migration
from migration_harness.sets.functions import MissingFunctionError, missing_function_hint


def refuse_missing_function(exc: MigrationError) -> None:
    """A call to a function this engine lacks is bad input (exit 2), not a finding.

    The function is a newer SQLite's built-in or one the application registers: the
    migration is not what is wrong, the harness's setup is. A file SQLite cannot parse,
    on the other hand, fails in production too: that is an ``apply_error`` finding.
    """
    if missing_function_hint(exc.reason) is not None:
        raise MissingFunctionError(str(exc)) from exc


def refuse_unknown_defaults(
    conn: sqlite3.Connection, migration: Migration, before: Schema, after: Schema
) -> None:
    """A column DEFAULT calling a function nobody registered is bad input (exit 2).

    SQLite accepts ``DEFAULT (uuid_v4())`` when the table is created and fails only when
    a row omits the column: every generated row that did so was refused, unexplained.
    Each DEFAULT of a table the file (re)defined is compiled as SQLite reads it
    (``EXPLAIN SELECT``, on the connection that has the configured functions): only a
    function SQLite names as missing counts, not a ``CAST(…)`` or another keyword that
    looks like a call (``DEFAULT (CAST(strftime('%s', 'now') AS INTEGER))`` was refused).
    """
    redefined = redefined_tables(before, after) & set(after.tables)
    for table in sorted(redefined):
        for row in conn.execute(f"PRAGMA table_xinfo({quote(table)})").fetchall():
            default = row[4]
            if default is None:
                continue
            try:
                conn.execute(f"EXPLAIN SELECT {default}").fetchall()
            except sqlite3.Error as exc:
                hint = missing_function_hint(str(exc))
                match = _NAMED.search(str(exc))
                if hint is not None and match is not None:
                    message = (
                        f"{migration.path}: a column DEFAULT calls {match.group(1)}() ({hint})"
                    )
                    raise MissingFunctionError(message) from exc


_NAMED: Final = re.compile(r"no such function: ([\w$]+)", re.IGNORECASE)
