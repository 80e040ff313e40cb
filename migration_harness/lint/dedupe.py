"""Whether a file removes the duplicates a new UNIQUE index would meet (MH212's fix).

MH212 asks to "deduplicate in the same migration before creating the index". Whether a
``DELETE`` (or an ``UPDATE`` that makes values distinct) does that cannot be read from its
shape (``EXISTS`` with ``b.id < a.id``, ``rowid NOT IN (SELECT min(rowid) … GROUP BY …)``,
a window function …), so it is proved the way :mod:`migration_harness.lint.mends` proves a
copy's mend: on a private in-memory SQLite, the table as the file meets it is filled with
probe rows that repeat the index's columns, the file's own statements on it run, and the
index is created. Kept apart from the rule so the rule reads as a rule.
"""

from __future__ import annotations

import sqlite3

from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.keys import Key
from migration_harness.lint.rebuilds import Rebuild
from migration_harness.lint.shapes import columns_in, ctes_of, name_of, table_in, written_values
from migration_harness.schema.model import Table
from migration_harness.schema.sqltext import quote

# Values of the index's columns, repeated across probe rows: exact repeats, a case and a
# space variant (caught by an index on lower(x) or a NOCASE column), a number and its text.
_KEYS: tuple[object, ...] = ("k", "j", "k", "K", "j", "k ", 1, "1", 1, "k")


def deduplicated(context: FileContext, index: Parsed, table: str) -> bool:
    """Whether the file's writes to ``table`` before ``index`` leave no duplicate for it.

    The writes are every ``DELETE`` and ``UPDATE`` of the table before the index; each
    may read only that table. An ``INSERT`` into it in between, or no such write at all,
    is no proof. The probes run with every other column distinct in each row and with
    them all equal except the table's own keys (a dedupe keeping "the newest row" by a
    column two rows can share keeps both); a column only a partial index's ``WHERE``
    reads holds one of a few values in every row. A probe the index accepts even without
    the writes proves nothing; one it refuses must be mended by them, and one must be.
    """
    writes = writes_before(context, index, table)
    tree = index.tree
    if not writes or not isinstance(tree, exp.Create):
        return False
    params = tree.this.args.get("params") if isinstance(tree.this, exp.Index) else None
    clause = params.args.get("where") if isinstance(params, exp.IndexParameters) else None
    keyed = columns_in(tree) - columns_in(clause)
    filters = columns_in(clause) - keyed
    for old in _met_as(context, index, table):
        verdicts = [
            _verdict(
                old, rows_for(old, keyed, tied, dict.fromkeys(filters, fill)), writes, index.sql
            )
            for tied in (False, True)
            for fill in (_FILLS if filters else (None,))
        ]
        if False not in verdicts and True in verdicts:
            return True
    return False


def _met_as(context: FileContext, index: Parsed, table: str) -> list[Table]:
    """The table as the dedupe's writes may have met it, the index's own view first.

    The writes run before the index, and the file may change the table in between: a
    rollback that dedupes by ``created_at``, then drops that column, then re-creates the
    UNIQUE index meets ``users`` without ``created_at`` at the index. So the probe is also
    tried on the table as the first write met it and as the file met it: one on which the
    writes run and then leave no duplicate is the proof.
    """
    first = next(
        (
            p
            for p in context.statements
            if isinstance(t := p.tree_if("DELETE", "UPDATE"), exp.Delete | exp.Update)
            and name_of(t.this) == table
        ),
        None,
    )
    found: list[Table] = []
    for schema in (index.before, first.before if first else None, context.before):
        old = table_in(schema, table) if schema is not None else None
        if old is not None and old.sql and old not in found:
            found.append(old)
    return found


# What a column only a partial index's WHERE reads holds in every probe row.
_FILLS: tuple[object, ...] = (None, 0, 1, "", "x")


def deduplicated_copy(context: FileContext, rebuild: Rebuild, key: Key) -> bool:
    """Whether the file dedupes the old table before a rebuild copies it into a new ``key``.

    The same proof as :func:`deduplicated`, for a rebuild whose new table declares the
    UNIQUE key: every copy reads the old table by its name alone and writes the key's
    columns as they are, and the file's writes to the old table before the first copy
    leave the probe rows unique under the key (as the new table compares them: the key's
    collations).
    """
    columns, collations = key
    old = rebuild.old
    name = old.name.lower()
    for copy in rebuild.copies:
        values = written_values(copy.insert) or {}
        if {name_of(t) for t in copy.select.find_all(exp.Table)} != {name}:
            return False
        if not all(
            isinstance(v := values.get(c), exp.Column) and v.name.lower() == c for c in columns
        ):
            return False
    writes = writes_before(context, rebuild.copies[0].parsed, name) if rebuild.copies else None
    if not writes or not old.sql:
        return False
    spelled = ", ".join(
        f"{quote(c)} COLLATE {quote(o)}" for c, o in zip(columns, collations, strict=True)
    )
    index = f"CREATE UNIQUE INDEX {quote('probe key')} ON {quote(old.name)} ({spelled})"
    verdicts = [
        _verdict(old, rows_for(old, set(columns), tied, {}), writes, index)
        for tied in (False, True)
    ]
    return False not in verdicts and True in verdicts


