"""What the lint rules read: each file's statements, parsed, with the schema around them.

The schema model comes from replaying each file's *schema* statements (CREATE, ALTER, DROP)
on a private, empty ``:memory:`` database: SQLite itself then says what a table looks like
after ``ALTER TABLE … RENAME`` or ``DROP COLUMN``, which no hand-written model gets right
in every case, and it costs a few hundred microseconds a file. Rows are never written, no
user database is opened, and only CREATE, ALTER and DROP run (data statements are compiled
with EXPLAIN, never run; ATTACH and VACUUM never reach SQLite), so lint cannot touch
anything but its own memory. (An authorizer would say the same, but SQLite calls it for
every schema re-read and it tripled lint's cost.)
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import sqlglot
from sqlglot import exp

from migration_harness.schema.keygraph import key_graph
from migration_harness.schema.model import (
    FOLD,
    Schema,
    fold_names,
    introspect,
    introspect_changed,
)
from migration_harness.schema.resolve import Unresolved, unresolved, writes
from migration_harness.sets import libsql, parsing, sandbox
from migration_harness.sets.d1rules import wrangler_text
from migration_harness.sets.discovery import Migration
from migration_harness.sets.fkpragmas import (
    IgnoredPragma,
    ignored_pragmas,
    keys_in_effect,
    keys_value,
)
from migration_harness.sets.goose import GooseParseError
from migration_harness.sets.sql import Statement, open_before, split_statements
from migration_harness.sets.targets import MigrationRefusedError, Target
from migration_harness.sets.tokens import renamed, tokens, written_table

# Statements whose replay changes the schema model; everything else is only parsed.
_SCHEMA_WORDS: Final = frozenset({"CREATE", "ALTER", "DROP"})
# Authorizer actions whose arguments name a table (arg1, or arg2 for ALTER/DROP INDEX).
_TABLE_ACTIONS: Final = frozenset(
    {
        sqlite3.SQLITE_READ,
        sqlite3.SQLITE_UPDATE,
        sqlite3.SQLITE_INSERT,
        sqlite3.SQLITE_DELETE,
        sqlite3.SQLITE_DROP_TABLE,
        sqlite3.SQLITE_ALTER_TABLE,
        sqlite3.SQLITE_CREATE_INDEX,
        sqlite3.SQLITE_DROP_INDEX,
    }
)
# Pragmas that change how SQLite compiles later statements, replayed as written.
_COMPILE_PRAGMAS: Final = frozenset({"writable_schema", "legacy_alter_table"})
# Statements compiled (EXPLAIN, never run) to learn whether SQLite accepts them here.
_DATA_WORDS: Final = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE", "SELECT", "WITH"})
_LOGGER: Final = logging.getLogger("sqlglot")
# Words a literal-only VALUES list may hold besides strings, numbers and punctuation.
_LITERAL_WORDS: Final = frozenset({"NULL", "TRUE", "FALSE", "VALUES", "(", ")", ",", "-", "+"})
# One empty set for every statement that creates nothing (a million seed INSERTs held a
# million empty frozensets, 216 bytes each).
_NOTHING: Final[frozenset[str]] = frozenset()


@dataclass(frozen=True)
class Parsed:
    """One statement with its tree and the schema it meets.

    Attributes:
        statement: the text and its first line in the file.
        column: 1-based column of the statement's first character on that line.
        before: the schema model before the statement: exact for the statements whose
            rules read it (copies, DROP TABLE, RENAME, CREATE UNIQUE INDEX, a data
            statement with a double-quoted name); for others it may be the schema of an
            earlier point of the same file (introspecting after every statement made
            lint cost tens of milliseconds a file).
        error: SQLite's message when the replay of this schema statement failed.
        creates: the views and triggers (lower-cased) the statement created, as SQLite's
            authorizer named them (sqlglot reads no ``CREATE TRIGGER``).

    """

    statement: Statement
    column: int
    before: Schema
    error: str | None = None
    creates: frozenset[str] = frozenset()

    @functools.cached_property
    def tree(self) -> exp.Expr | None:
        """Sqlglot's tree (SQLite dialect); ``None`` when sqlglot cannot read it.

        Parsed on first use: sqlglot costs about a millisecond a statement, and most
        rules look only at statements whose first keyword is theirs (:meth:`tree_if`).
        """
        return parse(self.sql)

    def tree_if(self, *words: str) -> exp.Expr | None:
        """The tree, when the statement starts with one of ``words`` (else ``None``)."""
        if self.words[:1] and self.words[0] in words:
            return self.tree
        return None

    @property
    def sql(self) -> str:
        """The statement's text."""
        return self.statement.sql

    @functools.cached_property
    def words(self) -> tuple[str, ...]:
        """The first three keywords, upper-cased (read once: rules ask for them often)."""
        return self.statement.keywords

    def position(self, offset: int) -> tuple[int, int]:
        """File ``(line, column)`` of character ``offset`` of the statement."""
        head = self.sql[:offset]
        newlines = head.count("\n")
        if not newlines:
            return self.statement.line, self.column + offset
        return self.statement.line + newlines, offset - head.rfind("\n")


