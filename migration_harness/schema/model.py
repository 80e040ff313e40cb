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

import functools
import logging
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

import sqlglot
from sqlglot import exp
from sqlite_utils import Database

logging.getLogger("sqlglot").setLevel(logging.ERROR)

INTERNAL_PREFIXES: Final = ("sqlite_", "_cf_")


@dataclass(frozen=True, slots=True)
class Column:
    """One column as ``PRAGMA table_xinfo`` and the CREATE statement describe it.

    Attributes:
        type: declared type, upper-cased with single spaces (``VARCHAR(255)``).
        default: the DEFAULT expression, normalised SQL; ``None`` when there is none.
        pk: 1-based position in the primary key, 0 when not part of it.
        hidden: 0 ordinary, 2 generated VIRTUAL, 3 generated STORED (SQLite's codes).
        collation: the column's COLLATE, upper-cased, ``None`` for the default BINARY.

    """

    name: str
    type: str = ""
    notnull: bool = False
    default: str | None = None
    pk: int = 0
    hidden: int = 0
    collation: str | None = None

    @property
    def affinity(self) -> str:
        """SQLite's type affinity for the declared type (section 3.1 of datatype3)."""
        declared = self.type.upper()
        if "INT" in declared:
            return "INTEGER"
        if any(word in declared for word in ("CHAR", "CLOB", "TEXT")):
            return "TEXT"
        if not declared or "BLOB" in declared:
            return "BLOB"
        if any(word in declared for word in ("REAL", "FLOA", "DOUB")):
            return "REAL"
        return "NUMERIC"

    @property
    def is_generated(self) -> bool:
        """Generated columns cannot be written to."""
        return self.hidden in (2, 3)


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """A foreign key, normalised so two introspections compare equal."""

    table: str
    columns: tuple[str, ...]
    other_table: str
    other_columns: tuple[str, ...]
    on_delete: str = "NO ACTION"
    on_update: str = "NO ACTION"

    def describe(self) -> str:
        """``reviews(reviewer_user_id) -> users(id)``."""
        return (
            f"{self.table}({', '.join(self.columns)}) -> "
            f"{self.other_table}({', '.join(self.other_columns)})"
        )


@dataclass(frozen=True, slots=True)
class Index:
    """An index: explicit (``origin='c'``) or made by a UNIQUE/PRIMARY KEY constraint.

    Constraint indexes get SQLite's generated names (``sqlite_autoindex_t_1``), which depend
    on declaration order, so their name is left out of equality.

    Attributes:
        columns: column names, or normalised expressions for expression indexes; a
            non-default order or collation is appended (``name DESC``).
        where: the partial index predicate, normalised; ``None`` for a full index.

    """

    name: str = field(compare=False)
    table: str
    columns: tuple[str, ...]
    unique: bool = False
    origin: str = "c"
    where: str | None = None
    key: str = field(default="", repr=False)

    @property
    def is_partial(self) -> bool:
        """A partial index only covers rows matching its WHERE."""
        return self.where is not None


@dataclass(frozen=True, slots=True)
class Check:
    """A CHECK constraint, its expression normalised by sqlglot.

    Attributes:
        column: the column it was declared on; ``None`` for a table constraint.

    """

    expression: str
    column: str | None = None


@dataclass(frozen=True, slots=True)
class Trigger:
    """A trigger; its SQL is normalised (case, whitespace, quoting) for comparison.

    ``source`` is the SQL as stored, to run again (the normalised form is for comparing
    only: it spaces out operators such as ``<>``).
    """

    name: str
    table: str
    sql: str
    source: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class View:
    """A view; its SQL is normalised for comparison."""

    name: str
    sql: str


