"""Whether a rebuild's INNER JOIN keeps every row it copies (MH218's exemption).

A rebuild that moves a column into a table of its own joins the old rows to it: the
lookup table filled from the column's ``DISTINCT`` values (``INSERT INTO statuses (name)
SELECT DISTINCT status FROM orders``), or the parent re-keyed by a surrogate id
(``INSERT INTO countries_new (code, …) SELECT code, … FROM countries``, the children then
joined on ``countries_new.code = cities.country_code``). Such a join matches every copied
row: each value the copy joins on was put in the joined table by the file itself, from
the rows being copied or from the parent their foreign key points at (a ``CREATE TEMP
TABLE`` map of surrogate keys, ``JOIN book_map USING (isbn)``, is the same shape), as
does a lookup that existed and that the file tops up with the copied column's values first
(``INSERT OR IGNORE INTO categories (name) SELECT DISTINCT category FROM posts``). So
does a join on the existing parent of a NOT NULL foreign key every writer enforces. Read
from the statements' shapes (sqlglot trees), never from the names they use.
"""

from __future__ import annotations

import sqlite3

from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.shapes import declared_column, name_of, table_in, written_values
from migration_harness.lint.storage import Copy, walk
from migration_harness.schema.model import Column, Table
from migration_harness.schema.sqltext import quote
from migration_harness.sets.targets import Target

_WRITES = ("INSERT", "REPLACE", "UPDATE", "DELETE")


def keeps_every_row(context: FileContext, copy: Copy, join: exp.Join) -> bool:
    """Whether ``join`` (INNER) of ``copy`` matches every row of the table it copies.

    The join's condition must be one equality (``ON a.x = b.y`` or one-column ``USING``)
    between a column of the joined table and a NOT NULL column of the copied one. Either:

    - the joined table existed before the file and that column is a foreign key to it,
      enforced by every writer, and the file wrote neither table before the copy (the
      parent of an enforced NOT NULL key); or
    - the joined table is new in the file (a ``CREATE TEMP TABLE`` map too), or topped up
      by it from the copied table itself, written only by INSERTs before the copy, one of
      which takes that column's values as they are
      from every row (no WHERE, LIMIT, join, aggregate or grouping) of either the copied
      table itself, compared alike (one affinity, one collation), or, where every writer
      enforces foreign keys, the parent the copied column references. Nothing may write
      the tables involved between that fill and the copy, but INSERTs that only add rows
      to the joined table (a default ``INSERT OR IGNORE … VALUES ('new')``).

    Or the condition compares a column of the joined table with a literal, and the file
    put a row holding it there first (:func:`_joins_a_seeded_row`): every copied row
    meets that row.
    """
    if _joins_a_seeded_row(context, copy, join):
        return True
    pair = _equality(copy, join)
    source = _source(copy)
    if pair is None or source is None:
        return False
    joined_column, source_column = pair
    joined = name_of(join.this)
    table = table_in(copy.parsed.before, source)
    if table is None or not _never_null(table, source_column):
        return False
    keys_on = _keys_on(context.target)
    if (
        table_in(context.before, joined) is not None
        and keys_on
        and _references(table, source_column, joined, joined_column, copy.parsed)
        and not _written_between(context, None, copy.parsed, {source, joined})
    ):
        return True  # rows the application wrote may miss values, but a key refuses them
    # A lookup new in the file, or one that existed and the file tops up with every value
    # of the copied column itself (INSERT OR IGNORE … SELECT DISTINCT category FROM posts):
    # rows it held already only add matches.
    existed = table_in(context.before, joined) is not None
    fill = _fill(context, copy.parsed, joined, joined_column)
    if fill is None:
        return False
    parsed, read, read_column = fill
    if _written_between(context, parsed, copy.parsed, {source, read, joined}, adds=joined):
        return False
    if read == source and read_column == source_column:
        lookup = _table(context, copy.parsed, joined)
        compared = _compared_under(join, table, source_column, lookup, joined_column)
        return lookup is not None and _alike(table, source_column, lookup, joined_column, compared)
    return (
        not existed
        and keys_on
        and _references(table, source_column, read, read_column, copy.parsed)
    )


