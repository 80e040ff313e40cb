"""``docs``: the reference pages ``--help`` and error messages cite, for a pip user too.

A wheel has no ``docs/`` folder beside the user's project, so the pages ship inside the
package (``migration_harness/_docs``, see pyproject's force-include) and this command
prints them; in a checkout they are read from ``docs/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import click

from migration_harness.cli.common import shell
from migration_harness.errors import HarnessError

_PACKAGE: Final = Path(__file__).resolve().parent.parent
# name on the command line -> file (the pages --help and messages refer to).
PAGES: Final = {
    "runners": "RUNNERS.md",
    "findings": "FINDINGS.md",
    "lint": "LINT.md",
}


def docs_dir() -> Path:
    """The shipped pages (``_docs`` in the wheel), else the checkout's ``docs/``."""
    packaged = _PACKAGE / "_docs"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "docs"


@click.command()
@click.argument("page", required=False, type=click.Choice(sorted(PAGES)))
@click.option("--path", "show_path", is_flag=True, help="Print the file's path instead.")
@shell
def docs(page: str | None, show_path: bool) -> None:
    """Print a reference page: runners (each runner's rules), findings (every code), lint.

    Without PAGE, list the pages and where they are installed.
    """
    if page is None:
        for name, file in PAGES.items():
            click.echo(f"{name:<9} {docs_dir() / file}")
        return
    path = docs_dir() / PAGES[page]
    if not path.is_file():
        message = f"{path}: missing from this installation (reinstall migration-harness)"
        raise HarnessError(message)
    click.echo(str(path) if show_path else path.read_text(encoding="utf-8"), nl=show_path)
