"""Two shapes read from one statement: a CREATE TABLE's keys, and a plain one-table copy.

Shared by :mod:`~migration_harness.sets.fkpragmas` (whether an ignored ``PRAGMA
foreign_keys = OFF`` matters to a copy into a new table with keys) and
:mod:`~migration_harness.checks.links` (which copied column a dropped table's delete acts
on), so both read a key's columns and a copy's column map the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp


def declared_keys(tree: exp.Expr) -> list[tuple[tuple[str, ...] | None, exp.Reference]]:
    """Each ``REFERENCES`` of a CREATE TABLE with the columns that hold it, as written.

    A column constraint's column, or a table constraint's ``FOREIGN KEY (…)`` list;
    ``None`` for a reference anywhere else (not read: each caller decides what that means).
    """
    found: list[tuple[tuple[str, ...] | None, exp.Reference]] = []
    for reference in tree.find_all(exp.Reference):
        holder = reference.parent
        columns: tuple[str, ...] | None = None
        if isinstance(holder, exp.ForeignKey):
            columns = tuple(c.name for c in holder.expressions)
        elif isinstance(holder, exp.ColumnConstraint) and isinstance(holder.parent, exp.ColumnDef):
            columns = (holder.parent.name,)
        found.append((columns, reference))
    return found


@dataclass(frozen=True, slots=True)
class PlainCopy:
    """``INSERT INTO target (c, …) SELECT e, … FROM source``: one table, no join.

    Attributes:
        target: the table written, as written.
        source: the one table read, as written.
        fed: each written column (lower-cased) with the select item that feeds it.
    """

    target: str
    source: str
    fed: dict[str, exp.Expr]

    def column_from(self, column: str) -> str | None:
        """The source column copied as it is into ``column`` (``None``: an expression)."""
        item = self.fed.get(column.lower())
        return item.name if isinstance(item, exp.Column) else None


def plain_copy(tree: exp.Expr) -> PlainCopy | None:
    """``tree`` as a :class:`PlainCopy`, or ``None`` for any other statement.

    The column list must be given and match the select list one for one.
    """
    if not isinstance(tree, exp.Insert) or not isinstance(tree.expression, exp.Select):
        return None
    into, select = tree.this, tree.expression
    if not isinstance(into, exp.Schema) or not isinstance(into.this, exp.Table):
        return None
    source = select.args.get("from_") or select.args.get("from")
    if source is None or select.args.get("joins") or not isinstance(source.this, exp.Table):
        return None
    names = [c.name.lower() for c in into.expressions]
    items = select.expressions
    if len(names) != len(items):
        return None
    return PlainCopy(into.this.name, source.this.name, dict(zip(names, items, strict=True)))
