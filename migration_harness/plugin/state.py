"""The session state of the pytest plugin: one set, its target and its Engine, built once.

Items, fixtures and the summary hooks all ask the :class:`SetState` kept in the config's
stash, so the Engine (which applies every migration once and snapshots each version) is
built once per session, i.e. once per xdist worker since each worker is a session of its
own. Nothing here runs before an item or a fixture asks: a configured project whose run
deselects every migration item never imports Hypothesis.
"""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pytest

from migration_harness.plugin.settings import HarnessSettings

if TYPE_CHECKING:
    from migration_harness.checks.engine import Engine
    from migration_harness.data.sources import RealData
    from migration_harness.report.findings import Finding
    from migration_harness.sets.config import SetConfig
    from migration_harness.sets.discovery import MigrationSet
    from migration_harness.sets.renames import Rename
    from migration_harness.sets.rollbackuse import RollbackUse
    from migration_harness.sets.shipgroups import ShipGroup
    from migration_harness.sets.targets import Target

# The profiles `migration-harness check --profile` accepts: only these go into a replay line.
CLI_PROFILES: Final = ("dev", "ci", "thorough")


class SetState:
    """The set, its target and its Engine for one session, built on first use and shared.

    A build error is kept so that every item reports the same message without re-applying
    the set each time.
    """

    def __init__(self, settings: HarnessSettings) -> None:
        self.settings = settings
        # The session added the set's root itself (the directory walk misses the anchor).
        self.attached = False
        self._mset: MigrationSet | None = None
        self._rollbacks: RollbackUse | None = None
        self._config: SetConfig | None = None
        self._engine: Engine | None = None
        self._engine_error: Exception | None = None
        self._lint: list[Finding] | None = None
        self._groups: tuple[ShipGroup, ...] | None = None
        # Connections the fixtures opened while a test body ran (closed when it ends), and
        # while fixtures were set up (a module-scoped fixture may hold one: session end).
        self.in_call = False
        self._opened: list[sqlite3.Connection] = []
        self._kept: list[sqlite3.Connection] = []

    @property
    def name(self) -> str:
        """The set's name in node ids: the configured folder's own name (``db``)."""
        return self.settings.set_path.name

    def migration_set(self) -> MigrationSet:
        """Discover the set (once); raises ``DiscoveryError`` on a bad set."""
        if self._mset is None:
            from migration_harness.sets.admission import for_target
            from migration_harness.sets.discovery import discover
            from migration_harness.sets.equivalents import with_equivalents
            from migration_harness.sets.functions import config_of
            from migration_harness.sets.hooks import with_hooks

            found = discover(
                self.settings.set_path,
                rollbacks=self.settings.rollbacks,
                layout=self.settings.layout,
                placeholders=self.settings.placeholders or None,
                target=self.settings.target,
            )
            found = with_equivalents(found, config_of(found))
            found = with_hooks(found, config_of(found))
            # What the chosen runner reads of it (goose's version 0, shared numbers).
            runner = "d1" if self.settings.engine == "miniflare" else None
            self._mset, _ = for_target(
                found, runner or self.settings.target or found.default_target
            )
        return self._mset

    def config(self) -> SetConfig:
        """The set's settings as ``check`` reads them, options and ini keys on top (once).

        :func:`~migration_harness.sets.functions.set_config` on the discovered set: the
        table of the pyproject.toml nearest its migrations folder, as the CLI takes it.
        """
        if self._config is None:
            from migration_harness.sets.functions import set_config

            self._config = set_config(self.migration_set(), **self.settings.choices)
        return self._config

    def rollback_use(self) -> RollbackUse:
        """Whose rollbacks production runs (``production_rollbacks``), resolved on the set."""
        if self._rollbacks is None:
            from migration_harness.sets.rollbackuse import rollback_use

            config = self.config()
            self._rollbacks = rollback_use(
                self.migration_set(), config.production_rollbacks, config.production_rollbacks_from
            )
        return self._rollbacks

    def target(self) -> Target:
        """The configured target, else the set's default, as ``check`` builds it.

        :func:`~migration_harness.sets.build.build_target` on the set and :meth:`config`,
        the one function the CLI calls too; under ``engine = miniflare`` its files run on
        the session's local D1.
        """
        from migration_harness.sets.build import build_target

        engine = self.settings.engine
        target = build_target(
            self.migration_set(),
            self.config(),
            self.settings.target,
            foreign_keys=self.settings.foreign_keys,
            engine=engine,
        )
        if engine == "miniflare":
            from migration_harness.d1 import miniflare
            from migration_harness.d1.mirror import engine_target

            return engine_target(target, miniflare.shared())
        return target

    def engine(self) -> Engine:
        """The shared Engine; raises the same ``HarnessError`` each time the set is broken.

        It runs under exactly the budget ``migration-harness check --profile`` gives the
        same profile name (:func:`~migration_harness.checks.profiles.profile_settings`),
        and on the configured real data as ``check --data`` builds it: loaded once, the
        build continued from its rows at its version, values hidden while it runs.
        """
        if self._engine_error is not None:
            raise self._engine_error
        if self._engine is None:
            from migration_harness.checks.engine import Engine
            from migration_harness.checks.profiles import profile_seed, profile_settings
            from migration_harness.data.privacy import values_hidden
            from migration_harness.errors import HarnessError

            name = self.settings.profile
            try:
                mset, target = self.migration_set(), self.target()
                real = self._real(mset, target)
                with values_hidden(self.hides_values()):
                    self._engine = Engine(
                        mset,
                        target,
                        settings=profile_settings(name),
                        seed=profile_seed(name, self.settings.seed),
                        real=real,
                        groups=self.groups(),
                    )
            except HarnessError as exc:
                self._engine_error = exc
                raise
        return self._engine

    def _real(self, mset: MigrationSet, target: Target) -> RealData | None:
        """The configured real data, loaded read-only as ``check --data`` loads it."""
        settings = self.settings
        if settings.data is None:
            return None
        from migration_harness.data.sources.configured import load_source

        return load_source(
            mset,
            target,
            settings.data,
            sample=settings.sample,
            seed=settings.seed,
            allow_drift=settings.allow_drift,
            show_values=settings.show_values,
            engine=settings.engine,
            name=self.data_shown(),
        )

    def hides_values(self) -> bool:
        """Whether real values must stay out of messages (real data, no ``show_values``)."""
        return self.settings.data is not None and not self.settings.show_values

    def real_version(self) -> tuple[int, str] | None:
        """``(position, label)`` the real data's rows were adopted at; ``None``: no real data.

        Also ``None`` when the set cannot be built up to the data's version (the build's
        own error or stop is then what the items report).
        """
        from migration_harness.errors import HarnessError

        if self.settings.data is None:
            return None
        try:
            engine = self.engine()
        except HarnessError:
            return None
        if engine.real_at is None:
            return None
        return engine.real_at, engine.name_of(engine.real_at)

    def opened(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        """Keep a fixture's connection, to close it when the test (or the session) ends.

        One opened by a test's body (a ``@given`` example, say) is the test's; one opened
        while fixtures are set up may belong to a fixture of any scope, so it stays open
        until the session ends.
        """
        (self._opened if self.in_call else self._kept).append(conn)
        return conn

    def close_opened(self, *, all_of_them: bool = False) -> None:
        """Close what the test that just ended opened (everything at the session's end)."""
        for conn in [*self._opened, *(self._kept if all_of_them else ())]:
            conn.close()
        self._opened.clear()
        if all_of_them:
            self._kept.clear()

    def lint(self) -> list[Finding]:
        """Lint findings of the whole set (once a session: milliseconds, no database)."""
        if self._lint is None:
            from migration_harness.lint import lint_set, lints_tracked

            target = self.target()
            self._lint = lint_set(
                self.migration_set(),
                target,
                tracked=lints_tracked(target),  # as check's lint pass and lint decide it
                rollbacks=self.rollback_use(),
                groups=self.groups(),
                renames=self.renames(),
            )
        return self._lint

    def renames(self) -> tuple[Rename, ...]:
        """The set's shipped files renamed under a new runner key (as ``lint`` reads them)."""
        from migration_harness.sets.renames import renamed_files

        target, config = self.target(), self.config()
        if not target.tracked:
            return ()
        style = target.tracking.key_style
        return renamed_files(
            self.migration_set(), target.name, style, config.ship_groups, config.ship_tags
        )

    def groups(self) -> tuple[ShipGroup, ...]:
        """The set's ship groups, read once a session for the engine and the lint pass.

        The same reading as ``check`` (config's ``ship_groups``/``ship_tags``), so the
        plugin's lint says nothing of a table an earlier file of the group created either.
        """
        if self._groups is None:
            from migration_harness.sets.shipgroups import ship_groups

            config = self.config()
            self._groups = ship_groups(
                self.migration_set(),
                config.ship_groups,
                tracked=self.target().tracked,
                tags=config.ship_tags,
            )
        return self._groups

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
        config = self.config()
        if config.tx_wrap == "off":
            words += ["--tx-wrap", "off"]
        if config.application_foreign_keys is not None:
            words += ["--application-foreign-keys", config.application_foreign_keys]
        if settings.layout is not None:
            words += ["--layout", settings.layout]
        for name, value in settings.placeholders.items():
            words += ["--placeholder", f"{name}={value}"]
        words += self._replay_data()
        if settings.profile in CLI_PROFILES:
            words += ["--profile", settings.profile]
        if settings.seed is not None:
            words += ["--seed", str(settings.seed)]
        return shlex.join(words)

    def _replay_data(self) -> list[str]:
        """The CLI's ``--data`` options for the configured real data."""
        settings = self.settings
        if settings.data is None:
            return []
        words = ["--data", self.data_shown()]
        if settings.sample is not None:
            words += ["--sample", str(settings.sample)]
        if settings.allow_drift:
            words.append("--allow-drift")
        if settings.show_values:
            words.append("--show-values")
        return words

    def data_shown(self) -> str:
        """The real data as the user can name it: below pytest's folder, relative."""
        from migration_harness.data.sources import D1_PREFIX

        data = self.settings.data or ""
        return data if data.startswith(D1_PREFIX) else self.shown(Path(data))

    def shown(self, path: Path) -> str:
        """``path`` relative to where pytest started when it lies below, else absolute."""
        base = self.settings.invocation_dir
        return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)


STATE: Final = pytest.StashKey["SetState | None"]()


def state_of(config: pytest.Config) -> SetState | None:
    """The session's state, ``None`` when nothing is configured (the plugin stays silent)."""
    return config.stash.get(STATE, None)
