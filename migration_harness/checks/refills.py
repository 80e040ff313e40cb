"""Tables a file re-creates and refills from other tables that still hold their rows.

A summary table (``INSERT INTO daily SELECT day, sum(amount) FROM events GROUP BY day``)
or an FTS5 index (``INSERT INTO notes_fts(notes_fts) VALUES('rebuild')``) holds rows
*derived* from other tables: a file that drops it, creates it again and fills it from those
tables gets its rows back, so "the file re-creates it empty" is the wrong reason for what
it loses. Which tables are refilled is lint's own analysis
(:func:`~migration_harness.lint.rebuilds.derived_from`, over the storage walk of
:mod:`migration_harness.lint.storage`), run here on the file ``check`` applied, so both
commands agree.

Generated rows of such a table owe nothing to its sources, where production's do: before
the file runs, :func:`derive` makes the table hold what its refill computes from the rows
drawn for the sources, so the rows compared after the file are those production would
compare. A refill that then brings back other rows (the file changed a source first) is
still reported, naming the refill.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from migration_harness.lint.context import Parsed
from migration_harness.lint.rebuilds import derived_from, rebuilds
from migration_harness.schema.model import Schema, quote, table_map
from migration_harness.sets.sql import Statement


@dataclass(frozen=True, slots=True)
class Refilled:
    """A table the file re-creates and refills from other tables holding rows.

    Attributes:
        table: its name.
        sources: the tables its rows are derived from (lower-cased).
        refills: the statements that fill the new table.

    """

    table: str
    sources: tuple[str, ...]
    refills: tuple[Statement, ...]

    def describe(self) -> str:
        """``the file refills it from events (INSERT INTO daily … SELECT …)``."""
        first = " ".join(self.refills[0].sql.split())
        shown = first if len(first) <= 80 else first[:77] + "…"
        return f"the file refills it from {', '.join(self.sources)} ({shown})"


@dataclass(frozen=True)
class _File:
    """The view of a file lint's storage walk reads, for a file ``check`` ran.

    Every statement ran (no replay error), and every table may hold rows: the rows drawn
    for the example are the ones that count.
    """

    statements: tuple[Parsed, ...]
    before: Schema
    after: Schema
    memo: dict[str, object] = field(default_factory=dict)

    def holds_rows(self, table: str) -> bool:
        """Every table of the example may hold rows."""
        return True


def refilled_tables(
    statements: Iterable[Statement], before: Schema, after: Schema
) -> dict[str, Refilled]:
    """Lower-cased table -> how the file refills it, for each table it derives again.

    A file that drops no table re-creates none: asked for every forward file, it is
    answered without parsing one.
    """
    statements = list(statements)
    if not any(s.keywords[:2] == ("DROP", "TABLE") for s in statements):
        return {}
    parsed = tuple(Parsed(statement, 1, before) for statement in statements)
    found: dict[str, Refilled] = {}
    for rebuild in rebuilds(_File(parsed, before, after)):
        sources = derived_from(rebuild)
        if sources:
            # a compound refill (SELECT … UNION ALL SELECT …) is one refill per branch
            # of one statement: run it once
            refills = tuple(dict.fromkeys(r.parsed.statement for r in rebuild.refills))
            found[rebuild.name.lower()] = Refilled(rebuild.name, sources, refills)
    return found


def derive(conn: sqlite3.Connection, refilled: Mapping[str, Refilled], schema: Schema) -> None:
    """Make each refilled table hold, before the file, what its refills compute.

    Runs the file's own refills on the old table, in a savepoint: where one cannot (it
    writes a table the file made, names a column the old table lacks, or reads a table the
    file creates first) the drawn rows stay, and the rows the file replaces are judged as
    drawn. A table other tables reference keeps its drawn rows too: replacing them would
    orphan its children.
    """
    tables = table_map(schema)
    referenced = {fk.other_table.lower() for t in tables.values() for fk in t.foreign_keys}
    for name, refill in refilled.items():
        if name not in tables or tables[name].virtual or name in referenced:
            continue
        conn.execute("SAVEPOINT derive")
        try:
            conn.execute(f"DELETE FROM {quote(tables[name].name)}")
            for statement in refill.refills:
                conn.execute(statement.sql)
        except sqlite3.Error:
            conn.execute("ROLLBACK TO derive")
        conn.execute("RELEASE derive")
