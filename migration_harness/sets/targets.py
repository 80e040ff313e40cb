"""How production executes one migration file: the rules of each target.

A result only means something if each file runs the way its real runner runs it. A target
decides: whether the file is wrapped in a transaction together with its tracking row (and
whether a per-file opt-out is honoured), how the file is cut into statements, whether foreign
keys are enforced, which statements the engine refuses, and which tracking table records it.
The runner asks the target and never improvises, so the property checks see exactly what
production would do, data loss included. Each runner's rules and their sources are in
``docs/RUNNERS.md``.

D1's own refusals and wrangler's rewriting are in :mod:`~migration_harness.sets.d1rules`; the
user's adjustments of a target (``--foreign-keys``, ``applied``…) in
:mod:`~migration_harness.sets.overrides`.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from migration_harness.sets.discovery import Migration

from migration_harness.sets import trackers
from migration_harness.sets.atlas import atlas_plan
from migration_harness.sets.d1rules import (
    D1_LIMITS,
    D1_REFUSABLE,
    allow_all,
    d1_authorizer,
    d1_plan,
)
from migration_harness.sets.fkpragmas import IgnoredPragma, KeyGraph, ignored_pragmas
from migration_harness.sets.functions import AppFunction
from migration_harness.sets.micrate import micrate_skipped, split_micrate

# Each runner's file reading lives in sets.plans; re-exported (`X as X`) for old imports.
from migration_harness.sets.plans import BREAKPOINT as BREAKPOINT
from migration_harness.sets.plans import FLYWAY_MIXED as FLYWAY_MIXED
from migration_harness.sets.plans import FilePlan as FilePlan
from migration_harness.sets.plans import MigrationRefusedError as MigrationRefusedError
from migration_harness.sets.plans import (
    _bun_plan,
    _drizzle_plan,
    _flyway_plan,
    _goose_plan,
    _goose_v1_plan,
    _liquibase_delimiter,
    _liquibase_plan,
    _manages_itself,
    _split,
    _sql_migrate_plan,
    goose_v1_skipped,
    liquibase_skipped,
)
from migration_harness.sets.postgrator import (
    first_statement_only,
    query_skipped,
    split_at_every_semicolon,
)
from migration_harness.sets.sandbox import DEFAULT_STATEMENT_TIMEOUT
from migration_harness.sets.sql import Statement, breaks_wrap, open_before
from migration_harness.sets.tracking import Tracking

if TYPE_CHECKING:  # at run time from __getattr__ (the table imports Target from here)
    from migration_harness.sets.registry import TARGETS as TARGETS
    from migration_harness.sets.registry import get_target as get_target

TrackingStatements = Sequence[tuple[str, tuple[object, ...]]]


class Executor(Protocol):
    """What executes a file in place of the runner's own sqlite3 path (``--engine``).

    The runner hands over one whole file and its tracking statements; the executor must
    leave ``conn`` holding the resulting state, or raise :class:`~migration_harness.errors.
    MigrationError` and leave it unchanged, exactly as the sqlite3 path does, so every
    check and the state machine work on its results without knowing which engine ran.
    """

    def run_file(
        self,
        conn: sqlite3.Connection,
        sql: str,
        path: Path,
        target: Target,
        tracking: TrackingStatements | None,
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
        foreign_keys: the connection's ``PRAGMA foreign_keys`` while files run (the default
            of the runner's usual driver; ``--foreign-keys`` overrides it).
        wrap: ``"file"`` runs the whole file and its tracking row in one transaction;
            ``"auto"`` does so unless the file controls transactions or foreign keys itself;
            ``"run"`` runs every pending file of one ``migrate`` in a single transaction
            (drizzle); ``"none"`` never opens one (Prisma); ``"flyway"`` wraps each file
            unless it holds a statement Flyway runs outside transactions.
        functions: SQL functions the application registers on its connections
            (``[tool.migration-harness.functions]``).
        opt_out: the runner honours a per-file "no transaction" option
            (``Migration.up_options["transaction"] is False``).
        splitter: ``"sqlite"`` runs every statement SQLite sees in the text (one Exec of
            the whole file); ``"goose"`` cuts the text at line-final ``;`` as goose does;
            ``"drizzle"`` cuts at ``--> statement-breakpoint`` and prepares each piece as
            exactly one statement; ``"postgrator-split"`` cuts at every ``;`` (postgrator
            before 7.3.0); ``"postgrator-query"`` runs the file's first statement only
            (postgrator 7.3.0+ through ``execQuery`` on node-sqlite3).
        tracking: the runner's own tracking table.
        tracked: production records each applied file and never runs it twice (every
            migration tool); ``False`` when files are executed one after another by hand or
            by a script (``sqlite3 db < file``, ``wrangler d1 execute --file``), so any file
            can run again. Set-level: ``applied = "tracked"|"untracked"`` or ``--applied``.
        halts_on_failure: the command a person runs after a file failed half-way, where
            the runner records the failure and refuses to go on until then (golang-migrate's
            dirty flag, Prisma's failed migration row, Flyway's failed entry); empty where
            the next run simply runs the file again.
        records_first: the runner records a file applied before running it, outside its
            transaction (bun's default, without ``WithMarkAppliedOnSuccess``): a file that
            fails stays recorded, and every later run skips it.
        mixed: Flyway's ``mixed``: a script holding both transactional statements and
            ``PRAGMA foreign_keys`` runs without a transaction instead of being refused.
        executor: runs files on another engine (a local D1) instead of the connection;
            ``None`` runs them on sqlite3. Not part of equality: the rules are the same.
        statement_timeout: seconds one statement of a file may run before SQLite interrupts
            it (``--statement-timeout``; ``None``: no limit), see
            :mod:`~migration_harness.sets.sandbox`. Not a runner rule, so not part of
            equality.
        application_foreign_keys: ``PRAGMA foreign_keys`` of the application's own
            connections at serve time (``application_foreign_keys``); ``None``: the same
            as the migration connection's. Decides only severities (a broken key nothing
            ever enforces is a warning), never what runs, so not part of equality.
        dialect: the engine production runs the files on: ``sqlite``, or ``libsql``
            (Turso), which also runs ``ALTER TABLE … ALTER COLUMN`` (see
            :mod:`~migration_harness.sets.libsql`).
        sqlite_version: the SQLite production's driver runs (``sqlite_version`` in the
            config); ``None``: not known. A runner's SQLite is the one its driver bundles
            or links (mattn/go-sqlite3, modernc, better-sqlite3, libsqlite3-sys,
            sqlite-jdbc each pin their own), not the harness's: only D1's is fixed. Decides
            only lint's version rules, so not part of equality.

    """

    name: str
    d1: bool = False
    foreign_keys: bool = True
    wrap: str = "auto"
    functions: tuple[AppFunction, ...] = ()
    opt_out: bool = True
    splitter: str = "sqlite"
    tracking: Tracking = field(default=trackers.WRANGLER)
    tracked: bool = True
    halts_on_failure: str = ""
    records_first: bool = False
    mixed: bool = False
    executor: Executor | None = field(default=None, compare=False, repr=False)
    statement_timeout: float | None = field(
        default=DEFAULT_STATEMENT_TIMEOUT, compare=False, repr=False
    )
    application_foreign_keys: bool | None = field(default=None, compare=False, repr=False)
    dialect: str = "sqlite"
    sqlite_version: tuple[int, ...] | None = field(default=None, compare=False, repr=False)

    @property
    def keys_enforced(self) -> bool:
        """Whether any connection of the application enforces foreign keys.

        The migration connection (``foreign_keys``) or the ones that serve requests: where
        neither does, a row that breaks a key fails nothing, today or later, until someone
        turns keys on, and SQLite never looks at a child table on a parent's delete. D1
        enforces them on every connection, whatever ``--foreign-keys`` says.
        """
        return self.d1 or self.foreign_keys or bool(self.application_foreign_keys)

    @property
    def label(self) -> str:
        """``goose (foreign keys off)``: the target as every report shows it."""
        return f"{self.name} (foreign keys {'on' if self.foreign_keys else 'off'})"

    @property
    def statement_separator(self) -> str:
        """What must stand between two statements of a file this runner reads (drizzle's)."""
        return BREAKPOINT if self.splitter == "drizzle" else ""

    @property
    def statement_block(self) -> tuple[str, str] | None:
        """The annotations that keep a multi-line statement whole for this runner (goose's)."""
        if self.splitter in ("goose", "goose-v1"):
            return ("-- +goose StatementBegin", "-- +goose StatementEnd")
        if self.splitter == "sql-migrate":
            return ("-- +migrate StatementBegin", "-- +migrate StatementEnd")
        if self.splitter == "micrate":
            return ("-- +micrate StatementBegin", "-- +micrate StatementEnd")
        return None

    def plan(self, sql: str, path: str, options: Mapping[str, object] | None = None) -> FilePlan:
        """Decide how ``sql`` runs: its statements and whether the runner wraps it.

        Args:
            sql: the file's (or section's) text.
            path: the file, for messages.
            options: the per-file options discovery read (``{"transaction": False}``).

        Raises:
            MigrationRefusedError: the target refuses the file before anything runs (D1's
                ``BEGIN``, goose's parse errors), exactly as production would.

        A plan depends on these arguments alone and is immutable: it is kept (every
        example runs the same few files, ~1,500 plans of 36 texts on ``db/``, each
        asking every statement whether it manages its own transaction). A refusal is
        decided again each time.
        """
        try:
            key = (id(self), sql, path, None if options is None else frozenset(options.items()))
        except TypeError:  # an option value that is no key: planned every time
            return self._plan(sql, path, options)
        cached = _PLANS.get(key)
        if cached is not None and cached[0] is self:
            return cached[1]
        plan = self._plan(sql, path, options)
        if len(_PLANS) >= 4_096:
            _PLANS.clear()
        _PLANS[key] = (self, plan)
        return plan

    def _plan(self, sql: str, path: str, options: Mapping[str, object] | None) -> FilePlan:
        """:meth:`plan`, worked out."""
        if options is not None:
            _refuse_before_running(sql, options)
        if self.d1:
            return d1_plan(sql, path)
        if self.splitter == "liquibase":
            statements = _liquibase_plan(sql, _liquibase_delimiter(options))
        else:
            statements = _SPLITTERS[self.splitter](sql)
        explicit = options.get("transaction") if options is not None else None
        if self.wrap == "flyway":
            return _flyway_plan(statements, explicit, mixed=self.mixed)
        if self.opt_out and explicit is False:
            return FilePlan(statements, wrapped=False)
        if self.wrap in ("file", "run"):
            return FilePlan(statements, wrapped=True)
        if self.wrap == "none":
            return FilePlan(statements, wrapped=False)
        return FilePlan(statements, wrapped=not any(_manages_itself(s) for s in statements))

    def skipped(self, sql: str, options: Mapping[str, object] | None = None) -> str | None:
        """What the runner leaves out of ``sql`` without failing, in words (``None``: nothing).

        liamstask goose drops text left without its ``;`` at the end of a direction and
        only logs it: the file "succeeds" without it. Liquibase on Xerial runs only the
        first statement of each piece it sends (``splitStatements:false`` around two), and
        so does node-sqlite3 of the whole file postgrator hands to ``execQuery``.
        """
        if self.splitter == "goose-v1":
            return goose_v1_skipped(sql)
        if self.splitter == "liquibase":
            return liquibase_skipped(sql, _liquibase_delimiter(options))
        if self.splitter == "micrate":
            return micrate_skipped(sql)
        if self.splitter == "postgrator-query":
            return query_skipped(sql)
        return None

    def conflicts(
        self,
        sql: str,
        options: Mapping[str, object] | None = None,
        graph: KeyGraph | None = None,
    ) -> list[str]:
        """What in the file this runner contradicts, in words (empty: nothing).

        A runner that wraps the file makes ``BEGIN`` fail and ``PRAGMA foreign_keys`` a
        silent no-op (SQLite ignores it inside a transaction); a file that asks for no
        transaction under a runner without a per-file opt-out is wrapped anyway. A pragma
        asking for the value already in effect is no conflict, nor an ``OFF`` nothing
        after it depends on in the schema ``graph`` describes
        (:func:`~migration_harness.sets.fkpragmas.ignored_pragmas`).
        """
        try:
            plan = self.plan(sql, "", options)
        except MigrationRefusedError:
            return []  # the refusal itself is reported as apply_error
        found = []
        skipped = self.skipped(sql, options)
        if skipped is not None:
            found.append(skipped)
        asks_no_tx = options is not None and options.get("transaction") is False
        if asks_no_tx and plan.wrapped:
            found.append(
                f"the file asks for no transaction, but {self.name} has no per-file opt-out "
                "and runs it in one"
            )
        if not plan.wrapped:
            return found
        runs, states = _running(plan.statements)
        ends_open = open_before(plan.statements, wrapped=True)[-1]
        ignored = {id(p.statement): p for p in self._ignored(runs, states, graph)}
        for at, (statement, in_transaction) in enumerate(zip(runs, states, strict=True)):
            first = " ".join(statement.sql.split())[:80]
            if statement.is_transaction_control:
                if breaks_wrap(statement, in_transaction, ends_open=ends_open):
                    found.append(
                        f"line {statement.line}: {first} inside a file {self.name} already "
                        "runs in a transaction"
                    )
            elif id(statement) in ignored:
                own = not all(states[: at + 1])  # the file ended the runner's transaction
                found.append(self._ignored_text(ignored[id(statement)], own=own))
        return found

    def ignored_pragmas(
        self,
        sql: str,
        options: Mapping[str, object] | None = None,
        graph: KeyGraph | None = None,
    ) -> tuple[IgnoredPragma, ...]:
        """The file's ``PRAGMA foreign_keys`` this runner ignores, asking for another value.

        Empty where the runner does not wrap the file (SQLite honours every pragma outside
        a transaction) or refuses it.
        """
        try:
            plan = self.plan(sql, "", options)
        except MigrationRefusedError:
            return ()
        if not plan.wrapped:
            return ()
        return self._ignored(*_running(plan.statements), graph)

    def _ignored(
        self, statements: Sequence[Statement], states: Sequence[bool], graph: KeyGraph | None
    ) -> tuple[IgnoredPragma, ...]:
        """:func:`ignored_pragmas` of a wrapped file's statements under this target."""
        return ignored_pragmas(
            statements, states, self.foreign_keys, always_on=self.d1, graph=graph
        )

    def _ignored_text(self, ignored: IgnoredPragma, *, own: bool) -> str:
        """The conflict in words: the pragma, the value in effect, the runner's transaction.

        ``own``: the transaction it runs in is one the file began after ending the runner's.
        """
        statement = ignored.statement
        first = " ".join(statement.sql.split())[:80].rstrip(";")
        stay = "ON" if ignored.in_effect else "OFF"
        if self.d1:
            why = "D1 always enforces them (use PRAGMA defer_foreign_keys)"
        elif own:
            why = "SQLite ignores it inside the transaction the file's own BEGIN opens"
        else:
            files = "every pending file" if self.wrap == "run" else "this file"
            why = f"{self.name} runs {files} in one transaction"
        return f"line {statement.line}: {first} is ignored, keys stay {stay}: {why}"

    @property
    def limits(self) -> dict[int, tuple[int, str, str]]:
        """SQLite's run-time limits while a file runs, where the runner's are lower.

        Each maps a ``SQLITE_LIMIT_*`` to its value, SQLite's refusal's words and what the
        runner allows (:data:`~migration_harness.sets.d1rules.D1_LIMITS`). D1's SQLite
        refuses a table of more than 100 columns (Cloudflare's published limit), a LIKE
        pattern over 50 bytes, a compound SELECT of more than 5 terms: set on the
        connection, SQLite itself refuses what D1 does, when D1 does (an ``ALTER TABLE …
        ADD COLUMN`` that takes a table past the limit, a pattern compared with a row),
        which the plan cannot see.
        """
        return D1_LIMITS if self.d1 else {}

    def authorizer(self) -> Callable[[int, str | None, str | None, str | None, str | None], int]:
        """The sqlite3 authorizer that enforces this target's refusals while a file runs."""
        return d1_authorizer if self.d1 else allow_all

    def refusable(self) -> frozenset[int]:
        """The actions :meth:`authorizer` may answer otherwise than ``SQLITE_OK``.

        SQLite asks the authorizer about every action of every statement it compiles
        (~62,000 on ``db/``, mostly reads and writes of columns): the sandbox answers the
        rest without calling it (issue 17).
        """
        return D1_REFUSABLE if self.d1 else frozenset()


