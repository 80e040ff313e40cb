"""Writes the application makes every day that a file's schema quietly breaks.

Both rules read only the schema after the file, because SQLite accepts both schemas
and every migration test passes: the failure waits for the application's next ordinary
write.

- A table whose ``INTEGER PRIMARY KEY`` a rebuild re-declares ``INT PRIMARY KEY`` (or
  ``BIGINT``: integers still, but not spelt ``INTEGER``) keeps its rows and ids, but the
  key is no longer the rowid: an INSERT that leaves the id out, as an application does,
  stores NULL there (or fails, where the column is NOT NULL) instead of the next id
  (sqlite.org/lang_createtable.html#rowid: only the exact type name ``INTEGER`` aliases).
- A foreign key ``ON DELETE SET NULL`` (``ON UPDATE SET NULL``) on a NOT NULL column, or
  ``SET DEFAULT`` where that default is NULL: the action writes NULL into the child, the
  NOT NULL refuses it, so deleting (re-keying) any parent that has a child fails.
"""

from __future__ import annotations

from collections.abc import Iterator

from migration_harness.lint.context import FileContext
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.shapes import changed_tables, statement_defining
from migration_harness.schema.records import ForeignKey, Table


def rowid_alias_lost(context: FileContext) -> Iterator[Hit]:
    """A forward file after which a table's id column is its key but no longer the rowid.

    Only where the same column stays the whole PRIMARY KEY and still holds integers (INT,
    BIGINT): a key moved to another column, or re-typed TEXT for UUIDs (zerobyte's
    ``users_table``, wishlist's tokens), says the application now supplies it. Rollbacks
    are MH415's (the table comes back different from before its migration).
    """
    if not context.is_up:
        return
    for name in changed_tables(context.before, context.after):
        old = context.before.tables.get(name)
        alias = old.rowid_alias if old is not None else None
        new = context.after.tables[name]
        if alias is None or new.rowid_alias is not None or new.virtual:
            continue
        if tuple(c.lower() for c in new.primary_key) != (alias.lower(),):
            continue
        column = new.column(alias)
        if column.affinity != "INTEGER":
            continue
        parsed = statement_defining(context, name)
        yield Hit(
            "rowid-alias-lost",
            parsed,
            f"every INSERT into {name} that leaves {column.name} out "
            f"{'fails' if column.notnull or new.without_rowid else 'stores NULL there'}: "
            f"{column.name} {column.type or '(no type)'} PRIMARY KEY"
            f"{' WITHOUT ROWID' if new.without_rowid else ''} no longer aliases the rowid "
            "(only INTEGER PRIMARY KEY does), so SQLite assigns no id",
            offset_of(None, parsed, column.name),
        )


def set_null_not_null(context: FileContext) -> Iterator[Hit]:
    """A key whose ON DELETE/UPDATE action writes NULL into a NOT NULL child column.

    Only where keys are enforced (the action runs) and only keys the file made or whose
    column it made NOT NULL.
    """
    if not context.target.keys_enforced:
        return
    for name in changed_tables(context.before, context.after):
        child = context.after.tables[name]
        old = context.before.tables.get(name)
        known = set(_refused(old)) if old is not None else set()
        for fk, action, column in _refused(child):
            if (fk, action, column) in known:
                continue
            parsed = statement_defining(context, name)
            yield Hit(
                "set-null-not-null",
                parsed,
                f"every {action.split()[1]} of a {fk.other_table} row that {name} rows point "
                f"at fails with 'NOT NULL constraint failed: {name}.{column}': "
                f"{fk.describe()} {action} writes NULL into a NOT NULL column",
                offset_of(None, parsed, column),
            )


def _refused(table: Table) -> Iterator[tuple[ForeignKey, str, str]]:
    """(key, 'ON DELETE SET NULL', column) for each action the column's NOT NULL refuses."""
    for fk in table.foreign_keys:
        for when, action in (("ON DELETE", fk.on_delete), ("ON UPDATE", fk.on_update)):
            verb = action.upper()
            if verb not in ("SET NULL", "SET DEFAULT"):
                continue
            for name in fk.columns:
                column = table.column(name)
                nulls = verb == "SET NULL" or column.default in (None, "NULL", "null")
                if column.notnull and nulls:
                    yield fk, f"{when} {verb}", column.name


RULES: tuple[Rule, ...] = (rowid_alias_lost, set_null_not_null)
