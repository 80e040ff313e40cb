"""Whether a rebuild's copy mends the existing rows a new CHECK would refuse (MH213's fix).

Kept apart from the rule so the rule reads as a rule: this is the part that runs SQL (the
copy's own value expression, on an in-memory SQLite) instead of reading shapes.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Sequence

from sqlglot import exp
from sqlglot.errors import ParseError

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.dedupe import writes_before, writes_reading
from migration_harness.lint.shapes import (
    columns_in,
    ctes_of,
    name_of,
    row_tables,
    table_in,
    written_values,
)
from migration_harness.lint.storage import Copy
from migration_harness.schema.constraints import ColumnRule
from migration_harness.schema.model import Table
from migration_harness.schema.sqltext import quote
from migration_harness.sets import parsing


def meets_check(context: FileContext, copy: Copy, check: str, was: ColumnRule | None) -> bool:
    """Whether the file deals with the rows a new one-column CHECK refuses.

    That is the fix MH213 asks for: an earlier ``UPDATE … SET`` of the copied table mends
    the column or a ``DELETE … WHERE`` on it prunes rows, or the copy's value and ``WHERE``
    keep every old value the CHECK would refuse out (``CASE WHEN price < 0 THEN NULL ELSE
    price END``). The copy is proved by running it on SQLite over probe values: the old
    CHECK's choices where it had them, else NULL (unless the one table the copy reads
    holds the column NOT NULL), the CHECK's own numbers and their neighbours, and a few
    strings, each stored in a column declared as the target's (its affinity converts the
    value before the CHECK reads it: ``round(price)`` lands as an integer in an INTEGER
    column and meets ``typeof(price) = 'integer'``). A plain ``SELECT price`` is no fix,
    nor is a ``CASE`` that maps some old choices and passes the others through. A value
    computed from one other column (``datetime(joined_at, 'unixepoch')``) is probed on
    that column, and a ``COUNT`` subquery on counts (:func:`_counted`).
    """
    try:
        tree = parsing.parse_one(check)
    except ParseError:
        return False
    named = columns_in(tree)
    if len(named) != 1:
        return False
    (column,) = named
    if column in _mended_before(context, copy):
        return True
    value = (written_values(copy.insert) or {}).get(column)
    clause = copy.select.args.get("where")
    where = clause.this if isinstance(clause, exp.Where) else None
    if value is None:
        return False
    value = _counted(value)
    read = columns_in(value) | columns_in(where)
    if read <= named:
        source = column
        probes = list(was.choices) if was and was.choices is not None else _probes(tree)
    elif len(read) == 1:
        # the value is computed from one other column: probe that one (a COUNT subquery
        # stands for a count, :func:`_counted`)
        (source,) = read
        probes = list(_COUNTS) if source == _COUNT else [*_probes(tree), *_NUMBERS]
    else:
        return False
    if _never_null_in_source(copy, source):
        probes = [p for p in probes if p is not None]
    target = table_in(copy.parsed.before, copy.target)
    declared = (
        next((c.type for c in target.columns if c.name.lower() == column), "") if target else ""
    )
    stored = (column, declared)
    return _passes(check, stored, source, unqualified(value), unqualified(where), probes)


# A scalar ``(SELECT count(…) FROM …)`` is a whole number from 0 up: the probes stand for it.
_COUNT = "mh_count"
_COUNTS: tuple[object, ...] = (0, 1, 2, 3, 10, 1_000_000)
_NUMBERS: tuple[object, ...] = (2, 1_000_000, 1_700_000_000, -1_700_000_000)


def _counted(value: exp.Expr) -> exp.Expr:
    """``value`` with each scalar ``(SELECT count(…) …)`` (no GROUP BY) as ``mh_count``.

    A count is never NULL nor negative, whatever rows it counts, so the copy is judged
    on counts (``CHECK (position >= 0)`` filled with how many rows come
    before) instead of giving up on a subquery.
    """

    def swap(node: exp.Expr) -> exp.Expr:
        inner = node.this if isinstance(node, exp.Subquery) else None
        if (
            isinstance(inner, exp.Select)
            and len(inner.expressions) == 1
            and isinstance(inner.expressions[0].unalias(), exp.Count)
            and not inner.args.get("group")
        ):
            return exp.column(_COUNT)
        return node

    return value.transform(swap)


def _never_null_in_source(copy: Copy, column: str) -> bool:
    """Whether the one table the copy reads holds ``column`` NOT NULL (its rowid alias too)."""
    named = row_tables(copy.select, ctes_of(copy.insert))
    source = table_in(copy.parsed.before, named[0]) if len(set(named)) == 1 else None
    if source is None:
        return False
    if (source.rowid_alias or "").lower() == column:
        return True
    return any(c.name.lower() == column and c.notnull for c in source.columns)


_STRINGS = ("", "x", "X-1", "[]", "{}", "a b")


def _probes(check: exp.Expr) -> list[object]:
    """NULL, the CHECK's numbers and their neighbours, a few numbers, strings one longer."""
    numbers = {0.0, 1.0, -1.0, 0.5, 1e6, -1e6}
    for literal in check.find_all(exp.Literal):
        if literal.is_number:
            n = float(literal.this)
            numbers |= {n - 1, n - 0.5, n, n + 0.5, n + 1}
    whole = sorted(int(n) for n in numbers if n.is_integer())
    longer = ["x" * (n + 1) for n in whole if 0 <= n < 100_000]  # for length(x) <= n
    return [None, *sorted(numbers), *whole, *_STRINGS, *longer]


