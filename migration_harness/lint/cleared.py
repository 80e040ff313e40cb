"""Whether a file deleted a parent's children before deleting the parent rows (MH306's fix).

MH306 asks to "delete the children first": ``DELETE FROM follows WHERE follower_id IN (S)``
then ``DELETE FROM accounts WHERE id IN (S)``, or the child's subquery spelling the parent's
own ``WHERE`` (``… IN (SELECT id FROM accounts WHERE disabled = 1)`` before ``DELETE FROM
accounts WHERE disabled = 1``), or read through the archive the file filled with those
parents first (``INSERT INTO archived_accounts … SELECT id, … FROM accounts WHERE
disabled = 1``, then ``… IN (SELECT id FROM archived_accounts)``). Either way no child row
is left pointing at a deleted parent, so no row is orphaned. Kept apart from the rule so
the rule reads as a rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.shapes import name_of, table_in, written_values
from migration_harness.schema.positional import trigger_statements
from migration_harness.schema.records import ForeignKey, Table


def cleared_first(context: FileContext, at: Parsed, child: Table, parent: str) -> bool:
    """Whether every key of ``child`` to ``parent`` was cleared before the DELETE ``at``.

    A key is cleared by an earlier ``DELETE FROM child`` whose ``WHERE`` (or one of its
    top-level ``OR`` terms) is ``fk IN (Q)``, ``Q`` selecting the same parents as ``at``:
    either ``at`` deletes ``WHERE key IN (Q)`` with the same ``Q``, or ``Q`` is ``SELECT
    key FROM parent WHERE P`` and ``at`` deletes ``WHERE P``. ``Q`` must not read the
    child (its rows change between the two statements), and nothing in between may write
    the child or the parent. Keys of several columns are never cleared this way.
    """
    tree = at.tree
    where = tree.args.get("where") if isinstance(tree, exp.Delete) else None
    if not isinstance(where, exp.Where):
        return False
    keys = [fk for fk in child.foreign_keys if fk.other_table.lower() == parent]
    selections = list(_cleared(context, at, child.name.lower()))
    return all(
        len(fk.columns) == 1
        and any(
            _same_parents(query, where.this, fk, context, parent)
            or _kept_aside(query, where.this, fk, context, parent, delete)
            for column, query, delete in selections
            if column == fk.columns[0].lower()
        )
        for fk in keys
    )


def emptied_first(context: FileContext, at: Parsed, child: str) -> bool:
    """Whether the file emptied ``child`` before statement ``at`` and left it empty.

    A parent rebuild under a runner that keeps the keys on inside its transaction (sqlx,
    refinery, rusqlite_migration) keeps the children's rows aside: ``CREATE TABLE keep AS
    SELECT * FROM child; DELETE FROM child;`` before ``DROP TABLE parent``, and puts them
    back after the copy is renamed in. The DROP's implicit delete then meets no child row
    and nothing refuses or cascades. Empty means an earlier ``DELETE FROM child`` without
    ``WHERE``, no ``INSERT``/``REPLACE`` into the child after it, and no trigger of the
    schema at ``at`` that inserts into the child (a write elsewhere could fire it).
    """
    name = child.lower()
    empty = False
    for parsed in context.statements:
        if parsed is at:
            break
        tree = parsed.tree_if("DELETE", "INSERT", "REPLACE", "WITH")
        if tree is None:
            continue
        if not isinstance(tree, exp.Delete | exp.Insert):
            empty = False  # a write sqlglot cannot read (``REPLACE INTO``): it may fill it
        elif name_of(tree.this) == name:
            empty = isinstance(tree, exp.Delete) and tree.args.get("where") is None
    return empty and not any(
        isinstance(body, exp.Insert) and name_of(body.this) == name
        for trigger in at.before.triggers
        for body in trigger_statements(trigger.source or trigger.sql)
    )


def _cleared(
    context: FileContext, at: Parsed, child: str
) -> Iterator[tuple[str, exp.Query, Parsed]]:
    """``(column, query, delete)``: each ``column IN (query)`` of an earlier DELETE of ``child``.

    Starts again after any other write to the child or the parent (it may bring back rows
    pointing at parents the DELETE ``at`` removes).
    """
    found: list[tuple[str, exp.Query, Parsed]] = []
    parent = name_of(at.tree.this) if at.tree is not None else ""
    for parsed in context.statements:
        if parsed is at:
            break
        tree = parsed.tree_if("DELETE", "UPDATE", "INSERT", "REPLACE")
        target = name_of(tree.this) if tree is not None else ""
        if target not in (child, parent):
            continue
        if not (isinstance(tree, exp.Delete) and target == child):
            found = []
            continue
        where = tree.args.get("where")
        terms = _in_terms(where.this if isinstance(where, exp.Where) else None, child)
        found.extend((column, query, parsed) for column, query in terms)
    yield from found


def _kept_aside(
    query: exp.Query,
    condition: exp.Expr,
    fk: ForeignKey,
    context: FileContext,
    parent: str,
    delete: Parsed,
) -> bool:
    """Whether ``query`` reads, from the file's copy of them, the parents a DELETE takes.

    The DELETE takes the parents ``WHERE condition``; ``query`` is ``SELECT c FROM
    holder``, a table new in the file that, before the child's ``delete``, one ``INSERT …
    SELECT`` alone wrote: it reads ``parent`` alone under the same ``WHERE condition``
    and writes the parent's key, as it is, into ``c``. The parent is not written between
    that copy and its own DELETE (after the child's, :func:`_cleared` starts again on a
    write to it).
    """
    if not isinstance(query, exp.Select) or len(query.expressions) != 1:
        return False
    picked, source = query.expressions[0], query.args.get("from_")
    if not (isinstance(picked, exp.Column) and isinstance(source, exp.From)):
        return False
    if not isinstance(source.this, exp.Table) or any(
        query.args.get(a) for a in ("where", "joins", "group", "having", "limit", "with_")
    ):
        return False
    holder = name_of(source.this)
    if table_in(context.before, holder) is not None:
        return False  # it may hold rows from before the file
    writes = []
    for parsed in context.statements:
        if parsed is delete:
            break
        tree = parsed.tree_if("DELETE", "UPDATE", "INSERT", "REPLACE")
        target = name_of(tree.this) if tree is not None else ""
        if target == holder:
            writes.append(tree)
        elif target == parent and writes:
            return False  # the parents the WHERE takes may differ from those copied
    fill = writes[0] if len(writes) == 1 else None
    select = fill.expression if isinstance(fill, exp.Insert) else None
    if not isinstance(fill, exp.Insert) or not isinstance(select, exp.Select):
        return False
    key = _parent_key(context, fk, parent)
    value = _written(fill, select, picked.name.lower(), table_in(context.before, parent))
    origin = select.args.get("from_")
    clause = select.args.get("where")
    return (
        isinstance(value, exp.Column)
        and value.name.lower() == key
        and isinstance(origin, exp.From)
        and isinstance(origin.this, exp.Table)
        and name_of(origin.this) == parent
        and not origin.this.alias
        and not any(select.args.get(a) for a in ("joins", "group", "having", "limit", "with_"))
        and isinstance(clause, exp.Where)
        and clause.this == condition
    )


def _in_terms(condition: exp.Expr | None, child: str) -> Iterator[tuple[str, exp.Query]]:
    """``(column, query)`` for each top-level OR term ``column IN (query)`` not reading child."""
    if condition is None:
        return
    terms = condition.flatten() if isinstance(condition, exp.Or) else (condition,)
    for term in (t.unnest() for t in terms):
        query = term.args.get("query") if isinstance(term, exp.In) else None
        query = query.this if isinstance(query, exp.Subquery) else query
        if not isinstance(term.this, exp.Column) or not isinstance(query, exp.Query):
            continue
        if child not in {name_of(t) for t in query.find_all(exp.Table)}:
            yield term.this.name.lower(), query


def _same_parents(
    query: exp.Query, condition: exp.Expr, fk: ForeignKey, context: FileContext, parent: str
) -> bool:
    """Whether ``query`` selects the keys of the parents a DELETE ``WHERE condition`` takes."""
    key = _parent_key(context, fk, parent)
    condition = condition.unnest()
    theirs = condition.args.get("query") if isinstance(condition, exp.In) else None
    theirs = theirs.this if isinstance(theirs, exp.Subquery) else theirs
    if (
        isinstance(condition, exp.In)
        and isinstance(condition.this, exp.Column)
        and condition.this.name.lower() == key
        and isinstance(theirs, exp.Query)
        and theirs == query
    ):
        return True
    if not isinstance(query, exp.Select) or len(query.expressions) != 1:
        return False
    picked = query.expressions[0]
    source = query.args.get("from_")
    clause = query.args.get("where")
    return (
        isinstance(picked, exp.Column)
        and picked.name.lower() == key
        and isinstance(source, exp.From)
        and name_of(source.this) == parent
        and not source.this.alias
        and not any(query.args.get(a) for a in ("joins", "group", "having", "limit", "with_"))
        and isinstance(clause, exp.Where)
        and clause.this == condition
    )


def _parent_key(context: FileContext, fk: ForeignKey, parent: str) -> str:
    """The parent column ``fk`` points at: the one it names, else the parent's PRIMARY KEY."""
    if fk.other_columns:
        return fk.other_columns[0].lower()
    table = table_in(context.before, parent)
    keys = [c.name.lower() for c in table.columns if c.pk] if table is not None else []
    return keys[0] if len(keys) == 1 else ""


def _written(
    insert: exp.Insert, select: exp.Select, column: str, parent: Table | None
) -> exp.Expr | None:
    """What ``insert`` writes into ``column``; ``SELECT *`` read as the parent's columns."""
    if [type(e) for e in select.expressions] != [exp.Star] or parent is None:
        return (written_values(insert) or {}).get(column)
    if not isinstance(insert.this, exp.Schema):
        return None  # the holder's own column order is not at hand
    names = [name_of(c) for c in insert.this.expressions]
    if column not in names or len(names) != len(parent.columns):
        return None
    return exp.column(parent.columns[names.index(column)].name)