@dataclass(frozen=True, slots=True)
class Table:
    """One table with everything that constrains its rows."""

    name: str
    columns: tuple[Column, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[Index, ...] = ()
    checks: tuple[Check, ...] = ()
    strict: bool = False
    without_rowid: bool = False
    virtual: bool = False
    sql: str = field(default="", compare=False, repr=False)
    # Columns the set's own SQL (schema/usage.py) or the real data's profile says hold JSON:
    # a hint for the generator, set only on the copies the engine draws rows for. Compared,
    # so the generator's per-table caches never serve a hinted table an unhinted plan.
    json_columns: frozenset[str] = field(default=frozenset(), repr=False)

    @property
    def primary_key(self) -> tuple[str, ...]:
        """Primary key column names in key order; empty for a rowid-only table."""
        pk = sorted((c.pk, c.name) for c in self.columns if c.pk)
        return tuple(name for _, name in pk)

    @property
    def rowid_alias(self) -> str | None:
        """The ``INTEGER PRIMARY KEY`` column that aliases the rowid, if any."""
        pk = [c for c in self.columns if c.pk]
        if len(pk) == 1 and pk[0].type == "INTEGER" and not self.without_rowid:
            return pk[0].name
        return None

    @property
    def unique_sets(self) -> tuple[tuple[str, ...], ...]:
        """Column sets that must be unique: primary key and full unique indexes on columns."""
        sets = [self.primary_key] if self.primary_key else []
        names = {c.name for c in self.columns}
        for index in self.indexes:
            plain = tuple(c.split(" ")[0] for c in index.columns)
            if index.unique and not index.is_partial and all(c in names for c in plain):
                sets.append(plain)
        return tuple(dict.fromkeys(sets))

    def column(self, name: str) -> Column:
        """The column called ``name`` (case-insensitive, as SQLite resolves it)."""
        for column in self.columns:
            if column.name.lower() == name.lower():
                return column
        raise KeyError(name)


@dataclass(frozen=True)
class Schema:
    """A whole database's structure; bookkeeping tables are left out.

    ``tables`` is keyed by table name; triggers and views are sorted by name.
    """

    tables: dict[str, Table] = field(default_factory=dict)
    triggers: tuple[Trigger, ...] = ()
    views: tuple[View, ...] = ()

    @property
    def foreign_keys(self) -> tuple[ForeignKey, ...]:
        """Every foreign key of every table."""
        return tuple(fk for t in self.tables.values() for fk in t.foreign_keys)

    @property
    def indexes(self) -> tuple[Index, ...]:
        """Every index of every table."""
        return tuple(i for t in self.tables.values() for i in t.indexes)

    def with_parents(self, tables: Iterable[str], *, populated: Iterable[str] = ()) -> list[str]:
        """``tables`` and the tables their rows need as parents, parents first.

        Generated rows need their foreign keys' targets: a dataset for ``tables`` draws
        their direct parents (so a foreign key is sometimes set, not always NULL), and
        above those only the ancestors a NOT NULL foreign key requires: a nullable one
        may be NULL. Ancestors in ``populated`` are never drawn: rows already there
        (seeds) serve as parents. Drawing the whole chain above a table made every
        example of a long history cost rows in proportion to its length.
        """
        lower = self._names
        wanted = {lower[t.lower()] for t in tables if t.lower() in lower}
        skip = {t.lower() for t in populated}
        stack = [(name, True) for name in wanted]
        while stack:
            name, direct = stack.pop()
            table = self.tables[name]
            required = {c.name.lower() for c in table.columns if c.notnull}
            for fk in table.foreign_keys:
                parent = lower.get(fk.other_table.lower())
                needed = direct or any(c.lower() in required for c in fk.columns)
                if parent and needed and parent not in wanted and parent.lower() not in skip:
                    wanted.add(parent)
                    stack.append((parent, False))
        return [t for t in self.insert_order() if t in wanted]

    def with_children(self, tables: Iterable[str]) -> set[str]:
        """``tables`` and every table whose foreign keys reach them, transitively.

        ON DELETE/UPDATE actions travel from a parent to its children: a write or a DROP
        on ``tables`` can change the rows of all of these.
        """
        lower = self._names
        found = {lower.get(t.lower(), t) for t in tables}
        stack = list(found)
        while stack:
            for child in self._children.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        """Table names by lower-cased name (SQLite resolves names case-insensitively)."""
        return {name.lower(): name for name in self.tables}

    @functools.cached_property
    def _children(self) -> dict[str, set[str]]:
        """Each table's direct children (tables whose foreign keys point at it)."""
        children: dict[str, set[str]] = {}
        for table in self.tables.values():
            for fk in table.foreign_keys:
                parent = self._names.get(fk.other_table.lower())
                if parent:
                    children.setdefault(parent, set()).add(table.name)
        return children

    @functools.cached_property
    def by_lower_name(self) -> Mapping[str, Table]:
        """Tables keyed by lower-cased name, built once per schema record (read-only)."""
        return MappingProxyType({name.lower(): table for name, table in self.tables.items()})

    def insert_order(self) -> list[str]:
        """Tables with parents before children (cycles broken arbitrarily but stably)."""
        return list(self._insert_order)

    @functools.cached_property
    def _insert_order(self) -> tuple[str, ...]:
        """``insert_order``, computed once per schema record (records are shared)."""
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(name: str) -> None:
            if state.get(name):
                return
            state[name] = 1
            for fk in self.tables[name].foreign_keys:
                if fk.other_table in self.tables and fk.other_table != name:
                    visit(fk.other_table)
            state[name] = 2
            order.append(name)

        for name in sorted(self.tables):
            visit(name)
        return tuple(order)


def introspect(conn: sqlite3.Connection, *, exclude: Iterable[str] = ()) -> Schema:
    """Read the structure of ``conn``'s main database. Never writes.

    Args:
        conn: any connection; only ``sqlite_master`` and read-only pragmas are queried.
        exclude: table names to leave out (tracking tables of the runner).

    """
    skip = frozenset(n.lower() for n in exclude)
    key = (*conn.execute(_MASTER_KEY).fetchone(), skip)
    cached = _SCHEMA_CACHE.get(key)
    if cached is not None:
        return cached
    rows = tuple(
        conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    )
    schema = _introspect(conn, rows, skip)
    if len(_SCHEMA_CACHE) > 2_000:
        _SCHEMA_CACHE.clear()
    _SCHEMA_CACHE[key] = schema
    return schema


_MasterRows = tuple[tuple[str, str, str, str | None], ...]


def introspect_changed(conn: sqlite3.Connection, previous: Schema, tables: Iterable[str]) -> Schema:
    """``previous`` with ``tables`` (and every view and trigger) read again from ``conn``.

    For a caller that replays statements one by one and knows which tables changed (lint):
    reading the whole schema after each statement cost in proportion to the schema, so a
    long history cost quadratic time. Never writes.
    """
    names = sorted({t.lower() for t in tables})
    marks = ", ".join("?" * len(names))
    rows = tuple(
        conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            f"WHERE lower(tbl_name) IN ({marks}) OR type IN ('view', 'trigger') "
            "ORDER BY type, name",
            names,
        )
    )
    fresh = _introspect(conn, rows, frozenset())
    merged = {n: t for n, t in previous.tables.items() if n.lower() not in names}
    lower = {n.lower(): t for n, t in merged.items()} | {
        n.lower(): t for n, t in fresh.tables.items()
    }
    merged.update(_resolve_references(fresh.tables, lower))
    return Schema(merged, fresh.triggers, fresh.views)


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