def unqualified(node: exp.Expr | None) -> str:
    """``node`` as SQLite text with its columns unqualified (``b.price`` -> ``price``)."""
    if node is None:
        return "1"
    plain = node.transform(
        lambda n: exp.column(n.name, quoted=True) if isinstance(n, exp.Column) else n
    )
    return plain.sql(dialect="sqlite")


def _passes(
    check: str,
    column: tuple[str, str],
    source: str,
    value: str,
    where: str,
    probes: list[object],
) -> bool:
    """Whether no probe the copy keeps comes out as a value ``check`` refuses.

    ``column`` is the target column's name and declared type: each kept value is stored in
    a column so declared, with its affinity, before ``check`` reads it, as in the copy.
    ``source`` is the one column ``value`` and ``where`` read, which each probe stands for.
    """
    name = quote(column[0])
    bound = quote(source)
    insert = f"INSERT INTO mh_probe SELECT {value} FROM (SELECT ? AS {bound}) WHERE {where}"
    db = sqlite3.connect(":memory:")
    try:
        db.execute(f"CREATE TABLE mh_probe ({name} {column[1]})")
        for probe in probes:
            db.execute("DELETE FROM mh_probe")
            db.execute(insert, (probe,))
            for (ok,) in db.execute(f"SELECT ({check}) FROM mh_probe").fetchall():
                if ok is not None and not ok:
                    return False
    except sqlite3.Error:
        return False
    finally:
        db.close()
    return True


def _mended_before(context: FileContext, copy: Copy) -> set[str]:
    """Columns an UPDATE sets, or a DELETE's WHERE names, on the copied table before ``copy``."""
    found: set[str] = set()
    sources = set(copy.source_origins)
    for parsed in context.statements:
        if parsed is copy.parsed:
            break
        tree = parsed.tree_if("UPDATE", "DELETE")
        if not isinstance(tree, exp.Update | exp.Delete) or name_of(tree.this) not in sources:
            continue
        if isinstance(tree, exp.Update):
            found |= {name_of(a.this) for a in tree.expressions if isinstance(a, exp.EQ)}
        else:
            found |= columns_in(tree.args.get("where"))
    return found


def fills_nulls(
    context: FileContext, copy: Copy, column: str, old: Table, order: Sequence[str] = ()
) -> bool:
    """Whether the file rids the copied table of NULLs in ``column`` before ``copy`` reads it.

    That is MH214's other fix: an ``UPDATE`` of the old table setting the column to a value
    that is never NULL (a literal, a NOT NULL column of the row, a ``COALESCE`` ending in
    one), on every row or at least on every row where it is NULL (no ``WHERE``, or one
    whose top-level ``OR`` has the term ``column IS NULL``), or a ``DELETE`` with such a
    ``WHERE``. The copy must then read the column as it is (``SELECT role``, or a
    ``SELECT *`` that puts the old column at the new one's position) or through what is
    never NULL once it is not (``min(max(priority, 1), 5)`` clamping it, :func:`never_null`
    with the column counted as filled): a copy that rewrites it otherwise (``NULLIF``,
    ``x / y``) may bring a NULL back. A guarded backfill (``WHERE id = 5``) fixes only some rows
    and is no fix. ``order``: the new table's writable columns, which an INSERT without
    a column list fills by position.
    """
    values = written_values(copy.insert, order)
    if values is None:
        values = star_values(copy, old, order)
    value = (values or {}).get(column)
    kept = never_null_columns(old)
    if value is None or column not in columns_in(value) or not never_null(value, kept | {column}):
        return False
    sources = set(copy.source_origins)
    for parsed in context.statements:
        if parsed is copy.parsed:
            return False
        tree = parsed.tree_if("UPDATE", "DELETE")
        if not isinstance(tree, exp.Update | exp.Delete) or name_of(tree.this) not in sources:
            continue
        if not _covers_nulls(tree.args.get("where"), column, isinstance(tree, exp.Update)):
            continue
        if isinstance(tree, exp.Delete) or any(
            isinstance(a, exp.EQ) and name_of(a.this) == column and never_null(a.expression, kept)
            for a in tree.expressions
        ):
            return True
    return False


