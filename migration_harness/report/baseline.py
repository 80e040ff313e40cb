"""The baseline: today's findings, accepted so that only new ones fail the run.

``migration-harness baseline`` records the findings of a check in
``.migration-harness-baseline.json`` (in the folder of the pyproject.toml that configures
the harness, else beside the set); later runs read it, mark the findings it holds as
suppressed (reason ``baseline``), say how many, and name the entries no longer found
(stale), so the file shrinks as the legacy findings are fixed.

An entry is matched by a fingerprint that survives re-ordering and unrelated edits: a hash
of the code, the migration (none for set-wide checks such as ``fk_index``, whose findings
would otherwise move to each new last migration), the direction, the statement with its
whitespace and case folded, and the message with its numbers and quoted values masked (the
table and column names stay; counts and generated example values, which change from run to
run, do not). Line numbers and positions are never part of it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from migration_harness.report.findings import Finding
from migration_harness.report.outputs import replace_text
from migration_harness.report.regression import format_problem
from migration_harness.report.suppress import (
    SET_WIDE_CHECKS,
    Suppression,
    SuppressionError,
    apply,
    config_suppressions,
    inline_suppressions,
    normalise_sql,
    require_known,
)
from migration_harness.sets.discovery import MigrationSet

BASELINE_NAME: Final = ".migration-harness-baseline.json"
BASELINE_FORMAT: Final = 1
REASON: Final = "baseline"
_QUOTED: Final = re.compile(r"'(?:[^']|'')*'")
_NUMBER: Final = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One accepted finding: its fingerprint and, for people reading the file, what it was."""

    fingerprint: str
    code: str
    check: str
    migration: str | None
    message: str

    def describe(self) -> str:
        """``MH153 (fk_index): foreign key ...`` with the migration when there is one."""
        where = f" in {self.migration}" if self.migration else ""
        return f"{self.code}{where} ({self.check or 'check'}): {self.message}"


@dataclass(frozen=True, slots=True)
class BaselineResult:
    """What applying a baseline did.

    Attributes:
        findings: every finding, those the baseline holds marked ``baseline``.
        baselined: how many findings the baseline suppressed.
        stale: entries no finding matched although their check ran on their migration.

    """

    findings: list[Finding]
    baselined: int
    stale: list[BaselineEntry]


