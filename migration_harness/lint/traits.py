"""Rebuilds that copy a column but lose its DEFAULT or its COLLATE.

A rebuild re-types every column from memory, and a ``DEFAULT 0`` or a ``COLLATE NOCASE``
the old table had is easy to leave out of the new ``CREATE TABLE``. The copy keeps every
value, so every data check passes and nothing fails on deploy; what changes is the
application's next ordinary write or read:

- without its DEFAULT, an INSERT that leaves the column out (as the application's did,
  relying on the default) stores NULL, or fails where the column is NOT NULL;
- without its COLLATE, comparisons, ``ORDER BY``, ``GROUP BY`` and UNIQUE keys on the
  column use BINARY: a login by ``Alice@Example.com`` no longer finds ``alice@example.com``,
  and a UNIQUE email takes both spellings.

Only forward files (a rollback that brings a table back different from before its
migration is MH415's), only tables that held application rows before the file, and only
what is *lost*: a DEFAULT or COLLATE changed to another one, or spelt out as ``COLLATE
BINARY``, is a decision the file states.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from sqlglot import exp
from sqlglot.errors import SqlglotError

from migration_harness.lint.context import FileContext
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.rebuilds import rebuilds_with_rows
from migration_harness.lint.shapes import statement_defining
from migration_harness.schema.records import Column
from migration_harness.sets import parsing


def rebuild_drops_default_collate(context: FileContext) -> Iterator[Hit]:
    """A rebuild whose new table keeps a column but drops its DEFAULT or COLLATE."""
    if not context.is_up:
        return
    for rebuild in rebuilds_with_rows(context):
        new = {c.name.lower(): c for c in rebuild.new.columns}
        parsed = statement_defining(context, rebuild.name)
        for old in rebuild.old.columns:
            column = new.get(old.name.lower())
            if column is None or column.is_generated or old.is_generated:
                continue
            lost = list(_lost(old, column, _spelt_collations(rebuild.new.sql)))
            if lost:
                yield Hit(
                    "rebuild-drops-default-collate",
                    parsed,
                    f"the rebuild of {rebuild.name} keeps {old.name} but drops its "
                    f"{' and its '.join(what for what, _ in lost)}: "
                    f"{'; '.join(why for _, why in lost)}",
                    offset_of(None, parsed, column.name),
                )


def _lost(old: Column, new: Column, spelt: frozenset[str]) -> Iterator[tuple[str, str]]:
    """(what, its consequence) for the DEFAULT and the COLLATE ``new`` no longer has.

    ``spelt``: the new table's columns (lower-cased) that name a COLLATE, BINARY included.
    """
    if old.default is not None and old.default.upper() != "NULL" and new.default is None:
        writes = "fails (NOT NULL)" if new.notnull else "stores NULL"
        yield (
            f"DEFAULT {old.default}",
            f"an INSERT that leaves {new.name} out now {writes} instead of storing {old.default}",
        )
    spelt_out = new.name.lower() in spelt
    if old.collation not in (None, "BINARY") and new.collation is None and not spelt_out:
        yield (
            f"COLLATE {old.collation}",
            f"comparisons, ORDER BY and UNIQUE keys on {new.name} become BINARY "
            f"(they were {old.collation}): lookups that matched stop matching, and values "
            "a UNIQUE key refused as equal are taken",
        )


@functools.lru_cache(maxsize=256)
def _spelt_collations(sql: str) -> frozenset[str]:
    """Columns of a CREATE TABLE that spell a COLLATE out (the record drops ``BINARY``)."""
    try:
        tree = parsing.parse_one(sql)
    except SqlglotError:
        return frozenset()
    return frozenset(
        column.name.lower()
        for column in tree.find_all(exp.ColumnDef)
        if any(
            isinstance(c.args.get("kind"), exp.CollateColumnConstraint) for c in column.constraints
        )
    )


RULES: tuple[Rule, ...] = (rebuild_drops_default_collate,)
