"""Fixtures for the tests users write about their own migration set.

They share the collected items' Engine, so a user's test starts from the same per-version
snapshots the built-in checks use: a database "at version 7" is restored in microseconds
instead of re-applying 1..7, and generated datasets are the ones the checks draw. Versions
are the set's own numbers (``7`` for ``0007_clerk_integration``), a label or file name, or
``None`` for the last migration; ``0`` is the empty database before the first one.

Every fixture fails with a message saying how to configure a set when none is, rather than
with an ``AttributeError`` on ``None``.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import pytest

from migration_harness.errors import HarnessError
from migration_harness.plugin.migrator import Migrator, Version, position
from migration_harness.plugin.options import TABLE
from migration_harness.plugin.state import SetState, state_of

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from migration_harness.checks.engine import Engine
    from migration_harness.data.strategies import Dataset
    from migration_harness.schema.model import Schema
    from migration_harness.sets.discovery import MigrationSet


class MigratedDb(Protocol):
    """``migrated_db(version) -> sqlite3.Connection``: a fresh in-memory copy at ``version``."""

    def __call__(self, version: Version = None) -> sqlite3.Connection:
        """Restore the snapshot; the connection is closed at teardown."""
        ...


class SchemaAt(Protocol):
    """``migration_schema(version) -> Schema``: the introspected schema at ``version``."""

    def __call__(self, version: Version = None) -> Schema:
        """The snapshot's schema (frozen records: compare or diff them freely)."""
        ...


class DatasetStrategyFor(Protocol):
    """``dataset_strategy(version, tables) -> SearchStrategy[Dataset]``."""

    def __call__(
        self, version: Version = None, tables: Sequence[str] | None = None
    ) -> SearchStrategy[Dataset]:
        """Valid datasets for ``tables`` (all when ``None``) and the parents they need."""
        ...


def _configured(config: pytest.Config, fixture: str) -> SetState:
    """The session's state, or a setup error saying how to configure a set."""
    state = state_of(config)
    if state is None:
        pytest.fail(
            f"{fixture}: no migration set is configured for this run (add a [tool.{TABLE}] "
            'table with migrations = "db" to pyproject.toml, or pass --migrations PATH)',
            pytrace=False,
        )
    return state


@pytest.fixture(scope="session")
def migration_set(request: pytest.FixtureRequest) -> MigrationSet:
    """The configured :class:`~migration_harness.sets.discovery.MigrationSet`."""
    state = _configured(request.config, "migration_set")
    try:
        return state.migration_set()
    except HarnessError as exc:
        error = f"migration_set: {exc}"
    pytest.fail(error, pytrace=False)  # outside `except`: no "during handling" chain


@pytest.fixture(scope="session")
def migration_engine(request: pytest.FixtureRequest) -> Engine:
    """The session's shared :class:`~migration_harness.checks.engine.Engine` (the items' one)."""
    state = _configured(request.config, "migration_engine")
    try:
        return state.engine()
    except HarnessError as exc:
        error = f"migration_engine: cannot build {state.name}: {exc}"
    pytest.fail(error, pytrace=False)


@pytest.fixture(scope="session")
def migrated_db(request: pytest.FixtureRequest, migration_engine: Engine) -> MigratedDb:
    """A factory of in-memory databases at a version, under the set's target rules.

    Session-scoped, so a ``@given`` test may use it (Hypothesis refuses function-scoped
    fixtures, which would not be reset between examples): every call returns a fresh copy
    anyway, and the connections a test opened are closed when that test ends.
    """
    state = _configured(request.config, "migrated_db")

    def make(version: Version = None) -> sqlite3.Connection:
        return state.opened(
            migration_engine.restore(position(migration_engine, version, "migrated_db"))
        )

    return make


@pytest.fixture(scope="session")
def migrator(request: pytest.FixtureRequest, migration_engine: Engine) -> Migrator:
    """Move one connection through the set: ``migrator.at(1)``, write rows, ``.forward()``.

    Like django-test-migrations' ``Migrator``: the database starts at a version restored
    from the snapshot, and each later step runs the set's own files with the target's
    rules on the very connection the test populated. Session-scoped, for ``@given``.
    """
    return Migrator(migration_engine, _configured(request.config, "migrator"))


@pytest.fixture(scope="session")
def migration_schema(migration_engine: Engine) -> SchemaAt:
    """A factory of the schema at a version (read from the snapshot, never re-introspected)."""

    def at(version: Version = None) -> Schema:
        return migration_engine.versions[
            position(migration_engine, version, "migration_schema")
        ].schema

    return at


@pytest.fixture(scope="session")
def dataset_strategy(migration_engine: Engine) -> DatasetStrategyFor:
    """A factory of Hypothesis strategies of valid datasets at a version.

    Parents of the tables asked for are added, so every drawn dataset inserts cleanly on
    :func:`migrated_db` at the same version (``migration_harness.data.strategies.insert``).
    """

    def strategy(
        version: Version = None, tables: Sequence[str] | None = None
    ) -> SearchStrategy[Dataset]:
        k = position(migration_engine, version, "dataset_strategy")
        schema = migration_engine.versions[k].schema
        names = schema.with_parents(_tables(schema, tables, version))
        found: SearchStrategy[Dataset] = migration_engine.datasets(k, names)
        return found

    return strategy


def _tables(schema: Schema, tables: Sequence[str] | None, version: Version) -> list[str]:
    """The table names asked for, as the schema spells them; all tables for ``None``."""
    if tables is None:
        return list(schema.tables)
    if isinstance(tables, str):
        message = f"dataset_strategy: tables must be a list of names, not the string {tables!r}"
        raise TypeError(message)
    lower = {name.lower(): name for name in schema.tables}
    found = []
    for name in tables:
        if name.lower() not in lower:
            close = difflib.get_close_matches(name, list(schema.tables), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "it is created later or dropped"
            pytest.fail(
                f"dataset_strategy({version!r}): no table {name!r} at that version ({hint})",
                pytrace=False,
            )
        found.append(lower[name.lower()])
    return found
