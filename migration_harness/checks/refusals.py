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
from migration_harness.schema.model import Schema
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
    """
    redefined = redefined_tables(before, after) & set(after.tables)
    calls = {name for table in redefined for name in _DEFAULT_CALL.findall(after.tables[table].sql)}
    if not calls:
        return
    try:
        known = {row[0].lower() for row in conn.execute("PRAGMA function_list")}
    except sqlite3.Error:  # SQLite before 3.30 cannot list them: nothing to judge by
        return
    for name in sorted(calls):
        if name.lower() not in known:
            reason = f"unknown function: {name}()"
            hint = missing_function_hint(reason)
            message = f"{migration.path}: a column DEFAULT calls {name}() ({hint})"
            raise MissingFunctionError(message)


_DEFAULT_CALL: Final = re.compile(r"\bDEFAULT\s*\(\s*([A-Za-z_][\w$]*)\s*\(", re.IGNORECASE)
