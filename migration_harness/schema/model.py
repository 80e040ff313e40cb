"""The schema model: what a database's structure is, as immutable records.

``introspect(conn)`` reads a connection into frozen dataclasses that compare equal when two
databases have the same structure, however the SQL that made them was written (whitespace,
case, quoting, ``IF NOT EXISTS``, or ``ALTER TABLE`` having rewritten the stored text). That
equality is what "a rollback restores version k-1 exactly" means. Raw SQL is kept for
messages but left out of equality.

Introspection runs many times per check run, so a table's record is cached by the SQL
SQLite stores for it: the stored text determines the table completely.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final

# The records live in schema.records; listed in __all__ below so old imports keep working.
from migration_harness.schema.records import (
    Check,
    Column,
    ForeignKey,
    Index,
    Schema,
    Table,
    Trigger,
    View,
)
from migration_harness.schema.sqltext import (
    checks_of,
    collations_of,
    expressions_of,
    normalise_default,
    normalise_expression,
    normalise_sql,
    normalise_type,
    parse_create,
    parse_index,
    quote,
)
from migration_harness.sets.tokens import tokens

logging.getLogger("sqlglot").setLevel(logging.ERROR)

INTERNAL_PREFIXES: Final = ("sqlite_", "_cf_")
FOLD: Final = "mh_fold"
"""The SQL name of :func:`fold_names`' function: a name lower-cased as the harness does."""


def fold_names(conn: sqlite3.Connection) -> None:
    """Let ``conn``'s SQL lower-case a name as the harness's Python does (``str.lower``).

    The harness keys every table by ``name.lower()``; SQLite's ``lower()`` folds ASCII
    letters only, so a query matching ``lower(tbl_name)`` against those keys never found
    a table named ``"Élan"`` (``élan`` against ``Élan``), and lint's replay lost it.
    """
    conn.create_function(FOLD, 1, _fold, deterministic=True)


def _fold(value: str | None) -> str | None:
    """``value`` lower-cased (``sqlite_master`` names are text; a view's ``tbl_name`` too)."""
    return value.lower() if isinstance(value, str) else None


def introspect(conn: sqlite3.Connection, *, exclude: Iterable[str] = ()) -> Schema:
    """Read the structure of ``conn``'s main database. Never writes.

    Args:
        conn: any connection; only ``sqlite_master`` and read-only pragmas are queried.
        exclude: table names to leave out (tracking tables of the runner).

    """
    skip = frozenset(n.lower() for n in exclude)
    key = (_digest(conn.execute(_MASTER_KEY).fetchone()), skip)
    cached = _SCHEMA_CACHE.get(key)
    if cached is not None:
        return cached
    rows = tuple(
        conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    )
    now = frozenset(rows)
    derived = _successor(conn, rows, now, skip)
    virtual = False  # a successor is only ever derived from a read without virtual tables
    if derived is None:
        derived = _introspect_open(conn, rows, skip)
        virtual = any(_is_virtual(sql) for *_, sql in rows)
    schema, open_keys = derived
    if len(_SCHEMA_CACHE) > 2_000:
        _SCHEMA_CACHE.clear()
    _SCHEMA_CACHE[key] = schema
    if len(_READ) >= _READ_KEPT:
        del _READ[0]
    _READ.append(_Read(rows, now, skip, schema, virtual, open_keys))
    return schema


_MasterRows = tuple[tuple[str, str, str, str | None], ...]


@dataclass(frozen=True, slots=True)
class _Read:
    """A schema introspected lately, with the ``sqlite_master`` rows it was built from."""

    rows: _MasterRows
    row_set: frozenset[tuple[str, str, str, str | None]]
    skip: frozenset[str]
    schema: Schema
    virtual: bool  # whether a row is a virtual table
    open_keys: frozenset[str]  # lower-cased tables with a key naming no parent columns


# The last few reads (a bounded list: each holds a whole schema's rows).
_READ: list[_Read] = []
_READ_KEPT: Final = 4