def _refuse_before_running(sql: str, options: Mapping[str, object]) -> None:
    """Raise the refusal the file's options record: the runner stops before running it.

    ``missing``: the runner reads the script at deploy time (sqitch: sqlite3 ".read FILE"),
    so a planned change without one fails there, not when the set is read. ``fatal``: the
    runner stops on the file (liamstask goose's ``log.Fatalf`` for a file without an
    annotation it knows), at ``fatal_line``.
    """
    unreadable = options.get("missing")
    if unreadable:
        planned = options.get("planned")
        where = f" ({planned} plans it)" if planned else ""
        reason = f'cannot open "{unreadable}": the script does not exist{where}'
        raise MigrationRefusedError(reason, Statement(f".read {unreadable}", 1))
    fatal = options.get("fatal")
    if fatal:
        line = options.get("fatal_line", 1)
        at = line if isinstance(line, int) else 1
        lines = sql.split("\n")
        shown = lines[at - 1] if 0 < at <= len(lines) else ""
        raise MigrationRefusedError(str(fatal), Statement(shown.strip()[:200], at))


def _running(statements: Sequence[Statement]) -> tuple[tuple[Statement, ...], tuple[bool, ...]]:
    """The statements a wrapping runner runs, and whether a transaction is open at each.

    A statement the runner cut in the middle fails, and nothing after it runs.
    """
    runs = tuple(itertools.takewhile(lambda s: sqlite3.complete_statement(s.sql), statements))
    return runs, open_before(statements, wrapped=True)[: len(runs)]


