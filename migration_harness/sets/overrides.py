"""A target adjusted by the user's options: ``--foreign-keys``, ``applied``, ``tx_wrap``….

Each ``with_*`` function takes a runner's :class:`~migration_harness.sets.targets.Target`
and one setting (from the command line, the config file or the project's own runner
configuration) and returns the target production really runs, or refuses a setting that
describes no real deployment (keys off under D1, a connection switch the runner lacks).
:func:`~migration_harness.sets.build.build_target` applies them, in one order, for the CLI,
``replay`` and the pytest plugin.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from migration_harness.errors import HarnessError
from migration_harness.sets.targets import Target


def with_foreign_keys(target: Target, *settings: str | None) -> Target:
    """``target`` with the first of ``settings`` that is set applied (unchanged when none is).

    Callers pass ``--foreign-keys on|off``, then what the project's own files say for this
    target (``MigrationSet.project_keys``: refinery's bundled SQLite in ``Cargo.toml``).

    D1 enforces foreign keys on every connection and ignores ``PRAGMA foreign_keys =
    OFF`` (``D1_SEMANTICS``): a d1 check run with keys off would let a rebuild's ``DROP
    TABLE`` skip the cascades production runs, and so hide the rows they delete.

    Raises:
        HarnessError: ``off`` under the d1 target.

    """
    foreign_keys = next((s for s in settings if s is not None), None)
    if foreign_keys is None:
        return target
    if foreign_keys == "off" and target.d1:
        message = (
            f"--foreign-keys off: {target.name} enforces foreign keys on every connection "
            "(drop the option, or choose the runner that really applies the set)"
        )
        raise HarnessError(message)
    return replace(target, foreign_keys=foreign_keys == "on")


def with_application_foreign_keys(target: Target, setting: str | None) -> Target:
    """``target`` with the application's serve-time ``PRAGMA foreign_keys`` (``on``/``off``).

    D1 enforces foreign keys on every connection and offers no way to turn them off for
    good (``PRAGMA defer_foreign_keys`` only postpones the check to the commit), so
    ``off`` there describes no real application.

    Raises:
        HarnessError: ``off`` under the d1 target.

    """
    if setting is None:
        return target
    if setting == "off" and target.d1:
        message = (
            f"application_foreign_keys = off: {target.name} enforces foreign keys on every "
            "connection (drop the setting, or choose the runner the application really uses)"
        )
        raise HarnessError(message)
    return replace(target, application_foreign_keys=setting == "on")


def with_applied(target: Target, applied: str | None) -> Target:
    """``target`` with ``applied = "tracked"|"untracked"`` applied (unchanged when not given)."""
    if applied is None:
        return target
    return replace(target, tracked=applied == "tracked")


def with_statement_timeout(target: Target, seconds: float | None) -> Target:
    """``target`` with ``--statement-timeout`` applied (unchanged when not given)."""
    if seconds is None:
        return target
    return replace(target, statement_timeout=seconds)


# Runners whose *connection* can be told not to wrap files (no per-file opt-out).
_CONNECTION_OPT_OUT: Final = {"golang-migrate": "x-no-tx-wrap=true (NoTxWrap)"}


def with_tx_wrap(target: Target, tx_wrap: str | None) -> Target:
    """``target`` run by a connection that wraps files (``on``) or not (``off``).

    golang-migrate's sqlite drivers wrap every file unless the database URL says
    ``x-no-tx-wrap=true``; then each file runs as written (its own BEGIN/COMMIT) and
    only the version row is written after it. Other runners decide per file (their
    own opt-out comments) or always wrap, so ``off`` there is a usage error.

    Raises:
        HarnessError: ``off`` for a runner without a per-connection switch.

    """
    if tx_wrap is None or tx_wrap == "on":
        return target
    if target.name not in _CONNECTION_OPT_OUT:
        message = (
            f"tx_wrap = off: {target.name} has no per-connection switch to stop wrapping "
            f"files (only {', '.join(_CONNECTION_OPT_OUT)} has one); use the runner's "
            "per-file opt-out (see `migration-harness docs runners`)"
        )
        raise HarnessError(message)
    return replace(target, wrap="none")


def with_flyway_mixed(target: Target, *settings: str | bool | None) -> Target:
    """``target`` with Flyway's ``mixed``: the first of ``settings`` that is set wins.

    Callers pass the command line (``on``/``off``), the config key, then what the project's
    own Flyway or Spring configuration says (a boolean).

    Raises:
        HarnessError: ``on`` (asked for, not read from the project's files) for a target
            that is not Flyway.

    """
    chosen = next((s for s in settings if s is not None), None)
    mixed = chosen is True or chosen == "on"
    if chosen == "on" and target.wrap != "flyway":
        message = (
            f"flyway_mixed = on: {target.name} is not Flyway (the setting is Flyway's "
            "flyway.mixed; drop it or pass --target flyway)"
        )
        raise HarnessError(message)
    return replace(target, mixed=mixed) if target.wrap == "flyway" else target


def with_dialect(target: Target, *settings: str | None) -> Target:
    """``target`` on the engine the first of ``settings`` that is set names.

    Callers pass the command line, the config key, then what the project's own files say
    (a drizzle-kit ``turso`` dialect). D1 is SQLite and nothing else.

    Raises:
        HarnessError: an unknown dialect, or ``libsql`` for the d1 target.

    """
    from migration_harness.sets.config import DIALECTS

    chosen = next((s for s in settings if s is not None), "sqlite")
    if chosen not in DIALECTS:
        message = f"dialect = {chosen!r}: unknown dialect (choose one of {', '.join(DIALECTS)})"
        raise HarnessError(message)
    if chosen == "libsql" and target.d1:
        message = (
            "dialect = libsql: the d1 target runs on Cloudflare D1, which is SQLite "
            "(drop the libsql dialect or pick the set's own runner with --target)"
        )
        raise HarnessError(message)
    return replace(target, dialect=chosen) if chosen != target.dialect else target


def with_sqlite_version(target: Target, version: tuple[int, ...] | None) -> Target:
    """``target`` with the SQLite production's driver runs (``sqlite_version``).

    D1's SQLite is D1's own (measured: :data:`~migration_harness.lint.run.D1_SQLITE`);
    a setting there would describe a database D1 does not run.

    Raises:
        HarnessError: a version under the d1 target.

    """
    if version is None:
        return target
    if target.d1:
        message = (
            f"sqlite_version: {target.name} runs its own SQLite, whatever the project says "
            "(drop the setting, or choose the runner that really applies the set)"
        )
        raise HarnessError(message)
    return replace(target, sqlite_version=version)
