"""Accepted findings and ``--migrations-since`` in the pytest plugin.

The items apply the same suppressions as ``migration-harness check``: inline directives,
``ignore``/``per-file-ignores`` in ``[tool.migration-harness]``, and the baseline beside
the pyproject.toml. An item whose findings are all suppressed passes; its suppressed
findings are listed in a "migration-harness" section of the terminal summary, with the
baseline count and the stale entries, read from the reports so that xdist workers' items
count too. With ``--migrations-since REV`` (key ``since``) the items of migrations that did
not change are deselected (pytest counts them), and the set-wide items report only what
the judged migrations touch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import pytest

from migration_harness.errors import HarnessError
from migration_harness.plugin.state import SetState, state_of

if TYPE_CHECKING:
    from migration_harness.report.baseline import Accepted
    from migration_harness.report.findings import Finding

PROPERTY: Final = "migration-harness"


class PluginAccept:
    """The session's suppressions and judged migrations, read once on first use."""

    def __init__(self, state: SetState) -> None:
        self.state = state
        self._accepted: Accepted | None = None

    def accepted(self) -> Accepted:
        """Inline, config and baseline suppressions; raises ``SuppressionError``.

        Read from the file ``check`` and ``accept`` read them from (the set's own
        pyproject.toml, :func:`~migration_harness.sets.functions.config_of`), the baseline
        beside it: the plugin used to take pytest's pyproject.toml, table or not.
        """
        if self._accepted is None:
            from migration_harness.report.baseline import accepted_for, default_baseline
            from migration_harness.sets.functions import config_of

            mset = self.state.migration_set()
            pyproject = config_of(mset)
            self._accepted = accepted_for(mset, pyproject, default_baseline(mset, pyproject))
        return self._accepted

    def judged(self) -> frozenset[str] | None:
        """Labels of the migrations ``since`` judges; ``None``: all of them."""
        changed = self.state.settings.changed
        if changed is None:
            return None
        from migration_harness.sets.changes import judged_migrations

        return judged_migrations(self.state.migration_set(), changed)

    def apply(
        self, item: pytest.Item, findings: Sequence[Finding], ran: tuple[str, str | None] | None
    ) -> list[Finding]:
        """The findings with suppressions marked; what happened goes in user_properties."""
        from migration_harness.report.baseline import fingerprint

        accepted = self.accepted()
        result = accepted.apply(findings, self.state.migration_set(), set())
        entries = {e.fingerprint for e in accepted.entries}
        item.user_properties.append(
            (
                PROPERTY,
                {
                    "ran": list(ran) if ran is not None else None,
                    "matched": [fingerprint(f) for f in findings if fingerprint(f) in entries],
                    "baselined": result.baselined,
                    "suppressed": [
                        f"{f.code} suppressed ({f.suppressed}): {f.kind}"
                        + (f" in {f.migration}" if f.migration else "")
                        + f": {f.message}"
                        for f in result.findings
                        if f.suppressed
                    ],
                },
            )
        )
        return result.findings


ACCEPT: Final = pytest.StashKey[PluginAccept]()


def accept_of(config: pytest.Config) -> PluginAccept | None:
    """The session's :class:`PluginAccept` (``None`` when no set is configured)."""
    state = state_of(config)
    if state is None:
        return None
    if ACCEPT not in config.stash:
        config.stash[ACCEPT] = PluginAccept(state)
    return config.stash[ACCEPT]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """List suppressed findings, the baseline count and stale baseline entries."""
    accept = accept_of(config)
    if accept is None:
        return
    records = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == PROPERTY
    ]
    if not records:
        return
    lines = [line for record in records for line in record["suppressed"]]
    baselined = sum(record["baselined"] for record in records)
    try:
        accepted = accept.accepted()
    except HarnessError:  # collection already failed with the message
        return
    if accepted.baseline is not None:
        lines.append(f"baseline: {baselined} finding(s) baselined ({accepted.baseline})")
        stale = _stale(records, accepted)
        lines += [f"stale baseline entry (no longer found): {e.describe()}" for e in stale]
    if lines:
        terminalreporter.write_sep("=", "migration-harness")
        for line in lines:
            terminalreporter.write_line(line)


def _stale(records: list[dict[str, Any]], accepted: Accepted) -> list[Any]:
    """Entries whose check ran on their migration in this session and matched nothing."""
    matched = {fp for record in records for fp in record["matched"]}
    ran = {tuple(r["ran"]) for r in records if r["ran"] is not None}
    return [
        e
        for e in accepted.entries
        if e.fingerprint not in matched
        and ((e.check, None) in ran or (e.check, e.migration) in ran)
    ]
