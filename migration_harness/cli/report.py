"""``report``: the status and rollback documents written beside the set."""

from __future__ import annotations

from pathlib import Path

import click

from migration_harness.cli.common import (
    load,
    output_path,
    set_options,
    shell,
)
from migration_harness.errors import HarnessError
from migration_harness.report.outputs import replace_text
from migration_harness.sets.functions import set_config
from migration_harness.sets.locate import inside_package


@click.command()
@set_options
@click.option(
    "--docs",
    "docs_dir",
    type=click.Path(path_type=Path),
    default=Path("docs"),
    show_default=True,
    help="Folder for MIGRATION_ROLLBACK.md.",
)
@click.option(
    "--profile",
    type=click.Choice(["dev", "ci", "thorough"]),
    default="ci",
    show_default=True,
    help="Hypothesis budget for the rollback measurements.",
)
@shell
def report(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    engine: str,
    docs_dir: Path,
    profile: str,
) -> None:
    """Write MIGRATION_STATUS.md beside the set and docs/MIGRATION_ROLLBACK.md.

    Both are generated from in-memory runs: the set's files are only read.
    """
    from migration_harness.checks.run import check_set
    from migration_harness.report.render import rollback_markdown, status_markdown
    from migration_harness.report.status import gather

    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, engine)
    if engine != "sqlite3":
        message = "report: --engine miniflare is not supported (run check --engine miniflare)"
        raise HarnessError(message)
    name = str(path) if path is not None else "db"
    status_file = mset.migrations_dir.parent if mset.layout == "harness" else mset.root
    status_path = status_file / "MIGRATION_STATUS.md"
    for written in (status_path, docs_dir):
        if inside_package(written):
            message = f"report: {written} is inside the installed package (pass PATH or --docs)"
            raise HarnessError(message)
    output_path("report", status_path)
    rollback_path = _docs_folder(docs_dir) / "MIGRATION_ROLLBACK.md"
    output_path("report", rollback_path)
    replace_text(status_path, status_markdown(gather(mset, tgt, set_name=name)))
    click.echo(f"wrote {status_path}")
    run = check_set(mset, tgt, profile=profile, config=set_config(mset))
    run.set_path = name
    replace_text(rollback_path, rollback_markdown(run))
    click.echo(f"wrote {rollback_path}")


def _docs_folder(docs_dir: Path) -> Path:
    """``--docs``, created before any work: a folder that cannot be made is one line.

    ``mkdir`` after the status file was written ended a half-done report in an internal
    error (exit 3) when the folder sat in a read-only tree or a file had its name.
    """
    if docs_dir.exists() and not docs_dir.is_dir():
        message = f"--docs {docs_dir}: is a file (give a folder for MIGRATION_ROLLBACK.md)"
        raise HarnessError(message)
    try:
        docs_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = f"--docs {docs_dir}: cannot be created ({exc.strerror})"
        raise HarnessError(message) from exc
    return docs_dir
