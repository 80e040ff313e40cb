"""Rules on table rebuilds (create the new table, copy, drop the old one, rename) with rows.

Split out of :mod:`migration_harness.lint.data`, whose ``RULES`` still registers them in
the same place: a rebuild's copy passes on the empty test database and fails, filters or
loses what the old table had on a full one (a narrower CHECK, a new NOT NULL, a WHERE,
the AUTOINCREMENT counter, triggers and indexes ``DROP TABLE`` takes along). Rebuilds are
recognised by :mod:`~migration_harness.lint.rebuilds`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace

import sqlglot
from sqlglot import exp

from migration_harness.lint.context import FileContext
from migration_harness.lint.hits import Hit, offset_of
from migration_harness.lint.ignores import filtered_from_null
from migration_harness.lint.joins import keeps_every_row
from migration_harness.lint.mends import (
    fills_nulls,
    meets_check,
    mended_rows,
    never_null,
    never_null_columns,
    star_values,
)
from migration_harness.lint.rebuilds import Rebuild, rebuilds_with_rows, written_columns
from migration_harness.lint.shapes import dropped, name_of, row_filter, written_values
from migration_harness.lint.storage import Copy
from migration_harness.schema.constraints import ColumnRule, rules_for
from migration_harness.schema.model import Check, Column, Index, Table, Trigger
from migration_harness.schema.sqltext import quote
from migration_harness.sets import parsing

__all__ = [
    "copied_columns",
    "rebuild_adds_not_null",
    "rebuild_copy_filters",
    "rebuild_drops_dependents",
    "rebuild_narrows_check",
    "rebuild_resets_autoincrement",
    "writable",
]


def rebuild_narrows_check(context: FileContext) -> Iterator[Hit]:
    """A rebuild whose new table has a CHECK narrower than the old one's."""
    for rebuild in rebuilds_with_rows(context):
        old = {c.expression for c in rebuild.old.checks}
        was = _old_rules(rebuild.old)
        for check in rebuild.new.checks:
            if check.expression in old or not rebuild.copies or _defaults_pass(rebuild, check):
                continue
            rules = rules_for(replace(rebuild.new, checks=(check,)))
            if rules and not any(_narrows(was.get(c, ColumnRule()), r) for c, r in rules.items()):
                continue  # understood, and it allows everything the old CHECKs allowed
            column_rule = next(iter(rules.values())) if len(rules) == 1 else None
            old_rule = was.get(next(iter(rules))) if column_rule else None
            if all(
                meets_check(context, c, check.expression, old_rule)
                or mended_rows(context, c, check.expression, rebuild.old)
                for c in rebuild.copies
            ):
                continue  # the file itself mends or leaves out the rows the CHECK refuses
            yield Hit(
                "rebuild-narrows-check",
                rebuild.copies[0].parsed,
                f"the copy fails on existing rows of {rebuild.name} that break CHECK "
                f"({check.expression}): the rebuilt table adds or narrows it",
            )
            break


def _defaults_pass(rebuild: Rebuild, check: Check) -> bool:
    """Whether every copied row meets ``check`` because it reads only defaults.

    A CHECK on columns the old table lacked and no copy writes sees their DEFAULT in every
    copied row (the D1 and drizzle rebuild that adds ``role … DEFAULT 'member' CHECK (role
    IN (…))``): the copy fails on it only if the defaults themselves break it, which SQLite
    says by evaluating it on them in a private ``:memory:`` database. Generated columns and
    anything SQLite cannot evaluate keep the warning.
    """
    try:
        tree = parsing.parse_one(check.expression)
    except sqlglot.errors.ParseError:
        return False
    named = {c.name.lower() for c in tree.find_all(exp.Column)}
    had = {c.name.lower() for c in rebuild.old.columns}
    written = copied_columns(rebuild)
    columns = {c.name.lower(): c for c in rebuild.new.columns}
    if not named or named & (had | written) or not named <= columns.keys():
        return False
    if any(columns[name].is_generated for name in named):
        return False
    used = [columns[name] for name in sorted(named)]
    names = ", ".join(quote(c.name) for c in used)
    values = ", ".join(c.default or "NULL" for c in used)
    conn = sqlite3.connect(":memory:")
    try:
        row = conn.execute(
            f"WITH t({names}) AS (SELECT {values}) SELECT NOT ({check.expression}) FROM t"
        ).fetchone()
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return row is not None and row[0] != 1  # NULL and true both pass a CHECK


