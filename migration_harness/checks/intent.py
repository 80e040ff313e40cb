"""What a file says it does to the data, read from its SQL with sqlglot.

A value a migration changes on purpose is not lost: ``INSERT INTO new_users SELECT id,
COALESCE(phone, '') FROM users`` rewrites ``phone`` because the file says so, and so does a
table the file drops and re-creates by name. Such a change is a ``data_loss`` *warning*
(MH142) naming the expression, unless the rewrite destroys what the row held: real text
became NULL with its value kept in no other column of the row, distinct values became one,
text was cut, a number lost its fraction, a row vanished (``CAST('+1 415 555 0101' AS
INTEGER)`` is 1: a loss, not a choice). Those stay MH141. Not destroyed: a mapping that is
one-to-one over every value the column's CHECK allows (``CASE LOWER(priority) WHEN 'low'
THEN 2 …``), blank text becoming NULL (both say "empty"), a value the copy moves to another
column of the same row.

A table the file drops and re-creates by name without reading its rows first (``DROP
TABLE smtp; CREATE TABLE smtp (…)``: no copy, no rename, no ``INSERT … SELECT`` from it)
says it discards them: its rows lost on the forward apply are MH142, as a ``DELETE``
without ``WHERE`` is. Rows lost in any other table (what the ``DROP`` cascades to), in a
rollback (whose job is to restore rows) or by a file that copies the rows out and back
stay MH141. One the file refills from other tables holding rows (a summary, an FTS5
index: :mod:`migration_harness.checks.refills`) is not re-created empty: the MH142 names
the refill.
"""

from __future__ import annotations

import contextlib
import json
import math
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

import sqlglot
from sqlglot import exp

from migration_harness.checks.cascade import Cascade, cascade_of_delete
from migration_harness.checks.mapping import maps_apart, nulls_real_text, numbers_from_text
from migration_harness.checks.recreated import (
    recreated_empty,
    recreated_tables,
    renamed_into_place,
)
from migration_harness.checks.refills import refilled_tables
from migration_harness.data.columns import is_timestamp
from migration_harness.data.rows import Change, Loss, renames_in
from migration_harness.schema.constraints import rules_for
from migration_harness.schema.model import Schema, table_map
from migration_harness.sets import parsing
from migration_harness.sets.sql import Statement
from migration_harness.sets.tokens import altered_column

LOSS: str = "MH141"
REWRITE: str = "MH142"


@dataclass(frozen=True, slots=True)
class LossVerdict:
    """The code of a ``data_loss`` finding and, for a declared rewrite, what declared it."""

    code: str
    declared: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Rewrite:
    """What a copy's select list fills one column with.

    Attributes:
        expression: the expression (never a plain column reference).
        kept_in: other columns of the new row that copy this column's old value as it was:
            ``SELECT …, NULL, created_at`` into ``(…, created_at, persisted_at)`` moves the
            value, it does not lose it.
    """

    expression: exp.Expr
    kept_in: tuple[str, ...] = ()

    def describe(self, table: str, column: str) -> str:
        """``users.phone = COALESCE(phone, '')``, and where a moved value went."""
        said = f"{table}.{column} = {self.expression.sql('sqlite')}"
        if self.kept_in:
            said += f" (its value moves to {', '.join(self.kept_in)})"
        return said


