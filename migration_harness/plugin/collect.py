"""The nodes the plugin collects: one item per migration per check, plus set-wide items.

The tree is ``pyproject.toml`` (:class:`SetFile`) / ``db`` (:class:`SetCollector`) /
``0007_clerk_integration`` (:class:`MigrationCollector`) / ``lint`` (:class:`LintItem`) and
``rollback_keeps_data`` (:class:`CheckItem`), with set-wide items such as ``db`` /
``fk_index`` beside the migrations. Every ``::`` segment of an id is a real node rather than
one name holding ``::``: pytest parses stored ids (``--lf``, ``--deselect``) into segments
and compares them with the nodes' own, and ``-k`` matches node names, so ``-k rollback``
picks both rollback checks of every migration.

Each family of nodes under a set is an :class:`ItemKind` listed in :data:`ITEM_KINDS`;
adding one (the stateful machine, stored regressions) means writing one generator and
listing it, without touching the others.
"""

from __future__ import annotations

import abc
import warnings
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol

import pytest

from migration_harness.errors import (
    CheckFailedError,
    DataSourceError,
    FindingWarning,
    HarnessError,
)
from migration_harness.plugin.accept import PluginAccept, accept_of
from migration_harness.plugin.output import one_line
from migration_harness.plugin.state import SetState, state_of

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

    from migration_harness.checks.engine import Engine
    from migration_harness.report.findings import Finding
    from migration_harness.sets.discovery import Migration, MigrationSet

Node = pytest.Item | pytest.Collector
ROLLBACK_CHECKS: Final = frozenset({"rollback", "rollback_keeps_data"})
# How long a check's item runs, as a rank (see HarnessItem.cost): the data checks draw
# datasets for every example (two thirds of db/'s item time); idempotent needs fewer.
_CHECK_COSTS: Final = {"apply_keeps_data": 2, "rollback_keeps_data": 2, "idempotent": 1}


def _accept(node: Node) -> PluginAccept:
    """The session's suppressions and ``since`` selection."""
    accept = accept_of(node.config)
    assert accept is not None, "migration-harness nodes exist only when a set is configured"
    return accept


def _state(node: Node) -> SetState:
    """The session's state; nodes exist only when a set is configured."""
    state = state_of(node.config)
    assert state is not None, "migration-harness nodes exist only when a set is configured"
    return state


class _Failed(CheckFailedError):
    """A failed item's findings, with the one line pytest's short summary shows."""

    def __init__(self, message: str, *, summary: str) -> None:
        super().__init__(message)
        self.summary = summary


def _summary(rendered: list[str], noun: str) -> str:
    """The first finding's headline, and how many more the failure lists."""
    more = len(rendered) - 1
    tail = f" (+{more} more {noun}{'s' if more > 1 else ''})" if more else ""
    return one_line(rendered[0]) + tail


def _findings_repr(
    item: pytest.Item, excinfo: pytest.ExceptionInfo[BaseException]
) -> TerminalRepr | None:
    """The findings as the failure's body and their headline as its crash line."""
    from migration_harness.plugin.output import failure_repr

    error = excinfo.value
    if not isinstance(error, CheckFailedError):
        return None
    summary = error.summary if isinstance(error, _Failed) else one_line(str(error))
    path, line, _ = item.reportinfo()
    return failure_repr(str(error), summary, path, line or 0)


class SetFile(pytest.File):
    """The file that configured the set: the one every item id starts with.

    It carries the ``migrations`` marker, which every item below inherits, so
    ``-m "not migrations"`` runs only the project's own tests.
    """

    def collect(self) -> Iterator[Node]:
        """Discover the set; a bad set is one collection error naming the file and the fix."""
        self.add_marker(pytest.mark.migrations)
        state = _state(self)
        try:
            mset = state.migration_set()
            state.rollback_use()  # a bound naming no migration is the set's collection error
            _accept(self).accepted()
            _place_real_data(state)
        except HarnessError as exc:
            message = f"migration-harness: {exc}{_plugin_hint(exc)}"
            raise self.CollectError(message) from exc
        yield SetCollector.from_parent(self, name=state.name, mset=mset)


