"""Hygiene: what works today and costs later (rollbacks that leave objects, missing indexes)."""

from __future__ import annotations

from collections.abc import Container, Iterator

from sqlglot import exp

from migration_harness.lint.context import FileContext
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.shapes import (
    changed_tables,
    statement_about,
    statement_defining,
    table_in,
)
from migration_harness.schema.audit import covering_index
from migration_harness.schema.diff import describe_index, diff_schemas
from migration_harness.schema.model import ForeignKey, Index, Schema, Table

_CREATES = ("TABLE", "INDEX", "VIEW", "TRIGGER")


def down_leaves_object(context: FileContext) -> Iterator[Hit]:
    """A rollback that leaves an object the migration created (or renames instead of drops)."""
    replaced = _replaced_indexes(context)
    left = [
        d.removesuffix(" is unexpected")
        for _, differences in _rollback_diff(context)
        for d in differences
        if d.endswith(" is unexpected") and d not in replaced
    ]
    views = set(context.before.views) - set(context.origin.views) if context.origin else set()
    # a view or trigger a later repeatable (Flyway R__) creates stands beside every version
    again = context.repeated
    left += [
        f"view {v.name}"
        for v in views
        if v in context.after.views and ("VIEW", v.name.lower()) not in again
    ]
    left += [
        f"trigger {name}"
        for name in _triggers_left(context)
        if ("TRIGGER", name.lower()) not in again
    ]
    if left:
        yield Hit(
            "down-leaves-object",
            context.statements[0],
            f"after the rollback the schema still has what the migration made "
            f"({'; '.join(sorted(left))}): the next deploy of the migration fails on it, or "
            "the schema drifts from a fresh database",
        )


def _replaced_indexes(context: FileContext) -> set[str]:
    """The diff's sentences for indexes the rollback re-made under an older index's name.

    ``CREATE INDEX tasks_open ON tasks (title)`` in a down whose up dropped the partial
    ``tasks_open … WHERE done = 0`` is the old index re-typed otherwise, which MH415 names
    ("… WHERE done = 0 is missing"); it is nothing the migration made, though the diff
    lists it as unexpected.
    """
    origin = context.origin
    if origin is None or context.is_up:
        return set()
    found = set()
    for name, table in context.after.tables.items():
        was = table_in(origin, name)
        if was is None:
            continue
        old = {i.name.lower() for i in was.indexes if i.origin == "c"}
        found |= {
            f"index {describe_index(i)} is unexpected"
            for i in table.indexes
            if i.origin == "c" and i.name.lower() in old and i not in was.indexes
        }
    return found


def _triggers_left(context: FileContext) -> list[str]:
    """Triggers the migration created that are still there, by name, after its rollback.

    The table diff never sees them: a trigger is no part of its table's record, and a
    file that only adds a trigger leaves every table unchanged. Compared by name, since a
    rollback that re-creates a trigger the migration replaced is MH415's business.
    """
    origin = context.origin
    if origin is None or context.is_up:
        return []
    had = {t.name.lower() for t in origin.triggers}
    made = {t.name.lower(): t.name for t in context.before.triggers if t.name.lower() not in had}
    return sorted(made[t.name.lower()] for t in context.after.triggers if t.name.lower() in made)


def down_changes_object(context: FileContext) -> Iterator[Hit]:
    """A rollback that brings a table back different from before the migration.

    Or that leaves out a trigger or view the migration dropped or replaced
    (:func:`_not_restored`): neither is part of a table's record, so the table diff never
    saw a down that forgets ``CREATE TRIGGER posts_touch`` after its up's ``DROP TRIGGER``.
    """
    for table, differences in _rollback_diff(context):
        changed = [d for d in differences if not d.endswith(" is unexpected")]
        if changed:
            yield Hit(
                "down-changes-object",
                statement_defining(context, table),
                f"after the rollback {table} differs from before the migration: "
                f"{'; '.join(changed[:3])}",
            )
    missing = _not_restored(context)
    if missing:
        yield Hit(
            "down-changes-object",
            context.statements[0],
            f"after the rollback {'; '.join(missing)}: every database rolled back lacks what "
            "the schema had before the migration, and nothing fails",
        )


def _not_restored(context: FileContext) -> list[str]:
    """Triggers and views the migration dropped or replaced that its rollback does not restore.

    Each is compared by its normalised SQL with the one before the migration. A trigger
    counts only where its table is there after the rollback (a table left out is the
    table diff's); one a later repeatable (Flyway ``R__``) re-creates stands anyway.
    """
    origin = context.origin
    if origin is None or context.is_up:
        return []
    again = context.repeated
    kept = set(context.before.triggers)
    back = {t.name.lower(): t for t in context.after.triggers}
    found = []
    for trigger in origin.triggers:
        name = trigger.name.lower()
        if trigger in kept or ("TRIGGER", name) in again:
            continue
        if table_in(context.after, trigger.table) is None:
            continue
        now = back.get(name)
        if now is None:
            found.append(f"trigger {trigger.name} (dropped by the migration) is missing")
        elif now.sql != trigger.sql:
            found.append(f"trigger {trigger.name} has another body than before the migration")
    views = set(context.before.views)
    shown = {v.name.lower(): v for v in context.after.views}
    for view in origin.views:
        name = view.name.lower()
        if view in views or ("VIEW", name) in again:
            continue
        now_view = shown.get(name)
        if now_view is None:
            found.append(f"view {view.name} (dropped by the migration) is missing")
        elif now_view.sql != view.sql:
            found.append(f"view {view.name} has another body than before the migration")
    return found


