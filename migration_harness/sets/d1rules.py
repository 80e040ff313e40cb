"""What Cloudflare D1 and ``wrangler d1 migrations apply`` do to a file that plain SQLite does not.

wrangler rewrites the file's text before sending it, and D1 refuses statements, pragmas,
functions and sizes SQLite accepts: the d1 target's plan and authorizer, kept apart from
:class:`~migration_harness.sets.targets.Target` (which asks them) because the lint rules
and the local D1 mirror read the same limits and text. Measured behaviour and sources:
``D1_SEMANTICS.md`` and ``docs/RUNNERS.md``.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from typing import Final

from migration_harness.sets.calls import calls, create_table_columns
from migration_harness.sets.plans import FilePlan, MigrationRefusedError, _split
from migration_harness.sets.sql import Statement

D1_TRANSACTION_MESSAGE: Final = (
    "To execute a transaction, please use the state.storage.transaction() or "
    "state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT "
    "statements. The JavaScript API is safer because it will automatically roll back on "
    "exceptions, and because it interacts correctly with Durable Objects' automatic atomic "
    "write coalescing."
)
D1_REFUSED_PRAGMAS: Final = frozenset(
    {"integrity_check", "user_version", "journal_mode", "compile_options", "writable_schema"}
)
D1_REFUSED_FUNCTIONS: Final = frozenset({"sqlite_version"})
# Cloudflare's published limits (developers.cloudflare.com/d1/platform/limits/).
D1_MAX_COLUMNS: Final = 100
D1_MAX_STATEMENT_BYTES: Final = 100_000
D1_MAX_FUNCTION_ARGUMENTS: Final = 32
# The run-time limits D1's SQLite sets on every connection that are lower than SQLite's
# own and that a migration can reach (cloudflare/workerd src/workerd/util/sqlite.c++,
# SqliteDatabase::setupSecurity; each measured on a local D1, docs/RUNNERS.md): set on
# the connection while a file runs, SQLite itself refuses what D1 refuses, when D1 does
# (a LIKE pattern only when a row is compared with it). Each maps to the words that
# name the limit in a refusal: SQLite's message, then what D1 allows.
D1_LIMITS: Final[dict[int, tuple[int, str, str]]] = {
    sqlite3.SQLITE_LIMIT_COLUMN: (
        D1_MAX_COLUMNS,
        "too many columns",
        "D1 allows 100 columns per table and result set",
    ),
    sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: (
        50,
        "LIKE or GLOB pattern too complex",
        "D1 allows LIKE and GLOB patterns of at most 50 bytes",
    ),
    sqlite3.SQLITE_LIMIT_COMPOUND_SELECT: (
        5,
        "too many terms in compound SELECT",
        "D1 allows 5 terms in a UNION / UNION ALL / INTERSECT / EXCEPT: seed with "
        "one INSERT … VALUES (…), (…) instead",
    ),
    sqlite3.SQLITE_LIMIT_EXPR_DEPTH: (
        100,
        "Expression tree is too large",
        "D1 allows expressions 100 levels deep: a long chain of OR or AND, use IN (…)",
    ),
    sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH: (
        10,
        "too many levels of trigger recursion",
        "D1 allows triggers nested 10 deep",
    ),
}
_TEMP_ACTIONS: Final = frozenset(
    {
        sqlite3.SQLITE_CREATE_TEMP_INDEX,
        sqlite3.SQLITE_CREATE_TEMP_TABLE,
        sqlite3.SQLITE_CREATE_TEMP_TRIGGER,
        sqlite3.SQLITE_CREATE_TEMP_VIEW,
    }
)
# Every action d1_authorizer looks at; it allows any other (tests/test_sandbox.py holds it).
D1_REFUSABLE: Final = frozenset(
    {
        sqlite3.SQLITE_PRAGMA,
        sqlite3.SQLITE_ATTACH,
        sqlite3.SQLITE_DETACH,
        sqlite3.SQLITE_FUNCTION,
        sqlite3.SQLITE_CREATE_TABLE,
        sqlite3.SQLITE_CREATE_INDEX,
        *_TEMP_ACTIONS,
    }
)


_WRANGLER_BEGIN = re.compile(r"BEGIN TRANSACTION;")
_WRANGLER_COMMIT = "COMMIT;"


def wrangler_text(sql: str) -> str:
    """The file's text as wrangler sends it to D1.

    wrangler deletes the literal ``BEGIN TRANSACTION;`` and the first ``COMMIT;``; every
    other statement is left for D1 to accept or refuse.
    """
    if _WRANGLER_BEGIN.search(sql):
        sql = _WRANGLER_BEGIN.sub("", sql)
        sql = sql.replace(_WRANGLER_COMMIT, "", 1)
    return sql


@functools.lru_cache(maxsize=1024)
def d1_plan(sql: str, path: str) -> FilePlan:
    """How ``wrangler d1 migrations apply`` sends a file to D1.

    wrangler deletes the literal uppercase ``BEGIN TRANSACTION;`` and the first ``COMMIT;``
    before sending, so a file wrapped exactly that way applies; every other transaction
    statement reaches D1 and is refused. wrangler appends its tracking INSERT to the text,
    so a last statement without ``;`` fails there.
    """
    statements = _split(wrangler_text(sql))
    for statement in statements:
        if statement.is_transaction_control:
            raise MigrationRefusedError(D1_TRANSACTION_MESSAGE, statement)
        if statement.keywords[:1] == ("VACUUM",):
            reason = "not authorized: SQLITE_AUTH (D1 refuses VACUUM)"
            raise MigrationRefusedError(reason, statement)
        over = _d1_over_limit(statement)
        if over is not None:
            raise MigrationRefusedError(over, statement)
    if statements and not statements[-1].terminated:
        reason = (
            'near "INSERT": syntax error: SQLITE_ERROR (wrangler appends its tracking INSERT '
            "to the file; end the last statement with ';')"
        )
        raise MigrationRefusedError(reason, statements[-1])
    return FilePlan(statements, wrapped=True)


def _d1_over_limit(statement: Statement) -> str | None:
    """Which of D1's published limits the statement breaks, in words; ``None``: none.

    A CREATE TABLE's own columns are counted here; a table pushed past the limit by
    ``ALTER TABLE … ADD COLUMN`` fails as it runs
    (:attr:`~migration_harness.sets.targets.Target.limits`).
    """
    size = len(statement.sql.encode())
    if size > D1_MAX_STATEMENT_BYTES:
        return f"statement too long: {size} bytes (D1 allows {D1_MAX_STATEMENT_BYTES})"
    commas = statement.sql.count(",")
    for call in calls(statement.sql) if commas >= D1_MAX_FUNCTION_ARGUMENTS else ():
        if call.arguments > D1_MAX_FUNCTION_ARGUMENTS:
            return (
                f"too many arguments on function {call.name}: {call.arguments} "
                f"(D1 allows {D1_MAX_FUNCTION_ARGUMENTS})"
            )
    if statement.keywords[:2] == ("CREATE", "TABLE") and commas >= D1_MAX_COLUMNS:
        columns = create_table_columns(statement.sql)
        if columns > D1_MAX_COLUMNS:
            return f"too many columns on table: {columns} (D1 allows {D1_MAX_COLUMNS})"
    return None


def allow_all(*_: object) -> int:
    """Authorizer that allows everything (plain SQLite)."""
    return sqlite3.SQLITE_OK


def d1_authorizer(
    action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None
) -> int:
    """D1's refusals, as measured: see shared D1_SEMANTICS.md.

    ``PRAGMA foreign_keys = …`` is accepted and ignored (keys stay on); the pragmas D1 refuses,
    ATTACH, TEMP objects, ``_cf_`` names and ``sqlite_version()`` fail with SQLITE_AUTH.
    """
    if action == sqlite3.SQLITE_PRAGMA:
        name = (arg1 or "").lower()
        if name == "foreign_keys" and arg2 is not None:
            return sqlite3.SQLITE_IGNORE
        return sqlite3.SQLITE_DENY if name in D1_REFUSED_PRAGMAS else sqlite3.SQLITE_OK
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH) or action in _TEMP_ACTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_DENY if (arg2 or "").lower() in D1_REFUSED_FUNCTIONS else 0
    if action in (sqlite3.SQLITE_CREATE_TABLE, sqlite3.SQLITE_CREATE_INDEX):
        return sqlite3.SQLITE_DENY if (arg1 or "").lower().startswith("_cf_") else 0
    return sqlite3.SQLITE_OK