def _plugin_hint(exc: HarnessError) -> str:
    """The plugin's name for a CLI option a real-data error tells the user to pass.

    The loading code is the CLI's, so its messages name ``--allow-drift`` and
    ``--sample``; a pytest user needs the option spelled the plugin's way.
    """
    if not isinstance(exc, DataSourceError):
        return ""
    from migration_harness.plugin.options import FLAGS, INI

    for key, cli in (("allow_drift", "--allow-drift"), ("data_sample", "--sample")):
        if cli in str(exc):
            return f" [in pytest: {FLAGS[key]} or ini {INI[key]}]"
    return ""


def _place_real_data(state: SetState) -> None:
    """With ``data``, build the Engine now: which items run depends on the data's version.

    A source that cannot be read or placed, or whose schema drifted from the set's, is
    then the set's collection error (as ``check --data`` stops with exit 2); any other
    build error stays the items' to report, as without data. A drift allowed is a warning.
    """
    if state.settings.data is None:
        return
    try:
        engine = state.engine()
    except HarnessError as exc:
        if isinstance(exc, DataSourceError):
            raise
        return
    if engine.real_warning:
        warnings.warn(FindingWarning(engine.real_warning), stacklevel=1)


class SetCollector(pytest.Collector):
    """One migration set: every item kind's nodes, in :data:`ITEM_KINDS` order."""

    def __init__(self, *, mset: MigrationSet, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mset = mset
        self.state = _state(self)

    def collect(self) -> Iterator[Node]:
        """Ask each item kind for its nodes."""
        for kind in ITEM_KINDS:
            yield from kind(self)


class MigrationCollector(pytest.Collector):
    """One migration: an item per configured per-migration check."""

    def __init__(
        self, *, migration: Migration, position: int, checks: tuple[str, ...], **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.migration = migration
        self.position = position
        self.checks = checks

    def collect(self) -> Iterator[Node]:
        """The lint item, then the check items (skipped where they have nothing to check)."""
        state = _state(self)
        mset = state.migration_set()
        if "lint" in state.settings.checks:
            yield LintItem.from_parent(self, name="lint", migration=self.migration)
        real = state.real_version()
        for check in self.checks:
            if check == "verify" and "verify_sql" not in self.migration.runner_data:
                continue  # only sqitch changes carry a verify script
            item = CheckItem.from_parent(
                self, name=check, migration=self.migration, position=self.position
            )
            reason = _skip_reason(mset, self.migration, check)
            if real is not None and self.position <= real[0]:
                # As `check --data`: it already ran on these rows, in production.
                reason = f"applied in the real data at {real[1]}"
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))
            yield item


def _skip_reason(mset: MigrationSet, migration: Migration, check: str) -> str | None:
    """Why a check cannot apply, decided from the files alone (no Engine needed)."""
    if check not in ROLLBACK_CHECKS:
        return None
    if not mset.has_rollbacks:
        return "forward-only set: no rollback to check"
    if migration.down_sql is None and check == "rollback_keeps_data":
        return f"{migration.label} has no rollback (its rollback item reports it)"
    return None