@dataclass(frozen=True)
class FileContext:
    """One migration file (or its rollback) as the rules see it.

    Attributes:
        migration: the migration it belongs to.
        direction: ``up`` or ``down``.
        path: the file.
        statements: parsed statements, in the order the runner sends them.
        before / after: the schema before and after the whole file.
        target: the runner's rules.
        wrapped: whether the runner runs the file in one transaction.
        refused: the target's refusal of the file before anything runs, if any.
        tracked: whether the set is applied through a tracking table (False: by hand).
        sqlite_version: the oldest SQLite the target runs on; ``None``: not known (the
            runner's driver brings its own and the config does not name it).
        origin: for a rollback, the schema before its migration (what it must restore).
        memo: what shared analyses (rebuilds) computed once for the file.
        created: in a rollback, the tables (``name``) and columns (``table.column``) its
            migration created, lower-cased: dropping them is the rollback's job.
        dangling: in a forward file, the views and triggers SQLite cannot compile after
            it that it could before (or that did not exist): they fail on first use.
        empty: tables (lower-cased) no application wrote to before the forward file runs:
            an earlier file of its ship group created them (``check``'s
            :meth:`~migration_harness.checks.deploys.Deploys.unwritten`), so rules about
            rows a file meets leave them alone.
        repeated: in a rollback, the views and triggers (``("VIEW", name)``, lower-cased)
            a later repeatable migration creates: production holds them beside every
            version (:mod:`migration_harness.sets.repeatables`).
        moved: in a rollback, the tables its migration made (lower-cased) that hold the
            only copy of values it removed from older tables (``table.column``s):
            dropping them unread loses those values (:mod:`migration_harness.lint.moved`).
        seeds: in a forward file, the literal seed INSERTs earlier files left in each table
            (lower-cased), which every database holds (:mod:`migration_harness.lint.seeds`).
        copied: in a forward file, ``(table, column, into)`` (lower-cased): columns earlier
            forward files copied, as they are, into another table ``into``.

    """

    migration: Migration
    direction: str
    path: Path
    statements: tuple[Parsed, ...]
    before: Schema
    after: Schema
    target: Target
    wrapped: bool
    refused: MigrationRefusedError | None = None
    tracked: bool = True
    sqlite_version: tuple[int, ...] | None = None
    created: frozenset[str] = frozenset()
    origin: Schema | None = None
    empty: frozenset[str] = frozenset()
    dangling: tuple[Unresolved, ...] = ()
    repeated: frozenset[tuple[str, str]] = frozenset()
    moved: tuple[tuple[str, tuple[str, ...]], ...] = ()
    seeds: tuple[tuple[str, tuple[str, ...]], ...] = ()
    copied: frozenset[tuple[str, str, str]] = frozenset()
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def holds_rows(self, table: str) -> bool:
        """Whether ``table`` can hold rows the application wrote when the file runs."""
        return table.lower() not in self.empty

    @property
    def is_up(self) -> bool:
        """Whether this is the forward file (rules about new data loss speak only there)."""
        return self.direction == "up"

    @functools.cached_property
    def open_at(self) -> tuple[bool, ...]:
        """Whether a transaction is open when each statement runs (:func:`open_before`)."""
        return open_before([p.statement for p in self.statements], self.wrapped)[:-1]

    @functools.cached_property
    def keys_at(self) -> tuple[bool, ...]:
        """Whether foreign keys are enforced when each statement runs under the runner.

        D1 enforces them always; elsewhere a ``PRAGMA foreign_keys`` switches them only
        where it runs outside a transaction (SQLite ignores it inside one: the runner's, in
        a wrapped file, unless the file committed it first).
        """
        statements = [p.statement for p in self.statements]
        start = self.target.foreign_keys
        return keys_in_effect(statements, self.open_at, start, always_on=self.target.d1)[:-1]

    @functools.cached_property
    def ignored_pragmas(self) -> tuple[IgnoredPragma, ...]:
        """The ``PRAGMA foreign_keys`` the runner ignores that ask for another value.

        Read against the schema the file starts on (:func:`key_graph`), as ``check`` does.
        The graph is a pass over every foreign key of the schema, so it is built only for a
        file that holds a ``PRAGMA foreign_keys``: built for every file, it made a long
        history cost quadratic time (12 of 52 s at 2,000 tables).
        """
        statements = [p.statement for p in self.statements]
        if all(keys_value(s) is None for s in statements):
            return ()
        start = self.target.foreign_keys
        graph = key_graph(self.before)
        return ignored_pragmas(
            statements, self.open_at, start, always_on=self.target.d1, graph=graph
        )

    def keys_on(self, at: Parsed) -> bool:
        """Whether foreign keys are enforced when statement ``at`` runs (:attr:`keys_at`)."""
        for parsed, on in zip(self.statements, self.keys_at, strict=True):
            if parsed is at:
                return on
        message = f"{self.path}: the statement at line {at.statement.line} is not of this file"
        raise ValueError(message)