def _joins_a_seeded_row(context: FileContext, copy: Copy, join: exp.Join) -> bool:
    """``JOIN warehouses AS w ON w.code = 'MAIN'`` after the file inserted the MAIN row.

    The INSERT (``VALUES``, the literal in the joined column) must leave that row in the
    table: a plain INSERT either does or fails the file; ``OR IGNORE`` or ``ON CONFLICT DO
    NOTHING`` skips it only on a UNIQUE conflict, which keeps it there when every UNIQUE
    index of the table holds the column (a rowid alias the INSERT leaves to SQLite takes a
    new value), and SQLite shows no NOT NULL or CHECK refuses it. Nothing but INSERTs that
    only add rows may write the table between it and the copy.
    """
    on = join.args.get("on")
    if not isinstance(on, exp.EQ) or join.args.get("using"):
        return False
    sides = [on.this, on.expression]
    columns = [s for s in sides if isinstance(s, exp.Column)]
    literals = [s for s in sides if isinstance(s, exp.Literal)]
    if len(columns) != 1 or len(literals) != 1:
        return False
    joined = name_of(join.this)
    if columns[0].table.lower() not in ("", join.this.alias_or_name.lower()):
        return False
    column, literal = name_of(columns[0]), literals[0]
    seed = None
    for parsed in context.statements:
        if parsed is copy.parsed:
            break
        tree = parsed.tree_if("INSERT")
        if (
            isinstance(tree, exp.Insert)
            and name_of(tree.this) == joined
            and _adds(tree, joined)
            and _seeds(context, parsed, tree, column, literal)
        ):
            seed = parsed
    if seed is None:
        return False
    return not _written_between(context, seed, copy.parsed, {joined}, adds=joined)


def _seeds(
    context: FileContext, parsed: Parsed, insert: exp.Insert, column: str, literal: exp.Literal
) -> bool:
    """Whether ``insert`` leaves a row holding ``literal`` in ``column``.

    See :func:`_joins_a_seeded_row`; SQLite runs the INSERT on an empty copy of the table.
    """
    values = insert.expression
    names = insert.this.expressions if isinstance(insert.this, exp.Schema) else []
    spelled = [name_of(n) for n in names]
    if not isinstance(values, exp.Values) or column not in spelled:
        return False
    at = spelled.index(column)
    rows = [r.expressions for r in values.expressions if isinstance(r, exp.Tuple)]
    if not any(len(r) == len(spelled) and r[at] == literal for r in rows):
        return False
    target = _table(context, parsed, name_of(insert.this))
    if target is None or not target.sql:
        return False
    rowid = (target.rowid_alias or "").lower()
    for index in target.indexes:
        keyed = [(n or "").lower() for n in index.names] or [c.lower() for c in index.columns]
        if index.unique and column not in keyed and keyed != [rowid]:
            return False
    if rowid in spelled and rowid != column:
        return False  # a given rowid can clash with another row's
    db = sqlite3.connect(":memory:")
    try:
        db.execute(target.sql)
        db.execute(parsed.sql)
        found = db.execute(
            f"SELECT 1 FROM {quote(target.name)} WHERE {quote(column)} = {literal.sql()}"
        ).fetchone()
    except sqlite3.Error:
        return False
    finally:
        db.close()
    return found is not None


def _keys_on(target: Target) -> bool:
    """Whether every writer enforces keys: the migrations' connection and the application's."""
    return target.d1 or (target.foreign_keys and target.application_foreign_keys is not False)


def _column(table: Table, name: str) -> Column | None:
    """The column ``name`` (lower-cased) of ``table``, or ``None``."""
    return next((c for c in table.columns if c.name.lower() == name), None)


