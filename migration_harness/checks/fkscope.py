"""Which tables' foreign keys a step can break, so only they are checked (issue 17).

``PRAGMA foreign_key_check`` on the whole database reads every table with a foreign key:
on version k of a long history that is k tables, three or four times per example (the
orphans before the step, the check after each step), whatever the step touched. A step
can only change the result for a table whose rows it can change (the tables it names,
their cascade children), whose definition or indexes it can change (named, or redefined
between the schemas before and after), or whose parent is one of those (a dropped,
renamed or emptied parent, a parent key losing its UNIQUE index). Those, and only those,
are checked, with ``PRAGMA foreign_key_check(table)``; every other table gives the same
answer before and after the step, so its orphans are the known ones and never counted.

Names come from the statements' tokens (:func:`~migration_harness.sets.tokens.names_in`,
SQLite's own tokenizer rules, every name token counted: a superset). When in doubt the
whole database is checked: a statement that cannot be tokenized, a schema with triggers
(a write can then reach any table), a file editing ``sqlite_master`` by hand.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from migration_harness.checks.scope import affected_tables, redefined_tables
from migration_harness.schema.cookie import edits_by_hand
from migration_harness.schema.memo import Memo
from migration_harness.schema.model import Schema
from migration_harness.schema.records import referrers_of, table_changes
from migration_harness.sets.sql import Statement
from migration_harness.sets.tokens import names_in


def fk_scope(statements: Sequence[Statement], *schemas: Schema) -> frozenset[str] | None:
    """Tables of the last schema whose ``foreign_key_check`` the step can change (``None``: any).

    ``schemas``: the schema before the step and, once it ran, the schema after it (the
    tables redefined between them count as touched).
    """
    return _memo("after", statements, schemas, _fk_scope)


_Scope = frozenset[str] | None
_Key = tuple[str, tuple[str, ...], tuple[int, ...]]
# Scopes by (statements, schema records): every example of a property asks for the same
# few (introspection shares one record per distinct schema). The records are kept in the
# value, so an id reused by a later record is never taken for it.
_SCOPES: dict[_Key, tuple[tuple[Schema, ...], _Scope]] = {}


def _memo(
    kind: str,
    statements: Sequence[Statement],
    schemas: tuple[Schema, ...],
    compute: Callable[[Sequence[Statement], Sequence[Schema]], _Scope],
) -> _Scope:
    """``compute(statements, schemas)``, remembered (a bounded cache)."""
    key = (kind, tuple(s.sql for s in statements), tuple(id(schema) for schema in schemas))
    cached = _SCOPES.get(key)
    if cached is not None and all(a is b for a, b in zip(cached[0], schemas, strict=True)):
        return cached[1]
    scope = compute(statements, schemas)
    if len(_SCOPES) >= 1_024:
        _SCOPES.clear()
    _SCOPES[key] = (schemas, scope)
    return scope


def _fk_scope(statements: Sequence[Statement], schemas: Sequence[Schema]) -> frozenset[str] | None:
    """:func:`fk_scope`, computed."""
    touched = _touched(statements, schemas)
    if touched is None:
        return None
    found: set[str] = set()
    for schema in schemas:
        found |= {name.lower() for name in _with_children(schema, touched)}
    last = schemas[-1]
    return frozenset(t.name for t in last.tables.values() if t.name.lower() in found)


def orphan_scope(statements: Sequence[Statement], before: Schema) -> frozenset[str] | None:
    """Tables whose orphans are read before the step: a superset of any later scope.

    :func:`fk_scope` with the schema after the step also counts tables redefined without
    being named (a child whose foreign key SQLite rewrote when its parent was renamed)
    and their children; those children are one level further down than what the
    statements name, so they are read here as well. ``None`` (the whole database, before
    and after) when the file creates a trigger, or when the scope holds half the tables or
    more. A caller checks the whole database after the step whenever this is ``None``.
    """
    return _memo("before", statements, (before,), _orphan_scope)


def _orphan_scope(statements: Sequence[Statement], schemas: Sequence[Schema]) -> _Scope:
    """:func:`orphan_scope`, computed."""
    if any(_creates_trigger(s) for s in statements):
        return None  # the trigger fires in the same file and can write anywhere
    scope = fk_scope(statements, *schemas)
    if scope is None:
        return None
    found = frozenset(_with_children(schemas[0], {name.lower() for name in scope}))
    # One whole-database check is cheaper than one per table when most are in scope.
    return None if len(found) * 2 >= len(schemas[0].tables) else found


def _creates_trigger(statement: Statement) -> bool:
    """``CREATE [TEMP] TRIGGER``: writes after it in the same file can reach any table."""
    words = statement.keywords
    return words[:1] == ("CREATE",) and "TRIGGER" in words[1:3]


def _touched(statements: Sequence[Statement], schemas: Sequence[Schema]) -> set[str] | None:
    """Lower-cased names whose rows, definition or indexes the step can change."""
    if edits_by_hand(statements) or any(s.triggers for s in schemas):
        return None
    touched: set[str] = set()
    for statement in statements:
        words = names_in(statement.sql)
        if words is None:
            return None
        touched |= words
    for schema in schemas:
        touched |= {name.lower() for name in affected_tables(schema, statements)}
        index_tables = links(schema).index_tables
        touched |= {index_tables[name] for name in touched if name in index_tables}
    for before, after in itertools.pairwise(schemas):
        touched |= {name.lower() for name in redefined_tables(before, after)}
    return touched


def _with_children(schema: Schema, names: Iterable[str]) -> set[str]:
    """Tables of ``schema`` named in ``names`` (lower-cased) or with a foreign key to one.

    A foreign key may name a table that does not exist (yet): its rows are orphans until
    a step creates it, so it counts as a child of that name too.
    """
    lower, referrers = schema.by_lower_name, links(schema).referrers
    found: set[str] = set()
    for name in set(names):
        table = lower.get(name)
        if table is not None:
            found.add(table.name)
        found.update(referrers.get(name, ()))
    return found


@dataclass(frozen=True, slots=True)
class Links:
    """Maps of one schema the scopes look names up in, instead of scanning every table.

    ``referrers``: by lower-cased name (a table's, or one a foreign key names that does
    not exist), the tables with a foreign key to it. ``index_tables``: by lower-cased
    index name, the table of the index (lower-cased).
    """

    referrers: dict[str, frozenset[str]]
    index_tables: dict[str, str]
    virtual: bool  # whether a table of the schema is virtual


def _links_of(schema: Schema) -> Links:
    """The :class:`Links` of ``schema``, by one scan of its tables and indexes."""
    index_tables = {i.name.lower(): i.table.lower() for i in schema.indexes}
    virtual = any(table.virtual for table in schema.tables.values())
    return Links(dict(referrers_of(schema)), index_tables, virtual)


def _links_from(schema: Schema, other: Schema, known: Links) -> Links | None:
    """``schema``'s :class:`Links` from ``other``'s (``known``), where few tables differ.

    Only the entries the differing tables (:func:`table_changes`) make or name change; the
    rest are ``known``'s (the referrers are :func:`referrers_of`'s, derived the same way).
    ``None`` (scan every table) when many differ, when a table is virtual, or when an
    index name is not where ``known`` says (never in a real schema).
    """
    changes = table_changes(schema, other)
    if changes is None or known.virtual or any(t.virtual for t in changes[1]):
        return None
    gone, came = changes
    index_tables = dict(known.index_tables)
    for index in (i for t in gone for i in t.indexes):
        if index_tables.pop(index.name.lower(), None) != index.table.lower():
            return None
    for index in (i for t in came for i in t.indexes):
        if index_tables.setdefault(index.name.lower(), index.table.lower()) != index.table.lower():
            return None
    return Links(dict(referrers_of(schema)), index_tables, False)


# The Links of the last few schemas asked: scanning every table for each scope cost time
# in the length of the history on every property of every migration (issue 17); a new
# schema's are derived from the last one's where only a few tables differ.
links: Final = Memo(_links_of, kept=16, derive=_links_from)
