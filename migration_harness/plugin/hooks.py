"""Options, ``[tool.migration-harness]`` settings and the session state of the pytest plugin.

The plugin is installed for every pytest run in the environment, so it does nothing until a
set is configured: with no table in pyproject.toml and no option it imports neither
Hypothesis nor the engine, prints no header and collects nothing. Settings are resolved and
checked once, in ``pytest_configure``, so a typo stops the run with a usage error (exit 4)
that names the option or key and suggests a fix, instead of surfacing as N failing items.
The migration set itself is read lazily, at collection or by the first fixture that needs it.
"""

from __future__ import annotations

import difflib
import os
import shlex
import tomllib
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

from migration_harness.sets.config import SetConfig

if TYPE_CHECKING:
    from migration_harness.checks.engine import Engine
    from migration_harness.report.findings import Finding
    from migration_harness.sets.discovery import MigrationSet
    from migration_harness.sets.targets import Target

TABLE: Final = "migration-harness"
KEYS: Final = (
    "migrations",
    "rollbacks",
    "target",
    "foreign_keys",
    "engine",
    "profile",
    "checks",
    "applied",
    "rollback_policy",
    "fail_on",
    "since",
)
# Sub-tables and lists other modules read: application functions, suppressions.
OTHER_KEYS: Final = ("functions", "ignore", "per-file-ignores", "data", "columns")
FLAGS: Final = {
    "migrations": "--migrations",
    "rollbacks": "--rollbacks",
    "target": "--migration-target",
    "foreign_keys": "--migration-foreign-keys",
    "engine": "--migration-engine",
    "profile": "--migration-profile",
    "checks": "--migration-checks",
    "applied": "--migration-applied",
    "rollback_policy": "--migration-rollback-policy",
    "fail_on": "--migration-fail-on",
    "since": "--migrations-since",
}
# How production applies the set (see migration_harness.sets.config): choices and help.
RUN_OPTIONS: Final = {
    "applied": (
        "tracked|untracked",
        "How production applies the set: decides whether not_idempotent is an error "
        "(default: tracked for runner targets, untracked for plain sqlite).",
    ),
    "rollback_policy": (
        "required|optional",
        "Whether a missing rollback is an error (default: required when at least half the "
        "migrations have one).",
    ),
    "fail_on": (
        "error|warning|note",
        "Lowest severity that fails an item (default: error); lower ones pass and are "
        "listed in the warnings summary.",
    ),
}
# The profiles `migration-harness check --profile` accepts: only these go into a replay line.
CLI_PROFILES: Final = ("dev", "ci", "thorough")


@dataclass(frozen=True, slots=True)
class HarnessSettings:
    """What the user configured, checked and with every path absolute.

    Attributes:
        anchor: the pyproject.toml the items hang from (node ids start with its name). It
            need not exist when everything came from the command line.
        set_path: the set as :func:`~migration_harness.sets.discovery.discover` takes it (a
            project, a ``db/`` folder or the migrations folder).
        rollbacks: an explicit rollbacks folder, paired by version.
        target: a target name; ``None`` lets the set decide (``d1`` for a wrangler project).
        foreign_keys: ``"on"``/``"off"`` overrides the target's default connection setting.
        engine: ``sqlite3`` (the emulation of the target's rules) or ``miniflare`` (every
            file runs on a real local D1, as ``check --engine miniflare``).
        profile: the Hypothesis profile the engine runs under.
        checks: check names, in :data:`migration_harness.checks.properties.CHECKS` order,
            after ``lint`` (the static rules' item per migration) when it is selected.
        config: how production applies the set (``applied``, ``rollback_policy``,
            ``fail_on``), which decides each finding's severity and what fails an item.
        set_from_command_line: ``--migrations`` was given, which asks for the items even
            when the run names other test paths.
        invocation_dir: where pytest was started, to print replay paths the user can paste.
        since: the git revision ``--migrations-since`` names; ``changed``: the files added
            or changed since it (resolved), ``None`` without ``since``.

    """

    anchor: Path
    set_path: Path
    rollbacks: Path | None
    target: str | None
    profile: str
    checks: tuple[str, ...]
    set_from_command_line: bool
    invocation_dir: Path
    foreign_keys: str | None = None
    engine: str = "sqlite3"
    config: SetConfig = field(default_factory=SetConfig)
    since: str | None = None
    changed: frozenset[Path] | None = None


