"""SQL functions the application registers on its connections, and the SQLite version gap.

Real histories call functions that only exist because the application registers them
(``DEFAULT (uuid_v4())``, ``CHECK (is_slug(name))``). Without them a file fails here and
would pass in production, so ``[tool.migration-harness.functions]`` in pyproject.toml maps
each name to a Python callable, registered on every connection the harness opens, exactly
as the application registers it on its own::

    [tool.migration-harness.functions]
    uuid_v4 = "myapp.db:uuid_v4"                               # any number of arguments
    slugify = { call = "myapp.text:slugify", nargs = 1, deterministic = true }

A function missing from the table is bad input: a one-line error naming the function and
the file (exit 2), never an ``apply_error`` that blames the migration. So is a built-in
function newer than the SQLite this Python links (``unhex()`` needs 3.41): the error names
both versions, since a check on an older SQLite than production's checks something else.
"""

from __future__ import annotations

import importlib
import re
import sqlite3
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from migration_harness.errors import HarnessError
from migration_harness.sets.config import SetConfig, configures_harness, harness_table, read_config

if TYPE_CHECKING:
    from migration_harness.sets.records import MigrationSet

CONFIG_TABLE: Final = "[tool.migration-harness.functions]"
# Built-in scalar and aggregate functions newer than the oldest SQLite we run on, with the
# release that added them (sqlite.org/changes.html).
NEWER_FUNCTIONS: Final[dict[str, str]] = {
    "unhex": "3.41.0",
    "octet_length": "3.43.0",
    "timediff": "3.43.0",
    "concat": "3.44.0",
    "concat_ws": "3.44.0",
    "string_agg": "3.44.0",
    "jsonb": "3.45.0",
    "jsonb_array": "3.45.0",
    "jsonb_extract": "3.45.0",
    "jsonb_insert": "3.45.0",
    "jsonb_object": "3.45.0",
    "jsonb_patch": "3.45.0",
    "jsonb_remove": "3.45.0",
    "jsonb_replace": "3.45.0",
    "jsonb_set": "3.45.0",
    "jsonb_group_array": "3.45.0",
    "jsonb_group_object": "3.45.0",
    "json_pretty": "3.46.0",
    "if": "3.48.0",
}
# "no such function" when a statement is prepared; "unknown function" when SQLite first
# evaluates a column DEFAULT that calls it (the CREATE TABLE itself was accepted).
_NO_SUCH_FUNCTION: Final = re.compile(
    r"(?:no such function|unknown function): ([\w$]+)", re.IGNORECASE
)


class MissingFunctionError(HarnessError):
    """A file calls a function neither SQLite nor the configuration provides."""


class FunctionConfigError(HarnessError):
    """``[tool.migration-harness.functions]`` names something that cannot be imported."""


@dataclass(frozen=True, slots=True)
class AppFunction:
    """One application-defined SQL function.

    Attributes:
        name: the SQL name.
        func: the Python callable.
        nargs: the argument count SQLite dispatches on (-1: any).
        deterministic: lets SQLite use it in indexes, generated columns and CHECKs.

    """

    name: str
    func: Callable[..., Any]
    nargs: int = -1
    deterministic: bool = False


# Every function registered by any target so far: scratch connections (data validation)
# hold no target, and a CHECK or generated column may call an application function.
_REGISTRY: dict[str, AppFunction] = {}


def register(conn: sqlite3.Connection, functions: tuple[AppFunction, ...]) -> None:
    """Register ``functions`` on ``conn`` and remember them for scratch connections."""
    for fn in functions:
        _REGISTRY[fn.name] = fn
        conn.create_function(fn.name, fn.nargs, fn.func, deterministic=fn.deterministic)


