"""The pytest plugin: a migration set's checks as test items, and fixtures to write more.

Registered through the ``pytest11`` entry point, so it loads in every pytest run of an
environment that installs migration-harness. It therefore stays silent until a set is
configured (``[tool.migration-harness]`` in pyproject.toml, or ``--migrations PATH``), and
importing it stays cheap: Hypothesis and the check engine are imported inside hooks, only
once there is a set to check.
"""

from __future__ import annotations

from migration_harness.plugin.accept import (
    pytest_collection_modifyitems,
    pytest_terminal_summary,
)
from migration_harness.plugin.fixtures import (
    DatasetStrategyFor,
    MigratedDb,
    SchemaAt,
    dataset_strategy,
    migrated_db,
    migration_engine,
    migration_schema,
    migration_set,
)
from migration_harness.plugin.hooks import (
    pytest_addoption,
    pytest_collect_file,
    pytest_configure,
    pytest_make_collect_report,
    pytest_report_header,
)

__all__ = [
    "DatasetStrategyFor",
    "MigratedDb",
    "SchemaAt",
    "dataset_strategy",
    "migrated_db",
    "migration_engine",
    "migration_schema",
    "migration_set",
    "pytest_addoption",
    "pytest_collect_file",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_make_collect_report",
    "pytest_report_header",
    "pytest_terminal_summary",
]
