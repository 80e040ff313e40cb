"""Reading table contents and describing what a step lost or changed.

A migration may drop what it means to drop; it must not lose rows or values of tables and
columns that live on. "Live on" is decided from the two schemas around a step: a table kept
by name, and within it the columns kept by name. Rows are matched by primary key when the
key survives (so a message can say *which* row changed), otherwise as a multiset.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import cast

import sqlglot
import sqlglot.errors
from sqlglot import exp

from migration_harness.data.dataset import Value, sql_literal
from migration_harness.data.privacy import are_hidden
from migration_harness.data.renumbered import pair_renumbered
from migration_harness.data.stored import respelled
from migration_harness.data.values import fetch
from migration_harness.schema.model import Schema, Table, quote, table_map
from migration_harness.sets import parsing
from migration_harness.sets.sql import Statement
from migration_harness.sets.tokens import altered_column, renamed, written_table

Rows = dict[str, tuple[tuple[str, ...], list[tuple[Value, ...]]]]
MAX_REPORTED: int = 5
MAX_KEPT: int = 200  # lost rows kept as data per table; beyond, their fate stays unjudged


@dataclass(frozen=True, slots=True)
class Change:
    """One value of a surviving row that a step changed (rows matched by primary key).

    Kept as data, not only as a sentence, so the checks can judge whether the file asked
    for it (an expression in a copy's select list) and whether it destroyed what the row
    held (a value became NULL, text was cut).
    """

    table: str
    column: str
    old: Value
    new: Value


@dataclass(frozen=True, slots=True)
class LostRow:
    """A row of a surviving table that is gone after the step, kept as data.

    Kept so the checks can ask the new schema whether it would take the row back
    (:mod:`~migration_harness.checks.forbidden`): a rebuild that drops exactly the rows its
    new constraints forbid is a choice, not an accident.

    Attributes:
        table: the table it was in before the step.
        target: the table its data went to (the same, or the rename's new name).
        columns: the columns it is known by (every column for a keyed row, the kept ones
            for a row matched as a multiset).
        values: its values, one per column.
    """

    table: str
    target: str
    columns: tuple[str, ...]
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Loss:
    """What a step lost from objects that survive it, and what it dropped on purpose.

    Attributes:
        problems: one sentence per lost or changed row (first few per table).
        rows_lost / cells_changed: counts over the surviving objects.
        expected_rows / expected_cells: rows of dropped tables, cells of dropped columns.
        changes: every changed value of rows matched by key.
        collapsed: ``(table, column)`` (lower-cased) where distinct values became one.
        lost: the lost rows themselves, at most :data:`MAX_KEPT` per table.
    """

    problems: tuple[str, ...] = ()
    rows_lost: int = 0
    cells_changed: int = 0
    expected_rows: int = 0
    expected_cells: int = 0
    changes: tuple[Change, ...] = ()
    collapsed: frozenset[tuple[str, str]] = frozenset()
    lost: tuple[LostRow, ...] = ()


def read_all(conn: sqlite3.Connection, schema: Schema, tables: Iterable[str] | None = None) -> Rows:
    """Every row of every (non-virtual) table, keyed by lower-cased table name.

    Args:
        conn: the database to read.
        schema: its schema (which tables exist).
        tables: only these (a step's relevant tables: nothing else can change, and reading
            every table of a 200-table schema per example made checks grow superlinearly).
    """
    if tables is None:
        chosen = list(schema.tables.values())
    else:  # looked up by name: walking every table of a large schema per example cost more
        by_name = table_map(schema)
        chosen = [by_name[t] for t in sorted({t.lower() for t in tables}) if t in by_name]
    out: Rows = {}
    for table in chosen:
        if table.virtual:
            continue
        out[table.name.lower()] = fetch(conn, f"SELECT * FROM {quote(table.name)}")
    return out


@dataclass(frozen=True, slots=True)
class Renames:
    """Tables and columns a file renames with ``ALTER TABLE … RENAME``.

    Matching data by name alone reads a rename as a drop plus an add: a migration that
    only renames a column looked irreversible, and a rollback that "undoes" the rename by
    dropping the column and adding an empty one back lost every value unnoticed, its loss
    counted as expected (the column looked like one the migration created).

    Attributes:
        tables: ``(old, new)`` table names, in file order.
        columns: ``(table, old, new)`` column names; ``table`` as the statement names it.
    """

    tables: tuple[tuple[str, str], ...] = ()
    columns: tuple[tuple[str, str, str], ...] = ()

    def inverse(self) -> Renames:
        """The renames seen from the other side (a rollback of the file that made them).

        In reverse order: undoing a chain (a -> tmp, b -> a, tmp -> b) starts at its end.
        """
        forward = {old.lower(): new for old, new in self.tables}
        return Renames(
            tuple((new, old) for old, new in reversed(self.tables)),
            tuple((forward.get(t.lower(), t), new, old) for t, old, new in reversed(self.columns)),
        )

    def then_undoing(self, forward: Renames) -> Renames:
        """A rollback's own renames, then the inverse of its migration's where it has none.

        The inverse matches the data of a rollback that undoes a rename without renaming
        (drops the column and adds it back empty: every value lost). Where the rollback
        renames columns of a table itself, its own renames say where the values went; the
        inverse over them would apply each rename twice.
        """
        back = forward.inverse()
        own = {t.lower() for t, _, _ in self.columns}
        return Renames(
            self.tables + back.tables,
            self.columns + tuple(c for c in back.columns if c[0].lower() not in own),
        )

    def reach(self, tables: Iterable[str] | None) -> list[str] | None:
        """``tables`` and the names the renames give them (``None``: every table).

        A step's rows are read after it under the names they then have: reading only the
        old names found a renamed table empty, and a rename looked like every row lost.
        """
        if tables is None:
            return None
        found = list(tables)
        seen = {t.lower() for t in found}
        for old, new in self.tables:  # file order, so chains (a -> b -> c) follow through
            if old.lower() in seen and new.lower() not in seen:
                found.append(new)
                seen.add(new.lower())
        return found

    def __add__(self, other: Renames) -> Renames:
        return Renames(self.tables + other.tables, self.columns + other.columns)


def renames_in(statements: Iterable[Statement]) -> Renames:
    """The ``ALTER TABLE … RENAME [COLUMN]`` statements of a file, names as SQLite reads them.

    A column moved by hand counts as a rename too (:func:`_moves_in`): its values are
    matched under the new name, so what the move did to them is compared, not dropped.
    """
    statements = list(statements)
    tables: list[tuple[str, str]] = []
    columns: list[tuple[str, str, str]] = []
    for statement in statements:
        rename = renamed(statement.sql)
        if rename is None:
            continue
        table, column, new = rename
        if column is None:
            tables.append((table, new))
        else:
            columns.append((table, column, new))
    return Renames(tuple(tables), tuple(columns) + _moves_in(statements))


def _moves_in(statements: list[Statement]) -> tuple[tuple[str, str, str], ...]:
    """``(table, old, new)`` for a column the file moves: ADD new, UPDATE SET new = old, DROP old.

    SQLite's way to change a column's type without a rebuild since DROP COLUMN (3.35):
    ``ADD COLUMN postal_number INTEGER``, ``UPDATE customers SET postal_number =
    postal_code`` (every row: no ``WHERE``), ``DROP COLUMN postal_code``. The old column
    looked dropped on purpose and the new one filled by the file, so what the copy did to
    the values went unseen (INTEGER affinity turns ``'00501'`` into 501). Only a bare
    column, a ``CAST`` of it, or it times or over a number (a unit change: ``ADD
    price_cents``, ``SET price_cents = CAST(price * 100 AS INTEGER)``, ``DROP price``,
    which truncates 19.99 to 1998) counts: any other expression is a new value the file
    computes (``strftime('%s', created_at)``), not the old one moved.
    """
    added: set[tuple[str, str]] = set()
    moved: dict[tuple[str, str], tuple[str, str, str]] = {}
    found: list[tuple[str, str, str]] = []
    for statement in statements:
        altered = altered_column(statement.sql)
        if altered is not None:
            table, verb, column = altered
            key = (table.lower(), column.lower())
            if verb == "ADD":
                added.add(key)
            elif key in moved:
                found.append(moved.pop(key))
            continue
        for table, old, new in _copied_columns(statement):
            if (table.lower(), new.lower()) in added:
                moved[(table.lower(), old.lower())] = (table, old, new)
    return tuple(found)


def _copied_columns(statement: Statement) -> list[tuple[str, str, str]]:
    """``(table, old, new)`` for each ``SET new = old`` of an UPDATE of every row.

    ``CAST(old AS …)`` counts as ``old``: the cast is what the move does to the value.
    """
    if statement.keywords[:1] != ("UPDATE",):
        return []
    try:
        tree = parsing.parse_one(statement.sql)
    except sqlglot.errors.SqlglotError:
        return []
    if not isinstance(tree, exp.Update) or tree.args.get("where") or tree.args.get("from"):
        return []
    table = tree.this.name if isinstance(tree.this, exp.Table) else ""
    found = []
    for assignment in tree.expressions:
        if not isinstance(assignment, exp.EQ) or not isinstance(assignment.this, exp.Column):
            continue
        value = _moved_value(assignment.expression)
        if isinstance(value, exp.Column) and value.table in ("", table) and table:
            found.append((table, value.name, assignment.this.name))
    return found


def _moved_value(value: exp.Expr) -> exp.Expr:
    """The column a move's value is, through a ``CAST``, a ``ROUND`` and a unit's scale.

    ``CAST(ROUND(price * 100) AS INTEGER)`` is ``price`` in cents: what the cast, the
    rounding and the scale do to each value is the move's, judged as its cut
    (:func:`~migration_harness.checks.loss.cut_values`). ``price * qty`` is no move.
    """
    while True:
        if isinstance(value, exp.Cast | exp.Paren) or (
            isinstance(value, exp.Round) and value.args.get("decimals") is None
        ):
            value = value.this
        elif isinstance(value, exp.Mul) and _is_number(value.this):
            return cast(exp.Expr, value.expression)
        elif isinstance(value, exp.Mul | exp.Div) and _is_number(value.expression):
            return cast(exp.Expr, value.this)
        else:
            return value


def _is_number(value: exp.Expr) -> bool:
    """Whether ``value`` is a numeric literal (a unit's scale: 100, 100.0, 1000)."""
    return isinstance(value, exp.Literal) and value.is_number


def _renamed_table(
    key: str, renames: Renames, old_tables: Mapping[str, Table], new_tables: Mapping[str, Table]
) -> str:
    """Where table ``key`` lives after the step.

    A real rename (old name gone, new one appeared) moves it; a rebuild's ``RENAME`` of a
    scratch table over the old name leaves ``key`` where it is.
    """
    if key in new_tables:
        return key
    for old, new in renames.tables:
        if old.lower() == key and new.lower() in new_tables and new.lower() not in old_tables:
            return new.lower()
    return key


def _aliased_columns(
    keys: tuple[str, str],
    columns: tuple[str, ...],
    new_columns: tuple[str, ...],
    renames: Renames,
) -> tuple[str, ...]:
    """``new_columns`` with each renamed column called by its old name again.

    A column of the old name that is there after the step was added again after the
    rename (openstatus 0004: ``RENAME COLUMN updated_at TO created_at``, then ``ADD
    updated_at``): it is a new, empty column, so it is renamed out of the way, and the
    old values are matched under the name they moved to.
    """
    new = {c.lower() for c in new_columns}
    # current name -> the column it was before the step, followed through the file's
    # renames in order: a chain (a -> b -> c) and a swap through a spare name (a -> tmp,
    # b -> a, tmp -> b: each value kept under the other name) end where SQLite left them
    origin = {c.lower(): c for c in columns}
    for table, was, now in renames.columns:
        if table.lower() in keys and was.lower() in origin:
            origin[now.lower()] = origin.pop(was.lower())
    alias = {now: was for now, was in origin.items() if now != was.lower() and now in new}
    again = {was.lower() for was in alias.values()}
    return tuple(
        alias.get(c.lower(), f"{c} (added again)" if c.lower() in again else c) for c in new_columns
    )


def compare(
    before: Rows,
    before_schema: Schema,
    after: Rows,
    after_schema: Schema,
    *,
    intended: Iterable[str] = (),
    renames: Renames | None = None,
) -> Loss:
    """What happened to the data of ``before`` across a step.

    Args:
        before: contents read before the step.
        before_schema: the schema before the step.
        after: contents read after the step.
        after_schema: the schema after the step.
        intended: tables the step's own SQL writes with UPDATE/DELETE/REPLACE; changes there
            are the file's purpose (a data migration), not loss.
        renames: tables and columns the step renamed (:func:`renames_in`): their data is
            matched under the new name instead of counting as dropped.
    """
    skip = {t.lower() for t in intended}
    moves = renames or Renames()
    old_tables, new_tables = table_map(before_schema), table_map(after_schema)
    problems: list[str] = []
    rows_lost = cells = expected_rows = expected_cells = 0
    changes: list[Change] = []
    lost_rows: list[LostRow] = []
    for key, (columns, rows) in before.items():
        target = _renamed_table(key, moves, old_tables, new_tables)
        if target not in new_tables:
            expected_rows += len(rows)
            continue
        new_cols, new_rows = after.get(target, ((), []))
        new_cols = _aliased_columns((key, target), columns, new_cols, moves)
        surviving = {n.lower() for n in new_cols}  # once per table, not once per column
        kept = [c for c in columns if c.lower() in surviving]
        expected_cells += (len(columns) - len(kept)) * len(rows)
        if key in skip or not rows:
            continue
        table = old_tables[key]
        lost, changed, messages = _table_loss(
            table, columns, rows, new_cols, new_rows, kept, new_tables[target], changes, lost_rows
        )
        rows_lost += lost
        cells += changed
        problems.extend(messages)
    return Loss(
        tuple(problems),
        rows_lost,
        cells,
        expected_rows,
        expected_cells,
        tuple(changes),
        _collapsed(changes, before, old_tables),
        tuple(lost_rows),
    )


def _collapsed(
    changes: list[Change], before: Rows, tables: Mapping[str, Table]
) -> frozenset[tuple[str, str]]:
    """The changed columns where two distinct values now read the same.

    A rewrite that maps ``'a'`` and ``'b'`` both to ``'x'`` (or ``'a'`` to a ``'x'`` another
    row already held) cannot be undone: the rows no longer say what they held.
    """
    found: set[tuple[str, str]] = set()
    by_column: dict[tuple[str, str], dict[tuple[str, Value], tuple[str, Value]]] = {}
    for change in changes:
        key = (change.table.lower(), change.column.lower())
        by_column.setdefault(key, {})[_norm(change.old)] = _norm(change.new)
    for (table, column), rewritten in by_column.items():
        columns, rows = before.get(table, ((), []))
        position = {c.lower(): i for i, c in enumerate(columns)}.get(column)
        if position is None or table not in tables:
            continue
        olds = {_norm(row[position]) for row in rows}
        images: dict[tuple[str, Value], set[tuple[str, Value]]] = {}
        for old in olds:
            images.setdefault(rewritten.get(old, old), set()).add(_meaning(old))
        if any(len(sources) > 1 for sources in images.values()):
            found.add((table, column))
    return frozenset(found)


def _meaning(value: tuple[str, Value]) -> tuple[str, Value]:
    """A normalised value, with blank text and NULL as one: both say "empty".

    ``CASE height WHEN '' THEN NULL …`` merges ``''`` into NULL; no row says less than before.
    """
    kind, raw = value
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ("NoneType", None)
    return (kind, raw)


def _table_loss(
    table: Table,
    columns: tuple[str, ...],
    rows: list[tuple[Value, ...]],
    new_columns: tuple[str, ...],
    new_rows: list[tuple[Value, ...]],
    kept: list[str],
    new_table: Table,
    changes: list[Change],
    lost_rows: list[LostRow],
) -> tuple[int, int, list[str]]:
    """Rows lost and cells changed in one surviving table.

    Each change is added to ``changes`` and each lost row (up to :data:`MAX_KEPT`) to
    ``lost_rows``.
    """
    old_pos = {c.lower(): i for i, c in enumerate(columns)}
    new_pos = {c.lower(): i for i, c in enumerate(new_columns)}
    pk = [c for c in table.primary_key if c.lower() in new_pos]
    same_key = (
        pk
        and len(pk) == len(table.primary_key)
        and ([c.lower() for c in new_table.primary_key] == [c.lower() for c in pk])
    )
    respell = _respeller(table, new_table, kept)
    if same_key:
        renumbers = len(pk) == 1 and (new_table.rowid_alias or "").lower() == pk[0].lower()
        found = _keyed_loss(
            table.name, pk, kept, rows, new_rows, (old_pos, new_pos), changes, respell
        )
        if renumbers and found[3]:
            found = _renumbered(
                table.name,
                pk[0],
                kept,
                found,
                (rows, new_rows),
                (old_pos, new_pos),
                changes,
                respell,
            )
        lost_rows += [
            LostRow(table.name, new_table.name, columns, row) for row in found[3][:MAX_KEPT]
        ]
        return found[:3]
    before = Counter(_norm_row(respell(c, r[old_pos[c.lower()]]) for c in kept) for r in rows)
    after = Counter(_norm_row(r[new_pos[c.lower()]] for c in kept) for r in new_rows)
    missing = before - after
    first = len(changes)
    paired = _paired_changes(table.name, kept, missing, after - before, changes)
    count = sum(missing.values())
    changed = [
        f"{table.name}: row without a key: {c.column} changed"
        + ("" if are_hidden() else f" from {sql_literal(c.old)} to {sql_literal(c.new)}")
        for c in changes[first:][:MAX_REPORTED]
    ]
    lost_rows += [
        LostRow(table.name, new_table.name, tuple(kept), tuple(v for _, v in row))
        for row in list(missing.elements())[:MAX_KEPT]
    ]
    if are_hidden():  # no key to name it by, and its values stay private
        shown = min(count, MAX_REPORTED)
        messages = [f"{table.name}: row (no primary key, values hidden) is lost or changed"] * shown
        return count, paired, messages + changed
    messages = [
        f"{table.name}: row ({_show_row(kept, row)}) is lost or changed"
        for row in list(missing)[:MAX_REPORTED]
    ]
    return count, paired, messages + changed


_Normed = tuple[tuple[str, Value], ...]  # a row as :func:`_norm_row` gives it


def _paired_changes(
    table: str,
    kept: list[str],
    missing: Counter[_Normed],
    extra: Counter[_Normed],
    changes: list[Change],
) -> int:
    """Match rows of a keyless table that a step changed rather than lost; cells changed.

    Without a key a row whose ``scene_index`` a copy rewrote (stash 8's ``CAST(scene_index
    AS tinyint)``) reads as one row gone and another come. A gone row is taken as changed
    when it and exactly one new row are each other's only closest match (fewest differing
    columns, at least one column the same) and neither repeats: its changes join
    ``changes`` (so the file's declared rewrites are judged on them, and a destroyed value
    stays a loss) and both rows leave ``missing``/``extra``. Anything ambiguous stays lost.
    """
    if len(missing) > MAX_KEPT or len(extra) > MAX_KEPT:
        return 0  # quadratic matching; beyond this many rows they stay lost, as before
    cells = 0
    for old in list(missing):
        match = _closest(old, extra, len(kept))
        if len(match) != 1 or missing[old] > 1 or extra[match[0]] > 1:
            continue
        (new,) = match
        if _closest(new, missing, len(kept)) != [old]:
            continue
        for i in _differing(old, new):
            changes.append(Change(table, kept[i], old[i][1], new[i][1]))
            cells += 1
        del missing[old], extra[new]
    return cells


def _differing(old: _Normed, new: _Normed) -> list[int]:
    """Positions where two rows of the same columns differ."""
    return [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]


def _closest(row: _Normed, pool: Iterable[_Normed], width: int) -> list[_Normed]:
    """The rows of ``pool`` that differ from ``row`` in fewest columns (not 0, not all)."""
    scored = [(len(_differing(row, other)), other) for other in pool]
    scored = [(n, other) for n, other in scored if 0 < n < width]
    best = min((n for n, _ in scored), default=0)
    return [other for n, other in scored if n == best]


Respell = Callable[[str, Value], Value]


def _respeller(table: Table, new_table: Table, kept: list[str]) -> Respell:
    """How a kept column's old value reads under the new column's affinity, where lossless.

    A rebuild that retypes a column (``id INTEGER`` -> ``id TEXT``) has SQLite store 1000 as
    '1000': the same value, respelled, and no loss. A conversion that cannot be undone
    ('007' -> 7) is left as the old value, so it still compares unequal.
    """
    was = {c.name.lower(): c.affinity for c in table.columns}
    now = {c.name.lower(): c.affinity for c in new_table.columns}
    moved = {
        c.lower(): (was[c.lower()], now[c.lower()])
        for c in kept
        if c.lower() in was and c.lower() in now and was[c.lower()] != now[c.lower()]
    }

    def respell(column: str, value: Value) -> Value:
        affinities = moved.get(column.lower())
        if affinities is None:
            return value
        lossless, stored = respelled(value, *affinities)
        return stored if lossless else value

    return respell


def _keyed_loss(
    table: str,
    pk: list[str],
    kept: list[str],
    rows: list[tuple[Value, ...]],
    new_rows: list[tuple[Value, ...]],
    positions: tuple[Mapping[str, int], Mapping[str, int]],
    changes: list[Change],
    respell: Respell,
) -> tuple[int, int, list[str], list[tuple[Value, ...]]]:
    """Match rows by primary key; name each lost row and each changed value.

    Returns the counts, the sentences and the lost rows themselves.
    """
    old_pos, new_pos = positions
    index = {_norm_row(r[new_pos[c.lower()]] for c in pk): r for r in new_rows}
    lost = changed = 0
    messages: list[str] = []
    gone: list[tuple[Value, ...]] = []
    # Positions once per table, not per row and column.
    places = [(column, old_pos[column.lower()], new_pos[column.lower()]) for column in kept]
    key_places = [old_pos[c.lower()] for c in pk]
    for row in rows:
        raw_key = [row[at] for at in key_places]
        match = index.get(_norm_row(respell(c, v) for c, v in zip(pk, raw_key, strict=True)))
        if match is None:
            lost += 1
            gone.append(row)
            if len(messages) < MAX_REPORTED:
                messages.append(f"{table}: row {_label(pk, raw_key)} is lost")
            continue
        for column, was_at, now_at in places:
            old, new = row[was_at], match[now_at]
            if type(old) is type(new) and old == new:
                continue  # equal as stored: _norm would say so, at a cost per cell
            if _norm(old) != _norm(new) and _norm(respell(column, old)) != _norm(new):
                changed += 1
                changes.append(Change(table, column, old, new))
                if len(messages) < MAX_REPORTED:
                    values = (
                        "" if are_hidden() else f" from {sql_literal(old)} to {sql_literal(new)}"
                    )
                    label = _label(pk, raw_key)
                    messages.append(f"{table}: row {label}: {column} changed{values}")
    return lost, changed, messages, gone


def _label(pk: list[str], key: list[Value]) -> str:
    """``id=1`` for a row's key: spelt only for a message (most rows need none)."""
    return ", ".join(f"{c}={sql_literal(v)}" for c, v in zip(pk, key, strict=True))


_Keyed = tuple[int, int, list[str], list[tuple[Value, ...]]]  # what _keyed_loss returns


def _renumbered(
    table: str,
    key: str,
    kept: list[str],
    found: _Keyed,
    contents: tuple[list[tuple[Value, ...]], list[tuple[Value, ...]]],
    positions: tuple[Mapping[str, int], Mapping[str, int]],
    changes: list[Change],
    respell: Respell,
) -> _Keyed:
    """``found`` with the rows a copy numbered again changed in ``key``, not lost.

    Only where every other kept column of the row came back the same under a key no old row
    had (:mod:`~migration_harness.data.renumbered`); the change of key joins ``changes``, so
    whether the file said so, and whether anything pointed at the old id, is judged there.
    "The same" is read as :func:`_keyed_loss` reads it: a column the rebuild retyped
    compares respelled (trip2g's ``chat_type string`` became ``text``, so ``0`` is ``'0'``).
    """
    lost, changed, messages, gone = found
    rows, new_rows = contents
    old_pos, new_pos = positions
    others = [c for c in kept if c.lower() != key.lower()]
    if not others:
        return found
    old_keys = {_norm(r[old_pos[key.lower()]]) for r in rows}

    def new_values(row: tuple[Value, ...]) -> _Normed:
        return _norm_row(row[new_pos[c.lower()]] for c in others)

    def old_values(row: tuple[Value, ...]) -> _Normed:
        return _norm_row(respell(c, row[old_pos[c.lower()]]) for c in others)

    spare = [(new_values(r), r) for r in new_rows if _norm(r[new_pos[key.lower()]]) not in old_keys]
    pairs = pair_renumbered([(old_values(r), r) for r in gone], spare)
    if not pairs:
        return found
    moved = {id(old) for old, _ in pairs}
    gone = [r for r in gone if id(r) not in moved]
    said = {
        f"{table}: row {key}={sql_literal(old[old_pos[key.lower()]])} is lost" for old, _ in pairs
    }
    messages = [m for m in messages if m not in said]
    for old, new in pairs:
        was, now = old[old_pos[key.lower()]], new[new_pos[key.lower()]]
        changes.append(Change(table, key, was, now))
        if len(messages) < MAX_REPORTED:
            again = f"{key} changed to {sql_literal(now)}"
            messages.append(f"{table}: row {key}={sql_literal(was)} is numbered again: {again}")
    return lost - len(pairs), changed + len(pairs), messages, gone


def _norm(value: Value) -> tuple[str, Value]:
    """Compare as SQLite stores: 1 and 1.0 are equal numbers; '1' and 1 are not.

    TEXT that is not UTF-8 (:class:`RawText`) compares by its bytes and never equals a
    BLOB of the same bytes; a NaN (never stored by SQLite, but computed) equals itself.
    """
    if isinstance(value, float) and math.isnan(value):
        return ("nan", None)
    if isinstance(value, bool):
        return ("n", int(value))
    if isinstance(value, float) and value.is_integer():
        return ("n", int(value))
    if isinstance(value, (int, float)):
        return ("n", value)
    return (type(value).__name__, value)


def _norm_row(values: Iterable[Value]) -> tuple[tuple[str, Value], ...]:
    """A row as a tuple of normalised values."""
    return tuple(_norm(v) for v in values)


def _show_row(columns: list[str], row: tuple[tuple[str, Value], ...]) -> str:
    """``id=1, name='x'`` for a normalised row."""
    return ", ".join(f"{c}={sql_literal(v)}" for c, (_, v) in zip(columns, row, strict=True))


def written_tables(statements: Iterable[Statement]) -> set[str]:
    """Tables a file changes rows of on purpose (UPDATE, DELETE, REPLACE, upsert)."""
    found = (written_table(statement.sql) for statement in statements)
    return {table.lower() for table in found if table is not None}