def register_known(conn: sqlite3.Connection) -> None:
    """Register every function any target registered so far (scratch connections)."""
    for fn in tuple(_REGISTRY.values()):
        conn.create_function(fn.name, fn.nargs, fn.func, deterministic=fn.deterministic)


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start`` that configures the harness.

    A pyproject.toml without a ``[tool.migration-harness]`` table is another project's
    (:func:`~migration_harness.sets.config.configures_harness`): the search goes on above it.
    """
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if configures_harness(path):
            return path
    return None


def config_of(mset: MigrationSet) -> Path | None:
    """The pyproject.toml that configures ``mset``: the nearest above its migrations folder.

    Not the nearest above the path the user named: ``check .`` in a project whose set is
    ``db/migrations`` with its own ``db/pyproject.toml`` read the project root's file (or
    none) and ran the set with settings that were not its own. The file nearest the
    files it configures is the one written for them (README, "Which configuration").
    """
    return find_config(mset.migrations_dir)


def set_config(mset: MigrationSet, **options: str | None) -> SetConfig:
    """``[tool.migration-harness]`` of the set's own pyproject.toml, options on top.

    The one reading of a set's settings: ``check``/``lint``/``report`` and the pytest
    plugin (its options and ini keys as ``options``) all call it, so a value means one
    thing and fails with one message whichever shell reads it.
    """
    return read_config(config_of(mset)).merged(**options)


def load_functions(pyproject: Path | None) -> tuple[AppFunction, ...]:
    """The functions ``pyproject``'s table configures (none without a file or a table).

    The project's folder goes on ``sys.path`` first, as when the application runs from it.

    Raises:
        FunctionConfigError: a malformed entry or a callable that cannot be imported.

    """
    if pyproject is None:
        return ()
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        message = f"{pyproject}: not valid TOML ({exc})"
        raise FunctionConfigError(message) from exc
    table = harness_table(data, pyproject).get("functions", {})
    if not isinstance(table, Mapping):
        message = f'{pyproject}: {CONFIG_TABLE} must be a table of name = "module:callable"'
        raise FunctionConfigError(message)
    folder = str(pyproject.parent.resolve())
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return tuple(_load_one(pyproject, name, spec) for name, spec in sorted(table.items()))


def _load_one(pyproject: Path, name: str, spec: object) -> AppFunction:
    """One entry: ``"module:attr"`` or ``{call = "module:attr", nargs, deterministic}``."""
    where = f"{pyproject}: {CONFIG_TABLE} {name}"
    options: Mapping[str, object] = spec if isinstance(spec, Mapping) else {"call": spec}
    call = options.get("call")
    nargs = options.get("nargs", -1)
    deterministic = options.get("deterministic", False)
    if not isinstance(call, str) or ":" not in call:
        message = f'{where}: expected "module:callable", got {call!r}'
        raise FunctionConfigError(message)
    if not isinstance(nargs, int) or not isinstance(deterministic, bool):
        message = f"{where}: nargs must be an integer and deterministic true or false"
        raise FunctionConfigError(message)
    module_name, _, attr = call.partition(":")
    try:
        func = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        message = f"{where}: cannot import {call} ({exc})"
        raise FunctionConfigError(message) from exc
    if not callable(func):
        message = f"{where}: {call} is not callable"
        raise FunctionConfigError(message)
    return AppFunction(name, func, nargs, deterministic)


def missing_function_hint(reason: str) -> str | None:
    """What to do about a "no such function" error; ``None`` for any other error.

    A built-in newer than this SQLite gets the version gap; anything else must be one the
    application registers.
    """
    match = _NO_SUCH_FUNCTION.search(reason)
    if match is None:
        return None
    name = match.group(1)
    needed = NEWER_FUNCTIONS.get(name.lower())
    if needed is not None and _version(sqlite3.sqlite_version) < _version(needed):
        return (
            f"{name}() needs SQLite {needed}; this Python runs SQLite {sqlite3.sqlite_version} "
            "(run the harness on a Python whose sqlite3 is at least as new as production's)"
        )
    return (
        f"{name}() is not an SQLite function: if the application registers it, map it in "
        f'{CONFIG_TABLE} of pyproject.toml ({name} = "module:callable")'
    )


def _version(text: str) -> tuple[int, ...]:
    """``"3.41.0"`` -> ``(3, 41, 0)``."""
    return tuple(int(part) for part in text.split(".") if part.isdigit())
