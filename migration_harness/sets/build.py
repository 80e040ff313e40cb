"""The one target a run uses: the runner's rules with the set's and the user's settings.

The CLI (:func:`~migration_harness.cli.common.load`), ``replay``
(:func:`~migration_harness.cli.check.replay`) and the pytest plugin
(:meth:`~migration_harness.plugin.state.SetState.target`) each used to spell the same chain
of ``with_*`` calls (:mod:`~migration_harness.sets.overrides`), in three orders: a setting
added to one shell and forgotten in another would make the plugin check a different
deployment than ``check`` does for the same set. Each shell now folds its options into the
set's :class:`~migration_harness.sets.config.SetConfig` (``SetConfig.merged``) and calls
:func:`build_target`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from migration_harness.sets.functions import config_of, load_functions
from migration_harness.sets.overrides import (
    with_application_foreign_keys,
    with_applied,
    with_dialect,
    with_flyway_mixed,
    with_foreign_keys,
    with_sqlite_version,
    with_statement_timeout,
    with_tx_wrap,
)
from migration_harness.sets.registry import get_target
from migration_harness.sets.targets import Target

if TYPE_CHECKING:
    from migration_harness.sets.config import SetConfig
    from migration_harness.sets.discovery import MigrationSet


def build_target(
    mset: MigrationSet,
    config: SetConfig,
    name: str | None = None,
    *,
    foreign_keys: str | None = None,
    statement_timeout: float | None = None,
    engine: str = "sqlite3",
) -> Target:
    """The target ``mset`` runs under: ``name`` (else the set's default) with every setting.

    Args:
        mset: the discovered set; its own runner configuration (``flyway_mixed``,
            ``dialect``, ``project_keys``) comes after ``config``'s keys.
        config: the set's ``[tool.migration-harness]`` table with the shell's options
            already on top (``tx_wrap``, ``flyway_mixed``, ``dialect``,
            ``application_foreign_keys``, ``applied``).
        name: ``--target``; ``None`` takes the layout's runner.
        foreign_keys: ``--foreign-keys on|off``, which beats the project's own setting.
        statement_timeout: ``--statement-timeout`` (``None``: the default).
        engine: ``miniflare`` runs D1's rules on a local D1: the d1 target, whatever the
            set's runner, without the application's functions (D1 cannot register any)
            and without the settings of other runners (callers refuse a conflicting
            ``--target`` or ``--foreign-keys off`` first:
            :func:`~migration_harness.d1.mirror.miniflare_conflict`).

    Raises:
        HarnessError: a setting that describes no real deployment (the ``with_*`` refusals).

    """
    if engine == "miniflare":
        d1 = with_applied(get_target("d1"), config.applied)
        d1 = with_application_foreign_keys(d1, config.application_foreign_keys)
        d1 = with_dialect(d1, config.dialect)
        d1 = with_sqlite_version(d1, config.sqlite_version)
        return with_statement_timeout(d1, statement_timeout)
    functions = load_functions(config_of(mset))  # as the application registers them
    target = replace(get_target(name or mset.default_target), functions=functions)
    target = with_applied(target, config.applied)
    target = with_tx_wrap(target, config.tx_wrap)
    target = with_flyway_mixed(target, config.flyway_mixed, mset.flyway_mixed)
    target = with_dialect(target, config.dialect, mset.dialect)
    target = with_sqlite_version(target, config.sqlite_version)
    target = with_statement_timeout(target, statement_timeout)
    target = with_foreign_keys(target, foreign_keys, mset.project_keys.get(target.name))
    return with_application_foreign_keys(target, config.application_foreign_keys)
