"""What a file can touch: the tables it can change, what a re-run executes, integrity scope.

Pure functions of statements and schema records, shared by the per-migration properties,
the history fuzzer and the engine build, which must agree on them.
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Final

from migration_harness.data.rows import Rows
from migration_harness.schema.model import Schema, quote
from migration_harness.sets.sql import Statement
from migration_harness.sets.tokens import alter_table, names_in, object_named, renamed

if TYPE_CHECKING:
    pass


def relevant_tables(
    schema: Schema, statements: Sequence[Statement], populated: Iterable[str] = ()
) -> list[str]:
    """Tables whose rows a file can affect, plus the parents those rows need.

    Named tables; for statements that can cascade (DROP, DELETE, UPDATE, REPLACE, ALTER),
    the child tables of what they name, transitively. With triggers in the schema any
    write can reach anywhere, so every table counts.
    """
    return schema.with_parents(affected_tables(schema, statements), populated=populated)


def affected_tables(schema: Schema, statements: Sequence[Statement]) -> set[str]:
    """Tables whose rows a file can change.

    The ones it names and, for statements that can cascade, their child tables,
    transitively (every table when the schema has triggers).
    """
    if schema.triggers:
        return set(schema.tables)
    lower = schema.by_lower_name
    named: set[str] = set()
    cascading: set[str] = set()
    for statement in statements:
        words = names_in(statement.sql)
        # A statement that cannot be tokenized (never closed) may name anything.
        hits = (
            {t.name for t in lower.values()}
            if words is None
            else {lower[w].name for w in words if w in lower}
        )
        named |= hits
        if _can_cascade(statement):
            cascading |= hits
    return named | schema.with_children(cascading)


_CASCADING: Final = frozenset({"DROP", "DELETE", "UPDATE", "REPLACE", "ALTER"})


def _can_cascade(statement: Statement) -> bool:
    """Statements that remove or re-key rows, firing ON DELETE/UPDATE actions."""
    words = statement.keywords
    return bool(words) and (words[0] in _CASCADING or words[:2] == ("INSERT", "OR"))


def irreversible_operations(statements: Sequence[Statement]) -> list[str]:
    """The operations of a file that destroy data for good (for the rollback guide)."""
    found = []
    for statement in statements:
        flat = " ".join(statement.sql.split())
        altered = alter_table(statement.sql)
        if statement.keywords[:2] == ("DROP", "TABLE") or (altered and altered[1] == "DROP"):
            found.append(flat[:120])
    table_renames = [renamed(s.sql) for s in statements]
    if any(r is not None and r[1] is None for r in table_renames) and any(
        s.keywords[:2] == ("DROP", "TABLE") for s in statements
    ):
        found.append("table rebuild (create, copy, drop, rename)")
    return found


def unguardable_statements(statements: Sequence[Statement]) -> list[Statement]:
    """Statements SQLite offers no ``IF [NOT] EXISTS`` for: ALTER TABLE and rebuilds.

    A rebuild (create new table, copy, drop old, rename new to old) is unguardable as a
    whole: every statement that names the new table or drops the old one belongs to it,
    and so do the indexes and triggers it creates on the table after the rename: the
    DROP TABLE removed them, so they exist only because the rebuild ran (SQLite's own
    twelve-step procedure recreates them last).
    """
    found = [s for s in statements if alter_table(s.sql) is not None]
    renames = [(at, renamed(s.sql)) for at, s in enumerate(statements) if s in found]
    for at, rename in renames:
        if rename is None or rename[1] is not None:  # a column rename is no rebuild
            continue
        new, old = rename[0].lower(), rename[2].lower()
        for position, statement in enumerate(statements):
            words = names_in(statement.sql) or frozenset()
            drops_old = statement.keywords[:2] == ("DROP", "TABLE") and old in words
            recreates = (
                position > at
                and old in words
                and statement.keywords[:1] == ("CREATE",)
                and bool({"INDEX", "TRIGGER"} & set(statement.keywords[1:3]))
            )
            if (new in words or drops_old or recreates) and statement not in found:
                found.append(statement)
    # A guarded DROP of an index or trigger a left-out statement creates again belongs with
    # it: re-run alone, it removes what nothing then puts back.
    created = {object_named(s.sql, "CREATE") for s in found} - {None}
    for statement in statements:
        if statement not in found and object_named(statement.sql, "DROP") in created:
            found.append(statement)
    return [s for s in statements if s in found]


def rerun_sql(
    statements: Sequence[Statement],
    separator: str = "",
    block: tuple[str, str] | None = None,
) -> str:
    """The part of a file a re-run executes: every statement SQLite can guard.

    Each statement stays on its line of the file (blank lines stand for what is left
    out), so a failure in the re-run names the file's line; empty when nothing is left.
    ``separator`` goes between statements, at the end of a statement's last line: drizzle
    needs its ``--> statement-breakpoint`` there to run the statements one by one.
    ``block`` wraps a statement the runner's splitter would cut at an inner line-final
    ``;`` (a trigger body): goose's ``StatementBegin``/``StatementEnd``, which the file
    itself had around it. Kept per statements and runner: the history fuzzer asks after
    every version move, the idempotence check per example.
    """
    return _rerun_sql(tuple(statements), separator, block)


@functools.lru_cache(maxsize=1024)
def _rerun_sql(
    statements: tuple[Statement, ...], separator: str, block: tuple[str, str] | None
) -> str:
    """:func:`rerun_sql`, computed."""
    unguarded = unguardable_statements(statements)
    parts: list[str] = []
    line = 1
    closed = False  # the last part ends with the block's closing annotation
    for statement in statements:
        if statement in unguarded:
            continue
        text = statement.sql if statement.sql.endswith(";") else statement.sql + ";"
        gap = max(statement.line - line, 0)
        if parts:
            parts[-1] += separator
        if block is not None and ";\n" in text.rstrip().rstrip(";"):
            # the opening annotation on a line of its own, where the file had it: the line
            # before the statement, so the statement keeps its line
            lead = max(gap - 1, 1 if parts else 0)
            parts.append("\n" * lead + f"{block[0]}\n{text}\n{block[1]}")
            line += lead + 2 + text.count("\n")
            closed = True
            continue
        # after a closing annotation the next statement starts a line of its own (goose
        # reads "StatementEndCREATE INDEX …" as an unknown annotation)
        gap = max(gap, 1 if closed else 0)
        closed = False
        parts.append("\n" * gap + text)
        line += gap + text.count("\n")
    return "".join(parts)


MISMATCH = "foreign key mismatch"
"""SQLite's error for a foreign key whose parent key it cannot find (no UNIQUE, no column)."""
MISMATCH_KEY = -1
"""The key number :func:`fk_violations` gives a table whose key SQLite cannot check."""