def _introspect(conn: sqlite3.Connection, rows: _MasterRows, skip: frozenset[str]) -> Schema:
    """Build the Schema for ``rows`` of ``sqlite_master`` (tables read through ``conn``)."""
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
            tables[name] = _table_cached(conn, key)
        elif kind == "trigger" and tbl.lower() not in skip:
            triggers.append(Trigger(name, tbl, normalise_sql(sql or ""), sql or ""))
        elif kind == "view":
            views.append(View(name, normalise_sql(sql or "")))
    return Schema(_resolve_references(tables), tuple(triggers), tuple(views))


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
    """Introspect one table through sqlite-utils and the pragmas it does not wrap."""
    db = Database(conn, recursive_triggers=False, execute_plugins=False)
    handle = db.table(name)
    # sqlglot is read only for CHECKs and COLLATEs, and costs milliseconds on a wide
    # table: a CREATE without either word has nothing for it to find.
    upper = sql.upper()
    parsed = _parse_create(sql) if "CHECK" in upper or "COLLATE" in upper else None
    collations = _collations(parsed)
    columns = tuple(
        Column(
            name=row[1],
            type=normalise_type(str(row[2])),
            notnull=bool(row[3]),
            default=normalise_expression(row[4]) if row[4] is not None else None,
            pk=int(row[5]),
            hidden=int(row[6]),
            collation=collations.get(row[1].lower()),
        )
        for row in conn.execute(f"PRAGMA table_xinfo({quote(name)})")
    )
    foreign_keys = tuple(
        ForeignKey(
            table=name,
            columns=tuple(fk.columns),
            other_table=fk.other_table,
            other_columns=tuple(c for c in fk.other_columns if c is not None),
            on_delete=fk.on_delete.upper(),
            on_update=fk.on_update.upper(),
        )
        for fk in handle.foreign_keys
    )
    indexes = tuple(sorted(_indexes(conn, name), key=lambda i: i.key))
    upper = " ".join(sql.upper().split())
    return Table(
        name=name,
        columns=columns,
        foreign_keys=tuple(sorted(foreign_keys, key=lambda f: (f.columns, f.other_table))),
        indexes=indexes,
        checks=_checks(parsed),
        strict=bool(re.search(r"\)\s*(?:WITHOUT\s+ROWID\s*,\s*)?STRICT\s*(?:,.*)?$", upper)),
        without_rowid=bool(re.search(r"WITHOUT\s+ROWID", upper[upper.rfind(")") :])),
        virtual=upper.startswith("CREATE VIRTUAL TABLE"),
        sql=sql,
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
        parsed = _parse_index(sql) if sql and needs_sql else None
        expressions = parsed[0] if parsed else ()
        cols: list[str] = []
        for seqno, cid, col, desc, coll, key in info:
            if not key:
                continue
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
        yield Index(name, table, columns, bool(unique), origin, where, key_text)


def _resolve_references(
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
        table.strict,
        table.without_rowid,
        table.virtual,
        table.sql,
    )


@functools.lru_cache(maxsize=4096)
def _parse_create(sql: str) -> exp.Expr | None:
    """Sqlglot's tree for a CREATE TABLE; ``None`` when sqlglot cannot read it."""
    if not sql or sql.upper().lstrip().startswith("CREATE VIRTUAL"):
        return None
    try:
        return sqlglot.parse_one(sql, read="sqlite")
    except sqlglot.errors.SqlglotError:
        return None


def _checks(parsed: exp.Expr | None) -> tuple[Check, ...]:
    """Column and table CHECK constraints, in declaration order."""
    if parsed is None or not isinstance(parsed.this, exp.Schema):
        return ()
    found: list[Check] = []
    for item in parsed.this.expressions:
        column = item.name if isinstance(item, exp.ColumnDef) else None
        for check in item.find_all(exp.CheckColumnConstraint):
            found.append(Check(check.this.sql(dialect="sqlite"), column))
    return tuple(found)


def _collations(parsed: exp.Expr | None) -> dict[str, str]:
    """Declared COLLATE per column (lower-cased name), default BINARY left out."""
    if parsed is None or not isinstance(parsed.this, exp.Schema):
        return {}
    found: dict[str, str] = {}
    for item in parsed.this.expressions:
        if isinstance(item, exp.ColumnDef):
            for collate in item.find_all(exp.CollateColumnConstraint):
                name = collate.this.name.upper()
                if name != "BINARY":
                    found[item.name.lower()] = name
    return found


@functools.lru_cache(maxsize=4096)
def _parse_index(sql: str) -> tuple[tuple[str, ...], str | None] | None:
    """``(column expressions, WHERE)`` of a CREATE INDEX, normalised."""
    try:
        parsed = sqlglot.parse_one(sql, read="sqlite")
    except sqlglot.errors.SqlglotError:
        return None
    params = parsed.this.args.get("params") if isinstance(parsed.this, exp.Index) else None
    if params is None:
        return None
    columns = tuple(
        (o.this if isinstance(o, exp.Ordered) else o).sql(dialect="sqlite")
        for o in params.args.get("columns") or ()
    )
    where = params.args.get("where")
    if where is None:
        return columns, None
    predicate = where.this
    while isinstance(predicate, exp.Paren):
        predicate = predicate.this
    return columns, predicate.sql(dialect="sqlite")


@functools.lru_cache(maxsize=8192)
def normalise_expression(text: str) -> str:
    """One spelling per SQL expression (``datetime( 'now' )`` == ``DATETIME('now')``)."""
    try:
        return sqlglot.parse_one(text, read="sqlite").sql(dialect="sqlite")
    except sqlglot.errors.SqlglotError:
        return normalise_sql(text)


_TOKEN: Final = re.compile(
    r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|--[^\n]*|/\*.*?\*/|\s+|[A-Za-z_][\w$]*"""
    r"""|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|.""",
    re.DOTALL,
)


@functools.lru_cache(maxsize=4096)
def normalise_sql(sql: str) -> str:
    """Case, whitespace, identifier quoting and ``IF NOT EXISTS`` folded away.

    Used for triggers and views, which sqlglot does not parse reliably; string literals keep
    their case.
    """
    out: list[str] = []
    for token in _TOKEN.findall(sql):
        if token.isspace() or token.startswith(("--", "/*")):
            continue
        if token[0] in '"`[':
            out.append(token[1:-1].lower())
        elif token[0] == "'":
            out.append(token)
        else:
            out.append(token.lower())
    text = " ".join(out).removesuffix(" ;")
    return re.sub(r"^create (temp |temporary )?(\w+) if not exists ", r"create \1\2 ", text)


def normalise_type(declared: str) -> str:
    """``varchar ( 255 )`` -> ``VARCHAR(255)``; ``decimal(10, 2)`` -> ``DECIMAL(10,2)``."""
    text = " ".join(declared.upper().split())
    return re.sub(r"\s*([(),])\s*", r"\1", text)


def quote(name: str) -> str:
    """Quote an identifier for SQL text (double quotes, doubled inside)."""
    return '"' + name.replace('"', '""') + '"'


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
]
