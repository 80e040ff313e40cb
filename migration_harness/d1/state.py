"""What a D1 database holds, as data: its objects and rows, read, rendered and restored.

Split out of :mod:`migration_harness.d1.mirror` (which keeps the executors that run files on
D1 and re-exports these names): the state is what crosses between the sqlite3 copy and D1,
the executors decide when it must.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Any, Final

from migration_harness.sets import runner

_CHUNK_CHARS: Final = 50_000  # D1 refuses statements over 100 KB
_STATE_SQL: Final = (
    "SELECT m.type, m.name, m.tbl_name, m.sql, coalesce(l.type, ''), coalesce(l.wr, 0) "
    "FROM sqlite_master m LEFT JOIN pragma_table_list l ON l.schema = 'main' "
    "AND l.name = m.name WHERE m.name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND m.sql IS NOT NULL "
    "ORDER BY m.rowid"
)


Value = str | float  # an SQL literal, or a REAL kept as a float so it stays exact
Sendable = str | dict[str, Any]  # SQL text, or {"sql", "params"} binding REALs
_MAX_PARAMS: Final = 100  # D1's limit of bound parameters a statement


@dataclass(frozen=True, slots=True)
class DbObject:
    """One row of ``sqlite_master`` (``kind``: ``pragma table_list``'s type, for tables)."""

    type: str
    name: str
    tbl_name: str
    sql: str
    kind: str = ""
    without_rowid: bool = False

    @property
    def is_internal(self) -> bool:
        """SQLite's own objects and virtual tables' shadow tables: never created by hand."""
        return self.name.lower().startswith("sqlite_") or self.kind == "shadow"


@dataclass(frozen=True, slots=True)
class TableRows:
    """A table's rows, every value an SQL literal; ``rowid`` first when the table has one."""

    name: str
    rowid: bool
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]


@dataclass(frozen=True, slots=True)
class State:
    """A whole database: its schema objects in creation order and every table's rows."""

    objects: tuple[DbObject, ...]
    tables: tuple[TableRows, ...]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> State:
        """The state the Worker read from D1."""
        return cls(
            tuple(
                DbObject(o["type"], o["name"], o["tbl_name"], o["sql"], o["kind"])
                for o in data["objects"]
            ),
            tuple(
                TableRows(t["name"], t["rowid"], tuple(t["columns"]), _rows(t["rows"]))
                for t in data["tables"]
            ),
        )

    @classmethod
    def read(cls, conn: sqlite3.Connection) -> State:
        """The state of a local connection, read exactly as the Worker reads D1's."""
        tables: list[TableRows] = []
        objects = cls.read_objects(conn)
        for obj in objects:
            name, kind = obj.name, obj.kind
            if obj.type != "table" or kind == "shadow" or name.startswith("sqlite_stat"):
                continue
            # generated columns (hidden 2, 3) store nothing; a virtual table's hidden ones
            # (1: FTS5's command column and rank) take commands, not values, so its rows
            # are read, and written back, by rowid and its declared columns
            columns = tuple(
                str(c[0])
                for c in conn.execute("SELECT name, hidden FROM pragma_table_xinfo(?)", (name,))
                if c[1] == 0
            )
            rowid = (
                not obj.without_rowid and kind == "table" and name != "sqlite_sequence"
            ) or kind == "virtual"
            exprs = [_value(e) for e in (["_rowid_"] if rowid else []) + [_q(c) for c in columns]]
            rows = tuple(
                tuple(r) for r in conn.execute(f"SELECT {', '.join(exprs)} FROM {_q(name)}")
            )
            tables.append(TableRows(name, rowid, columns, rows))
        return cls(tuple(objects), tuple(tables))

    @staticmethod
    def read_objects(conn: sqlite3.Connection) -> tuple[DbObject, ...]:
        """``sqlite_master`` in creation order, ``_cf_`` objects (D1's own) left out."""
        return tuple(
            DbObject(type_, name, tbl_name, sql, kind, bool(wr))
            for type_, name, tbl_name, sql, kind, wr in conn.execute(_STATE_SQL).fetchall()
        )

    def creation_sql(self) -> list[Sendable]:
        """Statements that rebuild this state in an empty database, objects in order.

        Tables first, then their rows (AUTOINCREMENT counters exactly), then indexes,
        views and triggers, so the inserts fire no trigger and build no index twice.
        """
        user = [o for o in self.objects if not o.is_internal]
        sql: list[Sendable] = [o.sql for o in user if o.type == "table"]
        for table in self.tables:
            if table.name == "sqlite_sequence":
                continue
            sql += _inserts(table)
        sequence = [t for t in self.tables if t.name == "sqlite_sequence"]
        if sequence and sequence[0].rows:
            sql += ["DELETE FROM sqlite_sequence", *_inserts(sequence[0])]
        sql += [o.sql for o in user if o.type != "table"]
        return sql

    def comparable(self) -> dict[str, Counter[tuple[Value, ...]]]:
        """Rows per table as multisets, the tracking table's timestamps left out."""
        result: dict[str, Counter[tuple[Value, ...]]] = {}
        for table in self.tables:
            rows = table.rows
            if table.name == runner.TRACKING_TABLE and "applied_at" in table.columns:
                drop = table.columns.index("applied_at") + (1 if table.rowid else 0)
                rows = tuple(r[:drop] + r[drop + 1 :] for r in rows)
            if table.name == "sqlite_sequence" and not rows:
                continue
            result[table.name] = Counter(rows)
        return result

    def describe(self) -> str:
        """The applied migrations and the rows of non-empty user tables, as SQL."""
        lines: list[str] = []
        for table in self.tables:
            if table.name in runner.BOOKKEEPING_TABLES or not table.rows:
                continue
            columns = ", ".join((["_rowid_"] if table.rowid else []) + list(table.columns))
            lines += [
                f"INSERT INTO {_q(table.name)}({columns}) VALUES ({_show(row)})"
                for row in table.rows
            ]
        tracking = [t for t in self.tables if t.name == runner.TRACKING_TABLE]
        applied = (
            [_unquote(r[2 if tracking[0].rowid else 1]) for r in tracking[0].rows]
            if tracking
            else []
        )
        head = f"-- applied: {', '.join(applied) or 'nothing'}"
        return "\n".join([head, *(line + ";" for line in lines)])


