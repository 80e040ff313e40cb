"""The sandbox migration SQL runs in: no file outside the database, no statement forever.

``check``, ``lint``, ``audit`` and the pytest plugin promise never to touch a user's files,
yet the SQL they run is the user's: ``ATTACH '/tmp/victim.db' AS v; DELETE FROM v.t`` emptied
an unrelated database during a ``check`` (issue 15), ``VACUUM INTO`` created files, and an
infinite recursive CTE hung the run. The rule is drawn at the connection: on every
connection but the user's database opened for ``migrate``/``rollback`` (:class:`Production`)
each action that reaches a file is refused by an SQLite authorizer; on that one, which is
production, the target's own rules are all that apply.

SQLite reports ``VACUUM INTO 'f'`` to the authorizer as an ``SQLITE_ATTACH`` of ``'f'`` (a
plain ``VACUUM`` as one of ``''``, its private temporary database), so the ATTACH refusal
covers both; ``load_extension()`` is an ``SQLITE_FUNCTION``. The target's authorizer is asked
first: what production refuses (D1 refuses every ATTACH) stays production's error, and the
sandbox only refuses what the real runner would have run.

Every statement, sandboxed or not, runs under a clock read from a progress handler: past
the target's ``statement_timeout`` SQLite interrupts it, and the file fails with
:class:`StatementTimeoutError` instead of hanging. Where the runner's SQLite allows fewer
columns than Python's (D1: 100), the connection's column limit is lowered while the file
runs, so a table pushed past it fails there as in production.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Final

from migration_harness.errors import MigrationError
from migration_harness.sets import libsql, stopping

if TYPE_CHECKING:
    from migration_harness.sets.sql import Statement
    from migration_harness.sets.targets import Target

DEFAULT_STATEMENT_TIMEOUT: Final = 60.0
ESCAPE_MESSAGE: Final = "would write outside the database"
# Virtual-machine instructions between two reads of the clock: about a millisecond of work.
_PROGRESS_STEPS: Final = 10_000
# Pragmas that name a folder for files SQLite writes later (process-wide, not per database).
_FILE_PRAGMAS: Final = frozenset({"temp_store_directory", "data_store_directory"})
_FILE_FUNCTIONS: Final = frozenset({"load_extension"})
# Every action _escape looks at; it lets any other through.
_ESCAPES: Final = frozenset(
    {sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH, sqlite3.SQLITE_PRAGMA, sqlite3.SQLITE_FUNCTION}
)


class SandboxEscapeError(MigrationError):
    """A statement would reach a file outside the database; the sandbox refused it."""


class StatementTimeoutError(MigrationError):
    """A statement ran longer than the statement timeout and was interrupted."""


class Production(sqlite3.Connection):
    """A user's database opened by :func:`~migration_harness.sets.runner.connect`.

    ``migrate`` and ``rollback`` are production: the file runs as its runner would run
    it, ATTACH included where the target allows it. Every other connection (the
    in-memory copies of ``check``, ``audit``, the plugin; a library user's own) is
    sandboxed. A class, not a flag, because sqlite3 connections take no attributes and no
    weak references, and because the default must be the safe side.
    """


def is_sandboxed(conn: sqlite3.Connection) -> bool:
    """Whether files that run on ``conn`` are refused everything outside its database."""
    return not isinstance(conn, Production)


@contextmanager
def clock(conn: sqlite3.Connection, seconds: float | None = None) -> Iterator[None]:
    """Interrupt what runs on ``conn`` inside the block after ``seconds`` (lint's replay).

    SQLite raises ``OperationalError: interrupted`` from the statement that ran too long.
    Without ``seconds``, :data:`DEFAULT_STATEMENT_TIMEOUT`.
    """
    limit = DEFAULT_STATEMENT_TIMEOUT if seconds is None else seconds
    deadline = time.monotonic() + limit
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), _PROGRESS_STEPS)
    try:
        yield
    except sqlite3.Error:
        stopping.reraise()  # a Ctrl-C the clock swallowed is no error of the file
        raise
    finally:
        conn.set_progress_handler(None, 0)


class Guard:
    """One file's run on one connection: the composed authorizer and the statement clock.

    Used as a context manager around the statements of one file; :meth:`execute` runs
    each, and :meth:`failure` turns SQLite's refusal or interruption into the error that
    says why.
    """

    def __init__(self, conn: sqlite3.Connection, target: Target) -> None:
        self.conn = conn
        self._target = target.authorizer()
        self.timeout = target.statement_timeout
        self.sandboxed = is_sandboxed(conn)
        # The actions the target or the sandbox may refuse: any other is allowed at once.
        self._watched = target.refusable() | (_ESCAPES if self.sandboxed else frozenset())
        # libSQL's ALTER COLUMN is emulated on the harness's copies only: a user's own
        # database opened for ``migrate`` is plain SQLite, which refuses the syntax.
        self._libsql = target.dialect == "libsql" and self.sandboxed
        self._limits = target.limits
        self._limits_before: dict[int, int] = {}
        self._statement: Statement | None = None
        self._refused: str | None = None
        self._deadline = 0.0
        self._timed_out = False

    def __enter__(self) -> Guard:
        """Install the authorizer and the clock (extension loading off when sandboxed)."""
        if self.sandboxed and hasattr(self.conn, "enable_load_extension"):
            self.conn.enable_load_extension(False)
        self.conn.set_authorizer(self._authorize)
        for limit, (value, _, _) in self._limits.items():
            self._limits_before[limit] = self.conn.setlimit(limit, value)
        if self.timeout is not None:
            self.conn.set_progress_handler(self._tick, _PROGRESS_STEPS)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Leave the connection as the harness's own queries expect it: unrestricted.

        A file that failed while a signal asked to stop failed because of it: the
        ``KeyboardInterrupt`` raised inside the clock (or the authorizer) was swallowed by
        sqlite3 and became ``interrupted``, so the stop is raised again instead.
        """
        self.conn.set_authorizer(None)
        self.conn.set_progress_handler(None, 0)
        for limit, value in self._limits_before.items():
            self.conn.setlimit(limit, value)
        self._limits_before = {}
        if error is not None:
            stopping.reraise()

    def execute(self, statement: Statement) -> None:
        """Run one statement of the file under the sandbox and the clock.

        On a libSQL target, ``ALTER TABLE … ALTER COLUMN`` runs as libSQL runs it.
        """
        self._statement, self._refused, self._timed_out = statement, None, False
        if self.timeout is not None:
            self._deadline = time.monotonic() + self.timeout
        altered = libsql.alter_column(statement.sql) if self._libsql else None
        if altered is not None:
            libsql.execute(self.conn, altered)
        else:
            self.conn.execute(statement.sql)

    def explain(self, reason: str) -> str:
        """SQLite's ``reason`` with the runner's limit named, when one of them refused it.

        SQLite's words name only the limit (SQLite's own default is far higher), and for
        columns the copy an ``ALTER TABLE`` works on (``sqlite_altertab_users``).
        """
        for _, words, allowed in self._limits.values():
            if reason.startswith(words):
                return f"{reason} ({allowed})"
        return reason

    def failure(self, path: str, statement: Statement) -> MigrationError | None:
        """Why the last statement failed, when the sandbox or the clock stopped it."""
        if self._refused is not None:
            reason = f"{ESCAPE_MESSAGE} ({self._refused}; refused while checking)"
            return SandboxEscapeError(path, reason, statement.sql, line=statement.line)
        if self._timed_out:
            reason = (
                f"statement ran longer than {self.timeout:g} s and was interrupted "
                "(an unbounded recursive query? raise --statement-timeout if it is only slow)"
            )
            return StatementTimeoutError(path, reason, statement.sql, line=statement.line)
        return None

    def _tick(self) -> int:
        """Progress handler: non-zero interrupts the statement once its time is up."""
        if time.monotonic() > self._deadline:
            self._timed_out = True
            return 1
        return 0

    def _authorize(
        self,
        action: int,
        arg1: str | None,
        arg2: str | None,
        database: str | None,
        trigger: str | None,
    ) -> int:
        """The target's verdict first (production's refusals), then the sandbox's."""
        if action not in self._watched:
            return sqlite3.SQLITE_OK  # neither looks at it (most of the actions asked)
        verdict = self._target(action, arg1, arg2, database, trigger)
        if verdict != sqlite3.SQLITE_OK or not self.sandboxed:
            return verdict
        refused = self._escape(action, arg1, arg2)
        if refused is None:
            return sqlite3.SQLITE_OK
        self._refused = refused
        return sqlite3.SQLITE_DENY

    def _escape(self, action: int, arg1: str | None, arg2: str | None) -> str | None:
        """What the action would reach outside the in-memory database, ``None`` if nothing."""
        if action == sqlite3.SQLITE_ATTACH:
            if not arg1 and self._vacuum():
                return None  # VACUUM's own temporary copy, in memory like the database
            return f"VACUUM INTO {arg1!r}" if self._vacuum() else f"ATTACH {arg1!r}"
        if action == sqlite3.SQLITE_DETACH:
            return f"DETACH {arg1}"
        if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _FILE_PRAGMAS:
            return f"PRAGMA {arg1}"
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _FILE_FUNCTIONS:
            return f"{arg2}()"
        return None

    def _vacuum(self) -> bool:
        """Whether the running statement is a VACUUM (SQLite reports it as an ATTACH)."""
        return self._statement is not None and self._statement.keywords[:1] == ("VACUUM",)