def _never_null(table: Table, column: str) -> bool:
    """Whether ``table.column`` is NOT NULL (a NULL joins nothing)."""
    found = _column(table, column)
    return found is not None and (found.notnull or (bool(found.pk) and table.without_rowid))


def _alike(
    table: Table, column: str, lookup: Table, joined: str, compared: str | None = None
) -> bool:
    """Whether the join meets every value the fill put in, or found, in the lookup.

    The fill stores each value under the lookup column's affinity, so the two columns
    must share it (``'007'`` kept as ``7`` matches nothing). An ``INSERT OR IGNORE``
    top-up skips a value a UNIQUE index of the lookup counts as there already, under the
    index's collation; the join compares under ``compared``, its left column's (the
    copied column's where ``None`` and the two columns collate alike). So every UNIQUE
    index over the column must count as equal only what the join matches: BINARY (exact
    values), or the join's own collation. ``INSERT OR IGNORE INTO users (username)
    SELECT author FROM posts`` into a NOCASE UNIQUE ``username`` skips 'bob' beside
    'Bob': ``ON u.username = p.author`` compares under NOCASE and meets it, ``ON p.author
    = u.username`` under BINARY misses it, as does any join over a BINARY column whose
    UNIQUE index alone folds case.
    """
    mine, theirs = _column(table, column), _column(lookup, joined)
    if mine is None or theirs is None or mine.affinity != theirs.affinity:
        return False
    if compared is None:
        if _collation(mine) != _collation(theirs):
            return False
        compared = _collation(mine)
    return all(
        collation.upper() in ("BINARY", compared)
        for index in lookup.indexes
        if index.unique
        for name, collation in zip(index.names, index.collations, strict=False)
        if (name or "").lower() == joined
    )


def _collation(column: Column) -> str:
    """A column's collation, upper-cased (``BINARY`` where it declares none)."""
    return (column.collation or "BINARY").upper()


def _compared_under(
    join: exp.Join, table: Table, column: str, lookup: Table | None, joined: str
) -> str | None:
    """The collation ``join``'s equality compares under: the left column's (SQLite's rule).

    "If either operand is a column, then the collating function of that column is used
    with precedence to the left operand" (sqlite.org/datatype3.html#collation): ``ON
    a.x = b.y`` compares under ``a.x``'s; ``USING (x)`` as the copied table's column on
    the left. ``None`` where a column is not found.
    """
    mine = _column(table, column)
    theirs = _column(lookup, joined) if lookup is not None else None
    if mine is None or theirs is None:
        return None
    on = join.args.get("on")
    left = on.this if isinstance(on, exp.EQ) and not join.args.get("using") else None
    lookup_first = isinstance(left, exp.Column) and (
        left.table.lower() == join.this.alias_or_name.lower()
    )
    return _collation(theirs if lookup_first else mine)


def _table(context: FileContext, at: Parsed, name: str) -> Table | None:
    """The table ``name`` as statement ``at`` meets it, a TEMP table of the file's own too.

    The replay's schema holds the main database only; a ``CREATE TEMP TABLE map (…)``
    earlier in the file is read from its column definitions (names, types, NOT NULL,
    COLLATE), which is all the join needs. ``None`` for one with a table constraint or a
    CHECK, which the definitions alone do not describe.
    """
    found = table_in(at.before, name)
    if found is not None:
        return found
    made = None
    for parsed in context.statements:
        if parsed is at:
            break
        create = parsed.tree_if("CREATE")
        if not isinstance(create, exp.Create) or not isinstance(create.this, exp.Schema):
            continue
        if name_of(create.this) == name and create.find(exp.TemporaryProperty):
            made = create.this
    if made is None or made.find(exp.CheckColumnConstraint, exp.Check):
        return None
    columns = [declared_column(d) for d in made.expressions]
    if not all(c is not None for c in columns):
        return None
    return Table(name, tuple(c for c in columns if c is not None))


