"""Every key ``[tool.migration-harness]`` and its sub-tables may hold, in one place.

About ten modules read the table (set-level settings, the plugin's settings, suppressions,
application functions, equivalents, pre-migration hooks, real data, column hints, the
Liquibase master, set location), each only the keys it needs. A key none of them reads was
ignored silently, so ``aplied = "untracked"`` left a set tracked and every re-run finding
an error the user thought they had configured away. As ruff does, an unknown key is a
one-line error naming the file, the key and the closest known key; every reader takes the
table through :func:`~migration_harness.sets.config.harness_table`, which calls
:func:`check_keys`, so the list below is the only one to extend when a key is added.

Sub-tables whose keys are names of the user's (``functions``, ``equivalents``,
``pre_migration_hooks``, ``per-file-ignores``) are not checked by name; their entries'
own keys are (``{call, nargs, deterministic}``, ``{codes, reason}``).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Final

# Keys of [tool.migration-harness], with the module that reads each.
KNOWN_KEYS: Final = (
    # locating the set (sets/locate, plugin/settings)
    "migrations",
    "rollbacks",
    # the plugin's run settings (plugin/options; the CLI takes them as options)
    "target",
    "foreign_keys",
    "engine",
    "profile",
    "checks",
    "since",
    # how production applies the set (sets/config)
    "applied",
    "rollback_policy",
    "fail_on",
    "tx_wrap",
    "flyway_mixed",
    "ship_groups",
    "ship_tags",
    "production_rollbacks",
    "production_rollbacks_from",
    "application_foreign_keys",
    "dialect",
    "sqlite_version",
    "liquibase_changelog",  # sets/discovery
    "data",  # data/sources/configured
    # sub-tables and lists
    "functions",  # sets/functions
    "equivalents",  # sets/equivalents
    "pre_migration_hooks",  # sets/hooks
    "columns",  # data/sources/profile
    "ignore",  # report/suppress
    "per-file-ignores",  # report/suppress
)
# Keys only the pytest plugin reads; the commands take them as options (a note says so).
PLUGIN_ONLY: Final[Mapping[str, str]] = {
    "target": "--target",
    "foreign_keys": "--foreign-keys",
    "engine": "--engine",
    "profile": "--profile",
    "checks": "--checks",
    "since": "--since",
}
# Sub-tables with a fixed set of keys.
SUBTABLE_KEYS: Final[Mapping[str, tuple[str, ...]]] = {
    "columns": ("json", "filled", "pools", "single_row"),
}
# Sub-tables of names whose entries may be inline tables with a fixed set of keys.
ENTRY_KEYS: Final[Mapping[str, tuple[str, ...]]] = {
    "functions": ("call", "nargs", "deterministic"),
    "per-file-ignores": ("codes", "reason"),
}
# Keys whose value may itself be an inline table with a fixed set of keys.
VALUE_KEYS: Final[Mapping[str, tuple[str, ...]]] = {"ignore": ("codes", "reason")}


def unknown_key(table: Mapping[str, object]) -> tuple[str, str, tuple[str, ...]] | None:
    """The first unknown key as ``(table name, key, known keys)``, ``None`` when all known.

    ``table name`` is the TOML header the key sits under, relative to ``tool``
    (``migration-harness.columns``), so the message shows where to look.
    """
    base = "migration-harness"
    found = _first_unknown(table, KNOWN_KEYS, base)
    if found is not None:
        return found
    for name, known in SUBTABLE_KEYS.items():
        sub = table.get(name)
        if isinstance(sub, Mapping) and (hit := _first_unknown(sub, known, f"{base}.{name}")):
            return hit
    for name, known in ENTRY_KEYS.items():
        sub = table.get(name)
        entries = sub.items() if isinstance(sub, Mapping) else ()
        for entry, value in entries:
            where = f"{base}.{name}.{_toml_key(str(entry))}"
            if isinstance(value, Mapping) and (hit := _first_unknown(value, known, where)):
                return hit
    for name, known in VALUE_KEYS.items():
        value = table.get(name)
        if isinstance(value, Mapping) and (hit := _first_unknown(value, known, f"{base}.{name}")):
            return hit
    return None


def unknown_key_message(where: str, table: Mapping[str, object]) -> str | None:
    """The one-line error for the first unknown key of ``table``, ``None`` when all known.

    ``where`` names the file (``db/pyproject.toml``); the hint is the closest known key
    (:func:`difflib.get_close_matches`), else the list of known keys.
    """
    found = unknown_key(table)
    if found is None:
        return None
    header, key, known = found
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
    return f"{where} [tool.{header}] {key}: unknown key ({hint})"


def plugin_only_note(where: str, table: Mapping[str, object]) -> str | None:
    """One line naming the keys of ``table`` a command does not read, with its options.

    ``target = "goose"`` configures the pytest plugin; ``check`` ran the layout's runner
    without a word, so the user believed the set was judged under goose.
    """
    found = [key for key in PLUGIN_ONLY if key in table]
    if not found:
        return None
    options = ", ".join(PLUGIN_ONLY[key] for key in found)
    return (
        f"note: {where} [tool.migration-harness] {', '.join(found)}: read by the pytest "
        f"plugin only; the command takes {options}"
    )


def _first_unknown(
    table: Mapping[str, object], known: tuple[str, ...], header: str
) -> tuple[str, str, tuple[str, ...]] | None:
    """``(header, key, known)`` for the first key of ``table`` not in ``known``."""
    for key in table:
        if key not in known:
            return header, str(key), known
    return None


def _toml_key(name: str) -> str:
    """``name`` as a TOML key: bare when it can be, else quoted (``"*.sql"``)."""
    bare = name.replace("-", "").replace("_", "").isalnum() and name.isascii()
    return name if bare else f'"{name}"'
