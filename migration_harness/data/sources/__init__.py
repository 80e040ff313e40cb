"""Real data for ``check --data``: a production copy, a SQL dump, or a local D1.

One job per module: :mod:`.locate` finds the file, :mod:`.load` copies it into memory
(read-only), :mod:`.sample` cuts a foreign-key-closed sample, :mod:`.version` places it
in the set.
"""

from __future__ import annotations

from migration_harness.data.sources.load import SIZE_LIMIT, load
from migration_harness.data.sources.locate import D1_PREFIX, Source, digest_of, resolve
from migration_harness.data.sources.version import (
    RealData,
    real_data,
    refuse_drift,
    refuse_orphans,
)

__all__ = [
    "D1_PREFIX",
    "SIZE_LIMIT",
    "RealData",
    "Source",
    "digest_of",
    "load",
    "real_data",
    "refuse_drift",
    "refuse_orphans",
    "resolve",
]
