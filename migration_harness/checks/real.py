"""The pending migrations judged on real rows (``check --data``): blame and privacy.

The engine builds every version after the real database's on its rows, so the checks
see them without knowing; this module adds what only real data needs: the rows a failure
depends on (named by key, found by deleting rows until it stops failing), a word in each
finding that real rows were involved, and the scrubbing that keeps their values out.
"""

from __future__ import annotations

import dataclasses
import json
import math
import sqlite3
from collections.abc import Callable, Collection, Sequence
from typing import Any, Final

from migration_harness.checks.engine import Engine
from migration_harness.checks.scope import relevant_tables
from migration_harness.data.privacy import HIDDEN, real_texts, scrub_rows
from migration_harness.data.strategies import Dataset, sql_literal
from migration_harness.errors import MigrationError
from migration_harness.report.findings import Finding
from migration_harness.schema.model import quote
from migration_harness.sets import runner
from migration_harness.sets.sql import split_statements

# The checks whose examples start from a version built on the real rows.
REAL_CHECKS: Final = frozenset(
    {
        "apply",
        "apply_keeps_data",
        "idempotent",
        "rollback",
        "rollback_keeps_data",
        "verify",
        "stateful",  # histories start from the real rows too (checks.machine.History)
    }
)
# Restores tried while narrowing a failure down to its rows: each is one restore, some
# deletes and one file, so the blame stays a small part of a check.
MAX_TRIES: Final = 400

RowId = tuple[str, int]


def real_apply_error(
    engine: Engine, k: int, exc: MigrationError, details: Sequence[str], located: dict[str, Any]
) -> Finding:
    """``apply_error``: pending migration k fails on the real rows; the rows it needs named."""
    assert engine.real is not None
    migration = engine.migrations[k - 1]
    rows = culprits(engine, k, exc.reason)
    blame = f"rows it fails on: {', '.join(rows)}" if rows else "it fails whatever rows are kept"
    return Finding(
        "apply_error",
        migration.label,
        f"does not apply to the real rows of {engine.real.source.spec} at "
        f"{engine.name_of(k - 1)}: {exc.reason}",
        (*details, blame),
        {"steps": [engine.migrate_step(k - 1), f"apply {migration.id}"], "real_rows": rows},
        check="apply",
        **located,
    )


def culprits(engine: Engine, k: int, reason: str) -> list[str]:
    """The fewest real rows at k-1 on which applying k still fails with ``reason``, by key."""
    image = engine.versions[k - 1].image
    migration = engine.migrations[k - 1]
    schema = engine.versions[k - 1].schema
    tables = relevant_tables(schema, split_statements(migration.up_sql), engine.populated(k - 1))
    conn = engine.open(image)
    try:
        rows = [(t, r) for t in tables for r in _rowids(conn, t)]
        baseline = set(_orphans(conn))
    finally:
        conn.close()

    def fails(keep: Sequence[RowId]) -> bool:
        db = engine.open(image)
        try:
            _keep_only(db, rows, set(keep), baseline)
            runner.prepare(db, engine.target)
            runner.apply(db, migration, engine.target)
        except MigrationError as exc:
            return exc.reason == reason
        finally:
            db.close()
        return False

    if not rows or fails([]):
        return []
    kept = _ddmin(rows, fails, MAX_TRIES)
    conn = engine.open(image)
    try:
        return [_name(conn, table, rowid) for table, rowid in kept]
    finally:
        conn.close()


def _rowids(conn: sqlite3.Connection, table: str) -> list[int]:
    """The table's rowids (none for a ``WITHOUT ROWID`` table: its rows are always kept)."""
    try:
        return [r[0] for r in conn.execute(f"SELECT rowid FROM {quote(table)} ORDER BY rowid")]
    except sqlite3.OperationalError:
        return []


def _orphans(conn: sqlite3.Connection) -> list[RowId]:
    """``(table, rowid)`` of every row whose parent is missing."""
    return [(r[0], r[1]) for r in conn.execute("PRAGMA foreign_key_check")]