class HarnessItem(pytest.Item):
    """An item that runs one property on the session's shared Engine.

    Subclasses say what to run (:meth:`findings`) and where it lives; this base turns
    findings into a :class:`~migration_harness.errors.CheckFailedError` whose text is the rendered
    findings and a replay command, so a failure reads like ``migration-harness check``
    output instead of a traceback through the harness.
    """

    check: str = ""
    # Whether suppressions apply (a committed regression file is never suppressed).
    accepts: bool = True

    @property
    def cost(self) -> int:
        """How long the item runs, as a rank (0: milliseconds; higher: longer).

        Only xdist uses it: its workers hand out the longest items first, so that no
        long item starts when the other workers are almost done.
        """
        return _CHECK_COSTS.get(self.check, 0)

    def runtest(self) -> None:
        """Run the property; fail with the findings at the fail level, warn about the rest.

        A warning or a note (``missing_fk_index``, a re-run failure its runner prevents)
        passes the item and is issued as a :class:`FindingWarning`, so it shows in pytest's
        warnings summary; only a finding at ``fail_on`` or above that no suppression
        accepts fails it (suppressed ones are listed with the failure).
        """
        from migration_harness.checks.applying import schema_before
        from migration_harness.checks.counterfactual import counterfactual_for
        from migration_harness.checks.real import annotate
        from migration_harness.checks.severity import classify
        from migration_harness.data.privacy import values_hidden
        from migration_harness.report.catalogue import at_least, severity_named

        engine = self._engine()
        state = _state(self)
        with values_hidden(state.hides_values()):
            findings = classify(
                self.findings(engine),
                engine.mset,
                engine.target,
                rollback_policy=state.config().rollback_policy,
                related=self.related(engine),
                counterfactual=counterfactual_for(engine),
                rollbacks=state.rollback_use(),
                schema_before=schema_before(engine),
            )
        if findings and engine.real is not None:
            findings = annotate(engine, findings)  # marked as real, real values scrubbed
        if self.accepts:
            findings = _accept(self).apply(self, findings, self.ran())
        level = severity_named(state.config().fail_on)
        failing = [f for f in findings if not f.suppressed and at_least(f.severity, level)]
        for finding in findings:
            if finding not in failing and not finding.suppressed:
                warnings.warn(FindingWarning(finding.render()), stacklevel=1)
        if failing:
            suppressed = [f.render() for f in findings if f.suppressed]
            raise _Failed(
                "\n\n".join([self.describe(failing), *suppressed]),
                summary=_summary([f.render() for f in failing], "finding"),
            )

    def related(self, engine: Engine) -> list[Finding]:
        """Findings of other checks that decide this item's severities (none by default)."""
        return []

    def ran(self) -> tuple[str, str | None] | None:
        """``(check, migration)`` this item judged in full (``None``: only in part)."""
        return None

    @abc.abstractmethod
    def findings(self, engine: Engine) -> list[Finding]:
        """The property's findings (empty: it holds)."""

    def describe(self, findings: list[Finding]) -> str:
        """Every finding rendered, then the command that replays the check."""
        state = _state(self)
        count = f"{len(findings)} finding{'s' if len(findings) > 1 else ''}"
        head = (
            f"{self.check} failed for {self.subject()} (target {state.target().name}, "
            f"profile {state.settings.profile}): {count}"
        )
        blocks = [head, *(finding.render() for finding in findings)]
        blocks.append(f"Replay: {state.replay(self.check)}")
        return "\n\n".join(blocks)

    def subject(self) -> str:
        """What the item checks, as its id says it (``db::0002_x``)."""
        return _state(self).name

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | TerminalRepr:
        """The findings in words for a failed property; pytest's traceback otherwise."""
        return _findings_repr(self, excinfo) or super().repr_failure(excinfo, style)

    def _engine(self) -> Engine:
        """The shared Engine, or a failure naming why the set cannot be built."""
        state = _state(self)
        try:
            return state.engine()
        except HarnessError as exc:
            error = f"migration-harness: cannot build {state.name}: {exc}"
        pytest.fail(error, pytrace=False)  # outside `except`: no "during handling" chain


