"""``migration-harness lint``: the static rules, in milliseconds, with no database."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import click

from migration_harness.cli.common import (
    load,
    reading_options,
    rollback_use_options,
    rollbacks_run,
    set_renames,
    set_ship_groups,
    shell,
    ship_groups_option,
)
from migration_harness.errors import HarnessError
from migration_harness.report.lint_render import FORMATS, render
from migration_harness.sets.changes import commit_of, work_tree
from migration_harness.sets.discovery import MigrationSet
from migration_harness.sets.functions import set_config
from migration_harness.sets.registry import TARGETS


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--migrations", type=click.Path(path_type=Path), help="Folder of forward migrations.")
@click.option("--rollbacks", type=click.Path(path_type=Path), help="Folder of rollback files.")
@click.option(
    "--target",
    type=click.Choice(sorted(TARGETS)),
    default=None,
    help="Runner rules (default: d1 for a wrangler D1 project, else the layout's runner).",
)
@click.option(
    "--foreign-keys",
    "foreign_keys",
    type=click.Choice(["on", "off"]),
    default=None,
    help="Override the target's foreign-keys default.",
)
@reading_options
@click.option(
    "--since",
    "since",
    default=None,
    metavar="REV",
    help="Lint only files added or changed since this git revision (the history is still "
    "read, for the schema).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text, json, sarif (code scanning) or github (workflow annotations).",
)
@rollback_use_options
@ship_groups_option
@click.option(
    "--untracked",
    is_flag=True,
    help="The set is applied by hand, without a tracking table (CREATE needs IF NOT EXISTS). "
    "Default: applied in the config, else the target's (untracked for plain sqlite), as check.",
)
@shell
def lint(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None,
    since: str | None,
    fmt: str,
    production_rollbacks: str | None,
    production_rollbacks_from: str | None,
    ship_groups: str | None,
    untracked: bool,
) -> None:
    """Check migration files against the static rules (MH2xx-MH4xx), without a database.

    Exits 1 when a finding has error severity, 0 otherwise (warnings and notes are
    printed), 2 on bad input.
    """
    from migration_harness.lint import lint_set, lints_tracked

    started = time.perf_counter()
    mset, tgt = load(path, migrations, rollbacks, target, foreign_keys, example=True)
    only = changed_files(mset, since) if since is not None else None
    config = set_config(
        mset,
        production_rollbacks=production_rollbacks,
        production_rollbacks_from=production_rollbacks_from,
        ship_groups=ship_groups,
    )
    downs_run = rollbacks_run(mset, config, production_rollbacks, production_rollbacks_from)
    # As check reads it: the config's applied, else the target's default (load() applied
    # both); --untracked forces it. Lint used to call every set tracked, plain sqlite too.
    tracked = lints_tracked(tgt, untracked=untracked)
    # files applied by hand one at a time ship alone (as ship_groups() says of untracked)
    groups = set_ship_groups(mset, config, tgt) if tracked else ()
    renames = set_renames(mset, config, tgt) if tracked else ()
    findings = lint_set(
        mset, tgt, only=only, tracked=tracked, rollbacks=downs_run, groups=groups, renames=renames
    )
    files = _file_count(mset, only)
    click.echo(render(findings, fmt, files=files), nl=False)
    if fmt == "text":
        click.echo(f"({(time.perf_counter() - started) * 1000:.0f} ms)")
    errors = [f for f in findings if f.severity == "error" and not f.suppressed]
    sys.exit(1 if errors else 0)


def _file_count(mset: MigrationSet, only: set[Path] | None) -> int:
    """How many files were linted."""
    paths = {m.path for m in mset.migrations} | {
        m.down_path for m in mset.migrations if m.down_path is not None
    }
    return len(paths) if only is None else len({p for p in paths if p.resolve() in only})


def changed_files(mset: MigrationSet, since: str) -> set[Path]:
    """Files added or changed since ``since`` (committed, staged, or in the work tree).

    Raises:
        HarnessError: not a git work tree, or an unknown revision.

    """
    where = mset.migrations_dir
    top = work_tree(where, since)
    commit = commit_of(where, since, top)
    changed = _git(where, "diff", "--name-only", "--diff-filter=ACMR", commit, "--")
    new = _git(where, "ls-files", "--others", "--exclude-standard")
    root = Path(top)
    found = {(root / line).resolve() for line in changed.splitlines() if line}
    found |= {(where / line).resolve() for line in new.splitlines() if line}
    return found


def _git(where: Path, *args: str) -> str:
    """Run git in ``where``; a failure is the user's input problem (exit 2)."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=where, capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        message = "--since: git is not installed"
        raise HarnessError(message) from exc
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["git failed"])[0]
        message = f"--since: git {args[0]} failed in {where}: {first}"
        raise HarnessError(message)
    return done.stdout