def star_values(copy: Copy, old: Table, order: Sequence[str]) -> dict[str, exp.Expr] | None:
    """What ``INSERT INTO new SELECT * FROM old`` writes into each column, by position.

    chirpstack's down file deletes the rows whose ``tenant_id`` is NULL, then copies
    ``SELECT *`` into a rebuild making it NOT NULL: each old column lands in the new
    column at its position, so where the two tables list the same columns in the same
    order the copy reads every column as it is. ``None``: not a bare ``*`` over ``old``
    alone, or the counts differ.
    """
    select = copy.select
    if len(select.expressions) != 1 or not isinstance(select.expressions[0], exp.Star):
        return None
    if {name_of(t) for t in select.find_all(exp.Table)} != {old.name.lower()}:
        return None
    if isinstance(copy.insert.this, exp.Schema):
        into = [name_of(c) for c in copy.insert.this.expressions]
    else:
        into = [c.lower() for c in order]
    # The table as it stands when the copy runs: chirpstack's file drops three columns
    # of it first, so its definition before the file lines up with nothing.
    now = table_in(copy.parsed.before, old.name) or old
    source = [c.name for c in now.columns if not c.is_generated]
    if not into or len(into) != len(source):
        return None
    return {name: exp.column(was) for name, was in zip(into, source, strict=True)}


def _covers_nulls(where: exp.Expr | None, column: str, absent: bool) -> bool:
    """Whether ``where`` holds on every row whose ``column`` is NULL (``absent``: no WHERE)."""
    if not isinstance(where, exp.Where):
        return absent
    terms = where.this.flatten() if isinstance(where.this, exp.Or) else (where.this,)
    return any(
        isinstance(t, exp.Is)
        and isinstance(t.this, exp.Column)
        and t.this.name.lower() == column
        and isinstance(t.expression, exp.Null)
        for t in (term.unnest() for term in terms)
    )


# One-argument functions SQLite makes NULL only from a NULL argument (CAST … AS TEXT of
# 5 is '5'; lower('') is ''); a second argument, as trim(x, y) takes, must not be NULL.
_NULL_IN_NULL_OUT = (exp.Cast, exp.Lower, exp.Upper)
# Operators and functions NULL only where an operand is (never ``/`` or ``%``: x / 0 is
# NULL): every operand must then be never NULL.
_NULL_ONLY_FROM_NULL = (
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Substring,
    exp.StrPosition,
    exp.Length,
    exp.Trim,
    exp.Abs,
    exp.Greatest,  # SQLite's max(a, b, …) and min(a, b, …): NULL when any argument is
    exp.Least,
)


def never_null_columns(table: Table) -> set[str]:
    """The columns of ``table`` no row holds NULL in (lower-case names).

    Its NOT NULL columns, a WITHOUT ROWID table's primary key (SQLite makes it NOT NULL),
    and the rowid alias (``INTEGER PRIMARY KEY``): SQLite fills it with the next rowid
    when an INSERT writes NULL there, so it never reads NULL.
    """
    kept = {c.name.lower() for c in table.columns if c.notnull or (c.pk and table.without_rowid)}
    if table.rowid_alias is not None:
        kept.add(table.rowid_alias.lower())
    return kept