def judge_loss(
    loss: Loss,
    statements: Iterable[Statement],
    before: Schema,
    after: Schema,
    table: str | None = None,
    *,
    forward: bool = False,
    text: str = "",
) -> LossVerdict:
    """MH142 when every change is one the file declares and none destroys a value.

    Args:
        loss: what the step lost or changed.
        statements: the step's file.
        before: the schema before the step (what values a column could hold).
        after: the schema after it (column order of tables filled without a column list).
        table: the one table ``loss`` is about, when it is about one: rows its foreign
            keys remove with the rows the file's own ``DELETE`` removes are declared.
        forward: ``statements`` is the migration applied forward (not a rollback, not a
            re-apply): only there does a table it re-creates empty say its rows go, and
            its children's rows with them (through their foreign keys' actions).
        text: the forward file as written, for a copy it shows commented out
            (:func:`~migration_harness.checks.recreated.recreated_empty`).

    """
    statements = list(statements)
    empty = recreated_empty(statements, text) if forward and table is not None else {}
    cascade = (
        cascade_of_delete(table, statements, before, emptied=set(empty.values()))
        if table is not None
        else None
    )
    unlinked = cascade.nulls if cascade is not None else frozenset()
    declared: set[str] = set()
    if loss.rows_lost:
        if table is not None and table.lower() in empty:
            gone = f"DROP TABLE {empty[table.lower()]} … CREATE TABLE {table}"
            refill = refilled_tables(statements, before, after).get(table.lower())
            why = refill.describe() if refill is not None else "the file re-creates it empty"
            new = renamed_into_place(statements).get(table.lower())
            if new is not None:
                gone = f"DROP TABLE {empty[table.lower()]} … ALTER TABLE {new} RENAME TO {table}"
                why = "the file shows its copy of the rows commented out"
            declared.add(f"{gone}: {why}")
        elif cascade is None or not cascade.removes:
            return LossVerdict(LOSS)
        else:
            declared.add(cascade.describe(table or ""))
    # A column the file drops and adds again holds the file's values: that they read alike
    # is what it says (every status 'active'), not a merge of what rows held.
    readded = readded_columns(statements)
    collapsed = {column for key, column in loss.collapsed if (key, column) not in readded}
    if collapsed - unlinked or not (loss.changes or declared):
        return LossVerdict(LOSS)
    words = _FileWords(
        declared_rewrites(statements, after),
        recreated_tables(statements),
        renumbering_copies(statements, after),
        readded,
        before,
        cascade,
    )
    for change in loss.changes:
        said = _judge_change(change, words)
        if isinstance(said, LossVerdict):
            return said
        declared.add(said)
    return LossVerdict(REWRITE, tuple(sorted(declared)))


@dataclass(frozen=True, slots=True)
class _FileWords:
    """What one file says it does to the data, read once for all of a loss's changes."""

    rewrites: dict[tuple[str, str], Rewrite]
    recreated: set[str]
    renumbered: set[tuple[str, str]]
    readded: set[tuple[str, str]]
    before: Schema
    cascade: Cascade | None


def _judge_change(change: Change, words: _FileWords) -> str | LossVerdict:
    """What the file says about one changed value, or the MH141 verdict it does not cover."""
    table, column = change.table.lower(), change.column.lower()
    cascade = words.cascade
    if cascade is not None and column in cascade.nulls and change.new is None:
        return cascade.describe(change.table)
    rewrite = words.rewrites.get((table, column))
    if rewrite is None and (table, column) in words.readded:
        return f"{change.table}.{change.column} is dropped and added again by the file"
    if rewrite is None and (table, column) in words.renumbered:
        return f"the copy into {change.table} leaves {change.column} out: SQLite numbers it again"
    if rewrite is None:
        if table not in words.recreated or destroys(change):
            return LossVerdict(LOSS)
        return f"{change.table} is dropped and re-created by the file"
    if not rewrite.kept_in:
        tables = table_map(words.before)
        rule = rules_for(tables[table]).get(column) if table in tables else None
        reason = _destroys_declared(rewrite.expression, change, rule.choices if rule else None)
        if reason is not None:
            return LossVerdict(LOSS, reason=reason)
    return rewrite.describe(change.table, change.column)


