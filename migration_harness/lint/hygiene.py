"""Hygiene: what works today and costs later (rollbacks that leave objects, missing indexes)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from migration_harness.lint.context import FileContext
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.shapes import changed_tables, statement_about
from migration_harness.schema.model import ForeignKey, Index, Schema, Table

_CREATES = ("TABLE", "INDEX", "VIEW", "TRIGGER")


def down_leaves_object(context: FileContext) -> Iterator[Hit]:
    """An object the migration creates that its rollback does not remove."""
    undone = context.undone
    if undone is None:
        return
    left: list[tuple[str, str]] = []
    for name in changed_tables(context.before, context.after):
        left += _left_in(name, context.before, context.after, undone)
    views = set(context.after.views) - set(context.before.views)
    left += [(v.name, f"view {v.name}") for v in views if v in undone.views]
    triggers = set(context.after.triggers) - set(context.before.triggers)
    left += [(t.name, f"trigger {t.name}") for t in triggers if t in undone.triggers]
    if left:
        yield Hit(
            "down-leaves-object",
            statement_about(context, left[0][0]),
            f"after the rollback the schema still has {', '.join(sorted(i for _, i in left))}: "
            "the next deploy of this migration fails on them, or the schema drifts",
        )


def _left_in(name: str, before: Schema, after: Schema, undone: Schema) -> list[tuple[str, str]]:
    """``(object, description)`` of what the migration added to table ``name`` and its
    rollback leaves."""
    new, old, back = after.tables[name], before.tables.get(name), undone.tables.get(name)
    if back is None:
        return []
    if old is None:
        return [(name, f"table {name}")]
    had = {c.name.lower() for c in old.columns}
    kept = {c.name.lower() for c in back.columns}
    found = [
        (name, f"column {name}.{c.name}")
        for c in new.columns
        if c.name.lower() not in had and c.name.lower() in kept
    ]
    had_index = {i.name for i in old.indexes}
    kept_index = {i.name for i in back.indexes}
    found += [
        (i.name, f"index {i.name}")
        for i in new.indexes
        if i.origin == "c" and i.name not in had_index and i.name in kept_index
    ]
    return found


def create_without_guard(context: FileContext) -> Iterator[Hit]:
    """CREATE without IF NOT EXISTS in a set applied by hand (no tracking table)."""
    if context.tracked or not context.is_up:
        return
    for parsed in context.statements:
        tree = parsed.tree_if("CREATE")
        if not isinstance(tree, exp.Create):
            continue
        kind = str(tree.args.get("kind") or "").upper()
        if kind in _CREATES and not tree.args.get("exists") and not tree.args.get("replace"):
            yield Hit(
                "create-without-guard",
                parsed,
                f"applying the file a second time fails: CREATE {kind} without IF NOT EXISTS "
                "in a set applied without a tracking table",
                offset_of(None, parsed, kind),
            )


def fk_without_index(context: FileContext) -> Iterator[Hit]:
    """A new foreign key whose child columns no index starts with."""
    for name in changed_tables(context.before, context.after):
        child = context.after.tables[name]
        old = context.before.tables.get(name)
        for fk in child.foreign_keys:
            if (old is not None and fk in old.foreign_keys and _covered(fk, old)) or _covered(
                fk, child
            ):
                continue
            yield Hit(
                "fk-without-index",
                statement_about(context, fk.table),
                f"every delete or key change in {fk.other_table} scans all of {fk.table}: "
                f"{fk.describe()} has no index on its child columns",
            )


def _covered(fk: ForeignKey, table: Table) -> bool:
    """Whether an index (or the PRIMARY KEY) starts with the foreign key's columns."""
    wanted = {c.lower() for c in fk.columns}
    starts = [
        tuple(c.split(" ")[0].lower() for c in i.columns) for i in table.indexes if not i.is_partial
    ]
    starts.append(tuple(c.lower() for c in table.primary_key))
    return any(set(s[: len(wanted)]) == wanted for s in starts)


def redundant_index(context: FileContext) -> Iterator[Hit]:
    """A new index whose columns begin another index of the same table."""
    for name in changed_tables(context.before, context.after):
        table = context.after.tables[name]
        old = context.before.tables.get(name)
        known = {i.name for i in old.indexes} if old is not None else set()
        for index in table.indexes:
            if index.name in known or index.origin != "c" or index.unique or index.is_partial:
                continue
            other = _longer(index, table)
            if other is not None:
                yield Hit(
                    "redundant-index",
                    statement_about(context, index.name),
                    f"every write to {index.table} maintains {index.name} for nothing: "
                    f"{other.name} already starts with ({', '.join(index.columns)})",
                )


def _longer(index: Index, table: Table) -> Index | None:
    """Another full index of ``table`` that starts with ``index``'s columns."""
    for other in table.indexes:
        if other.name == index.name or other.is_partial:
            continue
        starts = other.columns[: len(index.columns)] == index.columns
        if starts and (len(other.columns) > len(index.columns) or other.unique):
            return other
    return None


RULES: tuple[Rule, ...] = (
    down_leaves_object,
    create_without_guard,
    fk_without_index,
    redundant_index,
)