def never_null(value: exp.Expr, kept: set[str]) -> bool:
    """Whether ``value`` is never NULL, so a fill with it leaves no NULL behind.

    A non-NULL literal, a column in ``kept`` (NOT NULL in the old table), a
    ``COALESCE``/``IFNULL`` whose last argument is one of those, a ``||`` of such
    operands (SQLite's concatenation is NULL only when an operand is: ``'post-' || id``
    over the rowid never is), ``CAST``, ``lower`` or ``upper`` of one, arithmetic (not
    ``/``, ``%``) and string functions of such operands, a ``CASE`` whose branches are
    (:func:`_case_never_null`), or ``printf`` of a literal format (:func:`_printed`).
    """
    value = value.unnest()
    if isinstance(value, exp.Coalesce):
        return never_null([value.this, *value.expressions][-1], kept)
    if isinstance(value, exp.DPipe):
        return never_null(value.this, kept) and never_null(value.expression, kept)
    if isinstance(value, _NULL_IN_NULL_OUT):
        return never_null(value.this, kept)
    if isinstance(value, _NULL_ONLY_FROM_NULL):
        operands = [
            a
            for arg in value.args.values()
            for a in (arg if isinstance(arg, list) else [arg])
            if isinstance(a, exp.Expr)
        ]
        return bool(operands) and all(never_null(a, kept) for a in operands)
    if isinstance(value, exp.Case):
        return _case_never_null(value, kept)
    if _printed(value):
        return True
    if isinstance(value, exp.Neg):
        value = value.this
    if isinstance(value, exp.Column):
        return value.name.lower() in kept
    return isinstance(value, exp.Literal)


def _printed(value: exp.Expr) -> bool:
    """Whether ``value`` is ``printf``/``format`` with a literal format: never NULL.

    SQLite's printf returns NULL only for a NULL format; a NULL argument prints as ``0``
    (``%d``) or nothing (``%s``): ``printf('%03d', NULL)`` is ``'000'``.
    """
    if isinstance(value, exp.Anonymous) and str(value.this).lower() == "printf":
        layout = value.expressions[0] if value.expressions else None
    elif isinstance(value, exp.Format):
        layout = value.this
    else:
        return False
    return isinstance(layout, exp.Literal) and layout.is_string


def _case_never_null(case: exp.Case, kept: set[str]) -> bool:
    """Whether a ``CASE`` is never NULL: every THEN is, and so is its ELSE where reached.

    An ELSE that is a column ``x`` is reached only when no WHEN held, so never with ``x``
    NULL where a WHEN's top-level ``OR`` has ``x IS NULL`` (``CASE WHEN name IS NULL OR
    name = '' THEN … ELSE name END``). A CASE without ELSE is NULL when no WHEN holds.
    """
    branches = case.args.get("ifs") or []
    thens = [b.args.get("true") for b in branches]
    if not thens or not all(isinstance(t, exp.Expr) and never_null(t, kept) for t in thens):
        return False
    default = case.args.get("default")
    if default is None:
        return False
    if never_null(default, kept):
        return True
    default = default.unnest()
    if not isinstance(default, exp.Column):
        return False
    for branch in branches:
        test = branch.this.unnest()
        terms = test.flatten() if isinstance(test, exp.Or) else (test,)
        if any(
            isinstance(t, exp.Is)
            and isinstance(t.expression, exp.Null)
            and isinstance(t.this, exp.Column)
            and t.this.name.lower() == default.name.lower()
            and t.this.table.lower() == default.table.lower()
            for t in (term.unnest() for term in terms)
        ):
            return True
    return False


def mended_rows(context: FileContext, copy: Copy, check: str, old: Table) -> bool:
    """Whether the file's writes to the old table before ``copy`` leave no row ``check`` refuses.

    For a CHECK over several columns (``ends_at IS NULL OR ends_at >= starts_at``), which
    :func:`meets_check` does not read: the copy must read the old table by its name alone
    and copy the CHECK's columns as they are, and the file's ``UPDATE``s and ``DELETE``s
    of the old table before it (each reading only that table) and the copy's own ``WHERE``
    (``WHERE home <> away`` leaves out what ``CHECK (home <> away)`` refuses) must mend or
    leave out every probe row: every combination of probe values in the CHECK's columns
    (at most three), NULL only where the old table allows it. SQLite runs the writes, the
    WHERE and the CHECK.
    """
    try:
        named = sorted(columns_in(parsing.parse_one(check)))
    except ParseError:
        return False
    name = old.name.lower()
    values = written_values(copy.insert) or {}
    if not 1 < len(named) <= 3 or {name_of(t) for t in copy.select.find_all(exp.Table)} != {name}:
        return False
    if not all(isinstance(v := values.get(c), exp.Column) and v.name.lower() == c for c in named):
        return False
    writes = writes_before(context, copy.parsed, name)
    clause = copy.select.args.get("where")
    kept = unqualified(clause.this) if isinstance(clause, exp.Where) else None
    if writes is None or not (writes or kept):
        return False
    return _all_mended(old, named, writes, check, kept or "1")


