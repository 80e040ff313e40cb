"""The built-in properties, one ``check_*`` function each, run per migration.

Every check is a plain function ``check_<property>(engine, k) -> list[Finding]`` that users
can import and call (like ``pytest_alembic.tests``); :data:`CHECKS` lists them by name for
the CLI and the pytest plugin. They run on in-memory copies restored from one snapshot per
version (:class:`Engine`), never on the user's files, and each file runs under its target's
rules through the same runner the CLI uses.

Checks that need data draw it with Hypothesis, so a failure shrinks to the smallest dataset
that shows it. Datasets cover only the tables the migration's SQL can affect: the tables it
names, the child tables a DROP/DELETE/UPDATE/ALTER of them can cascade into, and the parents
those rows need. Rows elsewhere cannot change, and leaving them out keeps examples small and
fast.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Final

# The checks live in one module per theme; re-exported (`X as X`) so every old
# `properties.<name>` import keeps working.
from migration_harness.checks.applying import apply_keeps_data_property as apply_keeps_data_property
from migration_harness.checks.applying import check_apply as check_apply
from migration_harness.checks.applying import check_apply_keeps_data as check_apply_keeps_data
from migration_harness.checks.applying import check_idempotent as check_idempotent
from migration_harness.checks.applying import idempotent_property as idempotent_property
from migration_harness.checks.applying import runner_conflicts as runner_conflicts
from migration_harness.checks.applying import schemas_around as schemas_around
from migration_harness.checks.engine import Engine
from migration_harness.checks.rolling_back import check_rollback as check_rollback
from migration_harness.checks.rolling_back import (
    check_rollback_keeps_data as check_rollback_keeps_data,
)
from migration_harness.checks.rolling_back import (
    rollback_keeps_data_property as rollback_keeps_data_property,
)
from migration_harness.checks.shared import Property as Property
from migration_harness.checks.verify import check_verify
from migration_harness.errors import HarnessError
from migration_harness.report.findings import Finding
from migration_harness.schema.audit import (
    audit_foreign_keys,
    covering_index,
    lookup_collations,
    uncovered,
)

if TYPE_CHECKING:
    from migration_harness.schema.records import ForeignKey, Schema

# --- the checks ------------------------------------------------------------------------


def check_fk_index(engine: Engine, tables: Collection[str] | None = None) -> list[Finding]:
    """``missing_fk_index``: at the last version, every foreign key has a covering index.

    ``tables`` limits the audit to foreign keys of those (child) tables (``--since``).

    Quiet where no connection enforces foreign keys (:attr:`Target.keys_enforced`: the
    migration connection and the application's both have them off): SQLite then never
    looks at the child on a parent's delete or key update, so the missing index costs
    nothing and the warning's one claim is false. Turning either on brings it back.
    """
    if not engine.target.keys_enforced:
        return []
    last = len(engine.versions) - 1
    conn = engine.restore(last)
    try:
        coverages = audit_foreign_keys(conn, engine.versions[last].schema)
    finally:
        conn.close()
    schema = engine.versions[last].schema
    return [
        Finding(
            "missing_fk_index",
            _uncovered_since(engine, c.foreign_key, last),
            f"foreign key {c.foreign_key.describe()} has no covering index",
            (f"query plan: {c.plan}", _index_fix(schema, c.foreign_key)),
            check="fk_index",
        )
        for c in uncovered(coverages)
        if tables is None or c.foreign_key.table in tables
    ]


def _index_fix(schema: Schema, fk: ForeignKey) -> str:
    """The CREATE INDEX that serves ``fk``'s child lookup, under the parent's collations."""
    parent = schema.by_lower_name.get(fk.other_table.lower())
    columns = ", ".join(
        column if collation == "BINARY" else f"{column} COLLATE {collation}"
        for column, collation in zip(fk.columns, lookup_collations(fk, parent), strict=True)
    )
    name = f"idx_{fk.table}_{'_'.join(fk.columns)}"
    return f"fix: CREATE INDEX IF NOT EXISTS {name} ON {fk.table}({columns});"


def _uncovered_since(engine: Engine, fk: ForeignKey, last: int) -> str | None:
    """The migration from which ``fk`` has stood without a covering index, to the end.

    The one that created the key without an index, or dropped the index it had: where a
    team looks to fix it (wishlist's eight keys were all named at its last migration).
    """
    first = last
    while first > 1 and _stands_uncovered(engine.versions[first - 1].schema, fk):
        first -= 1
    return engine.migrations[first - 1].label if first else None


def _stands_uncovered(schema: Schema, fk: ForeignKey) -> bool:
    """Whether ``schema`` has ``fk`` (its table, columns and parent) with no covering index."""
    table = schema.by_lower_name.get(fk.table.lower())
    if table is None or fk not in table.foreign_keys:
        return False
    return covering_index(table, fk, schema.by_lower_name.get(fk.other_table.lower())) is None


PER_MIGRATION: Final[dict[str, Callable[[Engine, int], list[Finding]]]] = {
    "apply": check_apply,
    "idempotent": check_idempotent,
    "apply_keeps_data": check_apply_keeps_data,
    "rollback": check_rollback,
    "rollback_keeps_data": check_rollback_keeps_data,
    "verify": check_verify,
}
CHECKS: Final = (*PER_MIGRATION, "fk_index", "stateful")


def checks_named(names: Iterable[str], *, option: str = "checks") -> list[str]:
    """``names`` (a string: comma-separated), refusing any that names no check in :data:`CHECKS`.

    A misspelt name (``idempotency`` for ``idempotent``) selects nothing: the run would
    report a clean set having checked none of what was asked. ``option`` names where the
    names came from in the message (``--checks`` for the CLI).

    Raises:
        HarnessError: one line naming the unknown check, the closest known one, and every
            known name.

    """
    given = names.split(",") if isinstance(names, str) else names
    wanted = [n.strip() for n in given if n.strip()]
    for name in wanted:
        if name not in CHECKS:
            close = difflib.get_close_matches(name, CHECKS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            message = f"{option} {name}: unknown check ({hint}choose from {', '.join(CHECKS)})"
            raise HarnessError(message)
    return wanted


# The checks that draw data, by name: a regression file replays one example of them.
PROPERTIES: Final[dict[str, Callable[[Engine, int], Property | None]]] = {
    "apply_keeps_data": apply_keeps_data_property,
    "idempotent": idempotent_property,
    "rollback_keeps_data": rollback_keeps_data_property,
}


# --- shared steps ----------------------------------------------------------------------
