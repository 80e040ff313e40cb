"""The pytest hooks of the plugin: options, configuration, header and where items hang.

The plugin is installed for every pytest run in the environment, so it does nothing until a
set is configured: with no ``[tool.migration-harness]`` table, no ``migrations_*`` ini key
and no option it imports neither Hypothesis nor the engine, prints no header and collects
nothing. Settings live in :mod:`~migration_harness.plugin.settings`, the session state in
:mod:`~migration_harness.plugin.state`; the nodes (:mod:`~migration_harness.plugin.collect`)
are imported only when a set is collected, and never import this module.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

import pytest

from migration_harness.plugin.accept import accept_of
from migration_harness.plugin.options import add_options
from migration_harness.plugin.settings import resolve
from migration_harness.plugin.state import STATE, SetState, state_of

MARKER = "migrations: an item migration-harness generated from the configured migration set"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Command-line options and ini keys; each option beats its ini and table keys."""
    add_options(parser)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Register the marker, then resolve and check the settings before any collection.

    ``tryfirst`` puts this ahead of Hypothesis's own ``pytest_configure``, so that
    ``--hypothesis-profile thorough`` finds the harness's profiles already registered.
    """
    config.addinivalue_line("markers", MARKER)
    settings = resolve(config)
    config.stash[STATE] = SetState(settings) if settings is not None else None
    asked = config.getoption("hypothesis_profile", None)
    if settings is not None or str(asked).startswith("migration-harness-"):
        _register_profiles(asked)


def _register_profiles(asked: str | None) -> None:
    """Register the CLI's profiles under the harness's own names, without loading any.

    ``--hypothesis-profile dev`` (or ``thorough``) asks Hypothesis to load a profile by
    that bare name: when neither Hypothesis nor the user defines it, ours is registered
    under it too, so the user's own ``@given`` tests run with it. ``ci`` is never
    re-registered: Hypothesis's own (or the user's) stays theirs, and the items use ours.
    """
    from hypothesis import settings
    from hypothesis.errors import InvalidArgument

    from migration_harness.checks.profiles import profile_settings, register_named

    register_named()
    if asked in ("dev", "thorough"):
        try:
            settings.get_profile(asked)
        except InvalidArgument:
            settings.register_profile(asked, profile_settings(asked))


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    """One line saying which set runs under which target and profile (only if configured)."""
    state = state_of(config)
    if state is None:
        return None
    from migration_harness.checks.properties import CHECKS

    settings = state.settings
    target = settings.target or ("d1" if settings.engine == "miniflare" else "the set's default")
    engine = f", engine {settings.engine}" if settings.engine != "sqlite3" else ""
    checks = "all" if set(settings.checks) == {"lint", *CHECKS} else ", ".join(settings.checks)
    seed = f", seed {settings.seed}" if settings.seed is not None else ""
    lines = [
        f"migration-harness: {state.shown(settings.set_path)} (target {target}{engine}, "
        f"profile {settings.profile}{seed}, checks: {checks})"
    ]
    if settings.data is not None:
        sample = f", {settings.sample} row(s) per table" if settings.sample else ""
        values = "shown" if settings.show_values else "hidden; rows named by key"
        lines.append(
            f"migration-harness: pending migrations judged on the real rows of "
            f"{state.data_shown()}{sample} (values {values})"
        )
    return lines + [f"migration-harness: note: {note}" for note in _set_notes(state)]


def _set_notes(state: SetState) -> tuple[str, ...]:
    """What discovery left out or reads differently (a Liquibase master's notes)."""
    from migration_harness.errors import HarnessError

    try:
        return state.migration_set().notes
    except HarnessError:
        return ()  # collection reports the bad set, as an error item


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Hang the set's items from the file that configured them, and only from that one.

    Items need a real file as their root so that their ids (and ``--lf``, ``--deselect``,
    junit ``classname``) read ``pyproject.toml::db::0002_x::apply``: the pyproject.toml, or
    the ini file when only ini keys configured the set. Other such files (nested projects,
    examples) are never collected.
    """
    state = state_of(parent.config)
    root = state.settings.root_file if state is not None else None
    if state is None or root is None or state.attached or file_path.name != root.name:
        return None
    if file_path.resolve() != root.resolve():
        return None
    return _set_file(parent, file_path)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """Add the set to the session when the directory walk will not reach its root file.

    That happens with ``testpaths = ["tests"]`` (a plain ``pytest`` should still check the
    set) and with ``--migrations`` but no pyproject.toml (the option asks for the items). Runs
    given explicit paths, or started in a sub-folder, are left alone: they asked for a subset.
    """
    report = yield
    if isinstance(collector, pytest.Session) and report.passed:
        state = state_of(collector.config)
        if state is not None and _walk_misses(collector, state):
            state.attached = True
            report.result.append(_set_file(collector, state.settings.root_file))
    return report


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the items ``--migrations-since`` does not judge; under xdist, longest first."""
    _deselect_unjudged(config, items)
    if state_of(config) is not None and hasattr(config, "workerinput"):
        _longest_first(items)


def _longest_first(items: list[pytest.Item]) -> None:
    """Order the harness's items longest first (xdist workers only).

    xdist hands items out in collection order. Left in report order, the history fuzzer
    (a fifth of ``db/``'s item time in one item) was the last but one item: it started
    when the other worker was almost done and ran alone at the end, so ``-n 2`` took
    longer than ``-n 0``. Longest first (the fuzzer, the data checks, ``idempotent``,
    then the millisecond items) lets the last items handed out be short ones, so the
    workers end together (the CLI's ``-j`` forks the fuzzer first for the same reason).
    Every worker collects, and so reorders, identically, as xdist requires; the sort is
    stable; a ``-n 0`` run keeps the report order.
    """
    from migration_harness.plugin.collect import HarnessItem

    items.sort(key=lambda item: -item.cost if isinstance(item, HarnessItem) else 0)


def _deselect_unjudged(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the per-migration items of migrations ``--migrations-since`` does not judge."""
    accept = accept_of(config)
    if accept is None or accept.state.settings.changed is None:
        return
    from migration_harness.plugin.collect import CheckItem

    judged = accept.judged()
    assert judged is not None
    dropped = [i for i in items if isinstance(i, CheckItem) and i.migration.label not in judged]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [i for i in items if i not in dropped]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Mark the test body, whose fixture connections are the test's own."""
    state = state_of(item.config)
    if state is None:
        return (yield)
    state.in_call = True
    try:
        return (yield)
    finally:
        state.in_call = False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    """Close the databases the session-scoped fixtures opened during the test's body."""
    try:
        return (yield)
    finally:
        state = state_of(item.config)
        if state is not None:
            state.close_opened()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Close the databases fixtures of wider scopes kept open."""
    state = state_of(session.config)
    if state is not None:
        state.close_opened(all_of_them=True)


def _set_file(parent: pytest.Collector, path: Path) -> pytest.Collector:
    """The root node of the set's items (import deferred: collection only)."""
    from migration_harness.plugin.collect import SetFile

    return SetFile.from_parent(parent, path=path)


def _walk_misses(session: pytest.Session, state: SetState) -> bool:
    """Whether the items must be added because no directory walk will reach the root file.

    Decided from the initial paths, not from whether ``pytest_collect_file`` saw the file:
    resolving ``tests/`` makes the session list the rootdir (pyproject.toml included) and
    then keep only ``tests``. Once the session adds the set, the walk stops offering it.
    """
    root = state.settings.root_file
    if root.is_file() and any(session.isinitpath(p) for p in (root, *root.parents)):
        return False
    source = session.config.args_source
    return state.settings.set_from_command_line or source == pytest.Config.ArgsSource.TESTPATHS
