"""``d1 install``: the pinned local D1 for people who installed the harness with pip.

The library finds and describes the npm packages (:mod:`migration_harness.d1.npm`); this
command only runs npm in the harness's cache folder and says where it went.
"""

from __future__ import annotations

import subprocess
import sys

import click

from migration_harness.cli.common import shell
from migration_harness.d1 import npm
from migration_harness.errors import HarnessError


@click.group()
def d1() -> None:
    """The local D1 that `--engine miniflare` runs on (Node.js + wrangler's packages)."""


@d1.command()
@click.option("--dry-run", is_flag=True, help="Print the npm command and the folder, run nothing.")
@shell
def install(dry_run: bool) -> None:
    """Install the pinned wrangler (with miniflare and workerd) into the harness's cache.

    The folder is $MIGRATION_HARNESS_CACHE/node, by default the user cache folder (e.g.
    ~/.cache/migration-harness/node); `--engine miniflare` looks there after the
    project's own node_modules. In a wrangler project `npm i -D wrangler@<pin>` works too.
    """
    folder = npm.node_dir()
    command = npm.install_command(npm.find_npm(), folder)
    pin = npm.pinned_wrangler()
    if dry_run:
        click.echo(f"would install wrangler {pin} into {folder}:")
        click.echo(" ".join(command))
        return
    npm.prepare(folder)
    click.echo(f"installing wrangler {pin} into {folder} ...", err=True)
    done = subprocess.run(command, check=False, stdout=sys.stderr)
    if done.returncode != 0:
        message = f"d1 install: npm failed with exit status {done.returncode} (output above)"
        raise HarnessError(message)
    click.echo(f"installed wrangler {pin} into {folder / 'node_modules'}")