def _successor(
    conn: sqlite3.Connection,
    rows: _MasterRows,
    now: frozenset[tuple[str, str, str, str | None]],
    skip: frozenset[str],
) -> tuple[Schema, frozenset[str]] | None:
    """The schema of ``rows`` from a read lately whose rows differ in a few tables only.

    The engine reads version k right after version k - 1, and the two differ by the
    tables migration k made or changed: building every table's record again (its cache
    key, its lookup, resolving its references) cost time in the length of the history
    (issue 17). Tables whose rows (their own and their indexes') are unchanged keep the
    earlier schema's record; the others are read as :func:`_introspect` reads them, and
    so is every table with a key without a column list (its parent may have changed).
    ``None`` (read in full) when no read kept is close enough, or a view, a trigger or a
    virtual table is involved.
    """
    for read in reversed(_READ):
        old = read.schema
        if read.skip != skip or read.virtual or old.triggers or old.views:
            continue
        changed = now ^ read.row_set
        if len(changed) > max(16, len(rows) // 8):
            continue
        if any(kind not in ("table", "index") or _is_virtual(sql) for kind, _, _, sql in changed):
            return None
        again = {tbl.lower() for _, _, tbl, _ in changed} | read.open_keys
        return _patched(conn, rows, skip, old, again)
    return None


def _patched(
    conn: sqlite3.Connection, rows: _MasterRows, skip: frozenset[str], old: Schema, again: set[str]
) -> tuple[Schema, frozenset[str]]:
    """:func:`_successor`: ``old``'s records, those of the tables in ``again`` read again."""
    index_sql: dict[str, list[tuple[str, str | None]]] = {}
    for kind, name, tbl, sql in rows:
        if kind == "index" and tbl.lower() in again:
            index_sql.setdefault(tbl.lower(), []).append((name, sql))
    tables: dict[str, Table] = {}
    fresh: dict[str, Table] = {}
    for kind, name, _, sql in rows:
        if kind != "table":
            continue
        if name.lower() not in again:
            kept = old.tables.get(name)
            if kept is not None:
                tables[kept.name] = kept
            continue
        if name.lower() in skip or name.startswith(INTERNAL_PREFIXES):
            continue
        table = _table_cached(conn, (name, sql or "", tuple(index_sql.get(name.lower(), ()))))
        tables[table.name] = fresh[table.name] = table
    lower = {name.lower(): table for name, table in tables.items()}
    tables.update(resolve_references(fresh, lower))
    return Schema(tables, (), ()), _open_keys(fresh)


def _open_keys(tables: Mapping[str, Table]) -> frozenset[str]:
    """Lower-cased names of ``tables`` (as read, unresolved) with a key naming no columns."""
    return frozenset(
        name.lower()
        for name, table in tables.items()
        if any(not fk.other_columns for fk in table.foreign_keys)
    )


def _is_virtual(sql: str | None) -> bool:
    """A ``CREATE VIRTUAL TABLE`` (as :func:`_shadow_tables` tells them)."""
    return bool(sql) and str(sql)[:20].upper().startswith("CREATE VIRTUAL")


def introspect_changed(conn: sqlite3.Connection, previous: Schema, tables: Iterable[str]) -> Schema:
    """``previous`` with ``tables`` (and every view and trigger) read again from ``conn``.

    For a caller that replays statements one by one and knows which tables changed (lint):
    reading the whole schema after each statement cost in proportion to the schema, so a
    long history cost quadratic time. Never writes.
    """
    names = sorted({t.lower() for t in tables})
    marks = ", ".join("?" * len(names))
    fold_names(conn)
    rows = tuple(
        conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            f"WHERE {FOLD}(tbl_name) IN ({marks}) OR type IN ('view', 'trigger') "
            "ORDER BY type, name",
            names,
        )
    )
    fresh = _introspect(conn, rows, frozenset())
    lowered = frozenset(names)
    parents = _Parents(
        previous.by_lower_name, lowered, {n.lower(): t for n, t in fresh.tables.items()}
    )
    resolved = resolve_references(fresh.tables, parents)
    return previous.replaced(lowered, resolved, fresh.triggers, fresh.views)


class _Parents(Mapping[str, Table]):
    """Tables by lower-cased name after a refresh: the fresh ones, else the earlier ones.

    A view, not a dict of every table: building one after each statement cost quadratic
    time over a long history.
    """

    __slots__ = ("_earlier", "_fresh", "_gone")

    def __init__(
        self, earlier: Mapping[str, Table], gone: frozenset[str], fresh: dict[str, Table]
    ) -> None:
        self._earlier, self._gone, self._fresh = earlier, gone, fresh

    def __getitem__(self, key: str) -> Table:
        if key in self._fresh:
            return self._fresh[key]
        if key in self._gone:
            raise KeyError(key)
        return self._earlier[key]

    def __iter__(self) -> Iterator[str]:
        yield from self._fresh
        yield from (k for k in self._earlier if k not in self._gone and k not in self._fresh)

    def __len__(self) -> int:
        return sum(1 for _ in self)


