"""JSON keys a file moves out of a JSON column before it removes them (MH206's exception).

``ALTER TABLE users ADD COLUMN theme TEXT; UPDATE users SET theme = json_extract(prefs,
'$.theme'); UPDATE users SET prefs = json_remove(prefs, '$.theme')`` overwrites every row's
``prefs``, but only to take out a value the file has just copied into a column of its own:
nothing is lost (the split-a-column pattern, for a JSON document). The move must read the
same column and path, run on every row that holds the key (no WHERE, or only one asking
that the key be there) and write somewhere that stays after the file: a column of the
table, or another table by ``INSERT … SELECT`` from this one alone. A key removed without
such a move is the value deleted, and stays MH206.
"""

from __future__ import annotations

from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.shapes import name_of, row_tables, table_in

_EXTRACTS = (exp.JSONExtract, exp.JSONExtractScalar)


def removes_moved_keys(context: FileContext, parsed: Parsed, tree: exp.Update) -> bool:
    """Whether every assignment of ``tree`` removes from a JSON column only keys moved out.

    Each must be ``col = json_remove(col, path, …)`` with literal paths, each path moved
    out by an earlier statement of the file or by another assignment of this UPDATE
    (SQLite reads every right-hand side from the row as it was).
    """
    table = name_of(tree.this)
    assignments = [a for a in tree.expressions if isinstance(a, exp.EQ)]
    removals = [_removal(a) for a in assignments]
    if not assignments or len(assignments) != len(tree.expressions):
        return False
    moves = [a for a, r in zip(assignments, removals, strict=True) if r is None]
    if len(moves) == len(assignments):
        return False
    for removal in removals:
        if removal is None:
            continue
        column, paths = removal
        if not all(
            _moved_here(moves, column, path) or _moved_before(context, parsed, table, column, path)
            for path in paths
        ):
            return False
    return True


def _removal(assignment: exp.EQ) -> tuple[str, list[str]] | None:
    """``(column, paths)`` for ``col = json_remove(col, 'path', …)``; else None."""
    value = assignment.expression
    target = name_of(assignment.this)
    if not (isinstance(value, exp.JSONRemove) and isinstance(value.this, exp.Column)):
        return None
    if value.this.name.lower() != target:
        return None
    paths = value.expressions
    if not paths or not all(isinstance(p, exp.Literal) and p.is_string for p in paths):
        return None
    return target, [str(p.name) for p in paths]


def _path(node: exp.Expr) -> str:
    """An extraction's path as text (``$.theme``), whichever spelling wrote it."""
    path = node.expression
    if isinstance(path, exp.Literal):
        return str(path.name)
    if isinstance(path, exp.JSONPath):
        return path.sql(dialect="sqlite").strip("'")
    return ""


def _extracts(node: exp.Expr | None, column: str, path: str) -> bool:
    """Whether ``node`` reads ``json_extract(column, path)`` (or ``->``/``->>``)."""
    if node is None:
        return False
    return any(
        isinstance(e.this, exp.Column) and e.this.name.lower() == column and _path(e) == path
        for e in node.find_all(*_EXTRACTS)
    )


def _moved_here(moves: list[exp.EQ], column: str, path: str) -> bool:
    """Whether another assignment of the UPDATE copies the key into its own column."""
    return any(_extracts(a.expression, column, path) for a in moves)


def _moved_before(context: FileContext, parsed: Parsed, table: str, column: str, path: str) -> bool:
    """Whether a statement before ``parsed`` copied the key of every row somewhere that stays."""
    for earlier in context.statements[: context.statements.index(parsed)]:
        tree = earlier.tree_if("UPDATE", "INSERT", "REPLACE")
        if isinstance(tree, exp.Update) and name_of(tree.this) == table:
            kept = table_in(context.after, table)
            names = {c.name.lower() for c in kept.columns} if kept is not None else set()
            if _keyed_only(tree.args.get("where"), column, path) and any(
                name_of(a.this) in names and _extracts(a.expression, column, path)
                for a in tree.expressions
                if isinstance(a, exp.EQ) and name_of(a.this) != column
            ):
                return True
        elif isinstance(tree, exp.Insert) and _copies_key(context, tree, table, column, path):
            return True
    return False


def _copies_key(context: FileContext, tree: exp.Insert, table: str, column: str, path: str) -> bool:
    """``INSERT INTO other … SELECT …json_extract(column, path)… FROM table`` for every row."""
    select = tree.expression
    target = name_of(tree.this)
    if not isinstance(select, exp.Select) or table_in(context.after, target) is None:
        return False
    if target == table or row_tables(select) != [table]:
        return False
    return _keyed_only(select.args.get("where"), column, path) and any(
        _extracts(e, column, path) for e in select.expressions
    )


def _keyed_only(where: exp.Expr | None, column: str, path: str) -> bool:
    """No WHERE, or one that only asks the key to be there (rows without it lose nothing)."""
    if where is None:
        return True
    condition = where.this if isinstance(where, exp.Where) else where
    if isinstance(condition, exp.Not) and isinstance(condition.this, exp.Is):
        condition = condition.this
        return isinstance(condition.expression, exp.Null) and _is_extract(
            condition.this, column, path
        )
    return False


def _is_extract(node: exp.Expr, column: str, path: str) -> bool:
    """Whether ``node`` is itself the extraction of ``path`` from ``column``."""
    return (
        isinstance(node, _EXTRACTS)
        and isinstance(node.this, exp.Column)
        and node.this.name.lower() == column
        and _path(node) == path
    )