def load(conn: sqlite3.Connection, state: State) -> None:
    """Make ``conn`` hold exactly ``state``, replacing its whole content, in one transaction.

    Foreign keys are off meanwhile — this restores a state, it runs no migration — and back
    as they were after. (Not ``deserialize``: on a connection that had loaded a schema,
    SQLite 3.40's ``pragma_table_list`` then crashes the process.)
    """
    keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN")
        try:
            for sql in _drop_all(conn):
                conn.execute(sql)
            for item in state.creation_sql():
                if isinstance(item, str):
                    conn.execute(item)
                else:
                    conn.execute(item["sql"], item["params"])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute(f"PRAGMA foreign_keys = {int(keys)}")


def _drop_all(conn: sqlite3.Connection) -> list[str]:
    """Statements that empty a local database whose foreign keys are off."""
    objects = State.read_objects(conn)
    drops = [
        f"DROP {o.type.upper()} IF EXISTS {_q(o.name)}"
        for o in reversed(objects)
        if not o.is_internal and o.type in ("trigger", "view", "table")
    ]
    if any(o.name == "sqlite_sequence" for o in objects):
        drops.append("DELETE FROM sqlite_sequence")
    return drops


def image(conn: sqlite3.Connection) -> bytes:
    """The connection's database image; empty for a database never written to."""
    try:
        return conn.serialize()
    except sqlite3.OperationalError:  # SQLite has no page to serialise yet
        return b""


def fingerprint(conn: sqlite3.Connection) -> bytes:
    """A digest of the connection's whole image: equal images, equal states."""
    return hashlib.blake2b(image(conn), digest_size=16).digest()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rows(raw: list[list[Any]]) -> tuple[tuple[Value, ...], ...]:
    """JSON rows back to values: a REAL such as 3.0 arrives as the JSON number 3."""
    return tuple(tuple(v if isinstance(v, str) else float(v) for v in row) for row in raw)


def _value(expr: str) -> str:
    """Read a value as an SQL literal, or as itself when REAL (see :data:`Value`)."""
    return f"CASE typeof({expr}) WHEN 'real' THEN {expr} ELSE quote({expr}) END"


def _render(value: Value, params: list[float]) -> str:
    """A value in an INSERT: literals as they are, REALs bound unless trivially exact."""
    if isinstance(value, str):
        return value
    if value != value or value in (float("inf"), float("-inf")):
        return "9e999" if value > 0 else ("-9e999" if value < 0 else "NULL")
    if value.is_integer() and abs(value) < 2**53:
        return repr(value)  # "3.0": every parser reads small whole numbers exactly
    params.append(value)
    return "?"


def _unquote(value: Value) -> str:
    """A text literal's content (``'a''b'`` -> ``a'b``)."""
    text = str(value)
    return text[1:-1].replace("''", "'") if text.startswith("'") else text


def _show(row: tuple[Value, ...]) -> str:
    return ", ".join(v if isinstance(v, str) else repr(v) for v in row)


def _inserts(table: TableRows) -> list[Sendable]:
    """Multi-row INSERTs, each under D1's size and bound-parameter limits."""
    if not table.rows:
        return []
    columns = (["_rowid_"] if table.rowid else []) + [_q(c) for c in table.columns]
    head = f"INSERT INTO {_q(table.name)}({', '.join(columns)}) VALUES "
    statements: list[Sendable] = []
    chunk: list[str] = []
    params: list[float] = []
    size = 0

    def flush() -> None:
        sql = head + ", ".join(chunk)
        statements.append({"sql": sql, "params": list(params)} if params else sql)

    for row in table.rows:
        row_params: list[float] = []
        values = f"({', '.join(_render(v, row_params) for v in row)})"
        if chunk and (
            size + len(values) > _CHUNK_CHARS or len(params) + len(row_params) > _MAX_PARAMS
        ):
            flush()
            chunk, params, size = [], [], 0
        chunk.append(values)
        params += row_params
        size += len(values) + 2
    flush()
    return statements
