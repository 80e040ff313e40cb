"""What the set's own SQL says a column holds, beyond what its declaration enforces.

A ``TEXT`` column that a later migration reads through ``json_each(col)``,
``json_extract(col, …)``, ``json(col)`` or another function that parses it holds JSON: the
author wrote the migration on that assumption, and the application writes the column
through ``JSON.stringify`` or an ORM's JSON type.
The declaration does not say so (no ``CHECK (json_valid(col))``), so random text there
makes the migration fail with "malformed JSON": a failure of data the application never
writes, which real histories showed as a false alarm. The generator draws JSON text for
such columns, as it does for a ``json_valid`` CHECK; lint's data-dependent rules still say
that the schema does not enforce it.

The statements are parsed with sqlglot; a column is tied to its table through the
statement's own FROM/JOIN aliases (or the table of an expression index), and left alone
where that is ambiguous. ``CAST(col AS TEXT)`` as the JSON argument is ``col`` itself.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

from sqlglot import exp
from sqlglot.errors import SqlglotError

from migration_harness.schema.model import Schema, Table
from migration_harness.sets import parsing
from migration_harness.sets.records import MigrationSet
from migration_harness.sets.sql import split_statements

# SQLite functions that parse an argument as JSON and fail with "malformed JSON" when it is
# not, with the positions of those arguments (0-based). json_valid, json_quote, json_array
# and json_object take any value and are absent; json_set's new values are stored, not
# parsed, so only its first argument counts.
_JSON_ARGUMENTS: Final[dict[str, tuple[int, ...]]] = {
    **dict.fromkeys(
        (
            "json",
            "jsonb",
            "json_pretty",
            "json_each",
            "json_tree",
            "json_extract",
            "jsonb_extract",
            "json_type",
            "json_array_length",
            "json_remove",
            "jsonb_remove",
            "json_set",
            "jsonb_set",
            "json_insert",
            "jsonb_insert",
            "json_replace",
            "jsonb_replace",
        ),
        (0,),
    ),
    "json_patch": (0, 1),
    "jsonb_patch": (0, 1),
}
# sqlglot's own nodes for some of them (which exist depends on its version); each reads its
# ``this`` as JSON. -> and ->> parse to JSONExtract/JSONExtractScalar.
_JSON_NODES: Final = tuple(
    node
    for name in (
        "JSONExtract",
        "JSONExtractScalar",
        "JSONBExtract",
        "JSONBExtractScalar",
        "JSONType",
        "JSONArrayLength",
        "JSONSet",
        "JSONRemove",
        "JSONInsert",
        "JSONReplace",
    )
    if isinstance(node := getattr(exp, name, None), type)
)
_LOGGER: Final = logging.getLogger("sqlglot")

Column = tuple[str, str]  # (table, column), lower-cased


def json_columns(statements: Iterable[str]) -> frozenset[Column]:
    """The columns that ``statements`` read as JSON text, by table (lower-cased)."""
    found: set[Column] = set()
    for sql in statements:
        tree = parse_sql(sql)
        if tree is not None:
            found.update(_json_reads(tree))
    return frozenset(found)


_MEMBER_SOURCES: Final = ("json_each", "json_tree")


def json_member_columns(statements: Iterable[str]) -> frozenset[Column]:
    """The JSON columns whose members ``statements`` parse as JSON again, by table.

    ``FROM json_each(workspaces.headers) … json_extract(value, '$.name')`` (yaak): each
    member of ``headers`` is read as JSON, so the application writes a list of objects,
    and a bare string member is text that is not JSON ("malformed JSON"). The member is
    the table-valued function's ``value`` column, unqualified or named by its alias, given
    to a function that parses its argument (:data:`_JSON_ARGUMENTS`) in the same query.
    """
    found: set[Column] = set()
    for sql in statements:
        tree = parse_sql(sql)
        if tree is not None:
            found.update(_member_reads(tree))
    return frozenset(found)


def _member_reads(tree: exp.Expr) -> set[Column]:
    out: set[Column] = set()
    for table in tree.find_all(exp.Table):
        call = table.this
        if not isinstance(call, exp.Anonymous) or str(call.this).lower() not in _MEMBER_SOURCES:
            continue
        source = call.expressions[0] if call.expressions else None
        if isinstance(source, exp.Cast):
            source = source.this
        query = table.find_ancestor(exp.Select)
        if not isinstance(source, exp.Column) or not source.name or query is None:
            continue
        owner = table_of(source)
        alias = (table.alias or str(call.this)).lower()
        if owner is not None and any(
            argument.name.lower() == "value"
            and (not argument.table or argument.table.lower() == alias)
            for node in query.walk()
            for argument in _json_arguments(node)
        ):
            out.add((owner, source.name.lower()))
    return out


def with_hints(
    schema: Schema,
    columns: frozenset[Column],
    filled: frozenset[Column] = frozenset(),
    pools: Mapping[Column, tuple[str, ...]] | None = None,
    unix: frozenset[Column] = frozenset(),
    base: tuple[Schema, Schema] | None = None,
    literals: Mapping[Column, tuple[str | int, ...]] | None = None,
    members: frozenset[Column] = frozenset(),
    replaced: Mapping[Column, tuple[str | int, ...]] | None = None,
) -> Schema:
    """``schema`` with each table told which columns hold JSON, and which are always filled.

    JSON columns: those the set's SQL reads as JSON (``columns``), and those whose DEFAULT
    is a JSON array or object. ``unix``: date/time columns holding unix seconds at this
    version (schema/unixtime.py). ``literals``: what the set's SQL compares columns with
    (schema/literals.py). ``members``: JSON columns whose members it parses as JSON too
    (:func:`json_member_columns`). ``replaced``: what its REPLACE statements write into
    each column (schema/literals.py), drawn in key columns too.

    ``base``: another schema and what this function returned for it *with the same hints*
    (the caller's promise). A table record of ``schema`` that is the very object ``base``
    holds under its name gets ``base``'s hinted record: a table's hints depend only on its
    record and the hints, and version k of a long history shares all but a few records
    with version k - 1, so hinting every table of every version cost time in the length
    of the history (issue 17).
    """
    hints = _Hints(columns, filled, pools or {}, unix, literals or {}, members, replaced or {})
    plain, hinted = base if base is not None else (None, None)
    tables = {}
    for name, table in schema.tables.items():
        if plain is not None and hinted is not None and plain.tables.get(name) is table:
            tables[name] = hinted.tables[name]
        else:
            tables[name] = hints.told(table)
    return schema.told(tables)


class _Hints:
    """The hints of :func:`with_hints`, by lower-cased table name (each table looks up its own)."""

    def __init__(
        self,
        columns: frozenset[Column],
        filled: frozenset[Column],
        pools: Mapping[Column, tuple[str, ...]],
        unix: frozenset[Column],
        literals: Mapping[Column, tuple[str | int, ...]],
        members: frozenset[Column] = frozenset(),
        replaced: Mapping[Column, tuple[str | int, ...]] | None = None,
    ) -> None:
        self._columns = _by_table(columns)
        self._members = _by_table(members)
        self._filled = _by_table(filled)
        self._unix = _by_table(unix)
        self._pools: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for (t, c), v in pools.items():
            self._pools.setdefault(t, []).append((c, v))
        self._literals: dict[str, list[tuple[str, tuple[str | int, ...]]]] = {}
        for (t, c), found in literals.items():
            self._literals.setdefault(t, []).append((c, found))
        self._replaced: dict[str, list[tuple[str, tuple[str | int, ...]]]] = {}
        for (t, c), found in (replaced or {}).items():
            self._replaced.setdefault(t, []).append((c, found))

    def told(self, table: Table) -> Table:
        """``table`` with its JSON, always-filled, pooled, unix-seconds and compared columns set."""
        name = table.name.lower()
        names = {c.name.lower() for c in table.columns}
        own = frozenset(c for c in self._columns.get(name, ()) if c in names) | {
            c.name.lower() for c in table.columns if _json_default(c.default)
        }
        parts = frozenset(c for c in self._members.get(name, ()) if c in names)
        own |= parts
        full = frozenset(c for c in self._filled.get(name, ()) if c in names)
        pooled = tuple(sorted((c, v) for c, v in self._pools.get(name, ()) if c in names))
        seconds = frozenset(c for c in self._unix.get(name, ()) if c in names)
        compared = tuple(sorted((c, v) for c, v in self._literals.get(name, ()) if c in names))
        replaced = tuple(sorted((c, v) for c, v in self._replaced.get(name, ()) if c in names))
        if not (own or full or pooled or seconds or compared or replaced):
            return table
        return dataclasses.replace(
            table,
            json_columns=own,
            json_member_columns=parts,
            filled_columns=full,
            column_pools=pooled,
            unix_columns=seconds,
            compared_literals=compared,
            replaced_literals=replaced,
        )


def _by_table(columns: Iterable[Column]) -> dict[str, list[str]]:
    """``(table, column)`` pairs grouped by table."""
    grouped: dict[str, list[str]] = {}
    for t, c in columns:
        grouped.setdefault(t, []).append(c)
    return grouped


def _json_default(default: str | None) -> bool:
    """A DEFAULT that is a JSON array or object (``'[]'``, ``'{}'``): the column holds JSON.

    arcane's ``roles.permissions TEXT DEFAULT '[]'`` is only ever written as a JSON array;
    random text there failed a later json_each with "malformed JSON", data the application
    never writes.
    """
    if not default or len(default) < 4 or default[0] != "'" or default[-1] != "'":
        return False
    try:
        value = json.loads(default[1:-1].replace("''", "'"))
    except ValueError:
        return False
    return isinstance(value, list | dict)


def parse_sql(sql: str) -> exp.Expr | None:
    """One statement as sqlglot reads it (SQLite dialect); ``None`` when it cannot."""
    level = _LOGGER.level
    _LOGGER.setLevel(logging.CRITICAL)  # a statement sqlglot cannot read says nothing
    try:
        return parsing.parse_one(sql)
    except SqlglotError:
        return None
    finally:
        _LOGGER.setLevel(level)


def _json_reads(tree: exp.Expr) -> set[Column]:
    out: set[Column] = set()
    for node in tree.walk():
        for argument in _json_arguments(node):
            table = table_of(argument)
            if table is not None:
                out.add((table, argument.name.lower()))
    return out


def _json_arguments(node: exp.Expr) -> list[exp.Column]:
    """The columns a JSON function parses as JSON, among its arguments.

    tabby 0042 folds a TEXT column into an object with ``json_set(attachment, '$.code',
    json(code_attachments))``: ``json()`` fails on text that is not JSON, so the set says
    ``code_attachments`` holds JSON as surely as a ``json_extract`` would.
    """
    if isinstance(node, _JSON_NODES):
        arguments: list[exp.Expr | None] = [node.this]
    elif isinstance(node, exp.Anonymous) and str(node.this).lower() in _JSON_ARGUMENTS:
        given = node.expressions
        positions = _JSON_ARGUMENTS[str(node.this).lower()]
        arguments = [given[i] for i in positions if i < len(given)]
    else:
        return []
    out = []
    for first in arguments:
        if isinstance(first, exp.Cast) and first.to.is_type(*exp.DataType.TEXT_TYPES):
            # ``json_extract(CAST(request_data AS TEXT), …)`` (pocket-id 20260731): the text
            # of the column is read as JSON, so the column holds JSON.
            first = first.this
        if isinstance(first, exp.Column) and first.name:
            out.append(first)
    return out


def table_of(column: exp.Column) -> str | None:
    """The table ``column`` belongs to, from its statement's sources; ``None`` if unsure.

    A correlated subquery (``FROM json_each(roles.permissions)`` inside an ``UPDATE
    roles``) names a table of an outer scope: scopes are searched from the innermost out.
    """
    for sources in _scopes(column):
        if column.table:
            if column.table.lower() in sources:
                return sources[column.table.lower()]
            continue
        names = set(sources.values())
        if names:
            return names.pop() if len(names) == 1 else None
    return None


def _scopes(column: exp.Column) -> Iterator[dict[str, str]]:
    """Alias (or name) → table name of the real tables of each scope around ``column``."""
    scope = column.find_ancestor(exp.Select, exp.Update, exp.Delete)
    while scope is not None:
        yield _sources(scope)
        scope = scope.find_ancestor(exp.Select, exp.Update, exp.Delete)
    # An expression index (``CREATE INDEX … ON audit_logs ((json_extract(data, …)))``)
    # reads the columns of its one table; building it fails on a row that is not JSON.
    index = column.find_ancestor(exp.Index)
    if index is not None and isinstance(table := index.args.get("table"), exp.Table):
        yield {table.name.lower(): table.name.lower()}


def _sources(scope: exp.Expr) -> dict[str, str]:
    """Alias (or name) → table name of the real tables one scope reads."""
    tables: list[exp.Table] = []
    if isinstance(scope, exp.Update | exp.Delete) and isinstance(scope.this, exp.Table):
        tables.append(scope.this)
    for clause in ("from", "from_", "joins"):
        value = scope.args.get(clause)
        for part in value if isinstance(value, list) else [value]:
            if isinstance(part, exp.From | exp.Join) and isinstance(part.this, exp.Table):
                tables.append(part.this)
    out: dict[str, str] = {}
    for table in tables:
        if not isinstance(table.this, exp.Identifier):
            continue  # a table-valued function (json_each(...)) is not a source table
        name = table.name.lower()
        out[(table.alias or name).lower()] = name
        out.setdefault(name, name)
    return out


def declared_json(schemas: Iterable[Schema]) -> frozenset[Column]:
    """The columns some version of the set declares ``JSON`` or ``JSONB``, by table.

    arcane 003 rebuilds ``events`` with ``metadata JSON`` (its Go model's JSON type) where 002
    said ``metadata TEXT``: the application wrote JSON there before the file said so, as
    after. Random text (``'007'``) read a NUMERIC-affinity change as a loss of data the
    application never writes. A column is told once, for every version: the rows a file
    copies were written before it retyped them.
    """
    found: set[Column] = set()
    seen: set[int] = set()
    for schema in schemas:
        for table in schema.tables.values():
            if id(table) in seen:
                continue  # versions share the records of tables they did not change
            seen.add(id(table))
            found.update(
                (table.name.lower(), c.name.lower())
                for c in table.columns
                if {"JSON", "JSONB"} & set(c.type.replace("(", " ").split())
            )
    return frozenset(found)


def set_json_columns(mset: MigrationSet) -> frozenset[Column]:
    """The columns any file of ``mset`` (forward or rollback) reads as JSON."""
    return json_columns(_json_statements(mset))


def set_json_member_columns(mset: MigrationSet) -> frozenset[Column]:
    """The JSON columns whose members any file of ``mset`` parses as JSON again."""
    return json_member_columns(s for s in _json_statements(mset) if "json_" in s.lower())


def _json_statements(mset: MigrationSet) -> Iterator[str]:
    """The statements of the files that mention JSON (most never do: they are skipped)."""
    texts = [text for m in mset.migrations for text in (m.up_sql, m.down_sql) if text]
    return (
        s.sql
        for text in texts
        if "json" in text.lower() or "->" in text
        for s in split_statements(text)
    )