def fk_violations(
    conn: sqlite3.Connection, tables: Collection[str] | None = None
) -> list[tuple[str, int, str, int]]:
    """``PRAGMA foreign_key_check`` rows, of ``tables`` only (``None``: the whole database).

    ``tables`` must exist in ``conn``: the scopes of :mod:`~migration_harness.checks.fkscope`
    are tables of a schema read from it. A scope spares the whole-database check, which
    reads every table with a foreign key (k tables at version k of a long history).
    """
    if tables is None:
        try:
            return list(conn.execute("PRAGMA foreign_key_check"))
        except sqlite3.OperationalError as exc:
            if MISMATCH not in str(exc):
                raise
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
    found: list[tuple[str, int, str, int]] = []
    for name in sorted(tables):
        try:
            found += conn.execute(f"PRAGMA foreign_key_check({quote(name)})").fetchall()
        except sqlite3.OperationalError as exc:
            # SQLite refuses to check a key whose parent columns are no PRIMARY KEY or
            # UNIQUE, or do not exist: every write to the child fails the same way while
            # keys are on, so it is the table's violation, not the harness's error.
            if MISMATCH not in str(exc):
                raise
            found.append((name, 0, str(exc), MISMATCH_KEY))
    return found


def describe_violation(table: str, rowid: int, parent: str, fk: int) -> str:
    """One line of a ``foreign_key_check`` row, or of a key SQLite cannot check at all."""
    if fk == MISMATCH_KEY:
        return f"every write to {table} fails while foreign keys are on: {parent}"
    return f"{table} row {rowid} references missing {parent} (foreign key #{fk})"


def fk_orphans(
    conn: sqlite3.Connection, tables: Collection[str] | None = None
) -> frozenset[tuple[str, int, str]]:
    """Rows that already break a foreign key: ``(table, rowid, parent)``, of ``tables``.

    With foreign keys off, rows can be orphans before a step runs (the application can
    write them, and so does the generator); a step is to blame only for the ones it adds.
    ``tables``: ``None`` for the whole database, else the step's
    :func:`~migration_harness.checks.fkscope.orphan_scope`.
    """
    violations = fk_violations(conn, tables)
    if not violations:
        return frozenset()
    roots = _root_pages(conn)
    named = {(t, r, p) for t, r, p, _ in violations}
    return frozenset(named | {_stored(roots, t, r, p) for t, r, p, _ in violations})


_ROOT: Final = "\0root:"
"""The prefix of a table named by its root page in :func:`fk_orphans`' keys."""


def _root_pages(conn: sqlite3.Connection) -> dict[str, int]:
    """Each table's root page (lower-cased name -> page): its storage, whatever its name."""
    rows = conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'table'")
    return {str(name).lower(): int(page or 0) for name, page in rows}


def _stored(roots: dict[str, int], table: str, rowid: int, parent: str) -> tuple[str, int, str]:
    """An orphan keyed by where its row and its parent are stored rather than by name.

    ``ALTER TABLE … RENAME TO`` keeps a table's b-tree (and rewrites the keys naming it),
    so an orphan the step found is still the same row under the new name: renaming
    ``loans`` to ``checkouts`` with keys off made each old orphan look new. A parent
    that does not exist keeps its name.
    """

    def where(name: str) -> str:
        page = roots.get(name.lower())
        return f"{_ROOT}{page}" if page else name

    return (where(table), rowid, where(parent))


