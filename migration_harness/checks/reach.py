"""Scoped images: an example starts from the tables its step can reach, not the whole database.

Every example restores its own copy of a version, and SQLite parses the whole schema on
the first statement of each fresh connection: at version k of a long history that is k
tables and their indexes, ~11 ms at k = 1,000, before the example does anything (issue 17,
``bench/restore.py``). A step can only read or change a few of those tables, so an
example restores a *scoped image* instead: the version with every other table removed
(:func:`scoped_image`), built once per version and scope and restored in microseconds.

Which tables a step can reach (:func:`reach`): every table whose name is a token of its
statements (SQLite's own tokenizer rules, :func:`~migration_harness.sets.tokens.names_in`:
every name token counted, so a superset, including ``INSERT … SELECT`` sources, foreign
key targets and the tables of the indexes it names), the tables the example reads, draws
or checks, every table whose foreign keys reach one of those, transitively (a DELETE, a
DROP or a re-keying UPDATE cascades, sets NULL or is refused through them; a rename
rewrites their definitions), and the direct parents of all of those (an INSERT or a
``foreign_key_check`` of a table looks its parents' keys up). A table outside that set
gives the same answer before and after every step, so removing it changes no result.

When that cannot be proved, the whole image is used (``None``): a statement that cannot
be tokenized, a file editing ``sqlite_master`` by hand (``PRAGMA writable_schema`` or
``schema_version``), a statement reading the catalogue (``sqlite_master``, a
table-valued pragma such as ``pragma_table_list``: its answer depends on tables it need
not name), a schema holding triggers or views (a trigger body or a view can
reach any table, and ``ALTER TABLE … RENAME`` re-checks every one of them), virtual
tables (their shadow tables belong to the module), or a scope holding every table.

The schemas the checks compare stay whole: :meth:`Scopes.widen` puts the untouched
tables back around what is read from a scoped connection, so every comparison, scope
and message is computed over the same schema as without scoping. An object a rollback
leaves behind or drops is named by one of its statements, so it is inside the scope.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from migration_harness.checks.fkscope import links
from migration_harness.checks.images import Version
from migration_harness.checks.scope import relevant_tables
from migration_harness.schema.cookie import edits_by_hand
from migration_harness.schema.memo import Memo
from migration_harness.schema.model import ForeignKey, Schema, Table, quote, resolve_references
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import Statement, split_statements
from migration_harness.sets.tokens import names_in

_KEPT: Final = 8  # scoped images kept: the properties of one migration ask for two or three
# Names that read the catalogue: on a scoped image they list fewer tables than production has.
_CATALOGUE: Final = frozenset(
    {"sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema"}
)


def _lists_tables(names: frozenset[str] | set[str]) -> bool:
    """A statement reading the catalogue or a table-valued pragma (``pragma_table_info('t')``).

    Their answers depend on tables the statement need not name, so the scoped image would
    give the statement another result than the whole database.
    """
    return bool(names & _CATALOGUE) or any(name.startswith("pragma_") for name in names)


def reach(
    schema: Schema, statements: Sequence[Statement], tables: Iterable[str] = ()
) -> frozenset[str] | None:
    """Tables of ``schema`` (lower-cased) an example of ``statements`` can reach.

    ``tables``: the tables the example draws rows for, reads or checks. ``None``: the
    whole database (see the module doc for when).
    """
    if schema.triggers or schema.views or edits_by_hand(statements):
        return None
    if any("writable_schema" in s.sql.lower() for s in statements):
        return None
    if links(schema).virtual:
        return None
    words = {name.lower() for name in tables}
    for statement in statements:
        found = names_in(statement.sql)
        if found is None or _lists_tables(found):
            return None
        words |= found
    lower, maps = schema.by_lower_name, links(schema)
    words |= {maps.index_tables[name] for name in words if name in maps.index_tables}
    # A foreign key may name a table that does not exist yet (a step creates it): its
    # referrers count too, as the referrers of every named table do, transitively.
    wanted = {lower[name].name.lower() for name in words if name in lower}
    stack = list(words)
    while stack:
        for child in maps.referrers.get(stack.pop(), ()):
            if child.lower() not in wanted:
                wanted.add(child.lower())
                stack.append(child.lower())
    wanted |= {
        fk.other_table.lower() for name in list(wanted) for fk in lower[name].foreign_keys
    } & lower.keys()
    return None if len(wanted) >= len(lower) else frozenset(wanted)


def scoped_image(image: bytes, schema: Schema, keep: frozenset[str]) -> bytes | None:
    """``image`` holding only the tables ``keep`` names (and every bookkeeping table).

    The other tables' entries (with their indexes) leave ``sqlite_master`` and ``VACUUM``
    writes the rest into a compact database: one parse of the whole schema, against one
    per example. ``None`` when SQLite refuses, or when ``VACUUM`` renumbered a rowid
    (it may, for a table without an INTEGER PRIMARY KEY): a finding names rows by rowid.
    """
    drop = sorted(name for name in schema.tables if name.lower() not in keep)
    kept = [t for t in schema.tables.values() if t.name.lower() in keep and not t.without_rowid]
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.deserialize(image)
        before = _rowids(conn, [t.name for t in kept])
        conn.execute("PRAGMA writable_schema = ON")
        marks = ", ".join("?" * len(drop))
        conn.execute(f"DELETE FROM sqlite_master WHERE tbl_name IN ({marks})", drop)
        conn.execute("PRAGMA writable_schema = OFF")
        conn.execute("VACUUM")
        if _rowids(conn, [t.name for t in kept]) != before:
            return None
        return conn.serialize()
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _rowids(conn: sqlite3.Connection, names: Sequence[str]) -> list[list[int]]:
    """Each table's rowids in order (empty tables cost one step)."""
    return [
        [row[0] for row in conn.execute(f"SELECT rowid FROM {quote(name)} ORDER BY rowid")]
        for name in names
    ]


