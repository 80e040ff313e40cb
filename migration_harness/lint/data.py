"""Data-dependent statements: they pass on an empty database and fail or lose rows on a full one.

Every fresh test database is empty, so these are the defects that reach production; lint
names them from the statement and the schema, ``check`` then proves them with rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace

import sqlglot
from sqlglot import exp

from migration_harness.lint.casts import operand_keeps_values
from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.dedupe import deduplicated, deduplicated_copy
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.ignores import or_ignore_copy
from migration_harness.lint.joins import keeps_every_row
from migration_harness.lint.keys import (
    implied,
    key_named,
    keys_of,
    labels_rowid,
    new_key_holds,
)
from migration_harness.lint.mends import (
    fills_nulls,
    meets_check,
    mended_rows,
    never_null,
    never_null_columns,
)
from migration_harness.lint.rebuilds import Rebuild, rebuilds_with_rows, written_columns
from migration_harness.lint.shapes import (
    dropped,
    name_of,
    table_in,
    written_values,
)
from migration_harness.lint.storage import Copy, copies
from migration_harness.schema.constraints import ColumnRule, rules_for
from migration_harness.schema.model import Check, Column, Index, Table, Trigger
from migration_harness.schema.sqltext import quote
from migration_harness.sets import parsing

_NARROW: dict[str, frozenset[str]] = {
    # target affinity -> source affinities whose values it can change or zero
    "INTEGER": frozenset({"TEXT", "BLOB", "REAL", "NUMERIC"}),
    "REAL": frozenset({"TEXT", "BLOB"}),
    "NUMERIC": frozenset({"TEXT", "BLOB"}),
}
# target affinity -> source affinities whose stored values a rebuilt column converts: only
# text a column of TEXT or BLOB (no) affinity kept as written. A NUMERIC column already
# stores '007' as 7 and INTEGER affinity differs from NUMERIC only in CAST (datatype3,
# section 3), so NUMERIC -> INTEGER changes no value; REAL -> INTEGER only turns 3.0 into 3.
_REAFFINED: dict[str, frozenset[str]] = {**_NARROW, "INTEGER": frozenset({"TEXT", "BLOB"})}


def add_column_not_null(context: FileContext) -> Iterator[Hit]:
    """``ADD COLUMN … NOT NULL`` without a non-NULL DEFAULT on an existing table."""
    for parsed, table, column in _added_columns(context):
        kinds = [c.args.get("kind") for c in column.args.get("constraints") or ()]
        # sqlglot reads a plain NULL constraint as NotNullColumnConstraint(allow_null=True)
        not_null = any(
            isinstance(k, exp.NotNullColumnConstraint) and not k.args.get("allow_null")
            for k in kinds
        )
        defaults = [k for k in kinds if isinstance(k, exp.DefaultColumnConstraint)]
        if not_null and (not defaults or isinstance(defaults[0].this, exp.Null)):
            yield Hit(
                "add-column-not-null",
                parsed,
                f"the migration fails as soon as {table} has a row: SQLite refuses a NOT NULL "
                "column without a default on a non-empty table (an empty test database "
                "accepts it)",
                offset_of(column, parsed),
            )


def add_column_refused(context: FileContext) -> Iterator[Hit]:
    """``ADD COLUMN`` SQLite refuses on a table with rows, for what the column is.

    ``sqlite3ErrorIfNotEmpty``: a ``GENERATED … STORED`` column ('cannot add a STORED
    column'), and, while keys are on, a ``REFERENCES`` column with a non-NULL DEFAULT
    ('Cannot add a REFERENCES column with non-NULL default value'). And a column whose
    CHECK its own DEFAULT fails: SQLite runs the table's CHECKs over the existing rows
    after adding it (``sqlite3AlterFinishAddColumn``'s quick_check), each of which holds
    the default. Every fresh test database has the table empty and accepts the file; the
    deploy stops at it.
    """
    for parsed, table, column in _added_columns(context):
        kinds = [c.args.get("kind") for c in column.args.get("constraints") or ()]
        defaults = [k for k in kinds if isinstance(k, exp.DefaultColumnConstraint)]
        set_default = bool(defaults) and not isinstance(defaults[0].this, exp.Null)
        why = None
        if any(
            isinstance(k, exp.ComputedColumnConstraint) and k.args.get("persisted") for k in kinds
        ):
            why = "a GENERATED … STORED column ('cannot add a STORED column')"
        elif (
            set_default
            and any(isinstance(k, exp.Reference) for k in kinds)
            and context.keys_on(parsed)
        ):
            why = (
                "a REFERENCES column with a non-NULL DEFAULT while foreign keys are on "
                "('Cannot add a REFERENCES column with non-NULL default value')"
            )
        elif any(isinstance(k, exp.CheckColumnConstraint) for k in kinds):
            why = _default_breaks_check(column)
        if why is not None:
            yield Hit(
                "add-column-refused",
                parsed,
                f"the migration fails as soon as {table} has a row: SQLite refuses to add "
                f"{why} to a non-empty table (an empty test database accepts it)",
                offset_of(column, parsed),
            )


def _default_breaks_check(column: exp.ColumnDef) -> str | None:
    """Why a row holding only the column's DEFAULT fails its CHECK, as SQLite says; else None.

    Asked of SQLite on a scratch table of the one column: a CHECK naming other columns, or
    a DEFAULT calling a function the application registers, cannot be judged and is None.
    """
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"CREATE TABLE mh_probe ({column.sql(dialect='sqlite')})")
        conn.execute("INSERT INTO mh_probe DEFAULT VALUES")
    except sqlite3.IntegrityError as exc:
        if "CHECK constraint failed" in str(exc):
            return f"a column whose DEFAULT fails its own CHECK ('{exc}')"
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return None


def _added_columns(context: FileContext) -> Iterator[tuple[Parsed, str, exp.ColumnDef]]:
    """``(statement, table, column)`` for each ADD COLUMN on a table that existed before."""
    for parsed in context.statements:
        tree = parsed.tree_if("ALTER")
        if not isinstance(tree, exp.Alter):
            continue
        table = name_of(tree.this)
        if table_in(context.before, table) is None or not context.holds_rows(table):
            continue
        for action in tree.args.get("actions") or ():
            if isinstance(action, exp.ColumnDef):
                yield parsed, table, action


def unique_on_existing_table(context: FileContext) -> Iterator[Hit]:
    """A new UNIQUE index (or a rebuild's new UNIQUE constraint) on a table with rows."""
    rebuilt = {r.name.lower(): r for r in rebuilds_with_rows(context)}
    for parsed in context.statements:
        tree = parsed.tree_if("CREATE") if parsed.words[1:2] == ("UNIQUE",) else None
        if not (isinstance(tree, exp.Create) and tree.args.get("unique")):
            continue
        index = tree.this
        table = name_of(index.args.get("table")) if isinstance(index, exp.Index) else ""
        if table in rebuilt or not context.holds_rows(table):
            continue
        if not _may_repeat(context, table, index):
            continue
        if _already_unique(context, table, name_of(index)):
            continue
        if deduplicated(context, parsed, table):
            continue  # the file removes the duplicates first, as the rule's hint asks
        yield Hit(
            "unique-on-existing-table",
            parsed,
            f"the migration fails if {table} already holds duplicates: a new UNIQUE index "
            "is checked against every existing row",
            offset_of(index, parsed),
        )
    for rebuild in rebuilt.values():
        # A key is new with its collations: the old UNIQUE (email) refused 'a@x' beside
        # 'A@x', the rebuilt one under NOCASE refuses the pair the old one let in.
        before = set(keys_of(rebuild.old))
        added = [
            k
            for k in keys_of(rebuild.new)
            if k not in before
            and not new_key_holds(k, rebuild)
            and not _null_in_copies(k[0], rebuild)
            and not deduplicated_copy(context, rebuild, k)
        ]
        if added and rebuild.copies:
            names, collations = added[0]
            had = any(k[0] == names for k in before)
            how = f"makes it UNIQUE under {'/'.join(collations)}" if had else "adds it as UNIQUE"
            yield Hit(
                "unique-on-existing-table",
                rebuild.copies[0].parsed,
                f"the copy fails (or drops rows with OR IGNORE) if {rebuild.name} holds "
                f"duplicates of ({_spelled(rebuild.new, names)}): the rebuilt table {how}",
            )


def _null_in_copies(names: tuple[str, ...], rebuild: Rebuild) -> bool:
    """Whether every copied row holds NULL in one of the key's columns.

    A column the old table lacked, no copy writes and without a non-NULL default is NULL in
    each copied row, and NULLs never clash in a UNIQUE key (Prisma's RedefineTables for a
    new ``slug String? @unique``).
    """
    had = {c.name.lower() for c in rebuild.old.columns}
    written = _copied_columns(rebuild)
    defaults = {c.name.lower(): c.default for c in rebuild.new.columns}
    return any(
        n not in had and n not in written and defaults.get(n) in (None, "NULL") for n in names
    )


def _copied_columns(rebuild: Rebuild) -> set[str]:
    """Lower-cased columns of the new table the rebuild's copies write."""
    written: set[str] = set()
    for copy in rebuild.copies:
        written |= written_columns(copy, rebuild.new)
    return written


def _spelled(table: Table, names: tuple[str, ...]) -> str:
    """Lower-cased column names as the table spells them, comma-separated."""
    spelling = {c.name.lower(): c.name for c in table.columns}
    return ", ".join(spelling.get(name, name) for name in names)


def _already_unique(context: FileContext, table: str, index: str) -> bool:
    """Whether the new index's key contains a key the table already enforced."""
    old = table_in(context.before, table)
    new = table_in(context.after, table)
    key = None if new is None else key_named(new, index)
    return old is not None and key is not None and implied(key, keys_of(old))


def _may_repeat(context: FileContext, table: str, index: exp.Expr) -> bool:
    """Whether existing rows of ``table`` can share values of the index's columns.

    Columns the file itself added hold NULL in every existing row, and NULLs never clash
    in a UNIQUE index; with a non-NULL default they all hold the same value and do. One
    such NULL column in the key is enough (two rows clash only where every column is
    non-NULL), unless the file writes it first: an UPDATE backfilling it from the rows'
    other values (``SET slug = lower(name)``) can give two rows one value, except a plain
    copy of a column the table already kept unique (``SET public_id = id``) or the rowid
    between fixed strings (``SET slug = 'post-' || id``,
    :func:`~migration_harness.lint.keys.labels_rowid`), or, where the new index compares
    the column as written (BINARY), a unique TEXT key between fixed strings (Prisma's
    ``String @id``: ``SET slug = 'post-' || id``). A TEXT column turns every number into
    its text, so two distinct values are two distinct strings, and fixed strings around
    them keep them apart; only a BLOB stored in a TEXT key prints as bytes another row's
    text may equal, which no ORM writing the key does.
    """
    old = table_in(context.before, table)
    new = table_in(context.after, table)
    if old is None or new is None:
        return False
    had = {c.name.lower() for c in old.columns}
    named = {c.name.lower() for c in index.find_all(exp.Column)}
    written = _updated_columns(context, table)
    single = [names[0] for names, _ in keys_of(old) if len(names) == 1]
    unique = set(single)
    affinities = {c.name.lower(): c.affinity for c in old.columns}
    rowid = (old.rowid_alias or "").lower()
    labels = {rowid} if rowid else set()
    repeat = not named
    for column in new.columns:
        name = column.name.lower()
        if name not in named:
            continue
        binary = column.collation in (None, "BINARY") and index.find(exp.Collate) is None
        texts = {k for k in single if affinities.get(k) == "TEXT"} if binary else set()
        if name in had or column.default not in (None, "NULL"):
            repeat = True
        elif name not in written:
            return False  # NULL in every existing row
        elif not _copies_a_key(context, table, name, unique, labels | texts):
            repeat = True  # backfilled from values rows may share
    return repeat


def _copies_a_key(
    context: FileContext, table: str, column: str, unique: set[str], labels: set[str]
) -> bool:
    """Whether every UPDATE of the file setting ``column`` writes distinct values per row.

    A unique column copied as is, or one of ``labels`` (the rowid's alias, a unique TEXT
    key) between fixed strings (:func:`~migration_harness.lint.keys.labels_rowid`).
    """
    values = [
        assignment.expression
        for parsed in context.statements
        if isinstance(tree := parsed.tree_if("UPDATE"), exp.Update) and name_of(tree.this) == table
        for assignment in tree.expressions
        if isinstance(assignment, exp.EQ) and name_of(assignment.this) == column
    ]
    return bool(values) and all(
        (isinstance(v, exp.Column) and name_of(v) in unique)
        or any(labels_rowid(v, key) for key in labels)
        for v in values
    )


def _updated_columns(context: FileContext, table: str) -> set[str]:
    """Columns of ``table`` an UPDATE of the file sets."""
    found: set[str] = set()
    for parsed in context.statements:
        tree = parsed.tree_if("UPDATE")
        if isinstance(tree, exp.Update) and name_of(tree.this) == table:
            for assignment in tree.expressions:
                found |= {c.name.lower() for c in assignment.find_all(exp.Column)}
    return found


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
    written = _copied_columns(rebuild)
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
        order = [c.name for c in _writable(rebuild.new)]
        tightened = [
            c
            for c in rebuild.new.columns
            if c.notnull
            and c.name.lower() in nullable
            and not all(
                _backfills(copy, rebuild, c)
                or fills_nulls(context, copy, c.name.lower(), rebuild.old, order)
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


def _backfills(copy: Copy, rebuild: Rebuild, column: Column) -> bool:
    """Whether ``copy`` can never write NULL into ``column`` of the rebuilt table.

    True where the select list fills it with a non-NULL literal, a NOT NULL column of the
    old table or its rowid alias (when the copy reads that table alone), a ``||`` of those
    (``'post-' || id``), or a ``COALESCE``/``IFNULL`` whose fallback is one
    (``COALESCE(display_name, email)``), or where the INSERT's column list
    leaves it out and a non-NULL ``DEFAULT`` fills it. A ``SELECT *`` or a list that does
    not line up says nothing.
    """
    values = written_values(copy.insert, [c.name for c in _writable(rebuild.new)])
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


def insert_select_star(context: FileContext) -> Iterator[Hit]:
    """``INSERT INTO t SELECT * FROM s`` where t's and s's columns differ in order."""
    for copy in copies(context):
        if not any(isinstance(e, exp.Star) for e in copy.select.expressions):
            continue
        named = sorted({name_of(t) for t in copy.select.find_all(exp.Table)})
        source = table_in(copy.parsed.before, named[0]) if len(named) == 1 else None
        target = table_in(copy.parsed.before, copy.target)
        if source is None or target is None:
            continue
        into = copy.columns or [c.name.lower() for c in _writable(target)]
        out = [c.name.lower() for c in _writable(source)]
        if into != out and sorted(into) == sorted(out):
            moved = next(f"{a} into {b}" for a, b in zip(out, into, strict=True) if a != b)
            yield Hit(
                "insert-select-star",
                copy.parsed,
                f"values land in the wrong columns ({moved}): SELECT * copies by position and "
                f"{copy.target} orders its columns differently from {source.name}",
                offset_of(copy.select, copy.parsed, "SELECT"),
            )


def _writable(table: Table) -> list[Column]:
    """The columns an INSERT fills by position (generated columns are skipped)."""
    return [c for c in table.columns if not c.is_generated]


def cast_narrowing(context: FileContext) -> Iterator[Hit]:
    """A copy that turns a column into a narrower affinity (explicit CAST or a rebuild)."""
    for copy in copies(context):
        for cast in copy.select.find_all(exp.Cast):
            to = Column("x", cast.args["to"].sql(dialect="sqlite")).affinity
            narrows = to in _NARROW and _source_affinity(copy, cast.this) in _NARROW[to]
            if narrows and not operand_keeps_values(cast, to):
                yield Hit(
                    "cast-narrowing",
                    copy.parsed,
                    f"values that do not read as {to} become 0 or a truncated number: CAST "
                    f"to {to} in a copy changes them without an error",
                    offset_of(cast, copy.parsed, "CAST"),
                )
    for rebuild in rebuilds_with_rows(context):
        old = {c.name.lower(): c.affinity for c in rebuild.old.columns}
        for column in rebuild.new.columns:
            was = old.get(column.name.lower())
            reaffined = was is not None and was in _REAFFINED.get(column.affinity, ())
            if reaffined and _copied_as_is(rebuild, column.name.lower()):
                yield Hit(
                    "cast-narrowing",
                    rebuild.copies[0].parsed,
                    f"text values of {rebuild.name}.{column.name} that look numeric lose their "
                    f"form ('007' becomes 7): the rebuilt column has {column.affinity} "
                    f"affinity, the old one {was}",
                )


def _copied_as_is(rebuild: Rebuild, column: str) -> bool:
    """Whether a copy of ``rebuild`` writes ``column`` from a column's stored value.

    Only then does the new affinity read the old text (``'007'`` into INTEGER is 7); a copy
    that computes the value (``unixepoch(happened_at)``) chose its form, and a CAST in it
    is the first half of cast-narrowing's. A copy whose columns do not line up counts.
    """
    for copy in rebuild.copies:
        values = written_values(copy.insert, [c.name for c in _writable(rebuild.new)])
        value = values.get(column) if values is not None else None
        if values is None or isinstance(value, exp.Column):
            return True
    return False


def _source_affinity(copy: Copy, node: exp.Expr) -> str:
    """The affinity of the source column a CAST reads (TEXT when unknown)."""
    if not isinstance(node, exp.Column):
        return "TEXT"
    for table in copy.select.find_all(exp.Table):
        found = table_in(copy.parsed.before, name_of(table))
        if found is None:
            continue
        for column in found.columns:
            if column.name.lower() == node.name.lower():
                return column.affinity
    return "TEXT"


def rebuild_copy_filters(context: FileContext) -> Iterator[Hit]:
    """A rebuild's copy with WHERE or an INNER JOIN: rows not matched are left behind.

    Not a join every copied row matches (:func:`~migration_harness.lint.joins.keeps_every_row`):
    the lookup or re-keyed parent the file filled with each value it joins on, or the parent
    of a NOT NULL foreign key every writer enforces.
    """
    for rebuild in rebuilds_with_rows(context):
        for copy in rebuild.copies:
            where = copy.select.args.get("where")
            inner = [
                j
                for j in copy.select.args.get("joins") or ()
                if not j.args.get("side") and not keeps_every_row(context, copy, j)
            ]
            if where is None and not inner:
                continue
            what = "WHERE" if where is not None else "JOIN"
            yield Hit(
                "rebuild-copy-filters",
                copy.parsed,
                f"rows of {rebuild.name} the {what} does not match are deleted with the old "
                "table: the rebuild copies only some of them",
                offset_of(None, copy.parsed, what),
            )


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


RULES: tuple[Rule, ...] = (
    add_column_not_null,
    add_column_refused,
    unique_on_existing_table,
    rebuild_narrows_check,
    rebuild_adds_not_null,
    insert_select_star,
    or_ignore_copy,
    cast_narrowing,
    rebuild_copy_filters,
    rebuild_resets_autoincrement,
    rebuild_drops_dependents,
)
