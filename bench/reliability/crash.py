"""Run the CLI with the process killed (``os._exit``) at a chosen point of one file.

``--at after-commit`` dies after the named file's own ``COMMIT`` and before its tracking
row (the window issue 15 found a self-managed file left a version ahead); ``--at
before-commit`` dies inside the file's transaction, before its ``COMMIT``. Used by
``tests/test_recovery.py`` and by the kill trials; never imported by the harness.

    python -m bench.reliability.crash --at after-commit --file 0003_rebuild.sql -- migrate ...
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from migration_harness.sets import atomic, runner
from migration_harness.sets.sql import Statement
from migration_harness.sets.targets import Target

KILLED = 137


def _arm(at: str, name: str) -> None:
    """Patch the runner so the process dies at ``at`` while running ``name``.

    Both modules are patched: :mod:`~migration_harness.sets.atomic` runs one file and
    :mod:`~migration_harness.sets.runner` (one transaction, settling) calls the same steps.
    """
    run_statements = atomic._run_statements
    run_tracking = atomic._run_tracking
    state = {"ran": False}

    def statements(
        conn: sqlite3.Connection, plan: Sequence[Statement], path: Path, target: Target
    ) -> None:
        if path.name != name:
            run_statements(conn, plan, path, target)
            return
        if at == "before-commit":
            run_statements(conn, plan[:-1], path, target)
            os._exit(KILLED)
        run_statements(conn, plan, path, target)
        state["ran"] = True

    def tracking(conn: sqlite3.Connection, rows: Any, target: Target, *more: Any) -> None:
        if state["ran"] and at == "after-commit":
            os._exit(KILLED)
        run_tracking(conn, rows, target, *more)

    atomic._run_statements = statements  # type: ignore[assignment]
    atomic._run_tracking = tracking  # type: ignore[assignment]
    runner._run_statements = statements  # type: ignore[assignment]
    runner._run_tracking = tracking  # type: ignore[assignment]


def main(argv: Sequence[str] | None = None) -> None:
    """Arm the crash, then run the CLI with the rest of the arguments."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--at", choices=("after-commit", "before-commit"), required=True)
    parser.add_argument("--file", required=True, help="the migration file's name")
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    _arm(options.at, options.file)
    from migration_harness.cli import cli

    args = options.args[1:] if options.args[:1] == ["--"] else options.args
    sys.exit(cli.main(args, standalone_mode=True))


if __name__ == "__main__":
    main()