def _equality(copy: Copy, join: exp.Join) -> tuple[str, str] | None:
    """``(joined column, copied column)`` of ``ON a.x = b.y`` or ``USING (x)``; else ``None``."""
    using = join.args.get("using") or []
    if using:
        return (name_of(using[0]),) * 2 if len(using) == 1 else None
    on = join.args.get("on")
    if not isinstance(on, exp.EQ):
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
    return _source_of(copy.select)


def _fill(
    context: FileContext, copy: Parsed, joined: str, column: str
) -> tuple[Parsed, str, str] | None:
    """The INSERT … SELECT putting every value of a column into ``joined.column``.

    ``(statement, table read, column read)``. ``None`` when another kind of write reaches
    ``joined`` before the copy, or when no INSERT takes the values of one column of one
    table as they are, from every row. An ``OR IGNORE`` fill counts only where it can skip
    no value but one already there (:func:`_skips_values`).
    """
    found = None
    for parsed in context.statements:
        if parsed is copy:
            break
        tree = parsed.tree_if(*_WRITES, "CREATE")
        if isinstance(tree, exp.Create):
            tree = _created_as(tree)  # CREATE TABLE map AS SELECT fills it; (…) declares it
        if tree is None or name_of(tree.this) != joined:
            continue
        if not isinstance(tree, exp.Insert):
            return None
        target = _table(context, parsed, joined)
        read = _whole_read(tree, column, joined, target)
        ignored = str(tree.args.get("alternative") or "").upper() == "IGNORE"
        if read is not None and not (ignored and _skips_values(target, tree, column)):
            found = (parsed, *read)
    return found


def _skips_values(target: Table | None, insert: exp.Insert, column: str) -> bool:
    """Whether ``INSERT OR IGNORE`` filling ``target.column`` may skip a value not yet there.

    OR IGNORE skips a row that breaks any constraint but a foreign key, not only the
    UNIQUE key the value is already in: a CHECK, a NOT NULL column the fill leaves to no
    DEFAULT or writes from another (maybe NULL) value, or a UNIQUE key without
    ``column`` (two values sharing that key's DEFAULT). ``column`` itself is read from a
    NOT NULL column (:func:`keeps_every_row`); the rowid alias takes the next rowid.
    """
    if target is None or target.checks:
        return True
    written = set(written_values(insert) or {})
    rowid = (target.rowid_alias or "").lower()
    for other in target.columns:
        name = other.name.lower()
        if name in (column, rowid) or not other.notnull:
            continue
        if name in written or other.default in (None, "NULL"):
            return True
    return any(
        column not in {c.lower() for c in key} and [c.lower() for c in key] != [rowid]
        for key in target.unique_sets
    )


def _created_as(create: exp.Create) -> exp.Insert | None:
    """``CREATE [TEMP] TABLE t AS SELECT …`` read as the INSERT filling t (else ``None``).

    Its columns are named after the select list's aliases, in order, as SQLite names them.
    """
    select = create.expression
    if str(create.args.get("kind")).upper() != "TABLE" or not isinstance(select, exp.Select):
        return None
    if not isinstance(create.this, exp.Table) or any(
        isinstance(e, exp.Star) or not e.alias_or_name for e in select.expressions
    ):
        return None
    names = [exp.to_identifier(e.alias_or_name) for e in select.expressions]
    return exp.Insert(
        this=exp.Schema(this=create.this.copy(), expressions=names), expression=select
    )


def _whole_read(
    insert: exp.Insert, column: str, joined: str, target: Table | None
) -> tuple[str, str] | None:
    """``(table, column)`` an INSERT takes ``column``'s values from, unfiltered.

    Or filtered only of the values ``joined.column`` already holds (:func:`_only_missing`):
    after the INSERT the table holds every value either way.
    """
    select = insert.expression
    if not isinstance(select, exp.Select) or any(
        select.args.get(k) for k in ("limit", "having", "joins", "offset")
    ):
        return None
    table = _source_of(select)
    value = (written_values(insert) or {}).get(column)
    if table is None or not isinstance(value, exp.Column):
        return None
    where = select.args.get("where")
    if where is not None and not _only_missing(where.this, value, joined, column, target):
        return None
    if not _one_row_per_value(select, value.name.lower()):
        return None
    return table, value.name.lower()


