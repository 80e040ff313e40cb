"""Versions by name, and the ``migrator`` fixture's moving database.

A test of one migration's data handling needs three steps on one connection: the
database at version k, rows the test writes, then migration k+1 (or the rollback of k)
run exactly as production's runner runs it. :class:`Migrator` restores k from the
Engine's snapshot in microseconds; :class:`Migrated` runs the following files with the
set's target rules (transactions, statement splitting, tracking table) through
:mod:`migration_harness.sets.runner`, so what the test then asserts is what production
would have.
"""

from __future__ import annotations

import difflib
import sqlite3
from typing import TYPE_CHECKING

import pytest

from migration_harness.errors import HarnessError

if TYPE_CHECKING:
    from migration_harness.checks.engine import Engine
    from migration_harness.plugin.state import SetState
    from migration_harness.sets.discovery import MigrationSet

Version = int | str | None


class Migrated:
    """One connection at a version of the set, moved forward or back by the set's files.

    Attributes:
        db: the connection; write the rows the next step must keep or transform.
        position: how many migrations are applied (0: the empty database).

    """

    def __init__(self, engine: Engine, db: sqlite3.Connection, position: int) -> None:
        self._engine = engine
        self.db = db
        self.position = position

    @property
    def label(self) -> str:
        """The current version as the set names it (``0002_tags``)."""
        return self._engine.name_of(self.position)

    def migrate(self, version: Version) -> sqlite3.Connection:
        """Apply the forward files up to ``version``, or the rollbacks down to it.

        Each file runs as the set's runner runs it; a file that fails raises
        :class:`~migration_harness.errors.MigrationError` (assert on it with
        ``pytest.raises``), and the position stays at the last step that worked.
        """
        from migration_harness.sets import runner

        k = _resolved(self._engine.mset, version, "migrate")
        target = self._engine.target
        while self.position < k:
            runner.apply(self.db, self._engine.migrations[self.position], target)
            self.position += 1
        while self.position > k:
            runner.rollback(self.db, self._engine.migrations[self.position - 1], target)
            self.position -= 1
        return self.db

    def forward(self) -> sqlite3.Connection:
        """Apply the next migration (the one under test)."""
        if self.position >= len(self._engine.migrations):
            pytest.fail(f"forward(): {self.label} is the last migration", pytrace=False)
        return self.migrate(self.position + 1)

    def rollback(self) -> sqlite3.Connection:
        """Roll back the last applied migration with its rollback file."""
        if self.position == 0:
            pytest.fail("rollback(): no migration is applied", pytrace=False)
        return self.migrate(self.position - 1)

    def close(self) -> None:
        """Close the connection (the test's end closes it too)."""
        self.db.close()


class Migrator:
    """The ``migrator`` fixture: ``at(version)`` starts a :class:`Migrated` database."""

    def __init__(self, engine: Engine, state: SetState) -> None:
        self._engine = engine
        self._state = state

    def at(self, version: Version) -> Migrated:
        """A fresh connection at ``version`` (restored from the snapshot, not re-applied)."""
        k = position(self._engine, version, "migrator.at")
        db = self._state.opened(self._engine.restore(k))
        return Migrated(self._engine, db, k)


def _resolved(mset: MigrationSet, version: Version, what: str) -> int:
    """The position of ``version`` in the set, or a failure naming the known ones."""
    k = _index(mset, version)
    if isinstance(k, str):
        pytest.fail(f"{what}({version!r}): {k}", pytrace=False)
    return k


def position(engine: Engine, version: Version, fixture: str) -> int:
    """The snapshot index of ``version``, or a failure saying why there is none."""
    k = _index(engine.mset, version)
    if isinstance(k, str):
        pytest.fail(f"{fixture}({version!r}): {k}", pytrace=False)
    failure = engine.apply_failure
    if not engine.available(k) and failure is not None:
        broken = engine.migrations[failure[0] - 1].label
        pytest.fail(
            f"{fixture}({version!r}): cannot be built because {broken} does not "
            f"apply: {failure[1].reason}",
            pytrace=False,
        )
    if not engine.available(k) and engine.stop is not None:
        pytest.fail(f"{fixture}({version!r}): cannot be built: {engine.stop[1]}", pytrace=False)
    return k


def _index(mset: MigrationSet, version: Version) -> int | str:
    """Position of ``version`` in the set (0: empty database), or why it has none."""
    if version is None:
        return len(mset.migrations)
    if isinstance(version, str):
        names = {m.label: i for i, m in enumerate(mset.migrations, start=1)}
        names.update({m.id: i for i, m in enumerate(mset.migrations, start=1)})
        if version in names:
            return names[version]
        close = difflib.get_close_matches(version, list(names), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "give a version number or label"
        return f"no such migration ({hint})"
    try:
        return mset.index_of(version)
    except HarnessError as exc:
        return str(exc)