def _destroys_declared(
    expression: exp.Expr, change: Change, choices: tuple[object, ...] | None
) -> str | None:
    """Why a rewrite the file states destroys what the row held; ``None``: it does not.

    Decided from the expression where SQLite can evaluate it: a mapping one-to-one over every
    value the column may hold (its CHECK, or the values ``pools`` says the application
    writes) keeps them all apart, whatever it maps them to; a rewrite that turns non-blank
    text into NULL, or text that is no number into a number, destroys it even when the
    shrunk example only shows ``''`` becoming NULL or ``'0'`` becoming 0.
    """
    if choices and change.old in choices and maps_apart(expression, choices):
        return None
    said = expression.sql("sqlite")
    old, new = change.old, change.new
    # the value reads the same, and only its leading zeros went
    zeros = isinstance(old, str) and isinstance(new, int | float) and destroys(change)
    if zeros and isinstance(old, str) and _float_or_none(old) == new:
        return f"{said} drops the leading zeros: {old!r} becomes {new!r}"
    if isinstance(change.old, str):
        numbered = numbers_from_text(expression)
        if numbered is not None:
            text, number = numbered
            return f"{said} turns text that is no number into one: {text!r} becomes {number!r}"
        if change.new is None and nulls_real_text(expression):
            return f"{said} turns text that is not blank into NULL"
    if isinstance(old, float) and isinstance(new, int | float) and _decimal_shift(old, new):
        shifted = _decimal_scaled(old)
        whole = f", not {shifted[1]}" if shifted else ""
        short = "truncates a float that falls short of a whole number"
        return f"{said} {short}: {old!r} becomes {new!r}{whole}"
    if destroys(change) or _merges(expression, change, choices):
        return ""
    return None


def _merges(expression: exp.Expr, change: Change, choices: tuple[object, ...] | None) -> bool:
    """A ``CASE`` that passes other values through and maps into a value they may hold.

    ``CASE WHEN type = 'video' THEN 'pdf' ELSE type END`` under ``CHECK (type IN ('video',
    'pdf', …))``: rows that held ``'pdf'`` keep it, so ``'video'`` and ``'pdf'`` become one
    value, even when the shrunk example holds a single row.
    """
    if not isinstance(expression, exp.Case) or choices is None or change.new not in choices:
        return False
    default = expression.args.get("default")
    if not isinstance(default, exp.Column) or default.name.lower() != change.column.lower():
        return False
    compared = {
        literal.this
        for branch in expression.args.get("ifs", [])
        for literal in branch.args["this"].find_all(exp.Literal)
    }
    return str(change.new) not in compared


def destroys(change: Change) -> bool:
    """Whether the new value no longer says what the old one held."""
    old, new = change.old, change.new
    if old is None:
        return False
    if new is None:
        return not (isinstance(old, str) and not old.strip())  # '' and NULL both say "empty"
    if isinstance(old, str) and isinstance(new, str):
        if _json_members_lost(old, new):
            return True
        return len(new) < len(old) and new in old and new != old.strip()
    if isinstance(old, str) and isinstance(new, int | float):
        return not (_reads_as(old, new) or same_instant(old, new))
    if isinstance(old, float) and isinstance(new, int | float) and not old.is_integer():
        shifted = _decimal_shift(old, new)
        if shifted is not None:
            return shifted
        return new in (math.trunc(old), round(old), math.floor(old), math.ceil(old))
    if isinstance(old, int) and not isinstance(old, bool) and isinstance(new, int | float):
        # A time column divided by 1000 changes its unit (milliseconds back to seconds,
        # takemetothefair 0045 "fix timestamp columns back to seconds"): the sub-second
        # part is what the file means to drop, as with strftime('%s', …) over a time.
        return _divided_away(old, new) and not is_timestamp(change.column.lower())
    return False


def _divided_away(old: int, new: float) -> bool:
    """Whether ``new`` is ``old`` over 100 or 1000 in SQLite's integer division.

    ``price_cents / 100`` divides two integers, so SQLite truncates: 1999 cents become 19
    dollars, not 19.99 (``/ 100.0`` keeps them). Only a quotient that is not zero and a
    remainder that is: a value that only happens to be small (``max(stock - 10, 0)``
    turning 5 into 0) is no division.
    """
    for scale in (100, 1000):
        quotient = abs(old) // scale * (1 if old >= 0 else -1)
        if old % scale and quotient and new == quotient:
            return True
    return False


_DECIMAL_SCALES: Final = (10, 100, 1000, 10_000)


