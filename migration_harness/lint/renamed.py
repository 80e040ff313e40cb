"""A shipped migration renamed under a new runner key (MH332 error, MH333 warning).

The renames come from git (:func:`~migration_harness.sets.renames.renamed_files`); here
each becomes a finding on the file as it is named today. Where the runner refuses an
applied key no file has, every database of the earlier release stops: an error. Where it
runs the new name as a new migration, every such database runs the file a second time on
the tables it made: an error when that second run fails (the file's statements replayed
on SQLite over the schema after it), else a warning, since its data statements write
twice and nothing fails to say so.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Final

from migration_harness.lint.context import statements_for
from migration_harness.report.catalogue import RULES
from migration_harness.report.findings import Finding
from migration_harness.sets.records import Migration, MigrationSet
from migration_harness.sets.renames import REFUSES, Rename
from migration_harness.sets.targets import Target

KIND: Final = "renamed-shipped-migration"

_REFUSAL: Final[dict[str, str]] = {
    "sql-migrate": "sql-migrate stops planning with 'unknown migration in database' "
    "(with IgnoreUnknown it runs the file again instead)",
    "sqlx": "sqlx stops with VersionMissing before it runs anything (unless ignore_missing)",
    "refinery": "refinery stops: a changed name is a DivergentVersion (abort_divergent), a "
    "version no file has a MissingVersion (abort_missing)",
    "flyway": "Flyway's validate (validateOnMigrate) fails the migrate: the applied "
    "migration's version or description has no file",
    "golang-migrate": "a database whose recorded version is the old one stops ('no migration "
    "found for version'); one past it runs the file again, or never, by its new number",
}
_REFUSAL["refinery-grouped"] = _REFUSAL["refinery"]


def renamed_findings(
    mset: MigrationSet,
    renames: Sequence[Rename],
    target: Target,
    only: Collection[Path] | None = None,
) -> list[Finding]:
    """One finding per rename of a file linted (``only``: resolved paths; ``None``: all)."""
    found: list[Finding] = []
    for rename in renames:
        if only is not None and rename.path.resolve() not in only:
            continue
        found.append(_finding(mset, rename, target))
    return found


def _finding(mset: MigrationSet, rename: Rename, target: Target) -> Finding:
    """The finding for one rename: refused, re-run and failing, or re-run."""
    said = (
        f"{rename.old} shipped and {rename.commit[:7]} renamed it to {rename.new}: "
        f"{target.name} recorded it as {rename.old_key!r}, which no file has now, and reads "
        f"the new name as {rename.new_key!r}"
    )
    failure = (
        None if rename.consequence == REFUSES else rerun_failure(mset, rename.migration, target)
    )
    if rename.consequence == REFUSES:
        code = "MH332"
        message = f"{said}; {_REFUSAL.get(target.name, 'the runner refuses to start')}: every "
        message += "database the earlier release made stops before it migrates"
    elif failure:
        code = "MH332"
        message = f"{said}, a migration no database ran: every database the earlier "
        message += "release made runs the file again on the tables it made, and it fails: "
        message += failure
    else:
        code = "MH333"
        message = f"{said}, a migration no database ran: every database the earlier "
        message += "release made runs the file again (its statements pass on the schema it "
        message += "made; its data statements write a second time)"
    return Finding(
        KIND,
        rename.migration,
        message,
        (f"renamed by commit {rename.commit}", f"fix: {RULES[code].fix}"),
        direction="apply",
        check="lint",
        code=code,
        file=str(rename.path),
        line=1,
    )


def rerun_failure(mset: MigrationSet, label: str, target: Target) -> str | None:
    """SQLite's error when the migration runs a second time right after itself.

    The set's forward files up to it build the schema on an empty in-memory database
    (keys off: a schema, not rows, is the question), then the file runs again, each file
    as ``target`` sends it (goose's sections, micrate's first statement, wrangler's
    rewriting: :func:`~migration_harness.lint.context.statements_for`). ``None``: the
    second run passes, or an earlier file does not run (a runner refuses it, another
    runner's syntax), where nothing is known.
    """
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for migration in mset.migrations:
            if _run(db, migration, target) is not None:
                return None
            if migration.label == label:
                return _run(db, migration, target)
        return None
    finally:
        db.close()


def _run(db: sqlite3.Connection, migration: Migration, target: Target) -> str | None:
    """Run the migration's forward file on ``db`` as ``target`` sends it: its error, if any."""
    statements, _, refused = statements_for(target, migration.up_sql, migration.up_options)
    if refused is not None:
        return str(refused)
    try:
        for statement in statements:
            db.execute(statement.sql)
    except sqlite3.Error as exc:
        return str(exc)
    return None
