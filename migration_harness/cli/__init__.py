"""The ``migration-harness`` command line: parse arguments, call the library, print.

Every command is a thin shell over the library, one module per group of commands. A
check that finds problems at the fail level exits 1; bad input exits 2; an internal error
of the harness exits 3; a clean run exits 0.
"""

from __future__ import annotations

import click

from migration_harness.cli.check import audit, baseline, check, replay
from migration_harness.cli.d1 import d1
from migration_harness.cli.database import migrate, rollback, status
from migration_harness.cli.docs import docs
from migration_harness.cli.lint import lint
from migration_harness.cli.profile import profile
from migration_harness.cli.report import report
from migration_harness.cli.usage import OneLineUsage


@click.group(cls=OneLineUsage)
@click.version_option(package_name="migration-harness")
@click.option("--debug", is_flag=True, help="Print the traceback of an internal error (exit 3).")
def cli(debug: bool) -> None:
    """Prove that a SQLite or Cloudflare D1 migration set and its rollbacks are safe.

    Exit status: 0 clean at the fail level, 1 findings, 2 bad input or usage, 3 an
    internal error of the harness (please report it).
    """


cli.add_command(migrate)
cli.add_command(status)
cli.add_command(rollback)
cli.add_command(audit)
cli.add_command(check)
cli.add_command(baseline)
cli.add_command(replay)
cli.add_command(report)
cli.add_command(lint)
cli.add_command(d1)
cli.add_command(docs)
cli.add_command(profile)

__all__ = ["cli"]