def _only_missing(
    clause: exp.Expr, value: exp.Column, joined: str, column: str, target: Table | None
) -> bool:
    """Whether a fill's WHERE leaves out only values ``joined.column`` already holds.

    ``NOT EXISTS (SELECT 1 FROM joined c WHERE c.column = value)`` or ``value NOT IN
    (SELECT column FROM joined)``: the idiom that tops a lookup up with the missing names
    only (a plain INSERT would fail on the others). ``NOT IN`` leaves every value out where
    the subquery meets a NULL, so it counts only where ``column`` is NOT NULL in
    ``target`` (the joined table), as a lookup's name is (the caller compares the two
    columns' affinity and collation).
    """
    clause = clause.unnest()
    if not isinstance(clause, exp.Not):
        return False
    inner = clause.this.unnest()
    if isinstance(inner, exp.In):
        found = _column(target, column) if target is not None else None
        return found is not None and found.notnull and _not_in(inner, value, joined, column)
    query = inner.this if isinstance(inner, exp.Exists) else None
    if not isinstance(query, exp.Select) or _source_of(query) != joined:
        return False
    if any(query.args.get(k) for k in ("joins", "group", "having", "limit")):
        return False
    where = query.args.get("where")
    test = where.this.unnest() if isinstance(where, exp.Where) else None
    if not isinstance(test, exp.EQ):
        return False
    sides = [test.this, test.expression]
    if not all(isinstance(side, exp.Column) for side in sides):
        return False
    source = query.args.get("from_") or query.args.get("from")
    alias = source.this.alias_or_name.lower() if isinstance(source, exp.From) else ""
    mine = [side for side in sides if side.table.lower() == alias and name_of(side) == column]
    theirs = [side for side in sides if side not in mine]
    return (
        len(mine) == 1
        and len(theirs) == 1
        and theirs[0].table.lower() not in ("", alias)  # an outer row's column, qualified
        and _same_column(theirs[0], value)
    )


def _not_in(clause: exp.In, value: exp.Column, joined: str, column: str) -> bool:
    """``value NOT IN (SELECT column FROM joined)`` (sqlglot spells NOT IN as ``Not(In)``)."""
    query = clause.args.get("query")
    select = query.this if isinstance(query, exp.Subquery) else query
    if not isinstance(select, exp.Select) or _source_of(select) != joined:
        return False
    if any(select.args.get(k) for k in ("where", "joins", "group", "having", "limit")):
        return False
    picked = select.expressions
    if len(picked) != 1 or not isinstance(picked[0], exp.Column) or name_of(picked[0]) != column:
        return False
    return isinstance(clause.this, exp.Column) and _same_column(clause.this, value)


def _same_column(a: exp.Column, b: exp.Column) -> bool:
    """Whether two references name one column (qualified alike, or either unqualified)."""
    qualified = a.table and b.table and a.table.lower() != b.table.lower()
    return name_of(a) == name_of(b) and not qualified


def _one_row_per_value(select: exp.Select, column: str) -> bool:
    """Whether the SELECT yields every value of ``column``: no grouping but by it, no aggregate.

    ``SELECT x, count(*) FROM t`` is one row, ``… GROUP BY y`` one ``x`` per ``y``; an
    aggregate inside a window (``row_number() OVER …``) keeps every row.
    """
    group = select.args.get("group")
    if group is not None:
        keys = group.expressions
        return len(keys) == 1 and isinstance(keys[0], exp.Column) and name_of(keys[0]) == column
    return not any(
        agg.find_ancestor(exp.Window) is None
        for e in select.expressions
        for agg in e.find_all(exp.AggFunc)
    )


