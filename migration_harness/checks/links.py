"""Seeded examples whose rows point at the table a step drops, through a nullable key.

``DROP TABLE attachments`` with keys on deletes every row first, and each ``ON DELETE SET
NULL`` (or ``CASCADE``) key pointing at the table fires: homebox 20250629 rebuilds
``attachments`` into a new table whose ``attachment_thumbnail`` still references the old
one, so the drop nulls every thumbnail link the copy just carried over. A random draw
shows that only when it happens to link two rows through the nullable key, which one seed
does and the next does not (a self-reference can only point at a row drawn before it). So
the ``apply_keeps_data`` examples also get one seeded dataset per such key: a draw whose
rows of the child table all point at a drawn row of the dropped table, valid at the
version before the step (the parent rows are drawn too, or the key is left alone). The
random search still runs; a seed only makes sure the linked case is tried.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Final

from sqlglot import exp

from migration_harness.checks.cascade import dropped_tables
from migration_harness.checks.draws import first_draw
from migration_harness.checks.statements import parse
from migration_harness.data.dataset import Dataset, Row
from migration_harness.schema.model import Schema, Table
from migration_harness.sets.fkshapes import declared_keys, plain_copy
from migration_harness.sets.sql import Statement

_TRIES: Final = 40
_SEED: Final = 0x11CC
_FIRING: Final = frozenset({"SET NULL", "SET DEFAULT", "CASCADE"})


@dataclass(frozen=True, slots=True)
class Link:
    """A nullable column of drawn rows whose value a dropped table's delete acts on.

    ``table.column`` holds the key (in the schema before the step); ``parent`` is the
    dropped table and ``key`` its referenced column (empty: its rowid alias).
    """

    table: str
    column: str
    parent: str
    key: str


def dropped_links(
    statements: Iterable[Statement], before: Schema, drawn: Iterable[str]
) -> list[Link]:
    """The columns of drawn tables whose rows a DROP TABLE of the file nulls or deletes.

    A key of the schema before the step with ``ON DELETE SET NULL/DEFAULT/CASCADE`` to a
    table the file drops, and a key the file's own new table declares so, when the file
    fills that table by copying the column from a drawn table (homebox 20250629: the
    rebuilt table's ``attachment_thumbnail`` references the old ``attachments``). Only
    nullable single columns: a NOT NULL key is always linked by the draw.
    """
    parsed = [tree for s in statements if (tree := parse(s.sql)) is not None]
    dropped = {
        t.name.lower()
        for tree in parsed
        if isinstance(tree, exp.Drop) and tree.kind == "TABLE"
        for t in dropped_tables(tree)
    }
    tables = {name.lower() for name in drawn}
    links: list[Link] = []
    for fk in before.foreign_keys:
        if fk.other_table.lower() in dropped and fk.on_delete.upper() in _FIRING:
            links += _link(before, tables, fk.table, fk.columns, fk.other_table, fk.other_columns)
    for tree in parsed:
        for new, column, parent, key in _declared_firing(tree, dropped):
            source = _copied_from(parsed, new, column)
            if source is not None:
                links += _link(before, tables, source[0], (source[1],), parent, key)
    return list(dict.fromkeys(links))


def _link(
    before: Schema,
    drawn: set[str],
    table: str,
    columns: Sequence[str],
    parent: str,
    key: Sequence[str],
) -> list[Link]:
    """``[Link]`` when ``table`` is drawn and its one column is nullable, else ``[]``."""
    child = before.by_lower_name.get(table.lower())
    if child is None or table.lower() not in drawn or len(columns) != 1 or len(key) > 1:
        return []
    try:
        if child.column(columns[0]).notnull:
            return []
    except KeyError:
        return []
    return [Link(child.name, columns[0], parent, key[0] if key else "")]


def _declared_firing(
    tree: exp.Expr, dropped: set[str]
) -> Iterator[tuple[str, str, str, tuple[str, ...]]]:
    """``(new table, column, parent, key)`` of a CREATE TABLE's firing keys into ``dropped``."""
    if not isinstance(tree, exp.Create) or not isinstance(tree.this, exp.Schema):
        return
    name = tree.this.this.name if isinstance(tree.this.this, exp.Table) else ""
    for columns, reference in declared_keys(tree):
        target = reference.this
        table = target.this if isinstance(target, exp.Schema) else target
        if not isinstance(table, exp.Table) or table.name.lower() not in dropped:
            continue
        actions = " ".join(str(o).upper() for o in reference.args.get("options") or [])
        if not any(f"ON DELETE {a}" in actions for a in _FIRING):
            continue
        key = tuple(c.name for c in target.expressions) if isinstance(target, exp.Schema) else ()
        if columns is not None and len(columns) == 1:
            yield name, columns[0], table.name, key


def _copied_from(parsed: Sequence[exp.Expr], table: str, column: str) -> tuple[str, str] | None:
    """The ``(table, column)`` a plain ``INSERT INTO table (…) SELECT … FROM t`` copies it from.

    The file's first ``INSERT … SELECT`` into ``table`` decides.
    """
    for tree in parsed:
        if not isinstance(tree, exp.Insert) or not isinstance(tree.expression, exp.Select):
            continue
        into = tree.this
        if not isinstance(into, exp.Schema) or not isinstance(into.this, exp.Table):
            continue
        if into.this.name.lower() != table.lower():
            continue
        copy = plain_copy(tree)
        source = copy.column_from(column) if copy is not None else None
        return (copy.source, source) if copy is not None and source is not None else None
    return None


def linked_seeds(strategy: Any, before: Schema, links: Sequence[Link]) -> tuple[Dataset, ...]:
    """One dataset per link whose child rows all point at a drawn parent row."""
    seeds = []
    for link in links:
        parent = before.by_lower_name.get(link.parent.lower())
        target = link.key or (_primary_key(parent) if parent is not None else "")
        if not target:
            continue
        child = before.by_lower_name.get(link.table.lower())
        if child is None:
            continue
        # Rows as the generator draws them (JSON where the set reads JSON, values from its
        # pools): first a draw whose child rows leave no plain column NULL, else any.
        for full in (True, False):
            test = partial(_can_link, link, target, child if full else None)
            base = first_draw(strategy, test, _TRIES, _SEED)
            if base is not None:
                seeds.append(_linked(base, link, target))
                break
    return tuple(seeds)


def _parent_key(dataset: Dataset, fk: Link, target: str) -> Any:
    """The referenced value of the first drawn parent row that gives it (``None``: none)."""
    for row in dataset.rows:
        if row.table.lower() == fk.parent.lower():
            value = _value(row, target)
            if value is not None:
                return value
    return None


def _can_link(fk: Link, target: str, full: Table | None, dataset: Dataset) -> bool:
    """Whether ``dataset`` holds a parent row to point at and a child row to point from.

    ``full``: the child table, when its rows must also hold a value in every plain
    nullable column (a NULL there may stop the step on a NOT NULL it adds, a failure
    reported on its own, before the drop shows what it does to the link).
    """
    children = [r for r in dataset.rows if r.table.lower() == fk.table.lower()]
    if not children or _parent_key(dataset, fk, target) is None:
        return False
    return full is None or all(_full(row, full) for row in children)


def _full(row: Row, table: Table) -> bool:
    """Whether ``row`` leaves none of ``table``'s plain nullable columns NULL."""
    keyed = {c.lower() for fk in table.foreign_keys for c in fk.columns}
    given = {c.lower(): v for c, v in row.values}
    return all(
        given.get(c.name.lower(), c.default) is not None
        for c in table.columns
        if not c.notnull
        and not c.hidden
        and c.name.lower() not in keyed
        and c.name.lower() != (table.rowid_alias or "").lower()
    )


def _linked(dataset: Dataset, fk: Link, target: str) -> Dataset:
    """``dataset`` with every child row's key set to the first parent row's value.

    A child row of the parent's own table drawn before that parent row points at itself
    would be refused: such a row keeps its own value.
    """
    key = _parent_key(dataset, fk, target)
    column = fk.column
    seen_parent = False
    rows: list[Row] = []
    for row in dataset.rows:
        is_parent = row.table.lower() == fk.parent.lower() and _value(row, target) == key
        if row.table.lower() == fk.table.lower() and (seen_parent or is_parent):
            values = {c: v for c, v in row.values if c.lower() != column.lower()}
            values[column] = key
            row = Row(row.table, tuple(values.items()))
        seen_parent = seen_parent or is_parent
        rows.append(row)
    return Dataset(tuple(rows))


def _primary_key(table: Table) -> str:
    """The one column a key without a column list references: the PRIMARY KEY's."""
    key = table.primary_key
    return key[0] if len(key) == 1 else ""


def _value(row: Row, column: str) -> Any:
    """The value ``row`` gives ``column`` (case-insensitively), ``None`` if it gives none."""
    return next((v for c, v in row.values if c.lower() == column.lower()), None)
