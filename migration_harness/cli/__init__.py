"""The ``migration-harness`` command line: parse arguments, call the library, print.

Every command is a thin shell over the library, one module per group of commands. A
check that finds problems exits 1; bad input exits 2; a clean run exits 0.
"""

from __future__ import annotations

import click

from migration_harness.cli.check import audit, check, replay
from migration_harness.cli.database import migrate, rollback, status
from migration_harness.cli.lint import lint
from migration_harness.cli.report import report


@click.group()
@click.version_option(package_name="migration-harness")
def cli() -> None:
    """Prove that a SQLite or Cloudflare D1 migration set and its rollbacks are safe."""


cli.add_command(migrate)
cli.add_command(status)
cli.add_command(rollback)
cli.add_command(audit)
cli.add_command(check)
cli.add_command(replay)
cli.add_command(report)
cli.add_command(lint)

__all__ = ["cli"]