def mended_before(context: FileContext, parsed: Parsed, old: Table, check: str) -> bool:
    """Whether the file's writes to ``old`` before ``parsed`` leave no row ``check`` refuses.

    For a constraint that reaches existing rows unchecked (libSQL's ``ALTER COLUMN … NOT
    NULL``, whose fix is the backfill ``UPDATE t SET c = 3 WHERE c IS NULL`` before it): the
    file's ``UPDATE``s and ``DELETE``s of the table before the statement must mend every
    probe row of the constraint's columns (at most three), as SQLite shows running them.
    Without such a write nothing is mended. A write may read other tables (``DELETE …
    WHERE workspace_id IS NULL OR workspace_id NOT IN (SELECT id FROM workspaces)``): it
    must mend the rows with those tables empty and with them holding probe rows too, so a
    mend that only holds while another table is empty (or full) does not count.
    """
    try:
        named = sorted(columns_in(parsing.parse_one(check)))
    except ParseError:
        return False
    found = writes_reading(context, parsed, old.name.lower())
    if found is None or not found[0] or not 0 < len(named) <= 3:
        return False
    writes, read = found
    others = [table_in(parsed.before, name) for name in sorted(read)]
    if any(other is None or not other.sql for other in others):
        return False
    tables = [other for other in others if other is not None]
    return all(
        _all_mended(old, named, writes, check, others=tables, filled=filled)
        for filled in ((False, True) if tables else (False,))
    )


_VALUES: tuple[object, ...] = (None, 0, 1, -1, 2.5, 100, "", "a", "b", "2024-01-01", "2024-12-31")


def _all_mended(
    old: Table,
    named: list[str],
    writes: list[str],
    check: str,
    kept: str = "1",
    *,
    others: Sequence[Table] = (),
    filled: bool = False,
) -> bool:
    """Whether no probe row of ``old`` that ``kept`` selects breaks ``check`` after ``writes``.

    ``others``: the other tables the writes read, created empty, or with ``filled`` holding
    a row per probe value (:func:`_fill_other`).
    """
    columns = {c.name.lower(): c for c in old.columns if not c.is_generated}
    if not set(named) <= columns.keys():
        return False
    pools = [[v for v in _VALUES if v is not None or not columns[n].notnull] for n in named]
    rest = [c for n, c in columns.items() if n not in named]
    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA ignore_check_constraints = ON")
        db.execute(old.sql)
        for other in others:
            db.execute(other.sql)
            if filled:
                _fill_other(db, other)
        spelled = ", ".join(quote(c) for c in [*named, *(c.name for c in rest)])
        marks = ", ".join("?" for _ in range(len(named) + len(rest)))
        insert = f"INSERT INTO {quote(old.name)} ({spelled}) VALUES ({marks})"
        for i, combo in enumerate(itertools.product(*pools)):
            db.execute(insert, [*combo, *(i * len(rest) + n + 1 for n in range(len(rest)))])
        for sql in writes:
            db.execute(sql)
        broken = db.execute(
            f"SELECT 1 FROM {quote(old.name)} WHERE NOT ({check}) AND ({kept}) LIMIT 1"
        )
        return broken.fetchone() is None
    except sqlite3.Error:
        return False
    finally:
        db.close()


def _fill_other(db: sqlite3.Connection, table: Table) -> None:
    """A row of ``table`` per probe value, in every column it may hold (NULL where allowed).

    So a write reading the table meets both matching and missing values (``NOT IN (SELECT
    id FROM workspaces)``). A row the table's keys or types refuse is left out.
    """
    columns = [c for c in table.columns if not c.is_generated]
    spelled = ", ".join(quote(c.name) for c in columns)
    marks = ", ".join("?" for _ in columns)
    insert = f"INSERT OR IGNORE INTO {quote(table.name)} ({spelled}) VALUES ({marks})"
    for value in _VALUES:
        row = [value if value is not None or not c.notnull else 0 for c in columns]
        with contextlib.suppress(sqlite3.Error):
            db.execute(insert, row)