class SetState:
    """The set, its target and its Engine for one session, built on first use and shared.

    Items and fixtures ask this one object, so the Engine (which applies every migration once
    and snapshots each version) is built once per session, i.e. once per xdist worker since
    each worker is a session of its own. A build error is kept so that every item reports
    the same message without re-applying the set each time.
    """

    def __init__(self, settings: HarnessSettings) -> None:
        self.settings = settings
        # The session added the set's root itself (the directory walk misses the anchor).
        self.attached = False
        self._mset: MigrationSet | None = None
        self._engine: Engine | None = None
        self._engine_error: Exception | None = None
        self._lint: list[Finding] | None = None

    @property
    def name(self) -> str:
        """The set's name in node ids: the configured folder's own name (``db``)."""
        return self.settings.set_path.name

    def migration_set(self) -> MigrationSet:
        """Discover the set (once); raises ``DiscoveryError`` on a bad set."""
        if self._mset is None:
            from migration_harness.sets.discovery import discover
            from migration_harness.sets.equivalents import with_equivalents
            from migration_harness.sets.functions import find_config

            found = discover(self.settings.set_path, rollbacks=self.settings.rollbacks)
            self._mset = with_equivalents(found, find_config(found.root))
        return self._mset

    def target(self) -> Target:
        """The configured target, else the set's default, with the application's functions."""
        from dataclasses import replace

        from migration_harness.sets.functions import find_config, load_functions
        from migration_harness.sets.targets import TARGETS, with_applied, with_foreign_keys

        if self.settings.engine == "miniflare":
            from migration_harness.d1 import miniflare
            from migration_harness.d1.mirror import engine_target

            d1 = with_applied(TARGETS["d1"], self.settings.config.applied)
            return engine_target(d1, miniflare.shared())
        target = TARGETS[self.settings.target or self.migration_set().default_target]
        functions = load_functions(find_config(self.settings.anchor.parent))
        target = with_applied(target, self.settings.config.applied)
        return with_foreign_keys(replace(target, functions=functions), self.settings.foreign_keys)

    def engine(self) -> Engine:
        """The shared Engine; raises the same ``HarnessError`` each time the set is broken."""
        if self._engine_error is not None:
            raise self._engine_error
        if self._engine is None:
            from hypothesis import settings

            from migration_harness.checks.engine import Engine
            from migration_harness.errors import HarnessError

            try:
                mset, target = self.migration_set(), self.target()
                from migration_harness.checks.profiles import profile_seed

                name = self.settings.profile
                profile = settings.get_profile(name)
                self._engine = Engine(mset, target, settings=profile, seed=profile_seed(name))
            except HarnessError as exc:
                self._engine_error = exc
                raise
        return self._engine

    def lint(self) -> list[Finding]:
        """Lint findings of the whole set (once a session: milliseconds, no database)."""
        if self._lint is None:
            from migration_harness.lint import lint_set

            self._lint = lint_set(self.migration_set(), self.target())
        return self._lint

    def replay(self, check: str) -> str:
        """The CLI command that re-runs one check on the whole set, as the plugin ran it."""
        settings = self.settings
        words = [
            "migration-harness",
            "check",
            self.shown(settings.set_path),
            "--checks",
            check,
            "--target",
            self.target().name,
        ]
        if settings.foreign_keys is not None:
            words += ["--foreign-keys", settings.foreign_keys]
        if settings.engine != "sqlite3":
            words += ["--engine", settings.engine]
        if settings.rollbacks is not None:
            words += ["--rollbacks", self.shown(settings.rollbacks)]
        if settings.profile in CLI_PROFILES:
            words += ["--profile", settings.profile]
        return shlex.join(words)

    def shown(self, path: Path) -> str:
        """``path`` relative to where pytest started when it lies below, else absolute."""
        base = self.settings.invocation_dir
        return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)


