"""Whether a rebuild's INNER JOIN keeps every row it copies (MH218's exemption).

A rebuild that moves a column into a table of its own joins the old rows to it: the
lookup table filled from the column's ``DISTINCT`` values (``INSERT INTO statuses (name)
SELECT DISTINCT status FROM orders``), or the parent re-keyed by a surrogate id
(``INSERT INTO countries_new (code, …) SELECT code, … FROM countries``, the children then
joined on ``countries_new.code = cities.country_code``). Such a join matches every copied
row: each value the copy joins on was put in the joined table by the file itself, from
the rows being copied or from the parent their foreign key points at. Read from the
statements' shapes (sqlglot trees), never from the names they use.
"""

from __future__ import annotations

from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.shapes import name_of, table_in, written_values
from migration_harness.lint.storage import Copy, walk
from migration_harness.schema.model import Table

_WRITES = ("INSERT", "REPLACE", "UPDATE", "DELETE")


def keeps_every_row(context: FileContext, copy: Copy, join: exp.Join) -> bool:
    """Whether ``join`` (INNER) of ``copy`` matches every row of the table it copies.

    The join's condition must be one equality between a column of the joined table and a
    NOT NULL column of the copied one. The joined table must be new in the file, written
    only by INSERTs before the copy, one of which takes that column's values as they are
    from every row (no WHERE, LIMIT or join) of either the copied table itself or, where
    the runner enforces foreign keys, the parent the copied column references. Nothing
    may write the tables involved between that fill and the copy.
    """
    pair = _equality(copy, join)
    source = _source(copy)
    if pair is None or source is None:
        return False
    joined_column, source_column = pair
    joined = name_of(join.this)
    table = table_in(copy.parsed.before, source)
    if table is None or not _never_null(table, source_column):
        return False
    if table_in(context.before, joined) is not None:
        return False  # rows the application wrote may be missing values
    fill = _fill(context, copy.parsed, joined, joined_column)
    if fill is None:
        return False
    parsed, read, read_column = fill
    if _written_between(context, parsed, copy.parsed, {source, read, joined}):
        return False
    if read == source and read_column == source_column:
        return True
    target = context.target
    # every writer enforces keys: the migrations' connection and the application's
    keys_on = target.d1 or (target.foreign_keys and target.application_foreign_keys is not False)
    return keys_on and _references(table, source_column, read, read_column, copy.parsed)


def _never_null(table: Table, column: str) -> bool:
    """Whether ``table.column`` is NOT NULL (a NULL joins nothing)."""
    found = next((c for c in table.columns if c.name.lower() == column), None)
    return found is not None and (found.notnull or (bool(found.pk) and table.without_rowid))


def _equality(copy: Copy, join: exp.Join) -> tuple[str, str] | None:
    """``(joined column, copied column)`` of a join ON one ``a.x = b.y``; else ``None``."""
    on = join.args.get("on")
    if not isinstance(on, exp.EQ) or join.args.get("using"):
        return None
    left, right = on.this, on.expression
    if not isinstance(left, exp.Column) or not isinstance(right, exp.Column):
        return None
    mine = join.this.alias_or_name.lower()
    source = copy.select.args.get("from_") or copy.select.args.get("from")
    theirs = source.this.alias_or_name.lower() if isinstance(source, exp.From) else ""
    sides = {left.table.lower(): left.name.lower(), right.table.lower(): right.name.lower()}
    if set(sides) != {mine, theirs} or mine == theirs:
        return None
    return sides[mine], sides[theirs]


def _source(copy: Copy) -> str | None:
    """The one table the copy reads its rows FROM (lower-cased)."""
    source = copy.select.args.get("from_") or copy.select.args.get("from")
    if not isinstance(source, exp.From) or not isinstance(source.this, exp.Table):
        return None
    return name_of(source.this)