# Plans by (target, text, path, options); the target is kept in the value, so an id
# reused by a later target is never taken for it. Emptied when full.
_PLANS: dict[
    tuple[int, str, str, frozenset[tuple[str, object]] | None], tuple[Target, FilePlan]
] = {}

_SPLITTERS: Final[dict[str, Callable[[str], tuple[Statement, ...]]]] = {
    "sqlite": _split,
    "goose": _goose_plan,
    "goose-v1": _goose_v1_plan,
    "drizzle": _drizzle_plan,
    "sql-migrate": _sql_migrate_plan,
    "bun": _bun_plan,
    "atlas": atlas_plan,
    "micrate": lambda sql: split_micrate(sql).statements,
    "postgrator-split": split_at_every_semicolon,
    "postgrator-query": lambda sql: first_statement_only(sql).statements,
}


def __getattr__(name: str) -> object:
    """``TARGETS`` and ``get_target`` for imports older than :mod:`.registry`.

    The table moved to :mod:`migration_harness.sets.registry`, which imports
    :class:`Target` from here: looking the names up on first use keeps ``from
    migration_harness.sets.targets import TARGETS`` working whichever module loads first.
    """
    if name in ("TARGETS", "get_target"):
        from migration_harness.sets import registry

        return getattr(registry, name)
    message = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(message)
