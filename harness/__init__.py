"""migration-harness: prove SQLite and Cloudflare D1 migration sets and rollbacks safe."""

from __future__ import annotations

from harness.audit import Coverage, audit_foreign_keys
from harness.diff import SchemaDiff, diff_schemas
from harness.discovery import Migration, MigrationSet, discover
from harness.errors import (
    CheckFailedError,
    DiscoveryError,
    HarnessError,
    MigrationError,
)
from harness.runner import apply, connect, migrate, rollback, rollback_to, status
from harness.schema import Schema, introspect
from harness.targets import TARGETS, Target

__all__ = [
    "TARGETS",
    "CheckFailedError",
    "Coverage",
    "DiscoveryError",
    "HarnessError",
    "Migration",
    "MigrationError",
    "MigrationSet",
    "Schema",
    "SchemaDiff",
    "Target",
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