def _fill(
    context: FileContext, copy: Parsed, joined: str, column: str
) -> tuple[Parsed, str, str] | None:
    """The INSERT … SELECT putting every value of a column into ``joined.column``.

    ``(statement, table read, column read)``. ``None`` when another kind of write reaches
    ``joined`` before the copy, or when no INSERT takes the values of one column of one
    table as they are, from every row. An ``OR IGNORE`` fill counts only into a table
    without CHECKs (a value one refuses would be skipped, not failed).
    """
    found = None
    for parsed in context.statements:
        if parsed is copy:
            break
        tree = parsed.tree_if(*_WRITES)
        if tree is None or name_of(tree.this) != joined:
            continue
        if not isinstance(tree, exp.Insert):
            return None
        read = _whole_read(tree, column)
        target = table_in(parsed.before, joined)
        ignored = str(tree.args.get("alternative") or "").upper() == "IGNORE"
        if read is not None and target is not None and not (ignored and target.checks):
            found = (parsed, *read)
    return found


def _whole_read(insert: exp.Insert, column: str) -> tuple[str, str] | None:
    """``(table, column)`` an INSERT takes ``column``'s values from, unfiltered."""
    select = insert.expression
    if not isinstance(select, exp.Select) or any(
        select.args.get(k) for k in ("where", "limit", "having", "joins", "offset")
    ):
        return None
    table = _source_of(select)
    value = (written_values(insert) or {}).get(column)
    if table is None or not isinstance(value, exp.Column):
        return None
    return table, value.name.lower()


def _source_of(select: exp.Select) -> str | None:
    """The one table a SELECT reads FROM (lower-cased)."""
    source = select.args.get("from_") or select.args.get("from")
    if not isinstance(source, exp.From) or not isinstance(source.this, exp.Table):
        return None
    return name_of(source.this)


def _written_between(context: FileContext, first: Parsed, last: Parsed, tables: set[str]) -> bool:
    """Whether a statement strictly between ``first`` and ``last`` writes one of ``tables``."""
    inside = False
    for parsed in context.statements:
        if parsed is last:
            return False
        if inside:
            tree = parsed.tree_if(*_WRITES)
            if tree is not None and name_of(tree.this) in tables:
                return True
        inside = inside or parsed is first
    return False


def _references(table: Table, column: str, parent: str, key: str, at: Parsed) -> bool:
    """Whether ``table.column`` alone is a foreign key to ``parent.key``."""
    for fk in table.foreign_keys:
        if [c.lower() for c in fk.columns] != [column] or fk.other_table.lower() != parent:
            continue
        other = [c.lower() for c in fk.other_columns]
        if not other:
            found = table_in(at.before, parent)
            other = [c.lower() for c in found.primary_key] if found is not None else []
        if other == [key]:
            return True
    return False


def remapped(context: FileContext, copy: Copy) -> set[str]:
    """Columns of the copied table a rebuild's copy keeps as a reference through a join.

    The surrogate-key rebuild drops ``cities.country_code`` and writes ``n.id`` from
    ``JOIN countries_new n ON n.code = c.country_code``: each row's code is still there,
    one join away, when ``n.code`` is a UNIQUE column of the joined table that stays after
    the file and the copy writes a UNIQUE key of that table. An INNER join only: a LEFT
    join writes NULL for a value it does not find (rows the INNER join misses are
    MH218's).
    """
    kept: set[str] = set()
    source = _source(copy)
    if source is None:
        return kept
    values = written_values(copy.insert) or {}
    for join in copy.select.args.get("joins") or ():
        pair = _equality(copy, join)
        if join.args.get("side") or pair is None:
            continue
        joined_column, source_column = pair
        alias = join.this.alias_or_name.lower()
        joined = table_in(copy.parsed.before, name_of(join.this))
        if joined is None or not _stays(context, name_of(join.this), joined_column):
            continue
        unique = {s[0].lower() for s in joined.unique_sets if len(s) == 1}
        written = {
            v.name.lower()
            for v in values.values()
            if isinstance(v, exp.Column) and v.table.lower() == alias
        }
        if joined_column in unique and written & unique:
            kept.add(source_column)
    return kept


def _stays(context: FileContext, name: str, column: str) -> bool:
    """Whether the table called ``name`` mid-file still holds ``column`` after the file.

    Under its own name, or the name a later ``ALTER TABLE … RENAME TO`` gave it (drizzle's
    ``__new_countries`` becomes ``countries``).
    """
    storage = "+" + name if table_in(context.before, name) is None else name
    finals = [n for n, s in walk(context).final.items() if s == storage]
    for final in finals:
        table = table_in(context.after, final)
        if table is not None and any(c.name.lower() == column for c in table.columns):
            return True
    return False
