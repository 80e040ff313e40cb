"""``python -m harness``: the same command line as ``migration-harness``."""

from harness.cli import cli

if __name__ == "__main__":
    cli()