def _old_rules(table: Table) -> dict[str, ColumnRule]:
    """What the old table allows per column: its CHECKs' rules and its NOT NULLs.

    A NOT NULL column admits no NULL, as ``CHECK (x IS NOT NULL)`` does: a rebuild adding
    either over the other narrows nothing (a clean twin of rebuild-adds-not-null and
    rebuild-narrows-check each).
    """
    rules = rules_for(table)
    for column in table.columns:
        name = column.name.lower()
        if column.notnull:
            rules[name] = replace(rules.get(name, ColumnRule()), no_null=True)
    return rules


def _narrows(old: ColumnRule, new: ColumnRule) -> bool:
    """Whether ``new`` refuses a value ``old`` allowed (as far as the shapes tell)."""
    if new.choices is not None and (
        old.choices is None or not set(new.choices) >= set(old.choices)
    ):
        return True
    if new.low is not None and (
        old.low is None or new.low > old.low or (new.low == old.low and new.low_open > old.low_open)
    ):
        return True
    if new.high is not None and (
        old.high is None
        or new.high < old.high
        or (new.high == old.high and new.high_open > old.high_open)
    ):
        return True
    if new.min_length is not None and (old.min_length or 0) < new.min_length:
        return True
    if new.max_length is not None and (old.max_length is None or new.max_length < old.max_length):
        return True
    return any(
        getattr(new, flag) and not getattr(old, flag) for flag in ("json", "not_empty", "no_null")
    )


def rebuild_adds_not_null(context: FileContext) -> Iterator[Hit]:
    """A rebuild that makes a nullable column NOT NULL without backfilling it in the copy.

    A copy that fills the column with ``COALESCE(x, 'default')`` (or ``IFNULL``), or leaves
    it to a non-NULL ``DEFAULT``, is the fix this rule asks for: it stays quiet there, and
    so where an ``UPDATE … WHERE x IS NULL`` before the copy fills every NULL
    (:func:`fills_nulls`).
    """
    for rebuild in rebuilds_with_rows(context):
        was = _old_rules(rebuild.old)
        nullable = {
            c.name.lower()
            for c in rebuild.old.columns
            if not c.pk and not was.get(c.name.lower(), ColumnRule()).no_null
        }
        order = [c.name for c in writable(rebuild.new)]
        tightened = [
            c
            for c in rebuild.new.columns
            if c.notnull
            and c.name.lower() in nullable
            and not all(
                _backfills(copy, rebuild, c)
                or fills_nulls(context, copy, c.name.lower(), rebuild.old, order)
                or _filters_nulls(copy, rebuild, c.name.lower(), order)
                for copy in rebuild.copies
            )
        ]
        if tightened and rebuild.copies:
            yield Hit(
                "rebuild-adds-not-null",
                rebuild.copies[0].parsed,
                f"the copy fails on rows of {rebuild.name} where {tightened[0].name} is NULL: the "
                "rebuilt table makes it NOT NULL",
            )


def _filters_nulls(copy: Copy, rebuild: Rebuild, column: str, order: list[str]) -> bool:
    """Whether ``copy`` copies ``column`` as it is and its ``WHERE`` keeps NULLs of it out.

    ``INSERT INTO new SELECT * FROM old WHERE author IS NOT NULL`` never writes a NULL
    author, so the copy cannot fail on one: the rows it leaves behind are
    rebuild-copy-filters' (MH218), not a failure. The filtered column must be the one the
    copy writes, named alike (qualified alike, or unqualified in a copy of the old table
    alone).
    """
    values = written_values(copy.insert, order)
    if values is None:
        values = star_values(copy, rebuild.old, order)
    value = (values or {}).get(column)
    if not isinstance(value, exp.Column) or value.name.lower() != column:
        return False
    kept = filtered_from_null(copy.select)
    if (value.table.lower(), column) in kept:
        return True
    alone = {name_of(t) for t in copy.select.find_all(exp.Table)} == {rebuild.old.name.lower()}
    return alone and any(name == column for _, name in kept)


def _backfills(copy: Copy, rebuild: Rebuild, column: Column) -> bool:
    """Whether ``copy`` can never write NULL into ``column`` of the rebuilt table.

    True where the select list fills it with a non-NULL literal, a NOT NULL column of the
    old table or its rowid alias (when the copy reads that table alone), a ``||`` of those
    (``'post-' || id``), or a ``COALESCE``/``IFNULL`` whose fallback is one
    (``COALESCE(display_name, email)``), or where the INSERT's column list
    leaves it out and a non-NULL ``DEFAULT`` fills it. A ``SELECT *`` or a list that does
    not line up says nothing.
    """
    values = written_values(copy.insert, [c.name for c in writable(rebuild.new)])
    if values is None:
        return False
    value = values.get(column.name.lower())
    if value is None:
        return column.default not in (None, "NULL")
    return never_null(
        value, never_null_columns(rebuild.old) if _reads_old(copy, rebuild, value) else set()
    )