def _source_of(select: exp.Select) -> str | None:
    """The one table a SELECT reads FROM (lower-cased)."""
    source = select.args.get("from_") or select.args.get("from")
    if not isinstance(source, exp.From) or not isinstance(source.this, exp.Table):
        return None
    return name_of(source.this)


def _written_between(
    context: FileContext, first: Parsed | None, last: Parsed, tables: set[str], adds: str = ""
) -> bool:
    """Whether a statement between ``first`` (``None``: the start) and ``last`` writes ``tables``.

    Not an INSERT into ``adds`` that only adds rows (plain, ``OR IGNORE`` or ``ON CONFLICT
    DO NOTHING``): more lookup rows remove no match.
    """
    inside = first is None
    for parsed in context.statements:
        if parsed is last:
            return False
        if inside:
            tree = parsed.tree_if(*_WRITES)
            if tree is not None and name_of(tree.this) in tables and not _adds(tree, adds):
                return True
        inside = inside or parsed is first
    return False


def _adds(tree: exp.Expr, table: str) -> bool:
    """An INSERT into ``table`` that replaces and updates nothing: rows added only."""
    if not isinstance(tree, exp.Insert) or name_of(tree.this) != table:
        return False
    conflict = tree.args.get("conflict")
    if conflict is not None and "NOTHING" not in str(conflict.args.get("action") or "").upper():
        return False
    return str(tree.args.get("alternative") or "").upper() in ("", "IGNORE")


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
    MH218's). A map the file fills from such a table (:func:`_through_map`) is that table.
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
        written = {
            v.name.lower()
            for v in values.values()
            if isinstance(v, exp.Column) and v.table.lower() == alias
        }
        if _kept_through(context, copy.parsed, name_of(join.this), joined_column, written):
            kept.add(source_column)
    return kept


def _kept_through(
    context: FileContext, at: Parsed, name: str, column: str, written: set[str]
) -> bool:
    """:func:`_kept_in` of the joined table, or of the table a map of ids was filled from."""
    if _kept_in(context, at, name, column, written):
        return True
    mapped = _through_map(context, at, name, column)
    if mapped is None:
        return False
    table, read_column, names = mapped
    return _kept_in(context, at, table, read_column, {names.get(w, "") for w in written})


def _kept_in(context: FileContext, at: Parsed, name: str, column: str, written: set[str]) -> bool:
    """Whether ``name.column`` is UNIQUE and stays, and ``written`` holds a UNIQUE key of it."""
    joined = table_in(at.before, name)
    if joined is None or not _stays(context, name, column):
        return False
    unique = {s[0].lower() for s in joined.unique_sets if len(s) == 1}
    return column in unique and bool(written & unique)


def _through_map(
    context: FileContext, at: Parsed, joined: str, column: str
) -> tuple[str, str, dict[str, str]] | None:
    """The table a map joined on ``column`` was filled from, as ``(table, column, names)``.

    A map the file makes (``CREATE TEMP TABLE user_map (old_id, new_id)``, or a plain
    table D1 needs instead and the file drops) filled by one ``INSERT … SELECT uuid, id
    FROM users`` from every row of one table holds nothing but that table's pairs: a join
    on ``user_map.old_id`` writing ``new_id`` is a join on ``users.uuid`` writing
    ``users.id``. ``names``: each map column the fill wrote as a plain column of the
    table -> that column. Nothing may write the map or the table between fill and copy.
    """
    if table_in(context.before, joined) is not None:
        return None
    fill = _fill(context, at, joined, column)
    if fill is None:
        return None
    parsed, read, read_column = fill
    if _written_between(context, parsed, at, {read, joined}):
        return None
    insert = parsed.tree
    if isinstance(insert, exp.Create):
        insert = _created_as(insert)
    values = written_values(insert) if isinstance(insert, exp.Insert) else None
    names = {
        target: value.name.lower()
        for target, value in (values or {}).items()
        if isinstance(value, exp.Column)
    }
    return read, read_column, names


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