def fingerprint(finding: Finding) -> str:
    """The finding's identity across runs (see the module docstring)."""
    migration = "" if finding.check in SET_WIDE_CHECKS else (finding.migration or "")
    message = _NUMBER.sub("#", _QUOTED.sub("?", finding.message.casefold()))
    parts = (
        finding.code,
        migration,
        finding.direction or "",
        normalise_sql(finding.statement or ""),
        " ".join(message.split()),
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def entry_of(finding: Finding) -> BaselineEntry:
    """The baseline entry that accepts ``finding``."""
    migration = None if finding.check in SET_WIDE_CHECKS else finding.migration
    return BaselineEntry(
        fingerprint(finding), finding.code, finding.check, migration, finding.message
    )


def write_baseline(findings: Iterable[Finding], path: Path) -> int:
    """Record the standing findings in ``path`` (sorted, one entry per fingerprint).

    Returns:
        the number of entries written.

    """
    entries = {e.fingerprint: e for e in map(entry_of, (f for f in findings if not f.suppressed))}
    ordered = sorted(entries.values(), key=lambda e: (e.migration or "", e.code, e.fingerprint))
    data = {
        "format": BASELINE_FORMAT,
        "tool": "migration-harness",
        "entries": [dataclasses.asdict(e) for e in ordered],
    }
    replace_text(path, json.dumps(data, indent=2) + "\n")
    return len(ordered)


def read_baseline(path: Path) -> list[BaselineEntry]:
    """The entries of a baseline file.

    Raises:
        SuppressionError: not a baseline file, or an entry with an unknown code.

    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        message = f"{path}: not a readable baseline file ({exc})"
        raise SuppressionError(message) from exc
    problem = format_problem(data, "baseline", BASELINE_FORMAT)
    if problem is not None:
        message = f"{path}: {problem} (re-create it with migration-harness baseline)"
        raise SuppressionError(message)
    raw = data.get("entries")
    if not isinstance(raw, list):
        message = f"{path}: entries must be a list (re-create it with migration-harness baseline)"
        raise SuppressionError(message)
    return [_entry(path, i, item) for i, item in enumerate(raw, start=1)]


def _entry(path: Path, number: int, item: Any) -> BaselineEntry:
    """One entry, checked: a fingerprint and a known code at least."""
    where = f"{path}: entry {number}"
    if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
        message = f"{where}: no fingerprint (re-create it with migration-harness baseline)"
        raise SuppressionError(message)
    code = str(item.get("code", ""))
    require_known([code], where)
    migration = item.get("migration")
    return BaselineEntry(
        item["fingerprint"],
        code,
        str(item.get("check", "")),
        migration if isinstance(migration, str) else None,
        str(item.get("message", "")),
    )


def apply_baseline(
    findings: Sequence[Finding],
    entries: Sequence[BaselineEntry],
    ran: set[tuple[str, str | None]] | None = None,
) -> BaselineResult:
    """Mark the findings the baseline holds; list the entries nothing matched.

    Args:
        findings: the run's findings (those already suppressed keep their reason).
        entries: the baseline.
        ran: ``(check, migration)`` pairs the run judged (``migration`` ``None``: every
            migration); an entry outside them is not called stale, since nothing looked
            for it (``--checks``, ``--since``). ``None``: everything ran.

    """
    by_print = {e.fingerprint: e for e in entries}
    matched: set[str] = set()
    out: list[Finding] = []
    count = 0
    for finding in findings:
        key = fingerprint(finding)
        if key in by_print:
            matched.add(key)
            if not finding.suppressed:
                finding = dataclasses.replace(finding, suppressed=REASON)
                count += 1
        out.append(finding)
    stale = [
        e for e in entries if e.fingerprint not in matched and (ran is None or _looked_for(e, ran))
    ]
    return BaselineResult(out, count, stale)


def _looked_for(entry: BaselineEntry, ran: set[tuple[str, str | None]]) -> bool:
    """Whether the run ran the entry's check on the entry's migration."""
    return (entry.check, None) in ran or (entry.check, entry.migration) in ran


# --- every form together -----------------------------------------------------------------


def default_baseline(mset: MigrationSet, pyproject: Path | None) -> Path:
    """Where the baseline lives: beside the configuring pyproject.toml, else in the set."""
    folder = pyproject.parent if pyproject is not None else mset.root
    return folder.resolve() / BASELINE_NAME


@dataclass(frozen=True, slots=True)
class Accepted:
    """Everything a team accepted for one set: inline and config suppressions, a baseline.

    Attributes:
        suppressions: inline directives first, then the config's lists.
        entries: the baseline's entries (empty without a baseline).
        baseline: the baseline file read, ``None`` when none was.

    """

    suppressions: list[Suppression]
    entries: list[BaselineEntry]
    baseline: Path | None

    def apply(
        self,
        findings: Sequence[Finding],
        mset: MigrationSet,
        ran: set[tuple[str, str | None]] | None = None,
    ) -> BaselineResult:
        """Suppress by inline and config first, then by the baseline (:func:`apply_baseline`)."""
        return apply_baseline(apply(findings, self.suppressions, mset), self.entries, ran)


def accepted_for(mset: MigrationSet, pyproject: Path | None, baseline: Path | None) -> Accepted:
    """Read every suppression of ``mset``; ``baseline`` is read when it exists.

    Raises:
        SuppressionError: any of them malformed or naming an unknown code.

    """
    suppressions = inline_suppressions(mset) + config_suppressions(pyproject, mset)
    if baseline is None or not baseline.is_file():
        return Accepted(suppressions, [], None)
    return Accepted(suppressions, read_baseline(baseline), baseline)