class CheckItem(HarnessItem):
    """One per-migration check (a key of ``checks.properties.PER_MIGRATION``) on one migration."""

    def __init__(self, *, migration: Migration, position: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.migration = migration
        self.position = position
        self.check = self.name

    def findings(self, engine: Engine) -> list[Finding]:
        """Run the check at this migration's position in the set.

        A check that needs a version the set cannot reach returns nothing; that is "not
        checked", not "holds", so the item skips and points at the migration that broke.
        """
        from migration_harness.checks.properties import PER_MIGRATION

        findings = PER_MIGRATION[self.check](engine, self.position)
        if self.check != "apply" and self._fails_on_real_rows(engine):
            # As `check --data`: the same failure on the same real rows is the apply item's.
            findings = [f for f in findings if f.kind != "apply_error" or f.check == "apply"]
        stop = engine.stop
        if not findings and stop is not None and not engine.available(self.position):
            blocker = engine.migrations[stop[0] - 1]
            if blocker.program is not None:
                reason = f"not checked: {stop[1]}"
            else:
                reason = f"not checked: {blocker.label} does not apply"
                if stop[0] != self.position:
                    reason += f", so {self.migration.label} cannot be reached"
                reason += " (see its apply item)"
            # Item location, as for a skip marker: the summary names the migration file.
            raise pytest.skip.Exception(reason, _use_item_location=True)
        return findings

    def _fails_on_real_rows(self, engine: Engine) -> bool:
        """Whether this migration is the one the build could not apply to the real rows."""
        failure = engine.apply_failure
        return (
            failure is not None
            and failure[0] == self.position
            and engine.holds_real(self.position - 1)
        )

    def related(self, engine: Engine) -> list[Finding]:
        """For a runner conflict, the data checks of the same step: did the effect happen?

        The CLI sees every check's findings at once; an item sees its own, so the apply
        item runs the data checks of its migration only when the file conflicts with its
        runner (rare), to tell MH102 (effect seen) from MH103.
        """
        from migration_harness.checks.properties import (
            PER_MIGRATION,
            runner_conflicts,
            schemas_around,
        )

        if self.check != "apply":
            return []
        schemas = schemas_around(engine, self.position)
        if not runner_conflicts(engine.target, self.migration, *schemas):
            return []
        return [
            *PER_MIGRATION["apply_keeps_data"](engine, self.position),
            *PER_MIGRATION["rollback_keeps_data"](engine, self.position),
        ]

    def ran(self) -> tuple[str, str | None] | None:
        """This check on this migration."""
        return (self.check, self.migration.label)

    def subject(self) -> str:
        """``db::0002_x``."""
        return f"{_state(self).name}::{self.migration.label}"

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The migration's file, so reports point at the SQL that is wrong.

        Line 0, not ``None``: pytest needs a line to report a skip marker's location.
        """
        return self.migration.path, 0, f"{self.subject()}::{self.check}"


class LintItem(pytest.Item):
    """The static rules on one migration's files: fails only on error-level findings.

    Needs no Engine (no database at all), so it reports in milliseconds even when the
    set cannot be built; warnings and notes are listed in the item's report section.
    """

    def __init__(self, *, migration: Migration, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.migration = migration

    def runtest(self) -> None:
        """Fail with the error-level findings of this migration's files."""
        from migration_harness.report.lint_render import text

        state = _state(self)
        try:
            mine = [f for f in state.lint() if f.migration == self.migration.label]
        except HarnessError as exc:
            pytest.fail(f"migration-harness lint: {exc}", pytrace=False)
        errors = [f for f in mine if f.severity == "error" and not f.suppressed]
        others = [f for f in mine if f not in errors]
        if others:
            self.add_report_section("call", "lint warnings", text(others))
        if errors:
            summary = _summary([text([f]) for f in errors], "lint error")
            raise _Failed(text(errors), summary=summary)

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | TerminalRepr:
        """The findings, one line each with its fix, for a failed lint item."""
        return _findings_repr(self, excinfo) or super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The migration's file."""
        return self.migration.path, 0, f"{_state(self).name}::{self.migration.label}::lint"


def _judged(node: Node) -> Collection[str] | None:
    """The migrations set-wide items judge: ``since``'s, and only those pending in real data.

    As ``check --data``: migrations the real data already applied ran on its rows.
    """
    from migration_harness.checks.real import pending_judged

    judged = _accept(node).judged()
    state = _state(node)
    if state.settings.data is None:
        return judged
    return pending_judged(state.engine(), judged)


class FkIndexItem(HarnessItem):
    """The index audit: at the last version every foreign key has a covering index."""

    check = "fk_index"

    def findings(self, engine: Engine) -> list[Finding]:
        """Audit the last version that could be built."""
        from migration_harness.checks.properties import check_fk_index
        from migration_harness.checks.run import touched_tables

        if len(engine.versions) < 2:
            pytest.skip("no migration applies, so there is no schema to audit")
        return check_fk_index(engine, tables=touched_tables(engine, _judged(self)))

    def ran(self) -> tuple[str, str | None] | None:
        """The whole audit, unless ``since`` or real data limits it."""
        return None if _judged(self) is not None else (self.check, None)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The migrations folder: the audit is about the set as a whole."""
        mset = _state(self).migration_set()
        return mset.migrations_dir, 0, f"{_state(self).name}::{self.check}"


class StatefulItem(HarnessItem):
    """The state machine over whole histories (apply, roll back, re-run, write data)."""

    check = "stateful"

    @property
    def cost(self) -> int:
        """The longest item of a set: a fifth of ``db/``'s item time in one item."""
        return 3

    def findings(self, engine: Engine) -> list[Finding]:
        """Fuzz histories; the minimal failing history's findings."""
        from migration_harness.checks.run import check_stateful, touches

        if len(engine.versions) < 2:
            pytest.skip("no migration applies, so there is no history to fuzz")
        judged = _judged(self)
        if _state(self).settings.data is not None and judged is not None and not judged:
            pytest.skip("no migration is pending in the real data: no history to fuzz")
        return [f for f in check_stateful(engine) if touches(f, engine, judged)]

    def ran(self) -> tuple[str, str | None] | None:
        """Every history, unless ``since`` or real data limits them."""
        return None if _judged(self) is not None else (self.check, None)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The migrations folder: a history spans the whole set."""
        mset = _state(self).migration_set()
        return mset.migrations_dir, 0, f"{_state(self).name}::{self.check}"


class RegressionItem(HarnessItem):
    """One regression file of ``<set>/regressions/``: fails while its bug exists."""

    check = "regression"
    accepts = False

    def __init__(self, *, path: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = path

    def findings(self, engine: Engine) -> list[Finding]:
        """Replay the recorded history or example through the code that found it."""
        from migration_harness.checks.replay import replay_regression, still_failing
        from migration_harness.report.regression import NeedsSourceError, read_regression

        try:
            data = read_regression(self.path)
            return still_failing(data, replay_regression(engine, data, self.path), engine)
        except NeedsSourceError as exc:  # real rows are not in the file: not replayable here
            pytest.skip(str(exc))
        except HarnessError as exc:
            error = f"migration-harness: {exc}"
        pytest.fail(error, pytrace=False)  # outside `except`: no "during handling" chain

    def describe(self, findings: list[Finding]) -> str:
        """The findings, then the command that replays this file."""
        blocks = [
            f"regression {self.path.name} still fails",
            *(finding.render() for finding in findings),
            f"Replay: migration-harness replay {self.path}",
        ]
        return "\n\n".join(blocks)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The regression file itself."""
        return self.path, 0, f"{_state(self).name}::{self.name}"


# --- item kinds -------------------------------------------------------------------------


class ItemKind(Protocol):
    """One family of nodes under a set (per-migration checks, the index audit, ...)."""

    def __call__(self, parent: SetCollector, /) -> Iterator[Node]:
        """The family's nodes for this set, in a stable order (xdist compares orders)."""
        ...


def per_migration(parent: SetCollector) -> Iterator[Node]:
    """A collector per migration holding its per-migration check items."""
    from migration_harness.checks.properties import PER_MIGRATION

    checks = tuple(c for c in PER_MIGRATION if c in parent.state.settings.checks)
    if not checks and "lint" not in parent.state.settings.checks:
        return
    for position, migration in enumerate(parent.mset.migrations, start=1):
        yield MigrationCollector.from_parent(
            parent, name=migration.label, migration=migration, position=position, checks=checks
        )


def fk_index(parent: SetCollector) -> Iterator[Node]:
    """The set-wide index audit."""
    if "fk_index" in parent.state.settings.checks:
        yield FkIndexItem.from_parent(parent, name="fk_index")


def stateful(parent: SetCollector) -> Iterator[Node]:
    """The history fuzzer, one item per set."""
    if "stateful" in parent.state.settings.checks:
        yield StatefulItem.from_parent(parent, name="stateful")


def regressions(parent: SetCollector) -> Iterator[Node]:
    """One item per file in ``<set>/regressions/``, in name order."""
    folder = parent.mset.root / "regressions"
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            yield RegressionItem.from_parent(parent, name=f"regression-{path.stem}", path=path)


ITEM_KINDS: Final[tuple[ItemKind, ...]] = (per_migration, fk_index, stateful, regressions)