# Whole schemas by the content of sqlite_master: a check introspects the same few schemas
# after every example, and building a Schema of a large database (hundreds of tables) cost
# more than the example's SQL. The key is built by SQLite in one row (every entry's SQL,
# or its name when it has none, then types, names and tables), a fifth of the cost of
# fetching the rows; rowid order can differ for equal schemas, which only costs a miss.
# Schemas are frozen, so sharing one record is safe.
_MASTER_KEY: Final = (
    "SELECT group_concat(coalesce(sql, name), char(0)), group_concat(type),"
    " group_concat(name, char(0)), group_concat(tbl_name, char(0)) FROM sqlite_master"
)
_SCHEMA_CACHE: dict[tuple[object, ...], Schema] = {}


def _digest(master: tuple[str | None, ...]) -> bytes:
    """A digest of ``sqlite_master``'s content, the schema cache's key.

    The content itself was the key: version k of a long history holds k tables' SQL, so
    the keys of every version cached grew with the square of the history's length (about
    150 MiB of keys at 1,000 migrations). A 32-byte BLAKE2b digest stands for it.
    """
    digest = hashlib.blake2b(digest_size=32)
    for part in master:  # each part length-prefixed, so no two contents share a digest input
        data = b"" if part is None else part.encode("utf-8", "surrogatepass")
        digest.update(b"N" if part is None else b"S" + len(data).to_bytes(8, "little") + data)
    return digest.digest()


def _introspect(conn: sqlite3.Connection, rows: _MasterRows, skip: frozenset[str]) -> Schema:
    """Build the Schema for ``rows`` of ``sqlite_master`` (tables read through ``conn``)."""
    return _introspect_open(conn, rows, skip)[0]


def _introspect_open(
    conn: sqlite3.Connection, rows: _MasterRows, skip: frozenset[str]
) -> tuple[Schema, frozenset[str]]:
    """:func:`_introspect`, and the tables with a key naming no columns (:func:`_open_keys`)."""
    index_sql: dict[str, list[tuple[str, str | None]]] = {}
    for kind, name, tbl, sql in rows:
        if kind == "index":
            index_sql.setdefault(tbl.lower(), []).append((name, sql))
    tables: dict[str, Table] = {}
    triggers: list[Trigger] = []
    views: list[View] = []
    shadow = _shadow_tables(conn, rows)
    for kind, name, tbl, sql in rows:
        if name.lower() in skip or name.startswith(INTERNAL_PREFIXES) or name in shadow:
            continue
        if kind == "table":
            key = (name, sql or "", tuple(index_sql.get(name.lower(), ())))
            table = _table_cached(conn, key)
            # Keyed by the cached record's own name: the fetched string would be a new
            # object per version, k of them for version k of a long history.
            tables[table.name] = table
        elif kind == "trigger" and tbl.lower() not in skip:
            triggers.append(Trigger(name, tbl, normalise_sql(sql or ""), sql or ""))
        elif kind == "view":
            views.append(View(name, normalise_sql(sql or "")))
    schema = Schema(resolve_references(tables), tuple(triggers), tuple(views))
    return schema, _open_keys(tables)


def _shadow_tables(conn: sqlite3.Connection, rows: _MasterRows) -> frozenset[str]:
    """Tables a virtual table keeps its data in, owned by its module.

    FTS5's ``notes_fts_data`` or R*Tree's ``places_node`` are created, dropped and written
    by the module only. They are not part of the schema a migration writes, and rows
    generated into them corrupt the index. SQLite 3.37+ names them (``PRAGMA
    table_list``); older versions get the suffixes of the modules SQLite ships.
    """
    if not any(sql and sql[:20].upper().startswith("CREATE VIRTUAL") for *_, sql in rows):
        return frozenset()
    try:
        listed = conn.execute("PRAGMA main.table_list").fetchall()
    except sqlite3.OperationalError:
        listed = None
    if listed is not None:
        return frozenset(row[1] for row in listed if row[2] == "shadow")
    tables = {name.lower(): name for kind, name, _, _ in rows if kind == "table"}
    found = set()
    for kind, name, _, sql in rows:
        module = re.match(r"CREATE\s+VIRTUAL\s+TABLE\s+.*?\bUSING\s+(\w+)", sql or "", re.I | re.S)
        if kind != "table" or module is None:
            continue
        for suffix in _SHADOW_SUFFIXES.get(module.group(1).lower(), ()):
            if (real := tables.get(f"{name}_{suffix}".lower())) is not None:
                found.add(real)
    return frozenset(found)


