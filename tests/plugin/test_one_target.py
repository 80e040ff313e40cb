"""The CLI and the pytest plugin build one target for one set and the same settings.

Both call :func:`~migration_harness.sets.build.build_target`; this compares what each shell
hands its Engine, including the fields target equality leaves out (the application's
serve-time keys, the statement timeout) and the application's functions, over several
runners, key settings and dialects, so a setting one shell forgets fails here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest

from migration_harness.cli.common import load
from migration_harness.errors import HarnessError
from migration_harness.plugin.settings import HarnessSettings
from migration_harness.plugin.state import SetState
from migration_harness.sets.targets import Target

EXAMPLES = Path(__file__).parent.parent / "examples"
# An application function, importable from the set's folder as the application's own.
FUNCTIONS = '\n[tool.migration-harness.functions]\nslug = "one_target_fns:slug"\n'
FUNCTION_MODULE = {"one_target_fns.py": "def slug(text: str) -> str:\n    return text\n"}
# A manifest whose rusqlite links the system SQLite: refinery's keys off (project_keys).
SYSTEM_SQLITE = (
    '[dependencies]\nrefinery = { version = "0.8", features = ["rusqlite"] }\nrusqlite = "0.31"\n'
)

# (example, target, --foreign-keys, the set's own table, what to write beside it)
CASES: list[tuple[str, str | None, str | None, str, dict[str, str]]] = [
    ("clean_golang_migrate", None, None, "", {}),
    ("clean_golang_migrate", None, "on", 'tx_wrap = "off"\n', {}),
    ("clean_goose", None, "off", 'application_foreign_keys = "on"\n', {}),
    ("clean_goose", None, None, 'dialect = "libsql"\napplied = "untracked"\n', {}),
    ("clean_sqlx", None, "off", "", {}),
    ("clean_sqlx", None, None, 'applied = "tracked"\n' + FUNCTIONS, FUNCTION_MODULE),
    ("flyway_mixed_pragma", None, None, "", {}),
    ("flyway_mixed_pragma", None, None, 'flyway_mixed = "off"\n', {}),
    ("refinery_rebuild_cascade", None, None, "", {"Cargo.toml": SYSTEM_SQLITE}),
    ("refinery_rebuild_cascade", "refinery-grouped", "on", "", {"Cargo.toml": SYSTEM_SQLITE}),
    ("clean_d1", None, None, 'application_foreign_keys = "on"\n', {}),
    (
        "drizzle_clean",
        None,
        None,
        "",
        {"drizzle.config.ts": 'export default { dialect: "turso" };\n'},
    ),
    ("clean_dbmate", "sqlite", None, 'applied = "tracked"\n', {}),
]


def _set(tmp_path: Path, example: str, table: str, files: dict[str, str]) -> Path:
    """A copy of ``example`` with ``table`` as its own pyproject.toml and ``files`` beside it."""
    root = tmp_path / example
    shutil.copytree(EXAMPLES / example, root)
    if table:
        (root / "pyproject.toml").write_text("[tool.migration-harness]\n" + table)
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def _cli_target(root: Path, target: str | None, keys: str | None) -> Target:
    """What ``migration-harness check ROOT [--target] [--foreign-keys]`` runs under."""
    with click.Context(click.Command("check")):
        return load(root, None, None, target, keys)[1]


def _plugin_target(root: Path, target: str | None, keys: str | None) -> Target:
    """What the plugin's items run under, configured with the same values."""
    settings = HarnessSettings(
        anchor=root / "pyproject.toml",
        set_path=root,
        rollbacks=None,
        target=target,
        profile="dev",
        checks=(),
        set_from_command_line=False,
        invocation_dir=root,
        foreign_keys=keys,
    )
    return SetState(settings).target()


def _whole(target: Target) -> tuple[object, ...]:
    """The target with the fields its equality leaves out (not the executor)."""
    return (target, target.application_foreign_keys, target.statement_timeout, target.functions)


@pytest.mark.parametrize(("example", "target", "keys", "table", "files"), CASES)
def test_the_cli_and_the_plugin_build_one_target(
    tmp_path: Path,
    example: str,
    target: str | None,
    keys: str | None,
    table: str,
    files: dict[str, str],
) -> None:
    root = _set(tmp_path, example, table, files)
    cli = _cli_target(root, target, keys)
    assert _whole(cli) == _whole(_plugin_target(root, target, keys))


def test_the_settings_reach_the_target(tmp_path: Path) -> None:
    """The cases above are not all defaults: each setting changes what both shells build."""
    refinery = _set(tmp_path, "refinery_rebuild_cascade", "", {"Cargo.toml": SYSTEM_SQLITE})
    assert not _plugin_target(refinery, None, None).foreign_keys  # the project's keys
    assert _plugin_target(refinery, None, "on").foreign_keys  # --foreign-keys beats it
    goose = _set(tmp_path, "clean_goose", 'dialect = "libsql"\napplied = "untracked"\n', {})
    built = _plugin_target(goose, None, None)
    assert (built.dialect, built.tracked) == ("libsql", False)
    golang = _set(tmp_path, "clean_golang_migrate", 'tx_wrap = "off"\n', {})
    assert _cli_target(golang, None, None).wrap == "none"
    sqlx = _set(tmp_path, "clean_sqlx", FUNCTIONS, FUNCTION_MODULE)
    assert [f.name for f in _plugin_target(sqlx, None, None).functions] == ["slug"]
    d1 = _set(tmp_path, "clean_d1", 'application_foreign_keys = "on"\n', {})
    assert _cli_target(d1, None, None).application_foreign_keys is True


def test_both_refuse_a_setting_no_deployment_has(tmp_path: Path) -> None:
    root = _set(tmp_path, "clean_goose", 'tx_wrap = "off"\n', {})
    with pytest.raises(HarnessError, match="tx_wrap = off: goose") as cli:
        _cli_target(root, None, None)
    with pytest.raises(HarnessError, match="tx_wrap = off: goose") as plugin:
        _plugin_target(root, None, None)
    assert str(cli.value) == str(plugin.value)
