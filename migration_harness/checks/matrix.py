"""The reversibility matrix: each migration's verdict, decided from everything the run saw.

The checks measure (rows and values a rollback lost, what the migration destroyed) and
report findings; this module turns both into one verdict per migration once every check
has run, so the matrix can never say *reversible* for a rollback another check of the same
run caught losing data, leaving a different schema or doing nothing (issue 12: the guide
tells people to roll back when the matrix says reversible). Renderers only format it.

Verdicts, worst first:

- ``irreversible``: no rollback; it fails; it changes nothing (``SELECT 1;``) while the
  migration changes something; it leaves a schema other than the previous version's, or
  one the migration cannot be applied to again as before (a drift that changes no
  behaviour, such as the columns' order, does not count); the migration itself destroys
  data (``DROP TABLE``, ``DROP COLUMN``) that no rollback can bring back; or the round
  trip could not be run at all (the migration, or one before it, does not apply).
- ``lossy``: the rollback restores the schema but loses rows or values: of objects that
  existed before the migration (each a ``data_loss`` finding), or written into columns
  the migration added to tables that existed before.
- ``reversible``: none of the above was seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from migration_harness.report.catalogue import COSMETIC_DRIFT
from migration_harness.report.findings import Finding, MigrationInfo
from migration_harness.sets.records import Migration, MigrationSet
from migration_harness.sets.sql import Statement, runs_nothing, split_statements

REVERSIBLE: Final = "reversible"
LOSSY: Final = "lossy"
IRREVERSIBLE: Final = "irreversible"

# Round-trip findings after which the database is not at the previous version, whatever
# the data: the runner records k-1 while the schema says otherwise.
_BROKEN_ROUND_TRIP: Final = {
    "rollback_error": "rolling it back fails",
    "rollback_schema_drift": "after rolling it back the schema is not the previous version's",
    "reapply_error": "it does not apply again after its rollback",
    "reapply_schema_drift": "applied again after its rollback, it builds another schema",
}
# First words of statements that change nothing in the database.
_READ_ONLY: Final = frozenset({"SELECT", "VALUES", "EXPLAIN"})


def settle(infos: Iterable[MigrationInfo], findings: Sequence[Finding], mset: MigrationSet) -> None:
    """Write each migration's verdict and its reasons into ``infos``.

    Args:
        infos: the run's per-migration records (their measured losses already filled in).
        findings: every finding of the run, suppressed ones included: a suppression
            accepts a loss, it does not bring the data back.
        mset: the set, for the files themselves (a rollback that changes nothing).

    """
    by_label = {m.label: m for m in mset.migrations}
    by_migration: dict[str | None, list[Finding]] = {}
    for finding in findings:
        by_migration.setdefault(finding.migration, []).append(finding)
    for info in infos:
        migration = by_label.get(info.name)
        found = by_migration.get(info.name, [])
        info.reversibility, info.reasons = judge(info, found, migration)


def judge(
    info: MigrationInfo, findings: Sequence[Finding], migration: Migration | None
) -> tuple[str, list[str]]:
    """``(verdict, reasons)`` for one migration; reasons are empty when it is reversible."""
    broken = _broken(info, findings, migration)
    losses = _losses(info, findings)
    if broken:
        return IRREVERSIBLE, broken + losses
    if losses:
        return LOSSY, losses
    return REVERSIBLE, []


def _broken(
    info: MigrationInfo, findings: Sequence[Finding], migration: Migration | None
) -> list[str]:
    """Why no rollback brings the previous version back (empty: one does)."""
    reasons: list[str] = []
    if migration is not None:
        reasons += _file_reasons(migration)
    # Never measured is never *reversible*: the guide sends people to roll back on that word.
    if not info.reached:
        reasons.append("not checked: an earlier migration does not apply")
    elif any(f.kind == "apply_error" and f.check == "apply" for f in findings):
        reasons.append("not checked: it does not apply")
    for kind, words in _BROKEN_ROUND_TRIP.items():
        # A cosmetic drift (MH130/MH129, a warning) leaves a schema that behaves as the
        # previous version's: the way back works (see _losses for how it is still named).
        hits = [f for f in findings if f.kind == kind and not _cosmetic(f)]
        if hits:
            drift = kind.endswith("drift") and hits[0].details
            first = hits[0].details[0] if drift else hits[0].message
            reasons.append(f"{words} ({first})")
    rows, cells = info.apply_loss["rows"], info.apply_loss["cells"]
    if rows or cells:
        reasons.append(f"applying it destroys {_count(rows, cells)} no rollback can restore")
    return reasons


def _file_reasons(migration: Migration) -> list[str]:
    """What the files alone show: no rollback, or one that changes nothing."""
    if migration.program is not None:
        return [f"a {migration.program} migration: its rollback could not be run"]
    if migration.down_sql is None and migration.runner_data.get("repeatable"):
        return ["a repeatable migration: its runner re-runs it when it changes, never undoes it"]
    if migration.down_sql is None:
        return [] if runs_nothing(migration.up_sql) else ["it has no rollback"]
    down = split_statements(migration.down_sql)
    if all(map(changes_nothing, down)) and not all(
        map(changes_nothing, split_statements(migration.up_sql))
    ):
        shown = " ".join(down[0].sql.split())[:60] if down else "nothing"
        return [f"its rollback changes nothing ({shown})"]
    return []


def changes_nothing(statement: Statement) -> bool:
    """A statement that reads or controls a transaction but writes nothing (``SELECT 1;``)."""
    words = statement.keywords
    if not words or statement.is_transaction_control or words[0] in _READ_ONLY:
        return True
    pragma = statement.pragma
    return words[0] == "PRAGMA" and pragma is not None and pragma[1] is None


def _losses(info: MigrationInfo, findings: Sequence[Finding]) -> list[str]:
    """What rolling back loses although the schema comes back (empty: nothing)."""
    reasons: list[str] = []
    lost = [f for f in findings if f.kind == "data_loss" and f.direction == "rollback"]
    if lost:
        rows, cells = info.rollback_loss["rows"], info.rollback_loss["cells"]
        counted = _count(rows, cells) if rows or cells else "data"
        reasons.append(f"rolling it back loses {counted} of tables that existed before it")
    added = info.expected_loss["cells"]
    if added:
        reasons.append(
            f"rolling it back drops {added} value(s) written into columns it added to "
            "tables that existed before"
        )
    cosmetic = next((f for f in findings if _cosmetic(f) and f.details), None)
    if reasons and cosmetic is not None:  # a lossy rollback's row says what else differs
        reasons.append(
            f"after rolling it back the schema differs only cosmetically ({cosmetic.details[0]})"
        )
    return reasons


def _cosmetic(finding: Finding) -> bool:
    """A round-trip schema drift that changes no behaviour (a warning, checks/drift.py)."""
    return finding.code == COSMETIC_DRIFT.get(finding.kind)


def _count(rows: int, cells: int) -> str:
    """``2 row(s) and 1 value(s)``."""
    parts = [f"{rows} row(s)"] if rows else []
    parts += [f"{cells} value(s)"] if cells else []
    return " and ".join(parts)
