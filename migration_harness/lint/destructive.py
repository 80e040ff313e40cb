"""Destructive statements: what deletes rows or values that existed before the file.

In a rollback, dropping what the migration itself created is the rollback's job, so those
objects (``FileContext.created``) are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlglot import exp

from migration_harness.checks.recreated import recreated_empty
from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.converted import converted
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.joins import remapped
from migration_harness.lint.moves import removes_moved_keys
from migration_harness.lint.rebuilds import (
    Rebuild,
    derived_from,
    rebuilds,
    rebuilds_with_rows,
    refilled_columns,
    written_columns,
)
from migration_harness.lint.shapes import (
    dropped,
    json_sources,
    name_of,
    row_filter,
    row_sources,
    sources,
    table_in,
)
from migration_harness.lint.splits import kept_by_updates
from migration_harness.lint.storage import Copy, copies, walk
from migration_harness.schema.model import Schema, Table
from migration_harness.schema.positional import trigger_statements


def drop_table(context: FileContext) -> Iterator[Hit]:
    """``DROP TABLE`` of a table that held rows before the file (not a rebuild's old copy)."""
    rebuilt = {r.name.lower() for r in rebuilds(context)}
    renamed = _renamed_away(context)
    for parsed in context.statements:
        node = dropped(parsed.tree_if("DROP"))
        if node is None:
            continue
        name = name_of(node)
        original = renamed.get(name, name)
        if table_in(context.before, original) is None or original in context.created:
            continue
        if not context.holds_rows(original):
            continue
        if original in rebuilt or _moved_whole(context, original):
            continue
        yield Hit(
            "drop-table",
            parsed,
            f"every row of {original} is deleted: the migration drops the table",
            offset_of(node, parsed),
        )


def _moved_whole(context: FileContext, table: str) -> bool:
    """Whether the file copied every row and column of ``table`` into a table it keeps.

    ``CREATE TABLE people …; INSERT INTO people SELECT id, name FROM person; DROP TABLE
    person`` renames by copying: the rows live on under the new name. A filtered, limited,
    grouped or joined copy, one that leaves a column out, or one into a table the file
    drops again, keeps the warning.

    The copy takes its rows from ``table`` alone; a scalar subquery of its select list
    may read another table (``(SELECT MAX(id) FROM tickets) + ROW_NUMBER() OVER …``, new
    ids after the last of the table merged into), which gives no row nor takes one.
    """
    old = table_in(context.before, table)
    if old is None:
        return False
    found = walk(context)
    kept = set(found.final.values())
    columns = {c.name.lower() for c in old.columns}
    for copy in found.copies:
        select = copy.select
        if copy.emptied or table not in copy.source_origins or copy.target_origin not in kept:
            continue
        if copy.source_origins != (table,) and not _reads_rows_of(select, table):
            continue
        shaping = ("limit", "group", "having", "joins", "distinct")
        if row_filter(select) is not None or any(select.args.get(k) for k in shaping):
            continue
        read = {e.name.lower() for e in select.expressions if isinstance(e, exp.Column)}
        if any(isinstance(e, exp.Star) for e in select.expressions) or columns <= read:
            return True
    return False


def _reads_rows_of(select: exp.Select, table: str) -> bool:
    """Whether ``select`` takes its rows from ``table`` alone, named as it is."""
    rows = row_sources(select)
    return len(rows) == 1 and isinstance(rows[0], exp.Table) and name_of(rows[0]) == table


def _renamed_away(context: FileContext) -> dict[str, str]:
    """Names tables were renamed to in the file, mapped to their name before it."""
    names: dict[str, str] = {}
    for parsed in context.statements:
        tree = parsed.tree_if("ALTER")
        if isinstance(tree, exp.Alter):
            for action in tree.args.get("actions") or ():
                if isinstance(action, exp.AlterRename):
                    old = name_of(tree.this)
                    names[name_of(action.this)] = names.pop(old, old)
    return names


def drop_column(context: FileContext) -> Iterator[Hit]:
    """``ALTER TABLE … DROP COLUMN`` of a column that existed before the file.

    A column the file first copies into another table (``INSERT INTO archive … SELECT id,
    code FROM people``) moved, as in :func:`rebuild_drops_column`: its values are kept. So
    did one the file's UPDATEs first split or copied, one to one, into columns of its own
    table that stay (:func:`~migration_harness.lint.splits.kept_by_updates`). A generated
    column holds no values of its own (:func:`_generated`).
    """
    for parsed in context.statements:
        tree = parsed.tree_if("ALTER")
        if not isinstance(tree, exp.Alter):
            continue
        for action in tree.args.get("actions") or ():
            node = dropped(action, "COLUMN")
            if node is not None:
                table = name_of(tree.this)
                column = name_of(node)
                if f"{table}.{column}" in context.created or table in context.created:
                    continue
                if not context.holds_rows(table) or column in _moved(context, table):
                    continue
                if kept_by_updates(context, parsed, table, column):
                    continue
                if column in _generated(table_in(parsed.before, table)):
                    continue
                yield Hit(
                    "drop-column",
                    parsed,
                    f"every value of {table}.{column} is deleted: the migration drops the column",
                    offset_of(action, parsed),
                )


def rebuild_drops_column(context: FileContext) -> Iterator[Hit]:
    """A rebuild whose new table lacks a column of the old one, and copies it nowhere else.

    A column the file copies into another table before the drop (``INSERT INTO
    rule_segments … SELECT id, segment_key FROM rules``) moved; its values are kept. So did
    one the rebuild's own copy reads as it is into a column of another name (``SELECT id,
    "e-mail" FROM users`` into ``email``): a rename done by the rebuild. So did one the
    copy joins on to a UNIQUE column of a table that stays, writing that table's key
    instead (a surrogate key: :func:`~migration_harness.lint.joins.remapped`). So did one
    of few known values (a BOOLEAN, a ``CHECK (c IN (…))``) the copy converts one to one
    into another column (:func:`~migration_harness.lint.converted.converted`).
    A table refilled from other live tables (:func:`derived_from`: a summary, an FTS5
    index) held only what those tables still hold: a column it no longer has is not lost.
    Nor is a generated column (:func:`_generated`).
    """
    for rebuild in rebuilds_with_rows(context):
        if derived_from(rebuild):
            continue
        kept = {c.name.lower() for c in rebuild.new.columns} | _generated(rebuild.old)
        kept |= _moved(context, rebuild.name)
        for copy in rebuild.copies:
            kept |= remapped(context, copy)
        lost = [
            c.name
            for c in rebuild.old.columns
            if c.name.lower() not in kept
            and f"{rebuild.name.lower()}.{c.name.lower()}" not in context.created
            and not converted(rebuild, c.name)
        ]
        if lost:
            yield Hit(
                "rebuild-drops-column",
                rebuild.drop,
                f"the values of {', '.join(f'{rebuild.name}.{c}' for c in lost)} are deleted: "
                "the rebuilt table has no such column",
            )


def _generated(table: Table | None) -> set[str]:
    """The generated columns of ``table`` (lower-cased): dropping one loses no data.

    SQLite computes a VIRTUAL column's value on each read and a STORED one's on each write,
    from the row's other columns: nothing is kept that those columns do not hold, and
    dropping one of those is its own finding. SQLite refuses to drop a column a generated
    column reads (drop-column-refused).
    """
    if table is None:
        return set()
    return {c.name.lower() for c in table.columns if c.is_generated}


def _moved(context: FileContext, table: str) -> set[str]:
    """Columns of ``table`` a copy of the file writes, as they are, somewhere.

    Or that a copy of an earlier file wrote into another table that is still there
    (``context.copied``): the expand step of an expand/contract, whose contract step is
    this drop, as MH202's fix asks.
    """
    origin = table.lower()
    moved = {
        column
        for source, column, into in context.copied
        if source == origin and into != origin and table_in(context.before, into) is not None
    }
    for copy in copies(context):
        if origin in copy.source_origins:
            moved |= _moved_by(copy, origin)
    return moved


def copied_out(context: FileContext) -> frozenset[tuple[str, str, str]]:
    """``(table, column, into)``: columns the file's copies write, as they are, elsewhere."""
    found: set[tuple[str, str, str]] = set()
    for copy in copies(context):
        into = copy.target.lower()
        for origin in copy.source_origins:
            if origin != into:
                found |= {(origin, c, into) for c in _moved_by(copy, origin)}
    return frozenset(found)


def _moved_by(copy: Copy, origin: str) -> set[str]:
    """Columns of ``origin`` that ``copy`` writes as they are (or unnests, :func:`_unnested`)."""
    moved: set[str] = set()
    own = {
        origin,
        *(t.alias_or_name.lower() for t in copy.select.find_all(exp.Table) if name_of(t) == origin),
    }
    alone = not copy.select.args.get("joins")
    for value in copy.select.expressions:
        column = value.this if isinstance(value, exp.Alias) else value
        if isinstance(column, exp.Column) and (
            column.table.lower() in own or (alone and not column.table)
        ):
            moved.add(column.name.lower())
    return moved | _unnested(copy.select, own)


def _unnested(select: exp.Select, own: set[str]) -> set[str]:
    """Columns of ``own`` whose JSON members the SELECT writes, one row each.

    ``SELECT t.id, j.value FROM tasks AS t, json_each(t.labels) AS j`` normalises the
    array in ``labels`` into a child table: a value written that reads ``j.value`` (or
    ``j.atom``) keeps the members, and the file's WHERE says which it keeps (``j.type =
    'text'``). Writing only ``j.key`` (an array's indexes), or an aggregate of the members
    (``count(j.value)``), keeps none.
    """
    found: set[str] = set()
    for alias, argument in json_sources(select).items():
        if not isinstance(argument, exp.Column) or (
            argument.table and argument.table.lower() not in own
        ):
            continue
        if any(
            c.table.lower() == alias and c.name.lower() in ("value", "atom")
            for value in select.expressions
            if value.find(exp.AggFunc) is None  # count(j.value) keeps no member
            for c in value.find_all(exp.Column)
        ):
            found.add(argument.name.lower())
    return found


def recreate_table_empty(context: FileContext) -> Iterator[Hit]:
    """A forward file that drops a table and re-creates it by name without reading its rows.

    The file says its rows go, as ``DELETE`` without ``WHERE`` does: a warning naming the
    loss (``check`` reports it as MH142), not the forgotten copy of
    :func:`rebuild_copy_omits_column`. The test is ``check``'s own
    (:func:`~migration_harness.checks.recreated.recreated_empty`), so both agree.
    """
    for rebuild in _recreated_empty(context):
        yield Hit(
            "recreate-table-empty",
            rebuild.drop,
            f"every row of {rebuild.name} is deleted: the file drops the table and creates "
            "it again empty, reading none of its rows first",
        )


def _recreated_empty(context: FileContext) -> list[Rebuild]:
    """The rebuilds of a forward file that re-create their table without reading it.

    Asked by two rules of the same file: computed once (``context.memo``).
    """
    memo: list[Rebuild] | None = context.memo.get("recreated_empty")  # type: ignore[assignment]
    if memo is None:
        found = (
            [r for r in rebuilds_with_rows(context) if not r.copies and not derived_from(r)]
            if context.is_up
            else []
        )
        text = context.migration.up_sql
        empty = recreated_empty((p.statement for p in context.statements), text) if found else {}
        memo = [r for r in found if r.name.lower() in empty]
        context.memo["recreated_empty"] = memo
    return memo


def rebuild_copy_omits_column(context: FileContext) -> Iterator[Hit]:
    """A rebuild that copies no rows, or leaves out a column both tables have."""
    declared = {r.name for r in _recreated_empty(context)}
    for rebuild in rebuilds_with_rows(context):
        if derived_from(rebuild):
            yield from _partial_refill(rebuild)
            continue
        if not rebuild.copies:
            # recreate-table-empty says the declared ones; CREATE TABLE new AS SELECT
            # (carried) copies every column it names; a DELETE without WHERE before the
            # drop emptied it on purpose (delete-without-where says so): the rebuild loses nothing
            if rebuild.name not in declared and not rebuild.carried and rebuild.deleted is None:
                yield Hit(
                    "rebuild-copy-omits-column",
                    rebuild.drop,
                    f"every row of {rebuild.name} is deleted: the rebuild drops the old table "
                    "without copying its rows into the new one",
                )
            continue
        filled: set[str] = set()
        for copy in rebuild.copies:
            filled |= written_columns(copy, rebuild.new)
        missing = _unfilled(rebuild, filled)
        if missing:
            first = rebuild.copies[0]
            yield Hit(
                "rebuild-copy-omits-column",
                first.parsed,
                f"the values of {', '.join(f'{rebuild.name}.{c}' for c in missing)} are "
                "replaced by the default: the copy does not carry them over",
            )


def _partial_refill(rebuild: Rebuild) -> Iterator[Hit]:
    """A refill of a derived table that leaves out a column the old table had.

    The old rows held a value there; the refilled ones hold the column's default.
    """
    filled = refilled_columns(rebuild)
    missing = _unfilled(rebuild, filled) if filled is not None else []
    if missing:
        yield Hit(
            "rebuild-copy-omits-column",
            rebuild.refills[0].parsed,
            f"the values of {', '.join(f'{rebuild.name}.{c}' for c in missing)} are "
            "replaced by the default: the refill does not write them",
        )


def _unfilled(rebuild: Rebuild, filled: set[str]) -> list[str]:
    """Columns both tables have that nothing wrote into the new one.

    Not generated columns (they compute themselves) nor a virtual table's hidden ones
    (FTS5's ``rank`` and the column named after the table hold no stored values).
    """
    old = {c.name.lower() for c in rebuild.old.columns}
    return [
        c.name
        for c in rebuild.new.columns
        if c.name.lower() in old and c.name.lower() not in filled and not c.hidden
    ]


def delete_without_where(context: FileContext) -> Iterator[Hit]:
    """``DELETE FROM t`` with no WHERE on a table that existed before the file."""
    yield from _unfiltered(context, exp.Delete, "delete-without-where", "deletes every row of")


def update_without_where(context: FileContext) -> Iterator[Hit]:
    """``UPDATE t SET …`` with no WHERE on a table that existed before the file."""
    yield from _unfiltered(context, exp.Update, "update-without-where", "overwrites every row of")


def _unfiltered(context: FileContext, shape: type[exp.Expr], kind: str, verb: str) -> Iterator[Hit]:
    """Statements of ``shape`` without WHERE on a table with rows before the file."""
    for parsed in context.statements:
        tree = parsed.tree_if("DELETE", "UPDATE")
        if not isinstance(tree, shape) or tree.args.get("where") is not None:
            continue
        if not context.is_up or tree.args.get("from_") or tree.args.get("from"):
            continue
        table = name_of(tree.this)
        old = table_in(context.before, table)
        if old is None or (
            isinstance(tree, exp.Update)
            and (
                _backfills_only(tree, old)
                or _recounts(tree, context.after)
                or removes_moved_keys(context, parsed, tree)
            )
        ):
            continue
        if isinstance(tree, exp.Delete) and _rederived(context, parsed, old):
            continue
        yield Hit(kind, parsed, f"the statement {verb} {table}", offset_of(tree.this, parsed))


def _rederived(context: FileContext, delete: Parsed, table: Table) -> bool:
    """Whether the file refills ``table``, after emptying it, from other tables' rows.

    The DELETE-then-INSERT spelling of a refilled derived table (docs/LINT.md "Refilled
    tables"): ``DELETE FROM x_fts; INSERT INTO x_fts(rowid, …) SELECT … FROM x``, or a
    summary recomputed from its events. A later ``INSERT … SELECT`` into the table must
    read only other tables that still hold rows (not the table itself, and none the file
    emptied or dropped before it), and write every stored column, or the values it
    leaves out are lost as a rebuild's would be (MH204).

    The table's own rows put back from a copy the file kept aside while they were still
    there (``CREATE TABLE keep AS SELECT … FROM t; DELETE FROM t; …; INSERT INTO t …
    SELECT … FROM keep``, which a D1 rebuild of a parent does to spare the rows a
    CASCADE would delete) come back too: the copy reads only such backups, none of them
    emptied since, and the walk counts a backup as holding rows only if it was filled
    before the DELETE.
    """
    at = context.statements.index(delete)
    name = table.name.lower()
    stored = {c.name.lower() for c in table.columns if not c.hidden}
    for copy in copies(context):
        position = context.statements.index(copy.parsed)
        if position <= at or copy.target != name:
            continue
        read = set(copy.source_origins)
        named = set(sources(copy.select))
        if name in read and (name in named or not all(s.startswith("+") for s in copy.live)):
            continue  # read from itself: empty now, unless through a backup made before
        checked = named if name in read else read
        if (
            read
            and copy.live
            and not checked & _emptied_before(context, position)
            and stored <= written_columns(copy, table)
        ):
            return True
    return False


def _emptied_before(context: FileContext, at: int) -> set[str]:
    """Tables a ``DELETE`` without ``WHERE`` or a ``DROP TABLE`` emptied before statement ``at``."""
    emptied: set[str] = set()
    for parsed in context.statements[:at]:
        node = dropped(parsed.tree_if("DROP"))
        tree = parsed.tree_if("DELETE")
        if node is not None:
            emptied.add(name_of(node))
        elif isinstance(tree, exp.Delete) and tree.args.get("where") is None:
            emptied.add(name_of(tree.this))
    return emptied


def _backfills_only(tree: exp.Update, old: Table) -> bool:
    """Whether the UPDATE sets only columns the table lacked before the file.

    ``ALTER TABLE t ADD COLUMN c; UPDATE t SET c = …`` fills a column the file added: every
    row held its default there, so no earlier value is overwritten (diesel's and drizzle's
    backfill after ADD COLUMN).
    """
    had = {c.name.lower() for c in old.columns}
    targets = [a.this for a in tree.expressions if isinstance(a, exp.EQ)]
    return len(targets) == len(tree.expressions) and all(
        isinstance(t, exp.Column) and t.name.lower() not in had for t in targets
    )


def _recounts(tree: exp.Update, after: Schema) -> bool:
    """Whether the UPDATE recomputes, from a query, columns the schema's triggers maintain.

    A counter kept by triggers (``UPDATE venues SET gig_count = gig_count + 1`` on every
    insert into gigs) is derived: ``UPDATE venues SET gig_count = (SELECT count(*) FROM gigs
    WHERE …)`` puts back what the triggers define and overwrites only a count that
    drifted. Every assignment must set such a column to an aggregate subquery; a reset to
    a constant, or a column no trigger writes, still overwrites values.
    """
    table = name_of(tree.this)
    maintained = _trigger_written(after, table)
    assignments = [a for a in tree.expressions if isinstance(a, exp.EQ)]
    return len(assignments) == len(tree.expressions) and all(
        name_of(a.this) in maintained
        and isinstance(a.expression.unnest(), exp.Subquery | exp.Select)
        and a.expression.find(exp.AggFunc) is not None
        for a in assignments
    )


def _trigger_written(schema: Schema, table: str) -> set[str]:
    """Columns of ``table`` (lower-cased) an UPDATE in some trigger's body sets."""
    found: set[str] = set()
    for trigger in schema.triggers:
        for tree in trigger_statements(trigger.source or trigger.sql):
            if isinstance(tree, exp.Update) and name_of(tree.this) == table:
                found |= {name_of(a.this) for a in tree.expressions if isinstance(a, exp.EQ)}
    return found


RULES: tuple[Rule, ...] = (
    drop_table,
    drop_column,
    rebuild_drops_column,
    rebuild_copy_omits_column,
    recreate_table_empty,
    delete_without_where,
    update_without_where,
)