def _keep_only(
    conn: sqlite3.Connection, rows: Sequence[RowId], keep: set[RowId], baseline: set[RowId]
) -> None:
    """Delete the rows not kept, and the children left without their parent.

    A child without its parent is a state production cannot be in, so the children of a
    deleted row go too (as a cascade would, whatever the schema's ON DELETE says);
    foreign keys are off only for these deletes, so RESTRICT cannot refuse them. Rows
    orphaned in the source already (``baseline``) stay as they were.
    """
    conn.execute("PRAGMA foreign_keys = OFF")
    drop: dict[str, list[int]] = {}
    for table, rowid in rows:
        if (table, rowid) not in keep:
            drop.setdefault(table, []).append(rowid)
    for table, ids in drop.items():
        conn.execute(
            f"DELETE FROM {quote(table)} WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
    while orphans := [o for o in _orphans(conn) if o not in baseline]:
        for table, rowid in orphans:
            conn.execute(f"DELETE FROM {quote(table)} WHERE rowid = ?", (rowid,))


def _ddmin(
    items: Sequence[RowId], fails: Callable[[Sequence[RowId]], bool], budget: int
) -> list[RowId]:
    """Delta debugging: drop chunks of ``items`` while ``fails`` holds (``budget`` tries)."""
    keep, parts, tries = list(items), 2, 0
    while len(keep) >= 2 and tries < budget:
        size = math.ceil(len(keep) / parts)
        for start in range(0, len(keep), size):
            candidate = keep[:start] + keep[start + size :]
            tries += 1
            if fails(candidate):
                keep, parts = candidate, max(parts - 1, 2)
                break
            if tries >= budget:
                return keep
        else:
            if parts >= len(keep):
                break
            parts = min(len(keep), parts * 2)
    return keep


def _name(conn: sqlite3.Connection, table: str, rowid: int) -> str:
    """``users id=3``: a row by its primary key, else its rowid (never other values)."""
    info = conn.execute(f"PRAGMA table_info({quote(table)})").fetchall()
    pk = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    if not pk:
        return f"{table} rowid={rowid}"
    columns = ", ".join(quote(c) for c in pk)
    values = conn.execute(f"SELECT {columns} FROM {quote(table)} WHERE rowid = ?", (rowid,))
    key = values.fetchone() or ()
    return f"{table} " + ", ".join(f"{c}={sql_literal(v)}" for c, v in zip(pk, key, strict=False))


def annotate(engine: Engine, findings: list[Finding]) -> list[Finding]:
    """Findings of the pending migrations, marked as found with real rows and scrubbed.

    Each example records the source (spec and digest) and the rows named, so a
    regression file says which copy replays it; a finding whose example holds no
    generated row was shown by the real rows alone, and its message says so.
    """
    real, at = engine.real, engine.real_at
    if real is None or at is None:
        return findings
    texts: frozenset[str] = frozenset()
    if not real.show_values:
        conn = engine.open(engine.versions[at].image)
        try:
            texts = real_texts(conn)
        finally:
            conn.close()
    pending = {m.label for m in engine.migrations[at:]}
    marker = {
        "source": real.source.spec,
        "sha256": real.source.digest,
        "version": engine.name_of(at),
        "sample": real.sample,
    }
    failed = {f.migration for f in findings if f.kind == "apply_error" and f.check == "apply"}
    where = f"{real.source.spec} at {engine.name_of(at)}"
    out = []
    for finding in findings:
        if (
            finding.kind == "apply_error"
            and finding.migration in failed
            and finding.check != "apply"
        ):
            continue  # the same failure, found again by a data check on the same real rows
        example = _scrubbed(dict(finding.example), texts) if texts else dict(finding.example)
        if finding.migration not in pending or finding.check not in REAL_CHECKS:
            # Not about a pending migration, but a generated value may still vary a real
            # one: scrubbed all the same.
            out.append(dataclasses.replace(finding, example=example))
            continue
        example["real"] = {**marker, "rows": example.pop("real_rows", [])}
        example["steps"] = _real_steps(engine, example.get("steps", []), bool(example.get("rows")))
        message, details = finding.message, finding.details
        if "real rows" in message:
            pass
        elif not example.get("rows"):
            message += f" (on the real rows of {real.source.spec})"
        else:  # generated rows on top of the real ones: either may be the cause
            details = (*details, f"with the generated rows added to the real rows of {where}")
        out.append(dataclasses.replace(finding, message=message, details=details, example=example))
    return out


def _scrubbed(example: dict[str, Any], texts: frozenset[str]) -> dict[str, Any]:
    """The example with values derived from real text hidden (rows, SQL and history)."""
    if example.get("rows"):
        rows, hidden = scrub_rows(example["rows"], texts)
        if hidden:
            example["rows"] = rows
            example["sql"] = Dataset.from_json(rows).render()
    if "history" in example:
        example["history"] = _scrub_tree(example["history"], texts)
    return example


def _scrub_tree(node: Any, texts: frozenset[str]) -> Any:
    """Every ``values`` mapping of a history, scrubbed (steps that insert rows hold them)."""
    if isinstance(node, list):
        return [_scrub_tree(n, texts) for n in node]
    if isinstance(node, dict):
        if isinstance(node.get("values"), dict):
            rows, _ = scrub_rows([node], texts)
            node = rows[0]
        return {key: _scrub_tree(value, texts) for key, value in node.items()}
    if isinstance(node, str) and node.strip().casefold() in texts and len(node) > 3:
        return HIDDEN
    return node


def pending_judged(engine: Engine, judged: Collection[str] | None) -> Collection[str] | None:
    """The migrations to judge: after the real data's version (and within ``judged``).

    Migrations already applied to the real database already ran on these rows.
    """
    if engine.real_at is None:
        return judged
    pending = {m.label for m in engine.migrations[engine.real_at :]}
    return pending if judged is None else pending & set(judged)


def real_context(engine: Engine) -> dict[str, Any]:
    """What the report and JSON say about the real data (empty without ``--data``)."""
    real = engine.real
    if real is None:
        return {}
    at = engine.real_at
    return {
        "data": {
            "source": real.source.spec,
            "sha256": real.source.digest,
            "version": engine.name_of(at) if at is not None else None,
            "pending": [m.label for m in engine.migrations[at:]] if at is not None else [],
            "sample": real.sample,
            "warning": engine.real_warning,
            "values_shown": real.show_values,
        }
    }


def _real_steps(engine: Engine, steps: list[Any], generated: bool) -> list[Any]:
    """The reproduction steps from the real copy: load it, then migrate from its version.

    ``migrate to X`` alone would mean from an empty database, where the finding does not
    show; with no generated rows, "insert the rows" inserts nothing.
    """
    assert engine.real is not None
    at = engine.real_at or 0
    load = f"load {engine.real.source.spec} (at {engine.name_of(at)})"
    out: list[Any] = [load]
    for step in steps:
        if step == "insert the rows" and not generated:
            continue
        if step != engine.migrate_step(at):
            out.append(step)
    return out
