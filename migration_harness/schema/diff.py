"""Differences between two schemas, in words a person reads.

A rollback is right when the schema after it equals the schema before the migration. When
it is not, the user needs to know *what* differs (``index idx_x on reviews(a) is missing``),
not that two blobs of SQL differ. Names are matched case-insensitively, as SQLite resolves
them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Final, Literal, TypeVar

from migration_harness.schema.model import (
    Check,
    Column,
    ForeignKey,
    Index,
    Schema,
    Table,
    Trigger,
    View,
    table_map,
)
from migration_harness.schema.spelling import check_key, index_key

T = TypeVar("T")

# What a difference is, for judging whether it changes behaviour (checks/drift.py):
# ``order``: only the columns' order (behaviour only where something relies on position);
# ``type``: a declared type spelt otherwise with the same behaviour (why says how);
# ``spelling``: a name or expression that differs only in identifier case or quoting;
# ``behaviour``: anything else (a missing object, a constraint, an affinity).
Nature = Literal["behaviour", "order", "type", "spelling"]


@dataclass(frozen=True, slots=True)
class Difference:
    """One difference: its sentence, the table it is about, and its nature.

    Attributes:
        text: the sentence (``column t.a: type differs (expected INT, got INTEGER)``).
        table: the table it is about (as the expected schema names it); ``None`` for
            views and triggers.
        nature: see :data:`Nature`.
        why: for a cosmetic difference, why it changes nothing SQLite or a driver does.

    """

    text: str
    table: str | None = None
    nature: Nature = "behaviour"
    why: str = ""


@dataclass(frozen=True, slots=True)
class SchemaDiff:
    """Every difference found; empty when the schemas are equal."""

    items: tuple[Difference, ...]

    @property
    def differences(self) -> tuple[str, ...]:
        """The differences as sentences."""
        return tuple(item.text for item in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def render(self) -> str:
        """One difference per line."""
        return "\n".join(f"- {d}" for d in self.differences)


def diff_schemas(expected: Schema, actual: Schema) -> SchemaDiff:
    """Describe how ``actual`` differs from ``expected``.

    Wording is from the point of view of ``expected``: "is missing" means the expected
    object is absent from ``actual``; "is unexpected" means ``actual`` has an extra one.
    """
    if expected is actual:  # introspection shares one record per distinct schema
        return SchemaDiff(())
    out: list[Difference] = []
    want, got = table_map(expected), table_map(actual)
    for key in sorted(want.keys() - got.keys()):
        out.append(Difference(f"table {want[key].name} is missing", want[key].name))
    for key in sorted(got.keys() - want.keys()):
        out.append(Difference(f"table {got[key].name} is unexpected", got[key].name))
    for key in sorted(want.keys() & got.keys()):
        out.extend(_table_diff(want[key], got[key]))
    out.extend(_named_diff("trigger", expected.triggers, actual.triggers))
    out.extend(_named_diff("view", expected.views, actual.views))
    return SchemaDiff(tuple(out))


def _table_diff(want: Table, got: Table) -> list[Difference]:
    """Differences inside one table: columns, keys, indexes, checks, options."""
    if want is got or want == got:
        return []
    name = want.name
    out: list[str] = []
    cosmetic: list[Difference] = []
    want_cols = {c.name.lower(): c for c in want.columns}
    got_cols = {c.name.lower(): c for c in got.columns}
    for key in want_cols.keys() - got_cols.keys():
        out.append(f"column {name}.{want_cols[key].name} is missing")
    for key in got_cols.keys() - want_cols.keys():
        out.append(f"column {name}.{got_cols[key].name} is unexpected")
    for key in want_cols.keys() & got_cols.keys():
        for text in _column_diff(name, want_cols[key], got_cols[key]):
            why = _same_type_behaviour(want, want_cols[key], got, got_cols[key])
            if text.startswith(f"column {name}.{want_cols[key].name}: type ") and why:
                cosmetic.append(Difference(text, name, "type", why))
            else:
                out.append(text)
    common = [c for c in want_cols if c in got_cols]
    if common != [c for c in got_cols if c in want_cols]:
        order = (
            f"table {name}: column order differs "
            f"(expected {', '.join(want_cols[c].name for c in common)})"
        )
        cosmetic.append(Difference(order, name, "order"))
    out.extend(_fk_diff(name, want.foreign_keys, got.foreign_keys))
    names = frozenset(want_cols) | frozenset(got_cols)
    indexes = _set_diff(
        "index", want.indexes, got.indexes, describe_index, lambda i: index_key(i, names)
    )
    checks = _set_diff(
        f"CHECK on {name}", want.checks, got.checks, _describe_check, lambda c: check_key(c, names)
    )
    for texts, folded in (indexes, checks):
        out.extend(texts)
        cosmetic += [Difference(text, name, "spelling", _SPELLING_WHY) for text in folded]
    for flag in ("strict", "without_rowid", "virtual", "autoincrement"):
        if getattr(want, flag) != getattr(got, flag):
            out.append(
                f"table {name}: {flag.replace('_', ' ')} differs "
                f"(expected {getattr(want, flag)}, got {getattr(got, flag)})"
            )
    found = [Difference(text, name) for text in out] + cosmetic
    return sorted(found, key=lambda d: d.text)


# Declared types drivers convert by name, whatever the affinity: mattn/go-sqlite3 reads
# DATE/DATETIME/TIMESTAMP as time.Time and BOOLEAN as bool; Python's sqlite3 with
# PARSE_DECLTYPES picks a converter by the type's first word (date, timestamp); ORMs map
# JSON columns by it. A spelling in or out of these, or from one to another, changes
# what the application reads.
_DRIVER_TYPES: Final = frozenset(
    {"DATE", "DATETIME", "TIMESTAMP", "TIME", "BOOLEAN", "BOOL", "JSON", "JSONB"}
)


def _same_type_behaviour(want_table: Table, want: Column, got_table: Table, got: Column) -> str:
    """Why two spellings of a column's declared type behave the same; empty when they may not.

    The same affinity stores and compares values alike (sqlite datatype3, section 3.1),
    except where SQLite or a driver reads the spelling itself: ``INTEGER PRIMARY KEY``
    aliases the rowid and ``INT PRIMARY KEY`` does not, STRICT tables check the declared
    type, and drivers convert by it (:data:`_DRIVER_TYPES`).
    """
    if want.affinity != got.affinity or want_table.strict or got_table.strict:
        return ""
    if want_table.rowid_alias != got_table.rowid_alias:
        return ""
    if _driver_word(want.type) or _driver_word(got.type):
        return ""
    return (
        f"both have {want.affinity} affinity, so SQLite stores and compares the values "
        "alike; neither is a rowid alias nor in a STRICT table, and no common driver "
        "converts by either spelling"
    )


def _driver_word(declared: str) -> str:
    """The type's first word when drivers convert by it (``DATETIME(3)`` -> ``DATETIME``)."""
    word = declared.split("(", 1)[0].split(" ", 1)[0].upper()
    return word if word in _DRIVER_TYPES else ""


