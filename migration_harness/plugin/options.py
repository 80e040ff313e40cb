"""The plugin's command-line options and ini keys, as ``pytest --help`` lists them.

Every setting has up to three sources, in this order of precedence: a command-line option
(``--migration-target``), a pytest ini key (``migrations_target`` in ``pytest.ini``,
``tox.ini``, ``setup.cfg`` or ``[tool.pytest.ini_options]``), and a key of
``[tool.migration-harness]`` in pyproject.toml (``target``), which the CLI reads too.
This module only declares them; :mod:`migration_harness.plugin.settings` resolves them.
"""

from __future__ import annotations

from typing import Final

import pytest

TABLE: Final = "migration-harness"
# Settings with a [tool.migration-harness] key (and an option and an ini key); every key the
# table may hold is in migration_harness.sets.configkeys.KNOWN_KEYS.
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
    "tx_wrap",
    "flyway_mixed",
    "ship_groups",
    "production_rollbacks",
    "application_foreign_keys",
    "dialect",
    "since",
    "data",
)
# Settings the CLI takes only as options: the plugin takes them as options and ini keys.
SET_CHOICES: Final = ("layout", "placeholders", "data_sample", "allow_drift", "show_values")
# Options that take no value (their ini keys take true/false).
SWITCHES: Final = ("allow_drift", "show_values")
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
    "tx_wrap": "--migration-tx-wrap",
    "flyway_mixed": "--migration-flyway-mixed",
    "ship_groups": "--migration-ship-groups",
    "production_rollbacks": "--migration-production-rollbacks",
    "application_foreign_keys": "--migration-application-foreign-keys",
    "dialect": "--migration-dialect",
    "since": "--migrations-since",
    "layout": "--migration-layout",
    "placeholders": "--migration-placeholder",
    "data": "--migration-data",
    "data_sample": "--migration-data-sample",
    "allow_drift": "--migration-allow-drift",
    "show_values": "--migration-show-values",
}
# The ini key of each setting: ``migrations_<key>``, the set itself being ``migrations_path``.
INI: Final = {
    key: "migrations_path" if key == "migrations" else f"migrations_{key}" for key in FLAGS
}
HELP: Final = {
    "migrations": "Migration set to check: a project, db/ or migrations folder.",
    "rollbacks": "Folder of rollback files, paired by version.",
    "target": "Runner rules: sqlite, d1, golang-migrate, goose, dbmate, sqlx, diesel, ... "
    "(default: the layout's runner; d1 for a wrangler D1 project).",
    "foreign_keys": "PRAGMA foreign_keys of the connection that runs the migrations, on or "
    "off (default: the target's; the serving connections: application_foreign_keys).",
    "engine": "Where files run: sqlite3 (the target's rules, emulated; default) or "
    "miniflare (a real local D1 through Miniflare; needs Node.js and wrangler).",
    "profile": "Hypothesis budget of the checks: dev, ci or thorough, the CLI's own "
    "(default: --hypothesis-profile if given, else ci when $CI is set, else dev).",
    "checks": "Comma-separated checks to collect (default: all).",
    "applied": "How production applies the set, tracked or untracked: decides whether "
    "not_idempotent is an error (default: tracked for runner targets).",
    "rollback_policy": "Whether a missing rollback is an error, required or optional "
    "(default: required when at least half the migrations have one).",
    "fail_on": "Lowest severity that fails an item: error, warning or note (default: error); "
    "lower ones pass and are listed in the warnings summary.",
    "tx_wrap": "off: golang-migrate opened with x-no-tx-wrap=true runs each file as written "
    "(as the CLI's --tx-wrap; default: on).",
    "flyway_mixed": "on: Flyway runs with mixed=true (as the CLI's --flyway-mixed; default: "
    "flyway.conf/flyway.toml or spring.flyway.mixed in application.yml).",
    "ship_groups": "git: migrations one commit added are deployed together, so no rows are "
    "generated for tables an earlier one of them created (as the CLI's --ship-groups; "
    "default: git); tags: migrations one release tag shipped are deployed together (for "
    "apps that reach production only as releases); off: every version may hold rows.",
    "production_rollbacks": "unused: the application never runs a rollback (down files "
    "exist for development), so rollback-side errors are warnings and a missing rollback a "
    "note (as the CLI's --production-rollbacks; default: used; production_rollbacks_from in "
    "[tool.migration-harness] bounds it).",
    "application_foreign_keys": "PRAGMA foreign_keys of the application's own connections "
    "at serve time, on or off (as the CLI's --application-foreign-keys; default: as the "
    "migration connection): where neither enforces keys, a broken key is a warning (MH157).",
    "dialect": "libsql: production runs the files on libSQL (Turso), which also runs ALTER "
    "TABLE … ALTER COLUMN (as the CLI's --dialect; default: libsql for a drizzle-kit 'turso' "
    "project, else sqlite).",
    "since": "Judge only migrations whose files changed since this git revision (e.g. "
    "origin/main); the other migrations' items are deselected.",
    "layout": "Read the files as this layout instead of detecting it (as the CLI's --layout).",
    "placeholders": "A Flyway placeholder NAME=VALUE (as the CLI's --placeholder; an option "
    "may be repeated, the ini key takes one per line).",
    "data": "Judge the pending migrations on real rows (as the CLI's --data): a SQLite copy "
    "of production, a SQL dump or d1:local:BINDING, read only; the applied migrations' "
    "items are skipped.",
    "data_sample": "Use N rows per table of the data (as the CLI's --sample).",
    "allow_drift": "Go on with a warning when the data's schema is not the set's at its "
    "version (as the CLI's --allow-drift; the ini key takes true/false).",
    "show_values": "Let failures print the data's values (as the CLI's --show-values; the ini "
    "key takes true/false; default: rows are named by key only).",
}
METAVARS: Final = {
    "migrations": "PATH",
    "rollbacks": "PATH",
    "target": "NAME",
    "foreign_keys": "on|off",
    "engine": "NAME",
    "profile": "NAME",
    "checks": "A,B",
    "applied": "tracked|untracked",
    "rollback_policy": "required|optional",
    "fail_on": "error|warning|note",
    "tx_wrap": "on|off",
    "flyway_mixed": "on|off",
    "ship_groups": "git|tags|off",
    "production_rollbacks": "used|unused",
    "application_foreign_keys": "on|off",
    "dialect": "sqlite|libsql",
    "since": "REV",
    "layout": "NAME",
    "placeholders": "NAME=VALUE",
    "data": "SOURCE",
    "data_sample": "N",
}


def add_options(parser: pytest.Parser) -> None:
    """Declare each setting's option and ini key, both shown by ``pytest --help``."""
    group = parser.getgroup("migration-harness", "migration-harness property checks")
    for key, flag in FLAGS.items():
        repeated = key == "placeholders"
        if key in SWITCHES:
            kind: dict[str, str] = {"action": "store_true"}
        else:
            kind = {"action": "append" if repeated else "store", "metavar": METAVARS[key]}
        group.addoption(
            flag,
            dest=f"harness_{key}",
            default=None,
            **kind,
            help=f"{HELP[key]} Beats the ini key {INI[key]}"
            + ("." if key in SET_CHOICES else f" and [tool.{TABLE}] {key}."),
        )
        parser.addini(
            INI[key],
            f"migration-harness: {HELP[key]}",
            type="linelist" if repeated else "string",  # type: ignore[maybe-unrecognized-str-typeform,unused-ignore]
            default=[] if repeated else None,
        )