def _reads_old(copy: Copy, rebuild: Rebuild, value: exp.Expr) -> bool:
    """Whether every column ``value`` names is one of the old table's.

    So where the copy reads the old table alone, or reads it FROM first and qualifies each
    column with its name or alias (``p.id`` beside ``JOIN categories AS c``): the old
    table's NOT NULL columns and rowid are never NULL in any row the copy reads, whatever
    the joins do.
    """
    name = rebuild.old.name.lower()
    tables = list(copy.select.find_all(exp.Table))
    if {name_of(t) for t in tables} == {name}:
        return True
    source = copy.select.args.get("from_") or copy.select.args.get("from")
    first = source.this if isinstance(source, exp.From) else None
    if not isinstance(first, exp.Table) or name_of(first) != name:
        return False
    own = first.alias_or_name.lower()  # a LEFT JOIN's side may be NULL: the FROM row never
    named = list(value.find_all(exp.Column))
    return bool(named) and all(c.table.lower() == own for c in named)


def rebuild_copy_filters(context: FileContext) -> Iterator[Hit]:
    """A rebuild's copy with WHERE, an INNER JOIN or a LIMIT: rows not matched are left behind.

    Not a join every copied row matches (:func:`~migration_harness.lint.joins.keeps_every_row`):
    the lookup or re-keyed parent the file filled with each value it joins on, or the parent
    of a NOT NULL foreign key every writer enforces.
    """
    for rebuild in rebuilds_with_rows(context):
        for copy in rebuild.copies:
            where = row_filter(copy.select)
            inner = [
                j
                for j in copy.select.args.get("joins") or ()
                if not j.args.get("side") and not keeps_every_row(context, copy, j)
            ]
            limit = row_limit(copy.select)
            if where is None and not inner and limit is None:
                continue
            what = "WHERE" if where is not None else "JOIN" if inner else limit or ""
            yield Hit(
                "rebuild-copy-filters",
                copy.parsed,
                (
                    f"rows of {rebuild.name} the {what} does not match"
                    if where is not None or inner
                    else f"rows of {rebuild.name} past the copy's {what}"
                )
                + " are deleted with the old table: the rebuild copies only some of them",
                offset_of(None, copy.parsed, what),
            )


def row_limit(select: exp.Expr) -> str | None:
    """``"LIMIT"`` or ``"OFFSET"`` when the SELECT's row limit leaves rows out, else ``None``.

    ``INSERT INTO logs_new SELECT … FROM logs ORDER BY id DESC LIMIT 1000`` copies the
    newest thousand rows and the DROP deletes the rest: every test database holds fewer
    rows than the limit, so the copy looks whole there (``check`` draws a handful of rows
    a table). A negative LIMIT is SQLite's "no limit" (lang_select.html#limitoffset), so
    ``LIMIT -1`` without an OFFSET keeps every row.
    """
    offset = select.args.get("offset")
    if isinstance(offset, exp.Offset) and _number(offset.expression) != 0:
        return "OFFSET"
    limit = select.args.get("limit")
    if not isinstance(limit, exp.Limit):
        return None
    amount = _number(limit.expression)
    return None if amount is not None and amount < 0 else "LIMIT"


def _number(node: exp.Expr | None) -> float | None:
    """The value of an integer literal, negated or not; ``None`` for anything else."""
    negative = isinstance(node, exp.Neg)
    inner = node.this if isinstance(node, exp.Neg) else node
    if not isinstance(inner, exp.Literal) or inner.is_string:
        return None
    try:
        value = float(inner.this)
    except ValueError:
        return None
    return -value if negative else value


def rebuild_resets_autoincrement(context: FileContext) -> Iterator[Hit]:
    """A rebuild of an AUTOINCREMENT table that does not restore its sqlite_sequence row."""
    restored = any(
        name_of(p.tree_if("INSERT", "REPLACE", "UPDATE").this) == "sqlite_sequence"  # type: ignore[union-attr]
        for p in context.statements
        if "sqlite_sequence" in p.sql.lower() and p.tree_if("INSERT", "REPLACE", "UPDATE")
    )
    for rebuild in rebuilds_with_rows(context) if not restored else ():
        # a new table keyed by TEXT (no rowid alias) hands out no ids at all
        handed = rebuild.new.rowid_alias is not None
        if "AUTOINCREMENT" in rebuild.old.sql.upper() and handed and rebuild.copies:
            yield Hit(
                "rebuild-resets-autoincrement",
                rebuild.drop,
                f"ids of deleted {rebuild.name} rows are handed out again: dropping the old "
                "table drops its AUTOINCREMENT counter, and the new one restarts from the "
                "largest copied id",
            )


