"""``python -m migration_harness``: the same command line as ``migration-harness``."""

from migration_harness.cli import cli

if __name__ == "__main__":
    cli()
