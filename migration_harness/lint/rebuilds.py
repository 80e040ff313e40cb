"""Rebuilds: tables a file replaces by a new one under the same name, and what fills them.

A *rebuild* is SQLite's way to change what ALTER TABLE cannot: create a new table, copy
the rows, drop the old one and give the new one its name (or rename the old one away
first). Several rules judge the copy, so the pattern is found once per file, from the
storages :mod:`migration_harness.lint.storage` follows, not by matching names.

Not every re-created table copies its own rows back. A summary table, or an FTS5 index,
holds rows *derived* from other tables, and the file rebuilds it by reading those again
(``INSERT INTO daily SELECT … FROM events GROUP BY …``, ``INSERT INTO notes_fts(notes_fts)
VALUES('rebuild')``): :func:`derived_from` names them, and the data-loss rules stay quiet
where they still hold their rows (screenpipe's ``audio_transcriptions_fts`` rebuilds).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from migration_harness.lint.context import Parsed
from migration_harness.lint.shapes import table_in
from migration_harness.lint.storage import Copy, FileView, Refill, walk
from migration_harness.schema.model import Table


@dataclass(frozen=True, slots=True)
class Rebuild:
    """A table replaced by a new one under the same name in one file.

    Attributes:
        name: the table's name before and after.
        old / new: its definition before and after the file.
        drop: the DROP TABLE that removed the old rows.
        copies: the statements that copied rows from the old table into the new one
            (not those that read it only after the file emptied it).
        carried: whether the new table holds the old rows by any copy the file made,
            ``CREATE TABLE new AS SELECT … FROM old`` included (which is no INSERT).
        refills: every statement that wrote rows read from tables into the new table.
        deleted: the ``DELETE`` without ``WHERE`` that emptied the old table before the
            drop, if any: the file deletes its rows on purpose, and says so.

    """

    name: str
    old: Table
    new: Table
    drop: Parsed
    copies: tuple[Copy, ...]
    carried: bool = False
    refills: tuple[Refill, ...] = ()
    deleted: Parsed | None = None


def rebuilds(context: FileView) -> list[Rebuild]:
    """The tables this file rebuilds (dropped and replaced under the same name)."""
    found = walk(context)
    result = []
    for origin, drop in found.removed.items():
        old = table_in(context.before, origin)
        new = table_in(context.after, origin)
        if old is None or new is None:
            continue
        into = found.final.get(origin, "")
        mine = tuple(
            c
            for c in found.copies
            if origin in c.source_origins and c.target_origin == into and not c.emptied
        )
        held = origin in found.carried.get(into, set())
        refills = tuple(found.refills.get(into, ()))
        result.append(
            Rebuild(
                old.name,
                old,
                new,
                drop,
                mine,
                carried=held or bool(mine),
                refills=refills,
                deleted=found.deleted.get(origin),
            )
        )
    return result


def rebuilds_with_rows(context: FileView) -> list[Rebuild]:
    """The file's rebuilds of tables that can hold application rows when it runs.

    Not those an earlier file of its ship group created (:attr:`FileContext.empty`):
    their rows, if any, are the group's own, so rules about rows a rebuild loses or
    refuses have nothing to say of them.
    """
    return [r for r in rebuilds(context) if context.holds_rows(r.name)]


def derived_from(rebuild: Rebuild) -> tuple[str, ...]:
    """The tables the file refills a rebuilt table from, when its rows are derived.

    A rebuild whose new table gets rows only by refills that read *other* tables holding
    rows at that point (not dropped or emptied earlier in the file) re-derives what the old
    table held: the names of those tables. Empty when the rebuild copies the old rows (a
    copy, judged as one; a read of the old table after the file emptied it is none), when
    nothing refills it, or when the refills read only the new table itself or tables the
    file dropped or emptied: then the rows do not come back.
    """
    if rebuild.copies or rebuild.carried or not rebuild.refills:
        return ()
    found: set[str] = set()
    for refill in rebuild.refills:
        found.update(s for s in refill.live if s != refill.target_origin)
    return tuple(sorted(s.removeprefix("+") for s in found))


def refilled_columns(rebuild: Rebuild) -> set[str] | None:
    """Lower-cased columns of the new table its refills write; ``None``: every column.

    An FTS5 ``'rebuild'`` command fills every column from the content table.
    """
    filled: set[str] = set()
    for refill in rebuild.refills:
        if refill.copy is None:
            return None
        filled |= written_columns(refill.copy, rebuild.new)
    return filled


def written_columns(copy: Copy, new: Table) -> set[str]:
    """Lower-cased columns of ``new`` a copy writes (its list, or ``new``'s, by position)."""
    if copy.columns is not None:
        return set(copy.columns)
    names = [c.name.lower() for c in new.columns]
    if any(isinstance(e, exp.Star) for e in copy.select.expressions):
        return set(names)
    return set(names[: len(copy.select.expressions)])
