"""Rebuilds that copy a column but lose its DEFAULT or its COLLATE, or a constraint on it.

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

The same re-typing loses a table's constraints (MH223): a UNIQUE or PRIMARY KEY written in
the old ``CREATE TABLE`` (an explicit index lost is MH220's), a CHECK, or a FOREIGN KEY
on columns the new table keeps. Every row is copied and nothing fails; afterwards
duplicates, values the CHECK refused and orphans get in, an ``ON CONFLICT (email)``
upsert fails ('ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint'),
and a parent's delete no longer cascades. Quiet where the new table keeps the key under
any spelling (a UNIQUE index the file creates after the rename, a key within it), keeps
any CHECK reading the same columns (changed: the file's decision), keeps a key from the
same columns to any parent, widens a key only by columns the rebuild adds (a
tenant column scoping the UNIQUE or the FOREIGN KEY), or where the parent table is gone
after the file.
"""

from __future__ import annotations

import functools
from collections.abc import Container, Iterator

from sqlglot import exp
from sqlglot.errors import SqlglotError

from migration_harness.lint.context import FileContext
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.rebuilds import rebuilds_with_rows
from migration_harness.lint.shapes import statement_defining
from migration_harness.schema.records import Column, Table
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


def rebuild_drops_constraint(context: FileContext) -> Iterator[Hit]:
    """A forward rebuild whose new table drops a UNIQUE, CHECK or FOREIGN KEY it kept columns of."""
    if not context.is_up:
        return
    parents = context.after.by_lower_name  # lower-cased names, no set built per file
    for rebuild in rebuilds_with_rows(context):
        lost = [
            *_lost_keys(rebuild.old, rebuild.new),
            *_lost_checks(rebuild.old, rebuild.new),
            *_lost_links(rebuild.old, rebuild.new, parents),
        ]
        if lost:
            yield Hit(
                "rebuild-drops-constraint",
                statement_defining(context, rebuild.name),
                f"the rebuild of {rebuild.name} drops its {', '.join(lost)}: every row is "
                "copied and nothing fails, but the new table no longer refuses what the old "
                "one did (duplicates, values out of range, orphans)",
            )


def _kept(old: Table, new: Table) -> set[str]:
    """The columns of ``old`` (lower-cased) ``new`` keeps under the same declared type.

    A column re-typed (text times turned into Unix seconds) is one the file rethinks: a
    CHECK or key written for its old values may not fit the new ones.
    """
    types = {c.name.lower(): c.type for c in new.columns}
    return {c.name.lower() for c in old.columns if types.get(c.name.lower()) == c.type}


def _lost_keys(old: Table, new: Table) -> Iterator[str]:
    """The UNIQUE / PRIMARY KEY constraints of ``old`` no key of ``new`` enforces.

    A key of ``new`` within the old one enforces more; one that only adds columns the old
    table did not have scopes the old key by a new dimension (a namespace or tenant column
    every copied row gets one value of): the file's decision, as a changed CHECK is. A
    column-level ``PRIMARY KEY UNIQUE`` is one constraint to the reader, named once.
    """
    written = [tuple(old.primary_key)] if old.primary_key else []
    written += [i.plain_columns for i in old.indexes if i.unique and i.origin in ("u", "pk")]
    kept, keys = _kept(old, new), [{c.lower() for c in key} for key in new.unique_sets]
    before = {c.name.lower() for c in old.columns}
    named: set[frozenset[str]] = set()
    for key in written:
        columns = {c.lower() for c in key}
        if not columns <= kept or frozenset(columns) in named:
            continue
        if any(_within_or_scoped(columns, other, before) for other in keys):
            continue
        named.add(frozenset(columns))
        yield f"UNIQUE ({', '.join(key)})"


def _within_or_scoped(columns: set[str], other: set[str], before: set[str]) -> bool:
    """Whether key ``other`` enforces ``columns``, or scopes it by columns new to the table."""
    return other <= columns or (columns < other and not (other - columns) & before)


def _lost_checks(old: Table, new: Table) -> Iterator[str]:
    """The CHECKs of ``old`` on kept columns where ``new`` has no CHECK on any of them."""
    kept = _kept(old, new)
    guarded = set().union(*(_read(c.expression) for c in new.checks)) if new.checks else set()
    for check in old.checks:
        columns = _read(check.expression)
        if columns and columns <= kept and not columns & guarded:
            yield f"CHECK ({check.expression})"


def _lost_links(old: Table, new: Table, parents: Container[str]) -> Iterator[str]:
    """The FOREIGN KEYs of ``old`` on kept columns that no key of ``new`` covers.

    A key of ``new`` from the same columns plus others (``(namespace_key, flag_key)`` for
    ``(flag_key)``) still refuses every orphan the old one did.
    """
    kept = _kept(old, new)
    linked = [{c.lower() for c in fk.columns} for fk in new.foreign_keys]
    for fk in old.foreign_keys:
        columns = {c.lower() for c in fk.columns}
        covered = any(columns <= other for other in linked)
        if columns <= kept and not covered and fk.other_table.lower() in parents:
            yield f"FOREIGN KEY ({', '.join(fk.columns)}) REFERENCES {fk.other_table}"


@functools.lru_cache(maxsize=256)
def _read(expression: str) -> frozenset[str]:
    """The columns (lower-cased) a CHECK expression reads; empty where sqlglot cannot."""
    try:
        tree = parsing.parse_one(f"SELECT {expression}")
    except SqlglotError:
        return frozenset()
    return frozenset(c.name.lower() for c in tree.find_all(exp.Column))


RULES: tuple[Rule, ...] = (rebuild_drops_default_collate, rebuild_drops_constraint)
