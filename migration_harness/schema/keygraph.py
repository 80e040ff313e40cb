"""The key graph of a schema, as :mod:`migration_harness.sets.fkpragmas` reads it.

Whether an ignored ``PRAGMA foreign_keys = OFF`` matters depends on the tables the file
drops and writes: one nothing references drops the same with keys on. ``lint`` (the
schema before each file) and ``check`` (the version a file runs on) build the graph here.
"""

from __future__ import annotations

from migration_harness.schema.records import Schema
from migration_harness.sets.fkpragmas import KeyGraph


def key_graph(schema: Schema) -> KeyGraph:
    """Parents, tables with keys and tables with triggers of ``schema``, lower-cased.

    A table whose key references itself is a parent too: deleting its rows can cascade
    into other rows of it.
    """
    keys = schema.foreign_keys
    return KeyGraph(
        parents=frozenset(fk.other_table.lower() for fk in keys),
        children=frozenset(fk.table.lower() for fk in keys),
        triggered=frozenset(t.table.lower() for t in schema.triggers),
        keys=frozenset(
            (fk.table.lower(), tuple(c.lower() for c in fk.columns), fk.other_table.lower())
            for fk in keys
        ),
    )
