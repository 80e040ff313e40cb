"""Values a migration moved into a table it made, which its rollback drops unread.

``up``: ``CREATE TABLE user_emails …; INSERT INTO user_emails SELECT id, email FROM users;
ALTER TABLE users DROP COLUMN email``. ``down``: ``ALTER TABLE users ADD COLUMN email
TEXT; DROP TABLE user_emails``. Dropping what the migration created is normally the
rollback's job (:attr:`~migration_harness.lint.context.FileContext.created`), but this
table holds the only copy of values that existed before the migration: the rollback
brings ``users.email`` back empty and deletes every address with ``user_emails``. A
rollback that copies them back first (``UPDATE users SET email = (SELECT email FROM
user_emails …)``, or an ``INSERT … SELECT`` from it) is quiet.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.shapes import branches, dropped, name_of, sources, table_in
from migration_harness.schema.model import Schema
from migration_harness.sets.tokens import names_in

# A made table's lower-cased name, and the ``table.column``s whose values only it holds.
Moved = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Move:
    """Values of ``source.column`` a forward file copied into a table it made, then removed.

    ``into_column``: the column of ``into`` they went to, where the copy names it plainly
    (``INSERT INTO into (…, c) SELECT …, column``); ``None`` when it is computed.
    """

    into: str
    into_column: str | None
    source: str
    column: str


def moves(
    trees: Iterable[exp.Expr | None], before: Schema, after: Schema, created: Collection[str]
) -> list[Move]:
    """The moves of a forward file's statements (lower-cased names).

    A column the file's ``INSERT … SELECT`` reads from a table that existed before it, and
    that is gone from that table after the file (dropped, rebuilt away, or the table
    dropped), lives on only in the table ``created`` by the file it was copied into.
    """
    found: list[Move] = []
    for tree in trees:
        if not isinstance(tree, exp.Insert) or (target := name_of(tree.this)) not in created:
            continue
        for select in branches(tree.expression):
            targets = _target_columns(tree, select, after, target)
            for source, column in _gone(select, before, after):
                into = next(
                    (
                        to
                        for item, to in zip(select.expressions, targets, strict=False)
                        if isinstance(item.unalias(), exp.Column)
                        and name_of(item.unalias()) == column
                    ),
                    None,
                )
                move = Move(target, into, source, column)
                if move not in found:
                    found.append(move)
    return found


def moved_into(
    up: Iterable[Parsed], before: Schema, after: Schema, created: frozenset[str]
) -> Moved:
    """Tables the forward file made and filled with values it then removed at their source."""
    trees = [p.tree_if("INSERT", "REPLACE") for p in up if p.error is None]
    found: dict[str, list[str]] = {}
    for move in moves(trees, before, after, created):
        qualified = f"{move.source}.{move.column}"
        if qualified not in found.setdefault(move.into, []):
            found[move.into].append(qualified)
    return tuple((table, tuple(columns)) for table, columns in found.items())


def _target_columns(tree: exp.Insert, select: exp.Select, after: Schema, target: str) -> list[str]:
    """The columns an INSERT writes, in order: its list, or the table's own columns."""
    if isinstance(tree.this, exp.Schema):
        return [name_of(c) for c in tree.this.expressions]
    table = table_in(after, target)
    return [c.name.lower() for c in table.columns] if table is not None else []


def _gone(select: exp.Select, before: Schema, after: Schema) -> Iterator[tuple[str, str]]:
    """``(table, column)`` ``select`` reads from tables of ``before`` that ``after`` lacks."""
    read = {name_of(c) for c in select.find_all(exp.Column)}
    for source in dict.fromkeys(sources(select)):
        old = table_in(before, source)
        if old is None:
            continue
        new = table_in(after, source)
        kept = {c.name.lower() for c in new.columns} if new is not None else set()
        for column in old.columns:
            name = column.name.lower()
            if name in read and name not in kept:
                yield source, name


def down_drops_moved_values(context: FileContext) -> Iterator[Hit]:
    """A rollback's ``DROP TABLE`` of a table holding values its migration moved there.

    Only where the rollback brings a source column back (it means to restore it) and no
    statement before the drop reads the table (none copies the values back).
    """
    moved = dict(context.moved)
    if context.is_up or not moved:
        return
    for at, parsed in enumerate(context.statements):
        node = dropped(parsed.tree_if("DROP"))
        if node is None or (table := name_of(node)) not in moved:
            continue
        if _read_before(context.statements[:at], table):
            continue
        back = [c for c in moved[table] if _has_column(context.after, c)]
        if back:
            yield Hit(
                "down-drops-moved-values",
                parsed,
                f"rolling back deletes every value of {', '.join(back)}: the migration moved "
                f"them into {table}, and the rollback drops {table} without copying them "
                "back (the column comes back empty)",
                offset_of(node, parsed),
            )


def _read_before(statements: Iterable[Parsed], table: str) -> bool:
    """Whether a statement other than a DROP names ``table`` (a copy back reads it)."""
    for parsed in statements:
        if parsed.words[:1] == ("DROP",):
            continue
        names = names_in(parsed.sql)
        if names is None or table in names:
            return True
    return False


def _has_column(schema: Schema, qualified: str) -> bool:
    """Whether ``schema`` has ``table.column`` (lower-cased)."""
    table, column = qualified.split(".", 1)
    found = table_in(schema, table)
    return found is not None and any(c.name.lower() == column for c in found.columns)


RULES: tuple[Rule, ...] = (down_drops_moved_values,)