_SHADOW_SUFFIXES: Final = {
    "fts5": ("data", "idx", "content", "docsize", "config"),
    "fts4": ("content", "segments", "segdir", "docsize", "stat"),
    "fts3": ("content", "segments", "segdir", "docsize", "stat"),
    "rtree": ("node", "rowid", "parent"),
    "rtree_i32": ("node", "rowid", "parent"),
}

_TABLE_CACHE: dict[tuple[str, str, tuple[tuple[str, str | None], ...]], Table] = {}


def _table_cached(
    conn: sqlite3.Connection, key: tuple[str, str, tuple[tuple[str, str | None], ...]]
) -> Table:
    """The table's record, computed once per distinct stored SQL."""
    table = _TABLE_CACHE.get(key)
    if table is None:
        table = _read_table(conn, key[0], key[1])
        if len(_TABLE_CACHE) > 20_000:
            _TABLE_CACHE.clear()
        _TABLE_CACHE[key] = table
    return table


def _read_table(conn: sqlite3.Connection, name: str, sql: str) -> Table:
    """Introspect one table through its pragmas (and sqlglot for CHECK, COLLATE, AS (…))."""
    # sqlglot is read only for CHECKs, COLLATEs and generated columns' expressions, and
    # costs milliseconds on a wide table: a CREATE without any of them has nothing for it.
    rows = conn.execute(f"PRAGMA table_xinfo({quote(name)})").fetchall()
    upper = sql.upper()
    generated = any(int(row[6]) in (2, 3) for row in rows)
    wanted = generated or "CHECK" in upper or "COLLATE" in upper
    parsed = parse_create(sql) if wanted else None
    collations = collations_of(parsed)
    expressions = expressions_of(parsed) if generated else {}
    columns = tuple(
        Column(
            name=row[1],
            type=normalise_type(str(row[2])),
            notnull=bool(row[3]),
            default=normalise_default(row[4]) if row[4] is not None else None,
            pk=int(row[5]),
            hidden=int(row[6]),
            collation=collations.get(row[1].lower()),
            expression=expressions.get(row[1].lower()),
        )
        for row in rows
    )
    foreign_keys = tuple(_foreign_keys(conn, name))
    indexes = tuple(sorted(_indexes(conn, name), key=lambda i: i.key))
    upper = " ".join(sql.upper().split())
    return Table(
        name=name,
        columns=columns,
        foreign_keys=tuple(sorted(foreign_keys, key=lambda f: (f.columns, f.other_table))),
        indexes=indexes,
        checks=checks_of(parsed),
        strict=bool(re.search(r"\)\s*(?:WITHOUT\s+ROWID\s*,\s*)?STRICT\s*(?:,.*)?$", upper)),
        without_rowid=bool(re.search(r"WITHOUT\s+ROWID", upper[upper.rfind(")") :])),
        virtual=upper.startswith("CREATE VIRTUAL TABLE"),
        autoincrement="AUTOINCREMENT" in upper and _autoincrement(sql),
        sql=sql,
    )


def _autoincrement(sql: str) -> bool:
    """Whether a CREATE TABLE declares AUTOINCREMENT (the keyword, not a name or string)."""
    return any(t.word == "AUTOINCREMENT" for t in tokens(sql) or ())


def _foreign_keys(conn: sqlite3.Connection, table: str) -> Iterable[ForeignKey]:
    """``table``'s foreign keys as declared: ``REFERENCES parent`` keeps no parent columns.

    sqlite-utils fills those in with the parent's primary key as it is when the child is
    read, ``rowid`` when the parent is absent then (a rebuild half-way, a replay). The
    record is cached by the child's SQL, so one such read named ``users(rowid)`` at every
    later version and a rollback writing ``REFERENCES users`` drifted from ``REFERENCES
    users(id)`` (pocket-id). :func:`resolve_references` resolves them against the
    parent of the schema being built.
    """
    by_id: dict[int, list[tuple[int, str, str, str | None, str, str]]] = {}
    for fk_id, seq, parent, column, to, on_update, on_delete, _match in conn.execute(
        f"PRAGMA foreign_key_list({quote(table)})"
    ):
        by_id.setdefault(fk_id, []).append((seq, parent, column, to, on_update, on_delete))
    for parts in (sorted(rows) for _, rows in sorted(by_id.items())):
        yield ForeignKey(
            table=table,
            columns=tuple(p[2] for p in parts),
            other_table=parts[0][1],
            other_columns=tuple(p[3] for p in parts if p[3] is not None),
            on_delete=parts[0][5].upper(),
            on_update=parts[0][4].upper(),
        )


