"""How ``lint`` and ``check`` agreed on one set: which static findings the data confirmed.

``check`` runs lint first. A lint finding is *confirmed* when ``check`` reports, for the
same migration, a finding of a kind the lint rule names in the catalogue
(:func:`~migration_harness.report.lint_rules.confirmed_by`): then it is shown once, as the
check's finding with its example, and lint's line only points at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from migration_harness.report.findings import Finding
from migration_harness.report.lint_render import column_of, shown_path
from migration_harness.report.lint_rules import confirmed_by


@dataclass(frozen=True, slots=True)
class Agreement:
    """Lint findings split by whether ``check`` proved them.

    Attributes:
        confirmed: ``(lint finding, the check finding that proves it)`` pairs.
        unconfirmed: lint findings no check finding matched (not proved, or not
            provable with generated data: a warning stays a warning).

    """

    confirmed: tuple[tuple[Finding, Finding], ...]
    unconfirmed: tuple[Finding, ...]


def agree(lint: Sequence[Finding], checked: Sequence[Finding]) -> Agreement:
    """Match each lint finding with a check finding of its family in the same migration."""
    confirmed = []
    unconfirmed = []
    for finding in lint:
        kinds = confirmed_by(finding.kind)
        proof = next(
            (c for c in checked if c.migration == finding.migration and _proves(c, kinds)),
            None,
        )
        if proof is None:
            unconfirmed.append(finding)
        else:
            confirmed.append((finding, proof))
    return Agreement(tuple(confirmed), tuple(unconfirmed))


def _proves(checked: Finding, kinds: tuple[str, ...]) -> bool:
    """Whether a check finding is of a family the rule names.

    An entry is ``kind``, or ``kind@check`` where only one check can see the defect (an
    AUTOINCREMENT counter reset shows only in a history).
    """
    for entry in kinds:
        kind, _, check = entry.partition("@")
        if checked.kind == kind and (not check or checked.check == check):
            return True
    return False


def describe(agreement: Agreement, *, verbose: bool = False) -> list[str]:
    """Lines for check's output: the counts, what lint alone says, what was confirmed.

    What was confirmed is listed only when ``verbose``: a confirmed lint finding is already
    printed above as the check's finding, and one line per confirmation repeated it (22
    lines on a 16-file history, mostly missing indexes), so by default the count says so.
    """
    total = len(agreement.confirmed) + len(agreement.unconfirmed)
    lines = [
        f"lint: {total} finding{'s' if total != 1 else ''} before the checks; "
        f"check confirmed {len(agreement.confirmed)} with data"
    ]
    for lint, proof in agreement.confirmed if verbose else ():
        lines.append(
            f"  confirmed: {lint.code} {lint.kind} in {lint.migration} "
            f"(shown above as {proof.code} {proof.kind})"
        )
    for lint in agreement.unconfirmed:
        where = f"{shown_path(lint.file)}:{lint.line or 1}:{column_of(lint)}"
        lines.append(f"  lint only: {where}: {lint.code} {lint.severity}: {lint.message}")
    return lines
