"""migration-harness: prove SQLite and Cloudflare D1 migration sets and rollbacks safe.

The public API is imported on first use (PEP 562): the pytest plugin loads this package
in every pytest run of an environment that installs it, and importing sqlglot and
sqlite-utils there would slow down projects that never configure a migration set.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
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
    from migration_harness.sets.registry import TARGETS
    from migration_harness.sets.runner import (
        apply,
        connect,
        migrate,
        rollback,
        rollback_to,
        status,
    )
    from migration_harness.sets.targets import Target

    __version__: str

_MODULES: Final = {
    "migration_harness.errors": (
        "CheckFailedError",
        "DiscoveryError",
        "FindingWarning",
        "HarnessError",
        "MigrationError",
    ),
    "migration_harness.schema.audit": ("Coverage", "audit_foreign_keys"),
    "migration_harness.schema.diff": ("SchemaDiff", "diff_schemas"),
    "migration_harness.schema.model": ("Schema", "introspect"),
    "migration_harness.sets.discovery": ("Migration", "MigrationSet", "discover"),
    "migration_harness.sets.runner": (
        "apply",
        "connect",
        "migrate",
        "rollback",
        "rollback_to",
        "status",
    ),
    "migration_harness.sets.registry": ("TARGETS",),
    "migration_harness.sets.targets": ("Target",),
}
_WHERE: Final = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is used."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("migration-harness")
        except PackageNotFoundError:  # a source tree that was never installed
            found = "0+unknown"
        globals()["__version__"] = found
        return found
    module = _WHERE.get(name)
    if module is None:
        message = f"module 'migration_harness' has no attribute {name!r}"
        raise AttributeError(message)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