def _indexes(conn: sqlite3.Connection, table: str) -> Iterable[Index]:
    """Every index on ``table``, with expression columns and WHERE read from its SQL."""
    for _seq, name, unique, origin, partial in conn.execute(f"PRAGMA index_list({quote(table)})"):
        sql_row = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type='index' AND name=?", (name,)
        ).fetchone()
        sql = sql_row[0] if sql_row else None
        info = conn.execute(f"PRAGMA index_xinfo({quote(name)})").fetchall()
        # sqlglot (milliseconds an index) only for what the pragma cannot say: a WHERE or
        # an expression column.
        needs_sql = partial or any(row[1] == -2 and row[5] for row in info)
        parsed = parse_index(sql) if sql and needs_sql else None
        expressions = parsed[0] if parsed else ()
        cols: list[str] = []
        names: list[str | None] = []
        collations: list[str] = []
        for seqno, cid, col, desc, coll, key in info:
            if not key:
                continue
            names.append(str(col) if cid >= 0 else None)
            collations.append(str(coll or "BINARY").upper())
            text = (
                col
                if cid >= 0
                else (expressions[seqno] if seqno < len(expressions) else "<expression>")
            )
            if coll and coll.upper() != "BINARY":
                text += f" COLLATE {coll.upper()}"
            if desc:
                text += " DESC"
            cols.append(str(text))
        where = parsed[1] if parsed and partial else None
        columns = tuple(cols)
        key_text = f"{origin}:{','.join(columns)}:{where}:{name if origin == 'c' else ''}"
        yield Index(
            name,
            table,
            columns,
            bool(unique),
            origin,
            where,
            key_text,
            tuple(names),
            tuple(collations),
        )


def resolve_references(
    tables: dict[str, Table], parents: Mapping[str, Table] | None = None
) -> dict[str, Table]:
    """Fill in ``REFERENCES parent`` (no column list) with the parent's primary key.

    ``parents``: every table by lower-cased name, when ``tables`` is only some of them.
    """
    lower = parents if parents is not None else {n.lower(): t for n, t in tables.items()}
    out: dict[str, Table] = {}
    for name, table in tables.items():
        fks = []
        changed = False
        for fk in table.foreign_keys:
            parent = lower.get(fk.other_table.lower())
            if not fk.other_columns and parent is not None:
                fk = ForeignKey(
                    fk.table,
                    fk.columns,
                    fk.other_table,
                    parent.primary_key or ("rowid",),
                    fk.on_delete,
                    fk.on_update,
                )
                changed = True
            fks.append(fk)
        out[name] = _replace_fks(table, tuple(fks)) if changed else table
    return out


def _replace_fks(table: Table, fks: tuple[ForeignKey, ...]) -> Table:
    """A copy of ``table`` with other foreign keys."""
    return Table(
        table.name,
        table.columns,
        fks,
        table.indexes,
        table.checks,
        strict=table.strict,
        without_rowid=table.without_rowid,
        virtual=table.virtual,
        autoincrement=table.autoincrement,
        sql=table.sql,
    )


def schema_from_sql(sql: str) -> Schema:
    """Build the schema a script produces, on a scratch in-memory database (tests, docs)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(sql)
        return introspect(conn)
    finally:
        conn.close()


def table_map(schema: Schema) -> Mapping[str, Table]:
    """Tables keyed by lower-cased name: SQLite resolves names case-insensitively."""
    return schema.by_lower_name


def cache_clear() -> None:
    """Forget cached table and schema records (tests that reuse SQL with different pragmas)."""
    _TABLE_CACHE.clear()
    _SCHEMA_CACHE.clear()
    _READ.clear()


__all__ = [
    "Check",
    "Column",
    "ForeignKey",
    "Index",
    "Schema",
    "Table",
    "Trigger",
    "View",
    "introspect",
    "normalise_expression",
    "normalise_sql",
    "normalise_type",
    "quote",
]