@dataclass(frozen=True, slots=True)
class Scope:
    """Where an example of one property starts: version ``k``, limited to ``tables``.

    ``tables`` (lower-cased) is ``None`` for the whole database.
    """

    k: int
    tables: frozenset[str] | None


class Scopes:
    """The scoped images and widened schemas of one engine, the last few kept."""

    def __init__(self) -> None:
        self._images: dict[tuple[int, frozenset[str]], bytes | None] = {}
        self._widened: dict[tuple[int, int, frozenset[str]], tuple[Schema, Schema, Schema]] = {}

    def cover(
        self,
        k: int,
        exact: frozenset[str],
        count: int,
        around: Callable[[], frozenset[str] | None],
    ) -> frozenset[str]:
        """The tables an image of version ``k`` holding ``exact`` should hold.

        An image already built for ``k`` that holds them serves (a table more gives the
        same answers); else ``exact`` and what ``around`` guesses the other properties
        of ``k`` reach, unless that is every one of the ``count`` tables.
        """
        for (version, tables), image in self._images.items():
            if version == k and image is not None and exact <= tables:
                return tables
        guess = around()
        if guess is None or len(exact | guess) >= count:
            return exact
        return exact | guess

    def image(self, scope: Scope, version: Version) -> bytes | None:
        """The scoped image of ``scope`` (``None``: use the whole one), built once."""
        if scope.tables is None:
            return None
        key = (scope.k, scope.tables)
        if key not in self._images:
            if len(self._images) >= _KEPT:
                del self._images[next(iter(self._images))]
            self._images[key] = scoped_image(version.image, version.schema, scope.tables)
        return self._images[key]

    def widen(
        self, scope: Scope, read: Schema, whole: Schema, known: Sequence[Schema] = ()
    ) -> Schema:
        """``read`` (a scoped connection's schema) with ``whole``'s other tables put back.

        The tables outside the scope are the image's own, untouched by construction;
        references without a column list are resolved over the widened schema, as an
        introspection of the whole database resolves them. A schema equal to one of
        ``known`` (the versions' own records) is that record: introspection shares one
        record per distinct schema, and comparisons take the same record for equal.
        """
        if scope.tables is None:
            return read
        key = (id(read), id(whole), scope.tables)
        cached = self._widened.get(key)
        if cached is not None and cached[0] is read and cached[1] is whole:
            return cached[2]
        widened = _widened(read, whole, scope.tables)
        widened = next((s for s in known if _same(s, widened)), widened)
        if len(self._widened) >= 64:
            self._widened.clear()
        self._widened[key] = (read, whole, widened)
        return widened


def _widened(read: Schema, whole: Schema, scope: frozenset[str]) -> Schema:
    """:meth:`Scopes.widen`, computed.

    References are resolved over the widened tables, as :func:`resolve_references` of all
    of them would, but only for the tables that have a key without a column list (the
    others it returns as they are): looping over every table's keys on every widening
    cost time in the length of the history (issue 17).
    """
    tables = {n: t for n, t in whole.tables.items() if n.lower() not in scope}
    tables.update(read.tables)
    # Introspection lists tables by name (sqlite_master ORDER BY name, BINARY collation).
    ordered = {name: tables[name] for name in sorted(tables, key=_binary)}
    open_keys = [n for n in _unresolved(whole) if n in ordered and n not in read.tables]
    open_keys += [n for n, t in read.tables.items() if _has_open_key(t)]
    if open_keys:
        lower = {name.lower(): table for name, table in ordered.items()}
        ordered.update(resolve_references({n: ordered[n] for n in open_keys}, lower))
    return Schema(ordered, read.triggers, read.views)


def _has_open_key(table: Table) -> bool:
    """A foreign key naming no parent columns (``REFERENCES parent``): its parent's key."""
    return any(not fk.other_columns for fk in table.foreign_keys)


def _open_tables(schema: Schema) -> tuple[str, ...]:
    """The tables of ``schema`` with a key :func:`_has_open_key` finds."""
    return tuple(name for name, table in schema.tables.items() if _has_open_key(table))


# _open_tables of the whole schemas widened lately (one scan a version, not a widening).
_unresolved: Final = Memo(_open_tables, kept=8)


def _same(one: Schema, other: Schema) -> bool:
    """Whether two schemas are equal, tables in the same order (cheap when they share records)."""
    return (
        list(one.tables) == list(other.tables)
        and one.tables == other.tables
        and one.triggers == other.triggers
        and one.views == other.views
    )


def around(
    schema: Schema,
    migrations: Sequence[Migration],
    populated: Iterable[str],
    keys: Iterable[ForeignKey] = (),
) -> frozenset[str] | None:
    """What the files of ``migrations`` (k and k + 1) reach on version k (``schema``).

    The round trips of k and the forward checks of k + 1 all start from version k: one
    scoped image covering them costs one parse of the whole schema instead of two. A
    guess (:meth:`Scopes.cover`): a property reaching further gets its own image, so
    only speed depends on it. ``keys``: the deployed keys rows drawn for k + 1 keep.
    """
    statements: list[Statement] = []
    for migration in migrations:
        statements += split_statements(migration.up_sql)
        statements += split_statements(migration.down_sql or "")
    tables = relevant_tables(schema, statements, populated)
    tables += [name for fk in keys for name in (fk.table, fk.other_table)]
    return reach(schema, statements, tables)


def _binary(name: str) -> bytes:
    """``name`` as SQLite's BINARY collation compares it (its UTF-8 bytes)."""
    return name.encode("utf-8", "surrogatepass")
