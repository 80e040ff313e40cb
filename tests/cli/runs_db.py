"""The targets that run ``db/``'s files whole, for the commands' tests that migrate it.

``db/`` puts several statements between drizzle's breakpoints, which drizzle refuses, as it
would; postgrator since 7.3.0 without an ``execSqlScript`` hands each file to node-sqlite3's
``db.all``, which runs only its first statement (``postgrator-query``), so ``db/`` there
builds another schema, as it would.
"""

from __future__ import annotations

from typing import Final

from migration_harness.sets.targets import TARGETS

RUNS_DB: Final = sorted(set(TARGETS) - {"drizzle", "drizzle-v1", "postgrator-query"})