def writes_before(context: FileContext, index: Parsed, table: str) -> list[str] | None:
    """The SQL of the file's DELETEs and UPDATEs of ``table`` before ``index``.

    ``None`` where one of the file's writes to the table before it cannot run alone: an
    INSERT into the table, or a DELETE or UPDATE that reads any other table.
    """
    found = writes_reading(context, index, table)
    if found is None or found[1]:
        return None
    return found[0]


def writes_reading(
    context: FileContext, index: Parsed, table: str
) -> tuple[list[str], frozenset[str]] | None:
    """:func:`writes_before`, where a DELETE or UPDATE may read other tables: those too.

    ``None`` where one of the writes is an INSERT into the table, or reads a table by a
    name the schema before it does not hold (a common table expression's aside).
    """
    found: list[str] = []
    others: set[str] = set()
    for parsed in context.statements:
        if parsed is index:
            break
        tree = parsed.tree_if("DELETE", "UPDATE", "INSERT", "REPLACE")
        if tree is None or name_of(tree.this) != table:
            continue
        if not isinstance(tree, exp.Delete | exp.Update) or table not in _reads(tree):
            return None
        found.append(parsed.sql)
        others |= _reads(tree) - {table}
    return found, frozenset(others)


def _reads(tree: exp.Expr) -> set[str]:
    """Lower-cased tables a statement names, its common table expressions left out."""
    local = set(ctes_of(tree))
    for node in tree.find_all(exp.With):
        local |= {c.alias.lower() for c in node.expressions if isinstance(c, exp.CTE)}
    return {name_of(t) for t in tree.find_all(exp.Table)} - local


def _verdict(
    old: Table, rows: list[dict[str, object]], writes: list[str], index: str
) -> bool | None:
    """Whether ``index`` takes the probe rows once ``writes`` ran.

    ``None`` where it takes them as they are: they hold no duplicate and prove nothing.
    """
    if _holds(old, rows, [], index):
        return None
    return _holds(old, rows, writes, index)


def _holds(old: Table, rows: list[dict[str, object]], writes: list[str], index: str) -> bool:
    """Whether ``index`` can be created after ``writes`` ran on ``rows`` in ``old``."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA ignore_check_constraints = ON")
        db.execute(old.sql)
        fill_probes(db, old, rows)
        for sql in writes:
            db.execute(sql)
        db.execute(index)
    except sqlite3.Error:
        return False
    finally:
        db.close()
    return True


def fill_probes(db: sqlite3.Connection, table: Table, rows: list[dict[str, object]]) -> None:
    """Insert the probe rows ``table`` can hold: one its own keys refuse is left out."""
    for row in rows:
        names = ", ".join(quote(c) for c in row)
        marks = ", ".join("?" for _ in row)
        db.execute(
            f"INSERT OR IGNORE INTO {quote(table.name)} ({names}) VALUES ({marks})",
            list(row.values()),
        )


def rows_for(
    old: Table, named: set[str], tied: bool, fixed: dict[str, object] | None = None
) -> list[dict[str, object]]:
    """Probe rows: the index's columns repeat ``_KEYS``; keys stay distinct; others vary or tie.

    A column the index reads takes the row's key value, even when it belongs to one of
    the table's keys (an index holding a whole key is no MH212: the rule skips it before
    asking). The columns of the table's keys outside the index keep each row distinct.
    With ``tied`` set, every other column holds 1 in every row. A NOT NULL index column
    never gets NULL; a nullable one gets it in one row. A column in ``fixed`` holds its
    value there in every row.
    """
    fixed = fixed or {}
    found: list[dict[str, object]] = []
    unique = _unique_columns(old)
    writable = [c for c in old.columns if not c.is_generated]
    for i, key in enumerate((*_KEYS, None)):
        row: dict[str, object] = {}
        for n, column in enumerate(writable):
            name = column.name.lower()
            if name in fixed:
                row[column.name] = fixed[name]
            elif name in named:
                if key is None and column.notnull:
                    break
                row[column.name] = key
            elif tied and name not in unique:
                row[column.name] = 1
            else:
                row[column.name] = i * len(writable) + n + 1
        else:
            found.append(row)
    return found


def _unique_columns(old: Table) -> set[str]:
    """Lower-cased columns of the table's PRIMARY KEY and UNIQUE indexes."""
    found = {c.name.lower() for c in old.columns if c.pk}
    for index in old.indexes:
        if index.unique:
            found |= {c.lower() for c in index.plain_columns}
    return found
