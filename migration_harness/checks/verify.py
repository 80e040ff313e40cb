"""``verify_error``: a change's verify script fails right after the change was deployed.

sqitch pairs each change with ``verify/<change>.sql``: queries that fail unless the deploy
did its job (``SELECT id, name FROM users WHERE 0;``). ``sqitch deploy --verify`` runs it
after each deploy script and ``sqitch verify`` over every deployed change; a failure means
the database is not what the change promises. The harness runs the verify script of the
newest deployed change after each deploy here and after every version move of the history
machine, on the same connection, under the target's rules (sqitch's own ``.read``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from migration_harness.checks.engine import Engine
from migration_harness.errors import MigrationError
from migration_harness.report.findings import Finding
from migration_harness.sets import runner
from migration_harness.sets.records import Migration
from migration_harness.sets.targets import Target


def verify_failure(
    conn: sqlite3.Connection, migration: Migration, target: Target
) -> MigrationError | None:
    """Run ``migration``'s verify script on ``conn``; the error it raises, if any.

    The script runs as sqitch runs it (its own ``BEGIN``/``ROLLBACK`` kept), and whatever it
    leaves open is rolled back, so the connection is as before whatever the outcome.
    """
    sql = migration.runner_data.get("verify_sql")
    if not isinstance(sql, str):
        return None
    path = Path(str(migration.runner_data.get("verify_path", migration.path)))
    try:
        runner.execute(conn, sql, path, target)
    except MigrationError as exc:
        return exc
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    return None


def verify_finding(migration: Migration, exc: MigrationError, steps: list[str]) -> Finding:
    """The ``verify_error`` finding for a failed verify script."""
    return Finding(
        "verify_error",
        migration.label,
        f"its verify script fails after it was deployed: {exc.reason}",
        (f"file: {exc.path}", f"statement: {' '.join((exc.statement or '').split())[:300]}"),
        {"steps": steps},
        check="verify",
    )


def check_verify(engine: Engine, k: int) -> list[Finding]:
    """``verify_error``: k's verify script passes on the database right after k deployed."""
    migration = engine.migrations[k - 1]
    if "verify_sql" not in migration.runner_data or not engine.available(k):
        return []
    conn = engine.restore(k)
    try:
        failure = verify_failure(conn, migration, engine.target)
    finally:
        conn.close()
    if failure is None:
        return []
    steps = [f"migrate to version {k}", f"run {Path(failure.path.split(':')[0]).name}"]
    return [verify_finding(migration, failure, steps)]