def integrity_problems(
    conn: sqlite3.Connection,
    tables: Collection[str] | None = None,
    known: frozenset[tuple[str, int, str]] = frozenset(),
    fk_tables: Collection[str] | None = None,
    violations: list[tuple[str, int, str, int]] | None = None,
) -> tuple[int, tuple[str, ...], tuple[str, ...]]:
    """``(FK violations, their first lines, integrity_check lines)``; ``(0, (), ())`` if clean.

    One probe for the per-migration checks and the state machine, so both word the same
    defect the same way. ``tables``: the only tables whose rows or definition the step can
    have changed (``None``: any). ``integrity_check`` then reads just those tables and
    their indexes: on the whole database it cost milliseconds per example on a schema of
    hundreds of tables, more than the example's own SQL. ``fk_tables``: the tables whose
    foreign keys are checked (:func:`~migration_harness.checks.fkscope.fk_scope`, ``None``:
    all); ``known``: orphans that were there before the step (:func:`fk_orphans`, read
    over a superset of ``fk_tables``), not its doing. ``violations``: the
    :func:`fk_violations` of ``fk_tables`` when the caller has read them already.
    """
    if violations is None:
        violations = fk_violations(conn, fk_tables)
    if known:
        roots = _root_pages(conn)
        violations = [
            v
            for v in violations
            if (v[0], v[1], v[2]) not in known and _stored(roots, v[0], v[1], v[2]) not in known
        ]
    details = tuple(describe_violation(*violation) for violation in violations[:5])
    if tables is None or any(t.isdigit() for t in tables):  # a number is a max-errors count
        result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        result = [] if result == ["ok"] else result
    else:
        result = []
        # A table of the scope the step dropped (a rollback dropping the wrong table) has
        # nothing left to check; SQLite refuses to name it ('no such table'). An empty
        # scope (the history's application writes) reads nothing at all.
        present = (
            {
                name.lower()
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if tables
            else set()
        )
        for table in sorted(t for t in tables if t.lower() in present):
            lines = [r[0] for r in conn.execute(f"PRAGMA integrity_check({quote(table)})")]
            result += [] if lines == ["ok"] else lines
    return len(violations), details, tuple(result[:5])


def integrity_scope(
    tables: Collection[str] | None, statements: Sequence[Statement], *schemas: Schema
) -> set[str] | None:
    """Tables a step can have left inconsistent, for ``integrity_problems``.

    Every table whose definition or indexes differ between ``schemas``; ``None`` (all)
    when the rows the step can change are unknown or it edits the schema table by hand.
    ``tables`` (whose rows it can change) only when the step runs a ``PRAGMA``: rows that
    ``INSERT``/``UPDATE``/``DELETE`` write under an unchanged definition are held to its
    NOT NULL, CHECK and type rules as they are written, and their indexes kept by SQLite,
    so ``integrity_check`` finds nothing there unless a pragma switched that off
    (``ignore_check_constraints``; ``writable_schema`` is the case above). Checking them
    anyway was a quarter of the harness's own SQL on ``db/`` (issue 17).
    """
    if tables is None or any("writable_schema" in s.sql.lower() for s in statements):
        return None
    scope = set(tables) if any(s.pragma is not None for s in statements) else set()
    for before, after in itertools.pairwise(schemas):
        scope |= redefined_tables(before, after)
    last = schemas[-1].tables if schemas else {}
    return {name for name in scope if name in last}


def redefined_tables(before: Schema, after: Schema) -> frozenset[str]:
    """Tables added, dropped or changed (columns, indexes, ...) between two schemas.

    Remembered per pair of schema records (introspection shares one record per distinct
    schema, so a check meets the same few pairs in every example of every migration).
    """
    if before is after:
        return frozenset()
    key = (id(before), id(after))
    cached = _REDEFINED.get(key)
    if cached is not None and cached[0] is before and cached[1] is after:
        return cached[2]
    old, new = before.tables, after.tables
    names = frozenset(
        name
        for name in old.keys() | new.keys()
        if old.get(name) is not new.get(name) and old.get(name) != new.get(name)
    )
    if len(_REDEFINED) > 4_096:
        _REDEFINED.clear()
    _REDEFINED[key] = (before, after, names)  # the records keep their ids from being reused
    return names


_REDEFINED: dict[tuple[int, int], tuple[Schema, Schema, frozenset[str]]] = {}


def row_changes(before: Rows, after: Rows) -> list[str]:
    """Rows added or removed between two readings (any change counts for a re-run)."""
    changes: list[str] = []
    for table in sorted(set(before) | set(after)):
        old = Counter(before.get(table, ((), []))[1])
        new = Counter(after.get(table, ((), []))[1])
        added, removed = sum((new - old).values()), sum((old - new).values())
        if added:
            changes.append(f"{table}: {added} row(s) added")
        if removed:
            changes.append(f"{table}: {removed} row(s) removed or changed")
    return changes
