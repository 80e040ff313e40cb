"""Which tables can hold rows when a migration runs, given the set's ship groups.

Migrations of one ship group (:mod:`migration_harness.sets.shipgroups`) are applied in one
go, so no application writes rows at the versions between them: when migration ``k`` runs,
a table an earlier file of its group created holds only the rows those files put there
(their seeds, and what they copied from older tables). The checks that draw rows for ``k``'s
starting point draw none for such a table; tables that existed before the group keep their
rows, and so do tables the group renamed from them or filled by copying from them (a
rebuild's ``INSERT INTO new SELECT … FROM old``). Nothing about how files are applied
changes: only which rows the generator invents.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Final

import sqlglot
from sqlglot import exp

from migration_harness.data.rows import renames_in
from migration_harness.schema.model import Schema, quote
from migration_harness.schema.records import ForeignKey
from migration_harness.sets import parsing
from migration_harness.sets.records import Migration
from migration_harness.sets.shipgroups import ShipGroup
from migration_harness.sets.sql import Statement, split_statements
from migration_harness.sets.tokens import renamed

GROUP_CREATED: Final = "MH145"
"""A rollback's loss in a table the migration's own ship group created (a warning)."""


def unwritten_tables(
    before_group: Schema, steps: Sequence[tuple[str, Schema, bool]], *, emptied: bool = True
) -> frozenset[str]:
    """Tables (lower-cased) no application wrote rows to after ``steps`` ran.

    Args:
        before_group: the schema of the version the group's first file starts from.
        steps: each file from the group's first to the one before the file judged, in
            order: its forward SQL, the schema after it, and whether it ran with the
            group (a member, or a file a later commit sorted among them). A file of an
            earlier commit between members was deployed before the group, so the tables
            it created may hold rows.
        emptied: whether a table a member emptied (``DELETE FROM t`` without ``WHERE``)
            counts too. No application ran between the group's files, so nothing wrote
            to it again before the next one (komga's V20230626150454 empties PAGE_HASH,
            shipped in the release that narrows its key). Off for :meth:`Deploys.created`:
            such a table existed before the group, and undoing the deploy keeps it.

    """
    names = {name.lower() for name in before_group.tables}
    written = set(names)
    for sql, after, member in steps:
        now = {name.lower() for name in after.tables}
        if member:
            for statement in split_statements(sql):
                if emptied:
                    written -= _emptied(statement)
                written |= _filled(statement, written)
        else:
            written |= now - names
        names = now
        written &= names
    return frozenset(names - written)


def _filled(statement: Statement, written: set[str]) -> set[str]:
    """The tables ``statement`` moves written rows into: a rename's or a copy's target."""
    rename = renamed(statement.sql)
    if rename is not None:
        table, column, new = rename
        return {new.lower()} if column is None and table.lower() in written else set()
    copy = _copy(statement.sql) if "SELECT" in statement.sql.upper() else None
    if copy is not None and copy[1] & written:
        return {copy[0]}
    return set()


def _emptied(statement: Statement) -> set[str]:
    """The table a ``DELETE`` without ``WHERE`` empties (lower-cased), as a set."""
    if not statement.sql.lstrip().upper().startswith(("DELETE", "WITH")):
        return set()
    try:
        tree = parsing.parse_one(statement.sql)
    except sqlglot.errors.SqlglotError:
        return set()
    if not isinstance(tree, exp.Delete) or any(tree.args.get(a) for a in ("where", "limit")):
        return set()
    table = tree.this
    return {table.name.lower()} if isinstance(table, exp.Table) else set()


@functools.lru_cache(maxsize=1024)
def _copy(sql: str) -> tuple[str, frozenset[str]] | None:
    """``(target, source tables)`` of an ``INSERT … SELECT``, lower-cased; else ``None``."""
    try:
        tree = parsing.parse_one(sql)
    except sqlglot.errors.SqlglotError:
        return None
    if not isinstance(tree, exp.Insert) or tree.expression is None:
        return None
    target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
    if not isinstance(target, exp.Table):
        return None
    sources = frozenset(t.name.lower() for t in tree.expression.find_all(exp.Table))
    return target.name.lower(), sources


def _together(group: ShipGroup, j: int) -> bool:
    """Whether no application wrote rows between ``group``'s files and file ``j``.

    True for its members and for the files a later commit sorted among them
    (:attr:`~.ShipGroup.later`): those did not exist when the group deployed.
    """
    return j in group.members or j in group.later


def drawable(tables: Iterable[str], unwritten: frozenset[str]) -> list[str]:
    """``tables`` without those no application wrote to (and so the generator must not)."""
    return [table for table in tables if table.lower() not in unwritten]


def carried_tables(held: Iterable[str], down_sql: str, after: Schema) -> frozenset[str]:
    """Tables (lower-cased) holding rows after a rollback file ran, given those that did.

    ``held``: the tables that may hold rows before ``down_sql`` runs; ``after``: the schema
    it leaves. A table the file drops loses its rows, and one it creates (again) holds
    none, unless a rename or a copy from a table holding rows fills it.
    """
    rows = {name.lower() for name in held}
    for statement in split_statements(down_sql):
        rename = renamed(statement.sql)
        if rename is not None and rename[1] is None:
            old, new = rename[0].lower(), rename[2].lower()
            rows = (rows - {old, new}) | ({new} if old in rows else set())
            continue
        dropped = _dropped(statement.sql)
        if dropped is not None:
            rows.discard(dropped)
            continue
        rows |= _filled(statement, rows)
    return frozenset(rows & {name.lower() for name in after.tables})


def _dropped(sql: str) -> str | None:
    """The table a ``DROP TABLE`` removes (lower-cased); ``None`` for any other statement."""
    if "DROP" not in sql.upper():
        return None
    try:
        tree = parsing.parse_one(sql)
    except sqlglot.errors.SqlglotError:
        return None
    if not isinstance(tree, exp.Drop) or str(tree.args.get("kind", "")).upper() != "TABLE":
        return None
    # sqlglot keeps the dropped table in ``tables`` (newer) or ``this`` (older releases).
    table = (tree.args.get("tables") or [tree.this])[0]
    return table.name.lower() if isinstance(table, exp.Table) else None


def thinned_tables(sqls: Iterable[str]) -> frozenset[str]:
    """Tables (lower-cased) whose rows these files may remove: a DELETE, a filtered copy.

    A copy with a WHERE, a join or a GROUP BY into a table (or one a later rename gives
    its name) keeps only some rows. A parent so thinned may have left children orphaned,
    so their foreign key is not put back (:func:`with_deployed_keys`).
    """
    found: set[str] = set()
    for sql in sqls:
        statements = split_statements(sql)
        final = {old.lower(): new.lower() for old, new in renames_in(statements).tables}
        for statement in statements:
            head = statement.sql.lstrip().upper()
            if not head.startswith(("DELETE", "INSERT", "REPLACE", "WITH")):
                continue
            try:
                tree = parsing.parse_one(statement.sql)
            except sqlglot.errors.SqlglotError:
                continue
            target = _thinned(tree)
            if target is not None:
                found |= {target, final.get(target, target)}
    return frozenset(found)


def _thinned(tree: exp.Expr) -> str | None:
    """The table a DELETE or a filtered ``INSERT … SELECT`` leaves only some rows in."""
    if isinstance(tree, exp.Delete):
        table = tree.this
        return table.name.lower() if isinstance(table, exp.Table) else None
    if not isinstance(tree, exp.Insert) or not isinstance(tree.expression, exp.Select):
        return None
    select = tree.expression
    if not any(select.args.get(part) for part in ("where", "joins", "group", "limit")):
        return None
    target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
    return target.name.lower() if isinstance(target, exp.Table) else None


def with_deployed_keys(
    schema: Schema, deployed: Schema, unwritten: frozenset[str], thinned: frozenset[str]
) -> tuple[Schema, tuple[ForeignKey, ...]]:
    """``schema`` with the foreign keys its tables had at the deployed version put back.

    For drawing only. Rows of a table that existed before a ship group were written at the
    version deployed before it; a file of the group that rebuilt the table without a key
    (to let a parent be rebuilt under it) did not make rows written then break that key.
    A key is put back where its table, columns and parent (holding written rows) are all
    still there, the table has no key over those columns any more, and no file of the
    group removed rows of the parent (``thinned``: :func:`thinned_tables`), which could
    have left children orphaned. Also returns the keys put back: their parents' rows must
    be drawn too (or every child would point at NULL), and an example whose parent row
    the database refused while it took the child breaks them (:func:`orphaned`).
    """
    tables = dict(schema.tables)
    added: list[ForeignKey] = []
    for name, table in schema.tables.items():
        old = deployed.by_lower_name.get(name.lower())
        if old is None or name.lower() in unwritten:
            continue
        have = {c.name.lower() for c in table.columns}
        keyed = {tuple(c.lower() for c in fk.columns) for fk in table.foreign_keys}
        extra = tuple(
            fk
            for fk in old.foreign_keys
            if tuple(c.lower() for c in fk.columns) not in keyed
            and {c.lower() for c in fk.columns} <= have
            and fk.other_table.lower() not in thinned
            and _parent_holds(schema, fk.other_table, fk.other_columns, unwritten)
        )
        if extra:
            tables[name] = dataclasses.replace(table, foreign_keys=(*table.foreign_keys, *extra))
            added += extra
    return dataclasses.replace(schema, tables=tables), tuple(added)


def orphaned(conn: sqlite3.Connection, keys: Iterable[ForeignKey]) -> bool:
    """Whether a row of ``conn`` breaks one of ``keys`` (the database does not enforce them).

    A drawn example is only one production can hold if the rows keep the keys they were
    written under: a child whose parent row the database refused, or a minimised example
    that dropped the parent, is another example.
    """
    for fk in keys:
        match = " AND ".join(
            f"p.{quote(o)} = c.{quote(c)}"
            for c, o in zip(fk.columns, fk.other_columns, strict=True)
        )
        filled = " AND ".join(f"c.{quote(c)} IS NOT NULL" for c in fk.columns)
        sql = (
            f"SELECT 1 FROM {quote(fk.table)} AS c WHERE {filled} AND NOT EXISTS "
            f"(SELECT 1 FROM {quote(fk.other_table)} AS p WHERE {match}) LIMIT 1"
        )
        try:
            if conn.execute(sql).fetchone() is not None:
                return True
        except sqlite3.Error:
            continue
    return False


def _parent_holds(
    schema: Schema, name: str, columns: Sequence[str], unwritten: frozenset[str]
) -> bool:
    """Whether the parent table and its key columns exist and hold written rows."""
    parent = schema.by_lower_name.get(name.lower())
    if parent is None or name.lower() in unwritten:
        return False
    have = {c.name.lower() for c in parent.columns}
    return bool(columns) and {c.lower() for c in columns} <= have


class Deploys:
    """Which rows production can hold at each version of a set, given its ship groups.

    Forward: before migration ``k`` runs, a table an earlier file of its group created
    holds no application rows (:meth:`unwritten`), and tables from before the group hold
    rows written at the version deployed before it (:meth:`deployed_before`). Backward:
    a rollback of ``k`` runs on the rows of the deployed version above it, carried down
    by the later files' rollbacks (:meth:`held`).

    Args:
        migrations: the set's migrations, in order.
        groups: its ship groups (one per migration: every version was deployed).
        schema_at: the schema of version ``k`` (0: the empty database).
        available: whether version ``k`` was built.

    """

    def __init__(
        self,
        migrations: Sequence[Migration],
        groups: Sequence[ShipGroup],
        schema_at: Callable[[int], Schema],
        available: Callable[[int], bool],
    ) -> None:
        self.migrations = tuple(migrations)
        self.groups = tuple(groups)
        self.group_of = {k: g for g in self.groups for k in g.members}
        self._schema_at = schema_at
        self._available = available
        self._unwritten: dict[int, frozenset[str]] = {}
        self._held: dict[int, frozenset[str] | None] = {}
        self._keys: dict[int, tuple[Schema, tuple[ForeignKey, ...]]] = {}

    def unwritten(self, k: int) -> frozenset[str]:
        """Tables (lower-cased) no application wrote to before migration ``k`` runs.

        Those an earlier file of ``k``'s ship group created: production applies the group
        in one go, so its files' own rows are the only ones there. Empty for the first
        file of a group.
        """
        group = self.group_of.get(k)
        if group is None or group.start >= k or not self._available(k - 1):
            return frozenset()
        if k not in self._unwritten:
            self._unwritten[k] = self._lineage(group, k - 1)
        return self._unwritten[k]

    def created(self, k: int) -> frozenset[str]:
        """Tables (lower-cased) at version ``k`` that hold no rows from before ``k``'s group.

        Created by files of the group up to ``k`` and filled from no older table: rolling
        the deploy back to the version before it removes them whatever a rollback does
        to their rows on the way.
        """
        group = self.group_of.get(k)
        if group is None or len(group.members) < 2 or not self._available(k):
            return frozenset()
        return self._lineage(group, k, emptied=False)

    def _lineage(self, group: ShipGroup, upto: int, *, emptied: bool = True) -> frozenset[str]:
        """:func:`unwritten_tables` of ``group``'s files from its first to ``upto``."""
        start = group.start
        steps = [
            (self.migrations[j - 1].up_sql, self._schema_at(j), _together(group, j))
            for j in range(start, upto + 1)
        ]
        return unwritten_tables(self._schema_at(start - 1), steps, emptied=emptied)

    def deployed_before(self, k: int) -> int | None:
        """The version deployed before ``k``'s group, when ``k`` runs right after it in it.

        Only when every file from the group's first to ``k - 1`` is of the group, or was
        added by a later commit (:attr:`~.ShipGroup.later`: no database holding rows ran it
        in between, and the lead-in runs it in its place in the order, as the versions
        do): rows of older tables were then written at that version, under its schema.
        ``None``: the first file of a group, or files of earlier deploys in between.
        """
        group = self.group_of.get(k)
        if group is None or group.start >= k:
            return None
        if not all(_together(group, j) for j in range(group.start, k)):
            return None
        return group.start - 1

    def deployed_keys(
        self, k: int, schema: Schema, enforced: bool
    ) -> tuple[Schema, tuple[ForeignKey, ...]]:
        """``schema`` (of version ``k - 1``) to draw from for ``k``, and the keys put back.

        See :func:`with_deployed_keys`; nothing is put back where keys are not enforced
        (rows written then may be orphans) or ``k`` is no later file of a group.
        """
        deployed = self.deployed_before(k)
        if deployed is None or not enforced:
            return schema, ()
        if k not in self._keys:
            self._keys[k] = with_deployed_keys(
                schema, self._schema_at(deployed), self.unwritten(k), self.thinned(k)
            )
        return self._keys[k]

    def thinned(self, k: int) -> frozenset[str]:
        """Tables whose rows a file of ``k``'s group before ``k`` may have removed.

        See :func:`thinned_tables`.
        """
        group = self.group_of.get(k)
        if group is None:
            return frozenset()
        return thinned_tables(self.migrations[j - 1].up_sql for j in range(group.start, k))

    def is_deployed(self, k: int) -> bool:
        """Whether version ``k`` may be a deployed state: ``k + 1`` ships in another group.

        Two neighbours of one group run in one go: nothing runs at the version between.
        """
        group = self.group_of.get(k)
        following = self.group_of.get(k + 1)
        return group is None or following is not group or not self._available(k + 1)

    def held(self, k: int) -> frozenset[str] | None:
        """Tables (lower-cased) that may hold rows when migration ``k`` is rolled back.

        ``None``: any table (``k`` is a deployed version, or a later rollback is missing).
        Otherwise the deployed version above ``k`` holds rows in every table and the
        rollbacks from it down to ``k + 1`` carry them (:func:`carried_tables`): a table
        one of them drops and re-creates is empty when ``k``'s rollback runs.
        """
        if k in self._held:
            return self._held[k]
        top = k
        while not self.is_deployed(top):
            top += 1
        rows: frozenset[str] | None = None
        for j in range(top, k, -1):
            down = self.migrations[j - 1].down_sql
            if down is None:
                rows = None  # no rollback: the version moves and every table keeps its rows
                continue
            tables = self._schema_at(j).tables if rows is None else rows
            rows = carried_tables(tables, down, self._schema_at(j - 1))
        self._held[k] = rows
        return rows
