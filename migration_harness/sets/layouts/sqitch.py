"""sqitch: ``sqitch.plan`` orders changes; ``deploy/``, ``revert/`` and ``verify/`` hold them.

Each change line of the plan (``name [deps] date planner <email> # note``) names
``deploy/<name>.sql`` (its migration), ``revert/<name>.sql`` (its rollback) and
``verify/<name>.sql`` (run after deploy: an error there means the deploy did not do what
it should). A change planned again after a tag is *reworked*: the earlier occurrence's
scripts are ``<name>@<tag>.sql``, the tag being the newest one before the rework.
sqitchers/sqitch ``lib/App/Sqitch/Plan.pm`` and ``lib/sqitchchanges.pod``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from migration_harness.errors import DuplicateVersionError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration

PLAN: Final = "sqitch.plan"


def plan_file(folder: Path) -> Path | None:
    """The ``sqitch.plan`` of a sqitch project folder (or of its parent)."""
    for candidate in (folder / PLAN, folder.parent / PLAN):
        if candidate.is_file():
            return candidate
    return None


def find_sqitch(plan: Path) -> list[Migration]:
    """The plan's changes in plan order; versions are their positions (1, 2, ...).

    Raises:
        BadFileError: an unreadable plan line. A change whose deploy script is missing is
            read as one its runner cannot open (``up_options["missing"]``): sqitch fails
            when it deploys that change, so the check reports it there.
        DuplicateVersionError: a change planned twice with no tag between (sqitch refuses).

    """
    top = plan.parent
    entries = _changes(plan)
    result = []
    for position, (name, script, line) in enumerate(entries, start=1):
        deploy = top / "deploy" / f"{script}.sql"
        options = files.NO_OPTIONS
        if deploy.is_file():
            up_sql = files.read(deploy)
            files.check_sql(deploy, up_sql, what="deploy script")
        else:
            # sqitch reads the plan, deploys the changes before this one and fails here:
            # the change's finding (apply_error), not a refusal of the set.
            missing = deploy.relative_to(top).as_posix()
            up_sql, options = "", {"missing": missing, "planned": f"{plan.name}:{line}"}
        revert = top / "revert" / f"{script}.sql"
        down_path = revert if revert.is_file() else None
        verify = top / "verify" / f"{script}.sql"
        data: dict[str, object] = {"change": name}
        if verify.is_file():
            verify_sql = files.read(verify, allow_empty=True)
            if verify_sql.strip():
                data.update(verify_sql=verify_sql, verify_path=str(verify))
        result.append(
            Migration(
                position,
                script,
                up_sql,
                files.down_text(revert) if down_path else None,
                deploy,
                files.checksum(up_sql),
                down_path,
                options,
                key=script,
                runner_data=data,
            )
        )
    return result


def _changes(plan: Path) -> list[tuple[str, str, int]]:
    """``(change name, script name, plan line)`` for every change line, reworks resolved."""
    found: list[tuple[str, int]] = []
    tags: list[tuple[int, str]] = []  # (index of the next change, tag)
    for number, raw in enumerate(files.read(plan).splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("%"):
            continue
        name = line.split()[0]
        if name.startswith("@"):
            tags.append((len(found), name[1:]))
            continue
        if any(n == name for n, _ in found[_last_tag_index(tags) :]):
            message = f"{plan}:{number}: change {name!r} planned twice without a tag between"
            raise DuplicateVersionError(message)
        found.append((name, number))
    result = []
    for index, (name, number) in enumerate(found):
        rework = next((i for i in range(index + 1, len(found)) if found[i][0] == name), None)
        # `sqitch rework` copies the scripts to <name>@<tag>, the tag being the newest one
        # when the change was reworked: the last tag before the next instance.
        tag = (
            None
            if rework is None
            else next((t for at, t in reversed(tags) if index < at <= rework), None)
        )
        result.append((name, f"{name}@{tag}" if tag else name, number))
    return result


def _last_tag_index(tags: list[tuple[int, str]]) -> int:
    """Index of the first change after the newest tag (0 without tags)."""
    return tags[-1][0] if tags else 0
