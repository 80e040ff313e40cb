"""Whether a rebuild's copy converts a column it leaves out one to one into another (MH203).

Prisma writes a rebuild for a column whose type changes meaning, and its authors edit the
copy: ``published BOOLEAN`` becomes ``status TEXT`` through ``CASE WHEN published THEN
'PUBLISHED' ELSE 'DRAFT' END``. The old column is gone, but every value it held lives on
as a distinct value of the new one: nothing is deleted. That holds only where the old
column's values are few and known (a ``BOOLEAN`` as ORMs write it, 0 or 1; a ``CHECK (c
IN (…))`` list), and SQLite shows the expression gives each a value of its own. A column
of free values (``substr(body, 1, 100)``) is never read as converted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from sqlglot import exp

from migration_harness.lint.mends import unqualified
from migration_harness.lint.rebuilds import Rebuild
from migration_harness.lint.shapes import written_values
from migration_harness.schema.constraints import rules_for
from migration_harness.schema.model import Table
from migration_harness.schema.sqltext import quote


def converted(rebuild: Rebuild, column: str) -> bool:
    """Whether a copy of ``rebuild`` writes ``column``'s values, one to one, into a column."""
    domain = _domain(rebuild.old, column.lower())
    if domain is None:
        return False
    for copy in rebuild.copies:
        for value in (written_values(copy.insert) or {}).values():
            read = {c.name.lower() for c in value.find_all(exp.Column)}
            if read == {column.lower()} and _one_to_one(value, column, domain):
                return True
    return False


def _domain(table: Table, column: str) -> tuple[object, ...] | None:
    """The values ``column`` of ``table`` can hold, where they are few and known."""
    found = next((c for c in table.columns if c.name.lower() == column), None)
    if found is None:
        return None
    rule = rules_for(table).get(column)
    if rule is not None and rule.choices is not None:
        values: tuple[object, ...] = rule.choices
    elif "BOOL" in found.type.upper():
        values = (0, 1)  # true and false are 1 and 0 to SQLite, and ORMs write nothing else
    else:
        return None
    nullable = not found.notnull and not (rule is not None and rule.no_null)
    return (*values, None) if nullable else values


def _one_to_one(value: exp.Expr, column: str, domain: Sequence[object]) -> bool:
    """Whether SQLite gives each value of ``domain`` its own result of ``value``."""
    query = f"SELECT {unqualified(value)} FROM (SELECT ? AS {quote(column)})"
    db = sqlite3.connect(":memory:")
    try:
        results = [db.execute(query, (v,)).fetchone()[0] for v in domain]
    except sqlite3.Error:
        return False
    finally:
        db.close()
    return len({(type(r).__name__, r) for r in results}) == len(domain)
