"""Views and triggers SQLite cannot compile on the schema they sit in.

SQLite checks a view's or trigger's body only when it is used: ``CREATE TRIGGER`` accepts
``INSERT INTO track_audit …`` with no ``track_audit`` table, and ``DROP TABLE`` leaves the
views that read the table in place. Nothing fails until the application writes a row (the
trigger fires, and the write fails with it) or reads the view; and from then on every
``ALTER TABLE … RENAME`` of the database fails too, because SQLite re-checks the whole
schema after a rename ("error in trigger …"). The migration that did it applies cleanly
on every test database, which is why the defect ships.

The probe asks SQLite itself, never a parse of the body: a view is compiled with
``SELECT * FROM v LIMIT 0``; a trigger by compiling (``EXPLAIN``, nothing runs) the
writes that fire it, an INSERT, an UPDATE of every column and a DELETE of its table, with
the other triggers dropped in a savepoint so that each error is that trigger's own. (A
rename's schema test, which later migrations meet, does not resolve the columns an
``UPDATE … SET`` in a trigger body names; compiling the write does.) Only errors of the
body itself count: names that do not resolve ("no such table", "no such column"), a bare
column two tables of a join both have ("ambiguous column name"), a built-in function
called with the wrong number of arguments or an aggregate where none may stand (SQLite
refuses these when it prepares the statement, so every read or write fails the same way,
whatever the rows). A function the application registers, or a collation or module the
probe's SQLite lacks, is no defect of the schema: "no such function", "no such collation
sequence" and "no such module" never count.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Final

from migration_harness.schema.sqltext import quote

_UNRESOLVED: Final = (
    "no such table",
    "no such column",
    "ambiguous column name",
    "wrong number of arguments to function",
    "misuse of aggregate",
)
_SCRATCH: Final = "mh_resolve_probe"


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A view or trigger whose body SQLite refuses to compile on the schema it sits in.

    Attributes:
        type: ``view`` or ``trigger``.
        name: its name.
        sql: its definition, as ``sqlite_master`` holds it.
        error: SQLite's words (``no such table: main.track_audit``).

    """

    type: str
    name: str
    sql: str
    error: str

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies it across versions: type, lower-cased name and definition."""
        return (self.type, self.name.lower(), self.sql)

    def describe(self) -> str:
        """One line: which object, and what SQLite says when it is used."""
        use = "every write that fires it fails" if self.type == "trigger" else "every read fails"
        return f"{self.type} {self.name}: {use} with '{self.error}'"


def unresolved(conn: sqlite3.Connection) -> tuple[Unresolved, ...]:
    """The views and triggers of ``conn``'s main schema that SQLite cannot compile.

    ``conn`` is left as it was: the probe runs in savepoints it rolls back.
    """
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE type IN ('view', 'trigger') AND sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    if not rows:
        return ()
    views = [(n, s) for t, n, _, s in rows if t == "view"]
    triggers = [(n, table, s) for t, n, table, s in rows if t == "trigger"]
    found = [Unresolved("view", n, s, e) for n, s in views if (e := _view_error(conn, n))]
    # Broken views are judged above: dropped here, so a trigger's own error is its own (a
    # sound view stays: a trigger may read it, or be INSTEAD OF on it).
    shown = [("view", u.name) for u in found]
    tables = sorted({table for _, table, _ in triggers})
    if not any(_firing_error(conn, table, shown) for table in tables):
        return tuple(found)
    for name, table, sql in triggers:
        others = [("trigger", n) for n, _, _ in triggers if n != name]
        error = _firing_error(conn, table, shown + others)
        if (
            error is not None
            and _firing_error(conn, table, [*shown, *others, ("trigger", name)]) is None
        ):
            found.append(Unresolved("trigger", name, sql, error))
    return tuple(found)


def _view_error(conn: sqlite3.Connection, name: str) -> str | None:
    """SQLite's error compiling the view (one of ``_UNRESOLVED``), else ``None``."""
    try:
        conn.execute(f"SELECT * FROM {quote(name)} LIMIT 0").fetchall()
    except sqlite3.Error as exc:
        return _only_unresolved(str(exc))
    return None


def _firing_error(
    conn: sqlite3.Connection, table: str, dropped: list[tuple[str, str]]
) -> str | None:
    """The body error of compiling a write to ``table`` once ``dropped`` are gone.

    ``EXPLAIN`` of an INSERT, an UPDATE of every column and a DELETE compiles every
    trigger the write would fire, body and ``WHEN`` (nothing runs, so no row and no
    constraint matters); foreign keys are off for it, so a key to a missing table is not
    taken for a trigger's error (that is the child's own finding). All rolled back.
    """
    keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")  # outside a transaction: it takes effect
    conn.execute(f"SAVEPOINT {_SCRATCH}")
    try:
        for kind, name in dropped:
            conn.execute(f"DROP {kind.upper()} {quote(name)}")
        for statement in writes(conn, table):
            try:
                conn.execute(f"EXPLAIN {statement}").fetchall()
            except sqlite3.Error as exc:
                error = _only_unresolved(str(exc))
                if error is not None:
                    return error
    finally:
        conn.execute(f"ROLLBACK TO {_SCRATCH}")
        conn.execute(f"RELEASE {_SCRATCH}")
        conn.execute(f"PRAGMA foreign_keys = {int(keys)}")
    return None


def writes(conn: sqlite3.Connection, table: str) -> list[str]:
    """An INSERT, an UPDATE setting every ordinary column, and a DELETE of ``table``.

    Setting every column fires every ``UPDATE OF`` trigger; generated columns cannot be
    set and are left out.
    """
    name = quote(table)
    columns = [quote(row[1]) for row in conn.execute(f"PRAGMA table_xinfo({name})") if row[6] == 0]
    writes = [f"INSERT INTO {name} DEFAULT VALUES", f"DELETE FROM {name}"]
    if columns:
        writes.insert(1, f"UPDATE {name} SET " + ", ".join(f"{c} = {c}" for c in columns))
    return writes


def _only_unresolved(message: str) -> str | None:
    """``message`` from its body error on (``_UNRESOLVED``), or ``None`` for any other."""
    for words in _UNRESOLVED:
        at = message.find(words)
        if at >= 0:
            return message[at:]
    return None


def new_unresolved(
    before: tuple[Unresolved, ...], after: tuple[Unresolved, ...]
) -> tuple[Unresolved, ...]:
    """What ``after`` has broken that ``before`` did not (same object, same definition)."""
    known = {u.key for u in before}
    return tuple(u for u in after if u.key not in known)
