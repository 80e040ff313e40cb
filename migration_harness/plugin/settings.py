"""The plugin's settings: options, ini keys and ``[tool.migration-harness]``, resolved once.

Settings are resolved and checked in ``pytest_configure``, so a typo stops the run with a
usage error (exit 4) that names the option or key and suggests a fix, instead of
surfacing as N failing items. For each setting the command line beats the ini key, which
beats the pyproject.toml key (:mod:`migration_harness.plugin.options`). With none of them
the plugin is inert: :func:`resolve` returns ``None`` having imported nothing heavy.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from migration_harness.plugin.options import FLAGS, INI, SET_CHOICES, TABLE
from migration_harness.sets.configkeys import unknown_key_message


@dataclass(frozen=True, slots=True)
class HarnessSettings:
    """What the user configured, checked and with every path absolute.

    Attributes:
        anchor: the pyproject.toml of the project (suppressions, application functions).
            It need not exist when everything came from the command line or an ini file.
        root_file: the file the items hang from (node ids start with its name): the
            anchor, or the ini file when only ini keys configured the set.
        set_path: the set as :func:`~migration_harness.sets.discovery.discover` takes it (a
            project, a ``db/`` folder or the migrations folder).
        rollbacks: an explicit rollbacks folder, paired by version.
        target: a target name; ``None`` lets the set decide (``d1`` for a wrangler project).
        foreign_keys: ``"on"``/``"off"`` overrides the target's default connection setting.
        engine: ``sqlite3`` (the emulation of the target's rules) or ``miniflare`` (every
            file runs on a real local D1, as ``check --engine miniflare``).
        profile: the profile as the user names it: ``dev``/``ci``/``thorough`` are the
            CLI's (:func:`~migration_harness.checks.profiles.profile_settings`), any other
            name a Hypothesis profile the user registered.
        seed: ``--hypothesis-seed``, else ``None`` (the profile's own seed).
        checks: check names, in :data:`migration_harness.checks.properties.CHECKS` order,
            after ``lint`` (the static rules' item per migration) when it is selected.
        choices: how production applies the set (``applied``, ``rollback_policy``,
            ``fail_on`` …) as options and ini keys give them; the set's own table is
            read under them by :meth:`~migration_harness.plugin.state.SetState.config`,
            as ``check`` reads it.
        layout, placeholders: as the CLI's ``--layout`` and ``--placeholder``.
        set_from_command_line: ``--migrations`` was given, which asks for the items even
            when the run names other test paths.
        invocation_dir: where pytest was started, to print replay paths the user can paste.
        since: the git revision ``--migrations-since`` names; ``changed``: the files added
            or changed since it (resolved), ``None`` without ``since``.
        data: the real database the pending migrations are judged on (an absolute path or
            ``d1:local:BINDING``), as the CLI's ``--data``; ``None``: generated rows only.
        sample, allow_drift, show_values: as the CLI's ``--sample``, ``--allow-drift`` and
            ``--show-values`` (only with ``data``).

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
    seed: int | None = None
    choices: Mapping[str, str | None] = field(default_factory=dict)
    layout: str | None = None
    placeholders: Mapping[str, str] = field(default_factory=dict)
    since: str | None = None
    changed: frozenset[Path] | None = None
    root_file: Path = Path("pyproject.toml")
    data: str | None = None
    sample: int | None = None
    allow_drift: bool = False
    show_values: bool = False


def resolve(config: pytest.Config) -> HarnessSettings | None:
    """The settings from options, ini and pyproject.toml; ``None`` when none configures a set.

    Raises:
        pytest.UsageError: a bad key, value or path, with the fix in the message.

    """
    anchor = _pyproject(config)
    table = _read_table(anchor)
    options = {key: config.getoption(f"harness_{key}") for key in FLAGS}
    ini = {key: config.getini(INI[key]) or None for key in FLAGS}
    if table is None and all(v is None for v in (*options.values(), *ini.values())):
        return None
    values = _Values(anchor, table, options, ini, config)
    set_path = values.set_path()
    since = values.since()
    from_ini = table is None and config.inipath is not None and any(ini.values())
    return HarnessSettings(
        anchor=anchor,
        root_file=config.inipath if from_ini and config.inipath else anchor,
        set_path=set_path,
        rollbacks=values.path("rollbacks"),
        target=values.target(),
        foreign_keys=values.foreign_keys(),
        engine=values.engine(),
        profile=values.profile(config),
        seed=_seed(config),
        checks=values.checks(),
        set_from_command_line=options["migrations"] is not None,
        invocation_dir=config.invocation_params.dir,
        choices=_choices(values, set_path),
        layout=values.layout(),
        placeholders=values.placeholders(),
        since=since,
        changed=_changed(set_path, since) if since else None,
        **values.real_data(set_path),
    )


def _seed(config: pytest.Config) -> int | None:
    """``--hypothesis-seed`` as the checks' seed.

    The checks run seeded (``ci`` uses 0), which Hypothesis's own global seed does not
    override, so the plugin passes it on; the CLI's ``--seed`` takes integers only.
    """
    value = config.getoption("hypothesis_seed", None)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        message = f"--hypothesis-seed {value}: the migration checks need an integer seed"
        raise pytest.UsageError(message) from None


def _changed(set_path: Path, revision: str) -> frozenset[Path]:
    """The files changed since ``revision``; git's refusal is a usage error."""
    from migration_harness.sets.changes import SinceError, changed_files

    folder = set_path if set_path.is_dir() else set_path.parent
    try:
        return changed_files(folder, revision)
    except SinceError as exc:
        raise pytest.UsageError(str(exc)) from exc


def _choices(values: _Values, set_path: Path) -> dict[str, str | None]:
    """The set choices options and ini keys give; the set's own table checked now.

    The table itself is read once the set is found, by the CLI's own function
    (:func:`~migration_harness.sets.functions.set_config`), so a value means one thing and
    fails with one message whichever shell reads it. The plugin used to read the anchor's
    keys itself and the set's own file only when it was another one: a file nearer the set
    lost to the anchor, where ``check`` reads only the nearer one. Reading the file nearest
    the set here too stops a bad value at configure time (a usage error, exit 4).
    """
    from migration_harness.errors import HarnessError
    from migration_harness.sets.config import CHOICES, read_config
    from migration_harness.sets.functions import find_config

    try:
        read_config(find_config(set_path))
    except HarnessError as exc:
        raise pytest.UsageError(str(exc)) from exc
    return {key: values.choice(key) for key in CHOICES}


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
    """Each setting from its option, ini key or table key, checked, naming its source."""

    def __init__(
        self,
        anchor: Path,
        table: Mapping[str, Any] | None,
        options: Mapping[str, Any],
        ini: Mapping[str, Any],
        config: pytest.Config,
    ) -> None:
        self.anchor = anchor
        self.table: Mapping[str, Any] = table or {}
        self.has_table = table is not None
        self.options = options
        self.ini = ini
        self.inipath = config.inipath
        self.ini_dir = config.inipath.parent if config.inipath else config.rootpath
        overrides = getattr(config.option, "override_ini", None) or ()
        self.overridden = {str(item).partition("=")[0].strip() for item in overrides}
        self.invocation_dir = config.invocation_params.dir
        unknown = unknown_key_message(str(anchor), self.table)
        if unknown is not None:
            raise pytest.UsageError(unknown)

    def _key_where(self, key: str) -> str:
        return f"{self.anchor} [tool.{TABLE}] {key}"

    def _ini_where(self, key: str) -> str:
        """Where an ini key was set: the ini file, or ``-o`` (``--override-ini``).

        A key given with ``-o`` beats the file's, and without any ini file ``inipath``
        is ``None``: naming the file then printed ``None migrations_fail_on = ...``.
        """
        name = INI[key]
        if name in self.overridden or self.inipath is None:
            return f"-o {name}"
        return f"{self.inipath} {name}"

    def _ini_base(self, key: str) -> str:
        """What an ini key's relative path is read from, for a message."""
        if INI[key] in self.overridden or self.inipath is None:
            return str(self.ini_dir)
        return str(self.inipath)

    def _raw(self, key: str) -> tuple[object, str, str] | None:
        """``(value, where, source)`` from the option, the ini key or the table key."""
        option = self.options[key]
        if option is not None:
            return option, f"{FLAGS[key]} {option}", "option"
        value = self.ini[key]
        if value is not None:
            return value, f"{self._ini_where(key)} = {value!r}", "ini"
        if key in SET_CHOICES or key not in self.table:
            return None
        value = self.table[key]
        return value, f"{self._key_where(key)} = {value!r}", "table"

    def _text(self, key: str) -> tuple[str, str, str] | None:
        """``(text, where, source)``, or ``None`` when no source sets ``key``."""
        found = self._raw(key)
        if found is None:
            return None
        value, where, source = found
        if not isinstance(value, str) or not value.strip():
            message = f"{where}: must be a non-empty string"
            raise pytest.UsageError(message)
        return value.strip(), where, source

    def path(self, key: str) -> Path | None:
        """An existing path, or ``None`` when no source sets it.

        Options are relative to where pytest started (as a shell user expects); ini keys
        to the ini file and table keys to the pyproject.toml, so the project works from
        any folder.
        """
        found = self._text(key)
        if found is None:
            return None
        value, where, source = found
        base = {"option": self.invocation_dir, "ini": self.ini_dir}.get(source, self.anchor.parent)
        path = (base / value).absolute()
        if not path.exists():
            relative = {"option": "the current folder", "ini": self._ini_base(key)}
            message = (
                f"{where}: {path} not found (paths are relative to "
                f"{relative.get(source, str(self.anchor))})"
            )
            raise pytest.UsageError(message)
        return path

    def set_path(self) -> Path:
        """The set; a table without ``migrations`` means the pyproject.toml's own folder."""
        path = self.path("migrations")
        if path is not None:
            return path
        if self.has_table:
            return self.anchor.parent
        given = next(
            self._where_given(k)
            for k in FLAGS
            if self.options[k] is not None or self.ini[k] is not None
        )
        message = (
            f"{given}: no migration set to check (pass --migrations PATH, set "
            f'{INI["migrations"]} in the ini file or add migrations = "db" to '
            f"[tool.{TABLE}] in {self.anchor})"
        )
        raise pytest.UsageError(message)

    def _where_given(self, key: str) -> str:
        """The option or ini key that set ``key``, for a message."""
        if self.options[key] is not None:
            return f"{FLAGS[key]} {self.options[key]}"
        return self._ini_where(key)

    def since(self) -> str | None:
        """The git revision to judge changes from (``--migrations-since``, key ``since``)."""
        found = self._text("since")
        return found[0] if found else None

    def real_data(self, set_path: Path) -> dict[str, Any]:
        """``data`` and its companions, as :class:`HarnessSettings` fields.

        Without an option, ini or anchor key, the set's own pyproject.toml's ``data``
        counts, as ``check`` reads it. Only the key's shape is checked here: a missing or
        unreadable source is the set's collection error, like a bad migration file.
        """
        from migration_harness.errors import HarnessError
        from migration_harness.sets.config import table_of
        from migration_harness.sets.functions import find_config

        data = self.data()
        if data is None:
            try:
                nearest = find_config(set_path)
                if "data" in table_of(nearest):  # the sources load only when asked for
                    from migration_harness.data.sources.configured import configured_data

                    data = configured_data(nearest)
            except HarnessError as exc:
                raise pytest.UsageError(str(exc)) from exc
        fields = {
            "sample": self.count("data_sample"),
            "allow_drift": self.switch("allow_drift"),
            "show_values": self.switch("show_values"),
        }
        if data is None and (fields["sample"] is not None or any(fields.values())):
            names = ", ".join(FLAGS[k] for k in ("data_sample", "allow_drift", "show_values"))
            message = (
                f"{names} need {FLAGS['data']} SOURCE (or {INI['data']}, or data in [tool.{TABLE}])"
            )
            raise pytest.UsageError(message)
        return {"data": data, **fields}

    def data(self) -> str | None:
        """The source, a path made absolute as other paths are (``d1:local:`` as written)."""
        found = self._text("data")
        if found is None:
            return None
        from migration_harness.data.sources import D1_PREFIX

        value, _, source = found
        if value.startswith(D1_PREFIX):
            return value
        base = {"option": self.invocation_dir, "ini": self.ini_dir}.get(source, self.anchor.parent)
        return str((base / value).absolute())

    def count(self, key: str) -> int | None:
        """A whole number of 1 or more, or ``None`` when unset."""
        found = self._text(key)
        if found is None:
            return None
        value, where, _ = found
        if not value.isdigit() or int(value) < 1:
            message = f"{where}: must be a whole number, 1 or more"
            raise pytest.UsageError(message)
        return int(value)

    def switch(self, key: str) -> bool:
        """A flag given, or an ini key set to true/false (on/off, yes/no, 1/0)."""
        found = self._raw(key)
        if found is None:
            return False
        value, where, _ = found
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text not in ("true", "false", "on", "off", "yes", "no", "1", "0"):
            message = f"{where}: must be true or false"
            raise pytest.UsageError(message)
        return text in ("true", "on", "yes", "1")

    def target(self) -> str | None:
        """A known target name, or ``None`` for the set's default."""
        from migration_harness.sets.registry import TARGETS

        found = self._text("target")
        if found is None:
            return None
        value, where, _ = found
        _require_known(value, tuple(TARGETS), where, "target")
        return value

    def layout(self) -> str | None:
        """A known layout name, or ``None`` to detect it."""
        from migration_harness.sets.discovery import LAYOUTS

        found = self._text("layout")
        if found is None:
            return None
        value, where, _ = found
        _require_known(value, LAYOUTS, where, "layout")
        return value

    def placeholders(self) -> dict[str, str]:
        """Flyway placeholders, ``NAME=VALUE`` each (options, else ini lines)."""
        given = self.options["placeholders"]
        items, where = (given, FLAGS["placeholders"]) if given else (self.ini["placeholders"], "")
        if not items:
            return {}
        where = where or self._ini_where("placeholders")
        values: dict[str, str] = {}
        for item in items:
            name, sep, value = str(item).partition("=")
            if not sep or not name.strip():
                message = f"{where} {item}: expected NAME=VALUE"
                raise pytest.UsageError(message)
            values[name.strip()] = value.strip()
        return values

    def foreign_keys(self) -> str | None:
        """``"on"``, ``"off"`` or ``None`` (the target's default); booleans work too."""
        found = self._raw("foreign_keys")
        if found is None:
            return None
        value, where, _ = found
        if isinstance(value, bool):
            return "on" if value else "off"
        text = str(value).strip().lower()
        text = {"true": "on", "false": "off"}.get(text, text)
        if text not in ("on", "off"):
            message = f"{where}: foreign_keys must be on or off (or true/false)"
            raise pytest.UsageError(message)
        return text

    def engine(self) -> str:
        """``sqlite3`` (default) or ``miniflare``, which runs D1's rules only."""
        found = self._text("engine")
        if found is None:
            return "sqlite3"
        value, where, _ = found
        _require_known(value, ("sqlite3", "miniflare"), where, "engine")
        if value == "miniflare":
            from migration_harness.d1.mirror import miniflare_conflict

            conflict = miniflare_conflict(self.target(), self.foreign_keys())
            if conflict is not None:
                message = f"{where}: {conflict}"
                raise pytest.UsageError(message)
        return value

    def choice(self, key: str) -> str | None:
        """One of ``key``'s choices (``applied``, ``fail_on`` …) its option or ini key gives.

        ``None`` when neither does: the table's key is read as the CLI reads it
        (:func:`_choices`).
        """
        from migration_harness.sets.config import CHOICES

        found = self._text(key)
        if found is None or found[2] == "table":
            return None
        value, where, _ = found
        _require_known(value, CHOICES[key], where, key)
        return value

    def checks(self) -> tuple[str, ...]:
        """Known check names in CHECKS order (``lint`` first); all of them by default."""
        from migration_harness.checks.properties import CHECKS

        known = ("lint", *CHECKS)  # lint items beside the checks
        found = self._raw("checks")
        if found is None:
            return known
        value, where, source = found
        if source == "table":
            if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
                message = f'{where}: must be a list of check names (e.g. ["apply", "rollback"])'
                raise pytest.UsageError(message)
            names = [n.strip() for n in value]
        else:  # a comma- (or, in an ini file, space-) separated string
            names = [n for n in str(value).replace(",", " ").split() if n]
        if not names:
            message = f"{where}: no check named (choose from {', '.join(known)})"
            raise pytest.UsageError(message)
        for name in names:
            _require_known(name, known, where, "check")
        return tuple(c for c in known if c in names)

    def profile(self, config: pytest.Config) -> str:
        """The option, then ``--hypothesis-profile``, the ini and table keys, then $CI."""
        from migration_harness.checks.profiles import PREFIX, PROFILES

        hypothesis_option = config.getoption("hypothesis_profile", None)
        found = self._text("profile")
        if found is not None and found[2] == "option":
            name, where = found[0], found[1]
        elif hypothesis_option:
            name, where = str(hypothesis_option), f"--hypothesis-profile {hypothesis_option}"
        elif found is not None:
            name, where = found[0], found[1]
        else:
            name = "ci" if os.environ.get("CI") else "dev"
            where = f"default profile {name}"
        if name.startswith(PREFIX) and name.removeprefix(PREFIX) in PROFILES:
            name = name.removeprefix(PREFIX)
        if name not in PROFILES and not _profile_exists(name):
            close = difflib.get_close_matches(name, PROFILES, n=1)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else f"choose from {', '.join(PROFILES)}, or register it in conftest.py"
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


def _profile_exists(name: str) -> bool:
    """Whether Hypothesis knows a profile called ``name`` (a user's own, say)."""
    from hypothesis import settings
    from hypothesis.errors import InvalidArgument

    try:
        settings.get_profile(name)
    except InvalidArgument:
        return False
    return True
