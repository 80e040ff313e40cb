"""Whether a column a file drops was first carried into other columns of its table.

A column split in two (``phone`` into ``phone_country`` and ``phone_number``), copied under
a new name or re-encoded keeps its values when the file's ``UPDATE`` writes them into
columns that stay, losslessly: two different values never end up as the same new ones,
so the old value can be rebuilt (the rollback that joins them back). SQLite shows it: the
file's own UPDATEs run on probe values in a scratch table with the columns' declared
types (affinity included), and the old values and the new tuples must pair one to one.
A lossy transform (``substr(date, 1, 4)``) proves nothing and the drop is reported. An
UPDATE may read other columns of the table: one that stays is held at a few values in
turn and the dropped column must stay apart whatever it holds (``json_set(specs,
'$.make', make)``), so one guarded by or mixed with it (``CASE WHEN model = '' THEN ''
ELSE make END``) is still reported; one the file drops as well takes every probe with
the column and the pairs must stay apart (``json_object('make', make, 'model', model)``
packs two columns into one; ``make || model`` does not keep them).
The probes are the values the column can hold: those its NOT NULL and its own CHECKs
refuse are left out (``CHECK (due IS NULL OR due = date(due))`` keeps dates only, which
``strftime('%s', due)`` turns into distinct numbers), and at least two must be left for
the test to prove anything.
"""

from __future__ import annotations

import itertools
import sqlite3

from sqlglot import exp
from sqlglot.errors import ParseError

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.shapes import columns_in, name_of, table_in
from migration_harness.schema.records import Column, Table
from migration_harness.schema.sqltext import quote
from migration_harness.sets import parsing

_PROBES: tuple[object, ...] = (
    None, "", " ", "a", "A", "ab", "a b", "a  b", " a", "a ", "a b c", "b a", "1", "01",
    "007", "7", "1.0", "1 2", "+44 20 7946 0000", "2024-01-01", "2024-12-31",
    "2024-01-01T10:00:00", "2024-02-29 08:30:00", "2024-12-31 23:59:59", "x-1", "a,b",
    "a/b", "a-b", "a.b", "é", '{"a": 1}', "[1, 2]",
    0, 1, -1, 2.5, 1e6,
)  # fmt: skip
# A column of numeric affinity holds numbers (text there is a typo SQLite keeps): a
# unit change (``CAST(ROUND(total * 100) AS INTEGER)``, ``price_cents / 100.0``) keeps
# every amount apart, where text probes all became 0 and the drop looked lossy. The
# fractions that a truncating CAST or an integer division merge (2.25 and 2.5; 0, 1
# and 2 over 100) are there, so a lossy unit change is still reported.
_NUMBER_PROBES: tuple[object, ...] = (
    None, 0, 1, -1, 2, 7, 42, 100, 1999, 2.25, 2.5, 0.29, 19.99, -3.5, 1e6,
)  # fmt: skip


def kept_by_updates(context: FileContext, drop: Parsed, table: str, column: str) -> bool:
    """Whether the file's UPDATEs of ``table`` before ``drop`` keep ``column``'s values.

    Every UPDATE of the table before the drop that reads or writes the column must read
    only columns the table had (its SET values and WHERE), set only columns still there
    after the file, and read the column; run on the probes, with the other columns read
    held at each of a few values, they must map distinct values of the column to
    distinct tuples of the columns they set.
    """
    updates: list[exp.Update] = []
    for parsed in context.statements:
        if parsed is drop:
            break
        tree = parsed.tree_if("UPDATE")
        if not isinstance(tree, exp.Update) or name_of(tree.this) != table:
            continue
        if column in columns_in(tree):
            updates.append(tree)
    old, new = table_in(context.before, table), table_in(context.after, table)
    if not updates or old is None or new is None:
        return False
    kept = {c.name.lower(): c for c in new.columns}
    had = {c.name.lower(): c for c in old.columns}
    was = had.get(column)
    targets: dict[str, Column] = {}
    siblings: dict[str, Column] = {}
    for tree in updates:
        for assignment in tree.expressions:
            if not isinstance(assignment, exp.EQ):
                return False
            name = name_of(assignment.this)
            if name not in kept or name == column:
                return False
            targets[name] = kept[name]
        read = columns_in(tree) - set(targets)
        if column not in read or not read <= set(had):
            return False  # reads what the table lacks: the probe cannot stand for it
        siblings |= {n: had[n] for n in read - {column}}
    if was is None:
        return False
    bare = [_bare(u) for u in updates]
    staying = {n: c for n, c in siblings.items() if n in kept}
    gone = {n: c for n, c in siblings.items() if n not in kept}
    return _one_to_one(was, _own_checks(old, column), targets, bare, staying, gone)


def _own_checks(table: Table, column: str) -> list[str]:
    """The CHECKs of ``table`` that read ``column`` alone: the values it can hold meet them."""
    found: list[str] = []
    for check in table.checks:
        try:
            tree = parsing.parse_one(check.expression)
        except ParseError:
            continue
        if columns_in(tree) == {column}:
            found.append(check.expression)
    return found


