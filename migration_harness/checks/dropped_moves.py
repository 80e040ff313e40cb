"""Rows a forward file moves into a table it makes, then drops at their source, left behind.

``CREATE TABLE people …; INSERT INTO people SELECT c.id, c.name, co.name FROM contacts c
JOIN companies co ON co.id = c.company_id; DROP TABLE contacts``: the file moves contacts
into people, and its inner JOIN leaves out every contact without a company. The DROP is
the file's word (lint's MH201 warns of it), so the comparison of the rows ``contacts``
held counts none of them lost: the whole table was meant to go. But the move says the
rows were meant to live on in ``people``, and those the copy left out exist nowhere after
the file. A rebuild (the copy renamed back to the old name) is compared row by row
already; this is the same loss for a move under a new name.

Which values moved where is lint's analysis (:func:`migration_harness.lint.moved.moves`);
only values copied plainly into a column of the new table count, as distinct values, so
a ``SELECT DISTINCT`` into a lookup table beside the real move is no loss.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlglot import exp

from migration_harness.checks.intent import LOSS
from migration_harness.data.rows import Rows, read_all
from migration_harness.lint.context import parse
from migration_harness.lint.moved import Move, moves
from migration_harness.lint.shapes import dropped, name_of, table_in
from migration_harness.report.findings import Finding
from migration_harness.schema.model import Schema
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import Statement

__all__ = ["lost_in_moves"]

# Values listed in a finding's details, at most.
_SHOWN = 5


def lost_in_moves(
    migration: Migration,
    statements: Sequence[Statement],
    schemas: tuple[Schema, Schema],
    conn: sqlite3.Connection,
    before: Rows,
    example: dict[str, Any],
) -> list[Finding]:
    """MH141 per move whose copy left values of a table the file then dropped behind.

    ``schemas``: before and after the file; ``conn``: the database after it; ``before``:
    the rows read before it (the source tables among them).
    """
    old, new = schemas
    created = {n.lower() for n in new.tables} - {n.lower() for n in old.tables}
    if not created:
        return []
    trees = [parse(s.sql) for s in statements if s.keywords[:1] in (("INSERT",), ("DROP",))]
    gone = {name_of(node) for tree in trees if (node := dropped(tree)) is not None}
    gone -= _copied_elsewhere(trees, created)
    # Per moved column, every column of a made table it went to: a split into two tables
    # (active and archived rows) leaves out of each what the other holds.
    targets: dict[tuple[str, str], list[Move]] = {}
    for move in moves(trees, old, new, created):
        if move.into_column is not None and move.source in gone:
            targets.setdefault((move.source, move.column), []).append(move)
    findings = []
    told: set[str] = set()  # one finding per source table
    for (source, column), moved in targets.items():
        if source in told or table_in(new, source) is not None:  # dropped, then made again
            continue
        was = _values(before, source, column)
        if not was:
            continue
        now: set[object] = set()
        for move in moved:
            assert move.into_column is not None
            now |= _values(read_all(conn, new, [move.into]), move.into, move.into_column)
        missing = sorted(was - now, key=repr)
        if missing:
            told.add(source)
            findings.append(_finding(migration, moved, missing, example))
    return findings


def _copied_elsewhere(trees: Sequence[exp.Expr | None], created: set[str]) -> set[str]:
    """Tables an ``INSERT … SELECT`` of the file reads into a table older than it.

    Their rows may live on there (``INSERT INTO archive SELECT … FROM old WHERE …``),
    which the move's comparison does not read: they are not judged.
    """
    found: set[str] = set()
    for tree in trees:
        if isinstance(tree, exp.Insert) and name_of(tree.this) not in created:
            query = tree.expression
            if isinstance(query, exp.Query):
                found |= {name_of(t) for t in query.find_all(exp.Table)}
    return found


def _values(rows: Rows, table: str, column: str) -> set[object]:
    """The distinct non-NULL values of ``table.column`` (integral REALs as integers)."""
    if table not in rows:
        return set()
    names, values = rows[table]
    lowered = [n.lower() for n in names]
    if column not in lowered:
        return set()
    at = lowered.index(column)
    return {_same(row[at]) for row in values if row[at] is not None}


def _same(value: object) -> object:
    """A value as the copy keeps it across affinities: ``1.0`` is ``1``, ``'1'`` is ``1``."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and value == value.strip():
        return int(value) if str(int(value)) == value else value
    return value


def _finding(
    migration: Migration, moved: list[Move], missing: list[object], example: dict[str, Any]
) -> Finding:
    """The loss of one moved column, naming the values left behind."""
    move = moved[0]
    into = " and ".join(dict.fromkeys(m.into for m in moved))
    message = (
        f"applying it loses rows of {move.source}: it moves {move.source} into {into} "
        f"and drops {move.source}, but its copy leaves out {len(missing)} value(s) of "
        f"{move.source}.{move.column} (a JOIN, WHERE or LIMIT that does not match every row), "
        "which exist nowhere after the file"
    )
    details = (
        *(
            f"{move.source}.{move.column}: {value!r} reaches no table it moves into"
            for value in missing[:_SHOWN]
        ),
        *(f"moved: {m.source}.{m.column} -> {m.into}.{m.into_column}" for m in moved),
        "fix: copy every row (LEFT JOIN instead of JOIN), and delete rows on purpose in a "
        "statement of their own",
    )
    return Finding(
        "data_loss",
        migration.label,
        message,
        details,
        example,
        "apply",
        "apply_keeps_data",
        code=LOSS,
    )
