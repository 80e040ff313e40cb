"""How production executes one migration file: the rules of each target.

A result only means something if each file runs the way its real runner runs it. A target
decides three things: whether the file is wrapped in a transaction together with its tracking
row, whether foreign keys are enforced, and which statements the engine refuses. The runner
asks the target and never improvises, so the property checks see exactly what production
would do, data loss included.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from harness.discovery import Migration

from harness.errors import HarnessError
from harness.sql import Statement, split_statements

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
_TEMP_ACTIONS: Final = frozenset(
    {
        sqlite3.SQLITE_CREATE_TEMP_INDEX,
        sqlite3.SQLITE_CREATE_TEMP_TABLE,
        sqlite3.SQLITE_CREATE_TEMP_TRIGGER,
        sqlite3.SQLITE_CREATE_TEMP_VIEW,
    }
)
# Statements that only make sense outside a transaction the runner opened: their presence
# means the file manages its own transaction and foreign-key state, as SQLite's docs advise.
_SELF_MANAGED_PRAGMAS: Final = frozenset({"foreign_keys", "journal_mode", "legacy_alter_table"})
Tracking = Sequence[tuple[str, tuple[str, ...]]]


class Executor(Protocol):
    """What executes a file in place of the runner's own sqlite3 path (``--engine``).

    The runner hands over one whole file and its tracking statements; the executor must
    leave ``conn`` holding the resulting state, or raise :class:`~harness.errors.
    MigrationError` and leave it unchanged, exactly as the sqlite3 path does, so every
    check and the state machine work on its results without knowing which engine ran.
    """

    def run_file(
        self,
        conn: sqlite3.Connection,
        sql: str,
        path: Path,
        target: Target,
        tracking: Tracking | None,
        *,
        unless_applied: Migration | None = None,
    ) -> bool:
        """Run ``sql`` and ``tracking`` atomically; False when ``unless_applied`` was applied."""
        ...


@dataclass(frozen=True, slots=True)
class Target:
    """The rules one production runner applies to a file.

    Attributes:
        name: what ``--target`` calls it.
        d1: emulate Cloudflare D1 (authorizer refusals, wrangler's text rewriting, foreign
            keys always on).
        foreign_keys: the connection's ``PRAGMA foreign_keys`` while files run.
        wrap: ``"file"`` runs the whole file and its tracking row in one transaction;
            ``"auto"`` does so unless the file controls transactions or foreign keys itself.
        executor: runs files on another engine (a local D1) instead of the connection;
            ``None`` runs them on sqlite3. Not part of equality: the rules are the same.

    """

    name: str
    d1: bool = False
    foreign_keys: bool = True
    wrap: str = "auto"
    executor: Executor | None = field(default=None, compare=False, repr=False)

    def plan(self, sql: str, path: str) -> FilePlan:
        """Decide how ``sql`` runs: its statements and whether the runner wraps it.

        Raises:
            MigrationRefusedError: the target refuses the file before anything runs (D1's
                ``BEGIN``), exactly as production would.

        """
        if self.d1:
            return _d1_plan(sql, path)
        statements = _split(sql)
        self_managed = any(_manages_itself(s) for s in statements)
        return FilePlan(statements, wrapped=self.wrap == "file" or not self_managed)

    def authorizer(self) -> Callable[[int, str | None, str | None, str | None, str | None], int]:
        """The sqlite3 authorizer that enforces this target's refusals while a file runs."""
        return _d1_authorizer if self.d1 else _allow_all


@dataclass(frozen=True, slots=True)
class FilePlan:
    """The statements of a file and whether the runner wraps them in one transaction."""

    statements: tuple[Statement, ...]
    wrapped: bool


class MigrationRefusedError(HarnessError):
    """The target refuses a statement of the file (the engine's own wording)."""

    def __init__(self, reason: str, statement: Statement) -> None:
        self.reason = reason
        self.statement = statement
        super().__init__(reason)


TARGETS: Final[dict[str, Target]] = {
    "sqlite": Target("sqlite"),
    "d1": Target("d1", d1=True, wrap="file"),
}


def get_target(name: str) -> Target:
    """Look a target up by name, suggesting the closest on a typo."""
    try:
        return TARGETS[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, TARGETS, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"choose one of {', '.join(TARGETS)}"
        message = f"--target {name}: unknown target ({hint})"
        raise HarnessError(message) from None


@functools.lru_cache(maxsize=4096)
def _split(sql: str) -> tuple[Statement, ...]:
    """Split once per distinct file text: checks run the same files thousands of times."""
    return tuple(split_statements(sql))


def _manages_itself(statement: Statement) -> bool:
    """A statement that a runner-opened transaction would break or silently neuter."""
    if statement.is_transaction_control or statement.keywords[:1] == ("VACUUM",):
        return True
    pragma = statement.pragma
    return pragma is not None and pragma[0] in _SELF_MANAGED_PRAGMAS


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
def _d1_plan(sql: str, path: str) -> FilePlan:
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
    if statements and not statements[-1].terminated:
        reason = (
            'near "INSERT": syntax error: SQLITE_ERROR (wrangler appends its tracking INSERT '
            "to the file; end the last statement with ';')"
        )
        raise MigrationRefusedError(reason, statements[-1])
    return FilePlan(statements, wrapped=True)


def _allow_all(*_: object) -> int:
    """Authorizer that allows everything (plain SQLite)."""
    return sqlite3.SQLITE_OK


def _d1_authorizer(
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