_CREATES: Final = frozenset({sqlite3.SQLITE_CREATE_TRIGGER, sqlite3.SQLITE_CREATE_VIEW})


class Replay:
    """A private in-memory database that follows a set's schema, file after file."""

    def __init__(self, dialect: str = "sqlite") -> None:
        # libSQL's ALTER COLUMN is replayed as libSQL runs it (sets.libsql) on a libsql set.
        self.dialect = dialect
        # No statement cache: a file that repeats an earlier INSERT word for word (prisma's
        # generated rebuilds do) would EXPLAIN the cached statement, which SQLite re-prepares
        # after the schema change; listing it then reads a freed default value (SIGSEGV on
        # SQLite 3.40, pingvin-share 20221113221005).
        self.conn = sqlite3.connect(":memory:", isolation_level=None, cached_statements=0)
        fold_names(self.conn)
        self.schema = introspect(self.conn)
        self._touched: set[str] = set()
        self._creates: set[str] = set()
        self._unresolved: tuple[Schema, tuple[Unresolved, ...]] | None = None
        self._altered = False
        self._dirty = False
        # The literal seed INSERTs each table holds on every database (lint.seeds).
        self.seeds: dict[str, list[str]] = {}
        self.conn.set_authorizer(self._record)

    def close(self) -> None:
        """Free the memory."""
        self.conn.close()

    def run(self, statements: tuple[Statement, ...], text: str) -> tuple[Parsed, ...]:
        """Parse and replay ``statements``; the model moves on with the schema statements."""
        lines = text.split("\n")
        parsed: list[Parsed] = []
        for statement in statements:
            if self._dirty and _reads_schema(statement):
                self.refresh()
            self._creates = set()
            error = self._replay(statement)
            creates = frozenset(self._creates) if self._creates else _NOTHING
            parsed.append(
                Parsed(statement, _column_of(statement, lines), self.schema, error, creates)
            )
        self.refresh()
        return tuple(parsed)

    def refresh(self) -> None:
        """Read again the tables the statements run since the last refresh touched."""
        if not self._dirty:
            return
        self._dirty = False
        touched, self._touched = self._touched, set()
        if self._altered:
            # ALTER TABLE names a table it may rename, and rewrites the children's foreign
            # keys, which the authorizer does not report: read everything (ALTERs are few).
            self._altered = False
            self.schema = introspect(self.conn)
        else:
            self.schema = introspect_changed(self.conn, self.schema, touched)

    def _record(self, action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
        """Authorizer: note every name a schema statement touches (tables, indexes …)."""
        if action != sqlite3.SQLITE_READ and action != sqlite3.SQLITE_FUNCTION:
            for name in (arg1, arg2):
                if name:
                    self._touched.add(name.lower())
        if action in _CREATES and arg1:
            self._creates.add(arg1.lower())
        return sqlite3.SQLITE_OK

    def unresolved(self) -> tuple[Unresolved, ...]:
        """The views and triggers of the current schema SQLite cannot compile.

        Remembered for the schema it was read on: a file's "before" is the previous
        file's "after". No probe where the schema has neither.
        """
        self.refresh()
        if self._unresolved is not None and self._unresolved[0] is self.schema:
            return self._unresolved[1]
        found: tuple[Unresolved, ...] = ()
        if self.schema.views or self.schema.triggers:
            self.conn.set_authorizer(None)  # the probe's scratch table is no file's doing
            try:
                found = unresolved(self.conn)
            finally:
                self.conn.set_authorizer(self._record)
        self._unresolved = (self.schema, found)
        return found

    def _replay(self, statement: Statement) -> str | None:
        """Run a schema statement, compile a data statement; SQLite's error if it refuses.

        Application functions are not registered here, so "no such function" is not an
        error of the file.
        """
        word = statement.keywords[0] if statement.keywords else ""
        try:
            if word in _SCHEMA_WORDS:
                altered = libsql.alter_column(statement.sql) if self.dialect == "libsql" else None
                with sandbox.clock(self.conn):  # CREATE TABLE … AS an endless query
                    if altered is not None:
                        libsql.execute(self.conn, altered)
                    else:
                        self.conn.execute(statement.sql)
                self._dirty = True
                self._altered = self._altered or word == "ALTER"
            elif word in _DATA_WORDS:
                if _literal_seed(tuple(t.word for t in tokens(statement.sql) or ())):
                    return self._seed(statement)
                self.conn.execute(f"EXPLAIN {statement.sql}").fetchall()
            elif statement.pragma is not None and statement.pragma[0] in _COMPILE_PRAGMAS:
                self.conn.execute(statement.sql)
        except sqlite3.Error as exc:
            message = str(exc)
            return None if "no such function" in message else message
        finally:
            self._follow_seeds(statement)
        return None

    def _seed(self, statement: Statement) -> str | None:
        """Run a literal seed INSERT in a savepoint it rolls back: its refusal, or None.

        The rows are never kept; the statement is, for the tables' later copies
        (:mod:`migration_harness.lint.seeds`).
        """
        self.conn.execute("SAVEPOINT mh_seed")
        try:
            self.conn.execute(statement.sql)
        except sqlite3.Error as exc:
            message = str(exc)
            return None if "no such function" in message else message
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK TO mh_seed")
                self.conn.execute("RELEASE mh_seed")
        table = _inserted_table(statement.sql)
        if table is not None:
            self.seeds.setdefault(table, []).append(statement.sql)
        return None

    def _follow_seeds(self, statement: Statement) -> None:
        """Forget the seeds of a table a statement drops, re-creates or rewrites."""
        if not self.seeds:
            return
        moved = renamed(statement.sql)
        if moved is not None and moved[1] is None:
            rows = self.seeds.pop(moved[0].lower(), None)
            self.seeds.pop(moved[2].lower(), None)
            if rows is not None:
                self.seeds[moved[2].lower()] = rows
            return
        words = statement.keywords
        if words[:2] in (("DROP", "TABLE"), ("CREATE", "TABLE")):
            self.seeds.pop(_created_or_dropped(statement.sql), None)
        elif (written := written_table(statement.sql)) is not None:
            self.seeds.pop(written.lower(), None)

    def touched(self, statements: Iterable[Statement]) -> set[str]:
        """Tables the statements name, as SQLite resolves them on the current schema.

        Each statement is compiled (EXPLAIN, never run) with an authorizer that records the
        tables SQLite looks up; a statement that needs an earlier one to have run simply
        names nothing.
        """
        return self._compiled(
            statement.sql
            for statement in statements
            # SQLite runs a pragma as it compiles it: EXPLAIN is no guard
            if statement.keywords[:1] not in (("PRAGMA",), ("ATTACH",), ("DETACH",), ("VACUUM",))
        )

    def _compiled(self, sqls: Iterable[str]) -> set[str]:
        """Tables SQLite looks up compiling each of ``sqls`` (``EXPLAIN``, nothing runs)."""
        found: set[str] = set()

        def record(action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
            for name in (arg1, arg2) if action in _TABLE_ACTIONS else ():
                if name:
                    found.add(name.lower())
            return sqlite3.SQLITE_OK

        self.conn.set_authorizer(record)
        try:
            for sql in sqls:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute(f"EXPLAIN {sql}").fetchall()
        finally:
            self.conn.set_authorizer(self._record)
        return found

    def _trigger_reach(self, names: set[str]) -> set[str]:
        """``names`` and the tables the triggers on them write or read, transitively.

        SQLite's ``ALTER TABLE`` (DROP COLUMN, RENAME) compiles every trigger of the
        schema it rewrites: a copy holding a table's trigger without the table the body
        writes (an FTS5 index kept by ``AFTER INSERT`` triggers) refused what production
        accepts ("error in trigger notes_ai: no such table: main.notes_fts"). Compiling a
        write of each table that has triggers (:func:`writes`) names what they reach.
        """
        found = set(names)
        triggered = {
            row[0]
            for row in self.conn.execute(
                f"SELECT DISTINCT {FOLD}(tbl_name) FROM sqlite_master WHERE type = 'trigger'"
            )
        }
        stack = sorted(found & triggered)
        seen: set[str] = set()
        while stack:
            table = stack.pop()
            seen.add(table)
            for name in self._compiled(writes(self.conn, table)):
                if name not in found and not name.startswith("sqlite_"):
                    found.add(name)
                    if name in triggered and name not in seen:
                        stack.append(name)
        return found

    def scratch(self, tables: Iterable[str], views: Iterable[str] = ()) -> Replay:
        """A new replay holding only ``tables`` (with their indexes and triggers) and ``views``.

        A rollback is replayed there, not here: undoing its changes with a savepoint makes
        SQLite re-read the whole schema, which made lint's cost grow with the history.
        """
        names = sorted(self._trigger_reach({t.lower() for t in tables}))
        shown = sorted({v.lower() for v in views})
        other = Replay(self.dialect)
        marks = ", ".join("?" * len(names))
        view_marks = ", ".join("?" * len(shown))
        rows = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND ("
            f"(type != 'view' AND {FOLD}(tbl_name) IN ({marks})) OR "
            f"(type = 'view' AND {FOLD}(name) IN ({view_marks}))"
            ") ORDER BY type != 'table', type = 'view', rowid",
            [*names, *shown],
        ).fetchall()
        for (sql,) in rows:
            with contextlib.suppress(sqlite3.Error):
                other.conn.execute(sql)
        other._touched |= set(names)
        other._dirty = True
        other.refresh()
        return other


def _literal_seed(words: tuple[str, ...]) -> bool:
    """Whether a statement's upper-cased tokens are ``INSERT … VALUES`` of literals only.

    ``words``: each token's upper-cased word, ``""`` for a string or quoted name (numbers
    are not tokens here). Nothing after the VALUES list (no upsert, no RETURNING).
    """
    if not words or words[0] not in ("INSERT", "REPLACE") or "VALUES" not in words:
        return False
    if "SELECT" in words:
        return False
    tail = words[words.index("VALUES") :]
    return all(w == "" or w in _LITERAL_WORDS for w in tail)


def _inserted_table(sql: str) -> str | None:
    """The lower-cased table an ``INSERT [OR …] INTO t …`` names."""
    found = [t for t in tokens(sql) or () if t.word != "OR"]
    at = next((i for i, t in enumerate(found) if t.word == "INTO"), None)
    if at is None or at + 1 >= len(found) or not found[at + 1].is_name:
        return None
    if at + 3 < len(found) and found[at + 2].text == "." and found[at + 3].is_name:
        return found[at + 3].text.lower()
    return found[at + 1].text.lower()


def _created_or_dropped(sql: str) -> str:
    """The lower-cased table a ``CREATE TABLE`` or ``DROP TABLE`` names (``""``: unread)."""
    found = [t for t in tokens(sql) or () if t.word not in ("IF", "NOT", "EXISTS")]
    if len(found) < 3 or not found[2].is_name:
        return ""
    if len(found) > 4 and found[3].text == "." and found[4].is_name:
        return found[4].text.lower()
    return found[2].text.lower()


_GUARDED_CREATES: Final = frozenset(
    ("CREATE", kind, "IF") for kind in ("TABLE", "INDEX", "VIEW", "TRIGGER")
)


def _reads_schema(statement: Statement) -> bool:
    """Whether rules read the schema just before this statement (so it must be exact)."""
    words = statement.keywords
    if words[:2] == ("DROP", "TABLE"):
        return True
    if words[:3] in _GUARDED_CREATES:
        return True  # a guarded CREATE is judged against what already holds its name
    if words[:3] == ("CREATE", "UNIQUE", "INDEX"):
        # MH212's dedupe proof builds its probe table from the table here: columns the
        # file added earlier must be in it, or a dedupe ordering by one fails to compile
        return True
    if words[:1] and words[0] in _DATA_WORDS and '"' in statement.sql:
        return True  # quoted names are judged against the tables as they are here (MH321)
    upper = statement.sql.upper()
    if words[:1] in (("INSERT",), ("REPLACE",)):
        return "SELECT" in upper
    # libSQL's ALTER COLUMN: its rule compares the column's old definition with the new.
    return words[:1] == ("ALTER",) and ("RENAME" in upper or libsql.is_alter_column(statement.sql))


def _column_of(statement: Statement, lines: list[str]) -> int:
    """1-based column where the statement starts on its first line."""
    if statement.line > len(lines):
        return 1
    first = statement.sql.split("\n", 1)[0]
    found = lines[statement.line - 1].find(first)
    return found + 1 if found >= 0 else 1


class _Quiet(logging.Filter):
    """Drop sqlglot's "falling back to a Command" warnings: lint reports its own."""

    def filter(self, record: logging.LogRecord) -> bool:
        return False


_QUIET: Final = _Quiet()


@functools.lru_cache(maxsize=4096)
def parse(sql: str) -> exp.Expr | None:
    """Sqlglot's tree for one statement (SQLite dialect); ``None`` when it cannot read it."""
    _LOGGER.addFilter(_QUIET)
    try:
        return parsing.parse_one(sql)
    except sqlglot.errors.SqlglotError:
        return None
    finally:
        _LOGGER.removeFilter(_QUIET)


def statements_for(
    target: Target, sql: str, options: Mapping[str, object] | None
) -> tuple[tuple[Statement, ...], bool, MigrationRefusedError | None]:
    """The statements the runner sends, whether it wraps them, and its refusal if any.

    A file the target refuses is still linted, statement by statement, as SQLite splits it
    (after wrangler's rewriting on D1), so every other rule still speaks about it.
    """
    try:
        plan = target.plan(sql, "", options)
    except MigrationRefusedError as exc:
        text = wrangler_text(sql) if target.d1 else sql
        try:
            return tuple(split_statements(text)), target.wrap == "file", exc
        except ValueError:
            return (), target.wrap == "file", exc
    except (GooseParseError, ValueError):
        return (), False, None
    return plan.statements, plan.wrapped, None
