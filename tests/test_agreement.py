"""Which lint findings ``check`` confirmed with data: only a check finding of the rule's
family, in the same migration, and for MH219 only one from a history."""

from __future__ import annotations

import pytest

from migration_harness.report.agreement import agree
from migration_harness.report.findings import Finding


def _lint(kind: str, code: str) -> Finding:
    return Finding(kind, "0002_users_rebuild", "lint says so", check="lint", code=code)


@pytest.mark.parametrize(
    ("lint_kind", "lint_code", "check", "confirmed"),
    [
        ("rebuild-copy-omits-column", "MH204", "apply_keeps_data", True),
        # the counter reset: a declared rewrite of another column proves nothing about it
        ("rebuild-resets-autoincrement", "MH219", "apply_keeps_data", False),
        ("rebuild-resets-autoincrement", "MH219", "stateful", True),
    ],
)
def test_a_lint_finding_is_confirmed_only_by_its_own_family(
    lint_kind: str, lint_code: str, check: str, confirmed: bool
) -> None:
    loss = Finding("data_loss", "0002_users_rebuild", "rows lost", check=check)
    other = Finding("data_loss", "0003_other", "rows lost", check="stateful")
    agreement = agree([_lint(lint_kind, lint_code)], [other, loss])
    assert bool(agreement.confirmed) is confirmed
    assert bool(agreement.unconfirmed) is not confirmed