STATE: Final = pytest.StashKey["SetState | None"]()


def state_of(config: pytest.Config) -> SetState | None:
    """The session's state, ``None`` when nothing is configured (the plugin stays silent)."""
    return config.stash.get(STATE, None)


# --- hooks ------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    """Command-line options; each beats its ``[tool.migration-harness]`` key."""
    group = parser.getgroup("migration-harness", "migration-harness property checks")
    group.addoption(
        "--migrations",
        dest="harness_migrations",
        metavar="PATH",
        default=None,
        help="Migration set to check: a project, db/ or migrations folder "
        "(overrides [tool.migration-harness] migrations).",
    )
    group.addoption(
        "--rollbacks",
        dest="harness_rollbacks",
        metavar="PATH",
        default=None,
        help="Folder of rollback files, paired by version.",
    )
    group.addoption(
        "--migration-target",
        dest="harness_target",
        metavar="NAME",
        default=None,
        help="Runner rules: sqlite, d1, golang-migrate, goose, dbmate, sqlx or diesel "
        "(default: the layout's runner; d1 for a wrangler D1 project).",
    )
    group.addoption(
        "--migration-foreign-keys",
        dest="harness_foreign_keys",
        metavar="on|off",
        default=None,
        help="PRAGMA foreign_keys of the application's connection (default: the target's).",
    )
    group.addoption(
        "--migration-engine",
        dest="harness_engine",
        metavar="NAME",
        default=None,
        help="Where files run: sqlite3 (the target's rules, emulated; default) or miniflare "
        "(a real local D1 through Miniflare; needs Node.js and `npm ci`).",
    )
    group.addoption(
        "--migration-profile",
        dest="harness_profile",
        metavar="NAME",
        default=None,
        help="Hypothesis profile for the checks: dev, ci or thorough "
        "(default: --hypothesis-profile if given, else ci when $CI is set, else dev).",
    )
    group.addoption(
        "--migration-checks",
        dest="harness_checks",
        metavar="A,B",
        default=None,
        help="Comma-separated checks to collect (default: all).",
    )
    for key, (metavar, help_text) in RUN_OPTIONS.items():
        group.addoption(
            FLAGS[key], dest=f"harness_{key}", metavar=metavar, default=None, help=help_text
        )
    group.addoption(
        "--migrations-since",
        dest="harness_since",
        metavar="REV",
        default=None,
        help="Judge only migrations whose files changed since this git revision (e.g. "
        "origin/main); the other migrations' items are deselected.",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Resolve and check the settings before anything is collected.

    ``tryfirst`` puts this ahead of Hypothesis's own ``pytest_configure``, so that
    ``--hypothesis-profile ci`` finds the harness's profiles already registered.
    """
    settings = resolve(config)
    config.stash[STATE] = SetState(settings) if settings is not None else None


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
    return [
        f"migration-harness: {state.shown(settings.set_path)} (target {target}{engine}, "
        f"profile {settings.profile}, checks: {checks})"
    ]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Hang the set's items from the configured pyproject.toml, and only from that one.

    Items need a real file as their root so that their ids (and ``--lf``, ``--deselect``,
    junit ``classname``) read ``pyproject.toml::db::0002_x::apply``; the pyproject.toml is
    the file that configured them. Other pyproject.toml files (nested projects, examples)
    are never collected.
    """
    state = state_of(parent.config)
    if state is None or state.attached or file_path.name != state.settings.anchor.name:
        return None
    if file_path.resolve() != state.settings.anchor.resolve():
        return None
    return _set_file(parent, file_path)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """Add the set to the session when the directory walk will not reach its pyproject.toml.

    That happens with ``testpaths = ["tests"]`` (a plain ``pytest`` should still check the
    set) and with ``--migrations`` but no pyproject.toml (the option asks for the items). Runs
    given explicit paths, or started in a sub-folder, are left alone: they asked for a subset.
    """
    report = yield
    if isinstance(collector, pytest.Session) and report.passed:
        state = state_of(collector.config)
        if state is not None and _walk_misses(collector, state):
            state.attached = True
            report.result.append(_set_file(collector, state.settings.anchor))
    return report


def _set_file(parent: pytest.Collector, path: Path) -> pytest.Collector:
    """The root node of the set's items (import deferred: collection only)."""
    from migration_harness.plugin.collect import SetFile

    return SetFile.from_parent(parent, path=path)


def _walk_misses(session: pytest.Session, state: SetState) -> bool:
    """Whether the items must be added because no directory walk will reach the anchor.

    Decided from the initial paths, not from whether ``pytest_collect_file`` saw the anchor:
    resolving ``tests/`` makes the session list the rootdir (pyproject.toml included) and
    then keep only ``tests``. Once the session adds the set, the walk stops offering it.
    """
    anchor = state.settings.anchor
    if anchor.is_file() and any(session.isinitpath(p) for p in (anchor, *anchor.parents)):
        return False
    source = session.config.args_source
    return state.settings.set_from_command_line or source == pytest.Config.ArgsSource.TESTPATHS


# --- resolving the settings -------------------------------------------------------------


def resolve(config: pytest.Config) -> HarnessSettings | None:
    """The settings from options and pyproject.toml; ``None`` when neither configures a set.

    Raises:
        pytest.UsageError: a bad key, value or path, with the fix in the message.

    """
    anchor = _pyproject(config)
    table = _read_table(anchor)
    options = {key: config.getoption(f"harness_{key}") for key in KEYS}
    if table is None and all(value is None for value in options.values()):
        return None
    values = _Values(anchor, table, options, config.invocation_params.dir)
    set_path = values.set_path()
    own = _own_config(set_path, anchor)
    since = values.since()
    return HarnessSettings(
        anchor=anchor,
        set_path=set_path,
        rollbacks=values.path("rollbacks"),
        target=values.target(),
        foreign_keys=values.foreign_keys(),
        engine=values.engine(),
        profile=values.profile(config),
        checks=values.checks(),
        set_from_command_line=options["migrations"] is not None,
        invocation_dir=config.invocation_params.dir,
        config=SetConfig(
            applied=values.choice("applied") or own.applied,
            rollback_policy=values.choice("rollback_policy") or own.rollback_policy,
            fail_on=values.choice("fail_on") or own.fail_on,
        ),
        since=since,
        changed=_changed(set_path, since) if since else None,
    )


def _changed(set_path: Path, revision: str) -> frozenset[Path]:
    """The files changed since ``revision``; git's refusal is a usage error."""
    from migration_harness.sets.changes import SinceError, changed_files

    folder = set_path if set_path.is_dir() else set_path.parent
    try:
        return changed_files(folder, revision)
    except SinceError as exc:
        raise pytest.UsageError(str(exc)) from exc


def _own_config(set_path: Path, anchor: Path) -> SetConfig:
    """The set's own ``[tool.migration-harness]``, as the CLI reads it.

    It counts when a pyproject.toml nearer the set than the anchor has one
    (``--migrations=../other/db``); the anchor's keys and the options beat it.
    """
    from migration_harness.errors import HarnessError
    from migration_harness.sets.config import read_config
    from migration_harness.sets.functions import find_config

    nearest = find_config(set_path)
    if nearest is None or (anchor.exists() and nearest.resolve() == anchor.resolve()):
        return SetConfig()
    try:
        return read_config(nearest)
    except HarnessError as exc:
        raise pytest.UsageError(str(exc)) from exc


def _pyproject(config: pytest.Config) -> Path:
    """The pyproject.toml pytest configured itself from, else the one at the rootdir."""
    inipath = config.inipath
    if inipath is not None and inipath.name == "pyproject.toml":
        return inipath
    folder = inipath.parent if inipath is not None else config.rootpath
    return folder / "pyproject.toml"


def _read_table(path: Path) -> dict[str, Any] | None:
    """The ``[tool.migration-harness]`` table, ``None`` without one.

    A pyproject.toml that is not valid TOML only matters when it mentions the table: any
    other project must keep running exactly as it did before the plugin was installed.
    """
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if f"tool.{TABLE}" not in text:
            return None
        message = f"{path}: cannot read [tool.{TABLE}] ({exc})"
        raise pytest.UsageError(message) from exc
    tool = data.get("tool")
    if not isinstance(tool, dict) or TABLE not in tool:
        return None
    table = tool[TABLE]
    if not isinstance(table, dict):
        message = f"{path}: tool.{TABLE} must be a table (write it as [tool.{TABLE}])"
        raise pytest.UsageError(message)
    return table


class _Values:
    """Each setting from its option or its key, checked, with messages naming the source."""

    def __init__(
        self,
        anchor: Path,
        table: Mapping[str, Any] | None,
        options: Mapping[str, str | None],
        invocation_dir: Path,
    ) -> None:
        self.anchor = anchor
        self.table: Mapping[str, Any] = table or {}
        self.has_table = table is not None
        self.options = options
        self.invocation_dir = invocation_dir
        unknown = [key for key in self.table if key not in (*KEYS, *OTHER_KEYS)]
        if unknown:
            close = difflib.get_close_matches(unknown[0], KEYS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(KEYS)}"
            message = f"{self._key_where(unknown[0])}: unknown key ({hint})"
            raise pytest.UsageError(message)

    def _key_where(self, key: str) -> str:
        return f"{self.anchor} [tool.{TABLE}] {key}"

    def _text(self, key: str) -> tuple[str, str] | None:
        """``(value, where)`` from the option, else the key; ``None`` when neither is set."""
        option = self.options[key]
        if option is not None:
            return option, f"{FLAGS[key]} {option}"
        if key not in self.table:
            return None
        value = self.table[key]
        where = f"{self._key_where(key)} = {value!r}"
        if not isinstance(value, str) or not value.strip():
            message = f"{where}: must be a non-empty string"
            raise pytest.UsageError(message)
        return value, where

    def path(self, key: str) -> Path | None:
        """An existing path, or ``None`` when neither option nor key sets it.

        Options are relative to where pytest started (as a shell user expects); keys are
        relative to the pyproject.toml, so the project works from any folder.
        """
        found = self._text(key)
        if found is None:
            return None
        value, where = found
        base = self.invocation_dir if self.options[key] is not None else self.anchor.parent
        path = (base / value).absolute()
        if not path.exists():
            relative = "the current folder" if self.options[key] is not None else self.anchor
            message = f"{where}: {path} not found (paths are relative to {relative})"
            raise pytest.UsageError(message)
        return path

    def set_path(self) -> Path:
        """The set; a table without ``migrations`` means the pyproject.toml's own folder."""
        path = self.path("migrations")
        if path is not None:
            return path
        if self.has_table:
            return self.anchor.parent
        given = next(f"{FLAGS[k]} {v}" for k, v in self.options.items() if v is not None)
        message = (
            f"{given}: no migration set to check (pass --migrations PATH or add "
            f'migrations = "db" to [tool.{TABLE}] in {self.anchor})'
        )
        raise pytest.UsageError(message)

    def since(self) -> str | None:
        """The git revision to judge changes from (``--migrations-since``, key ``since``)."""
        found = self._text("since")
        return found[0] if found else None

    def target(self) -> str | None:
        """A known target name, or ``None`` for the set's default."""
        from migration_harness.sets.targets import TARGETS

        found = self._text("target")
        if found is None:
            return None
        value, where = found
        _require_known(value, tuple(TARGETS), where, "target")
        return value

    def foreign_keys(self) -> str | None:
        """``"on"``, ``"off"`` or ``None`` (the target's default); a TOML bool works too."""
        key = "foreign_keys"
        option = self.options[key]
        if option is not None:
            value: object = option
            where = f"{FLAGS[key]} {option}"
        elif key in self.table:
            value = self.table[key]
            where = self._key_where(key)
        else:
            return None
        if isinstance(value, bool):
            return "on" if value else "off"
        if value not in ("on", "off"):
            message = f"{where}: foreign_keys must be on or off (or true/false)"
            raise pytest.UsageError(message)
        return str(value)

    def engine(self) -> str:
        """``sqlite3`` (default) or ``miniflare``, which runs D1's rules only."""
        from migration_harness.d1.mirror import miniflare_conflict

        found = self._text("engine")
        if found is None:
            return "sqlite3"
        value, where = found
        _require_known(value, ("sqlite3", "miniflare"), where, "engine")
        if value == "miniflare":
            conflict = miniflare_conflict(self.target(), self.foreign_keys())
            if conflict is not None:
                message = f"{where}: {conflict}"
                raise pytest.UsageError(message)
        return value

    def choice(self, key: str) -> str | None:
        """One of ``key``'s choices (``applied``, ``fail_on`` …), or ``None`` when unset."""
        from migration_harness.sets.config import CHOICES

        found = self._text(key)
        if found is None:
            return None
        value, where = found
        _require_known(value, CHOICES[key], where, key)
        return value

    def checks(self) -> tuple[str, ...]:
        """Known check names in CHECKS order (``lint`` first); all of them by default."""
        from migration_harness.checks.properties import CHECKS

        known = ("lint", *CHECKS)  # lint items beside the checks

        option = self.options["checks"]
        if option is not None:
            names = [n.strip() for n in option.split(",") if n.strip()]
            where = f"{FLAGS['checks']} {option}"
        elif "checks" in self.table:
            value = self.table["checks"]
            where = f"{self._key_where('checks')} = {value!r}"
            if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
                message = f'{where}: must be a list of check names (e.g. ["apply", "rollback"])'
                raise pytest.UsageError(message)
            names = [n.strip() for n in value]
        else:
            return known
        if not names:
            message = f"{where}: no check named (choose from {', '.join(known)})"
            raise pytest.UsageError(message)
        for name in names:
            _require_known(name, known, where, "check")
        return tuple(c for c in known if c in names)

    def profile(self, config: pytest.Config) -> str:
        """``--migration-profile``, then ``--hypothesis-profile``, the key, then $CI."""
        option = self.options["profile"]
        hypothesis_option = config.getoption("hypothesis_profile", None)
        if option is not None:
            name, where = option, f"{FLAGS['profile']} {option}"
        elif hypothesis_option:
            name, where = str(hypothesis_option), f"--hypothesis-profile {hypothesis_option}"
        else:
            default = "ci" if os.environ.get("CI") else "dev"
            name, where = self._text("profile") or (default, f"default profile {default}")
        _register_profiles()
        if not _profile_exists(name):
            from migration_harness.checks.profiles import PROFILES

            close = difflib.get_close_matches(name, PROFILES, n=1)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else (f"choose from {', '.join(PROFILES)}, or register it in conftest.py")
            )
            message = f"{where}: unknown Hypothesis profile {name!r} ({hint})"
            raise pytest.UsageError(message)
        return name


