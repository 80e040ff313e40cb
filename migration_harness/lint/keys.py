"""UNIQUE keys a table's existing rows already satisfy: no duplicates can be there to refuse.

A new UNIQUE index or a rebuild's new UNIQUE constraint fails on a table that holds
duplicates of its columns (MH212). Some new keys cannot meet any: those that contain a key
the old table already enforced (``UNIQUE (owner, key)`` where ``key`` was UNIQUE, or an
index on the ``INTEGER PRIMARY KEY``), and a number the copy makes unique by construction
(``ROW_NUMBER() OVER (PARTITION BY job_id)`` beside ``job_id``). Warning on those asks a
team to prove what SQLite has proved for it.

Two rows clash in a UNIQUE index only where every column is non-NULL and equal under the
index's collation; equal under the new key means equal under the old one where each old
column keeps its collation or the new one is ``BINARY`` (the finest), and its values are
the stored values themselves (the same table, or a rebuild that copies the column as it is
into a column of the same affinity, which converts nothing).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

from sqlglot import exp
from sqlglot.errors import SqlglotError

from migration_harness.lint.rebuilds import Rebuild
from migration_harness.lint.shapes import ctes_of, name_of, written_values
from migration_harness.lint.storage import Copy
from migration_harness.schema.model import Table
from migration_harness.schema.records import Index
from migration_harness.sets import parsing

# (lower-cased column names, their collations) of one UNIQUE key.
Key = tuple[tuple[str, ...], tuple[str, ...]]


def keys_of(table: Table) -> list[Key]:
    """The table's enforced UNIQUE keys on plain columns: full unique indexes and the rowid.

    The ``INTEGER PRIMARY KEY`` aliases the rowid and has no index of its own.
    """
    found: list[Key] = []
    alias = table.rowid_alias
    if alias is not None:
        found.append(((alias.lower(),), ("BINARY",)))
    for index in table.indexes:
        key = _key(index, table)
        if key is not None:
            found.append(key)
    return found


def key_named(table: Table, name: str) -> Key | None:
    """The UNIQUE key the index called ``name`` enforces (``None``: no such plain key)."""
    for index in table.indexes:
        if index.name.lower() == name.lower():
            return _key(index, table)
    return None


def _key(index: Index, table: Table) -> Key | None:
    """The key a UNIQUE index enforces on columns, with their collations.

    ``None`` for a non-unique index, a partial one (it enforces nothing outside its
    WHERE) and one over any other expression (nothing on a column). A ``lower(col)`` or
    ``upper(col)`` term is ``col`` under NOCASE (:func:`_folded`).
    """
    if not index.unique or index.is_partial or not index.names:
        return None
    collations = index.collations or ("BINARY",) * len(index.names)
    names: list[str] = []
    kept: list[str] = []
    for name, text, collation in zip(index.names, index.columns, collations, strict=True):
        if name is not None:
            names.append(name.lower())
            kept.append(collation.upper())
            continue
        folded = _folded(text, table) if collation.upper() in ("BINARY", "NOCASE") else None
        if folded is None:
            return None
        names.append(folded)
        kept.append("NOCASE")
    return tuple(names), tuple(kept)


def _folded(term: str, table: Table) -> str | None:
    """The TEXT column a ``lower(col)``/``upper(col)`` index term reads, lower-cased; else None.

    SQLite's ``lower()`` and ``upper()`` fold ASCII letters only (lang_corefunc.html,
    without the ICU extension, which neither the sqlite3 module nor D1 loads), exactly what
    the NOCASE collation folds before comparing (datatype3.html#collation): two strings
    have one ``lower()`` just where NOCASE calls them equal. A column of TEXT affinity
    stores every number as text, so its non-NULL values are strings (a BLOB written as
    one aside): ``UNIQUE(lower(email))`` is ``UNIQUE(email COLLATE NOCASE)``. Other
    affinities keep numbers, and ``lower(1)`` equals ``lower('1')``; they stay None.
    """
    try:  # read as an ORDER BY term, which takes the COLLATE and DESC the text may end in
        tree = parsing.parse_one(f"SELECT 1 ORDER BY {term}")
    except SqlglotError:
        return None
    order = tree.args.get("order")
    value = order.expressions[0] if isinstance(order, exp.Order) and order.expressions else None
    while isinstance(value, exp.Collate | exp.Ordered | exp.Paren):
        value = value.this
    if not isinstance(value, exp.Lower | exp.Upper) or not isinstance(value.this, exp.Column):
        return None
    name = value.this.name.lower()
    column = next((c for c in table.columns if c.name.lower() == name), None)
    return name if column is not None and column.affinity == "TEXT" else None


def implied(key: Key, old: Sequence[Key]) -> bool:
    """Whether two rows equal under ``key`` would be equal under one of the ``old`` keys."""
    collation = dict(zip(*key, strict=True))
    for names, collations in old:
        if all(
            name in collation and collation[name] in (was, "BINARY")
            for name, was in zip(names, collations, strict=True)
        ):
            return True
    return False


def new_key_holds(key: Key, rebuild: Rebuild) -> bool:
    """Whether the rebuild's one copy gives ``key`` no duplicates to meet.

    The copy must be one statement; a key column it fills with ``ROW_NUMBER()`` over its
    whole result holds whatever it reads. Otherwise it must read the old table alone (a
    join can repeat a row); then the key holds where it contains an old key whose columns
    are copied unchanged, or a column numbered by ``ROW_NUMBER()`` within partitions the
    key's other copied columns make, or the old rowid between fixed strings
    (:func:`labels_rowid`). A copy from one derived table (a FROM subquery, a
    CTE: ``WITH numbered AS (SELECT …, row_number() OVER (…) AS rn FROM t)``) is read
    through it (:func:`_through_derived`).
    """
    if rebuild.copies and any(_random_in_every_copy(rebuild, name) for name in key[0]):
        return True
    if rebuild.copies and _fresh_rowid_in_every_copy(rebuild, key):
        return True
    if len(rebuild.copies) != 1:
        return False
    copy = rebuild.copies[0]
    order = [c.name for c in rebuild.new.columns if not c.is_generated]
    values = written_values(copy.insert, order)
    if values is None or copy.select.args.get("joins"):
        return False
    select, values = _through_derived(copy, values)
    if any(_numbered_within(values.get(name), set()) for name in key[0]):
        return True  # numbered over every row the copy writes: never twice the same
    if select.args.get("joins") or not _reads_old_table(copy, select, rebuild.name.lower()):
        return False
    rowid = (rebuild.old.rowid_alias or "").lower()
    if any(labels_rowid(_unqualified(values.get(name)), rowid) for name in key[0]):
        return True  # 'team-' || id: one label per old row
    sources = _copied_from(values, rebuild.old, rebuild.new)
    kept = {new for new, old in sources.items() if new == old}
    # partitions compare BINARY: a coarser key collation could join two of them
    exact = {n for n, c in zip(*key, strict=True) if c == "BINARY" and n in kept}
    if any(_numbered_within(values.get(name), exact) for name in key[0]):
        return True
    # the key read in the old table's names: a column the copy renames (``SELECT plate``
    # into ``registration``) keeps the old key on it; a column no copy fills as it was
    # matches no old one
    as_old = tuple(sources.get(name, "\0" + name) for name in key[0])
    return implied((as_old, key[1]), keys_of(rebuild.old))


def _through_derived(
    copy: Copy, values: dict[str, exp.Expr]
) -> tuple[exp.Select, dict[str, exp.Expr]]:
    """The SELECT the copy's rows come from and what each column gets, through a derived table.

    A copy whose FROM is one FROM subquery or CTE (and nothing else) writes, for each
    column, the derived table's output of that name: that output's expression is what the
    column gets, read over the derived table's own FROM. Anything else is the copy's own
    SELECT and values, unchanged.
    """
    inner = _derived_query(copy)
    if inner is None:
        return copy.select, values
    outputs = {e.alias_or_name.lower(): e for e in inner.expressions}
    resolved: dict[str, exp.Expr] = {}
    for column, value in values.items():
        found = outputs.get(value.name.lower()) if isinstance(value, exp.Column) else None
        if found is None:
            resolved[column] = value
        else:
            resolved[column] = found.this if isinstance(found, exp.Alias) else found
    return inner, resolved


def _derived_query(copy: Copy) -> exp.Select | None:
    """The one FROM subquery or CTE the copy's SELECT reads, when it is a plain SELECT."""
    source = _from_item(copy.select)
    query: exp.Expr | None = None
    if isinstance(source, exp.Subquery):
        query = source.this
    elif isinstance(source, exp.Table):
        ctes = {**ctes_of(copy.insert), **ctes_of(copy.select)}
        query = ctes.get(name_of(source))
    if not isinstance(query, exp.Select) or any(isinstance(e, exp.Star) for e in query.expressions):
        return None
    return query


# randomblob(16) and longer: 2^128 values, as many as a UUID (modrinth's group ids)
_RANDOM_BYTES: Final = 16
_SPELLINGS: Final = (exp.Hex, exp.LowerHex, exp.Lower, exp.Upper)


def _fresh_rowid_in_every_copy(rebuild: Rebuild, key: Key) -> bool:
    """Whether ``key`` holds the new table's ``INTEGER PRIMARY KEY`` and no copy writes it.

    That column is the rowid: a row inserted without it gets a new one, never a value
    another row holds (https://sqlite.org/autoinc.html), so the key meets no duplicates
    (trip2g 20250515071315 gives ``note_versions`` an ``id integer primary key
    autoincrement`` and copies the other columns).
    """
    alias = rebuild.new.rowid_alias
    if alias is None or alias.lower() not in key[0]:
        return False
    order = [c.name for c in rebuild.new.columns if not c.is_generated]
    for copy in rebuild.copies:
        values = written_values(copy.insert, order)
        if values is None or alias.lower() in values:
            return False
    return True


def _random_in_every_copy(rebuild: Rebuild, column: str) -> bool:
    """Whether every copy fills ``column`` with ``randomblob(16+)`` (hex or cased)."""
    order = [c.name for c in rebuild.new.columns if not c.is_generated]
    for copy in rebuild.copies:
        values = written_values(copy.insert, order)
        if values is None or not _random(values.get(column)):
            return False
    return True


def _random(value: exp.Expr | None) -> bool:
    """``randomblob(N)`` with N at least :data:`_RANDOM_BYTES`, under hex()/lower()/upper()."""
    while isinstance(value, _SPELLINGS):
        value = value.this
    if not (isinstance(value, exp.Anonymous) and str(value.this).lower() == "randomblob"):
        return False
    size = value.expressions[0] if len(value.expressions) == 1 else None
    return isinstance(size, exp.Literal) and size.is_int and int(size.name) >= _RANDOM_BYTES


def _reads_old_table(copy: Copy, select: exp.Select, name: str) -> bool:
    """Whether ``select`` (the copy's rows) reads the rebuilt table's own storage alone.

    The table under its name (new table made aside, then renamed over it), or renamed away
    first (``ALTER TABLE t RENAME TO t_old; CREATE TABLE t …; INSERT INTO t … FROM t_old``,
    komf V6): then every row the copy reads comes from the old storage and nowhere else. A
    backup made with ``CREATE TABLE … AS SELECT`` is another storage (it may hold a join's
    repeats) and does not count.
    """
    source = _from_item(select)
    if not isinstance(source, exp.Table):
        return False
    return name_of(source) == name or copy.source_origins == (name,)


def _from_item(select: exp.Select) -> exp.Expr | None:
    """The one item of the SELECT's FROM clause (not its joins nor subqueries)."""
    source = select.args.get("from_") or select.args.get("from")
    return source.this if isinstance(source, exp.From) else None


def _copied_from(values: Mapping[str, exp.Expr], old: Table, new: Table) -> dict[str, str]:
    """New column -> the old column of the same affinity the copy fills it with, as it is.

    Under its own name or another: ``SELECT plate`` into ``registration`` renames it.
    """
    was = {c.name.lower(): c.affinity for c in old.columns}
    now = {c.name.lower(): c.affinity for c in new.columns}
    return {
        column: value.name.lower()
        for column, value in values.items()
        if isinstance(value, exp.Column)
        and was.get(value.name.lower()) is not None
        and was.get(value.name.lower()) == now.get(column)
    }


def _numbered_within(value: exp.Expr | None, kept: set[str]) -> bool:
    """``ROW_NUMBER() OVER (PARTITION BY …)`` whose partition columns are all in ``kept``.

    A partition column compares under its declared collation, which ``kept`` (columns
    copied unchanged) keeps too.
    """
    if not (isinstance(value, exp.Window) and isinstance(value.this, exp.RowNumber)):
        return False
    if value.args.get("alias") is not None:
        return False  # OVER w: the named window's PARTITION BY is elsewhere
    partition = value.args.get("partition_by") or []
    return all(isinstance(p, exp.Column) and p.name.lower() in kept for p in partition)


def labels_rowid(value: exp.Expr, rowid: str) -> bool:
    """Whether ``value`` is the rowid alias between string literals (``'post-' || id``).

    The rowid may be printed through one integer conversion (``'D' || printf('%03d',
    id)``, :func:`printed_integer`): padding never truncates, so distinct integers still
    print distinct digits.

    Distinct rowids give distinct labels under every collation: a rowid is an integer,
    written as digits without case or trailing spaces, and the fixed strings around it are
    the same in every row. Any other column could collapse (1 and '1' both become
    'post-1'), so only the rowid counts; so does only one column (``a || b`` repeats).
    """
    parts: list[exp.Expr] = []
    stack = [value.unnest()]
    while stack:
        part = stack.pop()
        if isinstance(part, exp.DPipe):
            stack += [part.expression.unnest(), part.this.unnest()]
        else:
            parts.append(printed_integer(part) or part)
    columns = [p for p in parts if isinstance(p, exp.Column)]
    literals = [p for p in parts if isinstance(p, exp.Literal) and p.is_string]
    return (
        bool(rowid)
        and len(parts) == len(columns) + len(literals)
        and [name_of(c) for c in columns] == [rowid]
    )


# One printf integer conversion: an optional flag, a width, ``d`` (``%03d``, ``%-5d``, ``%d``).
_INTEGER_CONVERSION: Final = re.compile(r"%[-+ 0]?[0-9]*d")


def printed_integer(value: exp.Expr) -> exp.Column | None:
    """The column ``printf``/``format`` prints through its one integer conversion, if so.

    ``printf('%03d', id)`` (or ``format('D%03d', id)``): a literal format whose only
    conversion (``%%`` aside) is ``%d`` with a flag and width, and one column argument.
    SQLite's ``%d`` prints the whole 64-bit value and a width only pads, so two distinct
    integers never print alike; any other conversion (``%.2f``, ``%s``, ``%c``) can.
    """
    if isinstance(value, exp.Anonymous) and str(value.this).lower() == "printf":
        arguments = list(value.expressions)
    elif isinstance(value, exp.Format):
        arguments = [value.this, *value.expressions]
    else:
        return None
    if len(arguments) != 2:
        return None
    layout, column = arguments[0].unnest(), arguments[1].unnest()
    if not (isinstance(layout, exp.Literal) and layout.is_string):
        return None
    if not isinstance(column, exp.Column):
        return None
    text = str(layout.this).replace("%%", "")
    conversions = text.count("%")
    if conversions != 1 or not _INTEGER_CONVERSION.match(text, text.index("%")):
        return None
    return column


def _unqualified(value: exp.Expr | None) -> exp.Expr:
    """``value`` with its columns' table qualifiers dropped (the copy reads one table)."""
    if value is None:
        return exp.Null()
    bare = value.copy()
    for column in bare.find_all(exp.Column):
        column.set("table", None)
    return bare