def _decimal_shift(old: float, new: float) -> bool | None:
    """Whether a number moved to a smaller unit (dollars to cents) lost a unit on the way.

    ``old`` written with a few decimals (19.99) times a power of ten is a whole number
    (1999) up to the float's error: ``new`` equal to it is the same amount in cents
    (``False``: nothing lost, even where it equals the old value's ceiling, 0.01 to 1);
    ``new`` one short of it is ``CAST(amount * 100 AS INTEGER)`` truncating
    1998.9999999999998, a cent gone from every such price (``True``). ``None``: no such
    scale, or ``new`` is neither.
    """
    shifted = _decimal_scaled(old)
    if shifted is None:
        return None
    scaled, exact = shifted
    if new == exact:
        return False
    return True if new == math.trunc(scaled) else None


def _decimal_scaled(old: float) -> tuple[float, int] | None:
    """``old`` times the first power of ten that makes it whole, and that whole number."""
    for scale in _DECIMAL_SCALES:
        scaled = old * scale
        exact = round(scaled)
        if abs(scaled - exact) <= 1e-9 * max(1.0, abs(exact)):
            return scaled, exact
    return None


def _json_members_lost(old: str, new: str) -> bool:
    """Whether a JSON object lost members whose values the new JSON holds nowhere.

    ``json_object('theme', json_extract(prefs, '$.theme'))`` rebuilds the settings from
    the keys it names and drops every other one: the text is not cut (no substring rule
    sees it), yet what the row held is gone. A key renamed with its value kept
    (``{"colour": "red"}`` to ``{"color": "red"}``) loses nothing.
    """
    if not old.lstrip().startswith("{"):
        return False
    try:
        before, after = json.loads(old), json.loads(new)
    except ValueError:
        return False
    if not isinstance(before, dict):
        return False
    kept = after if isinstance(after, dict) else {}
    found = set(_json_leaves(after))
    return any(
        key not in kept and _json_dump(value) not in found and value not in (None, "", [], {})
        for key, value in before.items()
    )


def _json_leaves(value: object) -> Iterator[str]:
    """Every value inside ``value`` (and itself), as canonical JSON text."""
    yield _json_dump(value)
    if isinstance(value, dict):
        for item in value.values():
            yield from _json_leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_leaves(item)


def _json_dump(value: object) -> str:
    """Canonical JSON text of ``value``: equal values compare equal."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _float_or_none(text: str) -> float | None:
    """``text`` as SQLite's numeric reading would have it, or ``None``."""
    try:
        return float(text.strip())
    except ValueError:
        return None


def same_instant(text: str, number: float) -> bool:
    """Whether ``number`` is the instant the time ``text`` names, as SQLite reads it.

    Unix seconds (``unixepoch(t)``, ``strftime('%s', t)``), milliseconds (drizzle's
    ``timestamp_ms``) or the Julian day: ``'2020-01-01 00:00:00'`` becomes 1577836800 and
    names the same moment, so the text's value is kept in another form. Text that is no
    time, or a number that is another instant, says something else; so does a bare number
    (``'00501'``), which SQLite would read as a Julian day.
    """
    if text.strip().lstrip("+-").replace(".", "", 1).isdigit():
        return False
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        seconds, day = conn.execute(
            "SELECT strftime('%s', ?) + 0, julianday(?)", (text, text)
        ).fetchone()
    if seconds is None:
        return False
    return number in (seconds, seconds * 1000) or (day is not None and number == day)


def _reads_as(text: str, number: float) -> bool:
    """``'42'`` reads as 42; ``'+1 415 555 0101'`` does not read as 1, nor ``'007'`` as 7.

    Leading zeros are part of what the text says (a postal code, an account number, a
    zero-padded id): the number keeps the value and drops them, and ``'00501'`` and
    ``'501'`` become one. A trailing zero of a fraction (``'1.50'``) is formatting only.
    """
    digits = text.strip().lstrip("+-")
    if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
        return False
    try:
        return float(text.strip()) == number
    except ValueError:
        return False


