"""The set-level settings of ``[tool.migration-harness]``: how production applies the set.

The same file can be harmless or dangerous depending on how the team runs it: a ``CREATE
TABLE`` without ``IF NOT EXISTS`` is a bug only where the file can run twice. These keys
tell the harness what it cannot read from the files, so every finding's severity means what
it would mean in production:

    [tool.migration-harness]
    applied = "untracked"        # files are executed one after another, nothing records them
    rollback_policy = "required" # every migration must have a working rollback
    fail_on = "error"            # the lowest severity that fails the run (exit 1)
    tx_wrap = "off"              # golang-migrate opened with x-no-tx-wrap=true (NoTxWrap)
    flyway_mixed = "on"          # Flyway runs with mixed=true (flyway.mixed, spring.flyway.mixed)
    ship_groups = "off"          # every version may hold rows (default "git": files added
                                 # in one commit are deployed together, see sets/shipgroups;
                                 # "tags": files one release shipped are deployed together)
    ship_tags = "v*"             # the release tags of "tags" (a glob; default: version-like)
    production_rollbacks = "unused"  # the application never runs a down file (default "used")
    production_rollbacks_from = "20250822000000"  # downs run only from this version on
    application_foreign_keys = "on"  # the app's own connections enforce foreign keys
    liquibase_changelog = "main.xml" # the Liquibase master changelog, relative to the set
    dialect = "libsql"           # production runs the files on libSQL (Turso), which also
                                 # runs ALTER TABLE … ALTER COLUMN (default: read from a
                                 # drizzle-kit "turso" project, else "sqlite")
    sqlite_version = "3.45.1"    # the SQLite production's driver runs (default: not known)

``production_rollbacks`` says whether production ever runs the set's rollbacks: ``used``
(the default: an operator or the application runs them, so a broken one is an error) or
``unused`` (down files exist for development; the application only ever migrates up, as
goose's Provider, golang-migrate's ``m.Steps(n > 0)`` or diesel's
``run_pending_migrations``). Under ``unused`` the rollback-side errors (a failing or
drifting rollback, its re-apply, a loss or broken key after it) are warnings and a
missing rollback a note (whatever ``rollback_policy`` says: it decides only where
rollbacks are used); forward findings never change
(:mod:`~migration_harness.sets.rollbackuse`). ``production_rollbacks_from`` (a version
number or a migration's name) is for applications that run downs only from a version on:
rollbacks of migrations at or after it are used, earlier ones unused.

``application_foreign_keys`` says what the application's *serving* connections do, where
``--foreign-keys`` (the target's default) says what the migration connection does: diesel
apps often migrate with keys off and serve with them on (Plume). Where neither enforces
keys, a row that breaks a foreign key fails nothing; the finding is a warning (MH157)
that says the data would break the day keys are turned on. Default: the same as the
migration connection. ``off`` under the d1 target is an error (D1 always enforces keys).

``sqlite_version`` is the SQLite the runner's driver bundles or links in production
(mattn/go-sqlite3, modernc.org/sqlite, better-sqlite3, libsqlite3-sys and sqlite-jdbc each
pin their own). lint judges a function newer than it (``unhex``, ``->>``) an error (MH315);
without it only D1's SQLite is known, and a function newer than the harness's own SQLite
is a warning (MH334) that asks for the setting.

``liquibase_changelog`` names the master changelog Liquibase runs (default: Spring's
``spring.liquibase.change-log``, else ``db.changelog-master.xml`` and the other usual
names): discovery reads it, since it decides which files the set holds and in what order
(:mod:`~migration_harness.sets.layouts.liquibase_master`).

The CLI reads the nearest ``pyproject.toml`` with the table, from the set's migrations
folder upward (:func:`~migration_harness.sets.functions.config_of`); a pyproject.toml
without the table is another project's and is passed over (:func:`configures_harness`).
The pytest plugin locates the set from the one pytest configured itself from, and reads
the set's settings through the same functions. Options beat keys.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from migration_harness.errors import HarnessError
from migration_harness.sets.configkeys import unknown_key_message

TABLE: Final = "migration-harness"
APPLIED: Final = ("tracked", "untracked")
ROLLBACK_POLICIES: Final = ("required", "optional")
FAIL_LEVELS: Final = ("error", "warning", "note")
TX_WRAPS: Final = ("on", "off")
SHIP_GROUPS: Final = ("git", "tags", "off")
PRODUCTION_ROLLBACKS: Final = ("used", "unused")
DIALECTS: Final = ("sqlite", "libsql")
# Names users reach for that mean a choice under another name (drizzle-kit says "turso").
_ALIASES: Final = {"dialect": {"turso": "libsql"}}
# Keys of the table that configure a check run (the rest locate the set, for the plugin).
CHOICES: Final[dict[str, tuple[str, ...]]] = {
    "applied": APPLIED,
    "rollback_policy": ROLLBACK_POLICIES,
    "fail_on": FAIL_LEVELS,
    "tx_wrap": TX_WRAPS,
    "flyway_mixed": TX_WRAPS,
    "ship_groups": SHIP_GROUPS,
    "production_rollbacks": PRODUCTION_ROLLBACKS,
    "application_foreign_keys": TX_WRAPS,
    "dialect": DIALECTS,
}


class ConfigError(HarnessError):
    """A ``[tool.migration-harness]`` key has a value the harness does not know."""


@dataclass(frozen=True, slots=True)
class SetConfig:
    """How production applies the set; ``None`` leaves the target's or the set's default.

    Attributes:
        applied: ``tracked`` (a tool records each file and runs it once: every runner
            target's default) or ``untracked`` (files are executed by hand or by a script:
            the ``sqlite`` target's default).
        rollback_policy: ``required`` (a missing rollback is an error), ``optional``
            (a note); ``None``: required when at least half the migrations have one.
        fail_on: the lowest severity that makes the run fail.
        ship_groups: ``git`` (files added by one commit are deployed together: no rows
            exist at the versions between them), ``tags`` (files one release tag shipped
            are deployed together) or ``off`` (every version may hold rows).
        ship_tags: a glob naming the release tags for ``tags`` (``None``: version-like
            tags, see :mod:`migration_harness.sets.releases`).
        production_rollbacks: ``used`` (production runs rollbacks: a broken one is an
            error) or ``unused`` (never: rollback-side errors are warnings); ``None``:
            ``used``, unless ``production_rollbacks_from`` is set.
        production_rollbacks_from: the first version (number or migration name) whose
            rollback production runs; earlier ones are unused.
        application_foreign_keys: ``on``/``off``: whether the application's own
            connections enforce foreign keys at serve time; ``None``: as the migration
            connection does.
        dialect: ``sqlite`` or ``libsql``: the engine production runs the files on;
            ``None``: what the project's drizzle-kit files say, else ``sqlite``.
        sqlite_version: the SQLite production's driver runs, as numbers; ``None``: not
            known.

    """

    applied: str | None = None
    rollback_policy: str | None = None
    fail_on: str = "error"
    tx_wrap: str | None = None
    flyway_mixed: str | None = None
    ship_groups: str = "git"
    ship_tags: str | None = None
    production_rollbacks: str | None = None
    production_rollbacks_from: str | None = None
    application_foreign_keys: str | None = None
    dialect: str | None = None
    sqlite_version: tuple[int, ...] | None = None

    def merged(self, **options: str | None) -> SetConfig:
        """This configuration with the command line's options (those given) on top."""
        given = {key: value for key, value in options.items() if value is not None}
        return SetConfig(
            applied=given.get("applied", self.applied),
            rollback_policy=given.get("rollback_policy", self.rollback_policy),
            fail_on=given.get("fail_on", self.fail_on) or "error",
            tx_wrap=given.get("tx_wrap", self.tx_wrap),
            flyway_mixed=given.get("flyway_mixed", self.flyway_mixed),
            ship_groups=given.get("ship_groups", self.ship_groups) or "git",
            ship_tags=self.ship_tags,
            production_rollbacks=given.get("production_rollbacks", self.production_rollbacks),
            production_rollbacks_from=given.get(
                "production_rollbacks_from", self.production_rollbacks_from
            ),
            application_foreign_keys=given.get(
                "application_foreign_keys", self.application_foreign_keys
            ),
            dialect=given.get("dialect", self.dialect),
            sqlite_version=self.sqlite_version,
        )


def configures_harness(pyproject: Path) -> bool:
    """Whether ``pyproject`` is a file with a ``[tool.migration-harness]`` table.

    The package goes into other people's projects, whose pyproject.toml often names it
    (``dependencies = ["migration-harness"]``, a comment) without configuring it: taking
    such a file as the configuration stopped the search for the set's own one, or made a
    foreign file's TOML error ours. Only the table counts; a file that is not valid TOML
    counts only when its text spells the table's name, so that its error is reported.

    A file that is there but cannot be read is an error, not a foreign file: it may hold
    the set's settings (``fail_on``, ``applied``, suppressions), and passing it over ran
    the set with defaults and exit 0 as though they were its own. One that is not UTF-8
    counts when its bytes spell the table's name, and :func:`table_of` says what is wrong.

    Raises:
        ConfigError: ``pyproject`` exists but the OS refuses to read it.

    """
    try:
        raw = pyproject.read_bytes() if pyproject.is_file() else b""
    except OSError as exc:
        message = (
            f"{pyproject}: cannot be read ({exc.strerror}; check its permissions: it may "
            "configure this set)"
        )
        raise ConfigError(message) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return TABLE.encode() in raw
    if TABLE not in text:
        return False  # most pyproject.toml files: no need to parse them
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return f"tool.{TABLE}" in text or f'tool."{TABLE}"' in text
    tool = data.get("tool")
    return isinstance(tool, Mapping) and TABLE in tool


def table_of(pyproject: Path | None) -> Mapping[str, object]:
    """The ``[tool.migration-harness]`` table of ``pyproject`` (empty without one)."""
    if pyproject is None:
        return {}
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        message = f"{pyproject}: not valid TOML ({exc})"
        raise ConfigError(message) from exc
    return harness_table(data, pyproject)


def harness_table(data: Mapping[str, object], pyproject: Path) -> Mapping[str, object]:
    """``[tool.migration-harness]`` of a parsed pyproject.toml (empty without one).

    Every reader of the file (settings, functions, equivalents, suppressions) takes the
    table from here: ``tool.migration-harness = 5`` made each ``.get`` on it an internal
    error (exit 3) instead of the one line a malformed file gets, and a key no reader
    knows was ignored silently (:mod:`~migration_harness.sets.configkeys`).

    Raises:
        ConfigError: the key is there but is no table, or the table holds an unknown key.
    """
    tool = data.get("tool", {})
    table = tool.get(TABLE, {}) if isinstance(tool, Mapping) else {}
    if not isinstance(table, Mapping):
        message = f"{pyproject}: tool.{TABLE} must be a table (write it as [tool.{TABLE}])"
        raise ConfigError(message)
    unknown = unknown_key_message(str(pyproject), table)
    if unknown is not None:
        raise ConfigError(unknown)
    return table


def read_config(pyproject: Path | None) -> SetConfig:
    """The set-level settings of ``pyproject`` (defaults without a file or a key).

    Raises:
        ConfigError: a value outside its choices, with the closest choice suggested.

    """
    table = table_of(pyproject)
    values = {key: check_choice(key, table.get(key), str(pyproject)) for key in CHOICES}
    return SetConfig(
        applied=values["applied"],
        rollback_policy=values["rollback_policy"],
        fail_on=values["fail_on"] or "error",
        tx_wrap=values["tx_wrap"],
        flyway_mixed=values["flyway_mixed"],
        ship_groups=values["ship_groups"] or "git",
        ship_tags=tag_glob(table.get("ship_tags"), str(pyproject)),
        production_rollbacks=values["production_rollbacks"],
        production_rollbacks_from=rollbacks_bound(
            table.get("production_rollbacks_from"), values["production_rollbacks"], str(pyproject)
        ),
        application_foreign_keys=values["application_foreign_keys"],
        dialect=values["dialect"],
        sqlite_version=sqlite_version_of(table.get("sqlite_version"), str(pyproject)),
    )


def check_choice(key: str, value: object, where: str) -> str | None:
    """``value`` when it is one of ``key``'s choices (``None`` when unset)."""
    if value is None:
        return None
    choices = CHOICES[key]
    if isinstance(value, str) and value in choices:
        return value
    aliases = _ALIASES.get(key, {})
    close = [aliases[value]] if isinstance(value, str) and value in aliases else []
    close = close or difflib.get_close_matches(str(value), choices, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"choose one of {', '.join(choices)}"
    message = f"{where}: [tool.{TABLE}] {key} = {value!r} is not allowed ({hint})"
    raise ConfigError(message)


def tag_glob(value: object, where: str) -> str | None:
    """``ship_tags``: a non-empty glob string (``None`` when unset)."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value
    message = f"{where}: [tool.{TABLE}] ship_tags = {value!r} is not a tag glob (e.g. 'v*')"
    raise ConfigError(message)


def sqlite_version_of(value: object, where: str) -> tuple[int, ...] | None:
    """``sqlite_version``: ``"3.45"`` or ``"3.45.1"`` as numbers (``None`` when unset)."""
    if value is None:
        return None
    parts = value.split(".") if isinstance(value, str) else []
    if 2 <= len(parts) <= 3 and all(p.isascii() and p.isdigit() for p in parts):
        numbers = tuple(int(p) for p in parts)
        if numbers[0] == 3:
            return numbers
    message = (
        f"{where}: [tool.{TABLE}] sqlite_version = {value!r} is not a SQLite 3 version "
        "(e.g. '3.45.1')"
    )
    raise ConfigError(message)


def rollbacks_bound(value: object, mode: str | None, where: str) -> str | None:
    """``production_rollbacks_from``: a version or migration name (``None`` when unset).

    A bound says rollbacks before it are unused, which ``production_rollbacks = "used"``
    in the same table contradicts. Whether it names a migration of the set is checked
    once the set is known (:func:`~migration_harness.sets.rollbackuse.rollback_use`).
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        message = (
            f"{where}: [tool.{TABLE}] production_rollbacks_from = {value!r} is not a version "
            "(e.g. '20250822000000' or a migration's name)"
        )
        raise ConfigError(message)
    if mode == "used":
        message = (
            f"{where}: [tool.{TABLE}] production_rollbacks_from = {value!r} with "
            'production_rollbacks = "used": a bound means rollbacks before it are unused '
            '(remove one, or set production_rollbacks = "unused")'
        )
        raise ConfigError(message)
    return value
