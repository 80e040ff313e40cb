"""migration-harness: prove SQLite and Cloudflare D1 migration sets and rollbacks safe."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from migration_harness.errors import (
    CheckFailedError,
    DiscoveryError,
    FindingWarning,
    HarnessError,
    MigrationError,
)
from migration_harness.schema.audit import Coverage, audit_foreign_keys
from migration_harness.schema.diff import SchemaDiff, diff_schemas
from migration_harness.schema.model import Schema, introspect
from migration_harness.sets.discovery import Migration, MigrationSet, discover
from migration_harness.sets.runner import apply, connect, migrate, rollback, rollback_to, status
from migration_harness.sets.targets import TARGETS, Target

try:
    __version__ = version("migration-harness")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "TARGETS",
    "CheckFailedError",
    "Coverage",
    "DiscoveryError",
    "FindingWarning",
    "HarnessError",
    "Migration",
    "MigrationError",
    "MigrationSet",
    "Schema",
    "SchemaDiff",
    "Target",
    "__version__",
    "apply",
    "audit_foreign_keys",
    "connect",
    "diff_schemas",
    "discover",
    "introspect",
    "migrate",
    "rollback",
    "rollback_to",
    "status",
]