def declared_rewrites(
    statements: Iterable[Statement], schema: Schema
) -> dict[tuple[str, str], Rewrite]:
    """``(table, column)`` -> what an ``INSERT … SELECT`` fills it with.

    Only expressions that are not a plain column reference count (a function, ``CASE``, a
    literal, arithmetic). Tables are named as they are after the file: a rebuild copies into
    ``new_users`` and renames it to ``users``.
    """
    tables = table_map(schema)
    found: dict[tuple[str, str], Rewrite] = {}
    for table, listed, insert in _copies(statements):
        columns = listed
        if not columns and table in tables:
            columns = [c.name.lower() for c in tables[table].columns]
        items = insert.expression.expressions
        if len(items) != len(columns) or any(isinstance(i, exp.Star) for i in items):
            continue
        values = [item.this if isinstance(item, exp.Alias) else item for item in items]
        copies = {
            column: value.name.lower()
            for column, value in zip(columns, values, strict=True)
            if isinstance(value, exp.Column)
        }
        for column, value in zip(columns, values, strict=True):
            if not isinstance(value, exp.Column):
                kept = tuple(other for other, source in copies.items() if source == column)
                found[(table, column)] = Rewrite(value, kept)
    return found


def renumbering_copies(statements: Iterable[Statement], schema: Schema) -> set[tuple[str, str]]:
    """``(table, key)`` where a copy's column list leaves the unreferenced rowid key out.

    ``INSERT INTO sweeps2 (swap_hash, amt) SELECT …`` says SQLite is to number the rows
    again; where no foreign key of ``schema`` references the table, no row of the database
    loses its parent by it. A referenced key stays a loss: its children now name other
    parents, or none.
    """
    tables = table_map(schema)
    referenced = {fk.other_table.lower() for t in tables.values() for fk in t.foreign_keys}
    found: set[tuple[str, str]] = set()
    for table, columns, _ in _copies(statements):
        key = tables[table].rowid_alias if table in tables else None
        if columns and key is not None and key.lower() not in columns and table not in referenced:
            found.add((table, key.lower()))
    return found


def _copies(statements: Iterable[Statement]) -> Iterator[tuple[str, list[str], exp.Insert]]:
    """Each ``INSERT … SELECT``: the table it fills, named as after the file, its columns.

    Each statement's renames count only after it: stash 8 renames movies_scenes away
    *before* it fills the new movies_scenes, and a rebuild fills ``new_users`` that it then
    renames to ``users``.
    """
    statements = list(statements)
    renames = [renames_in([s]).tables for s in statements]
    for at, statement in enumerate(statements):
        insert = _parse(statement.sql)
        if not isinstance(insert, exp.Insert) or not isinstance(insert.expression, exp.Select):
            continue
        table, columns = _insert_target(insert)
        for later in renames[at + 1 :]:
            for old, new in later:
                if old.lower() == table:
                    table = new.lower()
        yield table, columns, insert


def readded_columns(statements: Iterable[Statement]) -> set[tuple[str, str]]:
    """``(table, column)`` the file drops with ``DROP COLUMN`` and later adds again by name.

    ``ALTER TABLE monitor DROP COLUMN status; ALTER TABLE monitor ADD COLUMN status …
    DEFAULT 'active'`` (openstatus 0008) says the old values go, as a bare ``DROP COLUMN``
    does: the new column's values are the file's, whatever they are.
    """
    dropped: set[tuple[str, str]] = set()
    found: set[tuple[str, str]] = set()
    for statement in statements:
        altered = altered_column(statement.sql)
        if altered is None:
            continue
        table, verb, column = altered
        key = (table.lower(), column.lower())
        if verb == "DROP":
            dropped.add(key)
        elif key in dropped:
            found.add(key)
    return found


def _insert_target(insert: exp.Insert) -> tuple[str, list[str]]:
    """The table an INSERT writes (lower-cased) and its column list (empty: all)."""
    target = insert.this
    if isinstance(target, exp.Schema):
        columns = [c.name.lower() for c in target.expressions]
        return target.this.name.lower(), columns
    return target.name.lower(), []


def _parse(sql: str) -> exp.Expr | None:
    """One statement parsed as SQLite; ``None`` for what sqlglot cannot read."""
    try:
        return parsing.parse_one(sql)
    except sqlglot.errors.SqlglotError:
        return None
