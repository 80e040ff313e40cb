"""The views and triggers a set's repeatable migrations create (Flyway's ``R__`` files).

Flyway runs pending repeatables after the versioned files on every ``migrate`` and never
undoes them, so what they create stands beside every version once the set is deployed,
including the version an undo goes back to. ``check`` (``checks/repeatables.py``) and
``lint`` (MH411) read this to tell a rollback that leaves such an object, as production
holds it, from one that leaves what its own migration made.
"""

from __future__ import annotations

from collections.abc import Sequence

from migration_harness.sets.records import Migration
from migration_harness.sets.sql import split_statements
from migration_harness.sets.tokens import object_named


def repeatable_objects(migrations: Sequence[Migration]) -> frozenset[tuple[str, str]]:
    """``("TRIGGER" | "VIEW", name)``, lower-cased, a repeatable of ``migrations`` creates."""
    return frozenset(
        named
        for migration in migrations
        if migration.runner_data.get("repeatable")
        for statement in split_statements(migration.up_sql)
        if (named := object_named(statement.sql, "CREATE", ("TRIGGER", "VIEW")))
    )