def _bare(update: exp.Update) -> str:
    """The UPDATE aimed at the scratch table ``p``, its columns unqualified."""
    moved = update.transform(
        lambda n: exp.column(n.name, quoted=True) if isinstance(n, exp.Column) else n
    )
    moved.set("this", exp.to_table("p"))
    return moved.sql(dialect="sqlite")


# The values the other columns an UPDATE reads, where they stay, are held at one after
# the other while the dropped column takes every probe: json_set(specs, '$.make', make)
# keeps make apart whatever specs holds; a CASE on another column, or a WHERE on it,
# does not for some of them.
_SIBLING_VALUES: tuple[object, ...] = (None, "", "a", "b c", 0, 1, 2.5)


def _one_to_one(
    was: Column,
    checks: list[str],
    targets: dict[str, Column],
    updates: list[str],
    siblings: dict[str, Column] | None = None,
    dropped: dict[str, Column] | None = None,
) -> bool:
    """Whether ``updates`` map the probe values of ``was`` one to one onto ``targets``.

    The column is declared as it was (type, NOT NULL) with its own ``checks``, so the
    probes it refuses are skipped (OR IGNORE) as values no row holds. A target starts
    at its DEFAULT (what ``ADD COLUMN`` gave every row: ``json_set(specs, '$.make',
    make)`` over ``DEFAULT '{}'``).

    Other columns the UPDATEs read: one that stays (``siblings``) is there to rebuild
    the value from, so it is held at each of :data:`_SIBLING_VALUES` in turn (NULL left
    out for a NOT NULL one) and the mapping must be one to one for every one of them.
    One the file drops too (``dropped``: ``json_object('make', make, 'model', model)``
    before both drops) takes every probe along with the column, and the pairs must map
    one to one (``make || model`` meets 'a' || 'bc' and 'ab' || 'c'); only one such.
    """
    kept, gone = siblings or {}, dropped or {}
    if len(gone) > 1:
        return False
    fixed = [
        v for v in _SIBLING_VALUES if v is not None or not any(c.notnull for c in kept.values())
    ]
    return all(
        _one_to_one_at(was, checks, targets, updates, {n: value for n in kept}, kept, gone)
        for value in (fixed if kept else [None])
    )


def _probes_for(column: Column) -> tuple[object, ...]:
    """The probe values of a column of ``column``'s declared type."""
    numeric = _affinity(column.type) in ("INTEGER", "REAL", "NUMERIC")
    return _NUMBER_PROBES if numeric else _PROBES


def _one_to_one_at(
    was: Column,
    checks: list[str],
    targets: dict[str, Column],
    updates: list[str],
    held: dict[str, object],
    siblings: dict[str, Column],
    dropped: dict[str, Column],
) -> bool:
    """:func:`_one_to_one` with the staying siblings holding the values ``held``."""
    column, kind = was.name.lower(), was.type
    spelled = ", ".join(
        f"{quote(n)} {c.type}" + (f" DEFAULT {c.default}" if c.default is not None else "")
        for n, c in targets.items()
    )
    spelled += "".join(f", {quote(n)} {c.type}" for n, c in (siblings | dropped).items())
    declared = f"{quote(column)} {kind}{' NOT NULL' if was.notnull else ''}"
    declared += "".join(f", CHECK ({c})" for c in checks)
    names = [column, *dropped, *held]
    insert = f"INSERT OR IGNORE INTO p ({', '.join(quote(n) for n in names)}) VALUES "
    insert += f"({', '.join('?' for _ in names)})"
    rows = [
        (v, *others, *held.values())
        for v in _probes_for(was)
        for others in itertools.product(*(_probes_for(c) for c in dropped.values()))
    ]
    source = ", ".join(f"quote({quote(n)})" for n in [column, *dropped])
    db = sqlite3.connect(":memory:")
    try:
        db.execute(f"CREATE TABLE p ({spelled}, {declared})")
        db.executemany(insert, rows)
        distinct = f"SELECT count(DISTINCT {quote(column)}) FROM p"
        if db.execute(distinct).fetchone()[0] < 2:
            return False  # the CHECK leaves too few probes to tell anything apart
        for sql in updates:
            db.execute(sql)
        new = ", ".join(f"quote({quote(n)})" for n in targets)
        counts = [
            db.execute(f"SELECT count(*) FROM (SELECT DISTINCT {spelled_out})").fetchone()[0]
            for spelled_out in (f"{source} FROM p", f"{new} FROM p", f"{source}, {new} FROM p")
        ]
    except sqlite3.Error:
        return False
    finally:
        db.close()
    return len(set(counts)) == 1


def _affinity(kind: str) -> str:
    """SQLite's affinity for the declared type ``kind``."""
    return Column("probe", kind).affinity