def _require_known(name: str, known: Iterable[str], where: str, what: str) -> None:
    """Refuse an unknown name, suggesting the closest known one."""
    known = tuple(known)
    if name in known:
        return
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"choose from {', '.join(known)}"
    message = f"{where}: unknown {what} {name!r} ({hint})"
    raise pytest.UsageError(message)


def _register_profiles() -> None:
    """Register dev/ci/thorough without changing the active profile or the user's profiles.

    ``checks.profiles.register_profiles()`` also loads ``ci``/``dev`` as the active profile,
    right for this project's own suite but wrong inside a user's session: it would change
    the budget of every ``@given`` test they own and replace a ``ci`` profile they registered
    in conftest.py. So the active profile and any same-named profile are put back.
    """
    from hypothesis import settings
    from hypothesis.errors import InvalidArgument

    from migration_harness.checks.profiles import PROFILES, register_profiles

    current = settings.get_current_profile_name()
    kept: dict[str, settings] = {}
    for name in PROFILES:
        try:
            kept[name] = settings.get_profile(name)
        except InvalidArgument:
            continue
    register_profiles()
    for name, profile in kept.items():
        settings.register_profile(name, profile)
    settings.load_profile(current)


def _profile_exists(name: str) -> bool:
    """Whether Hypothesis knows a profile called ``name`` (a user's own, say)."""
    from hypothesis import settings
    from hypothesis.errors import InvalidArgument

    try:
        settings.get_profile(name)
    except InvalidArgument:
        return False
    return True
