"""Values a migration moved into a table it made, which its rollback drops without them.

The forward file copies ``users.email`` into a new ``user_emails`` and drops the column;
the rollback re-adds ``users.email`` and drops ``user_emails``. Data in a table the
migration created is otherwise expected loss when it is rolled back, and ``users.email``
does not exist while the migration is applied, so the rollback's comparison of the rows
it held saw nothing lost: every address went with the table. Which values moved where is
lint's analysis (:func:`migration_harness.lint.moved.moves`); the rows are the example's.
"""

from __future__ import annotations

from typing import Any

from migration_harness.checks.engine import Engine
from migration_harness.data.rows import Rows
from migration_harness.lint.context import parse
from migration_harness.lint.moved import Move, moves
from migration_harness.report.findings import Finding
from migration_harness.sets.sql import split_statements


def lost_moves(
    engine: Engine, k: int, before: Rows, after: Rows, example: dict[str, Any], check: str
) -> list[Finding]:
    """``data_loss`` (rollback): moved values held at ``k`` that the rollback of ``k`` lost.

    ``before``: the rows read at ``k`` (the example); ``after``: after the rollback. Only
    values copied plainly into a column of the new table are counted, against the non-NULL
    values the source column holds again after the rollback.
    """
    old, new = engine.versions[k - 1].schema, engine.versions[k].schema
    created = {name.lower() for name in new.tables} - {name.lower() for name in old.tables}
    if not created:
        return []
    migration = engine.migrations[k - 1]
    trees = [parse(s.sql) for s in split_statements(migration.up_sql) if "INSERT" in s.keywords]
    findings = []
    for move in moves(trees, old, new, created):
        held = _filled(before, move.into, move.into_column)
        back = _filled(after, move.source, move.column)
        if held is None or back is None or held <= back:
            continue
        findings.append(
            Finding(
                "data_loss",
                migration.label,
                f"rolling it back loses {held - back} value(s) of {move.source}.{move.column}: "
                f"{migration.id} moved them into {move.into}, and the rollback drops "
                f"{move.into} without copying them back ({move.source}.{move.column} comes "
                "back empty)",
                _details(move),
                example,
                "rollback",
                check,
            )
        )
    return findings


def _filled(rows: Rows, table: str, column: str | None) -> int | None:
    """Non-NULL values of ``table.column`` in ``rows``; ``None`` when not read or unknown."""
    if column is None or table not in rows:
        return None
    names, values = rows[table]
    lowered = [n.lower() for n in names]
    if column not in lowered:
        return None
    at = lowered.index(column)
    return sum(row[at] is not None for row in values)


def _details(move: Move) -> tuple[str, ...]:
    """Where the values went and how to keep them."""
    return (
        f"moved: {move.source}.{move.column} -> {move.into}.{move.into_column}",
        f"fix: copy them back before the DROP (UPDATE {move.source} SET {move.column} = "
        f"(SELECT {move.into_column} FROM {move.into} WHERE …))",
    )