def _column_diff(table: str, want: Column, got: Column) -> list[str]:
    """Attribute by attribute, so the message says which property changed."""
    labels = {
        "type": "type",
        "notnull": "NOT NULL",
        "default": "DEFAULT",
        "pk": "PRIMARY KEY",
        "hidden": "generated",
        "collation": "COLLATE",
        "expression": "generated expression",
    }
    out = []
    for f in fields(Column):
        if f.name == "name":
            continue
        a, b = getattr(want, f.name), getattr(got, f.name)
        if a != b:
            out.append(
                f"column {table}.{want.name}: {labels[f.name]} differs "
                f"(expected {_show(a)}, got {_show(b)})"
            )
    return out


def _fk_diff(table: str, want: tuple[ForeignKey, ...], got: tuple[ForeignKey, ...]) -> list[str]:
    """Foreign keys: a changed ON DELETE/UPDATE reads as one "differs", not missing + extra."""
    out: list[str] = []
    unmatched = [fk for fk in got if fk not in want]
    for fk in (f for f in want if f not in got):
        twin = next((g for g in unmatched if _fk_ends(g) == _fk_ends(fk)), None)
        if twin is None:
            out.append(
                f"foreign key on {table} {fk.describe()}"
                f"{_fk_actions(fk.on_delete, fk.on_update)} is missing"
            )
            continue
        unmatched.remove(twin)
        for label, a, b in (
            ("ON DELETE", fk.on_delete, twin.on_delete),
            ("ON UPDATE", fk.on_update, twin.on_update),
        ):
            if a != b:
                out.append(f"foreign key {fk.describe()}: {label} differs (expected {a}, got {b})")
    out += [
        f"foreign key on {table} {fk.describe()}"
        f"{_fk_actions(fk.on_delete, fk.on_update)} is unexpected"
        for fk in unmatched
    ]
    return out