def _rollback_diff(context: FileContext) -> list[tuple[str, tuple[str, ...]]]:
    """Per table, how it differs after a rollback from before its migration (memoised).

    Only the tables the migration or its rollback touched are compared: the rollback was
    replayed on those alone.
    """
    origin = context.origin
    if origin is None or context.is_up:
        return []
    memo: list[tuple[str, tuple[str, ...]]] | None = context.memo.get(  # type: ignore[assignment]
        "rollback_diff"
    )
    if memo is None:
        scope = {n.lower(): n for n in context.after.tables}
        scope |= {n.lower(): n for n in changed_tables(origin, context.before)}
        memo = []
        for lower, name in sorted(scope.items()):
            was = table_in(origin, lower)
            now = table_in(context.after, lower)
            expected = Schema({was.name: was} if was else {})
            actual = Schema({now.name: now} if now else {})
            differences = diff_schemas(expected, actual).differences
            if differences:
                memo.append((name, differences))
        context.memo["rollback_diff"] = memo
    return memo


def create_without_guard(context: FileContext) -> Iterator[Hit]:
    """CREATE without IF NOT EXISTS in a set applied by hand (no tracking table).

    Only of an object still there when the file ends: a rebuild's ``artists_new`` is
    renamed away (and a TEMP table is gone with the connection), so applying the file
    again creates it afresh. Once plain sqlite sets were linted untracked, as ``check``
    reads them, every rebuild drew this false "a second time fails".
    """
    if context.tracked or not context.is_up:
        return
    kept: dict[str, Container[str]] = {}
    for parsed in context.statements:
        tree = parsed.tree_if("CREATE")
        if not isinstance(tree, exp.Create):
            continue
        kind = str(tree.args.get("kind") or "").upper()
        if kind in _CREATES and kind not in kept:
            kept[kind] = _kept_names(context.after, kind)
        if kind in _CREATES and _created_name(tree).lower() not in kept[kind]:
            continue
        if kind in _CREATES and not tree.args.get("exists") and not tree.args.get("replace"):
            yield Hit(
                "create-without-guard",
                parsed,
                f"applying the file a second time fails: CREATE {kind} without IF NOT EXISTS "
                "in a set applied without a tracking table",
                offset_of(None, parsed, kind),
            )


def _kept_names(schema: Schema, kind: str) -> Container[str]:
    """The names of the objects of CREATE ``kind`` ``schema`` holds, folded as SQLite does.

    Built per kind the file creates, tables read from the schema's own name map: every
    kind's set of every name, per file, cost quadratic time over a long history.
    """
    if kind == "TABLE":
        return schema.by_lower_name
    if kind == "INDEX":
        return {index.name.lower() for index in schema.indexes}
    if kind == "VIEW":
        return {view.name.lower() for view in schema.views}
    return {trigger.name.lower() for trigger in schema.triggers}


def _created_name(tree: exp.Create) -> str:
    """The name a parsed ``CREATE`` gives its object (the index's, the table's or view's)."""
    this = tree.this
    if isinstance(this, exp.Index):
        return this.name
    table = this if isinstance(this, exp.Table) else this.find(exp.Table)
    return table.name if table is not None else ""


def fk_without_index(context: FileContext) -> Iterator[Hit]:
    """A new foreign key whose child columns no index starts with.

    Quiet where no connection enforces foreign keys (``--foreign-keys off`` and
    ``--application-foreign-keys off``, never d1), as ``missing_fk_index`` is: SQLite then
    never scans the child on a parent's delete, so the index saves nothing.
    """
    if not context.target.keys_enforced:
        return
    for name in changed_tables(context.before, context.after):
        child = context.after.tables[name]
        old = context.before.tables.get(name)
        for fk in child.foreign_keys:
            if _covered(fk, child, context.after):
                continue
            if (
                old is not None
                and fk in old.foreign_keys
                and not (_covered(fk, old, context.before) and context.is_up)
            ):
                # Uncovered before the file too (reported where the key was added), or a
                # rollback dropping the index its migration added: restoring is its job.
                continue
            yield Hit(
                "fk-without-index",
                statement_about(context, fk.table),
                f"every delete or key change in {fk.other_table} scans all of {fk.table}: "
                f"{fk.describe()} has no index on its child columns",
            )


def _covered(fk: ForeignKey, table: Table, schema: Schema) -> bool:
    """Whether an index (or the rowid) starts with the key's columns, as its lookup compares.

    The lookup compares under the parent column's collation (``schema.audit``): a child
    index on a NOCASE parent's key serves it only with ``COLLATE NOCASE``.
    """
    parent = schema.by_lower_name.get(fk.other_table.lower())
    return covering_index(table, fk, parent) is not None


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
    down_changes_object,
    create_without_guard,
    fk_without_index,
    redundant_index,
)
