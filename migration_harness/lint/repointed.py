"""Whether a file moved a parent's children away before deleting the parent rows (MH306).

Merging duplicates is the usual case: ``UPDATE sessions SET account_id = (SELECT min(a2.id)
… same login in any case …)`` points every session at the account that stays, then
``DELETE FROM accounts WHERE id NOT IN (SELECT min(id) … GROUP BY login COLLATE NOCASE)``
removes the others. No child row is left pointing at a deleted parent, though foreign
keys are off and nothing checks. :mod:`migration_harness.lint.cleared` reads the other fix
(the children deleted first) from its shape; this one is proved by running SQL, as MH212's
dedupe is (:mod:`migration_harness.lint.dedupe`): on an in-memory copy of both tables,
parent probe rows that repeat values in the columns the DELETE reads, one child row
pointing at each, the DELETE alone must orphan some child (else the probes prove nothing)
and the file's writes to the two tables, then the DELETE, must orphan none.

Only writes (UPDATE, DELETE) of the child or the parent that read no other table count;
an INSERT into either, or a write reading a third table, is no proof.
"""

from __future__ import annotations

import itertools
import sqlite3

from sqlglot import exp

from migration_harness.lint.context import FileContext, Parsed
from migration_harness.lint.dedupe import fill_probes, rows_for
from migration_harness.lint.shapes import columns_in, name_of, table_in
from migration_harness.schema.model import Table
from migration_harness.schema.sqltext import quote


def repointed_first(context: FileContext, at: Parsed, child: str, parent: str) -> bool:
    """Whether the file's writes before the DELETE ``at`` leave no child of ``parent`` orphaned."""
    old_parent, old_child = table_in(at.before, parent), table_in(at.before, child)
    if old_parent is None or old_child is None or not old_parent.sql or not old_child.sql:
        return False
    if child.lower() == parent.lower():
        return False
    writes = _writes_before(context, at, {child.lower(), parent.lower()})
    if not writes or at.tree is None:
        return False
    keys = {c.name.lower() for c in old_parent.columns if c.pk}
    named = columns_in(at.tree) - keys
    verdicts = []
    for tied in (False, True):
        parents = rows_for(old_parent, named, tied)
        bare = _orphans(old_parent, old_child, parents, [at.sql])
        verdicts.append(
            bare > 0 and _orphans(old_parent, old_child, parents, [*writes, at.sql]) == 0
        )
    return all(verdicts)


def merges_duplicates(parent: Table, at: Parsed) -> bool:
    """Whether the DELETE ``at`` keeps one of rows alike but for their key, and removes the rest.

    Asked of SQLite on probe rows that repeat every value the DELETE reads
    (:func:`~migration_harness.lint.dedupe.rows_for`, tied): a dedupe (``id NOT IN (SELECT
    min(id) … GROUP BY email)``) removes some and keeps some; a filter (``WHERE banned =
    1``) removes all of them or none.
    """
    if at.tree is None or not parent.sql:
        return False
    keys = {c.name.lower() for c in parent.columns if c.pk}
    rows = rows_for(parent, columns_in(at.tree) - keys, True)
    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA ignore_check_constraints = ON")
        db.execute(parent.sql)
        fill_probes(db, parent, rows)
        (total,) = db.execute(f"SELECT count(*) FROM {quote(parent.name)}").fetchone()
        db.execute(at.sql)
        (left,) = db.execute(f"SELECT count(*) FROM {quote(parent.name)}").fetchone()
    except sqlite3.Error:
        return False
    finally:
        db.close()
    return 0 < int(left) < int(total)


def _writes_before(context: FileContext, at: Parsed, tables: set[str]) -> list[str] | None:
    """The file's UPDATEs and DELETEs of ``tables`` before ``at``; ``None`` when one is no proof."""
    found: list[str] = []
    for parsed in context.statements:
        if parsed is at:
            break
        tree = parsed.tree_if("DELETE", "UPDATE", "INSERT", "REPLACE")
        if tree is None or name_of(tree.this) not in tables:
            continue
        read = {name_of(t) for t in tree.find_all(exp.Table)}
        if not isinstance(tree, exp.Delete | exp.Update) or not read <= tables:
            return None
        found.append(parsed.sql)
    return found


def _orphans(parent: Table, child: Table, rows: list[dict[str, object]], run: list[str]) -> int:
    """Child rows left pointing at a missing parent once ``run`` ran on the probe rows.

    ``-1`` when the probe tables cannot be built or a statement fails (no proof).
    """
    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA ignore_check_constraints = ON")
        db.execute(parent.sql)
        db.execute(child.sql)
        fill_probes(db, parent, rows)
        _children(db, parent, child)
        for sql in run:
            db.execute(sql)
        found = db.execute(f"PRAGMA foreign_key_check({quote(child.name)})").fetchall()
    except sqlite3.Error:
        return -1
    finally:
        db.close()
    return sum(1 for row in found if str(row[2]).lower() == parent.name.lower())


def _children(db: sqlite3.Connection, parent: Table, child: Table) -> None:
    """One child row per parent row and key to it, pointing at it; other columns distinct."""
    writable = [c for c in child.columns if not c.is_generated]
    serial = itertools.count(1)
    for fk in (k for k in child.foreign_keys if k.other_table.lower() == parent.name.lower()):
        columns = fk.other_columns or tuple(c.name for c in parent.columns if c.pk)
        if len(columns) != len(fk.columns):
            continue
        picked = ", ".join(quote(c) for c in columns)
        for values in db.execute(f"SELECT {picked} FROM {quote(parent.name)}").fetchall():
            n = next(serial)
            row: dict[str, object] = {c.name: 1000 * n + i for i, c in enumerate(writable)}
            row |= dict(zip(fk.columns, values, strict=True))
            fill_probes(db, child, [row])