def _fk_ends(fk: ForeignKey) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """What a foreign key connects, case-folded (its actions aside)."""
    return (
        tuple(c.lower() for c in fk.columns),
        fk.other_table.lower(),
        tuple(c.lower() for c in fk.other_columns),
    )


def _set_diff(
    what: str,
    want: tuple[T, ...],
    got: tuple[T, ...],
    describe: Callable[[T], str],
    key: Callable[[T], object],
) -> tuple[list[str], list[str]]:
    """Missing and unexpected members of two collections of records, then the spelt ones.

    A missing and an unexpected record that ``key`` (identifiers folded) calls the same
    are one record spelt otherwise: listed apart, as cosmetic.
    """
    missing = [item for item in want if item not in got]
    extra = [item for item in got if item not in want]
    spelt: list[str] = []
    for item in list(missing):
        twin = next((other for other in extra if key(other) == key(item)), None)
        if twin is not None:
            missing.remove(item)
            extra.remove(twin)
            spelt.append(f"{what} {describe(item)}: spelt {describe(twin)}")
    out = [f"{what} {describe(item)} is missing" for item in missing]
    out += [f"{what} {describe(item)} is unexpected" for item in extra]
    return out, spelt


def _named_diff(
    kind: str, want: tuple[Trigger | View, ...], got: tuple[Trigger | View, ...]
) -> list[Difference]:
    """Triggers and views: missing, unexpected, or same name with other SQL."""
    want_by = {o.name.lower(): o for o in want}
    got_by = {o.name.lower(): o for o in got}
    out = [
        Difference(f"{kind} {want_by[k].name} is missing")
        for k in sorted(want_by.keys() - got_by.keys())
    ]
    out += [
        Difference(f"{kind} {got_by[k].name} is unexpected")
        for k in sorted(got_by.keys() - want_by.keys())
    ]
    for key in sorted(want_by.keys() & got_by.keys()):
        a, b = want_by[key], got_by[key]
        if a == b:
            continue
        if a.sql == b.sql:  # normalised SQL alike: only the name's (or table's) case differs
            text = f"{kind} {a.name}: spelt {b.name}"
            out.append(Difference(text, nature="spelling", why=_SPELLING_WHY))
        else:
            words = _word_delta(a.sql, b.sql)
            out.append(Difference(f"{kind} {a.name}: definition differs ({words})"))
    return out


def _word_delta(expected: str, actual: str) -> str:
    """The words removed and added between two SQL texts, e.g. ``-'a' +'b'``."""
    ops = difflib.ndiff(expected.split(), actual.split())
    changed = [op[0] + op[2:] for op in ops if op[:1] in "+-"]
    return " ".join(changed[:12]) or "whitespace"


_SPELLING_WHY: Final = (
    "only identifier case or quoting differs, and SQLite resolves names case-insensitively"
)


def _describe_check(check: Check) -> str:
    """``(price > 0)``."""
    return f"({check.expression})"


def describe_index(index: Index) -> str:
    """``idx_reviews_reviewer on reviews(reviewer_user_id)`` (constraint indexes by kind).

    Public for lint's rollback rules, which tell the diff's sentences apart by it.
    """
    kind = {"u": "UNIQUE constraint", "pk": "PRIMARY KEY"}.get(index.origin)
    unique = "unique " if index.unique and index.origin == "c" else ""
    where = f" WHERE {index.where}" if index.where else ""
    label = kind if kind else f"{unique}{index.name}".strip()
    return f"{label} on {index.table}({', '.join(index.columns)}){where}"


def _fk_actions(on_delete: str, on_update: str) -> str:
    """`` ON DELETE CASCADE`` style suffix, only for non-default actions."""
    parts = [
        f" ON DELETE {on_delete}" if on_delete != "NO ACTION" else "",
        f" ON UPDATE {on_update}" if on_update != "NO ACTION" else "",
    ]
    return "".join(parts)


def _show(value: object) -> str:
    """Values in messages: ``None`` reads as "none"."""
    return "none" if value is None or value == "" else str(value)
