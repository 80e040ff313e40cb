"""The pytest plugin: a migration set's checks as test items, and fixtures to write more.

Registered through the ``pytest11`` entry point as ``migration_harness``, so it loads in
every pytest run of an environment that installs migration-harness. It therefore stays
silent until a set is configured (``[tool.migration-harness]`` in pyproject.toml, a
``migrations_path`` ini key, or ``--migrations PATH``), and importing it stays cheap:
Hypothesis, sqlglot, Faker and the check engine are imported inside hooks and fixtures,
only once there is a set to check (``tests/plugin/test_inert.py`` holds it to that).

Modules: ``options`` (what can be configured), ``settings`` (resolving it), ``state``
(the session's set and Engine), ``hooks``, ``collect`` (the items), ``output`` (how a
failure reads), ``accept`` (suppressions, ``since``), ``fixtures`` and ``migrator``.
"""

from __future__ import annotations

from migration_harness.plugin.accept import pytest_terminal_summary
from migration_harness.plugin.fixtures import (
    DatasetStrategyFor,
    MigratedDb,
    SchemaAt,
    dataset_strategy,
    migrated_db,
    migration_engine,
    migration_schema,
    migration_set,
    migrator,
)
from migration_harness.plugin.hooks import (
    pytest_addoption,
    pytest_collect_file,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_make_collect_report,
    pytest_report_header,
    pytest_runtest_call,
    pytest_runtest_teardown,
    pytest_sessionfinish,
)
from migration_harness.plugin.migrator import Migrated, Migrator

__all__ = [
    "DatasetStrategyFor",
    "Migrated",
    "MigratedDb",
    "Migrator",
    "SchemaAt",
    "dataset_strategy",
    "migrated_db",
    "migration_engine",
    "migration_schema",
    "migration_set",
    "migrator",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_make_collect_report",
    "pytest_report_header",
    "pytest_runtest_call",
    "pytest_runtest_teardown",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
]
