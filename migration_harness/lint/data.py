"""Data-dependent statements: they pass on an empty database and fail or lose rows on a full one.

Every fresh test database is empty, so these are the defects that reach production; lint
names them from the statement and the schema, ``check`` then proves them with rows. The
rules on table rebuilds are :mod:`~migration_harness.lint.rebuild_rules`'s; :data:`RULES`
registers them here, in their place in the catalogue's order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from sqlglot import exp

from migration_harness.lint.casts import operand_keeps_values
from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.dedupe import deduplicated, deduplicated_copy
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.ignores import or_ignore_copy
from migration_harness.lint.keys import (
    implied,
    key_named,
    keys_of,
    labels_rowid,
    new_key_holds,
)
from migration_harness.lint.rebuild_rules import (
    copied_columns,
    rebuild_adds_not_null,
    rebuild_copy_filters,
    rebuild_drops_dependents,
    rebuild_narrows_check,
    rebuild_resets_autoincrement,
    writable,
)
from migration_harness.lint.rebuilds import Rebuild, rebuilds_with_rows
from migration_harness.lint.shapes import (
    name_of,
    table_in,
    written_values,
)
from migration_harness.lint.skipped import skipped
from migration_harness.lint.storage import Copy, copies
from migration_harness.schema.model import Column, Table

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
        if skipped(parsed) is not None:
            continue  # SQLite skips it (guarded-create-skipped): no row is checked
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
            and not _merged_on_conflict(k[0], rebuild)
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


def _merged_on_conflict(names: tuple[str, ...], rebuild: Rebuild) -> bool:
    """Whether every copy merges the rows that meet on the key (``ON CONFLICT (…) DO UPDATE``).

    ``INSERT INTO usage_new … SELECT … WHERE true ON CONFLICT (account_id, day) DO UPDATE
    SET requests = requests + excluded.requests``: a row whose key an earlier one holds
    updates that row instead of failing, so the copy never fails on duplicates of the
    key; what the merge writes is the file's stated purpose. ``DO NOTHING`` drops them
    (the warning's "OR IGNORE"), and a conflict on another key still fails.
    """
    for copy in rebuild.copies:
        conflict = copy.insert.args.get("conflict")
        if not isinstance(conflict, exp.OnConflict):
            return False
        action = conflict.args.get("action")
        if action is None or "UPDATE" not in action.sql().upper():
            return False
        keys = {
            name_of(k.this if isinstance(k, exp.Ordered) else k)
            for k in conflict.args.get("conflict_keys") or ()
        }
        if keys != set(names):
            return False
    return bool(rebuild.copies)


def _null_in_copies(names: tuple[str, ...], rebuild: Rebuild) -> bool:
    """Whether every copied row holds NULL in one of the key's columns.

    A column the old table lacked, no copy writes and without a non-NULL default is NULL in
    each copied row, and NULLs never clash in a UNIQUE key (Prisma's RedefineTables for a
    new ``slug String? @unique``).
    """
    had = {c.name.lower() for c in rebuild.old.columns}
    written = copied_columns(rebuild)
    defaults = {c.name.lower(): c.default for c in rebuild.new.columns}
    return any(
        n not in had and n not in written and defaults.get(n) in (None, "NULL") for n in names
    )


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
        into = copy.columns or [c.name.lower() for c in writable(target)]
        out = [c.name.lower() for c in writable(source)]
        if into != out and sorted(into) == sorted(out):
            moved = next(f"{a} into {b}" for a, b in zip(out, into, strict=True) if a != b)
            yield Hit(
                "insert-select-star",
                copy.parsed,
                f"values land in the wrong columns ({moved}): SELECT * copies by position and "
                f"{copy.target} orders its columns differently from {source.name}",
                offset_of(copy.select, copy.parsed, "SELECT"),
            )


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
        values = written_values(copy.insert, [c.name for c in writable(rebuild.new)])
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