def rebuild_drops_dependents(context: FileContext) -> Iterator[Hit]:
    """A rebuild that loses the old table's triggers or indexes without saying so.

    ``DROP TABLE`` takes the table's triggers and indexes with it, and the new table has
    only what the file creates for it: an audit trigger, an ``updated_at`` trigger or a
    UNIQUE index the file never names is gone after the rename, and nothing fails
    (drizzle-kit and Prisma re-create the indexes they manage, never a hand-written
    trigger). Quiet for what the file drops by name (``DROP TRIGGER``, ``DROP INDEX``: its
    word), for a trigger or an index equal to one the new table has under any name
    (:func:`_trigger_body`), and for an index
    on a column the new table lacks (the dropped column is rebuild-drops-column's).
    In a rollback only triggers from before its migration count (the migration's own are
    the rollback's to drop; a missing index is down-changes-object's, which reads tables).
    """
    origin = context.origin if not context.is_up else None
    owed = {t.name.lower() for t in origin.triggers} if origin is not None else set()
    named = set()
    for parsed in context.statements:
        for kind in ("TRIGGER", "INDEX"):
            node = dropped(parsed.tree_if("DROP"), kind)
            if node is not None:
                named.add(name_of(node))
    kept = {t.name.lower() for t in context.after.triggers}
    for rebuild in rebuilds_with_rows(context):
        table = rebuild.name.lower()
        bodies = {_trigger_body(t) for t in context.after.triggers if t.table.lower() == table}
        lost = [
            f"trigger {t.name}"
            for t in context.before.triggers
            if t.table.lower() == table
            and t.name.lower() not in kept | named
            and _trigger_body(t) not in bodies - {""}
            and (context.is_up or t.name.lower() in owed)
        ]
        lost += [
            f"{'UNIQUE ' if i.unique else ''}index {i.name}"
            for i in rebuild.old.indexes
            if context.is_up
            and i.origin == "c"
            and i.name.lower() not in named
            and not _kept(i, rebuild.new)
        ]
        if lost:
            yield Hit(
                "rebuild-drops-dependents",
                rebuild.drop,
                f"the rebuild of {rebuild.name} loses its {', '.join(lost)}: DROP TABLE "
                f"takes {'it' if len(lost) == 1 else 'them'} with the old table and the "
                "file never re-creates it on the new one",
            )


def _trigger_body(trigger: Trigger) -> str:
    """A trigger's normalised SQL without its name: what it does, on which table, when.

    A file that creates the trigger again on the new table before the swap must name it
    otherwise (``posts_touch_new``: the old one still exists), and the RENAME makes its
    body read the table's final name: it is the old trigger, re-created. ``""`` for a
    name the normalised text cannot split off (a quoted name with a space).
    """
    words = trigger.sql.split(" ", 3)
    if len(words) < 4 or words[:2] != ["create", "trigger"] or words[2] != trigger.name.lower():
        return ""
    return words[3]


def _kept(index: Index, new: Table) -> bool:
    """Whether the rebuilt table still serves what ``index`` of the old one did.

    An index of the same name (re-created, changed or not); one whose key starts with the
    same columns (a lookup index), or a UNIQUE key or PRIMARY KEY within them (stricter,
    for a UNIQUE index): stash 35 dropped such indexes "in favour of primary key". An
    index on a column the new table lacks went with the column (rebuild-drops-column).
    """
    if any(i.name.lower() == index.name.lower() for i in new.indexes):
        return True
    names = {c.name.lower() for c in new.columns}
    key = tuple(c.lower() for c in index.plain_columns)
    if any(c not in names for c in key) or index.is_partial:
        return not all(c in names for c in key)
    alias = (new.rowid_alias or "").lower()
    if alias and alias in key and (index.unique or key[0] == alias):
        return True
    if index.unique:
        return any(set(u) and {c.lower() for c in u} <= set(key) for u in new.unique_sets)
    keys = [tuple(c.lower() for c in i.plain_columns) for i in new.indexes]
    keys += [tuple(c.lower() for c in new.primary_key)] if new.primary_key else []
    return any(k[: len(key)] == key for k in keys)


def copied_columns(rebuild: Rebuild) -> set[str]:
    """Lower-cased columns of the new table the rebuild's copies write."""
    written: set[str] = set()
    for copy in rebuild.copies:
        written |= written_columns(copy, rebuild.new)
    return written


def writable(table: Table) -> list[Column]:
    """The columns an INSERT fills by position (generated columns are skipped)."""
    return [c for c in table.columns if not c.is_generated]
