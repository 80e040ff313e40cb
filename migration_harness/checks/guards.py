"""The columns a file's guarded INSERT … SELECT checks before it adds a row.

``INSERT INTO settings (user_id, k, v) SELECT id, 'theme', 'dark' FROM users WHERE NOT
EXISTS (SELECT 1 FROM settings s WHERE s.user_id = users.id AND s.k = 'theme')`` adds a
row only where none holds its ``(user_id, k)``: run again, it adds one for each user the
application created since (what it did for every user the first time), never a second
for a user that has one. Those columns are a key the file itself keeps, as a UNIQUE index
would: the re-run check (:mod:`migration_harness.checks.history`) takes a row added under
guard values no row held before the re-run as the guard at work, not a duplicate.

Read with sqlglot from the statements' shapes: ``NOT EXISTS`` (a subquery over the target
table, its equalities naming the target's columns) and ``NOT IN`` (a subquery selecting one
of the target's columns, with the same equalities).
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any, Final, TypeAlias

from sqlglot import exp

from migration_harness.checks.statements import parse
from migration_harness.sets.sql import split_statements

# A guard: each column it compares -> the literal compared with, or _ANY (the outer row's).
_ANY: Final = object()
Guard: TypeAlias = dict[str, object]


@functools.lru_cache(maxsize=256)
def guarded_columns(sql: str) -> dict[str, list[Guard]]:
    """Table (lower-cased) -> the guards of the file's inserts into it.

    Cached by text: a history re-runs one file many times (read it, never change it).
    """
    found: dict[str, list[Guard]] = {}
    for statement in split_statements(sql):
        tree = parse(statement.sql)
        if not isinstance(tree, exp.Insert) or not isinstance(tree.expression, exp.Select):
            continue
        target = _name(tree.this.this if isinstance(tree.this, exp.Schema) else tree.this)
        where = tree.expression.args.get("where")
        for node in where.find_all(exp.Not) if where is not None else ():
            columns = _guard(node.this.unnest(), target)
            if columns:
                found.setdefault(target, []).append(columns)
    return found


def _guard(node: exp.Expr, target: str) -> Guard:
    """The target's columns a ``NOT EXISTS`` / ``NOT IN`` operand compares (empty: none)."""
    if isinstance(node, exp.Exists) and isinstance(node.this, exp.Select):
        return _compared(node.this, target, ())
    query = node.args.get("query") if isinstance(node, exp.In) else None
    select = query.this if isinstance(query, exp.Subquery) else None
    if isinstance(select, exp.Select) and len(select.expressions) == 1:
        picked = select.expressions[0].unalias()
        if isinstance(picked, exp.Column):
            return _compared(select, target, (picked.name.lower(),))
    return {}


def _compared(select: exp.Select, target: str, picked: tuple[str, ...]) -> Guard:
    """Columns of ``target`` the subquery's top-level ``col = …`` conjuncts name.

    Each with the literal it is compared with (``k = 'theme'``), or ``_ANY`` where the
    other side is a value of the outer row (``users.id``). The subquery must read the
    target alone; a column qualified by another table is the value compared, not a
    column of the target.
    """
    source = select.args.get("from_") or select.args.get("from")
    table = source.this if isinstance(source, exp.From) else None
    if not isinstance(table, exp.Table) or _name(table) != target or select.args.get("joins"):
        return {}
    own = {target, table.alias_or_name.lower()}
    columns: Guard = dict.fromkeys(picked, _ANY)
    where = select.args.get("where")
    condition = where.this if isinstance(where, exp.Where) else None
    terms = condition.flatten() if isinstance(condition, exp.And) else [condition]
    for term in terms:
        if not isinstance(term, exp.EQ):
            continue
        for side, other in ((term.this, term.expression), (term.expression, term.this)):
            if isinstance(side, exp.Column) and (side.table.lower() in own or not side.table):
                columns[side.name.lower()] = _literal(other)
                break
    return columns


def _literal(node: exp.Expr) -> object:
    """The value of a literal (``'theme'``, ``3``); ``_ANY`` for anything else."""
    if isinstance(node, exp.Literal) and node.is_string:
        return str(node.name)
    if isinstance(node, exp.Literal) and node.is_number:
        return int(node.name) if node.is_int else float(node.name)
    return _ANY


def _name(node: exp.Expr | None) -> str:
    """A table node's lower-cased name."""
    return str(node.name).lower() if isinstance(node, exp.Table) else ""


def fresh_under_guards(
    added: Counter[tuple[Any, ...]],
    old: Counter[tuple[Any, ...]],
    columns: tuple[str, ...],
    guards: list[Guard],
) -> Counter[tuple[Any, ...]]:
    """The ``added`` rows left once those a guard lets in are taken out.

    A row is the guard's where, for one of ``guards`` (all of whose columns the reading
    holds, and at least one compared with the outer row), it holds the literals the guard
    compares (``k = 'theme'``: a row of the guarded INSERT) and no row before the re-run
    (``old``) nor another added row holds its values in those columns: the re-run added
    it where the file's own test found none. A row repeating guard values is a duplicate
    the guard failed to stop, and a row another statement adds (a fresh code no guard
    tests) is no guard's: both stay.
    """
    left = Counter(added)
    lowered = [c.lower() for c in columns]
    for guard in guards:
        if not set(guard) <= set(lowered) or _ANY not in guard.values():
            continue
        at = [lowered.index(c) for c in sorted(guard)]
        wanted = [guard[c] for c in sorted(guard)]
        held = {tuple(row[i] for i in at) for row in old}
        counted = Counter(tuple(row[i] for i in at) for row in left.elements())
        for row in list(left):
            values = tuple(row[i] for i in at)
            fits = all(w is _ANY or w == v for w, v in zip(wanted, values, strict=True))
            if fits and values not in held and counted[values] == 1 and None not in values:
                del left[row]
    return left
